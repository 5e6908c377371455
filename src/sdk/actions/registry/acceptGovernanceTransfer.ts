import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";

export type AcceptGovernanceTransferReturnType = WriteResult<"RoleGranted">;

/**
 * Accepts a governance hand-over once its delay has passed (the new governance account).
 *
 * @example
 * const { event } = await acceptGovernanceTransfer(successor);
 * event.args.account; // the new governance
 */
export async function acceptGovernanceTransfer(
  client: ProvledgerCoreClient,
): Promise<AcceptGovernanceTransferReturnType> {
  return client.send({
    contract: "registry",
    functionName: "acceptDefaultAdminTransfer",
    args: [],
    eventName: "RoleGranted",
  });
}
