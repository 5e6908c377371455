/**
 * The indexer's store: events, blocks, checkpoint, rollback journal and the projection tables, in SQLite or
 * PostgreSQL through one Kysely code path (store.ts says why Kysely; docs/indexer-store.md describes the schema).
 */
export { createStore } from "./store";
/** Stored logs back to events: straight from the hex for the contracts' event shapes, viem otherwise (decode.ts). */
export { decodeStoredLog } from "./decode";
export type { StoreOptions } from "./connect";
export { StoreError, type StoreErrorCode } from "./errors";
export { migrations } from "./migrations";
export type { IndexerStore, StoreDialect, WriterLock } from "./types";
export {
  openStoreReader,
  projectionFromRow,
  readAnchor,
  storedBlockFromRow,
  storedCheckpointFromRow,
  storedEventFromRow,
  type Anchor,
  type StoreReader,
  type StoreReaderOptions,
  type StoreTables,
} from "./reader";
