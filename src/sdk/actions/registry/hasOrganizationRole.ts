import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkOrgId, checkUint } from "../../utils/check";

export type HasOrganizationRoleParameters = {
  orgId: number;
  /** One `Role` bit. */
  role: number;
} & BlockParameters;
export type HasOrganizationRoleReturnType = boolean;

/**
 * Whether an organisation holds a role.
 *
 * @example
 * await hasOrganizationRole(client, { orgId: 1, role: Role.REGISTRAR }); // true
 */
export async function hasOrganizationRole(
  client: ProvledgerCoreClient,
  parameters: HasOrganizationRoleParameters,
): Promise<HasOrganizationRoleReturnType> {
  return client.view({
    contract: "registry",
    functionName: "hasOrganizationRole",
    args: [checkOrgId(parameters.orgId, "orgId"), checkUint(parameters.role, 8, "role")],
    blockNumber: parameters.blockNumber,
  });
}
