/**
 * The local development ledger: one anvil node whose chain lives in `<home>/chain/state.json` and so survives a
 * restart. Before the node starts, its state file is checked (state.ts: a file a crash left half-written falls back to
 * the last good copy); while it runs, the good copy follows the file; on stop, anvil is sent SIGTERM, which makes it
 * write the whole state, and waited for.
 *
 * anvil runs in a process group of its own, so that Ctrl-C in a terminal reaches this process only, which stops the
 * readers of the node first and then the node. Its pid is kept in `<home>/chain/anvil.pid`: a node left running by a
 * crash of this process (kill -9 does not reach the child) is stopped cleanly by the next start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { LOCAL_CHAIN_ID, anvilArgs, anvilBinary, anvilEnvironment } from "./anvil";
import { LocalLedgerError } from "./errors";
import { writeFileAtomic } from "./files";
import { prepareState, refreshGoodCopy, stateFiles, type PreparedState, type StateFiles } from "./state";

export const DEFAULT_RPC_PORT = 8545;
/** Seconds between anvil's state dumps: what a kill -9 can lose at most. */
export const DEFAULT_STATE_INTERVAL_SECONDS = 1;

export type LocalLedgerOptions = {
  /** The data folder; the chain lives in `<home>/chain/`. */
  home: string;
  /** Default 8545; 0 picks a free port (tests). */
  rpcPort?: number;
  /** Seconds between state dumps. Default 1. */
  stateIntervalSeconds?: number;
  logger?: Logger;
  /** How long anvil may take to answer, ms. Default 30,000. */
  readyTimeoutMs?: number;
};

export type LocalLedger = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly chainId: number;
  /** anvil's process id. */
  readonly pid: number;
  /** Where the chain came from: a new chain, the state file, or the last good copy. */
  readonly state: PreparedState;
  /** Resolves when anvil exits, for whatever reason (stop(), kill(), a crash). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 64 KiB anvil printed. */
  output(): string;
  /** SIGTERM (anvil writes its state), wait for it to exit (SIGKILL after 15 s), refresh the good copy. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, no state written: a crash, for tests. */
  kill(): void;
};

type PidFile = { pid: number; port: number; stateFile: string };

const OUTPUT_LIMIT = 64 * 1024;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A node of this home that a crash of its parent left running: stopped with SIGTERM, so its state is written. */
async function stopOrphan(pidPath: string, files: StateFiles, logger?: Logger): Promise<void> {
  if (!existsSync(pidPath)) return;
  let recorded: PidFile | undefined;
  try {
    recorded = JSON.parse(readFileSync(pidPath, "utf8")) as PidFile;
  } catch {
    // a torn pid file: nothing to trust in it
  }
  const pid = recorded?.pid;
  if (pid && Number.isInteger(pid) && alive(pid)) {
    // Only a process that is anvil on this very state file (a recycled pid may be anything else).
    let commandLine = "";
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    } catch {
      // no /proc (not Linux): cannot tell, so leave it alone
    }
    if (commandLine.includes("anvil") && commandLine.includes(files.state)) {
      logger?.warn(
        { pid, port: recorded?.port },
        "a node of this home is still running (left by a crash): stopping it",
      );
      process.kill(pid, "SIGTERM");
      for (let waited = 0; alive(pid) && waited < 15_000; waited += 100) await sleep(100);
      if (alive(pid)) process.kill(pid, "SIGKILL");
      for (let waited = 0; alive(pid) && waited < 5_000; waited += 100) await sleep(100);
    } else if (commandLine === "") {
      logger?.warn({ pid }, `${pidPath} names a running process that may be an old node; if so, stop it`);
    }
  }
  rmSync(pidPath, { force: true });
}

async function chainIdOf(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result ? Number(BigInt(body.result)) : undefined;
  } catch {
    return undefined;
  }
}

function checkOptions(options: LocalLedgerOptions): { port: number; interval: number } {
  const port = options.rpcPort ?? DEFAULT_RPC_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalLedgerError("InvalidConfig", `the RPC port must be a whole number from 0 to 65535, got ${port}`, {
      details: "set PROVLEDGER_RPC_PORT to a free port, e.g. 8545",
    });
  }
  const interval = options.stateIntervalSeconds ?? DEFAULT_STATE_INTERVAL_SECONDS;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new LocalLedgerError(
      "InvalidConfig",
      `the state interval must be a whole number of seconds >= 1, got ${interval}`,
    );
  }
  return { port, interval };
}

/** Starts the local ledger's node on the chain kept in `<home>/chain`; resolves once it answers eth_chainId. */
export async function createLocalLedger(options: LocalLedgerOptions): Promise<LocalLedger> {
  const { port, interval } = checkOptions(options);
  const logger = options.logger;
  const chainDir = resolve(options.home, "chain");
  mkdirSync(chainDir, { recursive: true });
  const files = stateFiles(chainDir);
  const pidPath = join(chainDir, "anvil.pid");
  const binary = anvilBinary();

  await stopOrphan(pidPath, files, logger);
  const state = prepareState(files, logger);

  // Historical states in the dump too: without them, a restored anvil answers eth_call only at its head
  // (BlockOutOfRange for any earlier block), and the indexer's check of each checkpoint against the on-chain head
  // at that block (EIP-1898) cannot run while it catches up after a restart.
  const args = [
    ...anvilArgs({ port, stateFile: files.state, stateIntervalSeconds: interval }),
    "--preserve-historical-states",
  ];
  const child: ChildProcess = spawn(binary, args, {
    env: anvilEnvironment(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log: WriteStream = createWriteStream(join(chainDir, "anvil.log"), { flags: "a" });
  let output = "";
  let exitedAlready = false;
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once("exit", (code, signal) => {
      exitedAlready = true;
      done({ code, signal });
    });
    // A binary that cannot be run emits no exit.
    child.once("error", (error) => {
      spawnError = error;
      exitedAlready = true;
      done({ code: null, signal: null });
    });
  });
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);

  // If this process exits without stop() (an uncaught error), anvil still gets SIGTERM and writes its state.
  const onExit = () => {
    if (!exitedAlready) child.kill("SIGTERM");
  };
  process.once("exit", onExit);

  let goodStamp: string | undefined;
  // Set once the node is ready; stop() may run before (a failed start).
  const refresh: { timer?: NodeJS.Timeout } = {};
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(refresh.timer);
      process.removeListener("exit", onExit);
      if (!exitedAlready) {
        const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.kill("SIGTERM");
        const { code, signal } = await exited;
        clearTimeout(force);
        if (signal === "SIGKILL")
          logger?.error("the node did not stop within 15 s and was killed; its state may be old");
        else logger?.info({ code }, "node stopped; its state is written");
      }
      refreshGoodCopy(files, goodStamp);
      rmSync(pidPath, { force: true });
      await new Promise<void>((done) => log.end(done));
    })();
    return stopping;
  };

  // Ready: anvil says where it listens (the port, when 0 was asked for) and answers eth_chainId there.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let url = "";
  let listening = 0;
  for (;;) {
    if (spawnError) {
      await stop();
      throw new LocalLedgerError("NodeFailed", `anvil (${binary}) could not be started: ${spawnError.message}`, {
        details: "reinstall it with npm install",
        cause: spawnError,
      });
    }
    if (exitedAlready) {
      const { code, signal } = await exited;
      await stop();
      if (/address already in use/i.test(output)) {
        throw new LocalLedgerError("PortInUse", `port ${port} is in use by another process`, {
          details: "stop it, or set PROVLEDGER_RPC_PORT to a free port",
        });
      }
      throw new LocalLedgerError("NodeFailed", `anvil exited (${code ?? signal}) before it was ready`, {
        details: `its output (also in ${join(chainDir, "anvil.log")}):\n${output.trim()}`,
      });
    }
    if (!listening) {
      const match = /Listening on ([\d.]+):(\d+)/.exec(output);
      if (match) {
        listening = Number(match[2]);
        url = `http://${match[1]}:${listening}`;
      }
    }
    if (listening && (await chainIdOf(url)) === LOCAL_CHAIN_ID) break;
    if (Date.now() > deadline) {
      await stop();
      throw new LocalLedgerError("NodeFailed", "anvil did not answer eth_chainId in time", {
        details: `its output:\n${output.trim()}`,
      });
    }
    await sleep(25);
  }

  const pid = child.pid!;
  writeFileAtomic(pidPath, JSON.stringify({ pid, port: listening, stateFile: files.state } satisfies PidFile));
  goodStamp = refreshGoodCopy(files, goodStamp);
  refresh.timer = setInterval(() => {
    goodStamp = refreshGoodCopy(files, goodStamp);
  }, interval * 1_000);
  refresh.timer.unref();
  logger?.info(
    {
      rpcUrl: url,
      pid,
      chain: state.source,
      block: state.block,
      stateFile: files.state,
      stateIntervalSeconds: interval,
    },
    "local ledger node ready",
  );

  return {
    url,
    port: listening,
    chainId: LOCAL_CHAIN_ID,
    pid,
    state,
    exited,
    output: () => output,
    stop,
    kill: () => {
      clearInterval(refresh.timer);
      process.removeListener("exit", onExit);
      if (!exitedAlready) child.kill("SIGKILL");
    },
  };
}
