import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBigUint, checkBoolean, checkFingerprint, checkOptionalBytes32, checkOrgId } from "../../utils/check";

export type DecideGrantParameters = {
  fingerprint: Hex;
  granteeOrg: number;
  /** The grant decided on: `event.args.grantId` of its issueGrant. */
  grantId: number | bigint;
  approve: boolean;
  decisionHash?: Hex;
};
export type DecideGrantReturnType = WriteResult<"GrantDecided">;

/**
 * Approves or rejects a cross-border grant (customs of the exporting jurisdiction).
 *
 * @example
 * await decideGrant(customs, { fingerprint, granteeOrg: 2, grantId, approve: true, decisionHash });
 */
export async function decideGrant(
  client: ProvledgerCoreClient,
  parameters: DecideGrantParameters,
): Promise<DecideGrantReturnType> {
  return client.send({
    contract: "rights",
    functionName: "decideGrant",
    args: [
      checkFingerprint(parameters.fingerprint),
      checkOrgId(parameters.granteeOrg, "granteeOrg"),
      checkBigUint(parameters.grantId, 64, "grantId"),
      checkBoolean(parameters.approve, "approve"),
      checkOptionalBytes32(parameters.decisionHash, "decisionHash"),
    ],
    eventName: "GrantDecided",
  });
}
