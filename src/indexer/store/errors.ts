/** The store's error (docs/indexer-store.md#errors): one class, a code per way a commit, a rollback or a database fails. */
import { ProvledgerError } from "../../sdk";

export type StoreErrorCode =
  /** The URL is neither a SQLite path nor a `postgres://` URL, or its `schema` is not a plain identifier. */
  | "InvalidUrl"
  /** The database was migrated by a newer indexer: this code does not know one of its applied migrations. */
  | "NewerSchema"
  /** A migration failed. */
  | "MigrationFailed"
  /** The database already records another deployment's identity. */
  | "ConflictingIdentity"
  /** An event with the same (block, log index) but another block hash is stored: a reorganisation was missed. */
  | "ConflictingEvent"
  /** A block with the same number but another hash is stored. */
  | "ConflictingBlock"
  /** The range is malformed: events out of order, outside the range, or in a block the range does not list. */
  | "InvalidRange"
  /** A handler read a row its event's `eventKeys` did not name, so the working set did not load it. */
  | "WorkingSetMiss"
  /** The identity or checkpoint table holds something this code cannot read. */
  | "CorruptStore"
  /** Waiting for the writer lock was aborted. */
  | "LockAborted"
  /** The store was used after `close()`. */
  | "Closed"
  /** A reader was opened on a database that does not exist or was never migrated by the indexer. */
  | "NotAStore"
  /** A reader's query ran past its statement timeout (PostgreSQL) and was cancelled. */
  | "QueryTimeout"
  /** A reader was asked to write. */
  | "ReadOnly";

export class StoreError extends ProvledgerError<StoreErrorCode> {
  override name = "StoreError";

  constructor(code: StoreErrorCode, message: string, options: { details?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, docsPath: "docs/indexer-store.md#errors" });
  }
}
