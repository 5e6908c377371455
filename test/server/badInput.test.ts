/**
 * The bad-input corpus: requests a careless, confused or hostile client sends to the query API, one row each, with
 * the status and the error code the API documents for it (docs/api.md, src/server/errors.ts). Every answer must be
 * the API's JSON error, `{ error: { code, message, hint }, requestId }`, with a non-empty message and hint, the
 * request id also in the `x-request-id` header, and nothing of the server's insides: no stack trace, no file path.
 * None may be a 500: a client's mistake answered as a server error would page an operator for nothing, and a stack
 * would show an attacker the code.
 *
 * Requests go out through node:http with the path exactly as written (fetch would normalise `..` and some
 * percent-encodings away before the server saw them). A few control requests first show that the same routes answer
 * 200 to good input, so that each row fails for the reason it names and not because its route is missing.
 */
import { expect } from "chai";
import { request } from "node:http";
import { buildRegistrationReceipt, provenanceLedgerAbi, type ProvenanceReceipt } from "../../src/sdk";
import type { ApiErrorCode } from "../../src/server/errors";
import { startApiFixture, type ApiFixture } from "../helpers/api";

type CursorKind = "events" | "trail" | "orgRecords";

/** What a row's request may depend on: keys and cursors read from the scenario once it ran. */
type Corpus = {
  /** A registered record (lower-case hex). */
  fingerprint: string;
  /** A well-formed fingerprint no record has. */
  unknown: string;
  /** A registered organisation. */
  org: number;
  /** A real receipt of a registration in the scenario (JSON value). */
  receipt: ProvenanceReceipt;
  /** A real cursor of /v1/events, of a record's trail and of an organisation's records. */
  cursors: Partial<Record<CursorKind, string>>;
};

type Row = {
  /** What is wrong with the request. */
  name: string;
  method?: string;
  /** The raw request target (path and query), sent byte for byte. */
  path: string | ((corpus: Corpus) => string);
  headers?: Record<string, string>;
  body?: string | Buffer | ((corpus: Corpus) => string);
  /** Send the body chunked, without a content-length. */
  chunked?: boolean;
  status: number | readonly number[];
  /** The documented code; several where the contract leaves the choice open (see the row). */
  code: ApiErrorCode | readonly ApiErrorCode[];
  /** A word the message (or the hint) must contain: the field or value at fault. */
  mentions?: string;
  /** What must become of the request's `x-request-id`: echoed back, or replaced by a generated one. */
  requestId?: "echo" | "replaced";
};

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** One request with the target and headers exactly as given. */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  chunked = false,
) {
  const { hostname, port } = new URL(base);
  return new Promise<RawResponse>((resolve, reject) => {
    const outgoing = request(
      { host: hostname, port, method, path, headers: { ...headers, connection: "close" }, insecureHTTPParser: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    if (body !== undefined) {
      if (chunked) {
        // Several writes without a content-length: node sends transfer-encoding: chunked.
        for (let offset = 0; offset < body.length; offset += 16_384)
          outgoing.write(body.subarray(offset, offset + 16_384));
      } else {
        outgoing.setHeader("content-length", body.length);
        outgoing.write(body);
      }
    }
    outgoing.end();
  });
}

const hex64 = (byte: string) => `0x${byte.repeat(32)}`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
/** Every character percent-encoded, as a client that encodes too much would send it. */
const percentAll = (text: string) =>
  [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
const json = { "content-type": "application/json" };
const bigBody = Buffer.from(JSON.stringify({ padding: "x".repeat(300 * 1024) }), "utf8");

/** A real cursor of that kind; a row that needs one the scenario could not give fails on its own. */
function cursor(corpus: Corpus, kind: CursorKind): string {
  const value = corpus.cursors[kind];
  if (value === undefined)
    throw new Error(`the scenario gave no second page of ${kind} (its route failed, or seed 9 changed)`);
  return value;
}

const rec = (c: Corpus) => `/v1/records/${c.fingerprint}`;
const auth = (c: Corpus, query: string) => `/v1/authorizations?record=${c.fingerprint}&org=${c.org}&${query}`;

/** The corpus. Paths that need the scenario's keys are functions of it. */
const rows: readonly Row[] = [
  // --- malformed fingerprints, on every route that takes one
  { name: "fingerprint too short", path: "/v1/records/0x1234", status: 400, code: "InvalidFingerprint" },
  {
    name: "fingerprint too long (33 bytes)",
    path: `/v1/records/${hex64("ab")}cd`,
    status: 400,
    code: "InvalidFingerprint",
  },
  { name: "fingerprint not hex", path: `/v1/records/${hex64("zz")}`, status: 400, code: "InvalidFingerprint" },
  { name: "fingerprint without 0x", path: `/v1/records/${"ab".repeat(32)}`, status: 400, code: "InvalidFingerprint" },
  { name: "fingerprint just 0x", path: "/v1/records/0x", status: 400, code: "InvalidFingerprint" },
  { name: "fingerprint with a space", path: `/v1/records/%20${hex64("ab")}`, status: 400, code: "InvalidFingerprint" },
  {
    name: "fingerprint with a NUL byte",
    path: `/v1/records/${hex64("ab").slice(0, 40)}%00`,
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "fingerprint in unicode",
    path: `/v1/records/0x${"%C3%A9".repeat(32)}`,
    status: 400,
    code: "InvalidFingerprint",
  },
  { name: "trail of a short fingerprint", path: "/v1/records/0xabc/trail", status: 400, code: "InvalidFingerprint" },
  {
    name: "lineage of a non-hex fingerprint",
    path: `/v1/records/0x${"g".repeat(64)}/lineage`,
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "lineage.csv of a short fingerprint",
    path: "/v1/records/0x00/lineage.csv",
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "lineage.prov.json without 0x",
    path: `/v1/records/${"0".repeat(64)}/lineage.prov.json`,
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "verdict of a malformed fingerprint",
    path: "/v1/verdicts/0xnothex",
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "authorization of a malformed record",
    path: (c) => `/v1/authorizations?record=0x12&org=${c.org}&scope=use`,
    status: 400,
    code: "InvalidFingerprint",
  },
  { name: "events of a malformed record", path: "/v1/events?record=0xabcdef", status: 400, code: "InvalidFingerprint" },

  // --- unknown records
  { name: "unknown record", path: `/v1/records/${hex64("ab")}`, status: 404, code: "UnknownRecord" },
  { name: "trail of an unknown record", path: `/v1/records/${hex64("ab")}/trail`, status: 404, code: "UnknownRecord" },
  {
    name: "lineage of an unknown record",
    path: `/v1/records/${hex64("ab")}/lineage?direction=both`,
    status: 404,
    code: "UnknownRecord",
  },
  {
    name: "lineage.csv of an unknown record",
    path: `/v1/records/${hex64("ab")}/lineage.csv`,
    status: 404,
    code: "UnknownRecord",
  },
  {
    name: "lineage.prov.json of an unknown record",
    path: `/v1/records/${hex64("ab")}/lineage.prov.json`,
    status: 404,
    code: "UnknownRecord",
  },
  { name: "verdict of an unknown record", path: `/v1/verdicts/${hex64("ab")}`, status: 404, code: "UnknownRecord" },
  {
    name: "unknown record, every character percent-encoded (decoded, then looked up)",
    path: `/v1/records/${percentAll(hex64("ab"))}`,
    status: 404,
    code: "UnknownRecord",
  },

  // --- organisations: unknown, out of the uint32 range, negative, not a number
  { name: "unknown organisation", path: "/v1/organizations/999", status: 404, code: "UnknownOrganization" },
  { name: "organisation 0 (ids start at 1)", path: "/v1/organizations/0", status: 404, code: "UnknownOrganization" },
  {
    name: "records of an unknown organisation",
    path: "/v1/organizations/4242/records",
    status: 404,
    code: "UnknownOrganization",
  },
  {
    name: "activity of an unknown organisation",
    path: "/v1/organizations/4242/activity",
    status: 404,
    code: "UnknownOrganization",
  },
  { name: "organisation id 2^32", path: "/v1/organizations/4294967296", status: 400, code: "InvalidOrganization" },
  {
    name: "organisation id of 23 digits",
    path: "/v1/organizations/99999999999999999999999",
    status: 400,
    code: "InvalidOrganization",
  },
  { name: "negative organisation id", path: "/v1/organizations/-1", status: 400, code: "InvalidOrganization" },
  {
    name: "negative organisation id, percent-encoded",
    path: "/v1/organizations/%2D1",
    status: 400,
    code: "InvalidOrganization",
  },
  { name: "non-numeric organisation id", path: "/v1/organizations/abc", status: 400, code: "InvalidOrganization" },
  { name: "fractional organisation id", path: "/v1/organizations/1.5", status: 400, code: "InvalidOrganization" },
  { name: "hex organisation id", path: "/v1/organizations/0x10", status: 400, code: "InvalidOrganization" },
  {
    name: "grants of a non-numeric organisation",
    path: "/v1/organizations/abc/grants",
    status: 400,
    code: "InvalidOrganization",
  },
  {
    name: "activity.csv of a negative organisation",
    path: "/v1/organizations/-5/activity.csv",
    status: 400,
    code: "InvalidOrganization",
  },
  {
    name: "authorization for a non-numeric org",
    path: (c) => `/v1/authorizations?record=${c.fingerprint}&org=abc&scope=use`,
    status: 400,
    code: "InvalidOrganization",
  },
  {
    name: "authorization for org 2^32",
    path: (c) => `/v1/authorizations?record=${c.fingerprint}&org=4294967296&scope=use`,
    status: 400,
    code: "InvalidOrganization",
  },
  { name: "events of a negative org", path: "/v1/events?org=-1", status: 400, code: "InvalidOrganization" },
  {
    name: "grants on a side that does not exist",
    path: (c) => `/v1/organizations/${c.org}/grants?side=sideways`,
    status: 400,
    code: "InvalidRequest",
    mentions: "side",
  },

  // --- cursors
  {
    name: "cursor of garbage",
    path: (c) => `${rec(c)}/trail?cursor=!!not-a-cursor!!`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of base64 that is not JSON",
    path: (c) => `${rec(c)}/trail?cursor=${b64("not json at all")}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of base64 of the wrong JSON",
    path: (c) => `${rec(c)}/trail?cursor=${b64('{"x":1,"y":[2]}')}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of a JSON number",
    path: (c) => `${rec(c)}/trail?cursor=${b64("12")}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of /v1/events on a trail",
    path: (c) => `${rec(c)}/trail?cursor=${cursor(c, "events")}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of a trail on /v1/events",
    path: (c) => `/v1/events?cursor=${cursor(c, "trail")}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of an organisation's records on its grants",
    path: (c) => `/v1/organizations/${c.org}/grants?cursor=${cursor(c, "orgRecords")}`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of garbage on an organisation's records",
    path: (c) => `/v1/organizations/${c.org}/records?cursor=%%%%`,
    status: 400,
    code: "InvalidCursor",
  },
  {
    name: "cursor of garbage on activity",
    path: (c) => `/v1/organizations/${c.org}/activity?cursor=AAAA`,
    status: 400,
    code: "InvalidCursor",
  },

  // --- limits
  {
    name: "trail limit over the max (1000)",
    path: (c) => `${rec(c)}/trail?limit=1001`,
    status: 400,
    code: "LimitOverMax",
    mentions: "1000",
  },
  { name: "events limit over the max", path: "/v1/events?limit=100000", status: 400, code: "LimitOverMax" },
  {
    name: "events limit over the max, percent-encoded digits",
    path: "/v1/events?limit=%31%30%30%31",
    status: 400,
    code: "LimitOverMax",
  },
  {
    name: "organisation records limit over the max",
    path: (c) => `/v1/organizations/${c.org}/records?limit=5000`,
    status: 400,
    code: "LimitOverMax",
  },
  {
    name: "lineage node cap over the max (10000)",
    path: (c) => `${rec(c)}/lineage?limit=10001`,
    status: 400,
    code: "LimitOverMax",
  },
  {
    name: "trail limit zero",
    path: (c) => `${rec(c)}/trail?limit=0`,
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },
  {
    name: "trail limit negative",
    path: (c) => `${rec(c)}/trail?limit=-1`,
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },
  {
    name: "trail limit not a number",
    path: (c) => `${rec(c)}/trail?limit=ten`,
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },
  {
    name: "trail limit fractional",
    path: (c) => `${rec(c)}/trail?limit=1.5`,
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },
  {
    name: "events limit with a bad percent-encoding",
    path: "/v1/events?limit=%zz",
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },

  // --- lineage depth and direction
  {
    name: "lineage depth over the limit (100)",
    path: (c) => `${rec(c)}/lineage?depth=101`,
    status: 400,
    code: "DepthOverLimit",
    mentions: "100",
  },
  {
    name: "lineage.csv depth over the limit",
    path: (c) => `${rec(c)}/lineage.csv?depth=1000`,
    status: 400,
    code: "DepthOverLimit",
  },
  {
    name: "lineage.prov.json depth over the limit",
    path: (c) => `${rec(c)}/lineage.prov.json?depth=500`,
    status: 400,
    code: "DepthOverLimit",
  },
  {
    name: "lineage depth negative",
    path: (c) => `${rec(c)}/lineage?depth=-1`,
    status: 400,
    code: "InvalidRequest",
    mentions: "depth",
  },
  {
    name: "lineage depth not a number",
    path: (c) => `${rec(c)}/lineage?depth=deep`,
    status: 400,
    code: "InvalidRequest",
    mentions: "depth",
  },
  {
    name: "lineage direction unknown",
    path: (c) => `${rec(c)}/lineage?direction=sideways`,
    status: 400,
    code: "InvalidRequest",
    mentions: "direction",
  },

  // --- authorisation scopes and required parameters
  { name: "scope name unknown", path: (c) => auth(c, "scope=read"), status: 400, code: "InvalidScope" },
  { name: "scope bits 0", path: (c) => auth(c, "scope=0"), status: 400, code: "InvalidScope" },
  { name: "scope bits 8", path: (c) => auth(c, "scope=8"), status: 400, code: "InvalidScope" },
  { name: "scope bits negative", path: (c) => auth(c, "scope=-1"), status: 400, code: "InvalidScope" },
  { name: "scope bits fractional", path: (c) => auth(c, "scope=1.5"), status: 400, code: "InvalidScope" },
  {
    name: "authorization with an empty scope",
    path: (c) => auth(c, "scope="),
    status: 400,
    code: "InvalidScope",
  },
  {
    name: "authorization without a record",
    path: (c) => `/v1/authorizations?org=${c.org}&scope=use`,
    status: 400,
    // A required parameter missing: the schema's failure, or the parameter's own code (the contract allows both).
    code: ["InvalidRequest", "InvalidFingerprint"],
    mentions: "record",
  },
  {
    name: "authorization without an org",
    path: (c) => `/v1/authorizations?record=${c.fingerprint}&scope=use`,
    status: 400,
    code: ["InvalidRequest", "InvalidOrganization"],
    mentions: "org",
  },

  // --- time ranges
  {
    name: "activity from a word",
    path: (c) => `/v1/organizations/${c.org}/activity?from=yesterday`,
    status: 400,
    code: "InvalidRange",
    mentions: "from",
  },
  {
    name: "activity to an impossible date",
    path: (c) => `/v1/organizations/${c.org}/activity?to=2026-13-45T00:00:00Z`,
    status: 400,
    code: "InvalidRange",
    mentions: "to",
  },
  {
    name: "activity reversed (ISO-8601)",
    path: (c) => `/v1/organizations/${c.org}/activity?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z`,
    status: 400,
    code: "InvalidRange",
  },
  {
    name: "activity reversed (unix seconds)",
    path: (c) => `/v1/organizations/${c.org}/activity?from=200&to=100`,
    status: 400,
    code: "InvalidRange",
  },
  {
    name: "activity from negative seconds",
    path: (c) => `/v1/organizations/${c.org}/activity?from=-5`,
    status: 400,
    code: "InvalidRange",
  },
  {
    name: "activity.csv from a word",
    path: (c) => `/v1/organizations/${c.org}/activity.csv?from=soon`,
    status: 400,
    code: "InvalidRange",
  },

  // --- events
  {
    name: "unknown event kind (the answer lists the kinds)",
    path: "/v1/events?kind=NoSuchEvent",
    status: 400,
    code: "InvalidRequest",
    mentions: "RecordRegistered",
  },
  { name: "event kind with a NUL", path: "/v1/events?kind=RecordRegistered%00", status: 400, code: "InvalidRequest" },
  { name: "fromBlock after toBlock", path: "/v1/events?fromBlock=10&toBlock=5", status: 400, code: "InvalidRange" },
  // A block number that is not a number: the schema's (InvalidRequest) or the range check's (InvalidRange) to say.
  {
    name: "fromBlock not a number",
    path: "/v1/events?fromBlock=genesis",
    status: 400,
    code: ["InvalidRequest", "InvalidRange"],
    mentions: "fromBlock",
  },
  {
    name: "toBlock negative",
    path: "/v1/events?toBlock=-1",
    status: 400,
    code: ["InvalidRequest", "InvalidRange"],
    mentions: "toBlock",
  },

  // --- query strings: unknown and repeated parameters
  {
    name: "unknown query parameter on a record",
    path: (c) => `${rec(c)}?fields=all`,
    status: 400,
    code: "InvalidRequest",
    mentions: "fields",
  },
  {
    name: "unknown query parameter on events",
    path: "/v1/events?kind=RecordRegistered&orderBy=time",
    status: 400,
    code: "InvalidRequest",
    mentions: "orderBy",
  },
  {
    name: "limit repeated",
    path: (c) => `${rec(c)}/trail?limit=1&limit=2`,
    status: 400,
    code: "InvalidRequest",
    mentions: "limit",
  },
  {
    name: "direction repeated",
    path: (c) => `${rec(c)}/lineage?direction=up&direction=down`,
    status: 400,
    code: "InvalidRequest",
    mentions: "direction",
  },
  {
    name: "event kind repeated",
    path: "/v1/events?kind=RecordRegistered&kind=GrantIssued",
    status: 400,
    code: "InvalidRequest",
    mentions: "kind",
  },
  {
    name: "cursor repeated",
    path: (c) => `/v1/events?cursor=${cursor(c, "events")}&cursor=${cursor(c, "events")}`,
    status: 400,
    code: ["InvalidRequest", "InvalidCursor"],
    mentions: "cursor",
  },
  {
    name: "an 8 KB unknown query parameter",
    path: `/v1/events?junk=${"j".repeat(8192)}`,
    status: 400,
    code: "InvalidRequest",
  },

  // --- unknown routes, path traversal, very long URLs, percent-encoding abuse
  { name: "unknown route", path: "/v1/nothing", status: 404, code: "UnknownRoute", mentions: "/openapi.json" },
  { name: "unknown API version", path: (c) => `/v2/records/${c.fingerprint}`, status: 404, code: "UnknownRoute" },
  { name: "a record's unknown sub-route", path: (c) => `${rec(c)}/owners`, status: 404, code: "UnknownRoute" },
  {
    name: "records without a fingerprint",
    // An empty fingerprint: no route (404) or the record route refusing "" (400).
    path: "/v1/records/",
    status: [400, 404],
    code: ["UnknownRoute", "InvalidFingerprint"],
  },
  { name: "path traversal with ..", path: "/v1/records/../../../../etc/passwd", status: 404, code: "UnknownRoute" },
  { name: "path traversal to package.json", path: "/../package.json", status: 404, code: "UnknownRoute" },
  {
    name: "path traversal, encoded slashes into the fingerprint",
    path: "/v1/records/..%2F..%2F..%2Fetc%2Fpasswd",
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "path traversal, encoded dots",
    path: "/v1/records/%2e%2e%2f%2e%2e%2fetc%2fshadow",
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "path traversal after a known route",
    path: (c) => `${rec(c)}/trail/../../../../etc/passwd`,
    status: 404,
    code: "UnknownRoute",
  },
  {
    name: "fingerprint of 300 hex digits (longer than a path parameter may be)",
    path: `/v1/records/0x${"a".repeat(300)}`,
    status: 400,
    code: "InvalidFingerprint",
  },
  { name: "a 7 KB path", path: `/v1/${"a/".repeat(3500)}`, status: 404, code: "UnknownRoute" },
  // Past node's 16 KiB header limit the request never reaches a route: it must still get the API's JSON error.
  {
    name: "a 20 KB URL (over node's header limit)",
    path: `/v1/events?junk=${"j".repeat(20_000)}`,
    status: [400, 414, 431],
    code: ["InvalidRequest", "UnknownRoute"],
  },
  {
    name: "bad percent-encoding in the path",
    path: "/v1/records/%zz",
    status: 400,
    code: ["InvalidFingerprint", "InvalidRequest"],
  },
  {
    name: "overlong UTF-8 in the path",
    path: "/v1/records/%C0%AE%C0%AE",
    status: 400,
    code: ["InvalidFingerprint", "InvalidRequest"],
  },
  {
    name: "double percent-encoding",
    path: `/v1/records/${encodeURIComponent(percentAll(hex64("ab")))}`,
    status: 400,
    code: "InvalidFingerprint",
  },
  {
    name: "an encoded slash inside the fingerprint",
    path: `/v1/records/${hex64("ab").slice(0, 34)}%2F${"ab".repeat(16)}`,
    status: 400,
    code: "InvalidFingerprint",
  },

  // --- methods
  {
    name: "POST to a record",
    method: "POST",
    path: rec,
    headers: json,
    body: "{}",
    status: 405,
    code: "MethodNotAllowed",
  },
  { name: "DELETE a record", method: "DELETE", path: rec, status: 405, code: "MethodNotAllowed" },
  {
    name: "PUT a verdict",
    method: "PUT",
    path: "/v1/verdicts",
    headers: json,
    body: "{}",
    status: 405,
    code: "MethodNotAllowed",
  },
  { name: "GET the receipt verdict route", path: "/v1/verdicts", status: 405, code: "MethodNotAllowed" },
  {
    name: "PATCH /health",
    method: "PATCH",
    path: "/health",
    headers: json,
    body: "{}",
    status: 405,
    code: "MethodNotAllowed",
  },
  { name: "OPTIONS on events", method: "OPTIONS", path: "/v1/events", status: 405, code: "MethodNotAllowed" },

  // --- bodies of POST /v1/verdicts
  {
    name: "body too large (300 KiB > 256 KiB)",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: bigBody,
    status: 413,
    code: "BodyTooLarge",
  },
  {
    name: "body too large, chunked",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: bigBody,
    chunked: true,
    status: 413,
    code: "BodyTooLarge",
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: '{"version": 1,',
    status: 400,
    code: "MalformedJson",
  },
  {
    name: "JSON with a trailing comma",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: '{"version": 1,}',
    status: 400,
    code: "MalformedJson",
  },
  {
    name: "empty JSON body",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: "",
    status: 400,
    code: ["MalformedJson", "InvalidRequest"],
  },
  {
    name: "JSON with __proto__ (prototype poisoning)",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: '{"__proto__": {"admin": true}}',
    status: [400, 422],
    code: ["MalformedJson", "InvalidRequest", "InvalidReceipt"],
  },
  {
    name: "text/plain body",
    method: "POST",
    path: "/v1/verdicts",
    headers: { "content-type": "text/plain" },
    body: (c) => JSON.stringify(c.receipt),
    status: 415,
    code: "UnsupportedMediaType",
  },
  {
    name: "form-encoded body",
    method: "POST",
    path: "/v1/verdicts",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "version=1",
    status: 415,
    code: "UnsupportedMediaType",
  },
  {
    name: "body without a content type",
    method: "POST",
    path: "/v1/verdicts",
    body: (c) => JSON.stringify(c.receipt),
    status: 415,
    code: "UnsupportedMediaType",
  },
  {
    name: "receipt of an empty object",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: "{}",
    status: 422,
    code: "InvalidReceipt",
  },
  {
    name: "receipt of an array",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: "[]",
    status: 422,
    code: "InvalidReceipt",
  },
  {
    name: "receipt of a string",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: '"receipt"',
    status: 422,
    code: "InvalidReceipt",
  },
  {
    name: "receipt of version 2",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: (c) => JSON.stringify({ ...c.receipt, version: 2 }),
    status: 422,
    code: "InvalidReceipt",
    mentions: "version",
  },
  {
    name: "receipt with a malformed fingerprint",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: (c) => JSON.stringify({ ...c.receipt, fingerprint: "0x12" }),
    status: 422,
    code: "InvalidReceipt",
    mentions: "fingerprint",
  },
  {
    name: "receipt without its trail",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: (c) => JSON.stringify({ ...c.receipt, trail: undefined }),
    status: 422,
    code: "InvalidReceipt",
    mentions: "trail",
  },
  {
    name: "receipt with an unknown field",
    method: "POST",
    path: "/v1/verdicts",
    headers: json,
    body: (c) => JSON.stringify({ ...c.receipt, trusted: true }),
    status: 422,
    code: "InvalidReceipt",
    mentions: "trusted",
  },

  // --- request ids: a bad one is replaced by a generated one (never echoed into the answer), a sane one is kept
  {
    name: "x-request-id of 1000 characters",
    path: "/v1/nothing",
    headers: { "x-request-id": "r".repeat(1000) },
    status: 404,
    code: "UnknownRoute",
    requestId: "replaced",
  },
  {
    name: "x-request-id with markup",
    path: "/v1/records/0x1",
    headers: { "x-request-id": "<script>alert(1)</script>" },
    status: 400,
    code: "InvalidFingerprint",
    requestId: "replaced",
  },
  {
    name: "x-request-id empty",
    path: "/v1/organizations/abc",
    headers: { "x-request-id": "" },
    status: 400,
    code: "InvalidOrganization",
    requestId: "replaced",
  },
  {
    name: "x-request-id with latin-1 bytes",
    path: "/v1/events?limit=0",
    headers: { "x-request-id": "caf\u00e9-\u00ff" },
    status: 400,
    code: "InvalidRequest",
    requestId: "replaced",
  },
  {
    name: "x-request-id sane (kept)",
    path: "/v1/events?limit=ten",
    headers: { "x-request-id": "client-7f3a-0001" },
    status: 400,
    code: "InvalidRequest",
    requestId: "echo",
  },
];

/** Something of the server's insides in a body: a stack frame, a source or node_modules path, a Fastify code. */
const LEAKS: readonly [string, RegExp][] = [
  ["a stack frame", /\bat [\w.<>$]+ \(|\n\s+at /],
  ["a file path", /\/(?:work|home|root|tmp|usr)\/|node_modules|[\w-]+\.(?:ts|js):\d+/],
  ["a source directory", /\bsrc\/(?:server|indexer|sdk)\b/],
  ["a Fastify error code", /FST_ERR_|ERR_[A-Z_]{4,}/],
  ["the word stack", /"stack"/],
];

describe("query API: bad-input corpus", function () {
  this.timeout(120_000);
  let fixture: ApiFixture;
  let base: string;
  let corpus: Corpus;

  before(async () => {
    fixture = await startApiFixture({ seed: 9, steps: 40, market: false });
    const store = fixture.store("sqlite");
    base = store.url;
    const { consortium } = fixture;
    const registrations = await fixture.client.getContractEvents({
      address: consortium.addresses.ledger,
      abi: provenanceLedgerAbi,
      eventName: "RecordRegistered",
      fromBlock: consortium.deployment.deploymentBlock,
    });
    if (registrations.length === 0) throw new Error("the scenario registered no record: pick another seed");
    const receipt = await buildRegistrationReceipt(fixture.client, {
      ledger: consortium.addresses.ledger,
      transactionHash: registrations[0].transactionHash,
      fingerprint: registrations[0].args.fingerprint,
    });
    const fingerprint = registrations[0].args.fingerprint!.toLowerCase();
    const org = consortium.orgIds.agency;

    // A second page of each paged kind: the first of the candidates with more than one entry.
    const firstCursor = async (paths: readonly string[]): Promise<string | undefined> => {
      for (const path of paths) {
        const page = await store.get<{ next?: string | null }>(path);
        if (page.status === 200 && typeof page.body.next === "string") return page.body.next;
      }
      return undefined;
    };
    const orgs = Object.values(consortium.orgIds);
    corpus = {
      fingerprint,
      unknown: hex64("ab"),
      org,
      receipt,
      cursors: {
        events: await firstCursor(["/v1/events?limit=1"]),
        trail: await firstCursor(
          consortium.created.fingerprints.map((record) => `/v1/records/${record}/trail?limit=1`),
        ),
        orgRecords: await firstCursor(orgs.map((id) => `/v1/organizations/${id}/records?limit=1`)),
      },
    };
  });
  after(async () => {
    await fixture?.close();
  });

  describe("controls: the same routes answer good input", () => {
    const controls: [string, (c: Corpus) => string][] = [
      ["a record", rec],
      ["a record by upper-case hex digits", (c) => `/v1/records/0x${c.fingerprint.slice(2).toUpperCase()}`],
      ["a record's trail, second page", (c) => `${rec(c)}/trail?limit=1`],
      ["a lineage", (c) => `${rec(c)}/lineage?direction=both&depth=100&limit=10000`],
      ["an organisation", (c) => `/v1/organizations/${c.org}`],
      ["an organisation by percent-encoded id", (c) => `/v1/organizations/${percentAll(String(c.org))}`],
      [
        "an organisation's activity over a range",
        (c) => `/v1/organizations/${c.org}/activity?from=0&to=2030-01-01T00:00:00Z`,
      ],
      ["an authorisation by scope name", (c) => auth(c, "scope=use")],
      ["an authorisation by scope bits", (c) => auth(c, "scope=7")],
      [
        "events of a kind in a block range",
        () => "/v1/events?kind=RecordRegistered&fromBlock=0&toBlock=1000000&limit=1000",
      ],
      ["events, the next page", (c) => `/v1/events?limit=1&cursor=${cursor(c, "events")}`],
      ["a verdict", (c) => `/v1/verdicts/${c.fingerprint}`],
      ["a lineage as CSV", (c) => `${rec(c)}/lineage.csv?depth=100`],
      ["a lineage as PROV-JSON", (c) => `${rec(c)}/lineage.prov.json?direction=up`],
      ["an organisation's activity as CSV", (c) => `/v1/organizations/${c.org}/activity.csv?from=0`],
      ["an organisation's grants received", (c) => `/v1/organizations/${c.org}/grants?side=received`],
    ];
    for (const [name, path] of controls) {
      it(`${name}: 200`, async () => {
        const response = await send(base, "GET", path(corpus), {});
        expect(response.status, response.text.slice(0, 500)).to.equal(200);
      });
    }
    it("a real receipt: 200", async () => {
      const body = Buffer.from(JSON.stringify(corpus.receipt), "utf8");
      const response = await send(base, "POST", "/v1/verdicts", json, body);
      expect(response.status, response.text.slice(0, 500)).to.equal(200);
    });
  });

  describe(`${rows.length} bad requests: each its documented 4xx, the API's JSON error, nothing of the insides`, () => {
    for (const row of rows) {
      it(row.name, async () => {
        const method = row.method ?? "GET";
        const path = typeof row.path === "function" ? row.path(corpus) : row.path;
        const raw = typeof row.body === "function" ? row.body(corpus) : row.body;
        const body = raw === undefined ? undefined : Buffer.isBuffer(raw) ? raw : Buffer.from(raw, "utf8");
        const response = await send(base, method, path, row.headers ?? {}, body, row.chunked);
        const shown = `${method} ${path.length > 200 ? `${path.slice(0, 200)}...` : path} -> ${response.status} ${response.text.slice(0, 600)}`;

        expect(response.status, shown).to.be.within(400, 499);
        expect([row.status].flat(), shown).to.include(response.status);
        expect(String(response.headers["content-type"]), shown).to.match(/^application\/json/);
        let parsed: unknown;
        expect(() => (parsed = JSON.parse(response.text)), shown).not.to.throw();
        const answer = parsed as { error?: { code?: unknown; message?: unknown; hint?: unknown }; requestId?: unknown };
        expect(answer, shown).to.have.all.keys("error", "requestId");
        expect(answer.error, shown).to.have.all.keys("code", "message", "hint");
        expect([row.code].flat(), shown).to.include(answer.error!.code);
        expect(answer.error!.message, shown).to.be.a("string").and.not.empty;
        expect(answer.error!.hint, shown).to.be.a("string").and.not.empty;
        if (row.mentions) expect(`${answer.error!.message} ${answer.error!.hint}`, shown).to.include(row.mentions);
        for (const [what, pattern] of LEAKS) expect(response.text, `${what} in ${shown}`).not.to.match(pattern);

        expect(answer.requestId, shown).to.be.a("string").and.not.empty;
        expect(response.headers["x-request-id"], shown).to.equal(answer.requestId);
        const sent = row.headers?.["x-request-id"];
        if (row.requestId === "echo") expect(answer.requestId, shown).to.equal(sent);
        if (row.requestId === "replaced") {
          expect(answer.requestId, shown).not.to.equal(sent);
          expect(answer.requestId as string, shown).to.match(/^[\w.:-]{1,128}$/);
        }
      });
    }
  });

  it("covers every client error code the API documents", () => {
    const covered = new Set(rows.flatMap((row) => [row.code].flat()));
    const clientCodes: ApiErrorCode[] = [
      "InvalidRequest",
      "InvalidFingerprint",
      "InvalidCursor",
      "InvalidOrganization",
      "InvalidScope",
      "InvalidRange",
      "DepthOverLimit",
      "LimitOverMax",
      "MalformedJson",
      "UnknownRecord",
      "UnknownOrganization",
      "UnknownRoute",
      "MethodNotAllowed",
      "BodyTooLarge",
      "UnsupportedMediaType",
      "InvalidReceipt",
    ];
    expect(clientCodes.filter((code) => !covered.has(code))).to.deep.equal([]);
    expect(rows.length).to.be.at.least(60);
  });
});
