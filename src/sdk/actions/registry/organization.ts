import type { BlockParameters, ProvledgerCoreClient, ViewResult } from "../../clients/types";
import { checkOrgId } from "../../utils/check";

export type OrganizationParameters = { orgId: number } & BlockParameters;
export type OrganizationReturnType = ViewResult<"registry", "organization">;

/**
 * An organisation's profile, roles, status and operator count.
 *
 * @example
 * const { name, jurisdiction } = await organization(client, { orgId: 1 });
 * decodeJurisdiction(jurisdiction); // "CN-GD"
 */
export async function organization(
  client: ProvledgerCoreClient,
  parameters: OrganizationParameters,
): Promise<OrganizationReturnType> {
  return client.view({
    contract: "registry",
    functionName: "organization",
    args: [checkOrgId(parameters.orgId, "orgId")],
    blockNumber: parameters.blockNumber,
  });
}
