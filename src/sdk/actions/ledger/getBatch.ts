import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient, ViewResult } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type GetBatchParameters = { root: Hex } & BlockParameters;
export type GetBatchReturnType = ViewResult<"ledger", "getBatch">;

/**
 * An anchored batch: its organisation, registrant, size, metadata hash and when it was anchored.
 *
 * @example
 * const { leafCount, anchoredBlock } = await getBatch(client, { root });
 */
export async function getBatch(
  client: ProvledgerCoreClient,
  parameters: GetBatchParameters,
): Promise<GetBatchReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "getBatch",
    args: [checkBytes32(parameters.root, "root")],
    blockNumber: parameters.blockNumber,
  });
}
