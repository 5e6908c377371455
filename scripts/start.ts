/**
 * `npm start`: the main job on this machine. A local development ledger (anvil from @foundry-rs/anvil, Paris rules,
 * ephemeral), the three contracts deployed and a small consortium onboarded with some activity, the indexer
 * following it into `.provledger/index.sqlite`, and the query API over that store on http://127.0.0.1:4000 (as
 * `provledger serve --rpc-url` runs them: one process, the API on a read-only connection), logging JSON lines; Ctrl-C
 * stops them all.
 *
 *   npm start [-- --port 8545] [-- --api-port 4000] [-- --store postgres://postgres@127.0.0.1:5432/test]
 *
 * The deployment file is written to `.provledger/deployment.json`, so that `provledger index --deployment` (or any
 * other tool) can be pointed at the same ledger. The local-ledger issue replaces the ephemeral node with a persistent
 * one; until then the node's helpers are the tests' (test/helpers/).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { createIndexer, createStore } from "../src/indexer";
import { createServer, DEFAULT_PORT } from "../src/server";
import { createServerMetrics } from "../src/server/metrics";
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
  // The store is created and migrated before the API's read-only connection opens it; the indexer writes through it.
  const indexStore = createStore(store);
  await indexStore.migrate();
  const metrics = createServerMetrics();
  const indexer = createIndexer({
    rpcUrl: anvil.url,
    addresses: consortium.addresses,
    deploymentBlock: consortium.deployment.deploymentBlock,
    chainId: consortium.deployment.chainId,
    store: indexStore,
    allowDeepReorg: true,
    logger: logger.child({ component: "indexer" }),
    rpc: { onRequest: metrics.onRpcRequest },
  });
  const server = await createServer({
    store,
    port: Number(flag("api-port") ?? DEFAULT_PORT),
    indexer,
    metrics,
    logger: logger.child({ component: "api" }),
  });
  const apiUrl = await server.listen();
  logger.info(
    { api: apiUrl, openapi: `${apiUrl}/openapi.json`, status: `${apiUrl}/status` },
    "query API listening (try /v1/events?limit=5)",
  );
  const stop = () => {
    logger.info("stopping");
    void indexer.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await indexer.run();
  } finally {
    await server.close();
    await indexStore.close();
    await anvil.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
