/**
 * The activity exports' reader (src/server/queries/activity.ts) against the JSON route's (queryActivity): the same
 * events with the same values, in the same order, for every event kind the benchmark's generator makes, in pages of
 * any size, with cursors, periods and limits; and an irregular log answered as eventAnswer answers it.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStore, openStoreReader, type StoreReader } from "../../../src/indexer/store";
import { exportEventAnswer, iterateActivity, type ActivityParams } from "../../../src/server/queries/activity";
import { queryActivity, type EventAnswer } from "../../../src/server/queries/events";
import { seedStore, type SeedManifest } from "../../../bench/seed";
import { createServer } from "../../../src/server";
import { activityCsvRows, activityToCsv, activityToProvJson, type ExportEvent } from "../../../src/server/exports";
import { organizationsOf } from "../../../src/server/exports/common";
import { atOf } from "../../../src/server/envelope";
import { readAnchor } from "../../../src/indexer/store";
import { organizationNames } from "../../../src/server/queries/organizations";

async function all(reader: StoreReader, params: ActivityParams) {
  return reader.read(async (db) => {
    const pages: EventAnswer[][] = [];
    const iterator = iterateActivity(db, params);
    let step = await iterator.next();
    for (; !step.done; step = await iterator.next()) pages.push(step.value);
    return { pages, end: step.value };
  });
}

describe("exports: the activity reader gives the JSON route's events", function () {
  this.timeout(120_000);
  let dir: string;
  let reader: StoreReader;
  let manifest: SeedManifest;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "provledger-activity-"));
    const path = join(dir, "store.sqlite");
    const store = createStore(path);
    try {
      manifest = await seedStore(store, {
        events: 4_000,
        orgs: 20,
        busyOrgs: 3,
        lineageNodes: 200,
        lineageDepth: 5,
        hotRecords: 2,
        hotTrail: 200,
        range: 1_000,
        seed: 3,
      });
    } finally {
      await store.close();
    }
    reader = openStoreReader(path);
  });

  after(async () => {
    await reader?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("every event of every busy organisation, in pages of any size, with the same values and end", async () => {
    const kinds = new Set<string>();
    for (const { org, events } of manifest.busyOrgs) {
      const expected = await reader.read((db) => queryActivity(db, { org, limit: 100_000 }));
      expect(expected.events).to.have.length(events);
      for (const batch of [7, 5_000]) {
        const { pages, end } = await all(reader, { org, limit: 100_000, batch });
        expect(pages.flat()).to.deep.equal(expected.events);
        for (const page of pages) expect(page.length).to.be.within(1, batch);
        expect(end).to.deep.equal({ more: false, last: expected.last });
      }
      for (const event of expected.events) kinds.add(event.name);
    }
    // Pages of one row, and a limit that ends within a page.
    const { org } = manifest.busyOrgs[0]!;
    const first = await reader.read((db) => queryActivity(db, { org, limit: 150 }));
    const ones = await all(reader, { org, limit: 150, batch: 1 });
    expect(ones.pages.flat()).to.deep.equal(first.events);
    expect(ones.end).to.deep.equal({ more: true, last: first.last });
    // The generator's kinds: registrations with parents, grants, transfers, batches, governance.
    expect(kinds.size).to.be.at.least(10);
    expect([...kinds]).to.include.members(["RecordRegistered", "GrantIssued", "BatchAnchored", "TransferOffered"]);
  });

  it("a limit, a cursor and a period: the same page and the same `more` as the JSON route", async () => {
    const { org } = manifest.busyOrgs[1]!;
    const whole = await reader.read((db) => queryActivity(db, { org, limit: 100_000 }));
    const middle = whole.events[Math.floor(whole.events.length / 3)]!;
    const after = { block: BigInt(middle.blockNumber), logIndex: middle.logIndex };
    const from = BigInt(whole.events[100]!.time);
    const to = BigInt(whole.events[whole.events.length - 100]!.time);
    for (const params of [
      { org, limit: 250 },
      { org, limit: 250, after },
      { org, limit: whole.events.length },
      { org, limit: whole.events.length - 1 },
      { org, limit: 100_000, from, to },
      { org, limit: 300, from, after },
      { org, limit: 10, from: to, to: from + 1n },
    ]) {
      const expected = await reader.read((db) => queryActivity(db, params));
      for (const batch of [97, 5_000]) {
        const { pages, end } = await all(reader, { ...params, batch });
        expect(pages.flat()).to.deep.equal(expected.events);
        expect(end.more).to.equal(expected.more);
        if (expected.events.length > 0) expect(end.last).to.deep.equal(expected.last);
      }
    }
  });

  it("an irregular log goes to eventAnswer: answered as the JSON route answers it, or refused alike", async () => {
    const row = await reader.read(async (db) =>
      db
        .selectFrom("events as e")
        .innerJoin("blocks as b", "b.number", "e.block_number")
        .selectAll("e")
        .select("b.timestamp")
        .where("e.event_name", "=", "RecordRegistered")
        .limit(1)
        .executeTakeFirstOrThrow(),
    );
    const regular = exportEventAnswer(row);
    // A truncated payload: the fast readers refuse it, and so does the store's decoder behind eventAnswer.
    expect(() => exportEventAnswer({ ...row, data: row.data.slice(0, 66) })).to.throw(/does not decode/);
    // Upper-case hex in a topic and the payload: the same answer (lower-case), through either path.
    const upper = exportEventAnswer({ ...row, data: row.data.toUpperCase().replace(/^0X/, "0x") });
    expect(upper).to.deep.equal(regular);
  });

  it("the export routes: the renderers' bytes of the JSON route's events, split by limit and cursor", async () => {
    const { org } = manifest.busyOrgs[2]!;
    const server = await createServer({ store: reader, logger: false });
    try {
      const { events, names, at } = await reader.read(async (db) => {
        const page = await queryActivity(db, { org, limit: 100_000 });
        const ids = new Set<number>([org]);
        for (const event of page.events) for (const [, id] of organizationsOf(event as never)) ids.add(id);
        return {
          events: page.events as unknown as ExportEvent[],
          names: await organizationNames(
            db,
            [...ids].sort((a, b) => a - b),
          ),
          at: atOf((await readAnchor(db))!),
        };
      });
      // The CSV route renders page by page: pages' rows (the header with the first) join to the whole document.
      const paged = [0, 97, 250, 251, events.length]
        .slice(0, -1)
        .map((start, i, starts) => events.slice(start, starts[i + 1] ?? events.length));
      const pagedText = paged
        .map((list, i) => [...activityCsvRows(list, paged.slice(0, i).flat().length, i === 0)].map(String).join(""))
        .join("");
      expect(pagedText).to.equal(activityToCsv({ org, from: null, to: null, events }));
      const part = Math.ceil(events.length / 2) + 3;
      const parts = [events.slice(0, part), events.slice(part)];
      const organizations = (list: ExportEvent[]) => {
        const ids = new Set<number>([org]);
        for (const event of list) for (const [, id] of organizationsOf(event)) ids.add(id);
        return [...ids].sort((a, b) => a - b).map((id) => ({ id, name: names.get(id) ?? null }));
      };
      for (const [file, render] of [
        ["activity.csv", (list: ExportEvent[]) => activityToCsv({ org, from: null, to: null, events: list })],
        [
          "activity.prov.json",
          (list: ExportEvent[]) =>
            activityToProvJson({
              org: { id: org, name: names.get(org) ?? null },
              from: null,
              to: null,
              events: list,
              organizations: organizations(list),
              at,
            }),
        ],
      ] as const) {
        const whole = await server.app.inject({ url: `/v1/organizations/${org}/${file}?limit=100000` });
        expect(whole.statusCode, whole.body).to.equal(200);
        expect(whole.headers["x-next-cursor"]).to.equal(undefined);
        expect(whole.body).to.equal(render(events));
        const first = await server.app.inject({ url: `/v1/organizations/${org}/${file}?limit=${part}` });
        expect(first.body).to.equal(render(parts[0]!));
        const cursor = String(first.headers["x-next-cursor"]);
        const second = await server.app.inject({
          url: `/v1/organizations/${org}/${file}?limit=${part}&cursor=${encodeURIComponent(cursor)}`,
        });
        expect(second.body).to.equal(render(parts[1]!));
        expect(second.headers["x-next-cursor"]).to.equal(undefined);
      }
    } finally {
      await server.app.close();
    }
  });

  it("refuses a batch that is not a positive integer", async () => {
    for (const batch of [0, -1, 1.5]) {
      const error = await all(reader, { org: 1, limit: 10, batch }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).to.be.instanceOf(RangeError).with.property("message").that.matches(/batch/);
    }
  });
});
