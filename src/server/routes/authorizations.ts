/** `GET /v1/authorizations?record&org&scope`: may an organisation exercise a scope on a record now, and why. */
import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { answer } from "../envelope";
import { authorizationAnswer, parseScope } from "../queries/authorizations";
import { inSnapshot, storedHex } from "../queries/common";
import { decimal, envelope, hex32, hex32In, orgId } from "../schemas";
import type { RouteContext } from "../types";

// "use+derive"; a "+" left unencoded in a query string arrives as a space (form encoding), so a space joins too.
const SCOPE_PATTERN = "^((use|derive|redistribute)([+ ](use|derive|redistribute))*|[1-7])$";

const authorizationData = {
  type: "object",
  required: ["record", "org", "scope", "scopeNames", "allowed", "verdict", "verdictName", "grantId", "reason"],
  additionalProperties: false,
  properties: {
    record: hex32,
    org: orgId,
    scope: { type: "integer", description: "Scope bits asked about" },
    scopeNames: { type: "string" },
    allowed: { type: "boolean", description: "verdict is Owner or Granted" },
    verdict: { type: "integer", description: "IDataRights.Authorization" },
    verdictName: { type: "string" },
    grantId: { ...decimal, description: "The grant looked at (0: none)" },
    reason: { type: "string" },
  },
} as const;

export async function authorizationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.get<{ Querystring: { record: string; org: number; scope: string } }>(
    "/v1/authorizations",
    {
      schema: {
        tags: ["rights"],
        summary: "Whether an organisation may exercise a scope on a record at the answer's block, and why",
        description:
          "The contracts' `authorization` view re-stated over the indexed state, with now = the answer block's time.",
        querystring: {
          type: "object",
          required: ["record", "org"],
          additionalProperties: false,
          properties: {
            record: { ...hex32In, description: "The record's fingerprint" },
            org: { ...orgId, description: "The organisation asking" },
            scope: {
              type: "string",
              pattern: SCOPE_PATTERN,
              default: "use",
              description: "use, derive, redistribute, a combination (use+derive) or the bit set 1-7",
            },
          },
        },
        response: envelope(authorizationData),
      },
    },
    async (request) => {
      const { org } = request.query;
      const record = storedHex(request.query.record) as Hex;
      const scope = parseScope(request.query.scope);
      return inSnapshot(context.reader, async (db, anchor) =>
        answer(anchor, await authorizationAnswer(db, record, org, scope, anchor.block.timestamp)),
      );
    },
  );
}
