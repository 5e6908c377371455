/**
 * Batch files: what an agency keeps after anchoring a batch root, so that any member can later be proven.
 *
 * - `manifest.json`: `{ format: "provledger-batch-v1", root, leafCount, metadata, tree }`, where `tree` is the
 *   OpenZeppelin StandardMerkleTree dump (`StandardMerkleTree.load` accepts it) and `metadata` is the publisher's JSON.
 * - `proofs.jsonl`: one line per leaf, `{ "index", "fingerprint", "proof" }`, in leaf order: one line per member
 *   stays usable at a million leaves, where a file per proof would not.
 * - The batch's on-chain `metadataHash` is `metadataHash({ format, root, leafCount, metadata })` (RFC 8785 canonical
 *   JSON, keccak256): it binds the publisher's metadata to the root without hashing the whole tree again.
 *
 * Files are written to temporary names and renamed into place, so a failure leaves no half-written batch.
 */
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Hex } from "viem";
import { metadataHash } from "../fingerprint";
import { buildBatchTree, loadBatchTree, type BatchTree } from "../merkle";

export const BATCH_FORMAT = "provledger-batch-v1";

export interface BatchManifest {
  format: typeof BATCH_FORMAT;
  root: Hex;
  leafCount: number;
  /** The publisher's own description of the batch (any JSON value RFC 8785 can encode). */
  metadata: unknown;
  tree: ReturnType<BatchTree["dump"]>;
}

export interface BatchProofLine {
  index: number;
  fingerprint: Hex;
  proof: Hex[];
}

export interface PreparedBatch {
  tree: BatchTree;
  manifest: BatchManifest;
  /** What `anchorBatch` records on chain as the batch's metadata hash. */
  metadataHash: Hex;
}

export class BatchFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchFileError";
  }
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
 * Writes `manifest.json` and `proofs.jsonl` into `directory` (created if needed) and returns their paths. Either
 * both files are complete, or neither is left behind.
 */
export async function writeBatchFiles(
  directory: string,
  batch: PreparedBatch,
): Promise<{ manifestPath: string; proofsPath: string }> {
  const manifestPath = join(directory, "manifest.json");
  const proofsPath = join(directory, "proofs.jsonl");
  const suffix = `.partial-${process.pid}`;
  try {
    await mkdir(directory, { recursive: true });
    await writeWhole(manifestPath + suffix, [JSON.stringify(batch.manifest, null, 1), "\n"]);
    await writeWhole(proofsPath + suffix, proofLines(batch.tree));
    await rename(proofsPath + suffix, proofsPath);
    await rename(manifestPath + suffix, manifestPath);
  } catch (error) {
    // Best effort: the partial files may not even have been created (e.g. the directory could not be).
    const discard = (path: string) => rm(path, { force: true }).catch(() => undefined);
    await Promise.all([discard(manifestPath + suffix), discard(proofsPath + suffix)]);
    throw new BatchFileError(`could not write the batch files in ${directory}: ${(error as Error).message}`);
  }
  return { manifestPath, proofsPath };
}

function* proofLines(tree: BatchTree): Generator<string> {
  for (let index = 0; index < tree.leafCount; index++) {
    const line: BatchProofLine = { index, fingerprint: tree.at(index), proof: tree.proof(index) };
    yield `${JSON.stringify(line)}\n`;
  }
}

/** Writes chunks through one file handle, buffering ~1 MiB at a time, and syncs before returning. */
async function writeWhole(path: string, chunks: Iterable<string>): Promise<void> {
  const handle = await open(path, "w");
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      buffer.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) {
        await handle.write(buffer.join(""));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length > 0) await handle.write(buffer.join(""));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a manifest back, checking that its tree rebuilds to the root it names and that its hash is consistent. */
export function loadBatchManifest(json: string): PreparedBatch {
  let manifest: BatchManifest;
  try {
    manifest = JSON.parse(json) as BatchManifest;
  } catch (error) {
    throw new BatchFileError(`the batch manifest is not JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== BATCH_FORMAT) {
    throw new BatchFileError(`not a batch manifest: format must be "${BATCH_FORMAT}"`);
  }
  if (typeof manifest.root !== "string" || typeof manifest.leafCount !== "number") {
    throw new BatchFileError("not a batch manifest: it needs a root (hex string) and a leafCount (number)");
  }
  const tree = loadBatchTree(manifest.tree);
  if (tree.root !== manifest.root.toLowerCase() || tree.leafCount !== manifest.leafCount) {
    throw new BatchFileError(
      `the manifest names root ${manifest.root} over ${manifest.leafCount} leaves, but its tree rebuilds to ` +
        `${tree.root} over ${tree.leafCount}: the file was altered`,
    );
  }
  return { tree, manifest, metadataHash: batchMetadataHash(manifest) };
}

/** Streams the proof lines of a `proofs.jsonl` file. */
export async function* readBatchProofs(proofsPath: string): AsyncGenerator<BatchProofLine> {
  const lines = createInterface({ input: createReadStream(proofsPath), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === "") continue;
    try {
      yield JSON.parse(line) as BatchProofLine;
    } catch (error) {
      throw new BatchFileError(`${proofsPath}:${number} is not JSON: ${(error as Error).message}`);
    }
  }
}
