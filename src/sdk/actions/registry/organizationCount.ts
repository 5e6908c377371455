import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type OrganizationCountParameters = BlockParameters;
export type OrganizationCountReturnType = number;

/**
 * How many organisations have been onboarded (their ids run from 1).
 *
 * @example
 * const count = await organizationCount(client);
 */
export async function organizationCount(
  client: ProvledgerCoreClient,
  parameters: OrganizationCountParameters = {},
): Promise<OrganizationCountReturnType> {
  return client.view({
    contract: "registry",
    functionName: "organizationCount",
    args: [],
    blockNumber: parameters.blockNumber,
  });
}
