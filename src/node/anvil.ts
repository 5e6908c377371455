/**
 * The anvil binary of the npm package @foundry-rs/anvil and the flags the local ledger runs it with: Paris rules (the
 * contracts are compiled for Paris: no PUSH0), zero fees as on a QBFT consortium chain (without
 * `--disable-min-priority-fee`, `eth_gasPrice` still answers 1 gwei), chain id 31337, 127.0.0.1 only.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { LocalLedgerError } from "./errors";

export const LOCAL_CHAIN_ID = 31337;

/** The anvil binary for this platform, as the package's bin.mjs finds it (run directly, without the wrapper). */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const binary = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${binary}`);
  } catch {
    try {
      const fallback = join(dirname(require.resolve("@foundry-rs/anvil/package.json")), "dist", binary);
      if (existsSync(fallback)) return fallback;
    } catch {
      // not installed at all: the error below says what to do
    }
    throw new LocalLedgerError("NoAnvil", `no anvil binary for ${process.platform}-${process.arch}`, {
      details: "run npm install (it installs @foundry-rs/anvil and its platform package)",
    });
  }
}

export type AnvilFlagOptions = {
  /** 0: a free port (anvil prints the one it took). */
  port: number;
  /** Where anvil keeps its state (`--state`); none: the chain lives in memory only. */
  stateFile?: string;
  /** Seconds between state dumps (`--state-interval`); only with `stateFile`. */
  stateIntervalSeconds?: number;
  /** Default LOCAL_CHAIN_ID; e.g. a consortium chain's genesis chain id in a test that plays it. */
  chainId?: number;
  host?: string;
};

/** The command line of the local ledger's node (and of any anvil set up as a zero-fee QBFT chain would be). */
export function anvilArgs(options: AnvilFlagOptions): string[] {
  const { stateFile, stateIntervalSeconds } = options;
  if (stateIntervalSeconds !== undefined && stateFile === undefined) {
    throw new RangeError("anvilArgs: stateIntervalSeconds needs a stateFile (anvil dumps state only to a file)");
  }
  return [
    "--hardfork",
    "paris",
    "--gas-price",
    "0",
    "--base-fee",
    "0",
    "--disable-min-priority-fee",
    "--chain-id",
    String(options.chainId ?? LOCAL_CHAIN_ID),
    "--host",
    options.host ?? "127.0.0.1",
    "--port",
    String(options.port),
    ...(stateFile !== undefined ? ["--state", stateFile] : []),
    ...(stateIntervalSeconds !== undefined ? ["--state-interval", String(stateIntervalSeconds)] : []),
  ];
}

/** The environment for anvil: without variables that make it noisy (RUST_LOG) or that are Node's own. */
export function anvilEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.RUST_LOG;
  delete env.NODE_OPTIONS;
  return env;
}
