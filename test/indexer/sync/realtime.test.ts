/**
 * createRealtimeSync against anvil: every new height in order, reorgs made with anvil_reorg found with the right
 * ancestor and depth and followed by the new chain, a lagging head (the proxy lowers eth_blockNumber) not taken for
 * a reorg, finalize events `confirmations` below the tip.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { createRealtimeSync, createRpc, type IndexerRpc, type RealtimeEvent } from "../../../src/indexer/sync";
import type { RealtimeSync } from "../../../src/indexer/sync";
import type { BlockRef } from "../../../src/indexer/types";
import { anvilClients, startAnvil, type Anvil, type AnvilClients } from "../../helpers/anvil";
import { startFaultProxy, type FaultProxy } from "../../helpers/faultProxy";
import { deployEmitter, emit } from "./chain";

describe("indexer/sync createRealtimeSync", function () {
  let anvil: Anvil;
  let clients: AnvilClients;
  let proxy: FaultProxy;
  let emitters: Address[];
  let rpc: IndexerRpc;
  const running: RealtimeSync[] = [];

  before(async () => {
    anvil = await startAnvil();
    clients = anvilClients(anvil.url);
    emitters = [await deployEmitter(clients), await deployEmitter(clients)];
    proxy = await startFaultProxy(anvil.url);
    rpc = createRpc({ url: anvil.url, timeoutMs: 2_000, backoffMs: 2, maxBackoffMs: 20 });
  });
  after(async () => {
    await proxy?.stop();
    await anvil?.stop();
  });
  afterEach(() => {
    for (const sync of running.splice(0)) sync.stop();
    proxy.clear();
  });

  /** The sync from the current head, with a reader of its events and a record of the blocks it reported. */
  async function follow(options: { confirmations?: number; via?: IndexerRpc; tail?: BlockRef[] } = {}) {
    const head = await rpc.blockByNumber(await rpc.blockNumber());
    const tail = options.tail ?? [strip(head)];
    const local = new Map(tail.map((block) => [block.number, block]));
    const sync = createRealtimeSync({
      rpc: options.via ?? rpc,
      addresses: emitters,
      tail,
      confirmations: options.confirmations ?? 0,
      pollIntervalMs: 20,
      localBlock: async (number) => local.get(number),
    });
    running.push(sync);
    const iterator = sync.events[Symbol.asyncIterator]();
    const seen: RealtimeEvent[] = [];
    /** Events until `done` holds for the last one. */
    async function until(done: (event: RealtimeEvent) => boolean): Promise<RealtimeEvent[]> {
      const events: RealtimeEvent[] = [];
      for (;;) {
        const next = await iterator.next();
        if (next.done) throw new Error("the sync ended");
        events.push(next.value);
        seen.push(next.value);
        if (next.value.type === "block") local.set(next.value.block.number, next.value.block);
        if (done(next.value)) return events;
      }
    }
    const untilBlock = (number: bigint) => until((event) => event.type === "block" && event.block.number === number);
    return { sync, until, untilBlock, seen, head, local };
  }

  it("reports every new block in order with its logs by hash, also when the head jumps by 50", async () => {
    const { untilBlock, head } = await follow();
    const withLogs = await emit(clients, emitters, { blocks: 3, perBlock: 2 });
    const events = await untilBlock(withLogs);
    // Confirmations 0: each block is final as soon as it is reported (its finalize follows it).
    expect(events.map((event) => event.type)).to.deep.equal(["block", "finalize", "block", "finalize", "block"]);
    const blocks = events.flatMap((event) => (event.type === "block" ? [event] : []));
    expect(blocks.map((event) => event.block.number)).to.deep.equal([
      head.number + 1n,
      head.number + 2n,
      head.number + 3n,
    ]);
    for (const event of blocks) {
      const expected = await rpc.getLogs({
        addresses: emitters,
        fromBlock: event.block.number,
        toBlock: event.block.number,
      });
      expect(event.logs).to.deep.equal(expected);
      expect(event.logs).to.have.length(2);
      const block = await clients.publicClient.getBlock({ blockNumber: event.block.number });
      expect(event.block).to.deep.equal(strip({ ...block, number: block.number, hash: block.hash }));
    }
    await clients.testClient.mine({ blocks: 50 });
    const jumped = (await untilBlock(withLogs + 50n)).flatMap((event) => (event.type === "block" ? [event] : []));
    expect(jumped.map((event) => event.block.number)).to.deep.equal(
      Array.from({ length: 50 }, (_, index) => withLogs + 1n + BigInt(index)),
    );
    jumped.forEach((event, index) => {
      expect(event.logs).to.deep.equal([]);
      if (index > 0) expect(event.block.parentHash).to.equal(jumped[index - 1]!.block.hash);
    });
  });

  for (const depth of [1, 2, 3, 5, 10]) {
    it(`finds a depth-${depth} reorg (anvil_reorg): the common ancestor, the depth, then the new chain's blocks`, async () => {
      const { untilBlock, until, local } = await follow({ confirmations: 12 });
      const tip = await emit(clients, emitters, { blocks: 12, perBlock: 1, tag: depth * 100 });
      await untilBlock(tip);
      const old = new Map(local);
      // Replace the last `depth` blocks; the new chain's first block gets a transaction of ours (another log).
      const data = `0x${(9000 + depth).toString(16).padStart(64, "0")}`;
      await clients.testClient.request({
        method: "anvil_reorg" as never,
        params: [depth, [[{ from: clients.accounts[2]!.address, to: emitters[0], data, gas: "0x186a0" }, 0]]] as never,
      });
      const events = (await until((event) => event.type === "block" && event.block.number === tip)).filter(
        (event) => event.type !== "finalize",
      );
      expect(events[0]).to.deep.include({ type: "reorg", depth });
      const reorg = events[0] as Extract<RealtimeEvent, { type: "reorg" }>;
      expect(reorg.ancestor).to.deep.equal(old.get(tip - BigInt(depth)));
      const blocks = events.flatMap((event) => (event.type === "block" ? [event] : []));
      expect(blocks.map((event) => event.block.number)).to.deep.equal(
        Array.from({ length: depth }, (_, index) => tip - BigInt(depth) + 1n + BigInt(index)),
      );
      expect(blocks[0]!.block.parentHash).to.equal(reorg.ancestor.hash);
      for (const event of blocks) {
        expect(event.block.hash).to.not.equal(old.get(event.block.number)!.hash);
        const onChain = await rpc.blockByNumber(event.block.number);
        expect(event.block.hash).to.equal(onChain.hash);
      }
      expect(blocks[0]!.logs.map((log) => log.data)).to.deep.equal([data]);
      expect(events.filter((event) => event.type === "reorg")).to.have.length(1);
    });
  }

  it("walks back past the in-memory tail through localBlock", async () => {
    // Confirmations 0: each block is final at once, so the in-memory chain holds one block; the store holds the rest.
    const { untilBlock, until, local } = await follow({ confirmations: 0 });
    const tip = await emit(clients, emitters, { blocks: 4, perBlock: 1, tag: 4000 });
    await untilBlock(tip);
    const ancestor = local.get(tip - 3n);
    await clients.testClient.request({ method: "anvil_reorg" as never, params: [3, []] as never });
    const events = await until((event) => event.type === "reorg");
    expect(events.filter((event) => event.type !== "finalize")).to.deep.equal([{ type: "reorg", ancestor, depth: 3 }]);
    await untilBlock(tip);
  });

  it("does not take a head that went down for a reorg when the node's blocks at its head are ours (a lagging node)", async () => {
    const via = createRpc({ url: proxy.url, timeoutMs: 2_000, backoffMs: 2, maxBackoffMs: 20 });
    const { untilBlock, seen } = await follow({ via });
    const tip = await emit(clients, emitters, { blocks: 3, perBlock: 1, tag: 5000 });
    await untilBlock(tip);
    // The node now reports a head 2 blocks lower, for a while, then catches up and moves on.
    proxy.inject({ kind: "headBack", method: "eth_blockNumber", by: 2, times: 15 });
    // The sync polls only while its events are read: read on while the node lags.
    const reading = untilBlock(tip + 1n);
    while (proxy.pending() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.stats.injectedByKind.headBack).to.equal(15);
    expect(await emit(clients, emitters, { blocks: 1, tag: 5100 })).to.equal(tip + 1n);
    await reading;
    expect(seen.filter((event) => event.type === "reorg")).to.have.length(0);
    const numbers = seen.flatMap((event) => (event.type === "block" ? [event.block.number] : []));
    expect(numbers).to.deep.equal(Array.from({ length: numbers.length }, (_, index) => numbers[0]! + BigInt(index)));
  });

  it("takes a lower head whose block is not ours for a reorg (anvil_rollback, then another chain)", async () => {
    const { untilBlock, until, local } = await follow({ confirmations: 10 });
    const tip = await emit(clients, emitters, { blocks: 4, perBlock: 1, tag: 6000 });
    await untilBlock(tip);
    const ancestor = local.get(tip - 3n);
    // Three blocks rolled back, one different block mined: the head is two lower, and its block is not ours.
    await clients.testClient.request({ method: "anvil_rollback" as never, params: [3] as never });
    await emit(clients, emitters, { blocks: 1, tag: 6100 });
    const events = await until((event) => event.type === "reorg");
    expect(events.filter((event) => event.type !== "finalize")).to.deep.equal([{ type: "reorg", ancestor, depth: 3 }]);
  });

  it("finalizes the block `confirmations` below the tip, once per advance, never above it", async () => {
    const { until, seen, head } = await follow({ confirmations: 3, tail: await tailOf(4) });
    const tip = await emit(clients, emitters, { blocks: 6, perBlock: 1, tag: 7000 });
    await until((event) => event.type === "finalize" && event.block.number === tip - 3n);
    let last: bigint | undefined;
    for (const event of seen) {
      if (event.type === "block") last = event.block.number;
      if (event.type === "finalize") {
        expect(event.block.number).to.equal(last! - 3n);
        const onChain = await rpc.blockByNumber(event.block.number);
        expect(event.block.hash).to.equal(onChain.hash);
      }
    }
    const finalized = seen.flatMap((event) => (event.type === "finalize" ? [event.block.number] : []));
    expect(finalized).to.deep.equal(Array.from({ length: 6 }, (_, index) => head.number - 2n + BigInt(index)));
  });

  it("starts at startBlock with an empty tail, and ends when stopped", async () => {
    const start = await rpc.blockNumber();
    await clients.testClient.mine({ blocks: 2 });
    const sync = createRealtimeSync({
      rpc,
      addresses: emitters,
      tail: [],
      startBlock: start - 1n,
      confirmations: 0,
      pollIntervalMs: 20,
      localBlock: async () => undefined,
    });
    const numbers: bigint[] = [];
    for await (const event of sync.events) {
      if (event.type !== "block") continue;
      numbers.push(event.block.number);
      if (event.block.number === start + 2n) sync.stop();
    }
    expect(numbers).to.deep.equal([start - 1n, start, start + 1n, start + 2n]);
  });

  async function tailOf(length: number): Promise<BlockRef[]> {
    const head = await rpc.blockNumber();
    const blocks: BlockRef[] = [];
    for (let number = head - BigInt(length) + 1n; number <= head; number++)
      blocks.push(strip(await rpc.blockByNumber(number)));
    return blocks;
  }
});

function strip(block: BlockRef): BlockRef {
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
}
