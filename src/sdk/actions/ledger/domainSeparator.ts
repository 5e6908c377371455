import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type DomainSeparatorParameters = BlockParameters;
export type DomainSeparatorReturnType = Hex;

/**
 * The ledger's EIP-712 domain separator (what `registrationTypedData`'s domain hashes to).
 *
 * @example
 * const separator = await domainSeparator(client);
 */
export async function domainSeparator(
  client: ProvledgerCoreClient,
  parameters: DomainSeparatorParameters = {},
): Promise<DomainSeparatorReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "DOMAIN_SEPARATOR",
    args: [],
    blockNumber: parameters.blockNumber,
  });
}
