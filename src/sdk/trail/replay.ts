import { zeroHash, type Hex } from "viem";
import { TrailMismatchError } from "../errors/trail";
import { ledgerEntry, recordEntry } from "./entry";
import type { TrailEntry, TrailStamp, TrailState } from "./types";
import { sameHex } from "../utils/hex";

/** The state before the first entry: no record trails, the ledger-wide chain at zero. */
export function emptyTrailState(): TrailState {
  return { records: new Map(), ledgerHead: zeroHash, ledgerSequence: 0n };
}

/**
 * Applies entries in ledger order, recomputing every head; throws TrailMismatchError at the first entry whose
 * claimed stamp differs from the recomputation. Returns the state after the last entry (`state`, updated in place).
 */
export function replayTrail(entries: Iterable<TrailEntry>, state: TrailState = emptyTrailState()): TrailState {
  for (const entry of entries) {
    const key = entry.subject.toLowerCase() as Hex;
    const previous = entry.standalone ? undefined : state.records.get(key);
    const head = recordEntry(previous?.head ?? zeroHash, entry.action, entry.actor, entry.time, entry.payloadHash);
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
  // Heads are hashes: compared whatever the case of their hex digits.
  const same = typeof expected === "bigint" ? expected === BigInt(claimed) : sameHex(expected, String(claimed));
  if (!same) throw new TrailMismatchError(entry, field, expected, claimed);
}
