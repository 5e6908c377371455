/**
 * createRpc against a real anvil behind the fault proxy: each transient fault is retried and the result equals the
 * fault-free one; a refusal fails at once; each inconsistent reply is caught and retried.
 */
import { expect } from "chai";
import type { Address, Hex } from "viem";
import { SyncError, createRpc } from "../../../src/indexer/sync";
import type { IndexerRpc, RpcOptions } from "../../../src/indexer/sync";
import { anvilClients, startAnvil, type Anvil, type AnvilClients } from "../../helpers/anvil";
import { startFaultProxy, type Fault, type FaultKind, type FaultProxy } from "../../helpers/faultProxy";
import { deployEmitter, emit } from "./chain";

type Retry = Parameters<NonNullable<RpcOptions["onRetry"]>>[0];

describe("indexer/sync createRpc", function () {
  let anvil: Anvil;
  let clients: AnvilClients;
  let proxy: FaultProxy;
  let emitters: Address[];
  let other: Address;
  let head: bigint;
  let logBlock: bigint;
  let baseline: Awaited<ReturnType<typeof battery>>;

  const rpcVia = (url: string, retries: Retry[] = [], extra: Partial<RpcOptions> = {}) =>
    createRpc({ url, timeoutMs: 400, backoffMs: 2, maxBackoffMs: 20, onRetry: (info) => retries.push(info), ...extra });

  /** Every call the indexer makes, on fixed blocks: equal results mean an equal view of the chain. */
  async function battery(rpc: IndexerRpc) {
    const block = await rpc.blockByNumber(logBlock);
    return {
      chainId: await rpc.chainId(),
      blockNumber: await rpc.blockNumber(),
      block,
      byHash: await rpc.blockByHash(block.hash),
      unknown: await rpc.blockByHash(`0x${"11".repeat(32)}`),
      logs: await rpc.getLogs({ addresses: emitters, fromBlock: 0n, toBlock: head }),
      blockLogs: await rpc.getLogsByBlockHash({ addresses: emitters, block }),
      code: await rpc.getCode({ address: emitters[0]!, blockHash: block.hash }),
      call: await rpc.call({ to: emitters[0]!, data: "0x", blockHash: block.hash }),
    };
  }

  before(async () => {
    anvil = await startAnvil();
    clients = anvilClients(anvil.url);
    emitters = [await deployEmitter(clients), await deployEmitter(clients)];
    other = await deployEmitter(clients);
    await emit(clients, [...emitters, other], { blocks: 6, perBlock: 5 });
    logBlock = await emit(clients, emitters, { blocks: 1, perBlock: 3, tag: 100 });
    head = await emit(clients, [other], { blocks: 2 });
    proxy = await startFaultProxy(anvil.url);
    baseline = await battery(rpcVia(anvil.url));
  });
  after(async () => {
    await proxy?.stop();
    await anvil?.stop();
  });
  afterEach(() => {
    proxy.clear();
    proxy.resetStats();
  });

  it("reads blocks, logs, code and calls as the node has them", async () => {
    expect(baseline.chainId).to.equal(31337);
    expect(baseline.blockNumber).to.equal(head);
    expect(baseline.block.number).to.equal(logBlock);
    expect(baseline.byHash).to.deep.equal(baseline.block);
    expect(baseline.unknown).to.equal(undefined);
    // 6 blocks x 5 calls over three emitters, two of them asked: 20 logs; plus 3 in logBlock.
    expect(baseline.logs).to.have.length(23);
    expect(baseline.blockLogs).to.have.length(3);
    expect(baseline.blockLogs).to.deep.equal(baseline.logs.filter((log) => log.blockNumber === logBlock));
    for (const log of baseline.logs) expect(emitters).to.include(log.address);
    const viemLogs = await clients.publicClient.getLogs({ address: emitters, fromBlock: 0n, toBlock: head });
    expect(baseline.logs.map((log) => [log.blockHash, log.logIndex, log.data])).to.deep.equal(
      viemLogs.map((log) => [log.blockHash, log.logIndex, log.data]),
    );
    expect(baseline.code.length).to.be.greaterThan(2);
    const viemBlock = await clients.publicClient.getBlock({ blockNumber: logBlock });
    expect(baseline.block.hash).to.equal(viemBlock.hash);
    expect(baseline.block.logsBloom).to.equal(viemBlock.logsBloom);
  });

  const transient: { kind: FaultKind; extra?: Partial<Fault> }[] = [
    { kind: "status500" },
    { kind: "status502" },
    { kind: "status503" },
    { kind: "status429" },
    { kind: "drop" },
    { kind: "hangup" },
    { kind: "truncate" },
    { kind: "garbage" },
    { kind: "rpcError", extra: { code: -32603, message: "internal error" } },
    { kind: "rpcError", extra: { code: -32005, message: "rate limited: too many requests" } },
    { kind: "rpcError", extra: { code: -32000, message: "header not found" } },
  ];
  for (const { kind, extra } of transient) {
    it(`retries ${kind}${extra?.message ? ` (${extra.message})` : ""} and gets the fault-free result`, async () => {
      const retries: Retry[] = [];
      proxy.inject({ kind, times: 4, every: 2, ...extra });
      expect(await battery(rpcVia(proxy.url, retries))).to.deep.equal(baseline);
      expect(proxy.stats.injected).to.equal(4);
      expect(retries).to.have.length(4);
      for (const retry of retries) expect(retry.error).to.be.instanceOf(SyncError).with.property("retryable", true);
    });
  }

  it("retries a request that gets no reply within the timeout", async () => {
    const retries: Retry[] = [];
    proxy.inject({ kind: "timeout", method: "eth_getBlockByNumber", times: 2 });
    proxy.inject({
      kind: "timeout",
      method: "eth_getLogs",
      match: (request) => hasBlockHash(request.params),
      times: 1,
    });
    expect(await battery(rpcVia(proxy.url, retries))).to.deep.equal(baseline);
    expect(retries.map((retry) => (retry.error as SyncError).code)).to.deep.equal(["Timeout", "Timeout", "Timeout"]);
  });

  it("reports a timeout on a multi-block eth_getLogs at once, so that fetchLogs can split the range", async () => {
    const retries: Retry[] = [];
    proxy.inject({ kind: "timeout", method: "eth_getLogs", times: 1 });
    const error = await rpcVia(proxy.url, retries)
      .getLogs({ addresses: emitters, fromBlock: 0n, toBlock: head })
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(SyncError).with.property("code", "Timeout");
    expect(retries).to.have.length(0);
  });

  it("rides through the node going away and coming back (connection refused)", async () => {
    const retries: Retry[] = [];
    const rpc = rpcVia(proxy.url, retries, { backoffMs: 50, maxBackoffMs: 200, retries: 20 });
    const restarting = proxy.restart(300);
    const result = await battery(rpc);
    await restarting;
    expect(result).to.deep.equal(baseline);
    expect(retries.length).to.be.greaterThan(0);
    expect(retries.every((retry) => (retry.error as SyncError).code === "ConnectionFailed")).to.equal(true);
  });

  it("waits as long as a 429's Retry-After says", async () => {
    const retries: Retry[] = [];
    proxy.inject({ kind: "status429", method: "eth_chainId", retryAfter: 1 });
    expect(await rpcVia(proxy.url, retries).chainId()).to.equal(31337);
    expect(retries).to.have.length(1);
    expect(retries[0]!.delayMs).to.equal(1000);
    expect(retries[0]!.error).to.be.instanceOf(SyncError).with.property("status", 429);
  });

  it("backs off exponentially with full jitter: every delay within its doubling ceiling", async () => {
    const retries: Retry[] = [];
    proxy.inject({ kind: "status503", method: "eth_chainId", times: 6 });
    await rpcVia(proxy.url, retries, { backoffMs: 10, maxBackoffMs: 80 }).chainId();
    expect(retries.map((retry) => retry.attempt)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    retries.forEach((retry, index) => {
      expect(retry.delayMs).to.be.at.least(0);
      expect(retry.delayMs).to.be.at.most(Math.min(80, 10 * 2 ** index));
    });
  });

  it("fails at once on a refusal (invalid params, method not found, HTTP 400), saying what the node said", async () => {
    const retries: Retry[] = [];
    const rpc = rpcVia(proxy.url, retries);
    proxy.inject({ kind: "rpcError", method: "eth_getBlockByNumber", code: -32602, message: "invalid params" });
    const invalid = await rpc.blockByNumber(1n).catch((caught: unknown) => caught);
    expect(invalid).to.be.instanceOf(SyncError);
    expect(invalid).to.include({ code: "RpcError", rpcCode: -32602, retryable: false, method: "eth_getBlockByNumber" });
    expect((invalid as SyncError).message).to.match(/invalid params/);
    proxy.inject({ kind: "status", status: 400, method: "eth_chainId" });
    const refused = await rpc.chainId().catch((caught: unknown) => caught);
    expect(refused).to.be.instanceOf(SyncError).and.include({ code: "HttpStatus", status: 400, retryable: false });
    // The node itself refusing a malformed call, without the proxy's help.
    const direct = createRpc({ url: anvil.url, retries: 3 });
    const reverted = await direct
      .call({ to: emitters[0]!, data: "0x", blockHash: `0x${"22".repeat(32)}` })
      .catch((caught: unknown) => caught);
    expect(reverted).to.be.instanceOf(SyncError).with.property("retryable", false);
    expect(retries).to.have.length(0);
    expect(proxy.stats.byMethod["eth_getBlockByNumber"]).to.equal(1);
    expect(proxy.stats.byMethod["eth_chainId"]).to.equal(1);
  });

  it("gives up after `retries` attempts with the last fault", async () => {
    const retries: Retry[] = [];
    proxy.inject({ kind: "status503", method: "eth_blockNumber", times: Infinity });
    const error = await rpcVia(proxy.url, retries, { retries: 3 })
      .blockNumber()
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(SyncError).and.include({ code: "HttpStatus", status: 503 });
    expect(proxy.stats.byMethod["eth_blockNumber"]).to.equal(4);
    expect(retries).to.have.length(3);
  });

  // -------------------------------------------------------------------------------------------------------------
  // Inconsistent replies: caught, retried, and the result is the node's true answer
  // -------------------------------------------------------------------------------------------------------------

  type Log = { blockNumber: Hex; blockHash: Hex; logIndex: Hex; address: Hex; removed?: boolean };
  const logsRewrite = (rewrite: (logs: Log[]) => Log[]): Fault => ({
    kind: "rewrite",
    method: "eth_getLogs",
    match: (request) => !hasBlockHash(request.params),
    rewrite: (result) => rewrite(structuredClone(result as Log[])),
  });
  const inconsistent: { name: string; fault: Fault; message: RegExp }[] = [
    { name: "logs out of order", fault: logsRewrite((logs) => logs.reverse()), message: /out of order/ },
    {
      name: "a duplicated log",
      fault: logsRewrite((logs) => [logs[0]!, ...logs]),
      message: /out of order or duplicated/,
    },
    {
      name: "a log outside the range",
      fault: logsRewrite((logs) => [...logs, { ...logs[logs.length - 1]!, blockNumber: "0xffff", logIndex: "0x0" }]),
      message: /outside/,
    },
    {
      name: "a log of an address not asked for",
      fault: logsRewrite((logs) => [{ ...logs[0]!, address: `0x${"99".repeat(20)}` }, ...logs.slice(1)]),
      message: /not asked for/,
    },
    {
      name: "a log marked removed",
      fault: logsRewrite((logs) => [{ ...logs[0]!, removed: true }, ...logs.slice(1)]),
      message: /removed/,
    },
    {
      name: "two hashes for one block",
      fault: logsRewrite((logs) => {
        const index = logs.findIndex(
          (log, position) => position > 0 && log.blockNumber === logs[position - 1]!.blockNumber,
        );
        logs[index] = { ...logs[index]!, blockHash: `0x${"ab".repeat(32)}` };
        return logs;
      }),
      message: /two block hashes/,
    },
    {
      name: "another block than asked, by number",
      fault: {
        kind: "rewrite",
        method: "eth_getBlockByNumber",
        rewrite: (result) => ({ ...(result as object), number: "0x1" }),
      },
      message: /asked for block/,
    },
    {
      name: "another block than asked, by hash",
      fault: {
        kind: "rewrite",
        method: "eth_getBlockByHash",
        rewrite: (result) => ({ ...(result as object), hash: `0x${"cd".repeat(32)}` }),
      },
      message: /asked for block/,
    },
    {
      name: "logs of another block, by hash",
      fault: {
        kind: "rewrite",
        method: "eth_getLogs",
        match: (request) => hasBlockHash(request.params),
        rewrite: (result) => (result as Log[]).map((log) => ({ ...log, blockNumber: "0x1" })),
      },
      message: /asked for the logs of block/,
    },
    {
      name: "a block without a hash",
      fault: {
        kind: "rewrite",
        method: "eth_getBlockByNumber",
        rewrite: (result) => ({ ...(result as object), hash: null }),
      },
      message: /not a 32-byte hash/,
    },
  ];
  for (const { name, fault, message } of inconsistent) {
    it(`catches ${name}, retries, and gets the node's true answer; fails with InvalidReply if it persists`, async () => {
      const retries: Retry[] = [];
      proxy.inject(fault);
      expect(await battery(rpcVia(proxy.url, retries))).to.deep.equal(baseline);
      expect(retries).to.have.length(1);
      expect(retries[0]!.error).to.be.instanceOf(SyncError).with.property("code", "InvalidReply");
      expect((retries[0]!.error as SyncError).message).to.match(message);
      proxy.inject({ ...fault, times: Infinity });
      const error = await battery(rpcVia(proxy.url, [], { retries: 2 })).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(SyncError).with.property("code", "InvalidReply");
      expect((error as SyncError).message).to.match(message);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Omitted logs
  // -------------------------------------------------------------------------------------------------------------

  it("by block hash: a log left out while the bloom and the receipts name it is caught and fetched again", async () => {
    const retries: Retry[] = [];
    const rpc = rpcVia(proxy.url, retries);
    const single = await emit(clients, emitters.slice(0, 1), { blocks: 1, perBlock: 1, tag: 500 });
    const block = await rpc.blockByNumber(single);
    const expected = await rpcVia(anvil.url).getLogsByBlockHash({ addresses: emitters, block });
    expect(expected).to.have.length(1);
    proxy.inject({ kind: "omitLog", method: "eth_getLogs" });
    expect(await rpc.getLogsByBlockHash({ addresses: emitters, block })).to.deep.equal(expected);
    expect(retries).to.have.length(1);
    expect((retries[0]!.error as SyncError).message).to.match(/holds 1 log\(s\) of the deployment .* returned none/);
    proxy.inject({ kind: "omitLog", method: "eth_getLogs", times: Infinity });
    const error = await rpcVia(proxy.url, [], { retries: 2 })
      .getLogsByBlockHash({ addresses: emitters, block })
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(SyncError).with.property("code", "InvalidReply");
  });

  it("by block hash: a bloom that names our address with no log of ours in the receipts is a false positive, not an error", async () => {
    // The block holds a log of `other` only; asking for `other`'s bloom bits under another address's name is what a
    // false positive looks like to the check: the bloom says maybe, the receipts say no.
    const rpc = rpcVia(proxy.url);
    const number = await emit(clients, [other], { blocks: 1, tag: 700 });
    const block = await rpc.blockByNumber(number);
    const logs = await rpc.getLogsByBlockHash({
      addresses: emitters,
      block: { ...block, logsBloom: `0x${"ff".repeat(256)}` },
    });
    expect(logs).to.deep.equal([]);
    expect(proxy.stats.byMethod["eth_getBlockReceipts"]).to.equal(1);
  });

  it("by block hash: no request at all for a block whose bloom excludes every address", async () => {
    const number = await emit(clients, [other], { blocks: 1, tag: 800 });
    const rpc = rpcVia(proxy.url);
    const block = await rpc.blockByNumber(number);
    proxy.resetStats();
    expect(await rpc.getLogsByBlockHash({ addresses: emitters, block })).to.deep.equal([]);
    expect(proxy.stats.requests).to.equal(0);
  });

  it("by range: a log left out is NOT detectable by sync alone (the runtime's ledger-sequence check catches it)", async () => {
    // eth_getLogs over a range has no bloom to check against; the indexer's runtime compares the ledger-wide
    // sequence numbers and ledgerHead() at the range's last block, and refetches (test/indexer/runtime).
    proxy.inject({ kind: "omitLog", method: "eth_getLogs" });
    const logs = await rpcVia(proxy.url).getLogs({ addresses: emitters, fromBlock: 0n, toBlock: head });
    expect(logs).to.have.length(baseline.logs.length - 1);
    expect(proxy.stats.injected).to.equal(1);
  });
});

function hasBlockHash(params: unknown[] | undefined): boolean {
  const filter = params?.[0] as { blockHash?: unknown } | undefined;
  return filter?.blockHash !== undefined;
}
