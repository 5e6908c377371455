/**
 * The server core on one real scenario: anvil, random activity indexed into SQLite by the real indexer, the API over
 * that store through Fastify's inject (no sockets). Each of the core's routes answers with the envelope and data
 * that agree with the store and the contracts; every way a request can be wrong maps to its JSON error; the
 * OpenAPI document is 3.1 and lists the routes. (test/server/views.test.ts holds every answer equal to the views;
 * test/server/badInput.test.ts runs the large corpus.)
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { zeroHash, type Hex } from "viem";
import { createIndexer, createStore } from "../../src/indexer";
import { createServer, type ProvledgerServer } from "../../src/server";
import { buildRegistrationReceipt, dataRightsAbi, provenanceLedgerAbi } from "../../src/sdk";
import { randomActivity, setupConsortium, type Consortium } from "../helpers/activity";
import { startAnvil } from "../helpers/anvil";
import { underCoverage } from "../helpers/coverage";

type Anvil = Awaited<ReturnType<typeof startAnvil>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const silent = pino({ level: "silent" });
const FP = /^0x[0-9a-f]{64}$/;

describe("server core: records, trail, lineage, authorizations, verdicts, errors, OpenAPI", function () {
  this.timeout(240_000);
  let anvil: Anvil;
  let consortium: Consortium;
  let dir: string;
  let server: ProvledgerServer;
  let anchorBlock: bigint;

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await server.app.inject({ method: "GET", url, headers });
    return { status: response.statusCode, body: response.json() as Json, headers: response.headers };
  };
  const expectError = async (
    request: Promise<{ status: number; body: Json }>,
    status: number,
    code: string,
  ): Promise<Json> => {
    const { status: got, body } = await request;
    expect(body.error?.code, JSON.stringify(body)).to.equal(code);
    expect(got).to.equal(status);
    expect(body.error.message).to.be.a("string").and.not.empty;
    expect(body.error.hint).to.be.a("string").and.not.empty;
    expect(body.requestId).to.be.a("string").and.not.empty;
    expect(JSON.stringify(body)).not.to.match(/\s+at .*\.(ts|js):\d+/);
    return body;
  };

  before(async function () {
    if (underCoverage()) this.skip();
    anvil = await startAnvil();
    consortium = await setupConsortium(anvil.url);
    await randomActivity(consortium, 9, 90);
    dir = mkdtempSync(join(tmpdir(), "provledger-api-"));
    const path = join(dir, "store.sqlite");
    const indexer = createIndexer({
      rpcUrl: consortium.url,
      addresses: consortium.addresses,
      deploymentBlock: consortium.deployment.deploymentBlock,
      chainId: consortium.deployment.chainId,
      store: path,
      pollIntervalMs: 50,
      logger: silent,
      once: true,
    });
    await indexer.run();
    anchorBlock = indexer.status().checkpoint!.blockNumber;
    server = await createServer({ store: path, logger: false });
  });
  after(async () => {
    await server?.close();
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fingerprints = () => consortium.created.fingerprints.map((f) => f.toLowerCase() as Hex);

  function expectEnvelope(body: Json): void {
    expect(body.at.block.number).to.equal(anchorBlock.toString());
    expect(body.at.block.hash).to.match(FP);
    expect(body.at.block.timestamp).to.match(/^\d+$/);
    expect(body.at.block.timeIso).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.at.ledgerSequence).to.match(/^\d+$/);
    expect(body.at.ledgerHead).to.match(FP);
    expect(body.at.finalized).to.be.a("boolean");
  }

  it("GET /v1/records/:fingerprint answers the record as the contract's views say", async () => {
    const ledger = consortium.addresses.ledger;
    for (const fingerprint of fingerprints().slice(0, 8)) {
      const { status, body } = await get(`/v1/records/${fingerprint.toUpperCase().replace("0X", "0x")}`);
      expect(status, JSON.stringify(body)).to.equal(200);
      expectEnvelope(body);
      const view = await consortium.publicClient.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "getRecord",
        args: [fingerprint],
        blockNumber: anchorBlock,
      });
      const record = body.data;
      expect(record.fingerprint).to.equal(fingerprint);
      expect(record.owner.org).to.equal(view.ownerOrg);
      expect(record.withdrawn).to.equal(view.withdrawn);
      expect(record.frozen).to.equal(view.frozen);
      expect(record.supersededBy).to.equal(view.supersededBy === zeroHash ? null : view.supersededBy);
      expect(record.dataClass).to.equal(view.dataClass);
      expect(record.versions).to.include(fingerprint);
      const [latest] = await consortium.publicClient.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "latestVersion",
        args: [fingerprint],
        blockNumber: anchorBlock,
      });
      expect(record.latestVersion).to.equal(latest.toLowerCase());
      expect(record.versions[record.versions.length - 1]).to.equal(record.latestVersion);
      const expected = view.withdrawn
        ? "withdrawn"
        : view.frozen
          ? "frozen"
          : view.supersededBy !== zeroHash
            ? "superseded"
            : "current";
      expect(record.status).to.equal(expected);
    }
  });

  it("GET /v1/records/:fingerprint/trail pages through the whole trail, oldest first, ending at the head", async () => {
    const fingerprint = fingerprints()[0]!;
    const entries: Json[] = [];
    let url = `/v1/records/${fingerprint}/trail?limit=2`;
    let length = "";
    let head = "";
    for (let pages = 0; pages < 100; pages++) {
      const { status, body } = await get(url);
      expect(status, JSON.stringify(body)).to.equal(200);
      expectEnvelope(body);
      expect(body).to.have.property("next");
      ({ length, head } = body.data);
      entries.push(...body.data.entries);
      if (body.next === null) break;
      url = `/v1/records/${fingerprint}/trail?limit=2&cursor=${body.next}`;
    }
    expect(entries.map((entry) => entry.position)).to.deep.equal(entries.map((_, i) => i + 1));
    expect(String(entries.length)).to.equal(length);
    expect(entries[0]!.event.name).to.equal("RecordRegistered");
    expect(entries[entries.length - 1]!.stamp.recordHead).to.equal(head);
    const [onChainHead, onChainLength] = await consortium.publicClient.readContract({
      address: consortium.addresses.ledger,
      abi: provenanceLedgerAbi,
      functionName: "trailHead",
      args: [fingerprint],
      blockNumber: anchorBlock,
    });
    expect(head).to.equal(onChainHead.toLowerCase());
    expect(length).to.equal(onChainLength.toString());
    // A cursor names its record: another record's trail refuses it.
    const first = await get(`/v1/records/${fingerprint}/trail?limit=1`);
    await expectError(get(`/v1/records/${fingerprints()[1]}/trail?cursor=${first.body.next}`), 400, "InvalidCursor");
  });

  it("GET /v1/records/:fingerprint/lineage walks parents up and children down", async () => {
    const withParents = [];
    for (const fingerprint of fingerprints()) {
      const { body } = await get(`/v1/records/${fingerprint}`);
      if (body.data.parents.length > 0) withParents.push(body.data);
    }
    expect(withParents.length, "the scenario derives some records").to.be.greaterThan(0);
    const child = withParents[0]!;
    const up = await get(`/v1/records/${child.fingerprint}/lineage?direction=up&depth=1`);
    expect(up.status, JSON.stringify(up.body)).to.equal(200);
    expectEnvelope(up.body);
    expect(up.body.data.nodes[0]).to.include({ fingerprint: child.fingerprint, level: 0 });
    const parents = up.body.data.nodes.filter((node: Json) => node.level === -1).map((node: Json) => node.fingerprint);
    expect(parents).to.deep.equal(child.parents.map((p: Json) => p.fingerprint).sort());
    expect(up.body.data.edges.length).to.equal(child.parents.length);
    const parent = child.parents[0].fingerprint;
    const down = await get(`/v1/records/${parent}/lineage?direction=down&depth=1`);
    expect(down.body.data.nodes.map((node: Json) => node.fingerprint)).to.include(child.fingerprint);
    // The node cap stops the walk and says so.
    const capped = await get(`/v1/records/${child.fingerprint}/lineage?direction=up&limit=1`);
    expect(capped.body.data).to.include({ truncated: true, truncatedBy: "nodes" });
    expect(capped.body.data.nodes).to.have.length(1);
  });

  it("GET /v1/authorizations gives the contract's authorization verdict at the answer's block", async () => {
    const orgs = Object.values(consortium.orgIds);
    const rights = consortium.addresses.rights;
    let checked = 0;
    for (const fingerprint of fingerprints().slice(0, 6)) {
      for (const org of orgs.slice(0, 4)) {
        for (const [scope, bits] of [
          ["use", 1],
          ["derive", 2],
          ["use+redistribute", 5],
        ] as const) {
          const { status, body } = await get(`/v1/authorizations?record=${fingerprint}&org=${org}&scope=${scope}`);
          expect(status, JSON.stringify(body)).to.equal(200);
          const [code, grantId] = await consortium.publicClient.readContract({
            address: rights,
            abi: dataRightsAbi,
            functionName: "authorization",
            args: [fingerprint, org, bits],
            blockNumber: anchorBlock,
          });
          expect(body.data.verdict, `${fingerprint} org ${org} ${scope}`).to.equal(code);
          expect(body.data.grantId).to.equal(grantId.toString());
          expect(body.data.allowed).to.equal(code <= 1);
          expect(body.data.reason).to.be.a("string").and.not.empty;
          checked++;
        }
      }
    }
    expect(checked).to.equal(72);
  });

  it("verdicts: a fingerprint's standing; a real receipt is valid, a tampered one names the failed check", async () => {
    const fingerprint = fingerprints()[0]!;
    const standing = await get(`/v1/verdicts/${fingerprint}`);
    expect(standing.status, JSON.stringify(standing.body)).to.equal(200);
    expect(standing.body.data.standing.exists).to.equal(true);
    expect(standing.body.data.authentic).to.equal(null);
    const trail = await get(`/v1/records/${fingerprint}/trail?limit=1`);
    const receipt = await buildRegistrationReceipt(consortium.publicClient, {
      ledger: consortium.addresses.ledger,
      transactionHash: trail.body.data.entries[0].event.transactionHash,
      fingerprint,
    });
    const post = (body: unknown) =>
      server.app.inject({ method: "POST", url: "/v1/verdicts", payload: body as object }).then((response) => ({
        status: response.statusCode,
        body: response.json() as Json,
      }));
    const good = await post(receipt);
    expect(good.status, JSON.stringify(good.body)).to.equal(200);
    expectEnvelope(good.body);
    const failed = good.body.data.checks.filter((check: Json) => !check.ok).map((check: Json) => check.name);
    expect(good.body.data.authentic, JSON.stringify(failed)).to.equal(true);
    expect(good.body.data.checks.map((check: Json) => check.name)).to.include.members([
      "indexed block",
      "indexed event",
      "trail position",
      "record exists",
    ]);
    const wrongBlock = { ...receipt, transaction: { ...receipt.transaction, blockHash: `0x${"ab".repeat(32)}` } };
    const tampered = await post(wrongBlock);
    expect(tampered.body.data.authentic).to.equal(false);
    const bad = tampered.body.data.checks.filter((check: Json) => !check.ok).map((check: Json) => check.name);
    expect(bad).to.include("indexed block");
    await expectError(post({ version: 1, kind: "registration" }), 422, "InvalidReceipt");
  });

  it("maps every kind of bad request to its JSON error code, with the request id", async () => {
    const fingerprint = fingerprints()[0]!;
    await expectError(get("/v1/records/0x1234"), 400, "InvalidFingerprint");
    await expectError(get(`/v1/records/${"0x" + "00".repeat(32)}`), 404, "UnknownRecord");
    await expectError(get(`/v1/records/${fingerprint}/trail?cursor=%%%`), 400, "InvalidCursor");
    await expectError(get(`/v1/records/${fingerprint}/trail?cursor=bm90IGpzb24`), 400, "InvalidCursor");
    await expectError(get(`/v1/records/${fingerprint}/trail?limit=1001`), 400, "LimitOverMax");
    await expectError(get(`/v1/records/${fingerprint}/trail?limit=0`), 400, "InvalidRequest");
    await expectError(get(`/v1/records/${fingerprint}/trail?dept=3`), 400, "InvalidRequest");
    await expectError(get(`/v1/records/${fingerprint}/lineage?depth=101`), 400, "DepthOverLimit");
    await expectError(get(`/v1/records/${fingerprint}/lineage?limit=10001`), 400, "LimitOverMax");
    await expectError(get(`/v1/records/${fingerprint}/lineage?direction=sideways`), 400, "InvalidRequest");
    await expectError(get(`/v1/authorizations?record=${fingerprint}&org=x&scope=use`), 400, "InvalidOrganization");
    await expectError(get(`/v1/authorizations?record=${fingerprint}&org=1&scope=read`), 400, "InvalidScope");
    await expectError(get(`/v1/authorizations?org=1`), 400, "InvalidFingerprint");
    await expectError(get("/v1/nowhere"), 404, "UnknownRoute");
    const wrongMethod = await server.app.inject({ method: "DELETE", url: `/v1/records/${fingerprint}` });
    await expectError(
      Promise.resolve({ status: wrongMethod.statusCode, body: wrongMethod.json() }),
      405,
      "MethodNotAllowed",
    );
    expect(wrongMethod.headers.allow).to.include("GET");
    const post = async (payload: string, contentType = "application/json") => {
      const response = await server.app.inject({
        method: "POST",
        url: "/v1/verdicts",
        payload,
        headers: { "content-type": contentType },
      });
      return { status: response.statusCode, body: response.json() as Json };
    };
    await expectError(post("{not json"), 400, "MalformedJson");
    await expectError(post("[1,2]"), 422, "InvalidReceipt");
    await expectError(post(JSON.stringify({ pad: "x".repeat(300 * 1024) })), 413, "BodyTooLarge");
    await expectError(post("hello", "text/plain"), 415, "UnsupportedMediaType");

    const honoured = await get(`/v1/records/${fingerprint}`, { "x-request-id": "client-42" });
    expect(honoured.headers["x-request-id"]).to.equal("client-42");
    const replaced = await get("/v1/nowhere", { "x-request-id": "bad id with spaces" });
    expect(replaced.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
    expect(replaced.body.requestId).to.equal(replaced.headers["x-request-id"]);
  });

  it("answers 503 NotIndexed from a store without a checkpoint", async () => {
    const path = join(dir, "empty.sqlite");
    const store = createStore(path);
    await store.migrate();
    await store.close();
    const empty = await createServer({ store: path, logger: false });
    try {
      const response = await empty.app.inject({ method: "GET", url: `/v1/records/${fingerprints()[0]}` });
      expect(response.statusCode).to.equal(503);
      expect(response.json().error.code).to.equal("NotIndexed");
    } finally {
      await empty.close();
    }
  });

  it("serves an OpenAPI 3.1 document listing the routes, with their parameters and answers", async () => {
    const { status, body } = await get("/openapi.json");
    expect(status).to.equal(200);
    expect(body.openapi).to.equal("3.1.0");
    for (const path of [
      "/v1/records/{fingerprint}",
      "/v1/records/{fingerprint}/trail",
      "/v1/records/{fingerprint}/lineage",
      "/v1/authorizations",
      "/v1/verdicts/{fingerprint}",
    ]) {
      expect(body.paths, path).to.have.property(path);
      expect(body.paths[path].get.responses).to.have.property("200");
    }
    expect(body.paths["/v1/verdicts"].post.requestBody).to.exist;
    expect(body.components.schemas).to.include.keys("At", "ErrorBody", "Record", "TrailAnswerEntry", "Lineage");
  });
});
