/**
 * `GET /v1/records/{fingerprint}/lineage`: ancestors, descendants or both, breadth first, with a depth limit and a
 * node cap that say when they cut the answer short; `lineage.prov.json` and `lineage.csv` render the same query (with
 * the organisations' names and each record's registrant and metadata) as W3C PROV-JSON and RFC 4180 CSV.
 */
import type { FastifyInstance } from "fastify";
import { atOf } from "../envelope";
import { exportStream, lineageCsvBytes, lineageProvJsonBytes, type LineageExport } from "../exports";
import { organizationNames } from "../queries/organizations";
import type { Db } from "../queries/common";
import type { Anchor } from "../../indexer/store";
import type { Hex } from "viem";
import { answer } from "../envelope";
import { inSnapshot, storedHex } from "../queries/common";
import {
  LINEAGE_DEFAULT_DEPTH,
  LINEAGE_DEFAULT_LIMIT,
  LINEAGE_MAX_DEPTH,
  LINEAGE_MAX_LIMIT,
  lineageAnswer,
  type LineageAnswer,
  type LineageDirection,
} from "../queries/lineage";
import { decimal, envelope, errorResponses, fingerprintParams, hex32, isoTime, orgId } from "../schemas";
import type { RouteContext } from "../types";

export const lineageNodeSchema = {
  $id: "LineageNode",
  type: "object",
  required: ["fingerprint", "level", "ownerOrg", "dataClass", "status", "registeredAt", "registeredAtIso"],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    level: { type: "integer", description: "Negative: ancestors (-1 the parents); positive: descendants; 0: root" },
    ownerOrg: orgId,
    dataClass: { type: "integer" },
    status: { type: "string", enum: ["current", "superseded", "withdrawn", "frozen"] },
    registeredAt: decimal,
    registeredAtIso: isoTime,
  },
} as const;

export const lineageEdgeSchema = {
  $id: "LineageEdge",
  type: "object",
  required: ["child", "parent", "relation", "grantId"],
  additionalProperties: false,
  properties: {
    child: hex32,
    parent: hex32,
    relation: { type: "string", enum: ["derived-from", "revision-of"] },
    grantId: decimal,
  },
} as const;

export const lineageDataSchema = {
  $id: "Lineage",
  type: "object",
  required: ["root", "direction", "depth", "nodes", "edges", "truncated", "truncatedBy"],
  additionalProperties: false,
  properties: {
    root: hex32,
    direction: { type: "string", enum: ["up", "down", "both"] },
    depth: { type: "integer" },
    nodes: {
      type: "array",
      items: { $ref: "LineageNode#" },
      description: "Breadth-first (ancestors at -d before descendants at +d), fingerprint order within a level",
    },
    edges: { type: "array", items: { $ref: "LineageEdge#" } },
    truncated: { type: "boolean" },
    truncatedBy: {
      type: ["string", "null"],
      enum: ["depth", "nodes", null],
      description: "depth: a node at the depth limit has further edges; nodes: the node cap was reached",
    },
  },
} as const;

/** The lineage query's parameters (shared with the exports' routes). */
export const lineageQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    direction: { type: "string", enum: ["up", "down", "both"], default: "both" },
    depth: {
      type: "integer",
      minimum: 1,
      maximum: LINEAGE_MAX_DEPTH,
      default: LINEAGE_DEFAULT_DEPTH,
      description: `Levels to follow each way (at most ${LINEAGE_MAX_DEPTH})`,
    },
    limit: {
      type: "integer",
      minimum: 1,
      maximum: LINEAGE_MAX_LIMIT,
      default: LINEAGE_DEFAULT_LIMIT,
      description: `Node cap, the root included (at most ${LINEAGE_MAX_LIMIT})`,
    },
  },
} as const;

export type LineageQuery = { direction: LineageDirection; depth: number; limit: number };

export async function lineageRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.addSchema(lineageNodeSchema);
  app.addSchema(lineageEdgeSchema);
  app.addSchema(lineageDataSchema);

  app.get<{ Params: { fingerprint: string }; Querystring: LineageQuery }>(
    "/v1/records/:fingerprint/lineage",
    {
      schema: {
        tags: ["records"],
        summary: "A record's lineage up, down or both, with a depth limit and a node cap",
        params: fingerprintParams,
        querystring: lineageQuery,
        response: envelope({ $ref: "Lineage#" }),
      },
    },
    async (request) => {
      const fingerprint = storedHex(request.params.fingerprint) as Hex;
      return inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await lineageAnswer(db, fingerprint, request.query)),
      );
    },
  );

  const exportSchema = (summary: string, type: string, body: object) => ({
    tags: ["records"],
    summary,
    description: "The lineage query rendered as a document: the same store and block give the same bytes.",
    params: fingerprintParams,
    querystring: lineageQuery,
    response: { 200: { description: "The document", content: { [type]: { schema: body } } }, ...errorResponses },
  });
  const renderings = [
    ["lineage.prov.json", "W3C PROV-JSON", "application/json", { type: "object" }, lineageProvJsonBytes],
    ["lineage.csv", "CSV (RFC 4180, ISO-8601 UTC times)", "text/csv", { type: "string" }, lineageCsvBytes],
  ] as const;
  for (const [file, format, type, body, render] of renderings) {
    app.get<{ Params: { fingerprint: string }; Querystring: LineageQuery }>(
      `/v1/records/:fingerprint/${file}`,
      { schema: exportSchema(`A record's lineage as ${format}`, type, body) },
      async (request, reply) => {
        const fingerprint = storedHex(request.params.fingerprint) as Hex;
        // The store is read in one snapshot; the document is rendered from memory after it, streamed.
        const lineage = await inSnapshot(context.reader, async (db, anchor) =>
          lineageExport(db, anchor, await lineageAnswer(db, fingerprint, request.query)),
        );
        const body = exportStream(render(lineage));
        reply.type(`${type}; charset=utf-8`);
        return reply.send(body);
      },
    );
  }
}

/** The lineage answer with what an export adds: organisation names, each record's registrant and metadata. */
async function lineageExport(db: Db, anchor: Anchor, lineage: LineageAnswer): Promise<LineageExport> {
  const fingerprints = lineage.nodes.map((node) => node.fingerprint);
  const details = new Map<string, { registrant: Hex; scheme: number; metadataHash: Hex; metadataURI: string }>();
  for (let i = 0; i < fingerprints.length; i += 500) {
    const rows = await db
      .selectFrom("records")
      .select(["fingerprint", "registrant", "scheme", "metadata_hash", "metadata_uri"])
      .where("fingerprint", "in", fingerprints.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      details.set(row.fingerprint, {
        registrant: row.registrant as Hex,
        scheme: Number(row.scheme),
        metadataHash: row.metadata_hash as Hex,
        metadataURI: row.metadata_uri,
      });
    }
  }
  const names = await organizationNames(db, [...new Set(lineage.nodes.map((node) => node.ownerOrg))]);
  return {
    ...lineage,
    nodes: lineage.nodes.map((node) => ({ ...node, ...details.get(node.fingerprint) })),
    organizations: [...names].map(([id, name]) => ({ id, name })),
    at: atOf(anchor),
  };
}
