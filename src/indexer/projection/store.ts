/**
 * The one interface the handlers write through and `authorize` reads through. The memory store (memory.ts) implements
 * it today; the indexer's SQLite and PostgreSQL stores implement the same interface.
 *
 * Synchronous, on purpose. Every row a handler reads or writes is named by its event's own arguments (`eventKeys`),
 * so a store never has to wait inside a handler: a database store loads a block range's working set in a few batched
 * queries before the range (`WHERE key = ANY($1)`), runs the handlers over it in memory, and writes the rows that
 * changed in the transaction that also writes the range's checkpoint. That is what a range of thousands of events
 * needs to be quick: a PostgreSQL round trip per read (0.1 to 0.3 ms) would cap ingest below 5,000 events/s however
 * the handlers were written, and Ponder's asynchronous store ends up doing the same (prefetch, cache, batched
 * flush); its `await` exists for user code that may miss the cache, which a closed handler table does not have.
 * better-sqlite3 is synchronous anyway. And without an `await` no handler can interleave with another, so replay,
 * audit and tests stay plain loops.
 */
import type { TableKey, TableName, TableValue } from "./state";

/** Reads one row; `undefined` if it was never written (or was deleted). */
export type ProjectionReader = {
  get<T extends TableName>(table: T, key: TableKey<T>): TableValue<T> | undefined;
};

export type ProjectionStore = ProjectionReader & {
  /** Writes the row under `key` (its own key: `put("records", row.fingerprint, row)`), replacing any before it. */
  put<T extends TableName>(table: T, key: TableKey<T>, value: TableValue<T>): void;
  /** Removes the row under `key`, if any. */
  delete<T extends TableName>(table: T, key: TableKey<T>): void;
};
