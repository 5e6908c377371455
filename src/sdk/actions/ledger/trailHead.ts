import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type TrailHeadParameters = { fingerprint: Hex } & BlockParameters;
export type TrailHeadReturnType = { head: Hex; length: bigint };

/**
 * The head and length of a record's audit trail.
 *
 * @example
 * const { head, length } = await trailHead(client, { fingerprint });
 */
export async function trailHead(
  client: ProvledgerCoreClient,
  parameters: TrailHeadParameters,
): Promise<TrailHeadReturnType> {
  const [head, length] = await client.view({
    contract: "ledger",
    functionName: "trailHead",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
  return { head, length };
}
