import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32, checkOrgId, checkTime, checkUint } from "../../utils/check";

export type IssueGrantParameters = {
  fingerprint: Hex;
  granteeOrg: number;
  /** `Scope` bit set: use 1, derive 2, redistribute 4. */
  scopes: number;
  purposeHash?: Hex;
  /** Last valid block time (Date or seconds); 0 or left out for none. */
  expiresAt?: number | bigint | Date;
};
export type IssueGrantReturnType = WriteResult<"GrantIssued">;

/**
 * Grants `granteeOrg` scopes on a record of the acting organisation (registrar role). Id: `event.args.grantId`.
 *
 * @example
 * const { event } = await issueGrant(client, {
 *   fingerprint,
 *   granteeOrg: 2,
 *   scopes: Scope.USE | Scope.DERIVE,
 *   expiresAt: new Date("2027-01-01"),
 * });
 * event.args.status; // GrantStatus.PENDING_CUSTOMS across a border that needs customs
 */
export async function issueGrant(
  client: ProvledgerCoreClient,
  parameters: IssueGrantParameters,
): Promise<IssueGrantReturnType> {
  return client.send({
    contract: "rights",
    functionName: "issueGrant",
    args: [
      checkFingerprint(parameters.fingerprint),
      checkOrgId(parameters.granteeOrg, "granteeOrg"),
      checkUint(parameters.scopes, 8, "scopes"),
      checkOptionalBytes32(parameters.purposeHash, "purposeHash"),
      Number(checkTime(parameters.expiresAt ?? 0, 40, "expiresAt")),
    ],
    eventName: "GrantIssued",
  });
}
