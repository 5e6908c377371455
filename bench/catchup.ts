/**
 * Catch-up: the indexer against a bare `eth_getLogs` fetch of the same block ranges by the same RPC client, on the same
 * local anvil, in the same run. The chain holds >= 100,000 real ledger events (BulkRegistrar: registrations, every
 * other one a revision, so RecordRegistered + RecordSuperseded).
 *
 *   npm run bench:catchup [-- --events 100000 --store sqlite|postgres|both]
 *
 * Target: indexer <= 1.5x the bare fetch (stretch 1.2x). The bare fetch runs before and after the indexer and the
 * faster is the baseline, so that a warm node does not flatter the indexer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIndexer, createRpc, type Checkpoint } from "../src/indexer";
import { bulkRegister, deployBulkRegistrar, setupConsortium } from "../test/helpers/activity";
import { startAnvil } from "../test/helpers/anvil";

const PG = process.env.PROVLEDGER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const events = Number(flag("events", "100000"));
  const which = flag("store", "both");
  const maxRange = BigInt(flag("max-range", "10"));
  const anvil = await startAnvil({ gasLimit: 1_000_000_000n });
  const dir = mkdtempSync(join(tmpdir(), "provledger-bench-catchup-"));
  try {
    const consortium = await setupConsortium(anvil.url);
    const bulk = await deployBulkRegistrar(consortium);
    const records = Math.ceil(events / 1.5);
    const started = Date.now();
    await bulkRegister(consortium, bulk, { records, perTransaction: 600 });
    const head = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
    console.log(
      `chain: ${records} registrations (~${Math.round(records * 1.5)} events) in ${head} blocks, ` +
        `made in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const stores: [string, string][] = [];
    if (which !== "postgres") stores.push(["sqlite", join(dir, "bench.sqlite")]);
    if (which !== "sqlite") stores.push(["postgres", `${PG}?schema=bench_catchup_${process.pid}`]);

    for (const [name, url] of stores) {
      const ranges: Checkpoint[] = [];
      const indexer = createIndexer({
        rpcUrl: anvil.url,
        addresses: consortium.addresses,
        deploymentBlock: consortium.deployment.deploymentBlock,
        store: url,
        once: true,
        maxBlockRange: maxRange,
        initialBlockRange: maxRange,
      });
      indexer.onCheckpoint((checkpoint) => ranges.push(checkpoint));

      const rpc = createRpc({ url: anvil.url });
      const addresses = [consortium.addresses.registry, consortium.addresses.ledger, consortium.addresses.rights];
      const bare = async (): Promise<{ ms: number; logs: number }> => {
        // The same ranges the indexer fetched (from its checkpoints), one eth_getLogs each, by the same client.
        let from = consortium.deployment.deploymentBlock;
        let logs = 0;
        const t0 = performance.now();
        for (const range of ranges) {
          logs += (await rpc.getLogs({ addresses, fromBlock: from, toBlock: range.blockNumber })).length;
          from = range.blockNumber + 1n;
        }
        return { ms: performance.now() - t0, logs };
      };

      const t0 = performance.now();
      await indexer.run();
      const indexMs = performance.now() - t0;
      const checkpoint = indexer.status().checkpoint!;
      const before = await bare();
      const after = await bare();
      const baseline = Math.min(before.ms, after.ms);
      const ratio = indexMs / baseline;
      console.log(
        `${name}: indexed ${checkpoint.eventCount} events (ledger sequence ${checkpoint.ledgerSequence}) in ` +
          `${(indexMs / 1000).toFixed(2)} s = ${Math.round(Number(checkpoint.eventCount) / (indexMs / 1000))} events/s; ` +
          `bare eth_getLogs of the same ${ranges.length} ranges: ${(baseline / 1000).toFixed(2)} s ` +
          `(${before.logs} logs); ratio ${ratio.toFixed(2)}x (target <= 1.5x, stretch 1.2x) ` +
          (ratio <= 1.5 ? "MET" : "NOT MET"),
      );
      if (name === "postgres") {
        const { Client } = await import("pg");
        const client = new Client({ connectionString: PG });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS bench_catchup_${process.pid} CASCADE`);
        await client.end();
      }
    }
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
