/**
 * The audit replay: recomputes every record's trail head, the ledger-wide head and the digest from the stored raw logs
 * alone, and reports the first divergence with its sequence number, block and record. The stored columns (name,
 * sequence, head) are not trusted: each is compared with its own log, and a disagreement is an edit.
 *
 * Classification (docs/indexer-audit.md): at the first chained event that does not carry the next sequence number N,
 * the audit looks ahead (up to `lookahead` events) before naming it:
 *   - N further on, and the out-of-place entry not repeated: "reordered" (rows swapped, in position or in content);
 *   - the out-of-place entry repeated, or an entry already replayed: "duplicate" (an inserted row);
 *   - N nowhere, N + 1 right after: "edited" (entry N's own sequence number was changed);
 *   - else "gap" at N (a deleted row).
 * An entry that carries N but does not recompute (payload, record head, length, ledger head, block, columns) is
 * "edited". Positions out of (block, log index) order are "order"; an end short of (or past) the chain's head is
 * "gap" (or "head"); a checkpoint whose head, count or digest differs is "head" or "digest" (the digest is what
 * covers the unchained events and the non-hashed columns: transaction hash and index).
 *
 * Speed: logs are decoded in place from their hex (the layouts in layout.ts) and hashed with the WebAssembly sponge
 * (keccak.ts); only the per-record heads are kept (an index per record, heads in one byte arena).
 */
import type { Hex } from "viem";
import type { ProvledgerAddresses } from "../../sdk";
import type { IndexerStore } from "../store/types";
import type { BlockRef, Checkpoint, StoredEvent } from "../types";
import { SLOT, stepDigest, writeLog } from "./digest";
import { RATE, createSponge } from "./keccak";
import { eventLayouts, wordToNumber, writePayload, writeUint64, type EventLayout, type WordSource } from "./layout";

export type DivergenceKind = "gap" | "duplicate" | "reordered" | "edited" | "head" | "digest" | "order";

export type Divergence = {
  readonly kind: DivergenceKind;
  readonly message: string;
  /** The ledger sequence number where the stored history first differs (the first missing one for a gap). */
  readonly sequence?: bigint;
  /** Where it was found: the stored row at that place (for a gap, the first row after the missing ones). */
  readonly blockNumber?: bigint;
  readonly logIndex?: number;
  /** The record (fingerprint, batch root, or organisation / class word) whose trail diverged. */
  readonly record?: Hex;
};

export type AuditReport = {
  readonly ok: boolean;
  /** Events replayed (all of them when ok; up to the divergence otherwise). */
  readonly eventCount: bigint;
  readonly ledgerSequence: bigint;
  readonly ledgerHead: Hex;
  readonly digest: Hex;
  /** Record trails (not standalone entries) seen. */
  readonly records: number;
  readonly divergence?: Divergence;
};

/** The stored blocks (their times are hashed into the record heads; their hashes must match the events'). */
export type BlockSource =
  Iterable<BlockRef> | ((blockNumber: bigint) => Pick<BlockRef, "hash" | "timestamp"> | undefined);

export type AuditOptions = {
  /** The stored blocks with events. Without them no record head can be recomputed: every chained event diverges. */
  blocks?: BlockSource;
  /** The chain's own `ledgerHead()` (read at the checkpoint's block hash): the replay must end exactly there. */
  expected?: { ledgerSequence: bigint; ledgerHead: Hex };
  /** The stored checkpoint: its sequence, head, event count and digest must equal the recomputed ones. */
  checkpoint?: Checkpoint;
  /** The deployment: each event must come from a contract whose ABI has it. */
  addresses?: ProvledgerAddresses;
  /** How many events past an out-of-sequence entry to read to tell a gap from a reorder or an insert (10,000). */
  lookahead?: number;
};

type Pages = AsyncIterable<readonly StoredEvent[]> | Iterable<readonly StoredEvent[]>;
type Anomaly = { anomaly: true; event: StoredEvent; layout: EventLayout; claimed: bigint | undefined };

export async function auditEvents(pages: Pages, options: AuditOptions = {}): Promise<AuditReport> {
  const sponge = createSponge();
  const base = sponge.start;
  const layouts = eventLayouts();
  const blockOf = blockLookup(options.blocks);
  const allowed = options.addresses ? allowedAddresses(layouts, options.addresses) : undefined;
  const lookahead = options.lookahead ?? 10_000;

  let count = 0;
  let sequence = 0;
  let lastBlock = -1n;
  let lastLog = -1;
  // Per record: an index into `heads` (32 bytes each) and `lengths`.
  const records = new Map<string, number>();
  let heads = new Uint8Array(32 * 1024);
  let lengths = new Float64Array(1024);

  const at = base + SLOT.log;
  const record = base + SLOT.record;
  const ledger = base + SLOT.ledger;
  const computed = base + SLOT.word;

  /** Checks one event; undefined if it replays, else a divergence or an out-of-sequence entry to diagnose. */
  function step(event: StoredEvent): Divergence | Anomaly | undefined {
    if (event.blockNumber < lastBlock || (event.blockNumber === lastBlock && event.logIndex <= lastLog)) {
      return {
        kind: "order",
        message: `the event at ${placeOf(event)} comes after block ${lastBlock}, log ${lastLog}: rows out of (block, log) order`,
        ...positionOf(event),
      };
    }
    lastBlock = event.blockNumber;
    lastLog = event.logIndex;
    const topic0 = event.topics[0];
    const layout = topic0 === undefined ? undefined : (layouts.get(topic0) ?? layouts.get(topic0.toLowerCase()));
    const written = layout && writeLog(sponge, at, event);
    const chained = layout?.chained;
    if (
      layout === undefined ||
      written === undefined ||
      event.topics.length !== layout.topicCount ||
      written.dataLength < layout.dataHead ||
      (!layout.dynamic && written.dataLength !== layout.dataHead)
    ) {
      return {
        kind: "edited",
        message: `the log at ${placeOf(event)} no longer decodes with the contracts' ABIs (its topics or data were altered)`,
        sequence: claimedSequence(event, layout) ?? event.ledgerSequence ?? undefined,
        ...positionOf(event),
      };
    }
    let claimed: number | undefined;
    if (chained) {
      claimed = wordToNumber(sponge.heap, written.dataAt + chained.stampAt + 64);
      if (claimed !== sequence + 1) return { anomaly: true, event, layout, claimed: claimedSequence(event, layout) };
    }
    if (!stepDigest(sponge, event, at, written)) {
      return {
        kind: "edited",
        message: `the block hash of the event at ${placeOf(event)} is not a 32-byte hash`,
        ...positionOf(event),
      };
    }
    count += 1;
    const heap = sponge.heap;
    const subject = chained ? subjectKey(event, heap, written.dataAt, chained.subject) : undefined;
    if (event.eventName !== layout.name)
      return editedAt(event, layout, claimed, subject, `is stored under the name ${event.eventName}`);
    const from = allowed?.get(layout.name);
    if (from && !from.has(event.address) && !from.has(event.address.toLowerCase())) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `comes from ${event.address}, not from a contract of this deployment that emits it`,
      );
    }
    const block = blockOf(event.blockNumber);
    if (block === undefined)
      return editedAt(event, layout, claimed, subject, `is in block ${event.blockNumber}, which is not stored`);
    if (block.hash !== event.blockHash && block.hash.toLowerCase() !== event.blockHash.toLowerCase()) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `names block hash ${event.blockHash}, the stored block ${event.blockNumber} is ${block.hash}`,
      );
    }
    if (!chained || subject === undefined) {
      if (event.ledgerSequence !== null || event.ledgerHead !== null) {
        return editedAt(
          event,
          layout,
          claimed,
          subject,
          `is unchained, but its stored columns claim ledger entry ${event.ledgerSequence}`,
        );
      }
      return undefined;
    }
    const stamp = written.dataAt + chained.stampAt;
    if (typeof event.ledgerSequence !== "bigint" || Number(event.ledgerSequence) !== claimed) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `is stored with sequence column ${event.ledgerSequence}, its log says ${claimed}`,
      );
    }
    if (!sameWord(event.ledgerHead, heap, computed, stamp + 96)) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `is stored with head column ${event.ledgerHead}, its log says ${hexAt(heap, stamp + 96)}`,
      );
    }

    // The payload, rearranged from the log (layout.ts), just past the log message's padded blocks.
    const payload = at + written.length + RATE;
    const payloadLength = chained.payloadHead + written.dataLength - chained.dataHead;
    sponge.reserve(payload + payloadLength + 2 * RATE);
    const h = sponge.heap;
    if (!writePayload(h, written, chained, payload, 0)) {
      return editedAt(event, layout, claimed, subject, "has a dynamic parameter's offset that is not a small number");
    }

    // head' = keccak256(abi.encode(previous head, uint8 action, address actor, uint64 time, payloadHash))
    let index = chained.standalone ? -1 : (records.get(subject) ?? -1);
    if (index >= 0) h.set(heads.subarray(32 * index, 32 * index + 32), record);
    else h.fill(0, record, record + 32);
    h.fill(0, record + 32, record + 63);
    h[record + 63] = chained.action;
    copyWord(h, written, chained.actor, record + 64);
    h.fill(0, record + 96, record + 120);
    writeUint64(h, record + 120, Number(block.timestamp));
    sponge.hash(payload, payloadLength, record + 128);
    sponge.hash(record, 160, computed);
    const length = (index >= 0 ? lengths[index] : 0) + 1;
    if (h.compare(h, computed, computed + 32, stamp, stamp + 32) !== 0) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `recomputes to record head ${hexAt(h, computed)} for ${subject}, the log claims ${hexAt(h, stamp)}` +
          " (this entry, its block time, or an earlier entry of the record was altered)",
      );
    }
    if (wordToNumber(h, stamp + 32) !== length) {
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `claims record length ${hexAt(h, stamp + 32)} for ${subject}, the replay gives ${length}`,
      );
    }

    // ledgerHead' = keccak256(abi.encode(previous ledger head, uint64 sequence, bytes32 subject, recordHead))
    h.fill(0, ledger + 32, ledger + 56);
    writeUint64(h, ledger + 56, claimed!);
    copyWord(h, written, chained.subject, ledger + 64);
    h.copyWithin(ledger + 96, computed, computed + 32);
    h.copyWithin(computed, ledger, ledger + 32);
    sponge.hash(ledger, 128, ledger);
    if (h.compare(h, ledger, ledger + 32, stamp + 96, stamp + 128) !== 0) {
      const recomputed = hexAt(h, ledger);
      h.copyWithin(ledger, computed, computed + 32); // the report gives the last head that did chain
      return editedAt(
        event,
        layout,
        claimed,
        subject,
        `recomputes to ledger head ${recomputed}, the log claims ${hexAt(h, stamp + 96)}`,
      );
    }
    if (!chained.standalone) {
      if (index < 0) {
        index = records.size;
        records.set(subject, index);
        if (32 * index >= heads.length) {
          const grown = new Uint8Array(heads.length * 2);
          grown.set(heads);
          heads = grown;
          const longer = new Float64Array(lengths.length * 2);
          longer.set(lengths);
          lengths = longer;
        }
      }
      heads.set(h.subarray(stamp, stamp + 32), 32 * index);
      lengths[index] = length;
    }
    sequence = claimed!;
    return undefined;
  }

  const report = (divergence?: Divergence): AuditReport => ({
    ok: divergence === undefined,
    eventCount: BigInt(count),
    ledgerSequence: BigInt(sequence),
    ledgerHead: hexAt(sponge.heap, ledger),
    digest: hexAt(sponge.heap, base + SLOT.digest),
    records: records.size,
    ...(divergence === undefined ? {} : { divergence }),
  });

  const iterator = iterate(pages);
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const page = next.value;
      for (let i = 0; i < page.length; i++) {
        const outcome = step(page[i]);
        if (outcome === undefined) continue;
        if (!("anomaly" in outcome)) return report(outcome);
        const after = await readAhead(page.slice(i + 1), iterator, lookahead);
        return report(diagnose(BigInt(sequence + 1), outcome, after, options.expected));
      }
    }
  } finally {
    await iterator.return?.();
  }
  return report(finalCheck(BigInt(sequence), hexAt(sponge.heap, ledger), hexAt(sponge.heap, base + SLOT.digest)));

  function finalCheck(reached: bigint, head: Hex, digest: Hex): Divergence | undefined {
    const { expected, checkpoint } = options;
    if (expected && (expected.ledgerSequence !== reached || expected.ledgerHead.toLowerCase() !== head)) {
      const short = expected.ledgerSequence > reached;
      return {
        kind: short ? "gap" : "head",
        message: short
          ? `the stored events end at ledger entry ${reached}, the chain is at ${expected.ledgerSequence}: entries ` +
            `${reached + 1n} to ${expected.ledgerSequence} are missing`
          : `the stored events replay to ledger entry ${reached} (head ${head}), the chain is at entry ` +
            `${expected.ledgerSequence} (head ${expected.ledgerHead})`,
        sequence: short ? reached + 1n : reached,
      };
    }
    if (!checkpoint) return undefined;
    if (checkpoint.ledgerSequence !== reached || checkpoint.ledgerHead.toLowerCase() !== head) {
      return {
        kind: checkpoint.ledgerSequence > reached ? "gap" : "head",
        message:
          `the checkpoint at block ${checkpoint.blockNumber} claims ledger entry ${checkpoint.ledgerSequence} (head ` +
          `${checkpoint.ledgerHead}), the stored events replay to entry ${reached} (head ${head})`,
        sequence: checkpoint.ledgerSequence > reached ? reached + 1n : reached,
        blockNumber: checkpoint.blockNumber,
      };
    }
    if (checkpoint.eventCount !== BigInt(count) || checkpoint.digest.toLowerCase() !== digest) {
      return {
        kind: "digest",
        message:
          `the checkpoint at block ${checkpoint.blockNumber} covers ${checkpoint.eventCount} events with digest ` +
          `${checkpoint.digest}, the stored events are ${count} with digest ${digest} (an unchained event, a ` +
          `transaction hash or index, a log index or a row past the checkpoint was added, removed or altered)`,
        blockNumber: checkpoint.blockNumber,
      };
    }
    if (lastBlock > checkpoint.blockNumber) {
      return {
        kind: "digest",
        message: `events are stored up to block ${lastBlock}, past the checkpoint's block ${checkpoint.blockNumber}`,
        blockNumber: lastBlock,
      };
    }
    return undefined;
  }
}

/** Names the out-of-sequence entry at `found` from what follows it (see the file's comment). */
function diagnose(
  expected: bigint,
  found: Anomaly,
  after: readonly StoredEvent[],
  chain: AuditOptions["expected"],
): Divergence {
  const { event, layout, claimed } = found;
  const where = { blockNumber: event.blockNumber, logIndex: event.logIndex };
  const place = `block ${event.blockNumber}, log ${event.logIndex}`;
  const claims = after.map((e) => ({ event: e, claimed: claimedSequence(e, layoutOf(e)) }));
  const next = claims.find((c) => c.claimed !== undefined);
  const record = subjectOfEvent(event, layout);
  const later = claims.find((c) => c.claimed === expected);
  // An entry the chain still expects here (the next one follows it, or it is the last and the chain ends with it)
  // whose stamp claims an earlier one was edited, not inserted.
  const standsInPlace = next?.claimed === expected + 1n || (next === undefined && chain?.ledgerSequence === expected);
  if (claimed !== undefined && claimed < expected && !standsInPlace) {
    return {
      kind: "duplicate",
      message: `the event at ${place} claims ledger entry ${claimed}, already replayed (expected ${expected}): an inserted row`,
      sequence: claimed,
      ...where,
      ...(record ? { record } : {}),
    };
  }
  if (claimed !== undefined && claimed > expected && later) {
    if (claims.some((c) => c.claimed === claimed)) {
      return {
        kind: "duplicate",
        message:
          `the event at ${place} claims ledger entry ${claimed}, which is stored again further on: an inserted ` +
          `row (entry ${expected} follows it)`,
        sequence: claimed,
        ...where,
        ...(record ? { record } : {}),
      };
    }
    const moved = subjectOfEvent(later.event, layoutOf(later.event));
    return {
      kind: "reordered",
      message:
        `ledger entry ${expected} is stored at block ${later.event.blockNumber}, log ${later.event.logIndex}, after ` +
        `entry ${claimed} at ${place}: rows reordered (in position or in content)`,
      sequence: expected,
      ...where,
      ...(moved ? { record: moved } : {}),
    };
  }
  if (standsInPlace) {
    return {
      kind: "edited",
      message:
        `the event at ${place} stands where ledger entry ${expected} belongs (the next is ` +
        `${next ? `entry ${next.claimed}` : "the chain's head"}), but its log claims ${claimed ?? "no valid sequence"}: ` +
        "its stamp was altered",
      sequence: expected,
      ...where,
      ...(record ? { record } : {}),
    };
  }
  return {
    kind: "gap",
    message:
      `ledger entry ${expected} is missing: the next stored entry, at ${place}, is ` +
      `${claimed === undefined ? "unreadable" : `entry ${claimed}`}` +
      (claimed !== undefined && claimed > expected + 1n ? ` (entries ${expected} to ${claimed - 1n} are missing)` : ""),
    sequence: expected,
    ...where,
  };
}

/** The stamp's sequence number read from the log's hex (for look-ahead; tolerant). */
function claimedSequence(event: StoredEvent, layout: EventLayout | undefined): bigint | undefined {
  const chained = layout?.chained;
  if (!chained) return undefined;
  const start = 2 + 2 * (chained.stampAt + 64);
  const word = event.data.slice(start, start + 64);
  return /^[0-9a-fA-F]{64}$/.test(word) ? BigInt(`0x${word}`) : undefined;
}

function layoutOf(event: StoredEvent): EventLayout | undefined {
  const topic0 = event.topics[0];
  return topic0 === undefined ? undefined : eventLayouts().get(topic0.toLowerCase());
}

function subjectOfEvent(event: StoredEvent, layout: EventLayout | undefined): Hex | undefined {
  const source = layout?.chained?.subject;
  if (!source) return undefined;
  if ("topic" in source) return event.topics[source.topic]?.toLowerCase() as Hex | undefined;
  const start = 2 + 2 * source.data;
  const word = event.data.slice(start, start + 64);
  return word.length === 64 ? (`0x${word.toLowerCase()}` as Hex) : undefined;
}

async function readAhead(
  rest: readonly StoredEvent[],
  iterator: PageIterator,
  limit: number,
): Promise<readonly StoredEvent[]> {
  const out = rest.slice(0, limit);
  while (out.length < limit) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(...next.value.slice(0, limit - out.length));
  }
  return out;
}

type PageIterator = {
  next(): Promise<IteratorResult<readonly StoredEvent[]>> | IteratorResult<readonly StoredEvent[]>;
  return?(): unknown;
};

function iterate(pages: Pages): PageIterator {
  const asyncIterable = pages as AsyncIterable<readonly StoredEvent[]>;
  if (typeof asyncIterable[Symbol.asyncIterator] === "function") return asyncIterable[Symbol.asyncIterator]();
  return (pages as Iterable<readonly StoredEvent[]>)[Symbol.iterator]();
}

function blockLookup(source: BlockSource | undefined): (n: bigint) => Pick<BlockRef, "hash" | "timestamp"> | undefined {
  if (source === undefined) return () => undefined;
  if (typeof source === "function") return source;
  const map = new Map<bigint, BlockRef>();
  for (const block of source) map.set(block.number, block);
  return (n) => map.get(n);
}

function allowedAddresses(
  layouts: ReadonlyMap<string, EventLayout>,
  addresses: ProvledgerAddresses,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const layout of layouts.values()) {
    const set = out.get(layout.name) ?? new Set<string>();
    for (const role of layout.contracts) set.add(addresses[role].toLowerCase());
    out.set(layout.name, set);
  }
  return out;
}

/** The record key: the subject word as lower-case hex. */
function subjectKey(event: StoredEvent, heap: Buffer, dataAt: number, source: WordSource): string {
  if ("topic" in source) return event.topics[source.topic].toLowerCase();
  return hexAt(heap, dataAt + source.data);
}

function copyWord(heap: Buffer, written: { topicsAt: number; dataAt: number }, source: WordSource, to: number) {
  const from = "topic" in source ? written.topicsAt + 32 * source.topic : written.dataAt + source.data;
  heap.copyWithin(to, from, from + 32);
}

function hexAt(heap: Buffer, at: number): Hex {
  return `0x${heap.toString("hex", at, at + 32)}`;
}

/** Whether a stored hex column is the 32-byte word at `at` (decoded into `scratch`, no strings made). */
function sameWord(hex: Hex | null, heap: Buffer, scratch: number, at: number): boolean {
  return (
    hex !== null &&
    hex.length === 66 &&
    heap.write(hex.slice(2), scratch, "hex") === 32 &&
    heap.compare(heap, at, at + 32, scratch, scratch + 32) === 0
  );
}

function positionOf(event: StoredEvent): { blockNumber: bigint; logIndex: number } {
  return { blockNumber: event.blockNumber, logIndex: event.logIndex };
}

function placeOf(event: StoredEvent): string {
  return `block ${event.blockNumber}, log ${event.logIndex}`;
}

function editedAt(
  event: StoredEvent,
  layout: EventLayout,
  claimed: number | undefined,
  subject: string | undefined,
  what: string,
): Divergence {
  const entry = layout.chained ? `ledger entry ${claimed} (${layout.name}` : `the event (${layout.name}`;
  return {
    kind: "edited",
    message: `${entry} at ${placeOf(event)}) ${what}`,
    ...(claimed === undefined ? {} : { sequence: BigInt(claimed) }),
    ...positionOf(event),
    ...(subject === undefined ? {} : { record: subject as Hex }),
  };
}

/**
 * Audits a store: its events and blocks, against its checkpoint and, when `expected` is given (the chain's
 * `ledgerHead()` read at the checkpoint's block hash), against the chain. Blocks are read page by page beside the
 * events, so memory stays bounded by the record heads.
 */
export async function auditStore(
  store: IndexerStore,
  options: Omit<AuditOptions, "blocks" | "checkpoint"> & { pageSize?: number } = {},
): Promise<AuditReport> {
  const pageSize = options.pageSize ?? 10_000;
  const [checkpoint, identity] = await Promise.all([store.checkpoint(), store.identity()]);
  const window = new Map<bigint, BlockRef>();
  async function* pages(): AsyncGenerator<readonly StoredEvent[]> {
    for await (const page of store.events({ pageSize })) {
      if (page.length === 0) continue;
      window.clear();
      const last = page[page.length - 1].blockNumber;
      for (let from = page[0].blockNumber; from <= last;) {
        const blocks = await store.blocks(from, pageSize);
        for (const block of blocks) if (block.number <= last) window.set(block.number, block);
        if (blocks.length < pageSize) break;
        from = blocks[blocks.length - 1].number + 1n;
      }
      yield page;
    }
  }
  return auditEvents(pages(), {
    ...options,
    addresses: options.addresses ?? identity?.addresses,
    checkpoint,
    blocks: (number) => window.get(number),
  });
}
