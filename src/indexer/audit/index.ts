export { createChainVerifier, subjectOf, type ChainPosition, type ChainVerifier } from "./chain";
export { digestOf, nextDigest } from "./digest";
export {
  auditEvents,
  auditStore,
  type AuditOptions,
  type AuditReport,
  type Divergence,
  type DivergenceKind,
} from "./audit";
