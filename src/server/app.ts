/**
 * The Fastify application: request ids, JSON logs, the OpenAPI document, the routes, and the one place where every
 * failure becomes the API's JSON error (errors.ts). Fastify because its routes carry JSON schemas that do three
 * jobs at once (ajv validates requests, fast-json-stringify serialises answers, @fastify/swagger emits OpenAPI 3.1),
 * and because it is among the fastest Node servers, which the latency targets need.
 */
import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { ApiError, type ApiErrorCode } from "./errors";
import { registerRoutes } from "./routes";
import { addSharedSchemas } from "./schemas";
import type { RouteContext } from "./types";

/** Largest body by default: a provenance receipt is a few KiB; 256 KiB leaves room for long proofs. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

export type AppOptions = {
  bodyLimit?: number;
  logger?: Logger | false;
  /** The API's version, for the OpenAPI document's `info.version`. */
  version?: string;
};

/** An incoming `x-request-id` is used when it is short printable text (it lands in logs); otherwise a new UUID. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers["x-request-id"];
  return typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The routes' path patterns as regular expressions, by method: to tell a wrong method (405) from a wrong path. */
type RouteTable = { method: string; pattern: RegExp }[];

function patternOf(url: string): RegExp {
  const escaped = url
    .split("/")
    .map((segment) =>
      segment.startsWith(":") ? "[^/]+" : segment === "*" ? ".*" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${escaped}/?$`);
}

function allowedMethods(routes: RouteTable, path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) if (route.pattern.test(path)) methods.add(route.method);
  return HTTP_METHODS.filter((method) => methods.has(method));
}

/** Which API code a validation failure of `field` is (the spec's specific codes; InvalidRequest otherwise). */
function validationCode(field: string, keyword: string): ApiErrorCode {
  if (field === "fingerprint" || field === "record") return "InvalidFingerprint";
  if (field === "org" || field === "orgId") return "InvalidOrganization";
  if (field === "scope") return "InvalidScope";
  if (field === "cursor") return "InvalidCursor";
  if (field === "depth" && keyword === "maximum") return "DepthOverLimit";
  if (field === "limit" && keyword === "maximum") return "LimitOverMax";
  if (["from", "to", "fromBlock", "toBlock"].includes(field)) return "InvalidRange";
  return "InvalidRequest";
}

const validationHints: Partial<Record<ApiErrorCode, string>> = {
  InvalidFingerprint: "a fingerprint is 0x followed by 64 hex digits (32 bytes)",
  InvalidOrganization: "an organisation id is a whole number from 0 to 4294967295",
  InvalidScope: "scope is use, derive, redistribute, a combination such as use+derive, or the bit set 1-7",
  InvalidCursor: "pass the `next` of the previous page unchanged",
  DepthOverLimit: "ask for a smaller depth, then continue from the nodes at the edge of the answer",
  LimitOverMax: "ask for a smaller limit and follow `next` for more",
  InvalidRange: "give a block number, unix seconds or an ISO-8601 time, with from before to",
};

type ValidationIssue = {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
};

function validationError(error: FastifyError, request: FastifyRequest): ApiError {
  const issue = error.validation![0] as ValidationIssue;
  const where = error.validationContext ?? "request";
  const place = where === "querystring" ? "query parameter" : where === "params" ? "path parameter" : where;
  if (issue.keyword === "additionalProperties") {
    const name = String(issue.params.additionalProperty);
    return new ApiError(
      "InvalidRequest",
      `unknown ${place} ${JSON.stringify(name)}`,
      "see /openapi.json for the parameters this route takes",
    );
  }
  const field =
    issue.keyword === "required"
      ? String(issue.params.missingProperty)
      : (issue.instancePath.split("/").filter(Boolean)[0] ?? "");
  if (where === "body" && request.routeOptions.url === "/v1/verdicts") {
    // Whatever is not an object cannot be a receipt: the same answer as a receipt the schema refuses.
    return new ApiError(
      "InvalidReceipt",
      `the body is not a provenance receipt: it ${issue.message ?? "is invalid"}`,
      "send the receipt JSON the SDK's buildReceipt wrote (schemas/provenance-receipt.v1.schema.json)",
    );
  }
  if (where === "body") {
    return new ApiError(
      "InvalidRequest",
      `the body${issue.instancePath ? ` at ${issue.instancePath}` : ""} ${issue.message ?? "is invalid"}`,
      "send the JSON document the route's requestBody schema describes (see /openapi.json)",
    );
  }
  const code = validationCode(field, issue.keyword);
  const source = (where === "querystring" ? request.query : where === "params" ? request.params : {}) as Record<
    string,
    unknown
  >;
  const value = source?.[field];
  const message =
    issue.keyword === "required"
      ? `${place} ${JSON.stringify(field)} is required`
      : `${place} ${field}${value === undefined ? "" : ` = ${JSON.stringify(value)}`}: ${issue.message ?? "is invalid"}`;
  return new ApiError(code, message, validationHints[code] ?? "see /openapi.json for what this route accepts");
}

/** Any error a request met, as the API's error; `internal` when it is a bug to log with its stack. */
export function toApiError(error: unknown, request: FastifyRequest): { apiError: ApiError; internal: boolean } {
  if (error instanceof ApiError) return { apiError: error, internal: error.code === "InternalError" };
  const fastifyError = error as FastifyError & { name?: string; code?: string };
  if (fastifyError?.validation) return { apiError: validationError(fastifyError, request), internal: false };
  const wrap = (code: ApiErrorCode, message: string, hint: string) => ({
    apiError: new ApiError(code, message, hint, { cause: error }),
    internal: false,
  });
  switch (fastifyError?.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return wrap("MalformedJson", "the body is not valid JSON", "send one JSON document (RFC 8259) as the body");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return wrap(
        "BodyTooLarge",
        `the body is larger than the server's limit of ${request.server.initialConfig.bodyLimit} bytes`,
        "a provenance receipt is a few KiB: send the receipt alone",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return wrap(
        "UnsupportedMediaType",
        `the body's content type ${JSON.stringify(request.headers["content-type"] ?? "")} is not accepted`,
        "send JSON with content-type: application/json",
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return wrap(
        "InvalidRequest",
        "the body's size does not match its content-length",
        "send the length the body has",
      );
  }
  if (fastifyError?.name === "StoreError" && fastifyError.code === "QueryTimeout") {
    return wrap(
      "QueryTimeout",
      "the query hit the server's time limit",
      "ask for less (a smaller limit, depth or range) or retry when the server is less busy",
    );
  }
  const status = Number(fastifyError?.statusCode);
  if (status >= 400 && status < 500) {
    return wrap("InvalidRequest", String(fastifyError.message), "see /openapi.json for what this route accepts");
  }
  return {
    apiError: new ApiError(
      "InternalError",
      "the server failed to answer (the error is logged with this request id)",
      "retry; if it persists, report the request id to the operator",
    ),
    internal: true,
  };
}

function sendError(reply: FastifyReply, apiError: ApiError): FastifyReply {
  return reply
    .status(apiError.statusCode)
    .headers(apiError.headers)
    .send(apiError.body(String(reply.request.id)));
}

/** Builds the application (not listening): the OpenAPI plugin, shared schemas, error handling and every route. */
export async function createApp(context: RouteContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: options.logger ?? { level: "info" } }),
    // The id is taken from x-request-id only when sane (genReqId checks), so Fastify must not take it itself.
    requestIdHeader: false,
    genReqId: requestIdOf,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Long enough that a wrong fingerprint reaches validation (InvalidFingerprint) instead of a router 414.
    routerOptions: { maxParamLength: 1_000 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allErrors: false } },
    // Errors node's HTTP parser meets before a request exists (a header over 16 KiB: 431; a malformed request: 400)
    // get the API's JSON error too, with a fresh request id.
    clientErrorHandler(error, socket) {
      const tooLarge = (error as { code?: string }).code === "HPE_HEADER_OVERFLOW";
      const apiError = tooLarge
        ? new ApiError(
            "InvalidRequest",
            "the request's URL and headers exceed 16 KiB",
            "send long inputs (a receipt) as a POST body, not in the URL",
          )
        : new ApiError("InvalidRequest", "the request is not valid HTTP/1.1", "send a well-formed HTTP request");
      const status = tooLarge ? 431 : 400;
      const requestId = randomUUID();
      const body = JSON.stringify(apiError.body(requestId));
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
            `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
            `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy(error);
    },
    frameworkErrors(error, request, reply) {
      const apiError = new ApiError(
        "InvalidRequest",
        `the URL does not decode (${error.message})`,
        "percent-encode the path and query as RFC 3986 says",
      );
      reply.header("x-request-id", String(request.id));
      sendError(reply, apiError);
    },
  }) as unknown as FastifyInstance;

  // Only JSON bodies: a text/plain body is 415, not a string the schema then refuses.
  app.removeContentTypeParser(["text/plain"]);

  const routes: RouteTable = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: method.toUpperCase(), pattern: patternOf(route.url) });
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", String(request.id));
  });
  // Organisation ids are decimal: ajv's type coercion would read "0x10" or "1e1" as a number and answer for another
  // organisation than the one a reader of the URL sees.
  app.addHook("preValidation", async (request) => {
    const params = request.params as Record<string, unknown> | undefined;
    const query = request.query as Record<string, unknown> | undefined;
    for (const [place, value] of [
      ["path parameter orgId", params?.orgId],
      ["query parameter org", query?.org],
    ] as const) {
      if (typeof value === "string" && !/^\d{1,10}$/.test(value)) {
        throw new ApiError(
          "InvalidOrganization",
          `${place} = ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)} is not an organisation id`,
          "an organisation id is a decimal number from 0 to 4294967295, e.g. 3",
        );
      }
    }
  });
  // On the root instance, so that every route (and every 404) is timed.
  if (context.metrics) app.addHook("onResponse", context.metrics.onResponse);

  app.setErrorHandler((error, request, reply) => {
    const { apiError, internal } = toApiError(error, request);
    if (internal) request.log.error({ err: error }, "unexpected error while answering");
    return sendError(reply, apiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = allowedMethods(routes, path);
    if (allowed.length > 0) {
      return sendError(
        reply,
        new ApiError(
          "MethodNotAllowed",
          `${request.method} is not allowed on ${path}`,
          `use ${allowed.join(" or ")} (see /openapi.json)`,
          { headers: { allow: allowed.join(", ") } },
        ),
      );
    }
    return sendError(
      reply,
      new ApiError("UnknownRoute", `there is no route ${request.method} ${path}`, "see /openapi.json for the routes"),
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Provledger query API",
        version: options.version ?? "1",
        description:
          "Read-only provenance lookups over the indexer's store. Every answer names the block it reflects (number, " +
          "hash, time), the ledger-wide sequence and head at that block, and whether that block is final, so that a " +
          "client can check it against the chain (the SDK's trail-answer check). Integers that can exceed 2^53 are " +
          "decimal strings; hex is lower case.",
      },
      tags: [
        { name: "records", description: "Records, their trails and lineage" },
        { name: "rights", description: "Authorisation checks and verdicts" },
        { name: "organizations", description: "Organisations and their activity" },
        { name: "events", description: "Stored events" },
        { name: "system", description: "Health, readiness, status and metrics" },
      ],
    },
    // Shared schemas become components named by their $id.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  addSharedSchemas(app);

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await registerRoutes(app, context);
  return app;
}
