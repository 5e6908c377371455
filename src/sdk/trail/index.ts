/**
 * Off-chain re-implementation of the ledger's hash-chained audit trails (README, "Audit trail encoding").
 * With only the events, a reader recomputes every record head and the ledger-wide head and compares them with the
 * heads the events (or the contract's views) claim: a dropped, reordered or altered entry breaks the chain.
 */
export type { CompletenessVerdict, DecodedEvent, LedgerCheckpoint, TrailEntry, TrailStamp, TrailState } from "./types";
export {
  STANDALONE_EVENTS,
  TRAIL_ACTIONS,
  isTrailEvent,
  ledgerEntry,
  recordEntry,
  trailEntryFromEvent,
  trailSubject,
  type TrailEventName,
} from "./entry";
export { payloadHashOf } from "./payload";
export { emptyTrailState, replayTrail } from "./replay";
export { verifyCompleteTrail } from "./completeness";
export {
  readTrailEntries,
  type LoggedTrailEntry,
  type ReadTrailEntriesParameters,
  type ReadTrailEntriesReturnType,
} from "./read";
export {
  TrailAnswerCheck,
  verifyTrailAnswer,
  type TrailAnswer,
  type TrailAnswerAnchor,
  type TrailAnswerBadEntry,
  type TrailAnswerEntry,
  type TrailAnswerField,
  type VerifyTrailAnswerParameters,
  type VerifyTrailAnswerReturnType,
} from "./answer";
export { TrailEventError, TrailMismatchError, type TrailEventErrorCode } from "../errors/trail";
