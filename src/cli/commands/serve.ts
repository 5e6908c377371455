/**
 * `provledger serve`: the query API over the indexer's store, on 127.0.0.1:4000 by default, until SIGINT or SIGTERM.
 *
 * With `--rpc-url` (and the deployment flags of `provledger index`) the same process also runs the indexer: one
 * writer commits ranges to the store, and the API reads committed snapshots through its own read-only connection
 * (SQLite WAL / PostgreSQL REPEATABLE READ), so an answer never shows half a range. /ready then waits for the indexer
 * to catch up, and /metrics shows its RPC latencies. Without `--rpc-url` the API serves a store another process
 * indexes. Every flag has a PROVLEDGER_* environment variable; flags win. Logs are JSON lines (pino) on stdout.
 */
import { Command, Option } from "commander";
import pino, { type Logger } from "pino";
import { createIndexer, createStore, type Indexer, type IndexerStore } from "../../indexer";
import { createServer, DEFAULT_HOST, DEFAULT_PORT } from "../../server";
import { DEFAULT_BODY_LIMIT } from "../../server/app";
import { createServerMetrics } from "../../server/metrics";
import { CliError } from "../errors";
import { indexCommand, indexOptions } from "./index";

type ServeFlags = {
  store: string;
  host: string;
  port: string;
  statementTimeout: string;
  bodyLimit: string;
  logLevel: string;
  rpcUrl?: string;
  deployment?: string;
  registry?: string;
  ledger?: string;
  rights?: string;
  deploymentBlock?: string;
  chainId?: string;
  confirmations: string;
  pollInterval: string;
  maxBlockRange: string;
  allowDeepReorg?: boolean;
};

/** The `provledger index` flags that configure the in-process indexer (the store and log level are shared). */
const INDEXER_FLAGS = [
  "--rpc-url",
  "--deployment",
  "--registry",
  "--ledger",
  "--rights",
  "--deployment-block",
  "--chain-id",
  "--confirmations",
  "--poll-interval",
  "--max-block-range",
  "--allow-deep-reorg",
];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function serveCommand(): Command {
  const command = new Command("serve")
    .description(
      "serve the read-only query API over a store (and, with --rpc-url, index the deployment in the same process)",
    )
    .addOption(
      new Option("--store <url>", "a SQLite file path, or a postgres:// URL")
        .env("PROVLEDGER_STORE")
        .default("provledger.sqlite"),
    )
    .addOption(
      new Option("--host <host>", "the address to listen on (put a proxy in front to expose the API)")
        .env("PROVLEDGER_HOST")
        .default(DEFAULT_HOST),
    )
    .addOption(
      new Option("--port <port>", "the TCP port (0 picks a free one)")
        .env("PROVLEDGER_PORT")
        .default(String(DEFAULT_PORT)),
    )
    .addOption(
      new Option("--statement-timeout <ms>", "time limit of each request's queries (PostgreSQL)")
        .env("PROVLEDGER_STATEMENT_TIMEOUT")
        .default("5000"),
    )
    .addOption(
      new Option("--body-limit <bytes>", "largest request body (POST /v1/verdicts)")
        .env("PROVLEDGER_BODY_LIMIT")
        .default(String(DEFAULT_BODY_LIMIT)),
    )
    .addOption(
      new Option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent")
        .env("PROVLEDGER_LOG_LEVEL")
        .default("info"),
    );
  // The indexer's own flags, exactly as `provledger index` defines them (names, environment variables, defaults).
  for (const option of indexCommand().options) {
    if (!INDEXER_FLAGS.includes(option.long ?? "")) continue;
    if (option.long === "--rpc-url") option.description = "also index the deployment from this node's JSON-RPC URL";
    command.addOption(option);
  }
  return command.action(async (flags: ServeFlags, self: Command) => serve(flags, self));
}

/** The server's settings from flags and environment, refusing a bad one before anything is opened. */
export function serveOptions(flags: ServeFlags): {
  store: string;
  host: string;
  port: number;
  statementTimeoutMs: number;
  bodyLimit: number;
  logLevel: string;
} {
  const whole = (value: string, flag: string, min: number, max: number, unit = "") => {
    const text = String(value).trim();
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new CliError(`${flag} must be a whole number from ${min} to ${max}${unit}, got "${value}"`);
    }
    return Number(text);
  };
  if (flags.store.trim() === "") {
    throw new CliError("--store is empty", { details: "pass a SQLite file path or a postgres:// URL" });
  }
  if (flags.host.trim() === "") throw new CliError("--host is empty", { details: "pass 127.0.0.1, ::1 or 0.0.0.0" });
  if (!LOG_LEVELS.includes(flags.logLevel)) {
    throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${flags.logLevel}"`);
  }
  return {
    store: flags.store,
    host: flags.host.trim(),
    port: whole(flags.port, "--port", 0, 65_535),
    statementTimeoutMs: whole(flags.statementTimeout, "--statement-timeout", 1, 3_600_000, " ms"),
    bodyLimit: whole(flags.bodyLimit, "--body-limit", 1_024, 64 * 1024 * 1024, " bytes"),
    logLevel: flags.logLevel,
  };
}

/**
 * Indexer flags typed on the command line without `--rpc-url`: a mistake to name, not to ignore. (Their environment
 * variables are not: an environment shared by `provledger index` and a separate `provledger serve` is normal.)
 */
function strayIndexerFlags(command: Command): string[] {
  return command.options
    .filter((option) => INDEXER_FLAGS.includes(option.long ?? "") && option.long !== "--rpc-url")
    .filter((option) => command.getOptionValueSource(option.attributeName()) === "cli")
    .map((option) => option.long!);
}

async function serve(flags: ServeFlags, command: Command): Promise<void> {
  const options = serveOptions(flags);
  if (!flags.rpcUrl) {
    const stray = strayIndexerFlags(command);
    if (stray.length > 0) {
      throw new CliError(`${stray.join(", ")} configure the in-process indexer, which runs only with --rpc-url`, {
        details: "add --rpc-url <node> to index in this process, or leave those flags out to serve the store as it is",
      });
    }
  }
  const indexerSettings = flags.rpcUrl
    ? indexOptions({ ...flags, store: options.store, logLevel: options.logLevel })
    : undefined;
  const logger = pino({ level: options.logLevel, base: { service: "provledger-api" } });
  const metrics = createServerMetrics();

  // With an in-process indexer the store is opened and migrated here, before the API's read-only connection opens
  // it: a new store must exist and have its tables for the reader. The indexer writes through this handle.
  let store: IndexerStore | undefined;
  let indexer: Indexer | undefined;
  if (indexerSettings) {
    store = await createStore(options.store);
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
    indexer = createIndexer({
      ...indexerSettings,
      store,
      logger: logger.child({ component: "indexer" }),
      rpc: { onRequest: metrics.onRpcRequest },
    });
  }

  let server;
  try {
    server = await createServer({
      store: options.store,
      host: options.host,
      port: options.port,
      statementTimeoutMs: options.statementTimeoutMs,
      bodyLimit: options.bodyLimit,
      logger,
      indexer,
      metrics,
    });
    await server.listen();
  } catch (error) {
    await server?.close().catch(() => {});
    await store?.close().catch(() => {});
    throw error;
  }
  logger.info(
    { url: server.url, store: store?.description ?? options.store, indexing: indexer !== undefined },
    "listening",
  );

  const stop = waitForStop(logger, indexer);
  const outcome = await stop.outcome;
  try {
    await Promise.all([
      indexer?.stop().catch((error: unknown) => logger.error({ err: error }, "the indexer failed to stop")),
      server.close().catch((error: unknown) => logger.error({ err: error }, "the server failed to close")),
    ]);
    await store?.close().catch((error: unknown) => logger.error({ err: error }, "the store failed to close"));
  } finally {
    stop.release();
  }
  if (outcome.halted) {
    // A halted indexer would leave the API answering an ever older block: exit non-zero so that a supervisor sees it.
    logger.error({ err: outcome.halted }, "the indexer halted; the server stopped");
    process.exitCode = 1;
    return;
  }
  logger.info({ signal: outcome.signal }, "stopped");
}

type StopOutcome = { signal?: NodeJS.Signals; halted?: unknown };

/**
 * Resolves `outcome` on SIGINT/SIGTERM or when the in-process indexer halts. A second signal (while closing takes
 * too long) exits at once with 130. `release` removes the signal handlers once everything is closed.
 */
function waitForStop(logger: Logger, indexer: Indexer | undefined): { outcome: Promise<StopOutcome>; release(): void } {
  let signals = 0;
  let resolve!: (outcome: StopOutcome) => void;
  const outcome = new Promise<StopOutcome>((done) => (resolve = done));
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    logger.info({ signal }, "stopping: finishing the requests in flight and the range being committed");
    resolve({ signal });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  indexer?.run().then(
    () => {},
    (error: unknown) => resolve({ halted: error }),
  );
  return {
    outcome,
    release() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
