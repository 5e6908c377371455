/**
 * A valid stored history, synthesised from real encodings: every event kind of the three contracts' ABIs (the
 * projection tests' samples), encoded with viem, over a pool of records, organisations and classes, with stamps computed
 * as the contracts do. `exact` computes every payload and head with the SDK's own functions (payloadHashOf on the
 * event's arguments, recordEntry, ledgerEntry: independent of the audit's in-place decoding); the default, for large
 * histories (the benchmark), splices a per-kind template and hashes with the audit's sponge.
 */
import {
  encodeAbiParameters,
  encodeEventTopics,
  keccak256,
  numberToHex,
  toHex,
  zeroHash,
  type AbiEvent,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";
import {
  STANDALONE_EVENTS,
  TRAIL_ACTIONS,
  contractAbis,
  isTrailEvent,
  ledgerEntry,
  payloadHashOf,
  provledgerAbi,
  recordEntry,
  type ContractRole,
  type ProvledgerAddresses,
} from "../../../src/sdk";
import type { BlockRef, Checkpoint, StoredEvent } from "../../../src/indexer/types";
import { digestOf } from "../../../src/indexer/audit";
import { keccak } from "../../../src/indexer/audit/keccak";
import { samples } from "../projection/fixtures";

export const addresses: ProvledgerAddresses = {
  registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  ledger: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  rights: "0x9fe46736679d2d9a24c1f0a4bb4d1dbb6ba14c0a",
};

export type History = {
  events: StoredEvent[];
  blocks: BlockRef[];
  /** What the chain's `ledgerHead()` would say after the last block. */
  head: { ledgerSequence: bigint; ledgerHead: Hex };
  checkpoint: Checkpoint;
};

const STAMP_MARKER = {
  recordHead: `0x${"11".repeat(32)}` as Hex,
  recordLength: 0x2222222222222222n,
  ledgerSequence: 0x3333333333333333n,
  ledgerHead: `0x${"44".repeat(32)}` as Hex,
};

type Template = {
  name: string;
  item: AbiEvent;
  address: Address;
  args: Record<string, unknown>;
  subjectName: string;
  subjectType: string;
  chained: boolean;
  standalone: boolean;
  action: number;
  actor: Address;
  topics: Hex[];
  /** Data hex without 0x, split around the stamp's 256 hex digits. */
  before: string;
  after: string;
  /** The payload's encoding after its first word (the subject), hex without 0x. */
  payloadRest: string;
};

let templates: Template[] | undefined;

function contractOf(name: string): ContractRole {
  for (const [role, abi] of Object.entries(contractAbis) as [
    ContractRole,
    readonly { type: string; name?: string }[],
  ][]) {
    if (abi.some((item) => item.type === "event" && item.name === name)) return role;
  }
  throw new Error(`no contract emits ${name}`);
}

function templatesOf(): Template[] {
  if (templates) return templates;
  templates = [];
  for (const [name, sample] of Object.entries(samples)) {
    const item = provledgerAbi.find((i) => i.type === "event" && i.name === name) as AbiEvent;
    if (item.inputs.length === 0) continue;
    const chained = isTrailEvent(name);
    const args = { ...(sample.args as Record<string, unknown>) };
    if (chained) args.stamp = STAMP_MARKER;
    const indexed = Object.fromEntries(item.inputs.filter((i) => i.indexed).map((i) => [i.name!, args[i.name!]]));
    const topics = encodeEventTopics({ abi: [item], eventName: name, args: indexed } as never) as Hex[];
    const others = item.inputs.filter((i) => !i.indexed);
    const data =
      others.length === 0
        ? "0x"
        : encodeAbiParameters(
            others,
            others.map((i) => args[i.name!]),
          );
    // The stamp's first word, at a word boundary (a word before it may end in 1s).
    let marker = 2;
    while (marker < data.length && data.slice(marker, marker + 64) !== "11".repeat(32)) marker += 64;
    const withoutStamp = item.inputs.filter((i) => i.name !== "stamp") as AbiParameter[];
    const payload = encodeAbiParameters(
      withoutStamp,
      withoutStamp.map((i) => args[i.name!]),
    );
    templates.push({
      name,
      item,
      address: addresses[contractOf(name)],
      args,
      subjectName: item.inputs[0].name!,
      subjectType: item.inputs[0].type,
      chained,
      standalone: chained && STANDALONE_EVENTS.has(name as never),
      action: chained ? TRAIL_ACTIONS[name as keyof typeof TRAIL_ACTIONS] : 0,
      actor: (args.actor ?? args.registrant ?? args.by ?? zeroHash.slice(0, 42)) as Address,
      topics,
      before: chained ? data.slice(2, marker) : data.slice(2),
      after: chained ? data.slice(marker + 256) : "",
      payloadRest: payload.slice(66),
    });
  }
  return templates;
}

/** A deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const word = (value: bigint): string => value.toString(16).padStart(64, "0");

/** Bytes of hex (no 0x) strings, concatenated. */
function bytesOf(...parts: string[]): Uint8Array {
  return Buffer.from(parts.join(""), "hex");
}

export function synthesizeHistory(
  count: number,
  options: { seed?: number; exact?: boolean; records?: number; firstBlock?: bigint } = {},
): History {
  const next = random(options.seed ?? 1);
  const all = templatesOf();
  const chained = all.filter((t) => t.chained);
  const unchained = all.filter((t) => !t.chained);
  const records = Math.max(1, options.records ?? Math.ceil(count / 8));
  const heads = new Map<string, { head: Hex; length: bigint }>();
  const events: StoredEvent[] = [];
  const blocks: BlockRef[] = [];
  let ledgerHead: Hex = zeroHash;
  let sequence = 0n;
  let number = options.firstBlock ?? 100n;
  let time = 1_800_000_000n;
  let logIndex = 0;
  let inBlock = 0;
  let parentHash: Hex = `0x${"ab".repeat(32)}`;
  const blockHash = (n: bigint): Hex => `0x${"b1".repeat(24)}${n.toString(16).padStart(16, "0")}`;

  for (let i = 0; i < count; i++) {
    if (inBlock === 0) {
      if (blocks.length > 0) number += 1n + BigInt(Math.floor(next() * 3));
      time += 1n + BigInt(Math.floor(next() * 12));
      inBlock = 1 + Math.floor(next() * 4);
      logIndex = Math.floor(next() * 2);
      const block = { number, hash: blockHash(number), parentHash, timestamp: time };
      blocks.push(block);
      parentHash = block.hash;
    }
    const template =
      next() < 0.04 ? unchained[Math.floor(next() * unchained.length)] : chained[Math.floor(next() * chained.length)];
    let subjectValue: unknown;
    let subject: Hex;
    if (template.subjectType === "bytes32") {
      subject =
        template.name === "BatchAnchored"
          ? keccak256(toHex(`root ${i}`))
          : (`0x${word(BigInt(Math.floor(next() * records)) + 0x1000n)}` as Hex);
      subjectValue = subject;
    } else if (template.subjectType === "uint32") {
      subjectValue = 1 + Math.floor(next() * 50);
      subject = numberToHex(subjectValue as number, { size: 32 });
    } else if (template.subjectType === "uint8") {
      subjectValue = Math.floor(next() * 4);
      subject = numberToHex(subjectValue as number, { size: 32 });
    } else {
      subjectValue = template.args[template.subjectName];
      subject = template.topics[1] ?? zeroHash;
    }
    const topics = [...template.topics];
    if (template.item.inputs[0].indexed) topics[1] = subject;
    const transactionHash: Hex = `0x${"7a".repeat(24)}${i.toString(16).padStart(16, "0")}`;
    const base = {
      blockNumber: number,
      blockHash: blockHash(number),
      logIndex,
      transactionHash,
      transactionIndex: logIndex >> 1,
      address: template.address,
      topics,
      eventName: template.name,
    };
    logIndex += 1 + Math.floor(next() * 2);
    inBlock -= 1;
    if (!template.chained) {
      events.push({ ...base, data: `0x${template.before}`, ledgerSequence: null, ledgerHead: null });
      continue;
    }
    const key = subject.toLowerCase();
    const previous = template.standalone ? undefined : heads.get(key);
    const length = (previous?.length ?? 0n) + 1n;
    sequence += 1n;
    let recordHead: Hex;
    if (options.exact) {
      const args = { ...template.args, [template.subjectName]: subjectValue };
      const payloadHash = payloadHashOf({ eventName: template.name, args });
      recordHead = recordEntry(previous?.head ?? zeroHash, template.action, template.actor, time, payloadHash);
      ledgerHead = ledgerEntry(ledgerHead, sequence, subject, recordHead);
    } else {
      const payloadHash = keccak(bytesOf(subject.slice(2), template.payloadRest));
      recordHead = toHex(
        keccak(
          bytesOf(
            (previous?.head ?? zeroHash).slice(2),
            word(BigInt(template.action)),
            word(BigInt(template.actor)),
            word(time),
            Buffer.from(payloadHash).toString("hex"),
          ),
        ),
      );
      ledgerHead = toHex(keccak(bytesOf(ledgerHead.slice(2), word(sequence), subject.slice(2), recordHead.slice(2))));
    }
    if (!template.standalone) heads.set(key, { head: recordHead, length });
    const stamp = recordHead.slice(2) + word(length) + word(sequence) + ledgerHead.slice(2);
    events.push({
      ...base,
      data: `0x${template.before}${stamp}${template.after}`,
      ledgerSequence: sequence,
      ledgerHead,
    });
  }
  const last = blocks[blocks.length - 1];
  return {
    events,
    blocks,
    head: { ledgerSequence: sequence, ledgerHead },
    checkpoint: {
      blockNumber: last.number,
      blockHash: last.hash,
      ledgerSequence: sequence,
      ledgerHead,
      eventCount: BigInt(events.length),
      digest: digestOf(events),
    },
  };
}

/** Pages of `size` events, as a store's cursor gives them. */
export function pagesOf<T>(items: readonly T[], size = 1000): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}
