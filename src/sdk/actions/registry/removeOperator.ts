import type { Address } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkAddress, checkOrgId } from "../../utils/check";

export type RemoveOperatorParameters = { orgId: number; account: Address };
export type RemoveOperatorReturnType = WriteResult<"OperatorRemoved">;

/**
 * Removes an operator account (governance, or an operator of the same active organisation).
 *
 * @example
 * await removeOperator(client, { orgId: 1, account: oldKey });
 */
export async function removeOperator(
  client: ProvledgerCoreClient,
  parameters: RemoveOperatorParameters,
): Promise<RemoveOperatorReturnType> {
  return client.send({
    contract: "registry",
    functionName: "removeOperator",
    args: [checkOrgId(parameters.orgId, "orgId"), checkAddress(parameters.account, "account")],
    eventName: "OperatorRemoved",
  });
}
