/**
 * Whether a failure that is not a revert may go away by itself: a timeout, a dropped connection, a rate limit or a
 * node's internal error. The indexer's sync retries these with backoff; everything else is final.
 */
import {
  BaseError,
  HttpRequestError,
  InternalRpcError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from "viem";

const TRANSIENT_HTTP_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const TRANSIENT_OS_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
]);

function transient(error: unknown): boolean {
  if (error instanceof TimeoutError || error instanceof SocketClosedError || error instanceof WebSocketRequestError) {
    return true;
  }
  if (error instanceof HttpRequestError) return error.status === undefined || TRANSIENT_HTTP_STATUS.has(error.status);
  if (
    error instanceof LimitExceededRpcError ||
    error instanceof ResourceUnavailableRpcError ||
    error instanceof InternalRpcError
  ) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_OS_CODES.has(code);
}

/** Whether `error`, or anything in its chain of causes, is a transient fault. */
export function isRetryableFault(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    if (transient(current)) return true;
    current = current instanceof BaseError || current instanceof Error ? current.cause : undefined;
  }
  return false;
}
