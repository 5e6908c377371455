import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type RightsModuleParameters = BlockParameters;
export type RightsModuleReturnType = Address;

/**
 * The rights module the ledger trusts (zero until governance sets it).
 *
 * @example
 * const module = await rightsModule(client);
 */
export async function rightsModule(
  client: ProvledgerCoreClient,
  parameters: RightsModuleParameters = {},
): Promise<RightsModuleReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "rightsModule",
    args: [],
    blockNumber: parameters.blockNumber,
  });
}
