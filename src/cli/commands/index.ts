/**
 * `provledger index`: runs the indexer against one deployment until SIGINT or SIGTERM (or, with --once, until caught
 * up). Every flag has a PROVLEDGER_* environment variable; flags win. Logs are JSON lines (pino) on stdout.
 */
import { Command, Option } from "commander";
import pino from "pino";
import { createIndexer, IndexerError, type IndexerOptions } from "../../indexer";
import type { ProvledgerAddresses } from "../../sdk";
import { readDeploymentFile, parseBlock } from "../deployment";
import { CliError } from "../errors";

type IndexFlags = {
  rpcUrl?: string;
  deployment?: string;
  registry?: string;
  ledger?: string;
  rights?: string;
  deploymentBlock?: string;
  chainId?: string;
  store: string;
  confirmations: string;
  pollInterval: string;
  maxBlockRange: string;
  allowDeepReorg?: boolean;
  once?: boolean;
  logLevel: string;
};

export function indexCommand(): Command {
  return new Command("index")
    .description("index a deployment into SQLite or PostgreSQL, proving each range complete, and follow its head")
    .addOption(new Option("--rpc-url <url>", "the node's JSON-RPC URL").env("PROVLEDGER_RPC_URL"))
    .addOption(
      new Option("--deployment <file>", "deployment file (chainId, deploymentBlock, addresses)").env(
        "PROVLEDGER_DEPLOYMENT",
      ),
    )
    .addOption(new Option("--registry <address>", "OrganizationRegistry address").env("PROVLEDGER_REGISTRY"))
    .addOption(new Option("--ledger <address>", "ProvenanceLedger address").env("PROVLEDGER_LEDGER"))
    .addOption(new Option("--rights <address>", "DataRights address").env("PROVLEDGER_RIGHTS"))
    .addOption(
      new Option("--deployment-block <number>", "block of the deployment's first contract").env(
        "PROVLEDGER_DEPLOYMENT_BLOCK",
      ),
    )
    .addOption(new Option("--chain-id <id>", "the chain id the node must serve").env("PROVLEDGER_CHAIN_ID"))
    .addOption(
      new Option("--store <url>", "a SQLite file path, or a postgres:// URL")
        .env("PROVLEDGER_STORE")
        .default("provledger.sqlite"),
    )
    .addOption(
      new Option("--confirmations <n>", "blocks before a block is final (0 for QBFT)")
        .env("PROVLEDGER_CONFIRMATIONS")
        .default("0"),
    )
    .addOption(
      new Option("--poll-interval <ms>", "head polling interval once caught up")
        .env("PROVLEDGER_POLL_INTERVAL")
        .default("1000"),
    )
    .addOption(
      new Option("--max-block-range <n>", "largest eth_getLogs range")
        .env("PROVLEDGER_MAX_BLOCK_RANGE")
        .default("10000"),
    )
    .addOption(
      new Option("--allow-deep-reorg", "roll back reorgs deeper than --confirmations (development ledgers only)").env(
        "PROVLEDGER_ALLOW_DEEP_REORG",
      ),
    )
    .addOption(new Option("--once", "exit once caught up with the head").env("PROVLEDGER_ONCE"))
    .addOption(
      new Option("--log-level <level>", "fatal, error, warn, info, debug or trace")
        .env("PROVLEDGER_LOG_LEVEL")
        .default("info"),
    )
    .action(async (flags: IndexFlags) => {
      const options = indexOptions(flags);
      const logger = pino({ level: flags.logLevel, base: { service: "provledger-indexer" } });
      const indexer = createIndexer({ ...options, logger });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) process.exit(130);
        logger.info({ signal }, "stopping after the range being committed");
        void indexer.stop();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        await indexer.run();
        const status = indexer.status();
        logger.info(
          {
            block: status.checkpoint?.blockNumber,
            ledgerSequence: status.checkpoint?.ledgerSequence,
            events: status.checkpoint?.eventCount,
            digest: status.checkpoint?.digest,
          },
          "stopped",
        );
      } catch (error) {
        process.exitCode = error instanceof IndexerError && error.code === "InvalidConfig" ? 2 : 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}

/** Flags and environment -> indexer options, refusing what cannot be right before anything is opened. */
export function indexOptions(flags: IndexFlags): Omit<IndexerOptions, "logger"> {
  if (!flags.rpcUrl) {
    throw new CliError("no RPC URL", { details: "pass --rpc-url http://host:8545 or set PROVLEDGER_RPC_URL" });
  }
  const file = flags.deployment ? readDeploymentFile(flags.deployment) : undefined;
  const addresses: Partial<ProvledgerAddresses> = { ...file?.addresses };
  for (const role of ["registry", "ledger", "rights"] as const) {
    const flag = flags[role];
    if (flag) addresses[role] = flag as ProvledgerAddresses[typeof role];
    if (!addresses[role]) {
      throw new CliError(`no ${role} address`, {
        details: `pass --deployment <file>, or --${role} <address> (PROVLEDGER_${role.toUpperCase()})`,
      });
    }
  }
  const deploymentBlock =
    flags.deploymentBlock !== undefined
      ? parseBlock(flags.deploymentBlock, "--deployment-block")
      : file?.deploymentBlock;
  if (deploymentBlock === undefined) {
    throw new CliError("no deployment block", {
      details: "pass --deployment-block <number> or a deployment file with deploymentBlock",
    });
  }
  const whole = (value: string, flag: string, min: number) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
      throw new CliError(`${flag} must be a whole number >= ${min}, got "${value}"`);
    }
    return Number(value);
  };
  const chainId = flags.chainId !== undefined ? whole(flags.chainId, "--chain-id", 1) : file?.chainId;
  return {
    rpcUrl: flags.rpcUrl,
    addresses: addresses as ProvledgerAddresses,
    deploymentBlock,
    chainId,
    store: flags.store,
    confirmations: whole(flags.confirmations, "--confirmations", 0),
    pollIntervalMs: whole(flags.pollInterval, "--poll-interval", 10),
    maxBlockRange: BigInt(whole(flags.maxBlockRange, "--max-block-range", 1)),
    allowDeepReorg: flags.allowDeepReorg === true || String(flags.allowDeepReorg) === "true",
    once: flags.once === true || String(flags.once) === "true",
  };
}
