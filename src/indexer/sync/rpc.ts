/**
 * `createRpc`: the JSON-RPC calls the indexer makes, over plain HTTP POST (fetch), each retried with exponential
 * backoff and full jitter on a transient fault, and each reply checked against what was asked. Not a viem client:
 * the indexer needs to see the HTTP status, Retry-After and the raw body to tell a rate limit from a truncated reply
 * from a refusal, and viem's transport folds those into one error (and caches the block number).
 *
 * A reply that fails validation counts as a transient fault: a load-balanced node that served a stale or partial
 * answer usually serves a good one on the next try, and if it never does the caller gets an `InvalidReply` naming
 * what was wrong.
 */
import { type Address, type Hex } from "viem";
import { isRetryableError } from "../../sdk";
import type { BlockRef, RawLog } from "../types";
import { bloomMayHaveLogsOf, isBloom } from "./bloom";
import { SyncError } from "./errors";
import type { IndexerRpc, RpcOptions, RpcRequestInfo } from "./types";

type RpcBlock = BlockRef & { logsBloom: Hex };

/** The longest Retry-After we honour; a node asking for more is waited on at this, then asked again. */
const MAX_RETRY_AFTER_MS = 60_000;

/** JSON-RPC error codes that mean "try again": limit exceeded / rate limited, internal error, resource unavailable. */
const TRANSIENT_RPC_CODES = new Set([-32005, -32603, -32002, -32016, 429]);

/** Messages of generic server errors (-32000 and friends) that a later try may not repeat. */
const TRANSIENT_MESSAGE =
  /rate.?limit|too many requests|timeout|timed out|deadline exceeded|header not found|missing trie node|try again|temporar|unavailable|busy|overload|capacity|syncing|not ready/i;

/**
 * `eth_getLogs` refusals that mean "ask for fewer blocks" (Alchemy, Infura, QuickNode, geth, erigon, Besu and
 * others phrase it differently; cf. Ponder's getLogsRetryHelper).
 */
export const RANGE_TOO_LARGE =
  /too many results|query returned more than|response size (exceeded|is larger|should not)|log response size|limit exceeded|exceed(s|ed)? (the )?max(imum)?|block range|range (is )?too (large|wide|big)|ranges over|more than \d+ (blocks|results|logs)|query timeout|retry with the range|this block range should work/i;

export function createRpc(options: RpcOptions): IndexerRpc {
  const url = options.url;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 8;
  const backoffMs = options.backoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  if (!/^https?:\/\//i.test(url)) {
    throw new SyncError("InvalidConfig", `the RPC URL "${url}" is not an http(s) URL`, {
      details: "pass the node's JSON-RPC endpoint, e.g. http://127.0.0.1:8545",
    });
  }
  const onRequest = options.onRequest;
  let nextId = 1;

  /** Tells `onRequest` how one attempt went; a throwing listener is ignored, never fails the indexer's request. */
  function report(method: string, startedAt: number, outcome: RpcRequestInfo["outcome"]): void {
    try {
      onRequest!({ method, durationMs: performance.now() - startedAt, outcome });
    } catch {
      // Metrics are best effort: a broken listener must not turn a good reply into an RPC failure.
    }
  }

  /** One JSON-RPC request, one attempt: the result, or a SyncError saying whether a retry may help. */
  async function send(method: string, params: readonly unknown[]): Promise<unknown> {
    const id = nextId++;
    const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
    let status: number;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
    } catch (error) {
      throw transportError(method, error, timeoutMs);
    }

    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch (error) {
      if (status < 200 || status >= 300) throw httpError(method, status, retryAfter, text);
      throw new SyncError("MalformedReply", `${method}: the node's reply is not JSON (${describeBody(text)})`, {
        details: "the reply was truncated or garbled on the way; retrying",
        method,
        retryable: true,
        cause: error,
      });
    }
    const object = reply !== null && typeof reply === "object" && !Array.isArray(reply) ? reply : undefined;
    const rpcError = (object as { error?: unknown } | undefined)?.error;
    if (rpcError !== undefined && rpcError !== null) {
      const error = jsonRpcError(method, rpcError, status, retryAfter);
      // An HTTP error status says more about retrying than the body does, unless the body refuses the range.
      if ((status >= 200 && status < 300) || error.code === "RangeTooLarge") throw error;
      throw httpError(method, status, retryAfter, text);
    }
    if (status < 200 || status >= 300) throw httpError(method, status, retryAfter, text);
    if (!object || !("result" in object) || (object as { id?: unknown }).id !== id) {
      throw new SyncError("MalformedReply", `${method}: the node's reply is not a JSON-RPC reply to request ${id}`, {
        details: `got ${describeBody(text)}; retrying`,
        method,
        retryable: true,
      });
    }
    return (object as { result: unknown }).result;
  }

  /** Runs `attempt` until it succeeds, fails with a non-transient error, or runs out of retries. */
  async function withRetries<T>(method: string, attempt: () => Promise<T>, retryable = isTransient): Promise<T> {
    for (let attemptNumber = 0; ; attemptNumber++) {
      const startedAt = onRequest ? performance.now() : 0;
      try {
        const result = await attempt();
        if (onRequest) report(method, startedAt, "ok");
        return result;
      } catch (error) {
        const final = attemptNumber >= retries || !retryable(error);
        if (onRequest) report(method, startedAt, final ? "error" : "retry");
        if (final) throw error;
        const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** attemptNumber);
        const asked = error instanceof SyncError ? error.retryAfterMs : undefined;
        // Full jitter (AWS architecture blog): many indexers behind one node do not retry in lockstep.
        const delayMs = asked !== undefined ? Math.min(asked, MAX_RETRY_AFTER_MS) : Math.random() * ceiling;
        options.onRetry?.({ method, attempt: attemptNumber + 1, delayMs, error });
        await sleep(delayMs);
      }
    }
  }

  const request = (method: string, params: readonly unknown[]) => withRetries(method, () => send(method, params));

  async function blockByNumber(number: bigint): Promise<RpcBlock> {
    return withRetries("eth_getBlockByNumber", async () => {
      const raw = await send("eth_getBlockByNumber", [toQuantity(number), false]);
      if (raw === null) {
        throw new SyncError("BlockNotFound", `the node has no block ${number}`, {
          details: "it lags behind the head it reported, or the number is above its head; retrying",
          method: "eth_getBlockByNumber",
          retryable: true,
        });
      }
      const block = parseBlock("eth_getBlockByNumber", raw);
      if (block.number !== number) {
        throw invalidReply("eth_getBlockByNumber", `asked for block ${number}, got block ${block.number}`);
      }
      return block;
    });
  }

  async function blockByHash(hash: Hex): Promise<RpcBlock | undefined> {
    return withRetries("eth_getBlockByHash", async () => {
      const raw = await send("eth_getBlockByHash", [hash, false]);
      if (raw === null) return undefined;
      const block = parseBlock("eth_getBlockByHash", raw);
      if (!sameHex(block.hash, hash)) {
        throw invalidReply("eth_getBlockByHash", `asked for block ${hash}, got ${block.hash}`);
      }
      return block;
    });
  }

  async function getLogs(params: { addresses: readonly Address[]; fromBlock: bigint; toBlock: bigint }) {
    const { fromBlock, toBlock } = params;
    if (toBlock < fromBlock) return [];
    const addresses = lowerAddresses(params.addresses);
    const method = "eth_getLogs";
    // A timeout over several blocks is reported at once, so that fetchLogs splits the range instead of asking the
    // same heavy question eight times; a single block cannot be split, so it is retried like any other call.
    const retryable = (error: unknown) =>
      isTransient(error) && !(toBlock > fromBlock && error instanceof SyncError && error.code === "Timeout");
    return withRetries(
      method,
      async () => {
        const raw = await send(method, [
          { address: addresses, fromBlock: toQuantity(fromBlock), toBlock: toQuantity(toBlock) },
        ]);
        const logs = parseLogs(method, raw, addresses);
        const hashes = new Map<bigint, Hex>();
        for (const log of logs) {
          if (log.blockNumber < fromBlock || log.blockNumber > toBlock) {
            throw invalidReply(method, `a log of block ${log.blockNumber} is outside [${fromBlock}, ${toBlock}]`);
          }
          const seen = hashes.get(log.blockNumber);
          if (seen === undefined) hashes.set(log.blockNumber, log.blockHash);
          else if (!sameHex(seen, log.blockHash)) {
            throw invalidReply(
              method,
              `logs of block ${log.blockNumber} name two block hashes, ${seen} and ${log.blockHash}`,
            );
          }
        }
        return logs;
      },
      retryable,
    );
  }

  async function getLogsByBlockHash(params: { addresses: readonly Address[]; block: RpcBlock }): Promise<RawLog[]> {
    const { block } = params;
    const addresses = lowerAddresses(params.addresses);
    // A clear bloom bit proves absence: no request for the (many) blocks without our logs.
    if (!bloomMayHaveLogsOf(block.logsBloom, addresses)) return [];
    const method = "eth_getLogs";
    return withRetries(method, async () => {
      const raw = await send(method, [{ address: addresses, blockHash: block.hash }]);
      const logs = parseLogs(method, raw, addresses);
      for (const log of logs) {
        if (log.blockNumber !== block.number || !sameHex(log.blockHash, block.hash)) {
          throw invalidReply(
            method,
            `asked for the logs of block ${block.number} (${block.hash}), got one of block ${log.blockNumber} ` +
              `(${log.blockHash})`,
          );
        }
      }
      if (logs.length === 0 && isBloom(block.logsBloom)) await checkEmptyAgainstReceipts(block, addresses);
      return logs;
    });
  }

  /**
   * The bloom says the block may hold our logs, the log filter says it holds none. Blooms have false positives, so
   * ask the block's receipts (another code path of the node): if they hold a log of ours, the filter's reply was
   * incomplete.
   */
  async function checkEmptyAgainstReceipts(block: RpcBlock, addresses: readonly Address[]): Promise<void> {
    let receipts: unknown;
    try {
      receipts = await send("eth_getBlockReceipts", [block.hash]);
    } catch (error) {
      if (isTransient(error)) throw error;
      // A node without eth_getBlockReceipts: the bloom alone cannot tell a false positive from an omission, and the
      // runtime's sequence check (ledgerHead() at the block) catches an omitted chained event.
      return;
    }
    if (!Array.isArray(receipts)) return;
    const ours = new Set<string>(addresses);
    let count = 0;
    for (const receipt of receipts) {
      const logs = (receipt as { logs?: unknown } | null)?.logs;
      if (!Array.isArray(logs)) continue;
      for (const log of logs) {
        const address = (log as { address?: unknown } | null)?.address;
        if (typeof address === "string" && ours.has(address.toLowerCase())) count += 1;
      }
    }
    if (count > 0) {
      throw invalidReply(
        "eth_getLogs",
        `block ${block.number} (${block.hash}) holds ${count} log(s) of the deployment by its receipts and bloom, ` +
          `but eth_getLogs by block hash returned none`,
      );
    }
  }

  return {
    url,
    async chainId() {
      return Number(parseQuantity("eth_chainId", await request("eth_chainId", [])));
    },
    async blockNumber() {
      return parseQuantity("eth_blockNumber", await request("eth_blockNumber", []));
    },
    blockByNumber,
    blockByHash,
    getLogs,
    getLogsByBlockHash,
    async call({ to, data, blockHash }) {
      const result = await request("eth_call", [
        { to, data },
        { blockHash, requireCanonical: true },
      ]);
      return parseData("eth_call", result);
    },
    async getCode({ address, blockHash }) {
      const result = await request("eth_getCode", [address, { blockHash, requireCanonical: true }]);
      return parseData("eth_getCode", result);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Classifying faults
// ---------------------------------------------------------------------------------------------------------------

/** Whether a later try may succeed: the SDK's verdict on its own errors, else what the fault looks like. */
export function isTransient(error: unknown): boolean {
  if (isRetryableError(error)) return true;
  if (error instanceof SyncError) return false;
  // Anything else thrown below us (an undici or viem error) is judged by its text.
  const text = errorText(error);
  return /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|other side closed|fetch failed|terminated/i.test(text);
}

function transportError(method: string, error: unknown, timeoutMs: number): SyncError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new SyncError("Timeout", `${method}: no reply within ${timeoutMs} ms`, {
      details: "the node is slow or the request is heavy; retrying (raise timeoutMs for a slow node)",
      method,
      retryable: true,
      cause: error,
    });
  }
  return new SyncError("ConnectionFailed", `${method}: the connection to the node failed (${errorText(error)})`, {
    details: "the node is restarting, unreachable, or dropped the connection; retrying",
    method,
    retryable: true,
    cause: error,
  });
}

function httpError(method: string, status: number, retryAfter: string | null, text: string): SyncError {
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(retryAfter);
  return new SyncError("HttpStatus", `${method}: the node answered HTTP ${status} (${describeBody(text)})`, {
    details: retryable ? "a busy or restarting node; retrying" : "the node refuses the request; check the RPC URL",
    method,
    status,
    retryAfterMs,
    retryable,
  });
}

function jsonRpcError(method: string, error: unknown, status: number, retryAfter: string | null): SyncError {
  const code = typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : undefined;
  const message = String((error as { message?: unknown }).message ?? JSON.stringify(error));
  const data = (error as { data?: unknown }).data;
  const text = `${message}${data === undefined ? "" : ` ${typeof data === "string" ? data : JSON.stringify(data)}`}`;
  if (method === "eth_getLogs" && RANGE_TOO_LARGE.test(text)) {
    return new SyncError("RangeTooLarge", `eth_getLogs: the node refuses the range (${message})`, {
      details: text,
      method,
      rpcCode: code,
    });
  }
  const retryable =
    (code !== undefined && TRANSIENT_RPC_CODES.has(code)) ||
    status === 429 ||
    status >= 500 ||
    (code !== -32602 && code !== -32601 && code !== -32600 && code !== 3 && TRANSIENT_MESSAGE.test(text));
  return new SyncError("RpcError", `${method}: the node returned error ${code ?? "?"}: ${message}`, {
    details: retryable ? "a transient node error; retrying" : "the request was refused as it is; not retried",
    method,
    rpcCode: code,
    retryAfterMs: parseRetryAfter(retryAfter),
    retryable,
  });
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function invalidReply(method: string, what: string): SyncError {
  return new SyncError("InvalidReply", `${method}: the node's reply is inconsistent: ${what}`, {
    details: "a stale or partial reply (a lagging node behind a load balancer, or a fault on the way); retrying",
    method,
    retryable: true,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing replies
// ---------------------------------------------------------------------------------------------------------------

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const QUANTITY = /^0x[0-9a-fA-F]+$/;
const DATA = /^0x([0-9a-fA-F]{2})*$/;

function parseQuantity(method: string, value: unknown): bigint {
  if (typeof value !== "string" || !QUANTITY.test(value))
    throw invalidReply(method, `expected a quantity, got ${show(value)}`);
  return BigInt(value);
}

function parseHash(method: string, value: unknown, field: string): Hex {
  if (typeof value !== "string" || !HASH.test(value))
    throw invalidReply(method, `${field} is not a 32-byte hash: ${show(value)}`);
  return value.toLowerCase() as Hex;
}

function parseData(method: string, value: unknown): Hex {
  if (typeof value !== "string" || !DATA.test(value))
    throw invalidReply(method, `expected hex data, got ${show(value)}`);
  return value.toLowerCase() as Hex;
}

function parseBlock(method: string, raw: unknown): RpcBlock {
  if (raw === null || typeof raw !== "object") throw invalidReply(method, `expected a block, got ${show(raw)}`);
  const block = raw as Record<string, unknown>;
  const logsBloom = parseData(method, block.logsBloom);
  return {
    number: parseQuantity(method, block.number),
    hash: parseHash(method, block.hash, "hash"),
    parentHash: parseHash(method, block.parentHash, "parentHash"),
    timestamp: parseQuantity(method, block.timestamp),
    logsBloom,
  };
}

/** Logs as RawLog, each from one of `addresses`, not removed, strictly ascending by (block, log index). */
function parseLogs(method: string, raw: unknown, addresses: readonly Address[]): RawLog[] {
  if (!Array.isArray(raw)) throw invalidReply(method, `expected an array of logs, got ${show(raw)}`);
  const asked = new Set<string>(addresses);
  const logs: RawLog[] = [];
  let previous: RawLog | undefined;
  for (const item of raw) {
    if (item === null || typeof item !== "object") throw invalidReply(method, `expected a log, got ${show(item)}`);
    const entry = item as Record<string, unknown>;
    if (entry.removed === true) {
      throw invalidReply(method, `a log reports removed: true (block ${show(entry.blockNumber)}), a reorganised block`);
    }
    if (typeof entry.address !== "string" || !ADDRESS.test(entry.address)) {
      throw invalidReply(method, `a log has no valid address: ${show(entry.address)}`);
    }
    const address = entry.address.toLowerCase() as Address;
    if (!asked.has(address)) throw invalidReply(method, `a log of ${address}, which was not asked for`);
    if (!Array.isArray(entry.topics)) throw invalidReply(method, `a log has no topics array`);
    const log: RawLog = {
      blockNumber: parseQuantity(method, entry.blockNumber),
      blockHash: parseHash(method, entry.blockHash, "blockHash"),
      logIndex: Number(parseQuantity(method, entry.logIndex)),
      transactionHash: parseHash(method, entry.transactionHash, "transactionHash"),
      transactionIndex: Number(parseQuantity(method, entry.transactionIndex)),
      address,
      topics: entry.topics.map((topic) => parseHash(method, topic, "topic")),
      data: parseData(method, entry.data),
    };
    if (
      previous &&
      (log.blockNumber < previous.blockNumber ||
        (log.blockNumber === previous.blockNumber && log.logIndex <= previous.logIndex))
    ) {
      throw invalidReply(
        method,
        `logs out of order or duplicated: (${previous.blockNumber}, ${previous.logIndex}) then ` +
          `(${log.blockNumber}, ${log.logIndex})`,
      );
    }
    logs.push(log);
    previous = log;
  }
  return logs;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

function lowerAddresses(addresses: readonly Address[]): Address[] {
  return addresses.map((address) => address.toLowerCase() as Address);
}

function toQuantity(value: bigint): Hex {
  return `0x${value.toString(16)}`;
}

function sameHex(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function describeBody(text: string): string {
  if (text.length === 0) return "empty body";
  return text.length > 120 ? `${JSON.stringify(text.slice(0, 120))}... (${text.length} chars)` : JSON.stringify(text);
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === "string") parts.push(message);
    if (typeof code === "string") parts.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(": ") || String(error);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
