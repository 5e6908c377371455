import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkOptionalBytes32, checkOrgId } from "../../utils/check";

export type ReinstateOrganizationParameters = { orgId: number; reasonHash?: Hex };
export type ReinstateOrganizationReturnType = WriteResult<"OrganizationReinstated">;

/**
 * Reinstates a suspended organisation (governance).
 *
 * @example
 * await reinstateOrganization(client, { orgId: 2, reasonHash });
 */
export async function reinstateOrganization(
  client: ProvledgerCoreClient,
  parameters: ReinstateOrganizationParameters,
): Promise<ReinstateOrganizationReturnType> {
  return client.send({
    contract: "registry",
    functionName: "reinstateOrganization",
    args: [checkOrgId(parameters.orgId, "orgId"), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "OrganizationReinstated",
  });
}
