import { ProvledgerError, type ProvledgerErrorOptions } from "./base";

/** Why a value is not a receipt this SDK reads. */
export type ReceiptFormatErrorCode =
  /** The text is not JSON. */
  | "NotJson"
  /** The value breaks the version 1 schema or an integer range (`problems` lists each). */
  | "InvalidReceipt"
  /** The text is a well-formed receipt, but not spelt as `stringifyReceipt` writes it. */
  | "NonCanonicalReceipt";

/**
 * The value is not a well-formed version 1 receipt, or its text is not the receipt's one canonical spelling;
 * `problems` lists every problem found, one sentence each. Never retryable: the same text fails the same way.
 */
export class ReceiptFormatError extends ProvledgerError<ReceiptFormatErrorCode> {
  override name = "ReceiptFormatError";
  readonly problems: readonly string[];

  constructor(code: ReceiptFormatErrorCode, problems: readonly string[], details: string) {
    const what =
      code === "NonCanonicalReceipt"
        ? "not a provenance receipt's canonical text"
        : code === "NotJson"
          ? "not a provenance receipt"
          : `not a valid provenance receipt (version 1), ${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    super(code, `${what}: ${problems.join("; ")}`, { details });
    this.problems = problems;
  }
}

/** What the chain does not hold that a receipt was asked for. */
export type ReceiptBuildErrorCode =
  /** The node knows no such transaction (yet: a transaction just sent may not be mined). */
  | "TransactionNotFound"
  /** The transaction reverted, so it logged nothing. */
  | "TransactionReverted"
  /** The transaction has no such event of the ledger (no RecordRegistered, no BatchAnchored, no log at the index). */
  | "EventNotFound"
  /** The transaction registered several records, and the request did not say which. */
  | "AmbiguousEvent"
  /** The member's proof leads to a root the transaction did not anchor. */
  | "RootNotAnchored"
  /** The ledger-wide entry before the event's cannot be found (a pruned node, or not the ledger's chain). */
  | "PredecessorNotFound";

/**
 * A receipt cannot be built from the chain: the transaction, event or batch it names is not there. Retryable only
 * when talking to the node failed transiently (`cause` says how).
 */
export class ReceiptBuildError extends ProvledgerError<ReceiptBuildErrorCode> {
  override name = "ReceiptBuildError";

  constructor(code: ReceiptBuildErrorCode, message: string, options: ProvledgerErrorOptions = {}) {
    super(code, message, options);
  }
}
