import type { Address } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkAddress, checkOrgId } from "../../utils/check";

export type AddOperatorParameters = { orgId: number; account: Address };
export type AddOperatorReturnType = WriteResult<"OperatorAdded">;

/**
 * Adds an operator account (governance, or an operator of the same active organisation).
 *
 * @example
 * await addOperator(client, { orgId: 1, account: newKey.address });
 */
export async function addOperator(
  client: ProvledgerCoreClient,
  parameters: AddOperatorParameters,
): Promise<AddOperatorReturnType> {
  return client.send({
    contract: "registry",
    functionName: "addOperator",
    args: [checkOrgId(parameters.orgId, "orgId"), checkAddress(parameters.account, "account")],
    eventName: "OperatorAdded",
  });
}
