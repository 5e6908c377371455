import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { anchorBatchBySigArgs, type BatchInput } from "../../signing/batch";
import type { SignedEnvelope } from "../../signing/envelope";

export type AnchorBatchBySigParameters = {
  batch: BatchInput;
  /** What the registrant's `signBatch` returned. */
  envelope: SignedEnvelope;
};
export type AnchorBatchBySigReturnType = WriteResult<"BatchAnchored">;

/**
 * Relays a batch anchor signed by `envelope.signer` (anyone may relay; the signer is the registrant).
 *
 * @example
 * await anchorBatchBySig(relayer, { batch, envelope });
 */
export async function anchorBatchBySig(
  client: ProvledgerCoreClient,
  parameters: AnchorBatchBySigParameters,
): Promise<AnchorBatchBySigReturnType> {
  return client.send({
    contract: "ledger",
    functionName: "anchorBatchBySig",
    args: anchorBatchBySigArgs(parameters),
    eventName: "BatchAnchored",
  });
}
