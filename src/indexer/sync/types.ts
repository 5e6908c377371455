/**
 * Sync: the indexer's view of the chain over JSON-RPC. `createRpc` is a node with retries and validated replies;
 * `fetchLogs` backfills in adaptive `eth_getLogs` ranges; `createRealtimeSync` polls the head and turns it into a
 * stream of `block | reorg | finalize`, as Ponder's realtime sync does.
 */
import type { Address, Hex } from "viem";
import type { BlockRef, RawLog } from "../types";

/** The JSON-RPC calls the indexer makes, each retried on transient faults and each reply checked. */
export type IndexerRpc = {
  readonly url: string;
  chainId(): Promise<number>;
  /** The node's latest block number (never cached). */
  blockNumber(): Promise<bigint>;
  blockByNumber(number: bigint): Promise<BlockRef & { logsBloom: Hex }>;
  /** Undefined when the node does not know the hash (it was reorganised away). */
  blockByHash(hash: Hex): Promise<(BlockRef & { logsBloom: Hex }) | undefined>;
  /** Logs of `addresses` in [fromBlock, toBlock], in (block, log index) order, validated. */
  getLogs(params: { addresses: readonly Address[]; fromBlock: bigint; toBlock: bigint }): Promise<RawLog[]>;
  /** Logs of `addresses` in the block with this hash (EIP-234), validated against the block. */
  getLogsByBlockHash(params: {
    addresses: readonly Address[];
    block: BlockRef & { logsBloom: Hex };
  }): Promise<RawLog[]>;
  /** `eth_call` at a block named by hash (EIP-1898, requireCanonical). */
  call(params: { to: Address; data: Hex; blockHash: Hex }): Promise<Hex>;
  /** Contract code at a block named by hash. */
  getCode(params: { address: Address; blockHash: Hex }): Promise<Hex>;
};

export type RpcOptions = {
  url: string;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** Attempts after the first on a transient fault (timeout, 5xx, 429, reset, malformed reply). Default 8. */
  retries?: number;
  /** First backoff; doubles per attempt up to `maxBackoffMs`, with full jitter. Defaults 100 ms and 10 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called before each retry: for logs and metrics. */
  onRetry?: (info: { method: string; attempt: number; delayMs: number; error: unknown }) => void;
  /**
   * Called after each attempt of each request, with its wall time: for RPC latency metrics (the API's
   * `provledger_rpc_request_duration_seconds`). `retry` is an attempt that failed and will be tried again, `error` one
   * that failed for good. It must not throw: it runs on the indexer's hot path.
   */
  onRequest?: (info: RpcRequestInfo) => void;
};

/** One JSON-RPC attempt, as `RpcOptions.onRequest` sees it. */
export type RpcRequestInfo = {
  readonly method: string;
  readonly durationMs: number;
  readonly outcome: "ok" | "error" | "retry";
};

/** Adaptive `eth_getLogs` ranges: grow on success, shrink on "too many results"/size errors, never above `maxRange`. */
export type LogRangeOptions = {
  /** Blocks in the first range. Default 500. */
  initialRange?: bigint;
  /** The cap. Default 10,000. */
  maxRange?: bigint;
  /** Growth factor per success. Default 1.5 on a local node-friendly scale. */
  growth?: number;
};

/** One fetched range: its logs, the blocks that hold them, and its last block (whose hash its checkpoint names). */
export type FetchedRange = {
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  readonly logs: readonly RawLog[];
  /** The blocks `logs` are in, plus `last`; ascending by number. */
  readonly blocks: readonly BlockRef[];
  readonly last: BlockRef;
};

/** What the realtime sync reports, in order. */
export type RealtimeEvent =
  /** A new block on the chain the indexer follows, with its logs (fetched by block hash). */
  | { readonly type: "block"; readonly block: BlockRef; readonly logs: readonly RawLog[] }
  /**
   * The chain the indexer followed was replaced above `ancestor`: roll back to it. `depth` counts the removed blocks.
   * Followed by `block` events of the new chain.
   */
  | { readonly type: "reorg"; readonly ancestor: BlockRef; readonly depth: number }
  /** Blocks at and below `block` are `confirmations` deep: they can no longer be reorganised. */
  | { readonly type: "finalize"; readonly block: BlockRef };

export type RealtimeSyncOptions = {
  rpc: IndexerRpc;
  addresses: readonly Address[];
  /** The blocks already indexed above the finalized one, ascending, ending at the last indexed block. */
  tail: readonly BlockRef[];
  /** Blocks to wait before a block is final. 0 for QBFT. */
  confirmations: number;
  pollIntervalMs: number;
  /**
   * With an empty tail (nothing indexed yet), the first block to report (the deployment block); without it the
   * sync starts at the head it finds.
   */
  startBlock?: bigint;
  /**
   * Called to find the local block at a height while walking back (the tail may be shorter than the reorg): returns
   * the stored block, if any.
   */
  localBlock(number: bigint): Promise<BlockRef | undefined>;
};
