/**
 * Live lag: from a transaction's block being mined to its events being committed in the store, while the indexer
 * follows the head of a local anvil. Baseline, in the same run: a bare poller with the same interval that only notices
 * the new block (`eth_blockNumber`), the least lag any polling indexer can have.
 *
 *   npm run bench:lag [-- --samples 100 --poll 250 --store sqlite|postgres]
 *
 * Target: p95 <= poll interval + 200 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIndexer } from "../src/indexer";
import { randomActivity, setupConsortium } from "../test/helpers/activity";
import { startAnvil } from "../test/helpers/anvil";

const PG = process.env.PROVLEDGER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main(): Promise<void> {
  const samples = Number(flag("samples", "100"));
  const poll = Number(flag("poll", "250"));
  const which = flag("store", "sqlite");
  const anvil = await startAnvil();
  const dir = mkdtempSync(join(tmpdir(), "provledger-bench-lag-"));
  const schema = `bench_lag_${process.pid}`;
  const url = which === "postgres" ? `${PG}?schema=${schema}` : join(dir, "lag.sqlite");
  try {
    const consortium = await setupConsortium(anvil.url);
    const indexer = createIndexer({
      rpcUrl: anvil.url,
      addresses: consortium.addresses,
      deploymentBlock: consortium.deployment.deploymentBlock,
      store: url,
      pollIntervalMs: poll,
    });
    const committed = new Map<bigint, number>();
    indexer.onCheckpoint((checkpoint) => committed.set(checkpoint.blockNumber, performance.now()));
    const running = indexer.run();
    while (indexer.status().phase !== "live") await new Promise((resolve) => setTimeout(resolve, 20));

    // The baseline poller, running beside the indexer over the same node.
    const noticed = new Map<bigint, number>();
    let polling = true;
    const poller = (async () => {
      let last = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
      while (polling) {
        await new Promise((resolve) => setTimeout(resolve, poll));
        const head = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
        for (let n = last + 1n; n <= head; n++) noticed.set(n, performance.now());
        last = head;
      }
    })();

    const lags: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * poll * 2));
      // Timed from before the transaction is sent (anvil mines on receipt): an upper bound on the true lag.
      const minedAt = performance.now();
      await randomActivity(consortium, 1000 + i, 1);
      const block = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
      while (!committed.has(block) || !noticed.has(block)) await new Promise((resolve) => setTimeout(resolve, 5));
      lags.push(committed.get(block)! - minedAt);
      baseline.push(noticed.get(block)! - minedAt);
    }
    polling = false;
    await poller;
    await indexer.stop();
    await running;
    const p95 = percentile(lags, 95);
    const base95 = percentile(baseline, 95);
    console.log(
      `live lag over ${samples} blocks, poll ${poll} ms, ${which}: p50 ${percentile(lags, 50).toFixed(0)} ms, ` +
        `p95 ${p95.toFixed(0)} ms (target <= ${poll + 200} ms: ${p95 <= poll + 200 ? "MET" : "NOT MET"}); bare poller ` +
        `p95 ${base95.toFixed(0)} ms; ratio ${(p95 / base95).toFixed(2)}x`,
    );
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
    if (which === "postgres") {
      const { Client } = await import("pg");
      const client = new Client({ connectionString: PG });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
