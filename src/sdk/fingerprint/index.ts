/**
 * Dataset fingerprints, as the ledger's `Schemes` define them (contracts/libraries/Codes.sol), and metadata hashes.
 *
 * - Scheme 0, SHA256: the SHA-256 of the content (`fingerprintBytes`, `fingerprintFile`, `fingerprintStream`).
 * - Scheme 1, SALTED_SHA256: keccak256(salt || sha256(content)), with a secret random 32-byte salt, so that outsiders
 *   holding a copy cannot confirm it was registered (`commitBytes`, `commitFile`, `verifyDisclosure`).
 * - Scheme 2, MANIFEST_ROOT: the Merkle root of a directory manifest (`fingerprintDirectory`, `manifestRoot`):
 *   1. Every regular file under the directory, at any depth, is one entry `{ path, size, sha256 }`: `path` is relative
 *      to the directory, with "/" separators, exactly as the file system stores the name (no Unicode normalisation;
 *      names that are not valid UTF-8 are refused); `size` in bytes; `sha256` the content's SHA-256.
 *      Directories are not entries (an empty one leaves no trace). The directory named is followed if it is a
 *      symbolic link, but nothing inside is: links, FIFOs, sockets and devices make it fail, listing them, unless
 *      `nonRegularFiles: "skip"` is given, which leaves them out and lists them in `skipped`. A manifest must be
 *      recomputable from the published files alone, and a link's target is not part of what is published.
 *   2. Entries are sorted by path, comparing the UTF-8 bytes (as `LC_ALL=C sort` does).
 *   3. Each entry's leaf value is keccak256(abi.encode(string path, uint256 size, bytes32 sha256)).
 *   4. The root is the root of an OpenZeppelin StandardMerkleTree over the leaf values with leaf encoding
 *      ["bytes32"] (each leaf hashed keccak256(keccak256(abi.encode(bytes32 value))), leaves sorted by hash, pairs
 *      hashed sorted), so `MerkleProof.verify` on chain and `StandardMerkleTree.verify` off chain both check
 *      inclusion of an entry.
 *
 * `metadataHash` on chain is keccak256 of the UTF-8 bytes of the metadata document's RFC 8785 (JCS) canonical JSON.
 *
 * All hashes are returned as 0x-prefixed lowercase hex.
 */
import canonicalize from "canonicalize";
import { createHash, randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { lstat, open, readdir, readFile, stat, type FileHandle } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { concat, encodeAbiParameters, keccak256, stringToBytes, type Hex } from "viem";
import { Scheme } from "../constants/codes";
import { buildBatchTree } from "../merkle";
import type { HashRequest, WorkerMessage } from "./worker";

// ---------------------------------------------------------------------------------------------------------------------
// Errors and validation

export type FingerprintErrorCode =
  /** A file does not exist or cannot be opened or read. */
  | "FILE_UNREADABLE"
  /** A path given (or found) as a file is a directory, FIFO, socket or device. */
  | "NOT_A_FILE"
  /** A file's size changed while it was being hashed. */
  | "FILE_CHANGED"
  /** A directory does not exist or cannot be listed. */
  | "DIRECTORY_UNREADABLE"
  /** A path given as a directory is not one. */
  | "NOT_A_DIRECTORY"
  /** A directory holds no regular file, so there is nothing to fingerprint. */
  | "EMPTY_DIRECTORY"
  /** A directory holds symbolic links or special files (and `nonRegularFiles` is "error"). */
  | "NON_REGULAR_FILE"
  /** A file name is not valid UTF-8, so it has no manifest path. */
  | "INVALID_FILE_NAME"
  /** A hex string is malformed or of the wrong length. */
  | "INVALID_HEX"
  /** Any other argument is invalid. */
  | "INVALID_INPUT"
  /** A value cannot be represented as RFC 8785 JSON. */
  | "INVALID_JSON"
  /** A hashing worker thread could not start or died. */
  | "WORKER_FAILED";

/** Every error this module throws on purpose. `path` is set for file-system errors, `osCode` when the OS gave one. */
export class FingerprintError extends Error {
  readonly code: FingerprintErrorCode;
  readonly path?: string;
  readonly osCode?: string;

  constructor(code: FingerprintErrorCode, message: string, details: { path?: string; osCode?: string } = {}) {
    super(message);
    this.name = "FingerprintError";
    this.code = code;
    if (details.path !== undefined) this.path = details.path;
    if (details.osCode !== undefined) this.osCode = details.osCode;
  }
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** What a bad argument is, for an error message. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

/** Shows a bad (non-secret) string in an error message without flooding it. */
function preview(value: unknown): string {
  if (typeof value !== "string") return kindOf(value);
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `"${shown}" (${value.length} characters)`;
}

/**
 * Checks a 32-byte hex value and returns it in lowercase. The message describes the value without echoing it: a
 * mistyped salt is still mostly the secret.
 */
function expectBytes32(name: string, value: unknown): Hex {
  if (typeof value === "string" && BYTES32.test(value)) return value.toLowerCase() as Hex;
  let got = kindOf(value);
  if (typeof value === "string") {
    got = `${value.length} characters`;
    if (!value.startsWith("0x")) got += ", without the 0x prefix";
    else if (!/^0x[0-9a-fA-F]*$/.test(value)) got += ", with non-hex characters";
    else got += `, ${value.length - 2} hex digits`;
  }
  throw new FingerprintError(
    "INVALID_HEX",
    `${name} must be 32 bytes as 0x-prefixed hex (0x and 64 hex digits, 66 characters); got ${got}`,
  );
}

function toContentBytes(data: Uint8Array | string): Uint8Array {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof Uint8Array) return data;
  throw new FingerprintError("INVALID_INPUT", `data must be a Uint8Array or a string, got ${kindOf(data)}`);
}

function describeOsError(path: string, error: unknown): { osCode?: string; reason: string; fix: string } {
  const osCode = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (osCode) {
    case "ENOENT":
      return {
        osCode,
        reason: "it does not exist",
        fix: isAbsolute(path)
          ? "check the path"
          : `check the path (it is relative to the current directory, ${process.cwd()})`,
      };
    case "EACCES":
    case "EPERM":
      return {
        osCode,
        reason: "permission denied",
        fix: "grant read access to the user running this process (e.g. chmod u+r, or u+rx for a directory), or run as a user who has it",
      };
    case "ENOTDIR":
      return { osCode, reason: "a component of the path is not a directory", fix: "check the path" };
    case "ELOOP":
      return { osCode, reason: "too many levels of symbolic links", fix: "check the links on the path" };
    case "EMFILE":
    case "ENFILE":
      return {
        osCode,
        reason: "too many open files",
        fix: "lower `concurrency` or raise the open-file limit (ulimit -n)",
      };
    default:
      return {
        osCode,
        reason: error instanceof Error ? error.message : String(error),
        fix: "check that the path is readable by this process",
      };
  }
}

function fileUnreadable(path: string, error: unknown): FingerprintError {
  const { osCode, reason, fix } = describeOsError(path, error);
  const code = osCode ? ` (${osCode})` : "";
  return new FingerprintError("FILE_UNREADABLE", `Cannot read file ${path}: ${reason}${code}. To fix: ${fix}.`, {
    path,
    osCode,
  });
}

function directoryUnreadable(path: string, error: unknown): FingerprintError {
  const { osCode, reason, fix } = describeOsError(path, error);
  const code = osCode ? ` (${osCode})` : "";
  return new FingerprintError(
    "DIRECTORY_UNREADABLE",
    `Cannot list directory ${path}: ${reason}${code}. To fix: ${fix}.`,
    { path, osCode },
  );
}

function notAFile(path: string, what: string): FingerprintError {
  const fix = what === "a directory" ? "use fingerprintDirectory for a directory" : "pass a regular file";
  return new FingerprintError(
    "NOT_A_FILE",
    `Cannot fingerprint ${path}: it is ${what}, not a regular file. To fix: ${fix}.`,
    {
      path,
    },
  );
}

function fileChanged(path: string, detail: string): FingerprintError {
  return new FingerprintError(
    "FILE_CHANGED",
    `File ${path} changed while it was being hashed: ${detail}. To fix: fingerprint it once nothing writes to it.`,
    { path },
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Scheme 0: SHA-256 of the content

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

function fileKind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  return "a device or other special file";
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
 * SHA-256 of a file's content (scheme 0), streamed through OpenSSL in constant memory (two 1 MiB buffers).
 * A symbolic link is followed, as sha256sum does. Throws FingerprintError: FILE_UNREADABLE (missing, no permission,
 * I/O error), NOT_A_FILE (a directory or special file), FILE_CHANGED (its size changed while it was read).
 */
export async function fingerprintFile(path: string, options: FingerprintFileOptions = {}): Promise<Hex> {
  if (typeof path !== "string" || path === "") {
    throw new FingerprintError("INVALID_INPUT", `path must be a non-empty string, got ${preview(path)}`);
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
        "INVALID_INPUT",
        `The stream yielded ${kindOf(chunk)} instead of bytes (Buffer or Uint8Array). To fix: do not call ` +
          "setEncoding on it.",
      );
    }
    hash.update(chunk);
    bytesRead += chunk.byteLength;
    onProgress?.(bytesRead, totalBytes);
  }
  return `0x${hash.digest("hex")}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Scheme 1: salted commitments

/** A salted fingerprint with what is needed to disclose it later. Keep `salt` secret until disclosure. */
export interface Commitment {
  /** keccak256(salt || contentSha256): what is registered on chain with scheme 1. */
  fingerprint: Hex;
  salt: Hex;
  contentSha256: Hex;
}

/** A fresh random 32-byte salt from the OS's CSPRNG. */
export function generateSalt(): Hex {
  return `0x${randomBytes(32).toString("hex")}`;
}

/** keccak256(salt || contentSha256) (scheme 1); both arguments are 32 bytes. */
export function saltedFingerprint(contentSha256: Hex, salt: Hex): Hex {
  return keccak256(concat([expectBytes32("salt", salt), expectBytes32("contentSha256", contentSha256)]));
}

/** Commits to `data` under `salt` (a fresh one by default). */
export function commitBytes(data: Uint8Array | string, options: { salt?: Hex } = {}): Commitment {
  const contentSha256 = fingerprintBytes(data);
  const salt = options.salt === undefined ? generateSalt() : expectBytes32("salt", options.salt);
  return { fingerprint: saltedFingerprint(contentSha256, salt), salt, contentSha256 };
}

/** Commits to a file's content under `salt` (a fresh one by default). Errors as fingerprintFile. */
export async function commitFile(
  path: string,
  options: FingerprintFileOptions & { salt?: Hex } = {},
): Promise<Commitment> {
  const salt = options.salt === undefined ? generateSalt() : expectBytes32("salt", options.salt);
  const contentSha256 = await fingerprintFile(path, { onProgress: options.onProgress });
  return { fingerprint: saltedFingerprint(contentSha256, salt), salt, contentSha256 };
}

/** What an owner discloses: the salt and the content's SHA-256 or the content itself (or both, which must agree). */
export type Disclosure = { fingerprint: Hex; salt: Hex } & (
  { contentSha256: Hex; data?: Uint8Array | string } | { data: Uint8Array | string; contentSha256?: Hex }
);

/**
 * Whether a disclosure opens the commitment `fingerprint`. Malformed hex throws INVALID_HEX rather than returning
 * false, so that a typo is not mistaken for a forgery.
 */
export function verifyDisclosure(disclosure: Disclosure): boolean {
  const fingerprint = expectBytes32("fingerprint", disclosure.fingerprint);
  const salt = expectBytes32("salt", disclosure.salt);
  const { data, contentSha256: claimed } = disclosure;
  if (data === undefined && claimed === undefined) {
    throw new FingerprintError("INVALID_INPUT", "A disclosure needs `contentSha256` or `data`");
  }
  const contentSha256 = data === undefined ? expectBytes32("contentSha256", claimed) : fingerprintBytes(data);
  if (claimed !== undefined && expectBytes32("contentSha256", claimed) !== contentSha256) return false;
  return saltedFingerprint(contentSha256, salt) === fingerprint;
}

// ---------------------------------------------------------------------------------------------------------------------
// Metadata: RFC 8785 canonical JSON

function invalidJson(pointer: string, why: string): FingerprintError {
  return new FingerprintError("INVALID_JSON", `Cannot canonicalize the value at ${pointer || "the top level"}: ${why}`);
}

/** A lone UTF-16 surrogate: RFC 8785 (I-JSON) requires well-formed Unicode. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Rejects what RFC 8785 cannot represent, rather than let JSON rules silently turn it into null or drop it. */
function checkJson(value: unknown, pointer: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case "boolean":
      return;
    case "string":
      if (LONE_SURROGATE.test(value)) throw invalidJson(pointer, "the string holds a lone UTF-16 surrogate");
      return;
    case "number":
      if (!Number.isFinite(value)) throw invalidJson(pointer, `${value} is not a JSON number`);
      return;
    case "object":
      break;
    default:
      throw invalidJson(pointer, `${kindOf(value)} is not JSON`);
  }
  if (value === null) return;
  if (ancestors.has(value)) throw invalidJson(pointer, "the value contains itself");
  ancestors.add(value);
  if (Array.isArray(value)) {
    // A plain loop, not forEach: holes in a sparse array must be seen (and refused), not skipped.
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === undefined) throw invalidJson(`${pointer}/${index}`, "undefined or a hole is not JSON (use null)");
      checkJson(item, `${pointer}/${index}`, ancestors);
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw invalidJson(pointer, `a ${name} is not a plain object (convert it first, e.g. a Date to an ISO string)`);
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPointer = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (LONE_SURROGATE.test(key)) throw invalidJson(itemPointer, "the key holds a lone UTF-16 surrogate");
      // As JSON.stringify does: a member whose value is undefined is left out.
      if (item !== undefined) checkJson(item, itemPointer, ancestors);
    }
  }
  ancestors.delete(value);
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object members sorted by their UTF-16 code units,
 * no whitespace, ECMAScript number formatting, minimal string escapes. Members whose value is undefined are left out;
 * anything else that is not JSON (undefined elsewhere, NaN, Infinity, bigint, a Date or other class instance, a cycle,
 * a lone surrogate) throws INVALID_JSON naming its JSON pointer.
 */
export function canonicalJson(value: unknown): string {
  checkJson(value, "", new Set());
  const text = canonicalize(value);
  if (text === undefined) throw invalidJson("", "the value is not JSON");
  return text;
}

/** The on-chain `metadataHash`: keccak256 of the UTF-8 bytes of `canonicalJson(value)`. */
export function metadataHash(value: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson(value)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Scheme 2: directory manifests

export interface ManifestEntry {
  /** Relative to the directory, "/"-separated. */
  path: string;
  size: number;
  sha256: Hex;
}

export type NonRegularFileType = "symlink" | "fifo" | "socket" | "block-device" | "character-device" | "unknown";

export interface SkippedEntry {
  path: string;
  type: NonRegularFileType;
}

export interface DirectoryManifest {
  scheme: typeof Scheme.MANIFEST_ROOT;
  /** The fingerprint to register with scheme 2. */
  root: Hex;
  /** Sorted by the UTF-8 bytes of `path`. */
  entries: ManifestEntry[];
  fileCount: number;
  totalBytes: number;
  /** Links and special files left out (only with `nonRegularFiles: "skip"`). */
  skipped: SkippedEntry[];
}

export interface DirectoryProgress {
  filesHashed: number;
  totalFiles: number;
  /** Never decreases. Ends at `totalBytes` unless files changed size since they were listed. */
  bytesHashed: number;
  /** The sum of the file sizes when the directory was listed. */
  totalBytes: number;
  /** The file this update is about. */
  path: string;
  /** The worker thread hashing it (worker_threads threadId), for diagnostics. */
  threadId: number;
}

export interface FingerprintDirectoryOptions {
  /** Files hashed at once, each on its own worker thread. Default: os.availableParallelism(). */
  concurrency?: number;
  onProgress?: (progress: DirectoryProgress) => void;
  /** What to do with symbolic links, FIFOs, sockets and devices inside the directory. Default "error". */
  nonRegularFiles?: "error" | "skip";
}

/** Sorts by the UTF-8 bytes of `path` (not JavaScript's UTF-16 order), encoding each path once. */
function sortByPath<T extends { path: string }>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: Buffer.from(item.path, "utf8") }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ item }) => item);
}

/** keccak256(abi.encode(string path, uint256 size, bytes32 sha256)): the value of an entry's leaf. */
export function manifestLeaf(entry: ManifestEntry): Hex {
  checkEntry(entry);
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint256" }, { type: "bytes32" }],
      [entry.path, BigInt(entry.size), expectBytes32(`sha256 of ${entry.path}`, entry.sha256)],
    ),
  );
}

function checkEntry(entry: ManifestEntry): void {
  const segments = typeof entry.path === "string" ? entry.path.split("/") : [];
  if (segments.length === 0 || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new FingerprintError(
      "INVALID_INPUT",
      `Manifest path ${preview(entry.path)} must be relative and "/"-separated, without empty, "." or ".." segments`,
    );
  }
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new FingerprintError(
      "INVALID_INPUT",
      `Size of ${entry.path} must be a non-negative integer, got ${entry.size}`,
    );
  }
}

/**
 * The scheme-2 root of manifest entries in any order (see the module comment), for a third party recomputing it from a
 * published manifest. Throws INVALID_INPUT for no entries, duplicate or malformed paths, INVALID_HEX for a bad sha256.
 */
export function manifestRoot(entries: readonly ManifestEntry[]): Hex {
  if (entries.length === 0) throw new FingerprintError("INVALID_INPUT", "A manifest needs at least one entry");
  const sorted = sortByPath(entries);
  const leaves: Hex[] = [];
  sorted.forEach((entry, index) => {
    if (index > 0 && sorted[index - 1].path === entry.path) {
      throw new FingerprintError("INVALID_INPUT", `Manifest path ${entry.path} appears twice`);
    }
    leaves.push(manifestLeaf(entry));
  });
  // The same root as @openzeppelin/merkle-tree's StandardMerkleTree (the tests pin it), ~70 x faster.
  return buildBatchTree(leaves).root;
}

/** Files queued on one worker at a time by fingerprintDirectory. */
const PIPELINE_DEPTH = 3;

const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

interface ListedFile {
  path: string;
  absolute: string;
  size: number;
}

function nonRegularType(entry: {
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): NonRegularFileType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice()) return "block-device";
  if (entry.isCharacterDevice()) return "character-device";
  return "unknown";
}

/** Lists the regular files under `root` without following links; sizes come from lstat. */
async function listDirectory(root: string): Promise<{ files: ListedFile[]; nonRegular: SkippedEntry[] }> {
  const files: ListedFile[] = [];
  const nonRegular: SkippedEntry[] = [];
  const pending: { absolute: string; path: string }[] = [{ absolute: root, path: "" }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const directory = next;
    let dirents;
    try {
      dirents = await readdir(directory.absolute, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      throw directoryUnreadable(directory.absolute, error);
    }
    const found = await Promise.all(
      dirents.map(async (dirent) => {
        let name: string;
        try {
          name = utf8Strict.decode(dirent.name);
        } catch {
          const shown = dirent.name.toString("utf8");
          throw new FingerprintError(
            "INVALID_FILE_NAME",
            `The name of ${join(directory.absolute, shown)} is not valid UTF-8 (bytes ${dirent.name.toString("hex")}), ` +
              "so it has no manifest path. To fix: rename it (e.g. with convmv to UTF-8).",
            { path: join(directory.absolute, shown) },
          );
        }
        const absolute = join(directory.absolute, name);
        const path = directory.path === "" ? name : `${directory.path}/${name}`;
        if (dirent.isDirectory()) return { kind: "directory" as const, absolute, path };
        if (!dirent.isFile()) return { kind: "other" as const, path, type: nonRegularType(dirent) };
        try {
          const stats = await lstat(absolute);
          // Re-checked: the entry may have changed since it was listed.
          if (!stats.isFile()) return { kind: "other" as const, path, type: nonRegularType(stats) };
          return { kind: "file" as const, absolute, path, size: stats.size };
        } catch (error) {
          throw fileUnreadable(absolute, error);
        }
      }),
    );
    for (const item of found) {
      if (item.kind === "directory") pending.push({ absolute: item.absolute, path: item.path });
      else if (item.kind === "file") files.push({ absolute: item.absolute, path: item.path, size: item.size });
      else nonRegular.push({ path: item.path, type: item.type });
    }
  }
  return { files, nonRegular };
}

// The worker pool, shared by all calls, grown on demand and never shrunk. A call takes `concurrency` workers for
// itself and gives them back when done. Idle workers are unref'd so that they do not keep the process alive;
// closeFingerprintPool() ends them.

interface HashResult {
  sha256: Hex;
  size: number;
  threadId: number;
}

interface Job {
  path: string;
  onBytes: (bytes: number, threadId: number) => void;
  resolve: (result: HashResult) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** Requests sent and not yet answered, by id. */
  jobs: Map<number, Job>;
}

interface Waiter {
  resolve: (worker: PoolWorker) => void;
  reject: (error: Error) => void;
}

let nextJobId = 1;
const poolWorkers = new Set<PoolWorker>();
const idleWorkers: PoolWorker[] = [];
const waiting: Waiter[] = [];

let workerScript: { script: string; eval: boolean } | undefined;

/**
 * How to start a worker: the compiled worker.js beside this file or, when this file runs as TypeScript
 * (ts-node, as in the tests), worker.ts transpiled here once and run as code. Transpiling in this thread
 * reuses the TypeScript compiler ts-node has already loaded, where registering ts-node in each worker would load a
 * compiler per thread (about a second and 100 MB each). The worker imports only node built-ins, so its code runs as is.
 */
async function loadWorkerScript(): Promise<{ script: string; eval: boolean }> {
  if (workerScript !== undefined) return workerScript;
  if (!__filename.endsWith(".ts")) {
    workerScript = { script: join(__dirname, "worker.js"), eval: false };
    return workerScript;
  }
  const entry = join(__dirname, "worker.ts");
  let ts: typeof import("typescript");
  try {
    ts = await import("typescript");
  } catch {
    throw new FingerprintError(
      "WORKER_FAILED",
      "Running from TypeScript sources, hashing workers need the typescript package, which cannot be found. To fix: " +
        "install typescript, or run the compiled JavaScript.",
    );
  }
  const { outputText } = ts.transpileModule(await readFile(entry, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: entry,
  });
  workerScript = { script: outputText, eval: true };
  return workerScript;
}

/** Drops a dead worker, fails its jobs, and starts a replacement for a caller waiting for one. */
function retire(pooled: PoolWorker, error: Error): void {
  if (!poolWorkers.delete(pooled)) return;
  const index = idleWorkers.indexOf(pooled);
  if (index >= 0) idleWorkers.splice(index, 1);
  for (const job of pooled.jobs.values()) job.reject(error);
  pooled.jobs.clear();
  const waiter = waiting.shift();
  if (waiter !== undefined) {
    try {
      waiter.resolve(spawnWorker());
    } catch (spawnError) {
      waiter.reject(spawnError as Error);
    }
  }
}

/** Starts a worker; loadWorkerScript() must have run. */
function spawnWorker(): PoolWorker {
  const start = workerScript;
  if (start === undefined) throw new Error("fingerprint: loadWorkerScript() must run before spawnWorker()");
  const worker = new Worker(start.script, { eval: start.eval });
  const pooled: PoolWorker = { worker, jobs: new Map() };
  poolWorkers.add(pooled);
  worker.on("message", (message: WorkerMessage) => {
    const job = pooled.jobs.get(message.id);
    if (job === undefined) return;
    if (message.type === "progress") {
      try {
        job.onBytes(message.bytes, worker.threadId);
      } catch (error) {
        // Thrown by the caller's onProgress: fail the job rather than the process (this is an event listener).
        pooled.jobs.delete(message.id);
        job.reject(error as Error);
      }
      return;
    }
    pooled.jobs.delete(message.id);
    if (message.type === "done") {
      job.resolve({ sha256: `0x${message.sha256}`, size: message.size, threadId: worker.threadId });
    } else if (message.code === "FILE_CHANGED") {
      job.reject(fileChanged(job.path, message.reason));
    } else if (message.code === "NOT_A_FILE") {
      job.reject(notAFile(job.path, message.reason.replace(/^it (is|became) /, "")));
    } else {
      job.reject(fileUnreadable(job.path, Object.assign(new Error(message.reason), { code: message.osCode })));
    }
  });
  worker.on("error", (error) => {
    retire(pooled, new FingerprintError("WORKER_FAILED", `A hashing worker thread failed: ${error.message}`));
  });
  worker.on("exit", (exitCode) => {
    retire(pooled, new FingerprintError("WORKER_FAILED", `A hashing worker thread exited with code ${exitCode}`));
  });
  return pooled;
}

/** A worker for a caller's exclusive use: an idle one, a new one while fewer than `limit` exist, or the next freed. */
async function acquireWorker(limit: number): Promise<PoolWorker> {
  const pooled =
    idleWorkers.pop() ??
    (poolWorkers.size < limit
      ? spawnWorker()
      : await new Promise<PoolWorker>((resolvePromise, reject) => waiting.push({ resolve: resolvePromise, reject })));
  pooled.worker.ref();
  return pooled;
}

function releaseWorker(pooled: PoolWorker): void {
  if (!poolWorkers.has(pooled)) return;
  const waiter = waiting.shift();
  if (waiter !== undefined) {
    waiter.resolve(pooled);
    return;
  }
  pooled.worker.unref();
  idleWorkers.push(pooled);
}

/** Sends one file to a worker; the worker answers requests in order. */
function hashOnWorker(
  pooled: PoolWorker,
  path: string,
  onBytes: (bytes: number, threadId: number) => void,
): Promise<HashResult> {
  return new Promise<HashResult>((resolvePromise, reject) => {
    const id = nextJobId++;
    pooled.jobs.set(id, { path, onBytes, resolve: resolvePromise, reject });
    pooled.worker.postMessage({ id, path } satisfies HashRequest);
  });
}

/**
 * Ends the hashing worker threads; hashing in progress or queued fails with WORKER_FAILED. New threads start on the
 * next fingerprintDirectory. Optional: idle threads are unref'd and do not keep the process alive.
 */
export async function closeFingerprintPool(): Promise<void> {
  const workers = [...poolWorkers];
  const closed = (): FingerprintError =>
    new FingerprintError("WORKER_FAILED", "closeFingerprintPool() was called while files were being hashed");
  for (const waiter of waiting.splice(0)) waiter.reject(closed());
  poolWorkers.clear();
  idleWorkers.length = 0;
  for (const pooled of workers) {
    for (const job of pooled.jobs.values()) job.reject(closed());
    pooled.jobs.clear();
  }
  await Promise.all(workers.map(({ worker }) => worker.terminate()));
}

/** The number of hashing worker threads alive, for diagnostics and tests. */
export function fingerprintPoolSize(): number {
  return poolWorkers.size;
}

/**
 * The manifest and scheme-2 root of every regular file under `dir` (see the module comment for the exact encoding).
 * Files are hashed in parallel on worker threads, `concurrency` at a time, largest first so that no core idles at the
 * end. Throws FingerprintError: DIRECTORY_UNREADABLE, NOT_A_DIRECTORY, EMPTY_DIRECTORY (no regular file at all),
 * NON_REGULAR_FILE (links or special files inside, unless skipped), INVALID_FILE_NAME, and the file errors of
 * fingerprintFile. On the first error no further file is started; files already being hashed run to their end.
 */
export async function fingerprintDirectory(
  dir: string,
  options: FingerprintDirectoryOptions = {},
): Promise<DirectoryManifest> {
  const { onProgress, nonRegularFiles = "error" } = options;
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new FingerprintError("INVALID_INPUT", `concurrency must be a positive integer, got ${concurrency}`);
  }
  if (nonRegularFiles !== "error" && nonRegularFiles !== "skip") {
    throw new FingerprintError(
      "INVALID_INPUT",
      `nonRegularFiles must be "error" or "skip", got ${preview(nonRegularFiles)}`,
    );
  }
  if (typeof dir !== "string" || dir === "") {
    throw new FingerprintError("INVALID_INPUT", `dir must be a non-empty string, got ${preview(dir)}`);
  }
  const root = resolve(dir);
  try {
    if (!(await stat(root)).isDirectory()) {
      throw new FingerprintError(
        "NOT_A_DIRECTORY",
        `Cannot fingerprint ${root} as a directory: it is not one. To fix: use fingerprintFile for a single file.`,
        { path: root },
      );
    }
  } catch (error) {
    if (error instanceof FingerprintError) throw error;
    throw directoryUnreadable(root, error);
  }

  const { files, nonRegular } = await listDirectory(root);
  const skipped = sortByPath(nonRegular);
  if (skipped.length > 0 && nonRegularFiles === "error") {
    const shown = skipped.slice(0, 10).map((entry) => `${entry.path} (${entry.type})`);
    const more = skipped.length > shown.length ? `, and ${skipped.length - shown.length} more` : "";
    throw new FingerprintError(
      "NON_REGULAR_FILE",
      `${root} holds ${skipped.length} symbolic link(s) or special file(s), which a manifest cannot cover: ` +
        `${shown.join(", ")}${more}. To fix: replace links by copies of their targets or remove them, or pass ` +
        '{ nonRegularFiles: "skip" } to leave them out.',
      { path: root },
    );
  }
  if (files.length === 0) {
    throw new FingerprintError(
      "EMPTY_DIRECTORY",
      `${root} holds no regular file (at any depth), so there is nothing to fingerprint. To fix: check the path.`,
      { path: root },
    );
  }

  await loadWorkerScript();
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  // Largest first, so that the last files to finish are small ones and no worker idles long at the end.
  const queue = [...files].sort((a, b) => b.size - a.size);
  let queued = 0;
  const hashed = new Map<string, HashResult>();
  let bytesHashed = 0;
  let failed = false;
  const report = (path: string, threadId: number): void => {
    if (!failed) {
      onProgress?.({ filesHashed: hashed.size, totalFiles: files.length, bytesHashed, totalBytes, path, threadId });
    }
  };
  // One lane per worker. A lane keeps PIPELINE_DEPTH files queued on its worker, so that the worker starts the next
  // file as soon as it finishes one instead of idling while its answer and the next request cross threads.
  const lane = async (): Promise<void> => {
    const pooled = await acquireWorker(concurrency);
    const inFlight = new Set<Promise<void>>();
    try {
      while (!failed && (queued < queue.length || inFlight.size > 0)) {
        while (!failed && queued < queue.length && inFlight.size < PIPELINE_DEPTH) {
          const { path, absolute } = queue[queued++];
          let counted = 0;
          const onBytes = (bytes: number, threadId: number): void => {
            counted += bytes;
            bytesHashed += bytes;
            report(path, threadId);
          };
          const done: Promise<void> = hashOnWorker(pooled, absolute, onBytes)
            .then((result) => {
              bytesHashed += result.size - counted;
              hashed.set(path, result);
              report(path, result.threadId);
            })
            .finally(() => inFlight.delete(done));
          inFlight.add(done);
        }
        if (inFlight.size > 0) await Promise.race(inFlight);
      }
    } finally {
      releaseWorker(pooled);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, lane));
  } catch (error) {
    failed = true;
    throw error;
  }

  const entries = sortByPath(
    files.map(({ path }) => {
      const { size, sha256 } = hashed.get(path) as HashResult;
      return { path, size, sha256 };
    }),
  );
  return {
    scheme: Scheme.MANIFEST_ROOT,
    root: manifestRoot(entries),
    entries,
    fileCount: entries.length,
    totalBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
    skipped,
  };
}
