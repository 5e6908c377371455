/** Scheme 0 (docs/fingerprints.md#scheme-0-sha256): the SHA-256 of the content, of bytes, a file or a stream. */
import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import type { Hex } from "viem";
import { FingerprintError } from "../errors/fingerprint";
import { preview } from "../utils/preview";
import { kindOf, toContentBytes } from "./check";
import { fileChanged, fileKind, fileUnreadable, notAFile } from "./fileErrors";

/** Called after each chunk: `bytesRead` never decreases and the last call has `bytesRead === totalBytes`. */
export type FileProgressCallback = (bytesRead: number, totalBytes: number) => void;
/** As FileProgressCallback; `totalBytes` is whatever the caller passed as `totalBytes` (a stream has no size). */
export type StreamProgressCallback = (bytesRead: number, totalBytes: number | undefined) => void;

export interface FingerprintFileOptions {
  onProgress?: FileProgressCallback;
}

export interface FingerprintStreamOptions {
  onProgress?: StreamProgressCallback;
  /** The expected length, only passed on to `onProgress`. */
  totalBytes?: number;
}

/** SHA-256 of `data` (scheme 0). A string is hashed as its UTF-8 bytes, even if it looks like hex. */
export function fingerprintBytes(data: Uint8Array | string): Hex {
  return `0x${createHash("sha256").update(toContentBytes(data)).digest("hex")}`;
}

/** Large enough that the per-read overhead vanishes, small enough to stay in L2 cache while it is hashed. */
const FILE_CHUNK_SIZE = 1024 * 1024;

/**
 * SHA-256 of a file's content (scheme 0), streamed through OpenSSL in constant memory (two 1 MiB buffers).
 * A symbolic link is followed, as sha256sum does. Throws FingerprintError: `FileUnreadable` (missing, no permission,
 * I/O error), `NotAFile` (a directory or special file), `FileChanged` (its size changed while it was read).
 */
export async function fingerprintFile(path: string, options: FingerprintFileOptions = {}): Promise<Hex> {
  if (typeof path !== "string" || path === "") {
    throw new FingerprintError("InvalidInput", `path must be a non-empty string, got ${preview(path)}`, {
      details: "pass the path of the file to fingerprint",
    });
  }
  const { onProgress } = options;
  const { handle, size } = await openRegularFile(path);
  const buffers = [Buffer.allocUnsafe(FILE_CHUNK_SIZE), Buffer.allocUnsafe(FILE_CHUNK_SIZE)];
  const read = (buffer: Buffer, position: number): Promise<number> =>
    handle.read(buffer, 0, FILE_CHUNK_SIZE, position).then(
      (result) => result.bytesRead,
      (error: unknown) => {
        throw fileUnreadable(path, error);
      },
    );
  let pending: Promise<number> | undefined;
  try {
    const hash = createHash("sha256");
    let bytesRead = 0;
    let current = 0;
    onProgress?.(0, size);
    pending = read(buffers[current], 0);
    for (;;) {
      const n = await pending;
      pending = undefined;
      if (n === 0) break;
      const chunk = buffers[current].subarray(0, n);
      bytesRead += n;
      // Double buffering: the next read runs on libuv's thread pool while this thread hashes the chunk just read.
      current ^= 1;
      pending = read(buffers[current], bytesRead);
      // Stop at once if the file grows: a file still being appended to need not ever end.
      if (bytesRead > size) break;
      hash.update(chunk);
      onProgress?.(bytesRead, size);
    }
    if (bytesRead !== size) {
      throw fileChanged(path, `its size was ${size} bytes when opened but ${bytesRead} or more were read`);
    }
    return `0x${hash.digest("hex")}`;
  } finally {
    // A read still in flight (when onProgress threw) must settle before its handle is closed.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

/** Opens `path` for reading after checking it is a regular file: opening a FIFO would block until a writer came. */
async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    const before = await stat(path);
    if (!before.isFile()) throw notAFile(path, fileKind(before));
    // O_NONBLOCK: if a FIFO replaced the file since the stat, opening it does not hang (regular files ignore it).
    handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (error instanceof FingerprintError) throw error;
    throw fileUnreadable(path, error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notAFile(path, fileKind(opened));
    return { handle, size: opened.size };
  } catch (error) {
    await handle.close();
    if (error instanceof FingerprintError) throw error;
    throw fileUnreadable(path, error);
  }
}

/**
 * SHA-256 of everything a stream yields (scheme 0), in constant memory. The stream must yield bytes: one decoded to
 * strings (setEncoding) is refused, since re-encoding text need not give back the original bytes.
 */
export async function fingerprintStream(
  stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  options: FingerprintStreamOptions = {},
): Promise<Hex> {
  const { onProgress, totalBytes } = options;
  const hash = createHash("sha256");
  let bytesRead = 0;
  onProgress?.(0, totalBytes);
  for await (const chunk of stream as AsyncIterable<unknown>) {
    if (!(chunk instanceof Uint8Array)) {
      // The chunk is not shown: it is content, possibly confidential.
      throw new FingerprintError(
        "InvalidInput",
        `the stream yielded ${kindOf(chunk)} instead of bytes (Buffer or Uint8Array)`,
        { details: "do not call setEncoding on it" },
      );
    }
    hash.update(chunk);
    bytesRead += chunk.byteLength;
    onProgress?.(bytesRead, totalBytes);
  }
  return `0x${hash.digest("hex")}`;
}
