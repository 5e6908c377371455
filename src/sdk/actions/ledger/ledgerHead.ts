import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type LedgerHeadParameters = BlockParameters;
export type LedgerHeadReturnType = { ledgerHead: Hex; ledgerSequence: bigint };

/**
 * The ledger-wide head and sequence, in the shape `verifyCompleteTrail` takes as its checkpoint.
 *
 * @example
 * const checkpoint = await ledgerHead(client, { blockNumber });
 */
export async function ledgerHead(
  client: ProvledgerCoreClient,
  parameters: LedgerHeadParameters = {},
): Promise<LedgerHeadReturnType> {
  const [ledgerHead, ledgerSequence] = await client.view({
    contract: "ledger",
    functionName: "ledgerHead",
    args: [],
    blockNumber: parameters.blockNumber,
  });
  return { ledgerHead, ledgerSequence };
}
