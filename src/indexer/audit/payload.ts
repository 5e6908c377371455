/**
 * A trail entry's payload hash straight from its raw log (the layout of layout.ts, hashed with the WebAssembly
 * sponge), for the indexer's query tables: recomputing it through viem's ABI encoder and keccak (the SDK's
 * `payloadHashOf`) cost a few hundred microseconds per event, more than everything else the indexer does with it.
 * Equal to `payloadHashOf` for canonical logs (test/indexer/audit/layout.test.ts, and the store's conformance test
 * compares every row with the SDK's `trailEntryFromEvent`); undefined where the fast path does not apply (not a trail
 * event, a log that is not canonical), and the caller falls back to the SDK.
 */
import type { Hex } from "viem";
import type { StoredEvent } from "../types";
import { SLOT, writeLog } from "./digest";
import { RATE, createSponge, type Sponge } from "./keccak";
import { eventLayouts, writePayload } from "./layout";

let sponge: Sponge | undefined;

/** keccak256 of the entry's payload (abi.encode of every parameter but the stamp), from the log's own bytes. */
export function payloadHashFromLog(event: StoredEvent): Hex | undefined {
  const topic0 = event.topics[0];
  const layout = topic0 === undefined ? undefined : eventLayouts().get(topic0.toLowerCase());
  const chained = layout?.chained;
  if (!layout || !chained || event.topics.length !== layout.topicCount) return undefined;
  sponge ??= createSponge(1 << 16);
  const at = sponge.start + SLOT.log;
  const written = writeLog(sponge, at, event);
  if (!written || written.dataLength < layout.dataHead || (!layout.dynamic && written.dataLength !== layout.dataHead)) {
    return undefined;
  }
  const payload = at + written.length + RATE;
  const payloadLength = chained.payloadHead + written.dataLength - chained.dataHead;
  const h = sponge.reserve(payload + payloadLength + 2 * RATE);
  // An offset into the head would decode (viem reads it) but re-encode to other bytes: the SDK's path decides those.
  if (!writePayload(h, written, chained, payload, chained.dataHead)) return undefined;
  const out = sponge.start + SLOT.word;
  sponge.hash(payload, payloadLength, out);
  return `0x${h.toString("hex", out, out + 32)}`;
}
