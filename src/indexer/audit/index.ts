/** Completeness and audit (docs/indexer-audit.md): the digest, the per-range chain check, the full audit replay. */
export { createChainVerifier, nextLedgerHead, subjectOf, type ChainPosition, type ChainVerifier } from "./chain";
export { digestOf, nextDigest } from "./digest";
export {
  auditEvents,
  auditStore,
  type AuditOptions,
  type AuditReport,
  type BlockSource,
  type Divergence,
  type DivergenceKind,
} from "./audit";
