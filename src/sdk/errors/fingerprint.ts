import { ProvledgerError, type ProvledgerErrorOptions } from "./base";

export type FingerprintErrorCode =
  /** A file does not exist or cannot be opened or read. */
  | "FileUnreadable"
  /** A path given (or found) as a file is a directory, FIFO, socket, device or link. */
  | "NotAFile"
  /** A file's size changed while it was being hashed. */
  | "FileChanged"
  /** A directory does not exist or cannot be listed. */
  | "DirectoryUnreadable"
  /** A path given as a directory is not one. */
  | "NotADirectory"
  /** A directory holds no regular file, so there is nothing to fingerprint. */
  | "EmptyDirectory"
  /** A directory holds symbolic links or special files (and `nonRegularFiles` is "error"). */
  | "NonRegularFile"
  /** A file name is not valid UTF-8, so it has no manifest path. */
  | "InvalidFileName"
  /** A hex string is malformed or of the wrong length. */
  | "InvalidHex"
  /** Any other argument is invalid. */
  | "InvalidInput"
  /** A value cannot be represented as RFC 8785 JSON. */
  | "InvalidJson"
  /** A hashing worker thread could not start or died. */
  | "WorkerFailed";

/**
 * OS error codes that may clear by themselves: open-file limits reached by other work, a busy or interrupted call.
 * Missing files and denied permissions need a change before a retry can succeed.
 */
const TRANSIENT_OS_CODES = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY", "EINTR"]);

/** Whether a file-system error code is one that a later retry may not meet again. */
export function isTransientOsCode(osCode: string | undefined): boolean {
  return osCode !== undefined && TRANSIENT_OS_CODES.has(osCode);
}

export interface FingerprintErrorOptions extends ProvledgerErrorOptions {
  /** The file or directory concerned. */
  path?: string;
  /** The system's code, e.g. "ENOENT" or "EACCES". */
  osCode?: string;
}

/**
 * Fingerprinting bytes, a file, a stream or a directory failed. `path` is set for file-system errors, `osCode` when
 * the OS gave one.
 *
 * Retryable by default: `FileChanged` (a file still being written settles, and the same call then succeeds: retry once
 * the writer is done), `FileUnreadable` and `DirectoryUnreadable` only for transient OS codes (too many open files, a
 * busy or interrupted call), and `WorkerFailed` when a worker died or the pool was closed (the next call starts new
 * workers); never when the worker script cannot be loaded. Everything else needs a change first.
 */
export class FingerprintError extends ProvledgerError<FingerprintErrorCode> {
  override name = "FingerprintError";
  readonly path?: string;
  readonly osCode?: string;

  constructor(code: FingerprintErrorCode, message: string, options: FingerprintErrorOptions = {}) {
    const { path, osCode, ...rest } = options;
    super(code, message, { ...rest, retryable: rest.retryable ?? retryableByDefault(code, osCode) });
    if (path !== undefined) this.path = path;
    if (osCode !== undefined) this.osCode = osCode;
  }
}

function retryableByDefault(code: FingerprintErrorCode, osCode: string | undefined): boolean {
  switch (code) {
    case "FileChanged":
    case "WorkerFailed":
      return true;
    case "FileUnreadable":
    case "DirectoryUnreadable":
      return isTransientOsCode(osCode);
    default:
      return false;
  }
}
