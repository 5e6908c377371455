/** Batch files (docs/fingerprints.md#batch-files). Errors: errors/batch.ts. */
export {
  BATCH_FORMAT,
  batchMetadataHash,
  loadBatchManifest,
  prepareBatch,
  type BatchManifest,
  type PreparedBatch,
} from "./manifest";
export { readBatchProofs, writeBatchFiles, type BatchProofLine, type WriteBatchFilesReturnType } from "./files";
