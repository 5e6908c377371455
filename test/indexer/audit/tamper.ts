/**
 * Single-row tampering of a stored history, as someone with write access to the database could do it, and where the
 * audit must locate each (the divergence it must report).
 */
import type { Hex } from "viem";
import type { StoredEvent } from "../../../src/indexer/types";
import type { DivergenceKind } from "../../../src/indexer/audit";

export type Tamper =
  "delete" | "edit-data" | "edit-sequence-column" | "edit-head-column" | "insert" | "swap" | "swap-data";
export const TAMPERS: readonly Tamper[] = [
  "delete",
  "edit-data",
  "edit-sequence-column",
  "edit-head-column",
  "insert",
  "swap",
  "swap-data",
];

export type Located = {
  kind: DivergenceKind;
  sequence: bigint;
  /** Undefined when the divergence is at the end (no row to point at). */
  at?: { blockNumber: bigint; logIndex: number };
  record?: Hex;
};

const positionOf = (e: StoredEvent) => ({ blockNumber: e.blockNumber, logIndex: e.logIndex });
const chainedIndexes = (events: readonly StoredEvent[]) =>
  events.flatMap((e, i) => (e.ledgerSequence === null ? [] : [i]));

/** A different hex digit at `at` of `hex` (past the 0x). */
export function flipDigit(hex: Hex, at: number): Hex {
  const i = 2 + (at % (hex.length - 2));
  const digit = parseInt(hex[i], 16);
  return `${hex.slice(0, i)}${((digit + 1 + (at % 15)) % 16).toString(16)}${hex.slice(i + 1)}` as Hex;
}

/**
 * Applies `tamper` to chained rows picked by `pick` (two numbers in [0, 1)) and returns the tampered events (in the
 * store's (block, log index) order) and what the audit must report.
 */
export function tamperWith(
  events: readonly StoredEvent[],
  tamper: Tamper,
  pick: [number, number],
): { events: StoredEvent[]; expected: Located } {
  const chained = chainedIndexes(events);
  const i = chained[Math.floor(pick[0] * chained.length)];
  const row = events[i];
  const sequence = row.ledgerSequence!;
  const record = row.topics[1].toLowerCase() as Hex;
  const out = [...events];
  switch (tamper) {
    case "delete": {
      out.splice(i, 1);
      const next = out.slice(i).find((e) => e.ledgerSequence !== null);
      return { events: out, expected: { kind: "gap", sequence, at: next && positionOf(next) } };
    }
    case "edit-data": {
      out[i] = { ...row, data: flipDigit(row.data, Math.floor(pick[1] * 1e9)) };
      return { events: out, expected: { kind: "edited", sequence, at: positionOf(row), record } };
    }
    case "edit-sequence-column":
      out[i] = { ...row, ledgerSequence: sequence + 1n + BigInt(Math.floor(pick[1] * 5)) };
      return { events: out, expected: { kind: "edited", sequence, at: positionOf(row), record } };
    case "edit-head-column":
      out[i] = { ...row, ledgerHead: flipDigit(row.ledgerHead!, Math.floor(pick[1] * 64)) };
      return { events: out, expected: { kind: "edited", sequence, at: positionOf(row), record } };
    case "insert": {
      // A copy of another entry, at a free position in front of row i: entry `sequence` must not be the copy.
      const others = chained.filter((j) => events[j].ledgerSequence !== sequence);
      const copied = events[others[Math.floor(pick[1] * others.length)]];
      const position = { ...positionOf(row), logIndex: row.logIndex };
      const shifted = out.map((e, j) =>
        j >= i && e.blockNumber === row.blockNumber ? { ...e, logIndex: e.logIndex + 1 } : e,
      );
      const copy = { ...copied, blockNumber: row.blockNumber, blockHash: row.blockHash, logIndex: position.logIndex };
      shifted.splice(i, 0, copy);
      return {
        events: shifted,
        expected: {
          kind: "duplicate",
          sequence: copied.ledgerSequence!,
          at: position,
          record: copied.topics[1] as Hex,
        },
      };
    }
    case "swap":
    case "swap-data": {
      const others = chained.filter((j) => j !== i);
      const j = others[Math.floor(pick[1] * others.length)];
      const [first, second] = i < j ? [i, j] : [j, i];
      const a = events[first];
      const b = events[second];
      if (tamper === "swap") {
        // The rows trade places: each takes the other's block and log position (and transaction).
        const place = (e: StoredEvent) => ({
          blockNumber: e.blockNumber,
          blockHash: e.blockHash,
          logIndex: e.logIndex,
          transactionHash: e.transactionHash,
          transactionIndex: e.transactionIndex,
        });
        out[first] = { ...b, ...place(a) };
        out[second] = { ...a, ...place(b) };
      } else {
        // The rows trade contents (log and columns), each keeping its place.
        const content = (e: StoredEvent) => ({
          address: e.address,
          topics: e.topics,
          data: e.data,
          eventName: e.eventName,
          ledgerSequence: e.ledgerSequence,
          ledgerHead: e.ledgerHead,
        });
        out[first] = { ...a, ...content(b) };
        out[second] = { ...b, ...content(a) };
      }
      return {
        events: out,
        expected: { kind: "reordered", sequence: a.ledgerSequence!, at: positionOf(a), record: a.topics[1] as Hex },
      };
    }
  }
}
