import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type GovernanceParameters = BlockParameters;
export type GovernanceReturnType = Address;

/**
 * The consortium governance account.
 *
 * @example
 * const account = await governance(client);
 */
export async function governance(
  client: ProvledgerCoreClient,
  parameters: GovernanceParameters = {},
): Promise<GovernanceReturnType> {
  return client.view({
    contract: "registry",
    functionName: "defaultAdmin",
    args: [],
    blockNumber: parameters.blockNumber,
  });
}
