/**
 * The JSON schemas the routes share: the envelope's anchor, the error body and the value formats of the wire
 * (docs/api.md, "Wire format"). They serve three ends at once: Fastify validates requests with them (ajv),
 * serialises answers with them (fast-json-stringify, several times faster than JSON.stringify on the hot routes) and
 * @fastify/swagger turns them into the OpenAPI 3.1 document at /openapi.json, from which clients are generated.
 * Shared objects are registered once (`addSharedSchemas`) and referenced as `{ $ref: "<Id>#" }`: they become
 * `#/components/schemas/<Id>`.
 */
import type { FastifyInstance } from "fastify";
import { apiErrorCodes } from "./errors";

/** A 32-byte hash or fingerprint; requests may spell it in either case, answers are lower case. */
export const hex32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" } as const;
export const hex32In = {
  type: "string",
  pattern: "^0x[0-9a-fA-F]{64}$",
  description: "32 bytes as 0x and 64 hex digits (either case)",
} as const;
export const address = { type: "string", pattern: "^0x[0-9a-f]{40}$" } as const;
export const hexBytes = { type: "string", pattern: "^0x([0-9a-f]{2})*$" } as const;
/** A non-negative integer that may exceed 2^53, in decimal. */
export const decimal = { type: "string", pattern: "^[0-9]+$" } as const;
/** An organisation id (uint32). */
export const orgId = { type: "integer", minimum: 0, maximum: 4294967295 } as const;
export const isoTime = { type: ["string", "null"], description: "ISO-8601 UTC, e.g. 2026-12-02T03:04:05Z" } as const;

/** The `at` of every answer. */
export const atSchema = {
  $id: "At",
  type: "object",
  description:
    "The block the answer reflects, the ledger-wide sequence and head at that block, and whether the block is final " +
    "(can no longer be reorganised).",
  required: ["block", "ledgerSequence", "ledgerHead", "finalized"],
  additionalProperties: false,
  properties: {
    block: {
      type: "object",
      required: ["number", "hash", "timestamp", "timeIso"],
      additionalProperties: false,
      properties: {
        number: decimal,
        hash: hex32,
        timestamp: { ...decimal, description: "Block time, unix seconds" },
        timeIso: { type: "string" },
      },
    },
    ledgerSequence: decimal,
    ledgerHead: hex32,
    finalized: { type: "boolean" },
  },
} as const;

export const errorBodySchema = {
  $id: "ErrorBody",
  type: "object",
  description: "Every error answer: a code a program can branch on, what was wrong, and how to fix it.",
  required: ["error", "requestId"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "hint"],
      additionalProperties: false,
      properties: {
        code: { type: "string", enum: [...apiErrorCodes] },
        message: { type: "string" },
        hint: { type: "string" },
      },
    },
    requestId: { type: "string" },
  },
} as const;

/** Registers the shared schemas; call before the routes that reference them. */
export function addSharedSchemas(app: FastifyInstance): void {
  app.addSchema(atSchema);
  app.addSchema(errorBodySchema);
}

const errorRef = { $ref: "ErrorBody#" } as const;

/** The error answers every `/v1` route may give, for its `response` schema (and the OpenAPI document). */
export const errorResponses = {
  "4xx": { ...errorRef, description: "The request was wrong: the body's code, message and hint say how" },
  "5xx": { ...errorRef, description: "NotIndexed or QueryTimeout (503), or InternalError (500)" },
} as const;

/** The `response` schema of a 200 answer with `data` (and `next` on paged routes), plus the error answers. */
export function envelope(data: object, options: { paged?: boolean; description?: string } = {}) {
  const properties: Record<string, object> = { at: { $ref: "At#" }, data };
  const required = ["at", "data"];
  if (options.paged) {
    properties.next = {
      type: ["string", "null"],
      description: "The cursor of the next page (pass it as `cursor`), null on the last page",
    };
    required.push("next");
  }
  return {
    200: {
      type: "object",
      description: options.description ?? "The answer, and the block it reflects",
      required,
      additionalProperties: false,
      properties,
    },
    ...errorResponses,
  };
}

/** The `{ fingerprint }` path parameter. */
export const fingerprintParams = {
  type: "object",
  required: ["fingerprint"],
  additionalProperties: false,
  properties: { fingerprint: { ...hex32In, description: "The record's fingerprint" } },
} as const;

/** `cursor` and `limit` of a paged route. */
export function pageQuery(defaultLimit: number, maxLimit: number) {
  return {
    cursor: { type: "string", maxLength: 1024, description: "The `next` of the previous page" },
    limit: {
      type: "integer",
      minimum: 1,
      maximum: maxLimit,
      default: defaultLimit,
      description: `Entries per page (at most ${maxLimit})`,
    },
  } as const;
}

/** The querystring of a route that takes no query parameters: any given is 400 (a typo should not pass silently). */
export const noQuery = { type: "object", additionalProperties: false, properties: {} } as const;
