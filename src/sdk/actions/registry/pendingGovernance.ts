import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type PendingGovernanceParameters = BlockParameters;
export type PendingGovernanceReturnType = {
  /** Zero if no hand-over is pending. */
  newGovernance: Address;
  /** Block time from which `newGovernance` may accept. */
  schedule: number;
};

/**
 * The account a governance hand-over is pending to (zero if none) and when it may accept.
 *
 * @example
 * const { newGovernance, schedule } = await pendingGovernance(client);
 */
export async function pendingGovernance(
  client: ProvledgerCoreClient,
  parameters: PendingGovernanceParameters = {},
): Promise<PendingGovernanceReturnType> {
  const [newGovernance, schedule] = await client.view({
    contract: "registry",
    functionName: "pendingDefaultAdmin",
    args: [],
    blockNumber: parameters.blockNumber,
  });
  return { newGovernance, schedule };
}
