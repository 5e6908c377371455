/** Batch trees (docs/fingerprints.md#batch-trees): building, proofs, loading dumps. Errors: errors/batch.ts. */
export { buildBatchTree, MAX_BATCH_LEAVES, type BatchTree, type BatchTreeDump } from "./tree";
export { loadBatchTree } from "./load";
export { batchLeafHash, batchRootFromProof, verifyBatchProof } from "./proof";
