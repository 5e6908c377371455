import type { Hex } from "viem";
import { ProvledgerError, type ProvledgerErrorOptions } from "./base";
import { isTransientOsCode } from "./fingerprint";

export type BatchTreeErrorCode =
  /** No fingerprint was given. */
  | "EmptyBatch"
  /** More fingerprints than MAX_BATCH_LEAVES. */
  | "TooManyLeaves"
  /** The fingerprints are neither an array of hex strings nor bytes. */
  | "NotAnArray"
  /** The JavaScript runtime has no WebAssembly, which the tree's hashing runs on. */
  | "NoWebAssembly"
  /** InvalidFingerprintError. */
  | "InvalidFingerprint"
  /** LeafNotFoundError. */
  | "LeafNotFound"
  /** InvalidBatchDumpError. */
  | "InvalidBatchDump";

/** Building or reading a batch tree failed. Never retryable: the same input fails the same way. */
export class BatchTreeError<C extends BatchTreeErrorCode = BatchTreeErrorCode> extends ProvledgerError<C> {
  override name = "BatchTreeError";
}

/** A value that must be 32 bytes as 0x-prefixed hex (a fingerprint, a root or a proof node) is not. */
export class InvalidFingerprintError extends BatchTreeError<"InvalidFingerprint"> {
  override name = "InvalidFingerprintError";
  /** Where the value was, e.g. "fingerprints[3]" or "proof[0]". */
  readonly label: string;
  readonly value: unknown;

  constructor(label: string, value: unknown) {
    super("InvalidFingerprint", `${label} must be 32 bytes as 0x-prefixed hex, got ${describeValue(value)}`, {
      details: "write it as 0x followed by 64 hex digits (66 characters)",
    });
    this.label = label;
    this.value = value;
  }
}

/** `proof` or `at` was asked for an index out of range, or `proof` for a fingerprint that is not in the tree. */
export class LeafNotFoundError extends BatchTreeError<"LeafNotFound"> {
  override name = "LeafNotFoundError";
  readonly leaf: number | Hex;

  constructor(leaf: number | Hex, leafCount?: number) {
    const [message, details] =
      typeof leaf === "number"
        ? [
            `no fingerprint at index ${leaf}`,
            leafCount === undefined ? "pass an index of the tree" : `pass an index from 0 to ${leafCount - 1}`,
          ]
        : [`fingerprint ${String(leaf)} is not in the tree`, "prove it against the batch that holds it"];
    super("LeafNotFound", message, { details });
    this.leaf = leaf;
  }
}

/** `loadBatchTree` was given something that is not a valid standard-v1 ["bytes32"] dump. */
export class InvalidBatchDumpError extends BatchTreeError<"InvalidBatchDump"> {
  override name = "InvalidBatchDumpError";

  constructor(problem: string) {
    super("InvalidBatchDump", `invalid batch tree dump: ${problem}`, {
      details: "load a dump as BatchTree.dump() or StandardMerkleTree.dump() wrote it; an altered one never loads",
    });
  }
}

export type BatchFileErrorCode =
  /** The batch files could not be written (nothing is left behind). */
  | "WriteFailed"
  /** A proofs file could not be read. */
  | "ReadFailed"
  /** A manifest or a proof line is not JSON. */
  | "NotJson"
  /** A JSON document is not a batch manifest (format, root, leafCount). */
  | "NotAManifest"
  /** A manifest's tree does not rebuild to the root and size it names. */
  | "ManifestAltered";

export interface BatchFileErrorOptions extends ProvledgerErrorOptions {
  /** The file concerned. */
  path?: string;
  /** The system's code, e.g. "EACCES", for a file-system failure. */
  osCode?: string;
}

/**
 * A batch manifest or proofs file cannot be written or read; the message names the file (and the line) and the
 * problem. Retryable only for a transient OS code (too many open files, a busy or interrupted call).
 */
export class BatchFileError extends ProvledgerError<BatchFileErrorCode> {
  override name = "BatchFileError";
  readonly path?: string;
  readonly osCode?: string;

  constructor(code: BatchFileErrorCode, message: string, options: BatchFileErrorOptions = {}) {
    const { path, osCode, ...rest } = options;
    super(code, message, { ...rest, retryable: rest.retryable ?? isTransientOsCode(osCode) });
    if (path !== undefined) this.path = path;
    if (osCode !== undefined) this.osCode = osCode;
  }
}

/** A bad value for a message: its size for bytes, its type for non-strings, a long string shortened (and its length). */
export function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value !== "string")
    return Array.isArray(value) ? "an array" : `a ${value === null ? "null" : typeof value}`;
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `"${shown}" (${value.length} characters)`;
}
