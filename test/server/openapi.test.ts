/**
 * /openapi.json is the API's contract with its clients, so it is checked the way a client would rely on it:
 *
 * - it is an OpenAPI 3.1 document, valid by the OpenAPI Initiative's JSON Schema for 3.1 (vendored in
 *   test/fixtures/openapi/: no npm package ships one), by Redocly's structural rules (the
 *   validator openapi-typescript itself builds on), and by the rules written down in `structureProblems` below;
 * - the routes Fastify serves and the operations the document lists are the same set (a route missing from the
 *   document cannot be generated into a client; an operation no route serves is a lie);
 * - for every operation, a real request's answer validates against the response schema the document gives for
 *   its status (and, for each route with a path parameter, a bad value's 4xx against the error schema);
 * - a TypeScript client generated from it with openapi-typescript compiles with openapi-fetch under `strict`,
 *   including two `@ts-expect-error` lines that prove the types are not `any`, and answers against the live server
 *   exactly what a plain fetch gets.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import openapiTS, { astToString } from "openapi-typescript";
import { buildRegistrationReceipt, provenanceLedgerAbi, type ProvenanceReceipt } from "../../src/sdk";
import { createServer, type ProvledgerServer } from "../../src/server";
import { createServerMetrics } from "../../src/server/metrics";
import { getJson, startApiFixture, type ApiFixture } from "../helpers/api";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = Record<string, unknown>;
type Operation = { parameters?: Json[]; requestBody?: Json; responses?: Record<string, Json>; operationId?: string };
type Document = { openapi?: unknown; info?: Json; paths?: Record<string, Record<string, unknown>>; components?: Json };

/**
 * The OpenAPI Initiative's JSON Schema for OpenAPI 3.1 documents (spec.openapis.org/oas/3.1/schema), vendored in
 * test/fixtures/openapi/ (no npm package ships it; its README says where it came from).
 */
function findOas31Schema(): object {
  const text = readFileSync(join(__dirname, "..", "fixtures", "openapi", "oas-3.1-schema-2022-10-07.json"), "utf8");
  // Its Schema Objects are `$dynamicRef: "#meta"`, which resolves to its own `$defs/schema` (any object or boolean)
  // unless a dialect overrides it; ajv follows that $dynamicRef to the wrong definition, so it is spelt as the static
  // $ref it resolves to. (The schemas themselves are checked by ajv's 2020-12 meta-schema below.)
  return JSON.parse(text.replace(/"\$dynamicRef":\s*"#meta"/g, '"$ref": "#/$defs/schema"')) as object;
}

/** A JSON pointer to `tokens`, as a URI fragment (ajv resolves `$ref`s as URIs: braces must be escaped). */
const pointer = (tokens: readonly string[]) =>
  `#/${tokens.map((token) => encodeURIComponent(token.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/")}`;

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const token = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object" || !(token in node)) return undefined;
    node = (node as Json)[token];
  }
  return node;
}

/** Every operation of the document as `[METHOD, path template, operation]`. */
function operationsOf(document: Document): [string, string, Operation][] {
  const operations: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) operations.push([method.toUpperCase(), path, operation]);
    }
  }
  return operations;
}

/**
 * The structure rules this test holds the document to, beyond the 3.1 schema (which checks shapes, not meaning):
 *
 * 1. `openapi` is 3.1.x; `info.title` and `info.version` are non-empty.
 * 2. Every path starts with `/` and names its parameters `{name}` (no Fastify `:name` left over).
 * 3. Every `{name}` in a path has exactly one `in: path`, `required: true` parameter, and no path parameter lacks
 *    its `{name}`; parameter names are unique per location.
 * 4. Every operation has responses, at least one 2xx, each keyed by a status (`200`, `4XX`, `default`) and with a
 *    description; every JSON answer has a schema.
 * 5. Every `/v1` operation documents its client errors (a 4xx) with a JSON schema (a generated client types them).
 * 6. operationIds, where given, are unique.
 * 7. Every `$ref` resolves inside the document.
 * 8. Every schema in it is a valid JSON Schema 2020-12 (the 3.1 dialect): ajv compiles each.
 */
function structureProblems(document: Document): string[] {
  const problems: string[] = [];
  if (typeof document.openapi !== "string" || !/^3\.1\.\d+$/.test(document.openapi))
    problems.push(`openapi is ${JSON.stringify(document.openapi)}, not 3.1.x`);
  if (!document.info?.title || !document.info?.version) problems.push("info.title or info.version is missing");
  const operationIds = new Map<string, string>();
  const schemas: [string, unknown][] = [];
  for (const [method, path, operation] of operationsOf(document)) {
    const where = `${method} ${path}`;
    if (!path.startsWith("/")) problems.push(`${where}: the path does not start with /`);
    if (/\/:/.test(path)) problems.push(`${where}: a Fastify :param left in the path`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const itemParameters = ((document.paths?.[path] as Json).parameters as Json[] | undefined) ?? [];
    const parameters = [...itemParameters, ...(operation.parameters ?? [])].map(
      (parameter) =>
        (typeof parameter.$ref === "string" ? resolvePointer(document, parameter.$ref) : parameter) as Json,
    );
    const seen = new Set<string>();
    for (const parameter of parameters) {
      const key = `${String(parameter.in)}:${String(parameter.name)}`;
      if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
      seen.add(key);
      if (parameter.in === "path") {
        if (!templated.includes(String(parameter.name)))
          problems.push(`${where}: path parameter ${String(parameter.name)} is not in the path`);
        if (parameter.required !== true)
          problems.push(`${where}: path parameter ${String(parameter.name)} not required`);
      }
      if (parameter.schema) schemas.push([`${where} parameter ${key}`, parameter.schema]);
    }
    for (const name of templated) if (!seen.has(`path:${name}`)) problems.push(`${where}: {${name}} has no parameter`);
    const responses = operation.responses ?? {};
    const statuses = Object.keys(responses);
    if (statuses.length === 0) problems.push(`${where}: no responses`);
    if (!statuses.some((status) => /^2(\d\d|XX)$/.test(status))) problems.push(`${where}: no 2xx response`);
    for (const [status, response] of Object.entries(responses)) {
      if (!/^([1-5](\d\d|XX)|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
      if (typeof response.description !== "string") problems.push(`${where} ${status}: no description`);
      for (const [media, content] of Object.entries((response.content as Record<string, Json>) ?? {})) {
        if (/json/.test(media) && content.schema === undefined) problems.push(`${where} ${status} ${media}: no schema`);
        if (content.schema !== undefined) schemas.push([`${where} ${status} ${media}`, content.schema]);
      }
    }
    if (path.startsWith("/v1/")) {
      const clientError = statuses.find((status) => /^4(\d\d|XX)$/.test(status));
      const content = clientError ? (responses[clientError].content as Record<string, Json> | undefined) : undefined;
      if (!content?.["application/json"]?.schema) problems.push(`${where}: its client errors (4xx) are not documented`);
    }
    const body = operation.requestBody?.content as Record<string, Json> | undefined;
    for (const [media, content] of Object.entries(body ?? {}))
      if (content.schema !== undefined) schemas.push([`${where} request body ${media}`, content.schema]);
    if (operation.operationId) {
      const before = operationIds.get(operation.operationId);
      if (before) problems.push(`operationId ${operation.operationId} of ${where} and ${before}`);
      operationIds.set(operation.operationId, where);
    }
  }
  for (const [name, schema] of Object.entries((document.components?.schemas as Json | undefined) ?? {}))
    schemas.push([`components.schemas.${name}`, schema]);

  const refs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string") refs.push(value);
        else walk(value);
      }
    }
  };
  walk(document);
  for (const ref of refs)
    if (resolvePointer(document, ref) === undefined) problems.push(`$ref ${ref} does not resolve`);

  // Each schema on its own, with the document's internal refs resolvable (the document is their base).
  const ajv = documentAjv(document);
  for (const [where, schema] of schemas) {
    if (!ajv.validateSchema(schema as object)) problems.push(`${where}: not JSON Schema 2020-12: ${ajv.errorsText()}`);
  }
  return problems;
}

const DOCUMENT_ID = "https://provledger.invalid/openapi.json";

/** An ajv (JSON Schema 2020-12, the 3.1 dialect) that knows the document, so `#/components/...` refs resolve. */
function documentAjv(document: Document): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return ajv;
}

/**
 * The routes Fastify serves, from `printRoutes` (its tree, one node per line: `├── /v1/records/:fingerprint (GET,
 * HEAD)`, children indented by four columns and continuing their parent's path), as `METHOD /path/{param}`.
 */
function servedRoutes(tree: string): Set<string> {
  const routes = new Set<string>();
  const prefixes: string[] = [];
  for (const line of tree.split("\n")) {
    const at = line.indexOf("── ");
    if (at < 0) continue;
    const depth = Math.round(at / 4);
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(at + 3).trimEnd());
    if (!match) continue;
    const full = (prefixes[depth - 1] ?? "") + match[1];
    prefixes[depth] = full;
    prefixes.length = depth + 1;
    for (const method of (match[2] ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean))
      routes.add(`${method} ${full.replace(/:(\w+)/g, "{$1}")}`);
  }
  return routes;
}

/** The routes the API's contract (docs/api.md, issue 9) promises: the document must list each. */
const CONTRACT_ROUTES: readonly string[] = [
  "GET /v1/records/{fingerprint}",
  "GET /v1/records/{fingerprint}/trail",
  "GET /v1/records/{fingerprint}/lineage",
  "GET /v1/records/{fingerprint}/lineage.prov.json",
  "GET /v1/records/{fingerprint}/lineage.csv",
  "GET /v1/authorizations",
  "GET /v1/verdicts/{fingerprint}",
  "POST /v1/verdicts",
  "GET /v1/organizations/{orgId}",
  "GET /v1/organizations/{orgId}/records",
  "GET /v1/organizations/{orgId}/grants",
  "GET /v1/organizations/{orgId}/activity",
  "GET /v1/organizations/{orgId}/activity.csv",
  "GET /v1/organizations/{orgId}/activity.prov.json",
  "GET /v1/events",
  "GET /health",
  "GET /ready",
  "GET /status",
  "GET /metrics",
];

/** A real value for each parameter the API takes, by name (a route with a parameter not here fails loudly). */
type Examples = { fingerprint: string; org: number; receipt: ProvenanceReceipt };

function exampleValue(name: string, examples: Examples): string | undefined {
  const values: Record<string, string> = {
    fingerprint: examples.fingerprint,
    record: examples.fingerprint,
    orgId: String(examples.org),
    org: String(examples.org),
    scope: "use",
  };
  return values[name];
}

/** A bad value for a path parameter: one the route must refuse with a documented 4xx. */
const badValue: Record<string, string> = { fingerprint: "0x12", orgId: "abc" };

describe("query API: /openapi.json", function () {
  this.timeout(120_000);
  let fixture: ApiFixture;
  let server: ProvledgerServer;
  let base: string;
  let document: Document;
  let examples: Examples;
  let dir: string;

  before(async () => {
    fixture = await startApiFixture({ seed: 9, steps: 30, market: false });
    // The server as `provledger serve` runs it: with its metrics (and so /metrics), over the fixture's store.
    server = await createServer({
      store: fixture.store("sqlite").storeUrl,
      port: 0,
      logger: false,
      metrics: createServerMetrics({ defaultMetrics: false }),
    });
    base = await server.listen();
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^application\/json/);
    document = (await response.json()) as Document;
    const { consortium } = fixture;
    const [registration] = await fixture.client.getContractEvents({
      address: consortium.addresses.ledger,
      abi: provenanceLedgerAbi,
      eventName: "RecordRegistered",
      fromBlock: consortium.deployment.deploymentBlock,
    });
    if (!registration) throw new Error("the scenario registered no record: pick another seed");
    examples = {
      fingerprint: registration.args.fingerprint!.toLowerCase(),
      org: consortium.orgIds.agency,
      receipt: await buildRegistrationReceipt(fixture.client, {
        ledger: consortium.addresses.ledger,
        transactionHash: registration.transactionHash,
        fingerprint: registration.args.fingerprint,
      }),
    };
    dir = mkdtempSync(join(tmpdir(), "provledger-openapi-"));
  });
  after(async () => {
    await server?.close();
    await fixture?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is OpenAPI 3.1, valid by the OpenAPI Initiative's 3.1 JSON Schema", function () {
    expect(document.openapi).to.match(/^3\.1\.\d+$/);
    const schema = findOas31Schema();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat("media-range", true);
    const validate = ajv.compile(schema);
    expect(validate(document), ajv.errorsText(validate.errors, { separator: "\n" })).to.be.true;
  });

  it("passes Redocly's structural rules for 3.1 (struct, refs, path parameters)", async () => {
    const config = await createConfig({
      rules: {
        struct: "error",
        "no-unresolved-refs": "error",
        "path-parameters-defined": "error",
        "path-declaration-must-exist": "error",
        "no-identical-paths": "error",
        "operation-operationId-unique": "error",
        "operation-parameters-unique": "error",
        "no-path-trailing-slash": "error",
        "operation-2xx-response": "error",
        "no-ambiguous-paths": "error",
      },
    });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    const shown = problems.map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(shown).to.deep.equal([]);
  });

  it("follows the written-down structure rules (see structureProblems)", () => {
    expect(structureProblems(document)).to.deep.equal([]);
  });

  it("lists exactly the routes Fastify serves, and every route of the contract", () => {
    const { app } = server;
    const served = servedRoutes(app.printRoutes({ commonPrefix: false }));
    // HEAD is Fastify's automatic twin of every GET; the document does not describe itself.
    const expected = [...served].filter((route) => !route.startsWith("HEAD ") && route !== "GET /openapi.json").sort();
    const documented = operationsOf(document)
      .map(([method, path]) => `${method} ${path}`)
      .sort();
    expect(documented).to.deep.equal(expected);
    expect(
      CONTRACT_ROUTES.filter((route) => !documented.includes(route)),
      "routes of the contract",
    ).to.deep.equal([]);
    for (const [method, path] of operationsOf(document)) {
      expect(app.hasRoute({ method: method as "GET", url: path.replace(/\{(\w+)\}/g, ":$1") }), `${method} ${path}`).to
        .be.true;
    }
  });

  it("describes every route's real answer: each validates against the document's schema for its status", async () => {
    const ajv = documentAjv(document);
    const problems: string[] = [];
    const check = async (method: string, path: string, operation: Operation, url: string, body?: string) => {
      const response = await fetch(new URL(url, base), {
        method,
        ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
      });
      const text = await response.text();
      const where = `${method} ${url} -> ${response.status}`;
      const status = String(response.status);
      const key = [status, `${status[0]}XX`, "default"].find((candidate) => operation.responses?.[candidate]);
      if (!key) return problems.push(`${where}: status not in the document (${text.slice(0, 200)})`);
      const content = (operation.responses![key].content ?? {}) as Record<string, Json>;
      const media = (response.headers.get("content-type") ?? "").split(";")[0].trim();
      if (!content[media]) return problems.push(`${where}: content type ${media} not in the document`);
      if (!/json/.test(media)) return;
      const schemaPointer = pointer([
        "paths",
        path,
        method.toLowerCase(),
        "responses",
        key,
        "content",
        media,
        "schema",
      ]);
      let validate: ValidateFunction;
      try {
        validate =
          ajv.getSchema(`${DOCUMENT_ID}${schemaPointer}`) ?? ajv.compile({ $ref: `${DOCUMENT_ID}${schemaPointer}` });
      } catch (error) {
        return problems.push(`${where}: its schema does not compile: ${(error as Error).message}`);
      }
      if (!validate(JSON.parse(text)))
        problems.push(`${where}: ${ajv.errorsText(validate.errors)} (${text.slice(0, 300)})`);
    };
    for (const [method, path, operation] of operationsOf(document)) {
      const parameters = (operation.parameters ?? []) as { in: string; name: string; required?: boolean }[];
      let url = path;
      const query = new URLSearchParams();
      const missing: string[] = [];
      for (const parameter of parameters) {
        if (parameter.in !== "path" && !parameter.required) continue;
        const value = exampleValue(parameter.name, examples);
        if (value === undefined) missing.push(parameter.name);
        else if (parameter.in === "path") url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
        else if (parameter.in === "query") query.set(parameter.name, value);
      }
      if (missing.length > 0) {
        problems.push(`${method} ${path}: no example value for ${missing.join(", ")} (add it to exampleValue)`);
        continue;
      }
      const search = query.toString() === "" ? "" : `?${query}`;
      const body = method === "POST" ? JSON.stringify(examples.receipt) : undefined;
      await check(method, path, operation, url + search, body);
      for (const parameter of parameters.filter((candidate) => candidate.in === "path")) {
        const bad = badValue[parameter.name];
        if (bad)
          await check(
            method,
            path,
            operation,
            path
              .replace(`{${parameter.name}}`, bad)
              .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(exampleValue(name, examples) ?? "")) +
              search,
          );
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("generates a TypeScript client (openapi-typescript) that compiles strictly and works with openapi-fetch", async () => {
    const source = astToString(await openapiTS(document as never));
    writeFileSync(join(dir, "schema.mts"), source);
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(
      join(dir, "client.mts"),
      [
        `import createClient from "openapi-fetch";`,
        `import type { paths } from "./schema.mjs";`,
        ``,
        `const [baseUrl, fingerprint, org] = process.argv.slice(2);`,
        `const client = createClient<paths>({ baseUrl });`,
        `const record = await client.GET("/v1/records/{fingerprint}", { params: { path: { fingerprint } } });`,
        `if (!record.data) throw new Error("record: " + JSON.stringify(record.error));`,
        `const owner: number = record.data.data.owner.org;`,
        `const status: string = record.data.data.status;`,
        `const organization = await client.GET("/v1/organizations/{orgId}", { params: { path: { orgId: Number(org) } } });`,
        `if (!organization.data) throw new Error("organization: " + JSON.stringify(organization.error));`,
        `const name: string = organization.data.data.name;`,
        `const missing = await client.GET("/v1/records/{fingerprint}", { params: { path: { fingerprint: "0x12" } } });`,
        `const code: string | undefined = missing.error?.error.code;`,
        `// @ts-expect-error -- the document has no such route: the paths are typed, not any`,
        `void client.GET("/v1/no-such-route");`,
        `// @ts-expect-error -- a record answer has no such field: the answers are typed, not any`,
        `void record.data.data.noSuchField;`,
        `console.log(JSON.stringify({ owner, status, name, code, at: record.data.at.block.number }));`,
        ``,
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022"],
          types: ["node"],
          skipLibCheck: true,
          noEmitOnError: true,
          outDir: "out",
        },
        files: ["client.mts", "schema.mts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`the generated client does not compile:\n${error.stdout}`);
      },
    );
    const { stdout } = await run(process.execPath, [
      join(dir, "out", "client.mjs"),
      base,
      examples.fingerprint,
      String(examples.org),
    ]);
    const direct = await getJson<{
      at: { block: { number: string } };
      data: { owner: { org: number }; status: string };
    }>(base, `/v1/records/${examples.fingerprint}`);
    const organization = await getJson<{ data: { name: string } }>(base, `/v1/organizations/${examples.org}`);
    expect(JSON.parse(stdout)).to.deep.equal({
      owner: direct.body.data.owner.org,
      status: direct.body.data.status,
      name: organization.body.data.name,
      code: "InvalidFingerprint",
      at: direct.body.at.block.number,
    });
  });
});
