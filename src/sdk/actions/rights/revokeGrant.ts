import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32, checkOrgId } from "../../utils/check";

export type RevokeGrantParameters = { fingerprint: Hex; granteeOrg: number; reasonHash?: Hex };
export type RevokeGrantReturnType = WriteResult<"GrantRevoked">;

/**
 * Revokes the grant of a record of the acting organisation to `granteeOrg`.
 *
 * @example
 * await revokeGrant(client, { fingerprint, granteeOrg: 2, reasonHash });
 */
export async function revokeGrant(
  client: ProvledgerCoreClient,
  parameters: RevokeGrantParameters,
): Promise<RevokeGrantReturnType> {
  return client.send({
    contract: "rights",
    functionName: "revokeGrant",
    args: [
      checkFingerprint(parameters.fingerprint),
      checkOrgId(parameters.granteeOrg, "granteeOrg"),
      checkOptionalBytes32(parameters.reasonHash, "reasonHash"),
    ],
    eventName: "GrantRevoked",
  });
}
