/** The indexer's settings, with their defaults and the checks that refuse a bad one before anything starts. */
import { isAddress, type Address } from "viem";
import type { Logger } from "pino";
import type { ProvledgerAddresses } from "../../sdk";
import { IndexerError } from "../errors";
import type { IndexerStore } from "../store/types";
import type { RpcOptions } from "../sync/types";

export type IndexerOptions = {
  /** The node's JSON-RPC URL (http or https). */
  rpcUrl: string;
  /** The deployment to follow: its three contracts. */
  addresses: ProvledgerAddresses;
  /** The block of the deployment's first contract (the registry): indexing starts there. */
  deploymentBlock: bigint;
  /** A SQLite path (the default store) or a `postgres://` URL; or an open store. */
  store: string | IndexerStore;
  /** The chain id the node must serve; any chain (but always the store's) if left out. */
  chainId?: number;
  /** Blocks before a block is final. 0 for QBFT, whose blocks are final when made (the default). */
  confirmations?: number;
  /** How often to poll the head once caught up. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Largest `eth_getLogs` range. Default 10,000 blocks. */
  maxBlockRange?: bigint;
  /** First `eth_getLogs` range. Default 500 blocks. */
  initialBlockRange?: bigint;
  /**
   * Roll back reorganisations deeper than `confirmations` instead of halting: for a development ledger, whose node can
   * lose its last blocks when it crashes. Never for a consortium chain.
   */
  allowDeepReorg?: boolean;
  /** Stop once caught up with the head (a one-shot catch-up) instead of following it. */
  once?: boolean;
  /** Request timeout, retries and backoff for the node. */
  rpc?: Omit<RpcOptions, "url">;
  /** Structured logs (pino); silent if left out. */
  logger?: Logger;
};

export type ResolvedOptions = Required<Omit<IndexerOptions, "chainId" | "logger" | "rpc" | "store">> &
  Pick<IndexerOptions, "chainId" | "rpc" | "store"> & { logger: Logger | undefined };

const ROLES = ["registry", "ledger", "rights"] as const;

/** Fills in defaults and refuses a setting that cannot work, saying which and how to fix it. */
export function resolveOptions(options: IndexerOptions): ResolvedOptions {
  const invalid = (message: string) => new IndexerError("InvalidConfig", message);
  if (!/^https?:\/\//i.test(options.rpcUrl ?? "")) {
    throw invalid(`the RPC URL "${options.rpcUrl}" is not an http(s) URL; pass the node's JSON-RPC endpoint`);
  }
  for (const role of ROLES) {
    const address: Address | undefined = options.addresses?.[role];
    if (!address || !isAddress(address, { strict: false })) {
      throw invalid(`the ${role} address "${address}" is not an address; pass the deployment's three addresses`);
    }
  }
  if (typeof options.deploymentBlock !== "bigint" || options.deploymentBlock < 0n) {
    throw invalid(`the deployment block must be a block number (>= 0), got ${String(options.deploymentBlock)}`);
  }
  const confirmations = options.confirmations ?? 0;
  if (!Number.isInteger(confirmations) || confirmations < 0) {
    throw invalid(`confirmations must be a whole number >= 0 (0 for QBFT), got ${confirmations}`);
  }
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 10) {
    throw invalid(`the poll interval must be at least 10 ms, got ${pollIntervalMs}`);
  }
  const maxBlockRange = options.maxBlockRange ?? 10_000n;
  const initialBlockRange = options.initialBlockRange ?? (maxBlockRange < 500n ? maxBlockRange : 500n);
  if (maxBlockRange < 1n || initialBlockRange < 1n || initialBlockRange > maxBlockRange) {
    throw invalid(
      `block ranges must satisfy 1 <= initial (${initialBlockRange}) <= max (${maxBlockRange}); lower the initial range`,
    );
  }
  if (options.chainId !== undefined && (!Number.isInteger(options.chainId) || options.chainId <= 0)) {
    throw invalid(`the chain id must be a positive whole number, got ${options.chainId}`);
  }
  return {
    rpcUrl: options.rpcUrl,
    addresses: {
      registry: options.addresses.registry.toLowerCase() as Address,
      ledger: options.addresses.ledger.toLowerCase() as Address,
      rights: options.addresses.rights.toLowerCase() as Address,
    },
    deploymentBlock: options.deploymentBlock,
    store: options.store,
    chainId: options.chainId,
    confirmations,
    pollIntervalMs,
    maxBlockRange,
    initialBlockRange,
    allowDeepReorg: options.allowDeepReorg ?? false,
    once: options.once ?? false,
    rpc: options.rpc,
    logger: options.logger,
  };
}
