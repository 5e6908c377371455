/**
 * The server's TypeScript surface shared by its parts: what `createServer` takes and returns, and the context every
 * route plugin gets (the store reader, the in-process indexer if any, the metrics, the start time).
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Indexer } from "../indexer";
import type { StoreReader } from "../indexer/store";
import type { ServerMetrics } from "./metrics";

export type { ServerMetrics, StoreReader };

export type ServerOptions = {
  /** A store URL or path (SQLite file, `postgres://...`), opened read-only; or a reader already open. */
  store: string | StoreReader;
  /** Default 127.0.0.1: the API is read-only but need not be public; put a proxy in front to expose it. */
  host?: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** PostgreSQL statement timeout per request's snapshot, ms (default 5000). SQLite has none (see reader.ts). */
  statementTimeoutMs?: number;
  /** Largest request body, bytes (default 256 KiB: a receipt is a few KiB). */
  bodyLimit?: number;
  /** A pino logger for the JSON request logs; false for none. Default: pino at `info` on stdout. */
  logger?: Logger | false;
  /** The indexer, when this process also indexes: /ready, /status and the metrics use its status. */
  indexer?: Indexer;
  /** The Prometheus metrics (metrics.ts): the server feeds their HTTP histogram from an `onResponse` hook. */
  metrics?: ServerMetrics;
};

export type ProvledgerServer = {
  readonly app: FastifyInstance;
  /** `http://host:port` once listening; empty before. */
  readonly url: string;
  /** Starts listening; resolves with the URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, waits for the requests in flight, and closes the reader if the server opened it. */
  close(): Promise<void>;
};

/** What every route plugin gets (`recordRoutes(app, context)`). */
export type RouteContext = {
  readonly reader: StoreReader;
  readonly indexer?: Indexer;
  readonly metrics?: ServerMetrics;
  /** `Date.now()` when the server was created (for /status's uptime). */
  readonly startedAt: number;
};
