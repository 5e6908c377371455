/**
 * Where each event's fields sit in its raw log, computed once from the contracts' ABIs, so that the audit reads a
 * trail entry straight from topics and data (no viem decoding, which bench/audit.ts measured as the next cost after
 * keccak): its subject, actor and stamp are fixed words, and its payload (keccak256 of abi.encode of every parameter
 * but the stamp, in declaration order: src/sdk/trail/payload.ts) is the log's own bytes rearranged:
 *
 *   payload = head words in declaration order (indexed ones from the topics, the others from the data's head, the
 *             stamp's four words left out; each dynamic parameter's offset moved by the head's change in size)
 *             ‖ the data's tail as it is (nested offsets are relative to their own encoding, so they do not move).
 *
 * This holds for canonical encodings (what the contracts emit); a tampered log rearranges to other bytes, and so to
 * another record head. test/indexer/audit/layout.test.ts checks it against payloadHashOf for every trail event.
 */
import { toEventSelector, type AbiEvent, type AbiParameter } from "viem";
import {
  STANDALONE_EVENTS,
  TRAIL_ACTIONS,
  contractAbis,
  isTrailEvent,
  provledgerAbi,
  type ContractRole,
} from "../../sdk";

/** A 32-byte word of the log: topic `topic`, or the data word at byte `data`. */
export type WordSource = { readonly topic: number } | { readonly data: number };

/** One head piece of the payload: a topic word, or `size` bytes of the data's head (an offset if `dynamic`). */
export type PayloadPiece =
  { readonly topic: number } | { readonly data: number; readonly size: number; readonly dynamic: boolean };

export type ChainedLayout = {
  readonly action: number;
  readonly standalone: boolean;
  readonly subject: WordSource;
  readonly actor: WordSource;
  /** Byte offset of the stamp tuple (recordHead, recordLength, ledgerSequence, ledgerHead) in the data. */
  readonly stampAt: number;
  /** Size of the data's head (every non-indexed parameter's head, the stamp included). */
  readonly dataHead: number;
  readonly pieces: readonly PayloadPiece[];
  /** Size of the payload's head. */
  readonly payloadHead: number;
  readonly dynamic: boolean;
};

export type EventLayout = {
  readonly name: string;
  /** 1 + the number of indexed parameters. */
  readonly topicCount: number;
  /** Size of the data's head: shorter data does not decode. */
  readonly dataHead: number;
  /** Whether the event has dynamic non-indexed parameters (then data longer than its head is expected). */
  readonly dynamic: boolean;
  /** The contracts whose ABI has this event. */
  readonly contracts: readonly ContractRole[];
  /** Set for the events that append a trail entry (all stamped). */
  readonly chained?: ChainedLayout;
};

function isDynamic(parameter: AbiParameter): boolean {
  const { type } = parameter;
  if (type === "string" || type === "bytes" || type.endsWith("[]")) return true;
  const fixed = /^(.*)\[(\d+)\]$/.exec(type);
  if (fixed) return isDynamic({ ...parameter, type: fixed[1] } as AbiParameter);
  if (type === "tuple") return (parameter as { components: readonly AbiParameter[] }).components.some(isDynamic);
  return false;
}

/** Bytes a parameter takes in its encoding's head. */
function headSize(parameter: AbiParameter): number {
  if (isDynamic(parameter)) return 32;
  const fixed = /^(.*)\[(\d+)\]$/.exec(parameter.type);
  if (fixed) return Number(fixed[2]) * headSize({ ...parameter, type: fixed[1] } as AbiParameter);
  if (parameter.type === "tuple") {
    return (parameter as { components: readonly AbiParameter[] }).components.reduce((sum, c) => sum + headSize(c), 0);
  }
  return 32;
}

function layoutOf(item: AbiEvent, contracts: ContractRole[]): EventLayout {
  let topic = 1;
  let dataAt = 0;
  const where = new Map<string, WordSource>();
  const pieces: PayloadPiece[] = [];
  let payloadHead = 0;
  let stampAt = -1;
  let dynamic = false;
  for (const input of item.inputs) {
    if (input.indexed) {
      where.set(input.name ?? "", { topic });
      pieces.push({ topic });
      payloadHead += 32;
      topic += 1;
      continue;
    }
    const size = headSize(input);
    const dyn = isDynamic(input);
    dynamic ||= dyn;
    if (input.name === "stamp") stampAt = dataAt;
    else {
      where.set(input.name ?? "", { data: dataAt });
      pieces.push({ data: dataAt, size, dynamic: dyn });
      payloadHead += size;
    }
    dataAt += size;
  }
  const layout = { name: item.name, topicCount: topic, dataHead: dataAt, dynamic, contracts };
  if (!isTrailEvent(item.name) || stampAt < 0) return layout;
  const actor = where.get("actor") ?? where.get("registrant") ?? where.get("by");
  const subject = where.get(item.inputs[0]?.name ?? "");
  if (actor === undefined || subject === undefined) return layout;
  return {
    ...layout,
    chained: {
      action: TRAIL_ACTIONS[item.name],
      standalone: STANDALONE_EVENTS.has(item.name),
      subject,
      actor,
      stampAt,
      dataHead: dataAt,
      pieces,
      payloadHead,
      dynamic,
    },
  };
}

let layouts: Map<string, EventLayout> | undefined;

/** Every event of the three contracts by its topic 0 (lower case). */
export function eventLayouts(): ReadonlyMap<string, EventLayout> {
  if (layouts) return layouts;
  layouts = new Map();
  const roles = new Map<string, ContractRole[]>();
  for (const [role, abi] of Object.entries(contractAbis) as [ContractRole, readonly { type: string }[]][]) {
    for (const item of abi) {
      if (item.type !== "event") continue;
      const selector = toEventSelector(item as AbiEvent);
      roles.set(selector, [...(roles.get(selector) ?? []), role]);
    }
  }
  for (const item of provledgerAbi) {
    if (item.type !== "event") continue;
    const selector = toEventSelector(item as AbiEvent);
    if (!layouts.has(selector)) layouts.set(selector, layoutOf(item as AbiEvent, roles.get(selector) ?? []));
  }
  return layouts;
}

const TWO32 = 4294967296;

/** A 32-byte big-endian word as a number, if it is below 2^53; undefined otherwise. */
export function wordToNumber(heap: Buffer, at: number): number | undefined {
  for (let i = at; i < at + 25; i++) if (heap[i] !== 0) return undefined;
  if (heap[at + 25] >= 0x20) return undefined;
  return heap[at + 25] * 2 ** 48 + heap.readUIntBE(at + 26, 6);
}

export function writeUint64(heap: Buffer, at: number, value: number): void {
  heap.writeUInt32BE(Math.floor(value / TWO32), at);
  heap.writeUInt32BE(value >>> 0, at + 4);
}

/**
 * Writes a trail entry's payload at `payload` (room for `chained.payloadHead + dataLength - chained.dataHead` bytes
 * reserved), rearranged from the log `written` in the same heap (see the file comment). False, with nothing to hash,
 * when a dynamic parameter's offset is not a number below 2^53, or is below `minimumOffset`.
 */
export function writePayload(
  heap: Buffer,
  written: { readonly topicsAt: number; readonly dataAt: number; readonly dataLength: number },
  chained: ChainedLayout,
  payload: number,
  minimumOffset: number,
): boolean {
  let offset = payload;
  for (const piece of chained.pieces) {
    if ("topic" in piece) {
      heap.copyWithin(offset, written.topicsAt + 32 * piece.topic, written.topicsAt + 32 * piece.topic + 32);
      offset += 32;
    } else if (piece.dynamic) {
      // A dynamic parameter's offset moves by the head's change in size (the stamp's words are left out).
      const old = wordToNumber(heap, written.dataAt + piece.data);
      if (old === undefined || old < minimumOffset) return false;
      heap.fill(0, offset, offset + 24);
      writeUint64(heap, offset + 24, old - chained.dataHead + chained.payloadHead);
      offset += 32;
    } else {
      heap.copyWithin(offset, written.dataAt + piece.data, written.dataAt + piece.data + piece.size);
      offset += piece.size;
    }
  }
  heap.copyWithin(offset, written.dataAt + chained.dataHead, written.dataAt + written.dataLength);
  return true;
}
