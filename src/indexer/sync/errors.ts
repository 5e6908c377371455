/**
 * Sync's error: one class, a code per way a node can fail us. `retryable` says whether the same call may succeed
 * later (a timeout, a 503, a dropped connection, a reply that failed validation) or never (invalid params, a revert):
 * `createRpc` retries the first kind with backoff and fails at once on the second.
 */
import { ProvledgerError } from "../../sdk";

export type SyncErrorCode =
  /** No reply within the timeout. */
  | "Timeout"
  /** The node answered with an HTTP error status (5xx, 429, or a 4xx that is not retried). */
  | "HttpStatus"
  /** The connection failed or dropped (refused, reset, socket hang up). */
  | "ConnectionFailed"
  /** The reply is not JSON-RPC (truncated, garbage, no result). */
  | "MalformedReply"
  /** A JSON-RPC error object. */
  | "RpcError"
  /** A well-formed reply that contradicts the request or itself (wrong block, a log outside the range, ...). */
  | "InvalidReply"
  /** The node refuses the `eth_getLogs` range as too large (too many results, response size, range limit). */
  | "RangeTooLarge"
  /** The node has no block at a number it should have (it lags behind the head it reported, or behind a peer). */
  | "BlockNotFound"
  /** The realtime sync met a reorganisation below every block it knows. */
  | "UnknownAncestor"
  /** Bad options. */
  | "InvalidConfig";

export class SyncError extends ProvledgerError<SyncErrorCode> {
  override name = "SyncError";
  /** The JSON-RPC method that failed, if any. */
  readonly method?: string;
  /** HTTP status, for `HttpStatus`. */
  readonly status?: number;
  /** JSON-RPC error code, for `RpcError` and `RangeTooLarge`. */
  readonly rpcCode?: number;
  /** Milliseconds the node asked to wait (HTTP Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    code: SyncErrorCode,
    message: string,
    options: {
      details?: string;
      method?: string;
      status?: number;
      rpcCode?: number;
      retryAfterMs?: number;
      retryable?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, { details: options.details, cause: options.cause, retryable: options.retryable ?? false });
    if (options.method !== undefined) this.method = options.method;
    if (options.status !== undefined) this.status = options.status;
    if (options.rpcCode !== undefined) this.rpcCode = options.rpcCode;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
