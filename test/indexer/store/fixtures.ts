/**
 * A small chain of real encoded logs for the store's tests: the projection tests' events (`worldEvents`, then one
 * of every kind from `samples`), re-stamped with contiguous ledger sequences, encoded with viem from the SDK's ABI
 * (so that they follow the contracts' event shapes), and laid out in blocks. `chain(fork)` gives the same events
 * under other block hashes from block `fork` on, as a reorganisation would.
 */
import {
  encodeAbiParameters,
  encodeEventTopics,
  keccak256,
  toHex,
  zeroHash,
  type AbiEvent,
  type Address,
  type Hex,
} from "viem";
import { provledgerAbi, type ProvledgerEvent } from "../../../src/sdk";
// Not the indexer's root: the store's tests must not depend on the runtime being built beside it.
import { toStoredEvent } from "../../../src/indexer/events";
import type { BlockRef, Checkpoint, RangeCommit, StoredEvent } from "../../../src/indexer/types";
import {
  applyEvent,
  createMemoryStore,
  seedProjection,
  type MemoryProjectionStore,
} from "../../../src/indexer/projection";
import { hash, samples, start, worldEvents } from "../projection/fixtures";

export const addresses = {
  registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  ledger: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  rights: "0x9fe46736679d2d9a24c1f0a4bb4d1dbb6ba14c0a",
} as const satisfies Record<string, Address>;

const contractOf: Record<string, Address> = {};
for (const item of provledgerAbi) if (item.type === "event") contractOf[item.name] ??= addresses.ledger;

function abiItem(name: string): AbiEvent {
  const item = provledgerAbi.find((i) => i.type === "event" && i.name === name);
  if (!item) throw new Error(`no event ${name} in the ABI`);
  return item as AbiEvent;
}

/** A decoded event as the node would return it: topics (indexed arguments) and data (the others). */
export function encodeEvent(event: ProvledgerEvent): { topics: Hex[]; data: Hex } {
  const item = abiItem(event.eventName);
  const args = (Array.isArray(event.args) ? {} : event.args) as Record<string, unknown>;
  const indexed = Object.fromEntries(item.inputs.filter((i) => i.indexed).map((i) => [i.name!, args[i.name!]]));
  const topics = encodeEventTopics({ abi: [item], eventName: item.name, args: indexed } as never) as Hex[];
  const others = item.inputs.filter((i) => !i.indexed);
  const data =
    others.length === 0
      ? "0x"
      : encodeAbiParameters(
          others,
          others.map((i) => args[i.name!]),
        );
  return { topics, data };
}

type Stamp = { recordHead: Hex; recordLength: bigint; ledgerSequence: bigint; ledgerHead: Hex };

/** The events in order, each stamped one ledger sequence after the last (as the chain would). */
export function scenarioEvents(): ProvledgerEvent[] {
  let sequence = 0n;
  const all = [...worldEvents, ...Object.values(samples)] as ProvledgerEvent[];
  return all.map((event) => {
    const args = event.args as { stamp?: Stamp };
    if (Array.isArray(event.args) || !args.stamp) return event;
    sequence += 1n;
    const stamp = { ...args.stamp, ledgerSequence: sequence, ledgerHead: hash(`ledger head ${sequence}`) };
    return { ...event, args: { ...event.args, stamp } } as ProvledgerEvent;
  });
}

export const FIRST_BLOCK = 100n;
const EVENTS_PER_BLOCK = 3;

export type Chain = { blocks: BlockRef[]; events: StoredEvent[]; decoded: ProvledgerEvent[] };

/** Block hashes from `fork` on differ from the canonical chain's (`fork` undefined: the canonical chain). */
export function chain(fork?: bigint, events: readonly ProvledgerEvent[] = scenarioEvents()): Chain {
  const count = Math.ceil(events.length / EVENTS_PER_BLOCK) + 2;
  const blocks: BlockRef[] = [];
  let parentHash: Hex = hash("genesis");
  for (let i = 0; i < count; i++) {
    const number = FIRST_BLOCK + BigInt(i);
    const branch = fork !== undefined && number >= fork ? `fork ${fork}` : "main";
    const block = { number, hash: hash(`block ${number} ${branch}`), parentHash, timestamp: start + BigInt(i) * 12n };
    blocks.push(block);
    parentHash = block.hash;
  }
  const stored = events.map((event, i) => {
    const block = blocks[Math.floor(i / EVENTS_PER_BLOCK)]!;
    const { topics, data } = encodeEvent(event);
    return toStoredEvent({
      blockNumber: block.number,
      blockHash: block.hash,
      logIndex: i % EVENTS_PER_BLOCK,
      transactionHash: keccak256(toHex(`tx ${block.hash} ${i}`)),
      transactionIndex: i % EVENTS_PER_BLOCK,
      address: contractOf[event.eventName]!,
      topics,
      data,
    });
  });
  return { blocks, events: stored, decoded: [...events] };
}

export const lastBlock = (c: Chain) => c.blocks[c.blocks.length - 1]!.number;

/** The checkpoint after `block` (a stand-in digest: the store keeps it, the audit checks it). */
export function checkpointAt(c: Chain, block: bigint): Checkpoint {
  const ref = c.blocks.find((b) => b.number === block)!;
  const upTo = c.events.filter((e) => e.blockNumber <= block);
  const stamped = upTo.filter((e) => e.ledgerSequence !== null);
  const last = stamped[stamped.length - 1];
  return {
    blockNumber: block,
    blockHash: ref.hash,
    ledgerSequence: last?.ledgerSequence ?? 0n,
    ledgerHead: last?.ledgerHead ?? zeroHash,
    eventCount: BigInt(upTo.length),
    digest: keccak256(toHex(`digest ${ref.hash} ${upTo.length}`)),
  };
}

/** The range from..to of `c`: its events, the blocks they are in and its last block. */
export function rangeOf(c: Chain, from: bigint, to: bigint, unfinalizedFrom?: bigint): RangeCommit {
  const events = c.events.filter((e) => e.blockNumber >= from && e.blockNumber <= to);
  const numbers = new Set(events.map((e) => e.blockNumber));
  numbers.add(to);
  return {
    fromBlock: from,
    toBlock: to,
    blocks: c.blocks.filter((b) => numbers.has(b.number)),
    events,
    checkpoint: checkpointAt(c, to),
    ...(unfinalizedFrom === undefined ? {} : { unfinalizedFrom }),
  };
}

/** The projection the events of `c` up to `block` give in the memory store (the reference). */
export function memoryProjection(c: Chain, block: bigint): MemoryProjectionStore {
  const store = createMemoryStore();
  seedProjection(store);
  c.events.forEach((stored, i) => {
    if (stored.blockNumber > block) return;
    const time = c.blocks.find((b) => b.number === stored.blockNumber)!.timestamp;
    applyEvent(store, c.decoded[i]!, time);
  });
  return store;
}
