import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkOrgId, checkUint } from "../../utils/check";

export type SetOrganizationRolesParameters = {
  orgId: number;
  /** `Role` bit set. */
  roles: number;
};
export type SetOrganizationRolesReturnType = WriteResult<"OrganizationRolesChanged">;

/**
 * Replaces an organisation's `Role` bit set (governance).
 *
 * @example
 * await setOrganizationRoles(client, { orgId: 3, roles: Role.TRADER | Role.REGISTRAR });
 */
export async function setOrganizationRoles(
  client: ProvledgerCoreClient,
  parameters: SetOrganizationRolesParameters,
): Promise<SetOrganizationRolesReturnType> {
  return client.send({
    contract: "registry",
    functionName: "setOrganizationRoles",
    args: [checkOrgId(parameters.orgId, "orgId"), checkUint(parameters.roles, 8, "roles")],
    eventName: "OrganizationRolesChanged",
  });
}
