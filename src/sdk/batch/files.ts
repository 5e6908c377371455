/**
 * Batch files (docs/fingerprints.md#batch-files): `manifest.json` and `proofs.jsonl`, written to temporary names and
 * renamed into place so that a failure leaves no half-written batch, and the proofs read back one line at a time.
 */
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Hex } from "viem";
import { BatchFileError } from "../errors/batch";
import type { BatchTree } from "../merkle/tree";
import type { PreparedBatch } from "./manifest";

/** One line of `proofs.jsonl`. */
export interface BatchProofLine {
  index: number;
  fingerprint: Hex;
  proof: Hex[];
}

export interface WriteBatchFilesReturnType {
  manifestPath: string;
  proofsPath: string;
}

/**
 * Writes `manifest.json` and `proofs.jsonl` into `directory` (created if needed) and returns their paths. Either
 * both files are complete, or neither is left behind (BatchFileError `WriteFailed`).
 */
export async function writeBatchFiles(directory: string, batch: PreparedBatch): Promise<WriteBatchFilesReturnType> {
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
    throw new BatchFileError(
      "WriteFailed",
      `could not write the batch files in ${directory}: ${(error as Error).message}`,
      {
        details: "check that the directory is writable and the disk has room, then write them again",
        path: directory,
        osCode: (error as NodeJS.ErrnoException).code,
        cause: error,
      },
    );
  }
  return { manifestPath, proofsPath };
}

/** Streams the proof lines of a `proofs.jsonl` file (BatchFileError `ReadFailed`, or `NotJson` naming the line). */
export async function* readBatchProofs(proofsPath: string): AsyncGenerator<BatchProofLine> {
  const input = createReadStream(proofsPath);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === "") continue;
      let parsed: BatchProofLine;
      try {
        parsed = JSON.parse(line) as BatchProofLine;
      } catch (error) {
        throw new BatchFileError("NotJson", `${proofsPath}:${number} is not JSON: ${(error as Error).message}`, {
          details: "use the proofs.jsonl that writeBatchFiles wrote, unedited",
          path: proofsPath,
          cause: error,
        });
      }
      yield parsed;
    }
  } catch (error) {
    if (error instanceof BatchFileError) throw error;
    const osCode = (error as NodeJS.ErrnoException).code;
    throw new BatchFileError("ReadFailed", `cannot read ${proofsPath}: ${(error as Error).message}`, {
      details: "check the path and that this process may read it",
      path: proofsPath,
      osCode,
      cause: error,
    });
  } finally {
    lines.close();
    input.destroy();
  }
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
