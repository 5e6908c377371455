/**
 * `GET /v1/organizations/{orgId}` and its records, grants and activity (JSON, CSV and PROV-JSON). The activity
 * exports render the same query as the JSON route with the pure functions of `../exports`, so that the same store
 * state gives the same bytes.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import type { StoreTables } from "../../indexer/store";
import { answer, atOf, isoTime, type AnchorSource } from "../envelope";
import { ApiError } from "../errors";
import { organizationsOf } from "../exports/common";
import { activityCsvRows } from "../exports/csv";
import { activityProvJsonBytes } from "../exports/provJson";
import { exportStream } from "../exports/stream";
import type { ActivityExport, ExportEvent } from "../exports/types";
import { inSnapshot } from "../queries/common";
import { iterateActivity } from "../queries/activity";
import {
  decodeEventCursor,
  encodeEventCursor,
  queryActivity,
  type EventAnswer,
  type EventPage,
} from "../queries/events";
import {
  organizationNames,
  queryOrganization,
  requireOrganization,
  queryOrgGrants,
  queryOrgRecords,
  type GrantSide,
} from "../queries/organizations";
import {
  decimal,
  envelope,
  errorResponses,
  hex32,
  hexBytes,
  isoTime as isoTimeSchema,
  orgId,
  pageQuery,
} from "../schemas";
import { grantAnswerSchema } from "./records";
import type { RouteContext } from "../types";

export const ORG_DEFAULT_LIMIT = 100;
export const ORG_MAX_LIMIT = 1000;
/** Exports are whole documents: larger pages, the next one's cursor in the `x-next-cursor` header. */
export const EXPORT_DEFAULT_LIMIT = 10_000;
export const EXPORT_MAX_LIMIT = 100_000;

const orgParams = {
  type: "object",
  required: ["orgId"],
  additionalProperties: false,
  properties: { orgId: { ...orgId, description: "The organisation's id in the registry" } },
} as const;

const jurisdiction = {
  type: "object",
  required: ["code", "raw"],
  additionalProperties: false,
  properties: {
    code: { type: ["string", "null"], description: "The code as text (CN-GD, HK); null for none" },
    raw: { ...hexBytes, description: "bytes8, as the registry stores it" },
  },
} as const;

const organizationSchema = {
  type: "object",
  required: [
    "id",
    "name",
    "metadataHash",
    "jurisdiction",
    "roles",
    "status",
    "statusName",
    "registeredAt",
    "operators",
    "statusHistory",
  ],
  additionalProperties: false,
  properties: {
    id: orgId,
    name: { type: "string" },
    metadataHash: hex32,
    jurisdiction,
    roles: {
      type: "object",
      required: ["bits", "names"],
      additionalProperties: false,
      properties: {
        bits: { type: "integer", description: "Role bits: 1 registrar, 2 trader, 4 inspector, 8 customs" },
        names: { type: "array", items: { type: "string" } },
      },
    },
    status: { type: "integer", description: "0 none, 1 active, 2 suspended" },
    statusName: { type: "string" },
    registeredAt: { ...decimal, description: "Block time of onboarding, unix seconds" },
    operators: { type: "array", items: { type: "string" }, description: "The accounts acting for it" },
    statusHistory: {
      type: "array",
      description: "Its governance events, oldest first, each with the state after it",
      items: {
        type: "object",
        required: [
          "event",
          "status",
          "roles",
          "jurisdiction",
          "reasonHash",
          "actor",
          "blockNumber",
          "transactionHash",
          "time",
          "timeIso",
        ],
        additionalProperties: false,
        properties: {
          event: { type: "string" },
          status: { type: "integer" },
          roles: { type: "integer" },
          jurisdiction,
          reasonHash: { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$" },
          actor: { type: "string" },
          blockNumber: decimal,
          transactionHash: hex32,
          time: decimal,
          timeIso: isoTimeSchema,
        },
      },
    },
  },
} as const;

const orgRecordSchema = {
  type: "object",
  required: [
    "fingerprint",
    "status",
    "supersededBy",
    "scheme",
    "dataClass",
    "dataClassName",
    "metadataHash",
    "metadataURI",
    "registeredAt",
    "trail",
  ],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    status: { type: "string", enum: ["current", "superseded", "withdrawn", "frozen"] },
    supersededBy: { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$" },
    scheme: { type: "integer" },
    dataClass: { type: "integer" },
    dataClassName: { type: "string" },
    metadataHash: hex32,
    metadataURI: { type: "string" },
    registeredAt: decimal,
    trail: {
      type: "object",
      required: ["length", "head"],
      additionalProperties: false,
      properties: { length: decimal, head: hex32 },
    },
  },
} as const;

/** A grant as the record route answers it, with the record it is on (first after the grant id, as before). */
const { grantId, ...grantFields } = grantAnswerSchema.properties;
const orgGrantSchema = {
  ...grantAnswerSchema,
  required: [...grantAnswerSchema.required, "fingerprint"],
  properties: { grantId, fingerprint: hex32, ...grantFields },
} as const;

const timeBound = {
  type: "string",
  maxLength: 40,
  description: "Unix seconds, or ISO-8601 with a zone (2026-12-02T03:04:05Z; a date alone is midnight UTC)",
} as const;

/** ISO-8601: a date, or a date and time with seconds optional, fractions optional, and a zone (Z or +hh:mm). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `from`/`to` as unix seconds; 400 InvalidRange for anything else. */
export function parseTimeBound(value: string | undefined, field: "from" | "to"): bigint | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,15}$/.test(value)) return BigInt(value);
  const millis = ISO_8601.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new ApiError(
      "InvalidRange",
      `query parameter ${field} = ${JSON.stringify(value.slice(0, 40))} is neither unix seconds nor an ISO-8601 time`,
      "give unix seconds (1764644645) or ISO-8601 with a zone (2026-12-02T03:04:05Z, or a date: 2026-12-02)",
    );
  }
  if (millis < 0) {
    throw new ApiError("InvalidRange", `query parameter ${field} is before 1970`, "give a time after 1970-01-01");
  }
  return BigInt(Math.floor(millis / 1000));
}

type ActivityQuery = { from?: string; to?: string; cursor?: string; limit: number };

function activityRange(query: ActivityQuery): { from?: bigint; to?: bigint } {
  const from = parseTimeBound(query.from, "from");
  const to = parseTimeBound(query.to, "to");
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ApiError(
      "InvalidRange",
      `from (${from}) must be before to (${to}): the period is half-open, [from, to)`,
      "give an earlier from or a later to",
    );
  }
  return { from, to };
}

/** The activity answer's `data`: the period as unix seconds (null for an open end) and the events. */
function activityData(org: number, range: { from?: bigint; to?: bigint }, page: EventPage) {
  return {
    org,
    from: range.from === undefined ? null : range.from.toString(),
    to: range.to === undefined ? null : range.to.toString(),
    events: page.events,
  };
}

/** What the export renderers take: the activity with its anchor and the names of every organisation it names. */
async function activityExport(
  db: Kysely<StoreTables>,
  anchor: AnchorSource,
  org: number,
  range: { from?: bigint; to?: bigint },
  page: EventPage,
): Promise<ActivityExport> {
  const events = page.events as unknown as ExportEvent[];
  const ids = new Set<number>([org]);
  for (const event of events) for (const [, id] of organizationsOf(event)) ids.add(id);
  const names = await organizationNames(db, [...ids]);
  const timeOf = (seconds?: bigint) => (seconds === undefined ? null : (isoTime(seconds) ?? seconds.toString()));
  return {
    org: { id: org, name: names.get(org) ?? null },
    from: timeOf(range.from),
    to: timeOf(range.to),
    events,
    organizations: [...ids].sort((a, b) => a - b).map((id) => ({ id, name: names.get(id) ?? null })),
    at: atOf(anchor),
  };
}

/** Streams a rendered export (its first chunk already rendered: a bad input has failed before any header). */
function sendExport(
  reply: FastifyReply,
  type: string,
  chunks: Iterator<string | Buffer, void, undefined>,
  next: string | null,
) {
  const body = exportStream(chunks);
  reply.type(type);
  if (next !== null) reply.header("x-next-cursor", next);
  return reply.send(body);
}

export async function organizationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.get<{ Params: { orgId: number } }>(
    "/v1/organizations/:orgId",
    {
      schema: {
        tags: ["organizations"],
        summary: "An organisation: profile, roles, jurisdiction, status history and operators",
        params: orgParams,
        response: envelope(organizationSchema),
      },
    },
    async (request) =>
      inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await queryOrganization(db, request.params.orgId)),
      ),
  );

  app.get<{ Params: { orgId: number }; Querystring: { cursor?: string; limit: number } }>(
    "/v1/organizations/:orgId/records",
    {
      schema: {
        tags: ["organizations"],
        summary: "The records the organisation owns at the answer's block, by fingerprint",
        params: orgParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: pageQuery(ORG_DEFAULT_LIMIT, ORG_MAX_LIMIT),
        },
        response: envelope({ type: "array", items: orgRecordSchema }, { paged: true }),
      },
    },
    async (request) =>
      inSnapshot(context.reader, async (db, anchor) => {
        const { records, next } = await queryOrgRecords(db, { org: request.params.orgId, ...request.query });
        return answer(anchor, records, next);
      }),
  );

  app.get<{ Params: { orgId: number }; Querystring: { side?: GrantSide; cursor?: string; limit: number } }>(
    "/v1/organizations/:orgId/grants",
    {
      schema: {
        tags: ["organizations"],
        summary: "Grants the organisation gave or received (both when side is left out)",
        description:
          "The current grant of each (record, grantee) in which the organisation is the grantor (`given`) or the " +
          "grantee (`received`), whatever its status, by fingerprint and grantee.",
        params: orgParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            side: { type: "string", enum: ["given", "received"] },
            ...pageQuery(ORG_DEFAULT_LIMIT, ORG_MAX_LIMIT),
          },
        },
        response: envelope({ type: "array", items: orgGrantSchema }, { paged: true }),
      },
    },
    async (request) =>
      inSnapshot(context.reader, async (db, anchor) => {
        const { grants, next } = await queryOrgGrants(db, { org: request.params.orgId, ...request.query });
        return answer(anchor, grants, next);
      }),
  );

  const activityQuery = (defaultLimit: number, maxLimit: number) =>
    ({
      type: "object",
      additionalProperties: false,
      properties: {
        from: { ...timeBound, description: `Start of the period (inclusive): ${timeBound.description}` },
        to: { ...timeBound, description: `End of the period (exclusive): ${timeBound.description}` },
        ...pageQuery(defaultLimit, maxLimit),
      },
    }) as const;

  type ActivityRequest = { Params: { orgId: number }; Querystring: ActivityQuery };

  /** One page of the activity in one snapshot, and what to render it with. */
  async function activityPage<T>(
    request: { params: { orgId: number }; query: ActivityQuery },
    kind: string,
    render: (
      db: Kysely<StoreTables>,
      anchor: AnchorSource,
      range: { from?: bigint; to?: bigint },
      page: EventPage,
    ) => T | Promise<T>,
  ): Promise<{ result: T; next: string | null }> {
    const range = activityRange(request.query);
    const after = decodeEventCursor(kind, request.query.cursor);
    return inSnapshot(context.reader, async (db, anchor) => {
      const org = request.params.orgId;
      await requireOrganization(db, org);
      const page = await queryActivity(db, { org, ...range, after, limit: request.query.limit });
      const next = page.more && page.last ? encodeEventCursor(kind, page.last) : null;
      return { result: await render(db, anchor, range, page), next };
    });
  }

  app.get<ActivityRequest>(
    "/v1/organizations/:orgId/activity",
    {
      schema: {
        tags: ["organizations"],
        summary: "The events naming the organisation, in a period of block time, oldest first",
        params: orgParams,
        querystring: activityQuery(ORG_DEFAULT_LIMIT, ORG_MAX_LIMIT),
        response: envelope(
          {
            type: "object",
            required: ["org", "from", "to", "events"],
            additionalProperties: false,
            properties: {
              org: orgId,
              from: { type: ["string", "null"], description: "Unix seconds (inclusive); null for none" },
              to: { type: ["string", "null"], description: "Unix seconds (exclusive); null for none" },
              events: { type: "array", items: { $ref: "EventAnswer#" } },
            },
          },
          { paged: true },
        ),
      },
    },
    async (request) => {
      const { result, next } = await activityPage(request, "activity", (_db, anchor, range, page) =>
        answer(anchor, activityData(request.params.orgId, range, page)),
      );
      return { ...result, next };
    },
  );

  const exportSchema = (summary: string, type: string) => ({
    tags: ["organizations"],
    summary,
    description:
      "The activity query rendered as a document (same input, same bytes). A period with more events than `limit` " +
      "is split: the next part's cursor is in the `x-next-cursor` header.",
    params: orgParams,
    querystring: activityQuery(EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT),
    response: {
      200: {
        description: "The document",
        headers: {
          "x-next-cursor": { type: "string", description: "The cursor of the next part, when there is one" },
        },
        // PROV-JSON is a JSON object; CSV is text.
        content: { [type]: { schema: type === "application/json" ? { type: "object" } : { type: "string" } } },
      },
      ...errorResponses,
    },
  });

  /**
   * The PROV-JSON activity export's events in one snapshot, read in pages (iterateActivity: decoded for export, the
   * same values as the JSON route's), with the organisations' names. (Its sections are sorted across all events, so
   * unlike the CSV it cannot be written page by page.)
   */
  async function activityForExport(request: {
    params: { orgId: number };
    query: ActivityQuery;
  }): Promise<{ activity: ActivityExport; next: string | null }> {
    const range = activityRange(request.query);
    const after = decodeEventCursor("activity-export", request.query.cursor);
    const org = request.params.orgId;
    return inSnapshot(context.reader, async (db, anchor) => {
      await requireOrganization(db, org);
      const events: EventAnswer[] = [];
      const pages = iterateActivity(db, { org, ...range, after, limit: request.query.limit });
      let step = await pages.next();
      for (; !step.done; step = await pages.next()) for (const event of step.value) events.push(event);
      const end = step.value;
      const next = end.more && end.last ? encodeEventCursor("activity-export", end.last) : null;
      const page: EventPage = { events, more: end.more, ...(end.last ? { last: end.last } : {}) };
      return { activity: await activityExport(db, anchor, org, range, page), next };
    });
  }

  app.get<ActivityRequest>(
    "/v1/organizations/:orgId/activity.csv",
    { schema: exportSchema("The organisation's activity as CSV (RFC 4180, ISO-8601 UTC times)", "text/csv") },
    async (request, reply) => {
      const range = activityRange(request.query);
      const after = decodeEventCursor("activity-export", request.query.cursor);
      const org = request.params.orgId;
      // Each page is rendered to UTF-8 as it is read, in the snapshot, and dropped: what is held until it is sent
      // is the document's bytes, outside the JavaScript heap, not 100,000 events as objects.
      const { chunks, next } = await inSnapshot(context.reader, async (db) => {
        await requireOrganization(db, org);
        const chunks: Buffer[] = [];
        const pages = iterateActivity(db, { org, ...range, after, limit: request.query.limit });
        let offset = 0;
        let step = await pages.next();
        for (; !step.done; step = await pages.next()) {
          const events = step.value as unknown as ExportEvent[];
          for (const chunk of activityCsvRows(events, offset, offset === 0)) chunks.push(chunk);
          offset += events.length;
        }
        if (offset === 0) for (const chunk of activityCsvRows([], 0, true)) chunks.push(chunk);
        const end = step.value;
        return { chunks, next: end.more && end.last ? encodeEventCursor("activity-export", end.last) : null };
      });
      return sendExport(reply, "text/csv; charset=utf-8", chunks.values(), next);
    },
  );

  app.get<ActivityRequest>(
    "/v1/organizations/:orgId/activity.prov.json",
    {
      schema: exportSchema("The organisation's activity as W3C PROV-JSON", "application/json"),
    },
    async (request, reply) => {
      const { activity, next } = await activityForExport(request);
      return sendExport(reply, "application/json; charset=utf-8", activityProvJsonBytes(activity), next);
    },
  );
}
