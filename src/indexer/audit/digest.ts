/**
 * The proof-of-indexing digest: one hash chaining every stored event, raw log and position, so that two stores (SQLite
 * and PostgreSQL, or two operators) compare by one value, and a checkpoint commits to exactly the events below it.
 *
 * Encoding (abi.encodePacked, big-endian integers; hex case does not matter, bytes are hashed):
 *
 *   logHash  = keccak256(transactionHash ‖ uint32 transactionIndex ‖ address ‖ uint8 topics.length ‖ topics… ‖ data)
 *   digest_n = keccak256(digest_{n-1} ‖ uint64 blockNumber ‖ blockHash ‖ uint32 logIndex ‖ logHash)
 *
 * with digest_0 = zeroHash. Every field of the raw log is covered; the stored event's derived columns (name, ledger
 * sequence and head) are not: the audit checks those against the log itself.
 */
import { zeroHash, type Hex } from "viem";
import type { StoredEvent } from "../types";
import { RATE, sharedSponge, type Sponge } from "./keccak";

/** Fixed slots (offsets from `sponge.start`) shared by the digest and the audit; the log message goes at LOG. */
export const SLOT = {
  digest: 0,
  logHash: 32,
  /** 108-byte digest step message (padded to one block). */
  step: 64,
  /** Scratch for the audit's record and ledger entries (two blocks each, with padding). */
  record: 256,
  ledger: 576,
  word: 896,
  log: 1024,
} as const;

/** Where `writeLog` put the parts of the log, for callers that decode it in place. */
export type WrittenLog = { length: number; topicsAt: number; dataAt: number; dataLength: number };

/**
 * Writes the log message (see the encoding above) at `at`; undefined if a field is not hex of the right size (a
 * tampered row: the hex writer stops at the first bad digit).
 */
export function writeLog(sponge: Sponge, at: number, event: StoredEvent): WrittenLog | undefined {
  const { topics, data } = event;
  const dataLength = (data.length - 2) >>> 1;
  const heap = sponge.reserve(at + 57 + 32 * topics.length + dataLength + 2 * RATE);
  if (heap.write(event.transactionHash.slice(2), at, "hex") !== 32) return undefined;
  heap.writeUInt32BE(event.transactionIndex >>> 0, at + 32);
  if (heap.write(event.address.slice(2), at + 36, "hex") !== 20) return undefined;
  heap[at + 56] = topics.length;
  const topicsAt = at + 57;
  for (let i = 0; i < topics.length; i++) {
    if (heap.write(topics[i].slice(2), topicsAt + 32 * i, "hex") !== 32) return undefined;
  }
  const dataAt = topicsAt + 32 * topics.length;
  if ((data.length & 1) !== 0 || (dataLength > 0 && heap.write(data.slice(2), dataAt, "hex") !== dataLength)) {
    return undefined;
  }
  return { length: dataAt + dataLength - at, topicsAt, dataAt, dataLength };
}

/**
 * Advances the digest held at `sponge.start + SLOT.digest` by one event whose log is already written (`writeLog`)
 * at `at`.
 */
export function stepDigest(sponge: Sponge, event: StoredEvent, at: number, written: WrittenLog): boolean {
  const base = sponge.start;
  sponge.hash(at, written.length, base + SLOT.logHash);
  const heap = sponge.heap;
  const step = base + SLOT.step;
  heap.copyWithin(step, base + SLOT.digest, base + SLOT.digest + 32);
  const blockNumber = Number(event.blockNumber);
  heap.writeUInt32BE(Math.floor(blockNumber / 4294967296) >>> 0, step + 32);
  heap.writeUInt32BE(blockNumber >>> 0, step + 36);
  if (heap.write(event.blockHash.slice(2), step + 40, "hex") !== 32) return false;
  heap.writeUInt32BE(event.logIndex >>> 0, step + 72);
  heap.copyWithin(step + 76, base + SLOT.logHash, base + SLOT.logHash + 32);
  sponge.hash(step, 108, base + SLOT.digest);
  return true;
}

/** The digest after `event`, from the digest before it. Throws on a field that is not hex of its size. */
export function nextDigest(previous: Hex, event: StoredEvent): Hex {
  const sponge = sharedSponge();
  const base = sponge.start;
  const heap = sponge.heap;
  if (heap.write(previous.slice(2), base + SLOT.digest, "hex") !== 32) throw malformed("previous digest", previous);
  const at = base + SLOT.log;
  const written = writeLog(sponge, at, event);
  if (written === undefined || !stepDigest(sponge, event, at, written)) throw malformed("log", event);
  return `0x${sponge.heap.toString("hex", base + SLOT.digest, base + SLOT.digest + 32)}`;
}

/** The digest of `events` in order, from `start` (zeroHash: the digest of no events). */
export function digestOf(events: Iterable<StoredEvent>, start: Hex = zeroHash): Hex {
  let digest = start;
  for (const event of events) digest = nextDigest(digest, event);
  return digest;
}

function malformed(what: string, value: Hex | StoredEvent): Error {
  const where = typeof value === "string" ? value : `log ${value.logIndex} of block ${value.blockNumber}`;
  return new TypeError(
    `the ${what} (${where}) has a field that is not hex of its size (32-byte hashes, 20-byte address)`,
  );
}
