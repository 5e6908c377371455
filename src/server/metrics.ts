/**
 * The server's Prometheus metrics (prom-client), in a registry of their own so that two servers in one process (tests,
 * an embedding application) never share or double-register a metric:
 *
 * - `provledger_indexed_block`, `provledger_chain_head_block`, `provledger_lag_blocks`, `provledger_reorgs_total`:
 *   the indexer's position, set from its status when the server runs it in-process, else from the store's checkpoint
 *   (the head, the lag and the reorgs are then unknown to the server: the head and lag read NaN, and the reorg counter
 *   stays at 0; the indexer process knows them);
 * - `provledger_rpc_request_duration_seconds{method,outcome}`: every JSON-RPC attempt of the in-process indexer, fed by
 *   `onRpcRequest` (pass it as the indexer's `rpc.onRequest`);
 * - `provledger_http_request_duration_seconds{method,route,status}`: every HTTP answer, fed by `onResponse` (a Fastify
 *   `onResponse` hook); `route` is the route's template (`/v1/records/:fingerprint`), never the raw URL, so that the
 *   label set stays bounded whatever clients ask for;
 * - prom-client's default process metrics (CPU, memory, event-loop lag, GC), prefixed `provledger_`.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RpcOptions } from "../indexer";

/** One JSON-RPC attempt as the indexer's RPC client reports it (`RpcOptions.onRequest`). */
export type RpcRequestObservation = Parameters<NonNullable<RpcOptions["onRequest"]>>[0];

/** Where the indexer is, as the /metrics route reads it before each scrape. Undefined fields are unknown. */
export type IndexerPosition = {
  /** The last committed checkpoint's block. */
  readonly indexedBlock?: bigint;
  /** The node's head at the indexer's last poll. */
  readonly headBlock?: bigint;
  /** Reorganisations the indexer rolled back since it started. */
  readonly reorgs?: number;
};

export type ServerMetrics = {
  /** The registry every metric of this server is in. */
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text (Prometheus text exposition format 0.0.4). */
  readonly contentType: string;
  /** `RpcOptions.onRequest` for the in-process indexer: one histogram sample per JSON-RPC attempt. */
  readonly onRpcRequest: (info: RpcRequestObservation) => void;
  /**
   * A Fastify `onResponse` hook (`app.addHook("onResponse", metrics.onResponse)` on the root instance): one histogram
   * sample per answered request, timed by Fastify from the request's arrival (`reply.elapsedTime`).
   */
  readonly onResponse: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Sets the indexer gauges (call before `render()`). */
  setIndexerPosition(position: IndexerPosition): void;
  /** Every metric in the Prometheus text format. */
  render(): Promise<string>;
};

export type ServerMetricsOptions = {
  /** prom-client's default process metrics. Default true. */
  defaultMetrics?: boolean;
};

/**
 * HTTP buckets around the API's targets (record lookup p99 < 2 ms, trail page < 5 ms, lineage < 50 ms), so that a
 * histogram_quantile over them can tell a target met from one missed.
 */
const HTTP_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** RPC buckets: a local node answers in a millisecond, a remote one in tens, a heavy eth_getLogs in seconds. */
const RPC_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The label Fastify routes get when no route matched (404s): one value, not one per URL a scanner tries. */
const UNMATCHED_ROUTE = "unmatched";

export function createServerMetrics(options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "provledger_" });

  const indexedBlock = new Gauge({
    name: "provledger_indexed_block",
    help: "The block of the store's last checkpoint: every answer reflects this block or an earlier one.",
    registers: [registry],
  });
  const headBlock = new Gauge({
    name: "provledger_chain_head_block",
    help: "The node's head block at the indexer's last poll (NaN when the indexer runs in another process).",
    registers: [registry],
  });
  const lagBlocks = new Gauge({
    name: "provledger_lag_blocks",
    help: "Blocks between the node's head and the indexed block (NaN when the head is unknown).",
    registers: [registry],
  });
  const reorgs = new Counter({
    name: "provledger_reorgs_total",
    help: "Chain reorganisations the in-process indexer rolled back since it started.",
    registers: [registry],
  });
  const rpcDuration = new Histogram({
    name: "provledger_rpc_request_duration_seconds",
    help: "Wall time of each JSON-RPC attempt of the in-process indexer, by method and outcome (ok, retry, error).",
    labelNames: ["method", "outcome"] as const,
    buckets: RPC_BUCKETS,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "provledger_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  headBlock.set(Number.NaN);
  lagBlocks.set(Number.NaN);
  let reorgsSeen = 0;

  return {
    registry,
    contentType: registry.contentType,
    onRpcRequest(info) {
      rpcDuration.observe({ method: info.method, outcome: info.outcome }, info.durationMs / 1000);
    },
    async onResponse(request, reply) {
      const route = request.routeOptions?.url ?? UNMATCHED_ROUTE;
      httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    },
    setIndexerPosition(position) {
      indexedBlock.set(position.indexedBlock === undefined ? Number.NaN : Number(position.indexedBlock));
      headBlock.set(position.headBlock === undefined ? Number.NaN : Number(position.headBlock));
      const lag =
        position.headBlock === undefined || position.indexedBlock === undefined
          ? Number.NaN
          : Math.max(0, Number(position.headBlock - position.indexedBlock));
      lagBlocks.set(lag);
      // The indexer counts reorgs since it started; a Prometheus counter only goes up, so add what is new.
      if (position.reorgs !== undefined && position.reorgs > reorgsSeen) {
        reorgs.inc(position.reorgs - reorgsSeen);
        reorgsSeen = position.reorgs;
      }
    },
    render: () => registry.metrics(),
  };
}
