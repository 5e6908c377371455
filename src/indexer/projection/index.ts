/**
 * The ledger's state rebuilt from its events alone (organisations, operators, records and their lineage, batches,
 * grants, offers, class rules), and the rights decision re-stated off-chain over it: the indexer's core. Handlers
 * write through `ProjectionStore`; `createMemoryStore` keeps it in Maps, the indexer's stores in SQLite or PostgreSQL.
 */
export { applyEvent, handlers } from "./apply";
export { authorize, isAllowed, type AuthorizationVerdict } from "./authorize";
export { InvalidScopesError, ProjectionError, type ProjectionErrorCode } from "./errors";
export type { Handler, HandlersOf, ProjectionHandlers } from "./handlers/common";
export { eventKeys } from "./keys";
export { seedProjection } from "./seed";
export { createMemoryStore, grantKey, memoryKey, type MemoryProjectionStore } from "./memory";
export {
  tableNames,
  type BatchRow,
  type DeliveryReportRow,
  type GrantKey,
  type GrantRow,
  type OfferRow,
  type OrganizationRow,
  type ParentRow,
  type ProjectionKeys,
  type ProjectionTables,
  type RecordRow,
  type TableKey,
  type TableName,
  type TableValue,
} from "./state";
export type { ProjectionReader, ProjectionStore } from "./store";

// The SDK's decoded-event type, which this module's `ProvledgerEvent` used to be; kept for the replay tests.
export type { ProvledgerEvent } from "../../sdk";
