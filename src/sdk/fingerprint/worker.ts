/**
 * Worker thread of fingerprintDirectory's pool (started by pool.ts, never imported at run time). It hashes one
 * whole file per request with SHA-256. Reads are synchronous: the thread has nothing else to do meanwhile, and a
 * synchronous read saves the hop through libuv's thread pool that an asynchronous one costs per chunk.
 * Only node built-ins may be imported (and types, which compile away): from TypeScript sources, pool.ts transpiles
 * this file alone and runs the result as code, where no relative import would resolve. Compiled, it is worker.js
 * beside pool.js.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import type { FingerprintErrorCode } from "../errors/fingerprint";

/** Main thread -> worker: hash the file at `path` (absolute). */
export interface HashRequest {
  id: number;
  path: string;
}

/** Error codes a worker reports. */
export type WorkerErrorCode = Extract<FingerprintErrorCode, "FileUnreadable" | "NotAFile" | "FileChanged">;

/**
 * Worker -> main thread. `progress` carries the bytes read since the previous progress message for the same request;
 * it is only sent for large files, whose bytes not yet reported the main thread counts when `done` arrives.
 */
export type WorkerMessage =
  | { type: "progress"; id: number; bytes: number }
  | { type: "done"; id: number; sha256: string; size: number }
  | { type: "error"; id: number; code: WorkerErrorCode; osCode?: string; reason: string };

const CHUNK_SIZE = 1024 * 1024;
/** Progress is batched so that many small files do not flood the main thread with messages. */
const PROGRESS_EVERY = 8 * CHUNK_SIZE;
// O_NOFOLLOW: a path that the walk saw as a regular file but that was swapped for a link since is refused, not
// followed. O_NONBLOCK: a file swapped for a FIFO does not block the worker forever; regular files ignore it.
// Both are absent on Windows, where 0 leaves the flags unchanged.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

const buffer = Buffer.allocUnsafe(CHUNK_SIZE);

function hashFile(request: HashRequest): WorkerMessage {
  const { id, path } = request;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const osCode = (error as NodeJS.ErrnoException).code;
    // ELOOP is what O_NOFOLLOW reports for a symbolic link.
    if (osCode === "ELOOP") return { type: "error", id, code: "NotAFile", osCode, reason: "it became a link" };
    return { type: "error", id, code: "FileUnreadable", osCode, reason: (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { type: "error", id, code: "NotAFile", reason: "it is no longer a regular file" };
    const hash = createHash("sha256");
    let size = 0;
    let unreported = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_SIZE, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
      unreported += n;
      if (unreported >= PROGRESS_EVERY) {
        parentPort?.postMessage({ type: "progress", id, bytes: unreported } satisfies WorkerMessage);
        unreported = 0;
      }
    }
    if (size !== stat.size) {
      return {
        type: "error",
        id,
        code: "FileChanged",
        reason: `its size was ${stat.size} bytes when opened but ${size} bytes were read`,
      };
    }
    return { type: "done", id, sha256: hash.digest("hex"), size };
  } catch (error) {
    const osCode = (error as NodeJS.ErrnoException).code;
    return { type: "error", id, code: "FileUnreadable", osCode, reason: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

parentPort?.on("message", (request: HashRequest) => {
  parentPort?.postMessage(hashFile(request));
});
