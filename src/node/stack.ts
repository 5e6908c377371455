/**
 * `npm start`'s whole local stack in one process: the local ledger's node (ledger.ts), the contracts deployed once with
 * the Ignition module (src/deploy), the demo consortium onboarded (consortium.ts), the indexer following the chain into
 * `<home>/index.sqlite`, and the query API over that store.
 *
 * First start (empty home): a new chain, a deployment, onboarding, a new index. A restart: the same chain from its
 * state file, the recorded deployment checked (code at its addresses, wired together) and kept, nothing registered
 * again, and the indexer resuming from its checkpoint. The cases in between each have their answer:
 *
 * - the chain was reset (or lost the blocks of the deployment): the deployment is redone (Ignition's stale journal
 *   is moved aside by deployProvledger), and the old index, which is of another chain, is moved aside, not deleted;
 * - the node lost its last blocks (kill -9 between two state dumps): the index may be ahead of the chain. The
 *   indexer's resume waits for a node that is behind its checkpoint (a syncing node catches up), but this node never
 *   will: empty blocks are mined up to the checkpoint's height, so that the indexer sees that block replaced and rolls
 *   back to the common ancestor (allowDeepReorg, as for any development ledger).
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { createPublicClient, http, isAddressEqual, type PublicClient } from "viem";
import { readDeploymentFile } from "../cli/deployment";
import { checkDeployed, deployProvledger, writeDeploymentFile } from "../deploy";
import { createIndexer, createStore, type Indexer, type IndexerStore } from "../indexer";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi, type ProvledgerAddresses } from "../sdk";
import { createServer, DEFAULT_PORT, type ProvledgerServer } from "../server";
import { createServerMetrics } from "../server/metrics";
import { LOCAL_CHAIN_ID } from "./anvil";
import {
  onboardDemoConsortium,
  writeAccountsFile,
  anvilKey,
  GOVERNANCE_ADDRESS_INDEX,
  type AccountsFile,
} from "./consortium";
import { asideName } from "./files";
import { createLocalLedger, type LocalLedger } from "./ledger";

export type LocalStackOptions = {
  /** The data folder (created if missing). */
  home: string;
  /** Default 8545. */
  rpcPort?: number;
  /** Default 4000. */
  apiPort?: number;
  /** Seconds between the node's state dumps (what a kill -9 can lose). Default 1. */
  stateIntervalSeconds?: number;
  /** How often the indexer polls the head once caught up, ms. Default 250. */
  pollIntervalMs?: number;
  logger?: Logger;
};

export type LocalDeployment = {
  chainId: number;
  deploymentBlock: bigint;
  addresses: ProvledgerAddresses;
  /** "recorded": deployment.json's, checked on chain; "deployed": deployed by this start. */
  origin: "recorded" | "deployed";
};

export type LocalStack = {
  readonly home: string;
  readonly rpcUrl: string;
  readonly apiUrl: string;
  readonly chainId: number;
  readonly deployment: LocalDeployment;
  readonly accounts: AccountsFile;
  /** Whether this start made a new chain (no state to restore). */
  readonly newChain: boolean;
  /** From the call to ready (API listening, indexer caught up), ms. */
  readonly readyMs: number;
  readonly ledger: LocalLedger;
  readonly indexer: Indexer;
  readonly server: ProvledgerServer;
  /** Resolves when the stack has stopped after stop(); rejects if a part failed (the rest is stopped first). */
  readonly done: Promise<void>;
  /** Stops the indexer, the API, then the node (which writes its state). Idempotent. */
  stop(): Promise<void>;
};

export const HOME_FILES = {
  deployment: "deployment.json",
  accounts: "accounts.json",
  index: "index.sqlite",
  ignition: "ignition",
} as const;

/** Whether the three contracts are at the addresses and wired together as a finished deployment leaves them. */
async function deploymentComplete(client: PublicClient, rpcUrl: string, addresses: ProvledgerAddresses) {
  if (!(await checkDeployed(rpcUrl, { addresses }))) return false;
  try {
    const [ledgerRegistry, rightsModule, rightsLedger, registryLedger] = await Promise.all([
      client.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "registry" }),
      client.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "rightsModule" }),
      client.readContract({ address: addresses.rights, abi: dataRightsAbi, functionName: "ledger" }),
      client.readContract({ address: addresses.registry, abi: organizationRegistryAbi, functionName: "ledger" }),
    ]);
    return (
      isAddressEqual(ledgerRegistry, addresses.registry) &&
      isAddressEqual(rightsModule, addresses.rights) &&
      isAddressEqual(rightsLedger, addresses.ledger) &&
      isAddressEqual(registryLedger, addresses.ledger)
    );
  } catch {
    return false;
  }
}

/** The recorded deployment if the chain holds it, complete; else a deployment made now (and recorded). */
async function ensureDeployment(home: string, rpcUrl: string, client: PublicClient, logger?: Logger) {
  const path = join(home, HOME_FILES.deployment);
  const recorded = existsSync(path) ? readDeploymentFile(path) : undefined;
  if (recorded && recorded.deploymentBlock !== undefined && (recorded.chainId ?? LOCAL_CHAIN_ID) === LOCAL_CHAIN_ID) {
    const block = await client.getBlock({ blockNumber: recorded.deploymentBlock }).catch(() => undefined);
    if (block && (await deploymentComplete(client, rpcUrl, recorded.addresses))) {
      logger?.info({ ...recorded.addresses, deploymentBlock: recorded.deploymentBlock }, "contracts found as recorded");
      return {
        chainId: LOCAL_CHAIN_ID,
        deploymentBlock: recorded.deploymentBlock,
        addresses: recorded.addresses,
        origin: "recorded",
      } satisfies LocalDeployment;
    }
    logger?.warn(
      { deploymentFile: path, ...recorded.addresses },
      "the recorded deployment is not (wholly) on this chain (a new chain, or blocks lost in a crash): deploying again",
    );
  }
  const info = await deployProvledger({
    rpcUrl,
    chainId: LOCAL_CHAIN_ID,
    deployer: anvilKey(GOVERNANCE_ADDRESS_INDEX).privateKey,
    deploymentDir: join(home, HOME_FILES.ignition),
    // A development ledger: a governance hand-over may be accepted at once.
    governanceDelay: 0,
    logger: logger?.child({ component: "deploy" }),
  });
  writeDeploymentFile(path, info);
  return {
    chainId: info.chainId,
    deploymentBlock: info.deploymentBlock,
    addresses: info.addresses,
    origin: "deployed",
  } satisfies LocalDeployment;
}

const STORE_SUFFIXES = ["", "-wal", "-shm", ".lock"];

/**
 * The index store, migrated. An index of another chain or deployment (the chain was reset) is moved aside with its
 * WAL (a crash may have left committed pages only there) and a new one made.
 */
async function openIndex(
  path: string,
  deployment: LocalDeployment,
  client: PublicClient,
  logger?: Logger,
): Promise<IndexerStore> {
  if (existsSync(path)) {
    const store = createStore(path);
    await store.migrate();
    const identity = await store.identity();
    if (!identity) return store;
    const block = await client.getBlock({ blockNumber: identity.deploymentBlock }).catch(() => undefined);
    const same =
      identity.chainId === deployment.chainId &&
      identity.deploymentBlock === deployment.deploymentBlock &&
      (["registry", "ledger", "rights"] as const).every((role) =>
        isAddressEqual(identity.addresses[role], deployment.addresses[role]),
      ) &&
      block?.hash?.toLowerCase() === identity.deploymentBlockHash.toLowerCase();
    if (same) return store;
    await store.close();
    const aside = asideName(path, "other-chain", ".sqlite");
    for (const suffix of STORE_SUFFIXES) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    logger?.warn(
      { movedTo: aside, indexed: identity.addresses, deploymentBlock: identity.deploymentBlock },
      "the index is of another chain (this one was reset or redeployed): moved it aside; indexing anew",
    );
  }
  const store = createStore(path);
  await store.migrate();
  return store;
}

/**
 * The node lost blocks the index holds (a kill -9 between two state dumps): mines empty blocks up to the checkpoint's
 * height so that the indexer, resuming, finds its checkpoint's block replaced and rolls back (see the file comment).
 */
async function catchUpLostBlocks(store: IndexerStore, client: PublicClient, rpcUrl: string, logger?: Logger) {
  const checkpoint = await store.checkpoint();
  if (!checkpoint) return;
  const head = await client.getBlockNumber({ cacheTime: 0 });
  if (head >= checkpoint.blockNumber) return;
  const missing = checkpoint.blockNumber - head;
  logger?.warn(
    { head, indexedBlock: checkpoint.blockNumber, lostBlocks: missing },
    "the node lost its last blocks in a crash (they were after its last state dump); the indexer rolls back to match",
  );
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_mine", params: [`0x${missing.toString(16)}`] }),
  });
  const body = (await response.json()) as { error?: { message?: string } };
  if (body.error) throw new Error(`anvil_mine failed: ${body.error.message}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Starts the whole local stack; resolves once the API listens and the indexer has caught up with the chain. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started = performance.now();
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true });
  const logger = options.logger;
  const ledger = await createLocalLedger({
    home,
    rpcPort: options.rpcPort,
    stateIntervalSeconds: options.stateIntervalSeconds,
    logger: logger?.child({ component: "node" }),
  });
  let indexStore: IndexerStore | undefined;
  let server: ProvledgerServer | undefined;
  let indexer: Indexer | undefined;
  let running: Promise<void> | undefined;
  try {
    const client = createPublicClient({ transport: http(ledger.url), pollingInterval: 50, cacheTime: 0 });
    const deployment = await ensureDeployment(home, ledger.url, client as PublicClient, logger);
    const consortium = await onboardDemoConsortium({
      rpcUrl: ledger.url,
      addresses: deployment.addresses,
      logger: logger?.child({ component: "onboarding" }),
    });

    const storePath = join(home, HOME_FILES.index);
    indexStore = await openIndex(storePath, deployment, client as PublicClient, logger);
    await catchUpLostBlocks(indexStore, client as PublicClient, ledger.url, logger);
    const metrics = createServerMetrics();
    indexer = createIndexer({
      rpcUrl: ledger.url,
      addresses: deployment.addresses,
      deploymentBlock: deployment.deploymentBlock,
      chainId: LOCAL_CHAIN_ID,
      store: indexStore,
      // A development node loses its last blocks when killed: roll back and re-index rather than halt.
      allowDeepReorg: true,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      logger: logger?.child({ component: "indexer" }),
      rpc: { onRequest: metrics.onRpcRequest },
    });
    server = await createServer({
      store: storePath,
      port: options.apiPort ?? DEFAULT_PORT,
      indexer,
      metrics,
      logger: logger ? logger.child({ component: "api" }) : false,
    });
    const apiUrl = await server.listen();
    running = indexer.run();
    let failure: unknown;
    running.catch((error: unknown) => (failure = error));
    while (indexer.status().phase !== "live") {
      if (failure !== undefined) throw failure;
      if (indexer.status().phase === "stopped") throw new Error("the indexer stopped before it caught up");
      await sleep(20);
    }
    const accounts = writeAccountsFile(join(home, HOME_FILES.accounts), {
      rpcUrl: ledger.url,
      apiUrl,
      governance: consortium.governance,
      organizations: consortium.organizations,
    });

    let stopping: Promise<void> | undefined;
    const theIndexer = indexer;
    const theServer = server;
    const theStore = indexStore;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        await theIndexer.stop().catch(() => {});
        await running?.catch(() => {});
        await theServer.close().catch(() => {});
        await theStore.close().catch(() => {});
        await ledger.stop();
      })();
      return stopping;
    };
    // Whichever ends first: the indexer halting, the node exiting on its own, or stop().
    const done = Promise.race([
      running.then(
        () => undefined,
        (error: unknown) => error,
      ),
      ledger.exited.then(({ code, signal }) =>
        stopping
          ? undefined
          : new Error(`the node exited unexpectedly (${code ?? signal}); see ${home}/chain/anvil.log`),
      ),
    ]).then(async (error) => {
      await stop();
      if (error) throw error;
    });
    // Nobody may be waiting on `done` yet: its rejection is reported by whoever awaits it.
    done.catch(() => {});

    return {
      home,
      rpcUrl: ledger.url,
      apiUrl,
      chainId: LOCAL_CHAIN_ID,
      deployment,
      accounts,
      newChain: ledger.state.source === "new",
      readyMs: Math.round(performance.now() - started),
      ledger,
      indexer,
      server,
      done,
      stop,
    };
  } catch (error) {
    await indexer?.stop().catch(() => {});
    await running?.catch(() => {});
    await server?.close().catch(() => {});
    await indexStore?.close().catch(() => {});
    await ledger.stop();
    throw error;
  }
}
