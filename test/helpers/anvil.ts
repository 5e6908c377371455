/**
 * An ephemeral anvil (npm @foundry-rs/anvil) for tests that need a real JSON-RPC node over HTTP: a free port
 * (`--port 0`, parsed from its output), Paris rules as the contracts are compiled for, chain id 31337, a high block
 * gas limit for bulk tests. `anvilClients` gives viem clients for anvil's default mnemonic accounts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type HDAccount,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { anvilBinary, anvilEnvironment } from "../../src/node/anvil";

// The binary and its environment as the local ledger has them (one place); the binary re-exported for the tests and benches that spawn it.
export { anvilBinary };

/** The chain anvil runs here (not `viem/chains`: its declarations need the DOM library). */
export const anvilChain = defineChain({
  id: 31337,
  name: "Anvil",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});

/** anvil's (and Hardhat's) default mnemonic. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export type Anvil = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything anvil printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. Idempotent. */
  stop(): Promise<void>;
};

export type AnvilOptions = {
  /** Seconds between blocks (interval mining). Default: a block per transaction (automine). */
  blockTime?: number;
  /** Block gas limit. Default 100,000,000 (bulk tests). */
  gasLimit?: bigint;
  /** Extra arguments, appended last. */
  args?: readonly string[];
};

const running = new Set<Anvil>();
let exitHookInstalled = false;

/** Starts anvil on a free port; rejects with its output if it does not listen within 30 s. */
export function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const args = [
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--hardfork",
    "paris",
    "--chain-id",
    "31337",
    "--gas-limit",
    String(options.gasLimit ?? 100_000_000n),
    ...(options.blockTime !== undefined ? ["--block-time", String(options.blockTime)] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(anvilBinary(), args, { env: anvilEnvironment(), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolveExit) => child.once("exit", () => ((exited = true), resolveExit())));

  const stop = async (): Promise<void> => {
    running.delete(anvil);
    if (exited) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.kill("SIGTERM");
    await exit;
    clearTimeout(timer);
  };
  const anvil: Anvil = { url: "", port: 0, process: child, output: () => output, stop };

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test that forgets stop() must not leave anvil behind after mocha exits.
    process.once("exit", () => {
      for (const node of running) node.process.kill("SIGKILL");
    });
  }

  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`anvil did not listen within 30 s; its output:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (anvil.port !== 0) return;
      const listening = /Listening on ([\d.]+):(\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        const port = Number(listening[2]);
        Object.assign(anvil, { url: `http://${listening[1]}:${port}`, port });
        running.add(anvil);
        resolvePromise(anvil);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`anvil could not start: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (anvil.port === 0)
        reject(new Error(`anvil exited (${code ?? signal}) before listening; its output:\n${output}`));
    });
  });
}

export type AnvilClients = {
  publicClient: PublicClient<Transport, Chain>;
  testClient: TestClient<"anvil", Transport, Chain>;
  /** anvil's ten default accounts (local accounts from the mnemonic: they sign here, not on the node). */
  accounts: readonly HDAccount[];
  /** One wallet client per account, same order. */
  walletClients: readonly WalletClient<Transport, Chain, Account>[];
  walletClient(index?: number): WalletClient<Transport, Chain, Account>;
};

/** viem clients on `url` for anvil's default accounts. `pollingInterval` defaults to 50 ms (local node). */
export function anvilClients(url: string, options: { pollingInterval?: number } = {}): AnvilClients {
  const pollingInterval = options.pollingInterval ?? 50;
  const transport = http(url);
  const accounts = Array.from({ length: 10 }, (_, index) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }));
  const walletClients = accounts.map((account) =>
    createWalletClient({ chain: anvilChain, transport, account, pollingInterval }),
  );
  return {
    publicClient: createPublicClient({ chain: anvilChain, transport, pollingInterval }),
    testClient: createTestClient({ chain: anvilChain, transport, mode: "anvil", pollingInterval }),
    accounts,
    walletClients,
    walletClient: (index = 0) => {
      const client = walletClients[index];
      if (!client) throw new Error(`anvil has 10 default accounts; no account ${index}`);
      return client;
    },
  };
}
