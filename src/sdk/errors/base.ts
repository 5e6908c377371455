/**
 * The root of every error the SDK throws on purpose, in viem's style (`BaseError`): a short message saying what went
 * wrong, details saying how to fix it, and a docs path. `retryable` tells a caller (the indexer's sync, a CLI
 * retrying a request) whether the same call may succeed later without any change: a dropped connection or a rate
 * limit may, a revert or a malformed argument never does.
 */

export interface ProvledgerErrorOptions {
  /** The error this one wraps (what viem, the node or the file system threw). */
  cause?: unknown;
  /** The SDK action that failed, e.g. "register". */
  action?: string;
  /** How to fix it; split off the message when left out (see `ProvledgerError`). */
  details?: string;
  /** Where docs/ explains it; defaults to the class's section of docs/errors.md. */
  docsPath?: string;
  /** Whether the same call may succeed later without a change (default false). */
  retryable?: boolean;
}

/** "InvalidInputError" -> "invalidinputerror", the anchor of its section in docs/errors.md. */
function anchorOf(name: string): string {
  return name.toLowerCase();
}

/**
 * Splits a one-line message "cause; fix" (or "cause: fix") at its first semicolon, else its last colon: the SDK's
 * messages all name the cause first and the fix after.
 */
function splitMessage(message: string): { shortMessage: string; details?: string } {
  const semicolon = message.indexOf("; ");
  const at = semicolon >= 0 ? semicolon : message.lastIndexOf(": ");
  if (at <= 0) return { shortMessage: message };
  return { shortMessage: message.slice(0, at), details: message.slice(at + 2) };
}

/**
 * Base of every SDK error. `code` says what happened (PascalCase: `InvalidInput`, `AlreadyRegistered`, `FileChanged`),
 * `name` is the class, `message` is the whole sentence (cause, then fix), `shortMessage` the cause and `details` the
 * fix.
 */
export class ProvledgerError<C extends string = string> extends Error {
  override name = "ProvledgerError";
  readonly code: C;
  /** What went wrong. */
  readonly shortMessage: string;
  /** How to fix it, if the message says. */
  readonly details?: string;
  /** Whether the same call may succeed later without a change (a network fault), as opposed to never (a revert). */
  readonly retryable: boolean;
  /** The SDK action that failed, e.g. "register". */
  readonly action?: string;

  constructor(code: C, message: string, options: ProvledgerErrorOptions = {}) {
    const parts = options.details === undefined ? splitMessage(message) : { shortMessage: message, ...options };
    super(
      options.details === undefined ? message : `${message}; ${options.details}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.shortMessage = parts.shortMessage;
    if (parts.details !== undefined) this.details = parts.details;
    this.retryable = options.retryable ?? false;
    if (options.action !== undefined) this.action = options.action;
    this.#docsPath = options.docsPath;
  }

  readonly #docsPath?: string;

  /** The section of the repository's docs that explains this error, e.g. "docs/errors.md#invalidinputerror". */
  get docsPath(): string {
    // A getter: subclasses set `name` after this constructor has run.
    return this.#docsPath ?? `docs/errors.md#${anchorOf(this.name)}`;
  }

  /** Walks the chain of causes, returning the first for which `predicate` holds (or the last, without one). */
  walk(predicate?: (error: unknown) => boolean): unknown {
    return walkCauses(this, predicate);
  }
}

function walkCauses(error: unknown, predicate?: (error: unknown) => boolean): unknown {
  let current = error;
  for (let depth = 0; depth < 32; depth++) {
    if (predicate?.(current)) return current;
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) return predicate ? undefined : current;
    current = next;
  }
  return undefined;
}

export function isProvledgerError(error: unknown): error is ProvledgerError {
  return error instanceof ProvledgerError;
}

/** Whether retrying the same call may succeed: true only for a ProvledgerError that says so. */
export function isRetryableError(error: unknown): boolean {
  return error instanceof ProvledgerError && error.retryable;
}
