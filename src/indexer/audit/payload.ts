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
import { eventLayouts } from "./layout";

let sponge: Sponge | undefined;

/** A 32-byte big-endian word as a number, if it is below 2^32 (an offset in a log); undefined otherwise. */
function smallWord(heap: Buffer, at: number): number | undefined {
  for (let i = at; i < at + 28; i++) if (heap[i] !== 0) return undefined;
  return heap.readUInt32BE(at + 28);
}

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
  let offset = payload;
  for (const piece of chained.pieces) {
    if ("topic" in piece) {
      h.copyWithin(offset, written.topicsAt + 32 * piece.topic, written.topicsAt + 32 * piece.topic + 32);
      offset += 32;
    } else if (piece.dynamic) {
      // A dynamic parameter's offset moves by the head's change in size (the stamp's words are left out).
      const old = smallWord(h, written.dataAt + piece.data);
      if (old === undefined || old < chained.dataHead) return undefined;
      h.fill(0, offset, offset + 28);
      h.writeUInt32BE(old - chained.dataHead + chained.payloadHead, offset + 28);
      offset += 32;
    } else {
      h.copyWithin(offset, written.dataAt + piece.data, written.dataAt + piece.data + piece.size);
      offset += piece.size;
    }
  }
  h.copyWithin(offset, written.dataAt + chained.dataHead, written.dataAt + written.dataLength);
  const out = sponge.start + SLOT.word;
  sponge.hash(payload, payloadLength, out);
  return `0x${h.toString("hex", out, out + 32)}`;
}
