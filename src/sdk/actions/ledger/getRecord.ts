import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient, ViewResult } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type GetRecordParameters = { fingerprint: Hex } & BlockParameters;
export type GetRecordReturnType = ViewResult<"ledger", "getRecord">;

/**
 * A record: owner, registrant, class, flags, metadata hash, registration time and block, trail and versions.
 *
 * @example
 * const { ownerOrg, registeredAt, withdrawn } = await getRecord(client, { fingerprint });
 */
export async function getRecord(
  client: ProvledgerCoreClient,
  parameters: GetRecordParameters,
): Promise<GetRecordReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "getRecord",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
}
