/**
 * The indexer's errors, under the SDK's root (`ProvledgerError`): each says what was wrong, where (block, sequence,
 * record) and what to do. The store's and sync's own errors live in their folders.
 */
import { ProvledgerError } from "../sdk";
import type { RawLog } from "./types";

/** A log of the deployment that the indexer cannot turn into an event. */
export class IndexerEventError extends ProvledgerError<"UndecodableLog"> {
  override name = "IndexerEventError";
  readonly blockNumber: bigint;
  readonly logIndex: number;

  constructor(log: RawLog, reason: string) {
    super("UndecodableLog", `log ${log.logIndex} of block ${log.blockNumber} (${log.address}) cannot be indexed`, {
      details: reason,
    });
    this.blockNumber = log.blockNumber;
    this.logIndex = log.logIndex;
  }
}

export type IndexerErrorCode =
  /** The node serves another chain than the store indexes, or than configured. */
  | "ChainMismatch"
  /** An address is not a contract of this deployment (no code, or a different contract). */
  | "NotThisDeployment"
  /** The deployment block's hash differs from the stored one: the chain was reset. */
  | "ChainReset"
  /** The database was made for another deployment. */
  | "OtherDeployment"
  /** Ledger sequence numbers are not contiguous. */
  | "SequenceGap"
  /** The head recomputed from stored events differs from the chain's. */
  | "HeadMismatch"
  /** A reorganisation deeper than the confirmation depth, not allowed by the operator. */
  | "DeepReorg"
  /** Bad configuration. */
  | "InvalidConfig";

/** The indexer refuses to go on: each code means it would otherwise index something wrong, so it halts. */
export class IndexerError extends ProvledgerError<IndexerErrorCode> {
  override name = "IndexerError";
  readonly blockNumber?: bigint;
  readonly ledgerSequence?: bigint;

  constructor(
    code: IndexerErrorCode,
    message: string,
    options: { details?: string; blockNumber?: bigint; ledgerSequence?: bigint; cause?: unknown } = {},
  ) {
    super(code, message, { details: options.details, cause: options.cause });
    if (options.blockNumber !== undefined) this.blockNumber = options.blockNumber;
    if (options.ledgerSequence !== undefined) this.ledgerSequence = options.ledgerSequence;
  }
}
