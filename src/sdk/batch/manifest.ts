/**
 * A batch and its manifest (docs/fingerprints.md#batch-files): the tree over the batch's fingerprints, the manifest
 * to publish with its root, and the metadata hash that `anchorBatch` records on chain.
 */
import type { Hex } from "viem";
import { BatchFileError } from "../errors/batch";
import { metadataHash } from "../fingerprint/metadata";
import { loadBatchTree } from "../merkle/load";
import { buildBatchTree, type BatchTree, type BatchTreeDump } from "../merkle/tree";

export const BATCH_FORMAT = "provledger-batch-v1";

export interface BatchManifest {
  format: typeof BATCH_FORMAT;
  root: Hex;
  leafCount: number;
  /** The publisher's own description of the batch (any JSON value RFC 8785 can encode). */
  metadata: unknown;
  tree: BatchTreeDump;
}

export interface PreparedBatch {
  tree: BatchTree;
  manifest: BatchManifest;
  /** What `anchorBatch` records on chain as the batch's metadata hash. */
  metadataHash: Hex;
}

/** The on-chain metadata hash of a batch: its format, root, size and the publisher's metadata, canonically hashed. */
export function batchMetadataHash(manifest: Pick<BatchManifest, "format" | "root" | "leafCount" | "metadata">): Hex {
  const { format, root, leafCount, metadata } = manifest;
  return metadataHash({ format, root, leafCount, metadata: metadata ?? null });
}

/** Builds the tree over `fingerprints` (bytes32 hex values) and the manifest to publish with its root. */
export function prepareBatch(fingerprints: readonly Hex[], metadata: unknown = null): PreparedBatch {
  const tree = buildBatchTree(fingerprints);
  const manifest: BatchManifest = {
    format: BATCH_FORMAT,
    root: tree.root,
    leafCount: tree.leafCount,
    metadata,
    tree: tree.dump(),
  };
  return { tree, manifest, metadataHash: batchMetadataHash(manifest) };
}

/**
 * Reads a manifest back, checking that its tree rebuilds to the root it names (BatchFileError `NotJson`,
 * `NotAManifest`, `ManifestAltered`; InvalidBatchDumpError for a tree that does not load).
 */
export function loadBatchManifest(json: string): PreparedBatch {
  let manifest: BatchManifest;
  try {
    manifest = JSON.parse(json) as BatchManifest;
  } catch (error) {
    throw new BatchFileError("NotJson", `the batch manifest is not JSON: ${(error as Error).message}`, {
      details: "pass the text of manifest.json as writeBatchFiles wrote it",
      cause: error,
    });
  }
  if (manifest?.format !== BATCH_FORMAT) {
    throw new BatchFileError("NotAManifest", `not a batch manifest: format must be "${BATCH_FORMAT}"`, {
      details: "pass the manifest.json of a batch",
    });
  }
  if (typeof manifest.root !== "string" || typeof manifest.leafCount !== "number") {
    throw new BatchFileError(
      "NotAManifest",
      "not a batch manifest: it needs a root (hex string) and a leafCount (number)",
      { details: "pass the manifest.json of a batch" },
    );
  }
  const tree = loadBatchTree(manifest.tree);
  if (tree.root !== manifest.root.toLowerCase() || tree.leafCount !== manifest.leafCount) {
    throw new BatchFileError(
      "ManifestAltered",
      `the manifest names root ${manifest.root} over ${manifest.leafCount} leaves, but its tree rebuilds to ` +
        `${tree.root} over ${tree.leafCount}: the file was altered`,
      { details: "use the manifest as it was published" },
    );
  }
  return { tree, manifest, metadataHash: batchMetadataHash(manifest) };
}
