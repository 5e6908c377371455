/**
 * `GET /health`, `/ready`, `/status` and `/metrics`: what a load balancer, an orchestrator and Prometheus ask.
 *
 * - `/health` says the process serves (a liveness probe): it reads nothing.
 * - `/ready` says whether answers are worth asking for (a readiness probe): the store has a checkpoint and, when this
 *   process also runs the indexer, the indexer follows the head live and is within one block of it. A server that
 *   only reads a store another process writes cannot see the node's head: it is ready once the store has a
 *   checkpoint (the indexer process's own /metrics tell its lag).
 * - `/status` names the anchor, the deployment and the indexer's position; `/metrics` is Prometheus text.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Hex } from "viem";
import type { IndexerStatus } from "../../indexer";
import { readAnchor, type StoreTables } from "../../indexer/store";
import { atOf } from "../envelope";
import { address, errorResponses } from "../schemas";
import type { RouteContext } from "../types";

/** How far (blocks) a live in-process indexer may trail the head it last saw and still be ready: one poll. */
export const READY_MAX_LAG = 1n;

let version: string | undefined;

/** This package's version, from the nearest package.json named provledger above this file (src/ or dist/src/). */
export function serverVersion(): string {
  if (version !== undefined) return version;
  version = "unknown";
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (!existsSync(path)) continue;
    const json = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (json.name === "provledger" && json.version) {
      version = json.version;
      break;
    }
  }
  return version;
}

export type Readiness = {
  ready: boolean;
  /** Why not, in a sentence; null when ready. */
  reason: string | null;
  indexedBlock: string | null;
  headBlock: string | null;
  /** The in-process indexer's phase; null when another process indexes. */
  phase: string | null;
};

/** Readiness from the store's checkpoint block and, if this process indexes, the indexer's status. */
export function readiness(indexedBlock: bigint | undefined, indexer: IndexerStatus | undefined): Readiness {
  const head = indexer?.head;
  const base = {
    indexedBlock: indexedBlock === undefined ? null : indexedBlock.toString(),
    headBlock: head === undefined ? null : head.toString(),
    phase: indexer?.phase ?? null,
  };
  const notReady = (reason: string): Readiness => ({ ready: false, reason, ...base });
  if (indexer?.phase === "halted") {
    return notReady(`the indexer halted: ${indexer.error?.message ?? "unknown error"} (see the logs)`);
  }
  if (indexer && indexer.phase === "stopped") return notReady("the indexer has stopped");
  if (indexedBlock === undefined) {
    return notReady("the store has no checkpoint yet: the indexer has not committed its first block range");
  }
  if (indexer) {
    if (indexer.phase !== "live") return notReady(`the indexer is catching up (${indexer.phase})`);
    if (head !== undefined && head - indexedBlock > READY_MAX_LAG) {
      return notReady(`the indexer is ${head - indexedBlock} blocks behind the head (${head})`);
    }
  }
  return { ready: true, reason: null, ...base };
}

const readinessSchema = {
  type: "object",
  required: ["ready", "reason", "indexedBlock", "headBlock", "phase"],
  additionalProperties: false,
  properties: {
    ready: { type: "boolean" },
    reason: { type: ["string", "null"], description: "Why it is not ready; null when it is" },
    indexedBlock: { type: ["string", "null"], description: "The store's checkpoint block" },
    headBlock: { type: ["string", "null"], description: "The node's head (known when this process indexes)" },
    phase: { type: ["string", "null"], description: "The in-process indexer's phase; null when another indexes" },
  },
} as const;

const nullableDecimal = { type: ["string", "null"], pattern: "^[0-9]+$" } as const;

const statusSchema = {
  type: "object",
  required: ["at", "indexer", "server"],
  additionalProperties: false,
  properties: {
    at: {
      anyOf: [{ $ref: "At#" }, { type: "null" }],
      description: "The block answers reflect now; null before the first checkpoint",
    },
    indexer: {
      type: "object",
      required: [
        "chainId",
        "addresses",
        "deploymentBlock",
        "phase",
        "head",
        "lagBlocks",
        "reorgs",
        "eventCount",
        "digest",
      ],
      additionalProperties: false,
      properties: {
        chainId: { type: ["integer", "null"] },
        addresses: {
          type: ["object", "null"],
          required: ["registry", "ledger", "rights"],
          additionalProperties: false,
          properties: { registry: address, ledger: address, rights: address },
        },
        deploymentBlock: nullableDecimal,
        phase: {
          type: ["string", "null"],
          description:
            "starting, waiting-for-lock, backfill, live, stopped or halted; null when another process indexes",
        },
        head: { ...nullableDecimal, description: "The node's head at the indexer's last poll (in-process only)" },
        lagBlocks: { ...nullableDecimal, description: "head - indexed block (in-process only)" },
        reorgs: { type: ["integer", "null"], description: "Reorganisations rolled back since start (in-process only)" },
        eventCount: nullableDecimal,
        digest: { type: ["string", "null"], description: "The checkpoint's digest over every stored event" },
      },
    },
    server: {
      type: "object",
      required: ["version", "uptimeSeconds"],
      additionalProperties: false,
      properties: { version: { type: "string" }, uptimeSeconds: { type: "number" } },
    },
  },
} as const;

type Identity = { chainId: number; addresses: { registry: Hex; ledger: Hex; rights: Hex }; deploymentBlock: string };

async function readIdentity(db: Kysely<StoreTables>): Promise<Identity | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the identity table, typed loosely at the edge
  const row = (await (db as unknown as Kysely<any>).selectFrom("identity").selectAll().executeTakeFirst()) as
    Record<string, unknown> | undefined;
  if (!row) return undefined;
  return {
    chainId: Number(row.chain_id),
    addresses: {
      registry: String(row.registry).toLowerCase() as Hex,
      ledger: String(row.ledger).toLowerCase() as Hex,
      rights: String(row.rights).toLowerCase() as Hex,
    },
    deploymentBlock: String(row.deployment_block),
  };
}

export async function systemRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { reader, indexer, metrics } = context;

  app.get(
    "/health",
    {
      schema: {
        tags: ["system"],
        summary: "Liveness: 200 while the process serves",
        response: {
          200: {
            type: "object",
            required: ["status"],
            additionalProperties: false,
            properties: { status: { type: "string", enum: ["ok"] } },
          },
        },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["system"],
        summary: "Readiness: 200 when the store has a checkpoint and an in-process indexer is caught up, else 503",
        response: {
          200: { ...readinessSchema, description: "Ready" },
          503: { ...readinessSchema, description: "Not ready: `reason` says why" },
          "5xx": errorResponses["5xx"],
        },
      },
    },
    async (_request, reply) => {
      const anchor = await reader.read((db) => readAnchor(db));
      const state = readiness(anchor?.block.number, indexer?.status());
      return reply.status(state.ready ? 200 : 503).send(state);
    },
  );

  app.get(
    "/status",
    {
      schema: {
        tags: ["system"],
        summary: "The anchor, the deployment, the indexer's position and the server's version",
        response: { 200: statusSchema, "5xx": errorResponses["5xx"] },
      },
    },
    async () => {
      const { anchor, identity } = await reader.read(async (db) => ({
        anchor: await readAnchor(db),
        identity: await readIdentity(db),
      }));
      const status = indexer?.status();
      const indexed = anchor?.block.number;
      const head = status?.head;
      return {
        at: anchor ? atOf(anchor) : null,
        indexer: {
          chainId: identity?.chainId ?? null,
          addresses: identity?.addresses ?? null,
          deploymentBlock: identity?.deploymentBlock ?? null,
          phase: status?.phase ?? null,
          head: head === undefined ? null : head.toString(),
          lagBlocks:
            head === undefined || indexed === undefined ? null : (head > indexed ? head - indexed : 0n).toString(),
          reorgs: status ? status.reorgs : null,
          eventCount: anchor ? anchor.eventCount.toString() : null,
          digest: anchor ? anchor.digest.toLowerCase() : null,
        },
        server: {
          version: serverVersion(),
          uptimeSeconds: Math.round((Date.now() - context.startedAt) / 100) / 10,
        },
      };
    },
  );

  if (metrics) {
    app.get(
      "/metrics",
      {
        schema: {
          tags: ["system"],
          summary: "Prometheus metrics (text exposition format)",
          response: {
            200: {
              description: "Indexed block, head, lag, reorgs, RPC and HTTP durations, process metrics",
              content: { "text/plain": { schema: { type: "string" } } },
            },
            "5xx": errorResponses["5xx"],
          },
        },
      },
      async (_request, reply) => {
        const status = indexer?.status();
        // The indexer's own checkpoint when it runs here (no read needed), else the store's.
        const indexedBlock = status
          ? status.checkpoint?.blockNumber
          : (await reader.read((db) => readAnchor(db)))?.block.number;
        metrics.setIndexerPosition({ indexedBlock, headBlock: status?.head, reorgs: status?.reorgs });
        reply.type(metrics.contentType);
        return metrics.render();
      },
    );
  }
}
