/**
 * The indexer's store: one interface, two databases (SQLite through better-sqlite3, PostgreSQL through pg), one schema
 * and one code path over Kysely. `createStore(url)` picks the dialect from the URL.
 */
import type { TableKey, TableName, TableValue } from "../projection";
import type { BlockRef, Checkpoint, RangeCommit, StoreIdentity, StoredEvent } from "../types";

export type StoreDialect = "sqlite" | "postgres";

/** Releases the writer lock (also released by the database when the holder's process or connection dies). */
export type WriterLock = { release(): Promise<void> };

export type IndexerStore = {
  readonly dialect: StoreDialect;
  /** The URL it was opened with, any password masked: for logs and errors. */
  readonly description: string;

  /** Applies the versioned migrations not applied yet; refuses a database whose schema is newer than this code. */
  migrate(): Promise<void>;

  /**
   * Waits until this process is the database's only writer (a PostgreSQL advisory lock; in SQLite an exclusive lock on
   * a lock file beside the database). `onWait` is called once if another writer holds it.
   */
  acquireWriterLock(options?: { onWait?: () => void; signal?: AbortSignal }): Promise<WriterLock>;

  /** The deployment this database indexes; undefined for a new database. */
  identity(): Promise<StoreIdentity | undefined>;
  /** Records the identity of a new database (once; a different one later is refused by the caller). */
  writeIdentity(identity: StoreIdentity): Promise<void>;

  /** The last committed checkpoint; undefined before the first range. */
  checkpoint(): Promise<Checkpoint | undefined>;

  /**
   * Commits one range in one transaction: its events (a row with the same (block, log index) and the same block
   * hash is a no-op; a different hash there is an error, never an upsert), its blocks, the projection rows the
   * events change (the handlers run over the range's working set in memory), a rollback journal for the
   * unfinalized blocks, and the checkpoint. On any error nothing of the range is written.
   */
  commitRange(range: RangeCommit): Promise<void>;

  /**
   * Removes everything above `ancestor` (events, blocks, projection changes, checkpoint) in one transaction, leaving
   * the store as it was when `ancestor` was committed: from the journal when the removed blocks are all journaled,
   * else by rebuilding the projection from the remaining events.
   */
  rollback(ancestor: BlockRef, checkpoint: Checkpoint): Promise<void>;

  /** Drops the journal at and below `blockNumber`: those blocks can no longer be reorganised. */
  finalize(blockNumber: bigint): Promise<void>;

  /** Stored blocks with number >= `fromBlock`, ascending (at most `limit`). */
  blocks(fromBlock: bigint, limit?: number): Promise<BlockRef[]>;
  /** The stored block at `number`, if any. */
  block(number: bigint): Promise<BlockRef | undefined>;

  /** Stored events in (block, log index) order, from block `fromBlock` on, `pageSize` at a time. */
  events(options?: { fromBlock?: bigint; pageSize?: number }): AsyncIterable<StoredEvent[]>;

  /** Truncates the projection tables and re-applies every stored event, without RPC, in one transaction. */
  rebuildProjection(): Promise<void>;

  /** One projection row, as the handlers wrote it; undefined if there is none. */
  row<T extends TableName>(table: T, key: TableKey<T>): Promise<TableValue<T> | undefined>;
  /** Every row of a projection table, in key order. */
  rows<T extends TableName>(table: T): Promise<TableValue<T>[]>;

  /**
   * Every table (events, blocks, projection, checkpoint, identity) in a canonical text form: the same chain gives the
   * same dump in SQLite and PostgreSQL, so that tests compare stores byte for byte.
   */
  dump(): Promise<string>;

  close(): Promise<void>;
};
