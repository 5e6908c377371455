import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";

export type CancelGovernanceTransferReturnType = WriteResult<"DefaultAdminTransferCanceled">;

/**
 * Cancels a pending governance hand-over (governance).
 *
 * @example
 * await cancelGovernanceTransfer(client);
 */
export async function cancelGovernanceTransfer(
  client: ProvledgerCoreClient,
): Promise<CancelGovernanceTransferReturnType> {
  return client.send({
    contract: "registry",
    functionName: "cancelDefaultAdminTransfer",
    args: [],
    eventName: "DefaultAdminTransferCanceled",
  });
}
