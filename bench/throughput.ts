/**
 * Throughput of registrations through the whole stack on a local zero-fee anvil (Paris, `--gas-price 0 --base-fee 0
 * --disable-min-priority-fee`, as npm start runs it): the SDK client's `register` (check, simulate, sign, send, wait
 * for the receipt) from several operator accounts at once, the indexer following the node into SQLite, and the time
 * until the query API answers the last record. Baseline, in the same run on the same node: plain value transfers
 * (21,000 gas) by as many accounts through viem. From the gas per registration (receipts), what a QBFT chain with a
 * given block gas limit and period would carry, beside Besu's published QBFT figures.
 *
 *   npx ts-node --transpile-only bench/throughput.ts [--count 800] [--workers 16] [--block-time <s>]
 *     [--gas-limit 30000000] [--block-period 2] [--poll 100]
 *
 * Default mining is automine (a block per transaction, as fast as the node executes them): it measures the stack's
 * processing rate. With `--block-time`, each worker waits for its receipt, so a worker lands at most one transaction
 * a block and the figure is bounded by workers / block time, not by the stack.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  http,
  toHex,
  type HDAccount,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { deployProvledger } from "../src/deploy";
import { createIndexer, createStore } from "../src/indexer";
import { DataClass, Role, createProvledgerClient, type ProvledgerClient } from "../src/sdk";
import { createServer } from "../src/server";
import { ANVIL_MNEMONIC, LOCAL_CHAIN_ID, localChain } from "../src/node";
import { startAnvil } from "../test/helpers/anvil";

/** Besu's free-gas guide suggests this genesis gasLimit (2^53 - 1). */
const BESU_FREE_GAS_LIMIT = 0x1fffffffffffffn;
const TRANSFER_GAS = 21_000n;

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  return value ?? fallback;
}

function positive(name: string, fallback: string): number {
  const value = Number(flag(name, fallback));
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a positive number, got "${flag(name, fallback)}"`);
  }
  return value;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const rate = (n: number, ms: number) => (n * 1000) / ms;
const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** Runs `perWorker` jobs on each worker in sequence, all workers at once; ms from the first start to the last end. */
async function timed<T>(workers: number, perWorker: number, job: (worker: number, i: number) => Promise<T>) {
  const results: T[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; i < perWorker; i++) results.push(await job(worker, i));
    }),
  );
  return { ms: performance.now() - start, results };
}

async function main(): Promise<void> {
  const count = positive("count", "800");
  const workers = positive("workers", "16");
  // One registerOrganization call takes at most 32 operators.
  if (!Number.isInteger(workers) || workers > 32)
    throw new Error(`--workers must be a whole number up to 32, got ${workers}`);
  const blockTime = process.argv.includes("--block-time") ? positive("block-time", "1") : undefined;
  const gasLimit = BigInt(flag("gas-limit", "30000000"));
  const blockPeriod = positive("block-period", "2");
  const poll = positive("poll", "100");
  const perWorker = Math.ceil(count / workers);
  const total = perWorker * workers;

  const anvil = await startAnvil({
    blockTime,
    args: [
      ...["--gas-price", "0", "--base-fee", "0", "--disable-min-priority-fee"],
      ...["--accounts", String(2 * workers + 2)],
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), "provledger-throughput-"));
  const account = (index: number): HDAccount => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });
  // Zero fees set before viem fills a transaction (src/node localChain says why).
  const chain = localChain(anvil.url);
  const transport = http(anvil.url);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 }) as PublicClient;
  const indexerStop: { stop?: () => Promise<void> } = {};
  try {
    const governance = account(0);
    const deployment = await deployProvledger({
      rpcUrl: anvil.url,
      deployer: toHex(governance.getHdKey().privateKey!),
      deploymentDir: join(dir, "ignition"),
      governanceDelay: 0,
    });
    const { addresses } = deployment;
    const clientOf = (acting: LocalAccount): ProvledgerClient =>
      createProvledgerClient({
        publicClient,
        walletClient: createWalletClient({ chain, transport, account: acting, pollingInterval: 20 }),
        addresses,
        chainId: LOCAL_CHAIN_ID,
      });
    // One registrar organisation with an operator per worker: each worker's nonces are its own.
    const operators = Array.from({ length: workers }, (_, i) => account(1 + i));
    const senders = Array.from({ length: workers }, (_, i) => account(1 + workers + i));
    await clientOf(governance).registerOrganization({
      name: "Guangdong Public Data Agency",
      jurisdiction: "CN-GD",
      roles: Role.REGISTRAR | Role.TRADER,
      operators: operators.map((operator) => operator.address),
    });
    const registrars = operators.map(clientOf);
    const wallets = senders.map((sender) =>
      createWalletClient({ chain, transport, account: sender, pollingInterval: 20 }),
    );

    // The indexer and the API over its store, as npm start runs them.
    const storePath = join(dir, "index.sqlite");
    const store = createStore(storePath);
    await store.migrate();
    const indexer = createIndexer({
      rpcUrl: anvil.url,
      addresses,
      deploymentBlock: deployment.deploymentBlock,
      chainId: LOCAL_CHAIN_ID,
      store,
      pollIntervalMs: poll,
    });
    const running = indexer.run();
    const server = await createServer({ store: storePath, port: 0, indexer, logger: false });
    const api = await server.listen();
    indexerStop.stop = async () => {
      await indexer.stop();
      await running;
      await server.close();
      await store.close();
    };

    const register = (client: ProvledgerClient) =>
      client.register({
        fingerprint: toHex(randomBytes(32)),
        dataClass: DataClass.INTERNAL,
        metadataHash: toHex(randomBytes(32)),
      });
    const transfer = async (worker: number) => {
      const hash = await wallets[worker].sendTransaction({ to: governance.address, value: 1n });
      return publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    };
    // Warm-up (not timed): the client's deployment check, viem's and the node's first calls.
    await Promise.all(registrars.map((client) => register(client)));
    await Promise.all(wallets.map((_, worker) => transfer(worker)));

    console.log(
      `anvil ${anvil.url}, ${blockTime ? `a block every ${blockTime} s` : "automine"}, zero fees; ` +
        `${total} of each, ${workers} accounts at once, indexer polling every ${poll} ms\n`,
    );
    const transfers = await timed(workers, perWorker, (worker) => transfer(worker));
    const transferGas = transfers.results.reduce((sum, receipt) => sum + receipt.gasUsed, 0n) / BigInt(total);

    const registrations = await timed(workers, perWorker, (worker) => register(registrars[worker]));
    const mined = performance.now();
    const last = registrations.results.reduce((a, b) => (b.blockNumber > a.blockNumber ? b : a));
    // Until the API answers the record of the highest block: the indexer has then caught up with the run.
    let answered = 0;
    for (;;) {
      const response = await fetch(`${api}/v1/records/${last.event.args.fingerprint}`);
      if (response.ok) {
        answered = performance.now();
        break;
      }
      if (performance.now() - mined > 60_000) throw new Error(`the API did not answer the last record in 60 s`);
      await sleep(5);
    }
    const receipts = await Promise.all(
      registrations.results.map((r) => publicClient.getTransactionReceipt({ hash: r.transactionHash })),
    );
    const registrationGas = receipts.reduce((sum, receipt) => sum + receipt.gasUsed, 0n) / BigInt(total);
    const blocks = new Set(receipts.map((receipt) => receipt.blockNumber)).size;

    const regRate = rate(total, registrations.ms);
    const e2eRate = rate(total, answered - (mined - registrations.ms));
    const transferRate = rate(total, transfers.ms);
    console.log("Measured on this machine (same node, same run):");
    console.log(
      table(
        ["", "per second", "gas each", "vs transfers (rate)", "vs transfers (gas)"],
        [
          ["plain value transfers (viem, baseline)", fmt(transferRate), fmt(Number(transferGas), 0), "1", "1"],
          [
            "registrations: SDK register -> node -> receipt",
            fmt(regRate),
            fmt(Number(registrationGas), 0),
            fmt(regRate / transferRate, 2),
            fmt(Number(registrationGas) / Number(transferGas), 2),
          ],
          ["registrations until the API answers the last one", fmt(e2eRate), "", fmt(e2eRate / transferRate, 2), ""],
        ],
      ),
    );
    console.log(
      `\nThe API answered the last record ${fmt(answered - mined, 0)} ms after its receipt; ` +
        `${total} registrations went into ${blocks} blocks.\n`,
    );

    const rows: string[][] = [];
    const project = (label: string, limit: bigint, period: number) => {
      const perBlock = limit / registrationGas;
      const transfersPerBlock = limit / TRANSFER_GAS;
      // Past ~1e9 gas a block, gas no longer bounds anything a node can execute in a block period.
      const unbounded = limit > 1_000_000_000n;
      rows.push([
        label,
        `${unbounded ? `0x${limit.toString(16)}` : fmt(Number(limit), 0)} gas / ${period} s`,
        unbounded ? "not gas-bound" : fmt(Number(perBlock), 0),
        unbounded ? "not gas-bound" : fmt(Number(perBlock) / period, 0),
        unbounded ? "not gas-bound" : fmt(Number(transfersPerBlock) / period, 0),
      ]);
    };
    project("realistic consortium block", 30_000_000n, 2);
    if (gasLimit !== 30_000_000n || blockPeriod !== 2) project("--gas-limit / --block-period", gasLimit, blockPeriod);
    project("Besu free-gas genesis (no gas bound)", BESU_FREE_GAS_LIMIT, 2);
    console.log("What a QBFT chain's block gas limit allows (gas-bound ceiling; execution is the real bound):");
    console.log(table(["", "block", "registrations / block", "registrations / s", "transfers / s (21,000 gas)"], rows));
    // Besu wiki "QBFT Performance" (4 validators, Forest, min-gas-price 0, tx-pool sequenced, >= 10k transactions).
    // Scaled to registrations by gas, assuming Besu's execution is gas-bound (an estimate, not a measurement).
    const erc20Gas = [35_000, 52_000];
    const scaled = (tps: number, gas: number) => (tps * gas) / Number(registrationGas);
    console.log("\nBesu's published QBFT figures (4 validators) and what they suggest for registrations:");
    console.log(
      table(
        ["Besu workload (Caliper)", "published TPS", "registrations / s if gas-bound"],
        [
          ["simple 'open' (one storage write), 1 Caliper", "750", "(gas per open unknown)"],
          ["simple 'open', 2 Calipers", "950-1,200", "(gas per open unknown)"],
          [
            "ERC-20 transfer (~35,000-52,000 gas), 1-2 Calipers",
            "520-645",
            `${fmt(scaled(520, erc20Gas[0]), 0)}-${fmt(scaled(645, erc20Gas[1]), 0)}`,
          ],
        ],
      ),
    );
  } finally {
    await indexerStop.stop?.();
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (cell ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench:throughput failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
