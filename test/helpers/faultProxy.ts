/**
 * An HTTP JSON-RPC proxy between a client and a node (anvil) that injects faults on chosen requests: slow or no
 * replies, 5xx and 429 (with Retry-After), connections dropped mid-reply or before it, truncated or garbage bodies,
 * JSON-RPC errors, an `eth_getLogs` reply with one log silently left out (the block's bloom still names it), a head
 * that goes back, or any rewrite of a result. Tests use it to show that the indexer rides through each fault with the
 * same result as without it.
 *
 *   const proxy = await startFaultProxy(anvil.url);
 *   proxy.inject({ method: "eth_getLogs", kind: "status503", times: 2 });
 *   ... use proxy.url ...
 *   await proxy.stop();
 *
 * A fault applies to requests whose method matches (any method when left out), skipping the first `after` of them,
 * then to every `every`-th (default each), `times` times (default once). Faults are tried in the order injected; the
 * first that applies wins, and only one applies per request. A fault that needs a result to act on (`omitLog` with
 * no logs, `headBack`) is not used up by a reply it cannot change.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultKind =
  /** Never answer; the connection is closed when the client gives up (or after `delayMs`, default 120 s). */
  | "timeout"
  /** Answer normally after `delayMs` (default 1 s). */
  | "delay"
  | "status500"
  | "status502"
  | "status503"
  /** HTTP 429, with `Retry-After: <retryAfter>` when given. */
  | "status429"
  /** HTTP `status` (with the node's body). */
  | "status"
  /** Send the headers and half the body, then destroy the socket. */
  | "drop"
  /** Destroy the socket before any reply (ECONNRESET / socket hang up). */
  | "hangup"
  /** A complete HTTP reply whose body is the first half of the node's (a JSON parse error). */
  | "truncate"
  /** HTTP 200 with a body that is not JSON. */
  | "garbage"
  /** A JSON-RPC error object (`code`, `message`; default -32603 "internal error"). */
  | "rpcError"
  /** `eth_getLogs`: one log (`index`, default the middle one) removed from the reply. */
  | "omitLog"
  /** `eth_blockNumber`: the head `by` blocks lower (default 1). */
  | "headBack"
  /** The result replaced by `rewrite(result, request)`. */
  | "rewrite"
  /** Answered by `reply(request)` (an object sent as the JSON body, `jsonrpc` and `id` filled in), never forwarded. */
  | "reply";

export type Fault = {
  kind: FaultKind;
  /** JSON-RPC method to match; every method when left out. */
  method?: string;
  /** Further condition on the request. */
  match?: (request: JsonRpcRequest) => boolean;
  /** How many times it applies. Default 1; Infinity for always. */
  times?: number;
  /** Apply to every n-th matching request only (the n-th, 2n-th, ...). Default 1. */
  every?: number;
  /** Matching requests to let through before the fault starts. Default 0. */
  after?: number;
  delayMs?: number;
  status?: number;
  /** Retry-After header value (seconds), for `status429` / `status`. */
  retryAfter?: number | string;
  code?: number;
  message?: string;
  index?: number;
  by?: number;
  rewrite?: (result: unknown, request: JsonRpcRequest) => unknown;
  reply?: (request: JsonRpcRequest) => Record<string, unknown>;
};

export type JsonRpcRequest = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };

export type FaultProxyStats = {
  /** Requests received (a batch counts once per call in it). */
  requests: number;
  /** Faults applied. */
  injected: number;
  byMethod: Record<string, number>;
  injectedByKind: Partial<Record<FaultKind, number>>;
  /** Every request as received, in order (method and params). */
  log: JsonRpcRequest[];
};

export type FaultProxy = {
  readonly url: string;
  readonly port: number;
  inject(fault: Fault): void;
  /** Removes every fault not yet used up. */
  clear(): void;
  /** Faults still pending (not used up). */
  pending(): number;
  readonly stats: FaultProxyStats;
  resetStats(): void;
  /** Stops listening and cuts open connections for `downMs` (clients get ECONNREFUSED), then listens again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
};

type ActiveFault = Fault & { seen: number; used: number };

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  let faults: ActiveFault[] = [];
  const sockets = new Set<Socket>();
  const waiting = new Set<ServerResponse>();
  const stats: FaultProxyStats = { requests: 0, injected: 0, byMethod: {}, injectedByKind: {}, log: [] };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(502, { "content-type": "text/plain" });
        response.end(`fault proxy: ${(error as Error).message}`);
      } else response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    let parsed: JsonRpcRequest | JsonRpcRequest[] | undefined;
    try {
      parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
    } catch {
      parsed = undefined;
    }
    const calls = Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
    for (const call of calls) {
      stats.requests += 1;
      stats.byMethod[call.method] = (stats.byMethod[call.method] ?? 0) + 1;
      stats.log.push({ method: call.method, params: call.params });
    }
    // Only single calls are faulted (the indexer does not batch); a batch passes through.
    const single = !Array.isArray(parsed) && parsed ? parsed : undefined;
    const fault = single ? choose(single) : undefined;
    if (!fault || !single) return forward(body, response);
    const used = () => {
      fault.used += 1;
      stats.injected += 1;
      stats.injectedByKind[fault.kind] = (stats.injectedByKind[fault.kind] ?? 0) + 1;
    };

    switch (fault.kind) {
      case "timeout": {
        used();
        waiting.add(response);
        const timer = setTimeout(() => response.destroy(), fault.delayMs ?? 120_000);
        response.once("close", () => {
          clearTimeout(timer);
          waiting.delete(response);
        });
        return;
      }
      case "delay":
        used();
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));
        return forward(body, response);
      case "hangup":
        used();
        request.socket.destroy();
        return;
      case "garbage":
        used();
        return send(response, 200, "<html><body>502 Bad Gateway (not JSON)</body>", "text/html");
      case "reply":
        used();
        return send(response, 200, JSON.stringify({ jsonrpc: "2.0", id: single.id, ...fault.reply?.(single) }));
      case "rpcError":
        used();
        return send(
          response,
          200,
          JSON.stringify({
            jsonrpc: "2.0",
            id: single.id,
            error: { code: fault.code ?? -32603, message: fault.message ?? "internal error" },
          }),
        );
      case "status500":
      case "status502":
      case "status503":
      case "status429":
      case "status": {
        used();
        const status = fault.kind === "status" ? (fault.status ?? 500) : Number(fault.kind.slice(6));
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
        response.writeHead(status, headers);
        response.end(
          JSON.stringify({ jsonrpc: "2.0", id: single.id, error: { code: -32000, message: `HTTP ${status}` } }),
        );
        return;
      }
    }

    const reply = await upstream(body);
    switch (fault.kind) {
      case "drop": {
        used();
        response.writeHead(reply.status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(reply.text),
        });
        response.write(reply.text.slice(0, Math.floor(reply.text.length / 2)));
        setImmediate(() => request.socket.destroy());
        return;
      }
      case "truncate":
        used();
        return send(response, reply.status, reply.text.slice(0, Math.floor(reply.text.length / 2)));
      case "omitLog":
      case "headBack":
      case "rewrite": {
        const json = safeParse(reply.text) as { result?: unknown } | undefined;
        if (!json || !("result" in json)) return send(response, reply.status, reply.text);
        const changed = change(fault, json.result, single);
        if (changed === NOTHING) return send(response, reply.status, reply.text);
        used();
        return send(response, reply.status, JSON.stringify({ ...json, result: changed }));
      }
      default:
        return send(response, reply.status, reply.text);
    }
  }

  function choose(call: JsonRpcRequest): ActiveFault | undefined {
    for (const fault of faults) {
      if (fault.used >= (fault.times ?? 1)) continue;
      if (fault.method !== undefined && fault.method !== call.method) continue;
      if (fault.match && !fault.match(call)) continue;
      fault.seen += 1;
      const counted = fault.seen - (fault.after ?? 0);
      if (counted <= 0 || counted % (fault.every ?? 1) !== 0) continue;
      return fault;
    }
    return undefined;
  }

  async function upstream(body: string): Promise<{ status: number; text: string }> {
    const reply = await fetch(targetUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    return { status: reply.status, text: await reply.text() };
  }

  async function forward(body: string, response: ServerResponse): Promise<void> {
    const reply = await upstream(body);
    send(response, reply.status, reply.text);
  }

  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closed = false;

  const cut = () => {
    for (const response of waiting) response.destroy();
    for (const socket of sockets) socket.destroy();
  };

  return {
    url,
    port,
    inject(fault) {
      faults.push({ ...fault, seen: 0, used: 0 });
    },
    clear() {
      faults = [];
    },
    pending() {
      return faults.filter((fault) => fault.used < (fault.times ?? 1)).length;
    },
    stats,
    resetStats() {
      Object.assign(stats, { requests: 0, injected: 0, byMethod: {}, injectedByKind: {}, log: [] });
    },
    async restart(downMs) {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      cut();
      await closing;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      if (!closed) await listen(server, port);
    },
    async stop() {
      if (closed) return;
      closed = true;
      faults = [];
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      cut();
      await closing;
    },
  };
}

const NOTHING = Symbol("nothing to change");

function change(fault: Fault, result: unknown, call: JsonRpcRequest): unknown {
  if (fault.kind === "omitLog") {
    if (!Array.isArray(result) || result.length === 0) return NOTHING;
    const index = Math.min(fault.index ?? Math.floor(result.length / 2), result.length - 1);
    return result.filter((_, position) => position !== index);
  }
  if (fault.kind === "headBack") {
    if (typeof result !== "string") return NOTHING;
    const lowered = BigInt(result) - BigInt(fault.by ?? 1);
    return `0x${(lowered < 0n ? 0n : lowered).toString(16)}`;
  }
  return fault.rewrite ? fault.rewrite(result, call) : NOTHING;
}

function send(response: ServerResponse, status: number, text: string, type = "application/json"): void {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
