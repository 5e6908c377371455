import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkOptionalBytes32, checkOrgId } from "../../utils/check";

export type SuspendOrganizationParameters = { orgId: number; reasonHash?: Hex };
export type SuspendOrganizationReturnType = WriteResult<"OrganizationSuspended">;

/**
 * Suspends an organisation: its keys can change nothing until reinstated (governance).
 *
 * @example
 * await suspendOrganization(client, { orgId: 2, reasonHash });
 */
export async function suspendOrganization(
  client: ProvledgerCoreClient,
  parameters: SuspendOrganizationParameters,
): Promise<SuspendOrganizationReturnType> {
  return client.send({
    contract: "registry",
    functionName: "suspendOrganization",
    args: [checkOrgId(parameters.orgId, "orgId"), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "OrganizationSuspended",
  });
}
