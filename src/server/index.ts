/**
 * The query API (docs/api.md): a read-only HTTP server over the indexer's store, every answer anchored to the block
 * it reflects. `createServer` builds it; `provledger serve` runs it.
 */
import pino from "pino";
import { openStoreReader } from "../indexer/store";
import { createApp, DEFAULT_BODY_LIMIT } from "./app";
import type { ProvledgerServer, RouteContext, ServerOptions, StoreReader } from "./types";

export { createApp, toApiError, DEFAULT_BODY_LIMIT, type AppOptions } from "./app";
export { answer, atOf, isoTime, type Answer, type AnchorSource, type At } from "./envelope";
export { ApiError, apiErrorCodes, errorStatus, type ApiErrorBody, type ApiErrorCode } from "./errors";
export { registerRoutes } from "./routes";
export type { ProvledgerServer, RouteContext, ServerMetrics, ServerOptions, StoreReader } from "./types";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 4000;

/**
 * Builds the server (not yet listening): opens the store read-only when given a URL (the server then closes it),
 * and registers every route. Throws the store's error (`NotAStore`, `InvalidUrl`) before anything listens.
 */
export async function createServer(options: ServerOptions): Promise<ProvledgerServer> {
  const owned = typeof options.store === "string";
  const reader: StoreReader =
    typeof options.store === "string"
      ? openStoreReader(options.store, { statementTimeoutMs: options.statementTimeoutMs })
      : options.store;
  const context: RouteContext = {
    reader,
    ...(options.indexer ? { indexer: options.indexer } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    startedAt: Date.now(),
  };
  let app;
  try {
    app = await createApp(context, {
      bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      logger: options.logger === undefined ? pino({ level: "info" }) : options.logger,
    });
  } catch (error) {
    if (owned) await reader.close();
    throw error;
  }
  let url = "";
  return {
    app,
    get url() {
      return url;
    },
    async listen() {
      const address = await app.listen({ host: options.host ?? DEFAULT_HOST, port: options.port ?? DEFAULT_PORT });
      url = address;
      return url;
    },
    async close() {
      await app.close();
      if (owned) await reader.close();
    },
  };
}
