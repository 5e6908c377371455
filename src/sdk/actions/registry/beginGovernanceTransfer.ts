import type { Address } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkAddress } from "../../utils/check";

export type BeginGovernanceTransferParameters = { newGovernance: Address };
export type BeginGovernanceTransferReturnType = WriteResult<"DefaultAdminTransferScheduled">;

/**
 * Begins handing governance over to `newGovernance`, who accepts after the delay (governance).
 *
 * @example
 * await beginGovernanceTransfer(client, { newGovernance });
 * // after the delay, newGovernance: await acceptGovernanceTransfer(successor);
 */
export async function beginGovernanceTransfer(
  client: ProvledgerCoreClient,
  parameters: BeginGovernanceTransferParameters,
): Promise<BeginGovernanceTransferReturnType> {
  return client.send({
    contract: "registry",
    functionName: "beginDefaultAdminTransfer",
    args: [checkAddress(parameters.newGovernance, "newGovernance")],
    eventName: "DefaultAdminTransferScheduled",
  });
}
