import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { toBatch, type BatchInput } from "../../signing/batch";

export type AnchorBatchParameters = BatchInput;
export type AnchorBatchReturnType = WriteResult<"BatchAnchored">;

/**
 * Anchors a batch's Merkle root (registrar role).
 *
 * @example
 * const { tree, metadataHash } = prepareBatch(fingerprints, metadata);
 * await anchorBatch(client, { root: tree.root, leafCount: tree.leafCount, metadataHash });
 */
export async function anchorBatch(
  client: ProvledgerCoreClient,
  parameters: AnchorBatchParameters,
): Promise<AnchorBatchReturnType> {
  const { root, leafCount, metadataHash, metadataURI } = toBatch(parameters);
  return client.send({
    contract: "ledger",
    functionName: "anchorBatch",
    args: [root, leafCount, metadataHash, metadataURI],
    eventName: "BatchAnchored",
  });
}
