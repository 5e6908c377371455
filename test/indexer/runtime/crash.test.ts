/**
 * Crashes, for real: `provledger index` is killed with SIGKILL at random points during catch-up, on SQLite and on
 * PostgreSQL, and restarted each time; the final dump must equal an uninterrupted run's. A standby indexer on the same
 * store waits for the writer lock and takes over when the active one is killed. SIGTERM stops cleanly.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bulkRegister, deployBulkRegistrar, random, setupConsortium, type Consortium } from "../../helpers/activity";
import { startAnvil } from "../../helpers/anvil";
import { stateDump } from "../../helpers/stateDump";
import { underCoverage } from "../../helpers/coverage";
import { startIndexerProcess } from "../../helpers/indexerProcess";

const PG = process.env.PROVLEDGER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
// Kills per dialect. 8 land across the whole catch-up (0-600 ms after the first log line, every episode from scratch);
// PROVLEDGER_CRASH_KILLS=50 for a longer soak. Each kill costs a process start and a resumed catch-up (~2 s in CI).
const KILLS = Number(process.env.PROVLEDGER_CRASH_KILLS ?? 8);

type Anvil = Awaited<ReturnType<typeof startAnvil>>;

const dumpOf = stateDump;

async function dropSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema");
  if (!schema) return;
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url.split("?")[0] });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("indexer: kill -9 at random points, standby takeover, clean stop", function () {
  this.timeout(600_000);
  let anvil: Anvil;
  let consortium: Consortium;
  let dir: string;
  let deploymentFile: string;
  let reference: string;
  const schemas: string[] = [];
  const pg = (label: string) => {
    const url = `${PG}?schema=crash_${label}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    schemas.push(url);
    return url;
  };
  const args = (store: string, extra: string[] = []) => [
    "--rpc-url",
    consortium.url,
    "--deployment",
    deploymentFile,
    "--store",
    store,
    "--max-block-range",
    "2",
    "--poll-interval",
    "50",
    ...extra,
  ];

  before(async function () {
    if (underCoverage()) this.skip();
    anvil = await startAnvil({ gasLimit: 1_000_000_000n });
    consortium = await setupConsortium(anvil.url);
    const bulk = await deployBulkRegistrar(consortium);
    // ~150 blocks of 6 to 60 chained events each: long enough a catch-up to be killed many times.
    const rng = random(7);
    for (let block = 0; block < 150; block++) {
      await bulkRegister(consortium, bulk, { records: 4 + Math.floor(rng() * 36), label: `crash-${block}` });
    }
    dir = mkdtempSync(join(tmpdir(), "provledger-crash-"));
    deploymentFile = join(dir, "deployment.json");
    writeFileSync(
      deploymentFile,
      JSON.stringify({
        chainId: consortium.deployment.chainId,
        deploymentBlock: Number(consortium.deployment.deploymentBlock),
        addresses: consortium.addresses,
      }),
    );
    const uninterrupted = join(dir, "reference.sqlite");
    const run = startIndexerProcess(args(uninterrupted, ["--once"]));
    expect((await run.exited).code, run.stderr()).to.equal(0);
    reference = await dumpOf(uninterrupted);
  });

  after(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const url of schemas) await dropSchema(url).catch(() => {});
  });

  for (const dialect of ["sqlite", "postgres"] as const) {
    it(`${dialect}: ${KILLS} kills during catch-up, each run resumed: every finished catch-up equals an uninterrupted run`, async () => {
      const rng = random(dialect === "sqlite" ? 11 : 12);
      let kills = 0;
      let episodes = 0;
      // An episode is one store caught up from scratch through as many kills as it takes; episodes repeat until
      // KILLS kills have landed during catch-up, and each finished store must equal the uninterrupted one.
      while (kills < KILLS) {
        episodes += 1;
        const store = dialect === "sqlite" ? join(dir, `killed-${episodes}.sqlite`) : pg(`killed${episodes}`);
        for (;;) {
          const run = startIndexerProcess(args(store, ["--once"]));
          if (kills < KILLS) {
            // Kill somewhere between its first log line and well into the catch-up.
            await run.waitFor(() => true);
            await sleep(Math.floor(rng() * 600));
            run.kill("SIGKILL");
          }
          const { code, signal } = await run.exited;
          if (signal === "SIGKILL") {
            kills += 1;
            continue;
          }
          expect(code, run.stderr()).to.equal(0);
          break;
        }
        expect(await dumpOf(store), `episode ${episodes}`).to.equal(reference);
      }
      expect(kills).to.be.at.least(KILLS);
    });
  }

  it("a standby waits for the writer lock and takes over when the active indexer is killed", async () => {
    for (const store of [join(dir, "standby.sqlite"), pg("standby")]) {
      const active = startIndexerProcess(args(store));
      await active.waitFor((line) => line.msg === "backfill progress" || line.msg === "following the head");
      const standby = startIndexerProcess(args(store));
      await standby.waitFor((line) => /another indexer writes to this store/.test(line.msg));
      active.kill("SIGKILL");
      await active.exited;
      await standby.waitFor((line) => line.msg === "following the head", 120_000);
      standby.kill("SIGTERM");
      const { code } = await standby.exited;
      expect(code, standby.stderr()).to.equal(0);
      expect(standby.lines.some((line) => line.msg === "stopped")).to.be.true;
      expect(await dumpOf(store)).to.equal(reference);
    }
  });
});
