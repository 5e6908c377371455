/**
 * The indexer end to end, against real parts: anvil (a real JSON-RPC node), SQLite files and the machine's
 * PostgreSQL. Catch-up and live indexing agree with the contracts' views; both stores give identical dumps; reorgs
 * (anvil_reorg) roll back to the common ancestor; a node that omits a log is caught by the sequence check; the
 * identity checks refuse the wrong chain, contracts and database.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { type Address } from "viem";
import { createIndexer, createStore, IndexerError, type IndexerOptions, type IndexerStore } from "../../../src/indexer";
import { random, randomActivity, setupConsortium, type Consortium } from "../../helpers/activity";
import { startAnvil } from "../../helpers/anvil";
import { stateDump } from "../../helpers/stateDump";
import { underCoverage } from "../../helpers/coverage";
import { startFaultProxy } from "../../helpers/faultProxy";
import { expectStoreMatchesViews } from "../../helpers/views";

const PG = process.env.PROVLEDGER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const silent = pino({ level: "silent" });

type Anvil = Awaited<ReturnType<typeof startAnvil>>;

function storeUrls(dir: string, label: string): { sqlite: string; postgres: string } {
  const schema = `idx_${label}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  return { sqlite: join(dir, `${label}.sqlite`), postgres: `${PG}?schema=${schema}` };
}

async function dropSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema");
  if (!schema) return;
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url.split("?")[0] });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

function options(consortium: Consortium, store: string | IndexerStore, extra: Partial<IndexerOptions> = {}) {
  return {
    rpcUrl: consortium.url,
    addresses: consortium.addresses,
    deploymentBlock: consortium.deployment.deploymentBlock,
    chainId: consortium.deployment.chainId,
    store,
    pollIntervalMs: 50,
    maxBlockRange: 7n,
    initialBlockRange: 3n,
    logger: silent,
    rpc: { backoffMs: 5, maxBackoffMs: 50, timeoutMs: 2_000 },
    ...extra,
  } satisfies IndexerOptions;
}

/** Indexes to the head and stops. */
async function catchUp(consortium: Consortium, store: string | IndexerStore, extra: Partial<IndexerOptions> = {}) {
  const indexer = createIndexer(options(consortium, store, { once: true, ...extra }));
  await indexer.run();
  return indexer.status();
}

const dumpOf = stateDump;

function keysOf(consortium: Consortium) {
  return {
    fingerprints: consortium.created.fingerprints,
    roots: consortium.created.roots,
    accounts: Object.values(consortium.accounts).map((account) => account.address as Address),
  };
}

/** Waits until the live indexer's checkpoint reaches `block`. */
function reach(indexer: ReturnType<typeof createIndexer>, block: bigint, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if ((indexer.status().checkpoint?.blockNumber ?? -1n) >= block) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the indexer did not reach block ${block}: ${JSON.stringify(indexer.status(), replacer)}`));
    }, timeoutMs);
    const off = indexer.onCheckpoint((checkpoint) => {
      if (checkpoint.blockNumber >= block) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

const replacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

describe("indexer: end to end on anvil, SQLite and PostgreSQL", function () {
  this.timeout(300_000);
  let anvil: Anvil;
  let consortium: Consortium;
  let dir: string;
  const schemas: string[] = [];

  before(async function () {
    if (underCoverage()) this.skip();
    anvil = await startAnvil();
    consortium = await setupConsortium(anvil.url);
    dir = mkdtempSync(join(tmpdir(), "provledger-indexer-"));
  });
  after(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const url of schemas) await dropSchema(url).catch(() => {});
  });

  const urls = (label: string) => {
    const pair = storeUrls(dir, label);
    schemas.push(pair.postgres);
    return pair;
  };

  it("catches up on random activity: the indexed state equals the contracts' views, identical in both stores", async () => {
    await randomActivity(consortium, 1, 120);
    const { sqlite, postgres } = urls("catchup");
    const first = await catchUp(consortium, sqlite);
    await catchUp(consortium, postgres);
    expect(first.checkpoint!.ledgerSequence > 50n).to.be.true;
    for (const url of [sqlite, postgres]) {
      const store = await createStore(url);
      try {
        await expectStoreMatchesViews(store, consortium.publicClient, consortium.addresses, keysOf(consortium));
      } finally {
        await store.close();
      }
    }
    expect(await dumpOf(sqlite)).to.equal(await dumpOf(postgres));
  });

  it("follows the head live, and a restart resumes from the checkpoint without gap or duplicate", async () => {
    const { sqlite } = urls("live");
    const indexer = createIndexer(options(consortium, sqlite));
    const running = indexer.run();
    await randomActivity(consortium, 2, 30);
    await reach(indexer, await consortium.publicClient.getBlockNumber({ cacheTime: 0 }));
    await indexer.stop();
    await running;
    await randomActivity(consortium, 3, 20);
    await catchUp(consortium, sqlite);
    const fresh = urls("live-fresh").sqlite;
    await catchUp(consortium, fresh);
    expect(await dumpOf(sqlite)).to.equal(await dumpOf(fresh));
  });

  for (const depth of [1, 3, 10]) {
    it(`rolls back a reorg of depth ${depth} that removes ledger events, and equals a fresh index of the new chain`, async () => {
      const { sqlite, postgres } = urls(`reorg${depth}`);
      const indexers = [sqlite, postgres].map((url) => createIndexer(options(consortium, url, { confirmations: 10 })));
      const runs = indexers.map((indexer) => indexer.run());
      await randomActivity(consortium, 10 + depth, 2 * depth + 4);
      const head = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
      for (const indexer of indexers) await reach(indexer, head);
      // Replace the last `depth` blocks (and their ledger events) with empty ones, then extend the new chain.
      await consortium.publicClient.request({ method: "anvil_reorg" as never, params: [depth, []] as never });
      await randomActivity(consortium, 20 + depth, 3);
      const newHead = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
      for (const indexer of indexers) await reach(indexer, newHead);
      for (const indexer of indexers) {
        expect(indexer.status().reorgs).to.be.greaterThan(0);
        await indexer.stop();
      }
      await Promise.all(runs);
      const fresh = urls(`reorg${depth}-fresh`).sqlite;
      await catchUp(consortium, fresh);
      const expected = await dumpOf(fresh);
      expect(await dumpOf(sqlite)).to.equal(expected);
      expect(await dumpOf(postgres)).to.equal(expected);
    });
  }

  it("notices a reorg that happened while it was stopped, on restart", async () => {
    const { sqlite } = urls("restart-reorg");
    const live = createIndexer(options(consortium, sqlite, { confirmations: 5 }));
    const running = live.run();
    await randomActivity(consortium, 40, 6);
    await reach(live, await consortium.publicClient.getBlockNumber({ cacheTime: 0 }));
    await live.stop();
    await running;
    await consortium.publicClient.request({ method: "anvil_reorg" as never, params: [4, []] as never });
    await randomActivity(consortium, 41, 2);
    const status = await catchUp(consortium, sqlite, { confirmations: 5 });
    expect(status.reorgs).to.equal(1);
    // The catch-up stopped 5 blocks below the head; a fresh index to the same block must hold the same state.
    const fresh = urls("restart-reorg-fresh").sqlite;
    await catchUp(consortium, fresh, { confirmations: 5 });
    const resumed = createIndexer(options(consortium, sqlite));
    const refreshed = createIndexer(options(consortium, fresh));
    for (const indexer of [resumed, refreshed]) {
      const run = indexer.run();
      await reach(indexer, await consortium.publicClient.getBlockNumber({ cacheTime: 0 }));
      await indexer.stop();
      await run;
    }
    expect(await dumpOf(sqlite)).to.equal(await dumpOf(fresh));
  });

  it("halts on a reorg deeper than the confirmation depth, unless allowed", async () => {
    const { sqlite } = urls("deep");
    await randomActivity(consortium, 50, 6);
    await catchUp(consortium, sqlite, { confirmations: 1 });
    await consortium.publicClient.request({ method: "anvil_reorg" as never, params: [3, []] as never });
    const halted = await catchUp(consortium, sqlite, { confirmations: 1 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(halted).to.be.instanceOf(IndexerError);
    expect((halted as IndexerError).code).to.equal("DeepReorg");
    expect((halted as IndexerError).message).to.match(/deeper than the confirmation depth 1/);
    const allowed = await catchUp(consortium, sqlite, { confirmations: 1, allowDeepReorg: true });
    expect(allowed.reorgs).to.equal(1);
    const fresh = urls("deep-fresh").sqlite;
    await catchUp(consortium, fresh, { confirmations: 1 });
    expect(await dumpOf(sqlite)).to.equal(await dumpOf(fresh));
  });

  it("catches a log the node silently left out: refetches once, and halts naming the sequence and block if it persists", async () => {
    await randomActivity(consortium, 60, 10);
    const proxy = await startFaultProxy(consortium.url);
    try {
      const viaProxy = { ...consortium, url: proxy.url };
      // Once: the refetch gets the full reply, and the index is complete.
      const { sqlite } = urls("omit-once");
      // After the deployment's first ranges, whose OpenZeppelin role events are not chained (see docs/indexer.md).
      proxy.inject({ method: "eth_getLogs", kind: "omitLog", times: 1, after: 4 });
      await catchUp(viaProxy, sqlite);
      const fresh = urls("omit-fresh").sqlite;
      await catchUp(consortium, fresh);
      expect(await dumpOf(sqlite)).to.equal(await dumpOf(fresh));
      // Every time: it halts, having indexed nothing past the last good checkpoint.
      const stubborn = urls("omit-always").sqlite;
      proxy.clear();
      proxy.inject({ method: "eth_getLogs", kind: "omitLog", times: Infinity, after: 4 });
      const error = await catchUp(viaProxy, stubborn).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(IndexerError);
      expect((error as IndexerError).code).to.be.oneOf(["SequenceGap", "HeadMismatch"]);
      expect((error as IndexerError).ledgerSequence).to.be.a("bigint");
      expect((error as IndexerError).blockNumber).to.be.a("bigint");
      const store = await createStore(stubborn);
      try {
        const checkpoint = await store.checkpoint();
        expect(checkpoint === undefined || checkpoint.ledgerSequence < (error as IndexerError).ledgerSequence!).to.be
          .true;
      } finally {
        await store.close();
      }
    } finally {
      await proxy.stop();
    }
  });

  it("rides through timeouts, 5xx, 429, dropped connections and truncated replies with no gap or duplicate", async () => {
    const proxy = await startFaultProxy(consortium.url);
    try {
      const { sqlite } = urls("faults");
      // About one request in six faulted, at random (seeded), each kind a few times.
      const rng = random(99);
      for (const kind of [
        "status500",
        "status503",
        "status429",
        "drop",
        "hangup",
        "truncate",
        "timeout",
        "garbage",
      ] as const) {
        proxy.inject({ kind, times: 3, match: () => rng() < 0.02 });
      }
      await catchUp({ ...consortium, url: proxy.url }, sqlite);
      const fresh = urls("faults-fresh").sqlite;
      await catchUp(consortium, fresh);
      expect(await dumpOf(sqlite)).to.equal(await dumpOf(fresh));
      expect(proxy.stats.injected).to.be.greaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it("refuses another chain, contracts that are not this deployment, a reset chain and another deployment's store", async () => {
    const { sqlite } = urls("identity");
    await catchUp(consortium, sqlite);
    const refusal = (extra: Partial<IndexerOptions>, target = consortium) =>
      catchUp(target, sqlite, extra).then(
        () => undefined,
        (error: unknown) => error as IndexerError,
      );
    expect((await refusal({ chainId: 1 }))?.code).to.equal("ChainMismatch");
    const swapped = { ...consortium.addresses, rights: consortium.addresses.registry };
    expect((await refusal({ addresses: swapped }))?.code).to.equal("NotThisDeployment");
    const other = await startAnvil();
    try {
      const otherConsortium = await setupConsortium(other.url);
      // Same addresses (same deployer, same nonces) on a new chain: the deployment block's hash differs.
      expect((await refusal({}, { ...otherConsortium, deployment: consortium.deployment }))?.code).to.be.oneOf([
        "ChainReset",
        "OtherDeployment",
      ]);
      const otherStore = urls("identity-other").sqlite;
      await catchUp(otherConsortium, otherStore);
      expect(
        (
          await catchUp(consortium, otherStore, { deploymentBlock: consortium.deployment.deploymentBlock + 1n }).then(
            () => undefined,
            (error: unknown) => error as IndexerError,
          )
        )?.code,
      ).to.be.oneOf(["OtherDeployment", "ChainReset"]);
    } finally {
      await other.stop();
    }
  });
});
