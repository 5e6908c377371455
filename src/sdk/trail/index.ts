/**
 * Off-chain re-implementation of the ledger's hash-chained audit trails (README, "Audit trail encoding").
 * With only the events, a reader recomputes every record head and the ledger-wide head and compares them with the
 * heads the events (or the contract's views) claim: a dropped, reordered or altered entry breaks the chain.
 */
import {
  encodeAbiParameters,
  keccak256,
  type Abi,
  type AbiEvent,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";
import { dataRightsAbi, provenanceLedgerAbi } from "../abi";
import { Action } from "../constants/codes";

/** Every event of the ledger and its rights module: a trail is read from both contracts' logs, merged in order. */
export const trailEventsAbi: Abi = [...provenanceLedgerAbi, ...dataRightsAbi].filter((item) => item.type === "event");

export const ZERO_HASH: Hex = `0x${"00".repeat(32)}`;

/**
 * Trail action code of each event that appends a trail entry, as in contracts/libraries/Codes.sol (TrailActions).
 * The entry's subject is the event's first parameter (a fingerprint, or a batch root); its actor is the parameter
 * named `actor` (`registrant` for registrations and batches).
 */
export const TRAIL_ACTIONS = {
  RecordRegistered: Action.REGISTERED,
  RecordSuperseded: Action.SUPERSEDED,
  RecordWithdrawn: Action.WITHDRAWN,
  BatchAnchored: Action.BATCH_ANCHORED,
  GrantIssued: Action.GRANT_ISSUED,
  GrantRevoked: Action.GRANT_REVOKED,
  GrantDecided: Action.GRANT_DECIDED,
  TransferOffered: Action.TRANSFER_OFFERED,
  TransferCancelled: Action.TRANSFER_CANCELLED,
  TransferAccepted: Action.TRANSFER_ACCEPTED,
  TransferDecided: Action.TRANSFER_DECIDED,
  OwnershipTransferred: Action.OWNERSHIP_TRANSFERRED,
  DeliveryReported: Action.DELIVERY_REPORTED,
  FindingAttached: Action.FINDING_ATTACHED,
  RecordFrozen: Action.FROZEN,
  RecordUnfrozen: Action.UNFROZEN,
} as const;
export type TrailEventName = keyof typeof TRAIL_ACTIONS;

/** Events whose one-entry trail is not stored on chain: it always starts from zero. */
const STANDALONE_EVENTS: ReadonlySet<string> = new Set(["BatchAnchored"]);

/** head' = keccak256(abi.encode(bytes32 head, uint8 action, address actor, uint64 time, bytes32 payloadHash)) */
export function recordEntry(previousHead: Hex, action: number, actor: Address, time: bigint, payloadHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "address" }, { type: "uint64" }, { type: "bytes32" }],
      [previousHead, action, actor, time, payloadHash],
    ),
  );
}

/** ledgerHead' = keccak256(abi.encode(bytes32 ledgerHead, uint64 sequence, bytes32 subject, bytes32 recordHead)) */
export function ledgerEntry(previousHead: Hex, sequence: bigint, subject: Hex, recordHead: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }, { type: "bytes32" }],
      [previousHead, sequence, subject, recordHead],
    ),
  );
}

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

function eventAbi(abi: Abi, eventName: string): AbiEvent {
  const item = abi.find((entry): entry is AbiEvent => entry.type === "event" && entry.name === eventName);
  if (!item) throw new Error(`event ${eventName} is not in the ABI`);
  return item;
}

/**
 * The payload hash of a trail entry: keccak256 of its event's parameters, ABI-encoded in declaration order, leaving
 * out the `stamp` (which is computed from the payload). One rule for every event, so that a third party needs only
 * the ABI.
 */
export function payloadHashOf(event: DecodedEvent, abi: Abi = trailEventsAbi): Hex {
  const inputs = eventAbi(abi, event.eventName).inputs.filter((input) => input.name !== "stamp");
  return keccak256(
    encodeAbiParameters(
      inputs as readonly AbiParameter[],
      inputs.map((input) => event.args[input.name!]),
    ),
  );
}

/** One trail entry as reconstructed from an event: what was done, by whom, when, and what the event claims. */
export interface TrailEntry {
  /** The record's fingerprint (or a batch's root). */
  subject: Hex;
  action: number;
  actor: Address;
  /** Block time of the event's block. */
  time: bigint;
  payloadHash: Hex;
  stamp: TrailStamp;
  /** Batches have a one-entry trail that is not stored on chain: it always starts from zero. */
  standalone?: boolean;
}

/** Whether `eventName` appends a trail entry. */
export function isTrailEvent(eventName: string | undefined): eventName is TrailEventName {
  return eventName !== undefined && eventName in TRAIL_ACTIONS;
}

/** The trail entry a trail event stands for, its payload hash recomputed from the event's own parameters. */
export function trailEntryFromEvent(event: DecodedEvent, time: bigint, abi: Abi = trailEventsAbi): TrailEntry {
  if (!isTrailEvent(event.eventName)) throw new Error(`${event.eventName} does not append a trail entry`);
  const inputs = eventAbi(abi, event.eventName).inputs;
  const actor = (event.args.actor ?? event.args.registrant) as Address | undefined;
  if (actor === undefined) throw new Error(`${event.eventName} has no actor parameter`);
  return {
    subject: event.args[inputs[0].name!] as Hex,
    action: TRAIL_ACTIONS[event.eventName],
    actor,
    time,
    payloadHash: payloadHashOf(event, abi),
    stamp: event.args.stamp as TrailStamp,
    standalone: STANDALONE_EVENTS.has(event.eventName) || undefined,
  };
}

export interface TrailState {
  records: Map<Hex, { head: Hex; length: bigint }>;
  ledgerHead: Hex;
  ledgerSequence: bigint;
}

export class TrailMismatchError extends Error {
  constructor(
    readonly entry: TrailEntry,
    readonly field: keyof TrailStamp,
    readonly expected: Hex | bigint,
    readonly claimed: Hex | bigint,
  ) {
    super(
      `trail entry ${entry.stamp.ledgerSequence} (${entry.subject}, action ${entry.action}): ` +
        `${field} recomputes to ${expected} but the event claims ${claimed}; ` +
        `an entry before it is missing, reordered or altered`,
    );
    this.name = "TrailMismatchError";
  }
}

export function emptyTrailState(): TrailState {
  return { records: new Map(), ledgerHead: ZERO_HASH, ledgerSequence: 0n };
}

/**
 * Applies entries in ledger order, recomputing every head; throws TrailMismatchError at the first entry whose
 * claimed stamp differs from the recomputation. Returns the state after the last entry.
 */
export function replayTrail(entries: Iterable<TrailEntry>, state: TrailState = emptyTrailState()): TrailState {
  for (const entry of entries) {
    const key = entry.subject.toLowerCase() as Hex;
    const previous = entry.standalone ? undefined : state.records.get(key);
    const head = recordEntry(previous?.head ?? ZERO_HASH, entry.action, entry.actor, entry.time, entry.payloadHash);
    const length = (previous?.length ?? 0n) + 1n;
    const sequence = state.ledgerSequence + 1n;
    const ledgerHead = ledgerEntry(state.ledgerHead, sequence, entry.subject, head);
    check(entry, "recordHead", head, entry.stamp.recordHead);
    check(entry, "recordLength", length, entry.stamp.recordLength);
    check(entry, "ledgerSequence", sequence, entry.stamp.ledgerSequence);
    check(entry, "ledgerHead", ledgerHead, entry.stamp.ledgerHead);
    if (!entry.standalone) state.records.set(key, { head, length });
    state.ledgerHead = ledgerHead;
    state.ledgerSequence = sequence;
  }
  return state;
}

function check(entry: TrailEntry, field: keyof TrailStamp, expected: Hex | bigint, claimed: Hex | bigint): void {
  const same =
    typeof expected === "bigint"
      ? expected === BigInt(claimed)
      : expected.toLowerCase() === String(claimed).toLowerCase();
  if (!same) throw new TrailMismatchError(entry, field, expected, claimed);
}

/** A trusted checkpoint of the ledger-wide chain, e.g. `ledgerHead()` read from a canonical block. */
export interface LedgerCheckpoint {
  ledgerHead: Hex;
  ledgerSequence: bigint;
}

export type CompletenessVerdict =
  { complete: true; state: TrailState } | { complete: false; reason: string; state?: TrailState };

/**
 * Proves that `entries` are the ledger's complete, unaltered history up to `checkpoint`: every claimed stamp
 * recomputes, and the final ledger head and sequence equal the checkpoint (so nothing was dropped at the end and no
 * forged suffix was re-stamped).
 */
export function verifyCompleteTrail(entries: Iterable<TrailEntry>, checkpoint: LedgerCheckpoint): CompletenessVerdict {
  let state: TrailState;
  try {
    state = replayTrail(entries);
  } catch (error) {
    if (error instanceof TrailMismatchError) return { complete: false, reason: error.message };
    throw error;
  }
  if (state.ledgerSequence !== checkpoint.ledgerSequence) {
    return {
      complete: false,
      reason: `history ends at sequence ${state.ledgerSequence} but the ledger is at ${checkpoint.ledgerSequence}`,
      state,
    };
  }
  if (state.ledgerHead.toLowerCase() !== checkpoint.ledgerHead.toLowerCase()) {
    return {
      complete: false,
      reason: `history recomputes to ledger head ${state.ledgerHead} but the ledger's head is ${checkpoint.ledgerHead}`,
      state,
    };
  }
  return { complete: true, state };
}
