import type { Address, Hex } from "viem";

/** The trail position an event claims (IProvenanceLedger.TrailStamp). */
export interface TrailStamp {
  recordHead: Hex;
  recordLength: bigint;
  ledgerSequence: bigint;
  ledgerHead: Hex;
}

/** A decoded event, as viem's decodeEventLog returns it. */
export interface DecodedEvent {
  eventName: string;
  args: Record<string, unknown>;
}

/** One trail entry as reconstructed from an event: what was done, by whom, when, and what the event claims. */
export interface TrailEntry {
  /** The record's fingerprint (or a batch's root; bytes32(orgId) or bytes32(dataClass) for governance entries). */
  subject: Hex;
  action: number;
  actor: Address;
  /** Block time of the event's block. */
  time: bigint;
  payloadHash: Hex;
  stamp: TrailStamp;
  /** Batches and governance entries have a one-entry trail that is not stored on chain: it starts from zero. */
  standalone?: boolean;
}

/** The heads after replaying some entries: each record's (by lowercase fingerprint) and the ledger-wide one. */
export interface TrailState {
  records: Map<Hex, { head: Hex; length: bigint }>;
  ledgerHead: Hex;
  ledgerSequence: bigint;
}

/** A trusted checkpoint of the ledger-wide chain, e.g. `ledgerHead()` read from a canonical block. */
export interface LedgerCheckpoint {
  ledgerHead: Hex;
  ledgerSequence: bigint;
}

export type CompletenessVerdict =
  { complete: true; state: TrailState } | { complete: false; reason: string; state?: TrailState };
