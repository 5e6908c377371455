/**
 * The system routes (/health, /ready, /status, /metrics) with the indexer running in the server's process, and the
 * organisation and event routes over the same store: one anvil, one random scenario, one SQLite store indexed live
 * while the server answers. Requests go through Fastify's `inject` (no socket): the routes are what is tested.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Hex } from "viem";
import { createIndexer, createStore, type Indexer, type IndexerStore } from "../../src/indexer";
import { createServer, type ProvledgerServer } from "../../src/server";
import { createServerMetrics } from "../../src/server/metrics";
import { randomActivity, setupConsortium, type Consortium } from "../helpers/activity";
import { startAnvil, type Anvil } from "../helpers/anvil";
import { marketActivity } from "../helpers/api";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers

const ORG_ARGUMENTS = ["orgId", "org", "ownerOrg", "grantorOrg", "granteeOrg", "fromOrg", "toOrg", "customsOrg"];

describe("server: system, organisation and event routes (in-process indexer)", function () {
  this.timeout(120_000);

  let anvil: Anvil;
  let consortium: Consortium;
  let dir: string;
  let store: IndexerStore;
  let indexer: Indexer;
  let running: Promise<void>;
  let server: ProvledgerServer;
  const readyBefore: number[] = [];

  async function get(path: string): Promise<{ status: number; body: Json; text: string; type: string }> {
    const response = await server.app.inject({ method: "GET", url: path });
    let body: Json = {};
    try {
      body = JSON.parse(response.body) as Json;
    } catch {
      // not JSON (metrics, CSV)
    }
    return { status: response.statusCode, body, text: response.body, type: String(response.headers["content-type"]) };
  }

  /** Every page of a paged route, following `next`. */
  async function all(path: string, limit = 3): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const separator = path.includes("?") ? "&" : "?";
      const answer = await get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(answer.status, answer.text).to.equal(200);
      const data = answer.body.data;
      items.push(...(Array.isArray(data) ? data : data.events));
      cursor = answer.body.next;
      if (cursor === null) return items;
    }
    throw new Error(`${path} did not end within 1000 pages`);
  }

  before(async () => {
    anvil = await startAnvil();
    consortium = await setupConsortium(anvil.url);
    await randomActivity(consortium, 21, 40);
    // Grants given and received across organisations, customs decisions, a transfer (the random steps may have none).
    await marketActivity(consortium);
    dir = mkdtempSync(join(tmpdir(), "provledger-system-"));
    const url = join(dir, "store.db");
    store = await createStore(url);
    await store.migrate();
    const metrics = createServerMetrics();
    indexer = createIndexer({
      rpcUrl: anvil.url,
      addresses: consortium.addresses,
      deploymentBlock: consortium.deployment.deploymentBlock,
      chainId: consortium.deployment.chainId,
      store,
      pollIntervalMs: 50,
      logger: pino({ level: "silent" }),
      rpc: { onRequest: metrics.onRpcRequest },
    });
    server = await createServer({ store: url, indexer, metrics, logger: false });
    readyBefore.push((await get("/ready")).status);
    running = indexer.run();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await get("/ready");
      if (ready.status === 200) break;
      readyBefore.push(ready.status);
      if (Date.now() > deadline) throw new Error(`never ready: ${ready.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    await indexer?.stop();
    await running?.catch(() => {});
    await server?.close();
    await store?.close();
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("system", () => {
    it("/health answers ok", async () => {
      const health = await get("/health");
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: "ok" });
    });

    it("/ready was 503 with a reason before the first checkpoint, 200 once the indexer is live at the head", async () => {
      expect(readyBefore[0]).to.equal(503);
      const ready = await get("/ready");
      expect(ready.status).to.equal(200);
      expect(ready.body).to.include({ ready: true, reason: null, phase: "live" });
      const head = await consortium.publicClient.getBlockNumber({ cacheTime: 0 });
      expect(BigInt(ready.body.indexedBlock)).to.equal(head);
    });

    it("/status names the anchor, the deployment, the indexer's position and the version", async () => {
      const status = await get("/status");
      expect(status.status).to.equal(200);
      const checkpoint = indexer.status().checkpoint!;
      expect(status.body.at.block.number).to.equal(checkpoint.blockNumber.toString());
      expect(status.body.at.block.hash).to.equal(checkpoint.blockHash.toLowerCase());
      expect(status.body.at.ledgerSequence).to.equal(checkpoint.ledgerSequence.toString());
      const { indexer: position, server: about } = status.body;
      expect(position.chainId).to.equal(consortium.deployment.chainId);
      expect(position.addresses).to.deep.equal({
        registry: consortium.addresses.registry.toLowerCase(),
        ledger: consortium.addresses.ledger.toLowerCase(),
        rights: consortium.addresses.rights.toLowerCase(),
      });
      expect(position.deploymentBlock).to.equal(consortium.deployment.deploymentBlock.toString());
      expect(position.phase).to.equal("live");
      expect(position.lagBlocks).to.equal("0");
      expect(position.eventCount).to.equal(checkpoint.eventCount.toString());
      expect(position.digest).to.equal(checkpoint.digest.toLowerCase());
      const version = (JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as Json).version;
      expect(about.version).to.equal(version);
      expect(about.uptimeSeconds).to.be.a("number").and.at.least(0);
    });

    it("/metrics has every metric, the indexed block, and RPC durations of the in-process indexer", async () => {
      await get("/health"); // one timed request at least
      const metrics = await get("/metrics");
      expect(metrics.status).to.equal(200);
      expect(metrics.type).to.match(/^text\/plain/);
      for (const name of [
        "provledger_indexed_block",
        "provledger_chain_head_block",
        "provledger_lag_blocks",
        "provledger_reorgs_total",
        "provledger_rpc_request_duration_seconds",
        "provledger_http_request_duration_seconds",
        "provledger_process_cpu_seconds_total",
      ]) {
        expect(metrics.text).to.include(`# TYPE ${name} `);
      }
      const value = (pattern: RegExp) => Number(metrics.text.match(pattern)?.[1]);
      const checkpoint = indexer.status().checkpoint!;
      expect(value(/^provledger_indexed_block (\S+)$/m)).to.equal(Number(checkpoint.blockNumber));
      expect(value(/^provledger_lag_blocks (\S+)$/m)).to.equal(0);
      expect(
        value(/^provledger_rpc_request_duration_seconds_count\{method="eth_getLogs",outcome="ok"\} (\S+)$/m),
      ).to.be.greaterThan(0);
      expect(
        value(/^provledger_rpc_request_duration_seconds_count\{method="eth_call",outcome="ok"\} (\S+)$/m),
      ).to.be.greaterThan(0);
      expect(
        value(/^provledger_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} (\S+)$/m),
      ).to.be.at.least(1);
      // A 404 is one label value, whatever the URL.
      await get("/no/such/route/1");
      await get("/no/such/route/2");
      const after = (await get("/metrics")).text;
      expect(after).to.match(/route="unmatched",status="404"\} 2$/m);
      expect(after).not.to.include("/no/such/route");
    });
  });

  describe("organisations", () => {
    it("profile: name, jurisdiction, roles, operators, and a status history ending in the current state", async () => {
      for (const [actor, id] of Object.entries(consortium.orgIds)) {
        const answer = await get(`/v1/organizations/${id}`);
        expect(answer.status, answer.text).to.equal(200);
        const org = answer.body.data;
        expect(org.id).to.equal(id);
        expect(org.operators).to.include(
          consortium.accounts[actor as keyof Consortium["orgIds"]].address.toLowerCase(),
        );
        const history = org.statusHistory as Json[];
        expect(history[0].event).to.equal("OrganizationRegistered");
        const last = history[history.length - 1]!;
        expect(last.status).to.equal(org.status);
        expect(last.roles).to.equal(org.roles.bits);
        expect(last.jurisdiction).to.deep.equal(org.jurisdiction);
        expect(last.timeIso).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
      const agency = (await get("/v1/organizations/1")).body.data;
      expect(agency.name).to.equal("Open Data Bureau");
      expect(agency.jurisdiction.code).to.equal("CN-GD");
      expect(agency.roles.names).to.include.members(["registrar", "trader"]);
    });

    it("unknown and malformed organisation ids are 404 UnknownOrganization and 400 InvalidOrganization", async () => {
      const unknown = await get("/v1/organizations/999");
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal("UnknownOrganization");
      for (const bad of ["abc", "-1", "4294967296", "1.5"]) {
        const answer = await get(`/v1/organizations/${bad}`);
        expect(answer.status, bad).to.equal(400);
        expect(answer.body.error.code, bad).to.equal("InvalidOrganization");
      }
    });

    it("records: every record it owns now, once, paged by fingerprint", async () => {
      const rows = await store.rows("records");
      for (const id of Object.values(consortium.orgIds)) {
        const owned = rows.filter((row) => row.ownerOrg === id).map((row) => row.fingerprint.toLowerCase());
        const listed = (await all(`/v1/organizations/${id}/records`, 2)).map((record) => record.fingerprint);
        expect(listed).to.deep.equal([...owned].sort());
      }
    });

    it("grants: given, received and both match the projection", async () => {
      const rows = await store.rows("grants");
      expect(rows.length, "the scenario issued grants").to.be.greaterThan(0);
      const key = (grant: Json) => `${grant.fingerprint.toLowerCase()}:${grant.granteeOrg}`;
      for (const id of Object.values(consortium.orgIds)) {
        const given = (await all(`/v1/organizations/${id}/grants?side=given`)).map(key);
        const received = (await all(`/v1/organizations/${id}/grants?side=received`)).map(key);
        const both = (await all(`/v1/organizations/${id}/grants`)).map(key);
        expect(given).to.have.members(rows.filter((row) => row.grantorOrg === id).map(key));
        expect(received).to.have.members(rows.filter((row) => row.granteeOrg === id).map(key));
        expect(both).to.have.members([...new Set([...given, ...received])]);
      }
    });

    it("activity: the events naming the organisation, split exactly by a half-open time range", async () => {
      const events = await all("/v1/organizations/1/activity", 10);
      expect(events.length).to.be.greaterThan(3);
      for (const event of events) {
        expect(
          ORG_ARGUMENTS.some((name) => Number(event.args[name]) === 1),
          event.name,
        ).to.equal(true);
      }
      expect(events).to.deep.equal(await all("/v1/events?org=1", 7));
      const middle = events[Math.floor(events.length / 2)]!;
      const before = await all(`/v1/organizations/1/activity?to=${middle.time}`, 8);
      const from = new Date(Number(middle.time) * 1000).toISOString();
      const after = await all(`/v1/organizations/1/activity?from=${from}`, 8);
      expect([...before, ...after]).to.deep.equal(events);
      expect(after[0]!.time).to.equal(middle.time);
      expect(before.every((event) => BigInt(event.time) < BigInt(middle.time))).to.equal(true);
    });

    it("activity: bad periods are 400 InvalidRange", async () => {
      for (const query of ["from=yesterday", "from=2026-13-45T00:00:00Z", "to=2026-01-01T00:00:00", "from=10&to=10"]) {
        const answer = await get(`/v1/organizations/1/activity?${query}`);
        expect(answer.status, query).to.equal(400);
        expect(answer.body.error.code, query).to.equal("InvalidRange");
      }
    });

    it("activity.csv and activity.prov.json render the same events, the same bytes each time", async () => {
      const events = await all("/v1/organizations/1/activity", 1000);
      const csv = await get("/v1/organizations/1/activity.csv");
      expect(csv.status, csv.text).to.equal(200);
      expect(csv.type).to.match(/^text\/csv/);
      const lines = csv.text.trimEnd().split("\r\n");
      expect(lines.length).to.equal(events.length + 1);
      expect((await get("/v1/organizations/1/activity.csv")).text).to.equal(csv.text);
      const prov = await get("/v1/organizations/1/activity.prov.json");
      expect(prov.status, prov.text).to.equal(200);
      expect(prov.body.prefix).to.be.an("object");
      expect((await get("/v1/organizations/1/activity.prov.json")).text).to.equal(prov.text);
    });
  });

  describe("events", () => {
    it("unfiltered pages cover every stored event once, in chain order", async () => {
      const events = await all("/v1/events", 50);
      expect(BigInt(events.length)).to.equal(indexer.status().checkpoint!.eventCount);
      for (let i = 1; i < events.length; i++) {
        const [a, b] = [events[i - 1]!, events[i]!];
        const order = BigInt(a.blockNumber) - BigInt(b.blockNumber) || BigInt(a.logIndex - b.logIndex);
        expect(order < 0n, `${i}`).to.equal(true);
      }
      const stamped = events.find((event) => event.stamp !== null)!;
      expect(stamped.stamp.ledgerSequence).to.match(/^\d+$/);
      expect(stamped.args).not.to.have.property("stamp");
    });

    it("kind, record, org and block range filter, each alone and together", async () => {
      const events = await all("/v1/events", 1000);
      const registered = await all("/v1/events?kind=RecordRegistered", 4);
      expect(registered).to.deep.equal(events.filter((event) => event.name === "RecordRegistered"));

      const fingerprint = registered[0]!.args.fingerprint as Hex;
      const trail = await all(`/v1/events?record=${fingerprint.toUpperCase().replace("0X", "0x")}`, 2);
      expect(trail.length).to.be.greaterThan(0);
      expect(trail[0]!.name).to.equal("RecordRegistered");
      for (const event of trail) expect(event.args.fingerprint).to.equal(fingerprint);
      expect(trail.map((event) => event.stamp.recordLength)).to.deep.equal(trail.map((_, i) => String(i + 1)));

      const middle = BigInt(events[Math.floor(events.length / 2)]!.blockNumber);
      const ranged = await all(`/v1/events?fromBlock=${middle}&toBlock=${middle + 2n}`, 3);
      expect(ranged).to.deep.equal(
        events.filter((event) => BigInt(event.blockNumber) >= middle && BigInt(event.blockNumber) <= middle + 2n),
      );

      const combined = await all(`/v1/events?kind=RecordRegistered&org=1&fromBlock=${middle}`, 2);
      expect(combined).to.deep.equal(
        registered.filter((event) => event.args.ownerOrg === 1 && BigInt(event.blockNumber) >= middle),
      );
      const recordAndOrg = await all(`/v1/events?record=${fingerprint}&org=${registered[0]!.args.ownerOrg}`);
      expect(recordAndOrg.length).to.be.greaterThan(0);
      expect(recordAndOrg.every((event) => event.args.fingerprint === fingerprint)).to.equal(true);
    });

    it("refuses an unknown kind (listing the names), a bad cursor, another route's cursor and an inverted range", async () => {
      const kind = await get("/v1/events?kind=RecordStolen");
      expect(kind.status).to.equal(400);
      expect(kind.body.error.hint).to.include("RecordRegistered");
      const cursor = await get("/v1/events?cursor=not-a-cursor");
      expect(cursor.body.error.code).to.equal("InvalidCursor");
      const activity = await get("/v1/organizations/1/activity?limit=1");
      const foreign = await get(`/v1/events?cursor=${activity.body.next}`);
      expect(foreign.body.error.code).to.equal("InvalidCursor");
      const range = await get("/v1/events?fromBlock=10&toBlock=9");
      expect(range.body.error.code).to.equal("InvalidRange");
      const limit = await get("/v1/events?limit=1001");
      expect(limit.body.error.code).to.equal("LimitOverMax");
    });
  });
});
