/**
 * Whether a failure that is not a revert may go away by itself: a timeout, a dropped connection, a rate limit or a
 * node's internal error. The indexer's sync retries these with backoff; everything else is final.
 *
 * Recognised by name and fields, not `instanceof`: this package is CommonJS and requires viem's CommonJS build,
 * while an ES-module program's own viem clients throw the classes of viem's ES build, which are other classes of the
 * same names.
 */

const TRANSIENT_HTTP_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** viem's error classes that always mean "try again later". */
const TRANSIENT_VIEM_ERRORS = new Set(["TimeoutError", "SocketClosedError", "WebSocketRequestError"]);
/** JSON-RPC error codes of transient node conditions: limit exceeded, resource unavailable, internal error. */
const TRANSIENT_RPC_CODES = new Set([-32005, -32002, -32603]);
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

function transient(error: object): boolean {
  const { name, status, code } = error as { name?: unknown; status?: unknown; code?: unknown };
  if (typeof name === "string" && TRANSIENT_VIEM_ERRORS.has(name)) return true;
  if (name === "HttpRequestError") return status === undefined || TRANSIENT_HTTP_STATUS.has(status as number);
  if (typeof code === "number") return TRANSIENT_RPC_CODES.has(code);
  return typeof code === "string" && TRANSIENT_OS_CODES.has(code);
}

/** Whether `error`, or anything in its chain of causes, is a transient fault. */
export function isRetryableFault(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    if (transient(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
