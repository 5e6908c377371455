/**
 * fetchLogs against anvil: the ranges cover the requested span exactly, their logs equal one eth_getLogs over all of
 * it, and the range adapts: it shrinks on a "too many results" refusal (or adopts the range the refusal suggests), on
 * a timeout, grows back on success, and never exceeds maxRange.
 */
import { expect } from "chai";
import type { Address } from "viem";
import {
  createLogRangeState,
  createRpc,
  fetchLogs,
  suggestedLimit,
  suggestedRange,
  type FetchedRange,
  type IndexerRpc,
} from "../../../src/indexer/sync";
import { anvilClients, startAnvil, type Anvil, type AnvilClients } from "../../helpers/anvil";
import { startFaultProxy, type FaultProxy, type JsonRpcRequest } from "../../helpers/faultProxy";
import { deployEmitter, emit } from "./chain";

describe("indexer/sync fetchLogs", function () {
  let anvil: Anvil;
  let clients: AnvilClients;
  let proxy: FaultProxy;
  let emitters: Address[];
  let head: bigint;

  const rpcVia = (url: string): IndexerRpc => createRpc({ url, timeoutMs: 400, backoffMs: 2, maxBackoffMs: 20 });

  async function collect(rpc: IndexerRpc, options: Partial<Parameters<typeof fetchLogs>[1]> = {}) {
    const ranges: FetchedRange[] = [];
    for await (const range of fetchLogs(rpc, { addresses: emitters, fromBlock: 1n, toBlock: head, ...options })) {
      ranges.push(range);
    }
    return ranges;
  }

  function span(request: JsonRpcRequest): bigint {
    const filter = request.params?.[0] as { fromBlock?: string; toBlock?: string; blockHash?: string };
    if (filter.blockHash) return 1n;
    return BigInt(filter.toBlock!) - BigInt(filter.fromBlock!) + 1n;
  }

  before(async () => {
    anvil = await startAnvil();
    clients = anvilClients(anvil.url);
    emitters = [await deployEmitter(clients), await deployEmitter(clients)];
    await emit(clients, emitters, { blocks: 30, perBlock: 2 });
    await clients.testClient.mine({ blocks: 40 });
    head = await emit(clients, emitters, { blocks: 30, perBlock: 1, tag: 1000 });
    proxy = await startFaultProxy(anvil.url);
  });
  after(async () => {
    await proxy?.stop();
    await anvil?.stop();
  });
  afterEach(() => {
    proxy.clear();
    proxy.resetStats();
  });

  function expectCoverage(ranges: readonly FetchedRange[], from: bigint, to: bigint) {
    expect(ranges[0]!.fromBlock).to.equal(from);
    expect(ranges[ranges.length - 1]!.toBlock).to.equal(to);
    ranges.forEach((range, index) => {
      if (index > 0) expect(range.fromBlock).to.equal(ranges[index - 1]!.toBlock + 1n);
      expect(range.last.number).to.equal(range.toBlock);
      expect(range.blocks[range.blocks.length - 1]).to.deep.equal(range.last);
      const holding = new Set(range.logs.map((log) => log.blockNumber));
      expect(range.blocks.map((block) => block.number)).to.deep.equal(
        [...new Set([...holding, range.toBlock])].sort((a, b) => (a < b ? -1 : 1)),
      );
      for (const log of range.logs) {
        expect(log.blockNumber >= range.fromBlock && log.blockNumber <= range.toBlock).to.equal(true);
        expect(range.blocks.find((block) => block.number === log.blockNumber)!.hash).to.equal(log.blockHash);
      }
    });
  }

  it("covers the span in contiguous ranges whose logs equal one eth_getLogs over all of it, with their blocks", async () => {
    const rpc = rpcVia(anvil.url);
    const all = await rpc.getLogs({ addresses: emitters, fromBlock: 1n, toBlock: head });
    expect(all).to.have.length(90);
    const ranges = await collect(rpc, { range: { initialRange: 7n, maxRange: 20n, growth: 1.5 } });
    expectCoverage(ranges, 1n, head);
    expect(ranges.flatMap((range) => range.logs)).to.deep.equal(all);
    // 7, 10, 15, 20, 20, ...: grows by 1.5 per success, capped at maxRange.
    const sizes = ranges.map((range) => range.toBlock - range.fromBlock + 1n);
    expect(sizes.slice(0, 5)).to.deep.equal([7n, 10n, 15n, 20n, 20n]);
    expect(sizes.every((size) => size <= 20n)).to.equal(true);
    const viemBlock = await clients.publicClient.getBlock({ blockNumber: ranges[0]!.toBlock });
    expect(ranges[0]!.last).to.deep.equal({
      number: viemBlock.number,
      hash: viemBlock.hash,
      parentHash: viemBlock.parentHash,
      timestamp: viemBlock.timestamp,
    });
  });

  it("halves the range on 'query returned more than N results' and grows back, with the same logs", async () => {
    const expected = await collect(rpcVia(anvil.url), { range: { initialRange: 64n, maxRange: 64n } });
    // The node refuses any range over 10 blocks, as a provider with a result cap does.
    proxy.inject({
      kind: "rpcError",
      method: "eth_getLogs",
      match: (request) => span(request) > 10n,
      times: Infinity,
      code: -32005,
      message: "query returned more than 10000 results",
    });
    const state = createLogRangeState({ initialRange: 64n });
    const ranges = await collect(rpcVia(proxy.url), { range: { initialRange: 64n, maxRange: 64n, growth: 2 }, state });
    expectCoverage(ranges, 1n, head);
    expect(ranges.flatMap((range) => range.logs)).to.deep.equal(expected.flatMap((range) => range.logs));
    expect(state.shrinks).to.be.greaterThan(0);
    expect(proxy.stats.injected).to.equal(state.shrinks);
    const sizes = ranges.map((range) => range.toBlock - range.fromBlock + 1n);
    expect(sizes.every((size) => size <= 10n)).to.equal(true);
    // After each refusal the range grows again (8 -> 16 refused -> 8 ...): some accepted ranges follow a larger try.
    const tried = proxy.stats.log.filter((request) => request.method === "eth_getLogs").map(span);
    expect(tried.filter((size) => size > 10n).length).to.be.greaterThan(1);
  });

  it("adopts the range a refusal suggests ('this block range should work: [0x.., 0x..]')", async () => {
    proxy.inject({
      kind: "reply",
      method: "eth_getLogs",
      match: (request) => span(request) > 5n,
      times: Infinity,
      reply: (request) => {
        const from = BigInt((request.params?.[0] as { fromBlock: string }).fromBlock);
        return {
          error: {
            code: -32602,
            message: `Log response size exceeded. this block range should work: [0x${from.toString(16)}, 0x${(from + 3n).toString(16)}]`,
          },
        };
      },
    });
    const state = createLogRangeState({ initialRange: 50n });
    const ranges = await collect(rpcVia(proxy.url), { range: { initialRange: 50n, maxRange: 50n, growth: 1 }, state });
    expectCoverage(ranges, 1n, head);
    const sizes = ranges.map((range) => range.toBlock - range.fromBlock + 1n);
    // growth 1: the suggested 4 blocks stay the range (the last may be shorter).
    expect(sizes.slice(0, -1).every((size) => size === 4n)).to.equal(true);
    expect(state.shrinks).to.equal(1);
  });

  it("shrinks on a timeout over several blocks, and keeps what it learned across calls through `state`", async () => {
    proxy.inject({ kind: "timeout", method: "eth_getLogs", match: (request) => span(request) > 16n, times: Infinity });
    const state = createLogRangeState({ initialRange: 64n });
    const rpc = rpcVia(proxy.url);
    const first = await collect(rpc, { toBlock: 40n, range: { initialRange: 64n, maxRange: 64n, growth: 1 }, state });
    expectCoverage(first, 1n, 40n);
    expect(state.size).to.equal(10n); // 40 (the span) -> 20 -> 10
    expect(state.shrinks).to.equal(2);
    const second = await collect(rpc, { fromBlock: 41n, range: { maxRange: 64n, growth: 1 }, state });
    expectCoverage(second, 41n, head);
    expect(state.shrinks).to.equal(2);
  });

  it("fails when a single block is refused, and on a non-range error, without looping", async () => {
    proxy.inject({
      kind: "rpcError",
      method: "eth_getLogs",
      times: Infinity,
      code: -32005,
      message: "too many results",
    });
    const refused = await collect(rpcVia(proxy.url), { range: { initialRange: 4n } }).catch(
      (caught: unknown) => caught,
    );
    expect(refused).to.have.property("code", "RangeTooLarge");
    expect(proxy.stats.byMethod["eth_getLogs"]).to.equal(3); // 4 -> 2 -> 1 blocks
    proxy.clear();
    proxy.inject({ kind: "rpcError", method: "eth_getLogs", code: -32602, message: "invalid params" });
    const invalid = await collect(rpcVia(proxy.url)).catch((caught: unknown) => caught);
    expect(invalid).to.have.property("code", "RpcError");
  });

  it("reads suggested ranges and limits from providers' refusals", () => {
    expect(suggestedRange("Log response size exceeded. this block range should work: [0x10, 0x1f]")).to.deep.equal({
      from: 16n,
      to: 31n,
    });
    expect(suggestedRange("query exceeds max results 2000, retry with the range 21102592-21102595")).to.deep.equal({
      from: 21102592n,
      to: 21102595n,
    });
    expect(suggestedRange("query returned more than 10000 results")).to.equal(undefined);
    expect(suggestedLimit("You can make eth_getLogs requests with up to a 2K block range")).to.equal(2000n);
    expect(suggestedLimit("ranges over 10000 blocks are not supported on freetier")).to.equal(10000n);
    expect(suggestedLimit("block range is limited to 1000")).to.equal(1000n);
    expect(suggestedLimit("exceed maximum block range: 5000")).to.equal(5000n);
  });
});
