/**
 * The envelope of every 200 answer: `{ at, data, next? }`, where `at` names the block the answer reflects (number,
 * hash, time), the ledger-wide sequence and head at that block, and whether that block can still be reorganised. A
 * client that does not trust the operator checks the answer against the chain at exactly that block (the SDK's
 * trail-answer check does it in one call).
 */
import type { Hex } from "viem";

/** What the store's anchor provides (H1's `Anchor` has these fields and more). */
export type AnchorSource = {
  readonly block: { readonly number: bigint; readonly hash: Hex; readonly timestamp: bigint };
  readonly ledgerSequence: bigint;
  readonly ledgerHead: Hex;
  readonly finalized: boolean;
};

/** The answer's anchor on the wire: numbers that may exceed 2^53 as decimal strings. */
export type At = {
  block: { number: string; hash: Hex; timestamp: string; timeIso: string };
  ledgerSequence: string;
  ledgerHead: Hex;
  finalized: boolean;
};

export type Answer<T> = { at: At; data: T; next?: string | null };

/**
 * Unix seconds as ISO-8601 UTC without fractions (`2026-12-02T03:04:05Z`), the form a person reads and a
 * spreadsheet parses; null for a time no calendar holds (an expiry of 2^64 - 1).
 */
export function isoTime(seconds: bigint): string | null {
  // Date's range is +-8.64e15 ms.
  if (seconds < 0n || seconds > 8_640_000_000_000n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The wire form of an anchor. */
export function atOf(anchor: AnchorSource): At {
  const { block } = anchor;
  return {
    block: {
      number: block.number.toString(),
      hash: block.hash.toLowerCase() as Hex,
      timestamp: block.timestamp.toString(),
      timeIso: isoTime(block.timestamp) ?? "",
    },
    ledgerSequence: anchor.ledgerSequence.toString(),
    ledgerHead: anchor.ledgerHead.toLowerCase() as Hex,
    finalized: anchor.finalized,
  };
}

/**
 * A 200 answer. `next` is given by paged routes only: the cursor of the next page, or null on the last one (left
 * out, a route's answer has no `next` field at all).
 */
export function answer<T>(anchor: AnchorSource, data: T, next?: string | null): Answer<T> {
  const body: Answer<T> = { at: atOf(anchor), data };
  if (next !== undefined) body.next = next;
  return body;
}
