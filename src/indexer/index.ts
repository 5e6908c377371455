/**
 * The indexer's public surface: the runtime (`createIndexer`), its parts (sync over JSON-RPC, the SQLite and
 * PostgreSQL store, completeness and audit), and the projection they maintain.
 */
export {
  createIndexer,
  resolveOptions,
  type Indexer,
  type IndexerOptions,
  type IndexerPhase,
  type IndexerStatus,
} from "./runtime";
export { IndexerError, IndexerEventError, type IndexerErrorCode } from "./errors";
export { decodeLog, toStoredEvent } from "./events";
export type { BlockRef, Checkpoint, RangeCommit, RawLog, StoreIdentity, StoredEvent } from "./types";
export {
  StoreError,
  createStore,
  openStoreReader,
  projectionFromRow,
  readAnchor,
  storedBlockFromRow,
  storedCheckpointFromRow,
  storedEventFromRow,
  type Anchor,
  type StoreErrorCode,
  type StoreOptions,
  type StoreReader,
  type StoreReaderOptions,
  type StoreTables,
} from "./store";
export type { IndexerStore, StoreDialect, WriterLock } from "./store/types";
export { SyncError, createLogRangeState, createRealtimeSync, createRpc, fetchLogs, type SyncErrorCode } from "./sync";
export type { FetchedRange, IndexerRpc, LogRangeOptions, RealtimeEvent, RpcOptions } from "./sync/types";
export {
  auditEvents,
  auditStore,
  createChainVerifier,
  digestOf,
  nextDigest,
  nextLedgerHead,
  type AuditOptions,
  type AuditReport,
  type BlockSource,
  type ChainPosition,
  type ChainVerifier,
  type Divergence,
  type DivergenceKind,
} from "./audit";
export {
  InvalidScopesError,
  ProjectionError,
  applyEvent,
  authorize,
  createMemoryStore,
  eventKeys,
  seedProjection,
  grantKey,
  handlers,
  isAllowed,
  memoryKey,
  tableNames,
  type AuthorizationVerdict,
  type BatchRow,
  type DeliveryReportRow,
  type GrantKey,
  type GrantRow,
  type Handler,
  type HandlersOf,
  type MemoryProjectionStore,
  type OfferRow,
  type OrganizationRow,
  type ParentRow,
  type ProjectionErrorCode,
  type ProjectionHandlers,
  type ProjectionKeys,
  type ProjectionReader,
  type ProjectionStore,
  type ProjectionTables,
  type RecordRow,
  type TableKey,
  type TableName,
  type TableValue,
} from "./projection";
