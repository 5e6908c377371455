/**
 * `npm start`: the main job on this machine. A local development ledger (anvil from @foundry-rs/anvil, Paris rules,
 * ephemeral), the three contracts deployed and a small consortium onboarded with some activity, and the indexer
 * following it into `.provledger/index.sqlite`, logging JSON lines; Ctrl-C stops both.
 *
 *   npm start [-- --port 8545] [-- --store postgres://postgres@127.0.0.1:5432/test]
 *
 * The deployment file is written to `.provledger/deployment.json`, so that `provledger index --deployment` (or any
 * other tool) can be pointed at the same ledger. The local-ledger issue replaces the ephemeral node with a persistent
 * one and adds the query API here; until then the node's helpers are the tests' (test/helpers/).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { createIndexer } from "../src/indexer";
import { randomActivity, setupConsortium } from "../test/helpers/activity";
import { startAnvil } from "../test/helpers/anvil";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const logger = pino({ base: { service: "provledger" } });
  const dir = join(__dirname, "..", ".provledger");
  mkdirSync(dir, { recursive: true });
  const port = flag("port");
  const anvil = await startAnvil(port ? { args: ["--port", port] } : {});
  logger.info({ rpcUrl: anvil.url }, "local ledger (anvil) listening");
  const consortium = await setupConsortium(anvil.url);
  await randomActivity(consortium, Date.now() % 1000, 40);
  const deploymentFile = join(dir, "deployment.json");
  writeFileSync(
    deploymentFile,
    JSON.stringify(
      {
        chainId: consortium.deployment.chainId,
        deploymentBlock: Number(consortium.deployment.deploymentBlock),
        addresses: consortium.addresses,
      },
      null,
      2,
    ),
  );
  logger.info({ deploymentFile, ...consortium.addresses }, "deployed; a consortium onboarded with some activity");

  // The node is new each time, so the index is too (the old one would be refused: another chain).
  const store = flag("store") ?? join(dir, "index.sqlite");
  if (!store.startsWith("postgres"))
    for (const suffix of ["", "-wal", "-shm", ".lock"]) rmSync(store + suffix, { force: true });
  const indexer = createIndexer({
    rpcUrl: anvil.url,
    addresses: consortium.addresses,
    deploymentBlock: consortium.deployment.deploymentBlock,
    chainId: consortium.deployment.chainId,
    store,
    allowDeepReorg: true,
    logger,
  });
  const stop = () => {
    logger.info("stopping");
    void indexer.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await indexer.run();
  } finally {
    await anvil.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
