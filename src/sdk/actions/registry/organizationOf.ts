import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkAddress } from "../../utils/check";

export type OrganizationOfParameters = { account: Address } & BlockParameters;
export type OrganizationOfReturnType = number;

/**
 * The organisation an account operates for, 0 if none.
 *
 * @example
 * const orgId = await organizationOf(client, { account });
 */
export async function organizationOf(
  client: ProvledgerCoreClient,
  parameters: OrganizationOfParameters,
): Promise<OrganizationOfReturnType> {
  return client.view({
    contract: "registry",
    functionName: "organizationOf",
    args: [checkAddress(parameters.account, "account")],
    blockNumber: parameters.blockNumber,
  });
}
