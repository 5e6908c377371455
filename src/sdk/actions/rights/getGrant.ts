import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient, ViewResult } from "../../clients/types";
import { checkBytes32, checkOrgId } from "../../utils/check";

export type GetGrantParameters = { fingerprint: Hex; org: number } & BlockParameters;
export type GetGrantReturnType = ViewResult<"rights", "getGrant">;

/**
 * The grant of a record to `org`: its id, grantor, scopes, status, expiry and purpose.
 *
 * @example
 * const { status, scopes } = await getGrant(client, { fingerprint, org: 2 });
 */
export async function getGrant(
  client: ProvledgerCoreClient,
  parameters: GetGrantParameters,
): Promise<GetGrantReturnType> {
  return client.view({
    contract: "rights",
    functionName: "getGrant",
    args: [checkBytes32(parameters.fingerprint, "fingerprint"), checkOrgId(parameters.org, "org")],
    blockNumber: parameters.blockNumber,
  });
}
