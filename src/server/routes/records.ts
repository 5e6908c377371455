/**
 * `GET /v1/records/{fingerprint}` and `GET /v1/records/{fingerprint}/trail`: the two hot routes, with response
 * schemas so that fast-json-stringify serialises them.
 */
import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { answer } from "../envelope";
import { inSnapshot, storedHex } from "../queries/common";
import { recordAnswer } from "../queries/records";
import { TRAIL_DEFAULT_LIMIT, TRAIL_MAX_LIMIT, trailPageText } from "../queries/trail";
import {
  address,
  decimal,
  envelope,
  fingerprintParams,
  hex32,
  hexBytes,
  isoTime,
  noQuery,
  orgId,
  pageQuery,
} from "../schemas";
import type { RouteContext } from "../types";

const link = {
  type: "object",
  required: ["fingerprint", "relation", "grantId"],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    relation: { type: "string", enum: ["derived-from", "revision-of"] },
    grantId: { ...decimal, description: "The grant the derivation relied on (0: none was needed)" },
  },
} as const;

/** A grant on the wire (the record route's outstanding grants; the organisation route adds the fingerprint). */
export const grantAnswerSchema = {
  type: "object",
  required: [
    "grantId",
    "granteeOrg",
    "grantorOrg",
    "scopes",
    "status",
    "statusName",
    "expiresAt",
    "issuedAt",
    "exportJurisdiction",
    "purposeHash",
  ],
  additionalProperties: false,
  properties: {
    grantId: decimal,
    granteeOrg: orgId,
    grantorOrg: orgId,
    scopes: { type: "integer", description: "Scope bits: 1 use, 2 derive, 4 redistribute" },
    status: { type: "integer" },
    statusName: { type: "string" },
    expiresAt: { ...decimal, description: "Last valid block time (0: never expires)" },
    issuedAt: decimal,
    exportJurisdiction: hexBytes,
    purposeHash: hex32,
  },
} as const;

const statusEnum = { type: "string", enum: ["current", "superseded", "withdrawn", "frozen"] } as const;

export const recordSchema = {
  $id: "Record",
  type: "object",
  required: [
    "fingerprint",
    "status",
    "withdrawn",
    "frozen",
    "supersededBy",
    "latestVersion",
    "owner",
    "registrant",
    "scheme",
    "dataClass",
    "metadataHash",
    "metadataURI",
    "registeredAt",
    "registeredAtIso",
    "trail",
    "versions",
    "parents",
    "children",
    "grants",
    "offers",
    "customsDecisions",
    "findings",
  ],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    status: { ...statusEnum, description: "The first that applies of withdrawn, frozen, superseded, current" },
    withdrawn: { type: "boolean" },
    frozen: { type: "boolean" },
    supersededBy: { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$", description: "The next version" },
    latestVersion: hex32,
    owner: {
      type: "object",
      required: ["org", "name"],
      additionalProperties: false,
      properties: { org: orgId, name: { type: ["string", "null"] } },
    },
    registrant: address,
    scheme: { type: "integer", description: "Fingerprint scheme (SDK `Scheme`)" },
    dataClass: { type: "integer", description: "0 public, 1 internal, 2 important, 3 core" },
    metadataHash: hex32,
    metadataURI: { type: "string" },
    registeredAt: { ...decimal, description: "Block time, unix seconds" },
    registeredAtIso: isoTime,
    trail: {
      type: "object",
      required: ["length", "head"],
      additionalProperties: false,
      properties: { length: decimal, head: hex32 },
    },
    versions: { type: "array", items: hex32, description: "The revision chain, oldest first" },
    parents: { type: "array", items: link },
    children: { type: "array", items: link },
    grants: {
      type: "array",
      description: "Grants outstanding at the answer's block: active or waiting for customs, and not expired",
      items: grantAnswerSchema,
    },
    offers: {
      type: "array",
      items: {
        type: "object",
        required: [
          "offerId",
          "fromOrg",
          "toOrg",
          "status",
          "statusName",
          "offeredAt",
          "expiresAt",
          "acceptedAt",
          "exportJurisdiction",
          "termsHash",
          "deliveryReports",
        ],
        additionalProperties: false,
        properties: {
          offerId: decimal,
          fromOrg: orgId,
          toOrg: orgId,
          status: { type: "integer" },
          statusName: { type: "string" },
          offeredAt: decimal,
          expiresAt: decimal,
          acceptedAt: { ...decimal, description: "0 before acceptance" },
          exportJurisdiction: hexBytes,
          termsHash: hex32,
          deliveryReports: {
            type: "array",
            items: {
              type: "object",
              required: ["receivedFingerprint", "matches"],
              additionalProperties: false,
              properties: { receivedFingerprint: hex32, matches: { type: "boolean" } },
            },
          },
        },
      },
    },
    customsDecisions: {
      type: "array",
      items: {
        type: "object",
        required: [
          "kind",
          "id",
          "customsOrg",
          "approved",
          "decisionHash",
          "blockNumber",
          "transactionHash",
          "time",
          "timeIso",
        ],
        additionalProperties: false,
        properties: {
          kind: { type: "string", enum: ["grant", "transfer"] },
          id: { ...decimal, description: "The grant id or the offer id" },
          customsOrg: orgId,
          approved: { type: "boolean" },
          decisionHash: hex32,
          blockNumber: decimal,
          transactionHash: hex32,
          time: decimal,
          timeIso: isoTime,
        },
      },
    },
    findings: { type: "array", items: hex32 },
  },
} as const;

export const trailEntrySchema = {
  $id: "TrailAnswerEntry",
  type: "object",
  required: [
    "position",
    "subject",
    "action",
    "actionName",
    "actor",
    "time",
    "timeIso",
    "payloadHash",
    "stamp",
    "event",
  ],
  additionalProperties: false,
  properties: {
    position: { type: "integer", minimum: 1, description: "1 for the record's first entry" },
    subject: hex32,
    action: { type: "integer" },
    actionName: { type: "string" },
    actor: address,
    time: decimal,
    timeIso: isoTime,
    payloadHash: { ...hex32, description: "Recomputed from the event's parameters" },
    stamp: {
      type: "object",
      required: ["recordHead", "recordLength", "ledgerSequence", "ledgerHead"],
      additionalProperties: false,
      properties: { recordHead: hex32, recordLength: decimal, ledgerSequence: decimal, ledgerHead: hex32 },
    },
    event: {
      type: "object",
      required: ["name", "blockNumber", "blockHash", "logIndex", "transactionHash"],
      additionalProperties: false,
      properties: {
        name: { type: "string" },
        blockNumber: decimal,
        blockHash: hex32,
        logIndex: { type: "integer" },
        transactionHash: hex32,
      },
    },
  },
} as const;

const trailData = {
  type: "object",
  required: ["fingerprint", "length", "head", "entries"],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    length: { ...decimal, description: "The record's whole trail length at the answer's block" },
    head: { ...hex32, description: "The record's trail head at the answer's block" },
    entries: { type: "array", items: { $ref: "TrailAnswerEntry#" } },
  },
} as const;

type FingerprintParams = { fingerprint: string };

export async function recordRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.addSchema(recordSchema);
  app.addSchema(trailEntrySchema);

  app.get<{ Params: FingerprintParams }>(
    "/v1/records/:fingerprint",
    {
      schema: {
        tags: ["records"],
        summary: "A record: standing, owner, versions, lineage, outstanding grants, offers, customs, findings",
        params: fingerprintParams,
        querystring: noQuery,
        response: envelope({ $ref: "Record#" }),
      },
    },
    async (request) => {
      const fingerprint = storedHex(request.params.fingerprint) as Hex;
      return inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await recordAnswer(db, fingerprint, anchor.block.timestamp)),
      );
    },
  );

  app.get<{ Params: FingerprintParams; Querystring: { cursor?: string; limit: number } }>(
    "/v1/records/:fingerprint/trail",
    {
      schema: {
        tags: ["records"],
        summary: "A record's trail, oldest first, a page at a time, each entry with its heads",
        params: fingerprintParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: pageQuery(TRAIL_DEFAULT_LIMIT, TRAIL_MAX_LIMIT),
        },
        response: envelope(trailData, { paged: true }),
      },
    },
    async (request, reply) => {
      const fingerprint = storedHex(request.params.fingerprint) as Hex;
      // The answer's JSON text comes from the query (trailPageText: the schema's fields and order, checked against
      // the schema in test/server/openapi.test.ts and against trailPage in test/server/textAnswers.test.ts); a string
      // with a JSON content type is sent as it is, without the serialiser.
      const text = await inSnapshot(context.reader, (db, anchor) =>
        trailPageText(db, fingerprint, request.query, anchor),
      );
      return reply.type("application/json; charset=utf-8").send(text);
    },
  );
}
