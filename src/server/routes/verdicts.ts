/**
 * `GET /v1/verdicts/{fingerprint}` (the record's standing) and `POST /v1/verdicts` (a provenance receipt checked
 * offline by the SDK and against the index).
 */
import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { answer } from "../envelope";
import { inSnapshot, storedHex } from "../queries/common";
import { fingerprintVerdict, offlineVerdict, receiptVerdict } from "../queries/verdicts";
import { envelope, fingerprintParams, hex32, noQuery, orgId } from "../schemas";
import type { RouteContext } from "../types";

const nullableHex32 = { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$" } as const;

export const verdictSchema = {
  $id: "Verdict",
  type: "object",
  required: ["fingerprint", "kind", "valid", "authentic", "checks", "summary", "standing"],
  additionalProperties: false,
  properties: {
    fingerprint: hex32,
    kind: { type: ["string", "null"], enum: ["registration", "batch-member", null] },
    valid: { type: "boolean", description: "Every check passed" },
    authentic: {
      type: ["boolean", "null"],
      description: "Every integrity check passed, standing aside (null for a fingerprint alone)",
    },
    checks: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "ok", "detail"],
        additionalProperties: false,
        properties: { name: { type: "string" }, ok: { type: "boolean" }, detail: { type: "string" } },
      },
    },
    summary: { type: "string" },
    standing: {
      type: ["object", "null"],
      required: ["exists", "status", "withdrawn", "frozen", "supersededBy", "latestVersion", "ownerOrg", "ownerName"],
      additionalProperties: false,
      properties: {
        exists: { type: "boolean" },
        status: { type: ["string", "null"], enum: ["current", "superseded", "withdrawn", "frozen", null] },
        withdrawn: { type: "boolean" },
        frozen: { type: "boolean" },
        supersededBy: nullableHex32,
        latestVersion: nullableHex32,
        ownerOrg: { ...orgId, type: ["integer", "null"] },
        ownerName: { type: ["string", "null"] },
      },
    },
  },
} as const;

export async function verdictRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.addSchema(verdictSchema);

  app.get<{ Params: { fingerprint: string } }>(
    "/v1/verdicts/:fingerprint",
    {
      schema: {
        tags: ["rights"],
        summary: "A record's standing at the answer's block: exists, not withdrawn, latest version, not frozen, owner",
        params: fingerprintParams,
        querystring: noQuery,
        response: envelope({ $ref: "Verdict#" }),
      },
    },
    async (request) => {
      const fingerprint = storedHex(request.params.fingerprint) as Hex;
      return inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await fingerprintVerdict(db, fingerprint, anchor.block.number)),
      );
    },
  );

  app.post<{ Body: unknown }>(
    "/v1/verdicts",
    {
      schema: {
        tags: ["rights"],
        summary: "Verify a provenance receipt: the SDK's offline checks, the index's checks and the record's standing",
        description:
          "The body is a provenance receipt (schemas/provenance-receipt.v1.schema.json). A body that is not one is " +
          "422 InvalidReceipt, with the format problems in the message.",
        body: { type: "object", description: "A provenance receipt, version 1" },
        response: envelope({ $ref: "Verdict#" }),
      },
    },
    async (request) => {
      // The offline checks need no store: run them before taking a snapshot.
      const { receipt, checks } = await offlineVerdict(request.body);
      return inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await receiptVerdict(db, receipt, checks, anchor.block.number)),
      );
    },
  );
}
