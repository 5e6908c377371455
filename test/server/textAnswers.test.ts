/**
 * The trail route's answer is JSON text built by the query (trailPageText: entries as SQLite's json_object or
 * PostgreSQL's row_to_json, joined in SQL), not objects through the route's serialiser. It must be the same answer as
 * the object path (trailPage through `answer`, whose entries views.test.ts checks against the chain): on both
 * dialects, for every record and several page sizes, page after page, and for a page with a time after year 9999
 * (SQL's date functions stop there, so such a page is rendered by the object path: the ISO times must still agree).
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { openStoreReader, type StoreReader } from "../../src/indexer/store";
import { answer } from "../../src/server/envelope";
import { inSnapshot } from "../../src/server/queries/common";
import { trailPage, trailPageText } from "../../src/server/queries/trail";
import { startApiFixture, type ApiFixture, type ApiStore } from "../helpers/api";
import { underCoverage } from "../helpers/coverage";

const DIALECTS = ["sqlite", "postgres"] as const;

describe("server: answers built as JSON text in the query", function () {
  this.timeout(240_000);
  let fixture: ApiFixture;

  before(async function () {
    if (underCoverage()) return this.skip();
    fixture = await startApiFixture({ seed: 11, steps: 50, dialects: DIALECTS });
  });
  after(async () => fixture?.close());

  async function fingerprintsOf(store: ApiStore): Promise<Hex[]> {
    const events = await store.get<{ data: { args: { fingerprint?: Hex } }[] }>(
      "/v1/events?kind=RecordRegistered&limit=1000",
    );
    expect(events.status).to.equal(200);
    return events.body.data.map((event) => event.args.fingerprint!);
  }

  /** Both renderings of one page, parsed; and the text's `next`. */
  async function bothPages(reader: StoreReader, fingerprint: Hex, limit: number, cursor?: string) {
    const options = { limit, ...(cursor === undefined ? {} : { cursor }) };
    return inSnapshot(reader, async (db, anchor) => {
      const objects = await trailPage(db, fingerprint, options, anchor);
      const text = await trailPageText(db, fingerprint, options, anchor);
      return {
        expected: JSON.parse(JSON.stringify(answer(objects.anchor, objects.data, objects.next))) as {
          next: string | null;
          data: { entries: { timeIso: string | null }[] };
        },
        text,
      };
    });
  }

  /** Walks every page of `fingerprint`'s trail at `limit`, comparing the two renderings; returns the entries seen. */
  async function walk(reader: StoreReader, fingerprint: Hex, limit: number): Promise<number> {
    let cursor: string | undefined;
    let entries = 0;
    for (let page = 0; page < 1_000; page++) {
      const { expected, text } = await bothPages(reader, fingerprint, limit, cursor);
      expect(JSON.parse(text), `${fingerprint} page ${page} at limit ${limit}`).to.deep.equal(expected);
      entries += expected.data.entries.length;
      if (!expected.next) return entries;
      cursor = expected.next;
    }
    throw new Error(`the trail of ${fingerprint} did not end`);
  }

  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let reader: StoreReader;
      before(function () {
        if (!fixture) return this.skip();
        reader = openStoreReader(fixture.store(dialect).storeUrl);
      });
      after(async () => reader?.close());

      it("a trail page's text is the object path's answer, for every record, page after page, at limits 1, 2 and 1000", async () => {
        const fingerprints = await fingerprintsOf(fixture.store(dialect));
        expect(fingerprints.length).to.be.at.least(5);
        let longest = 0;
        for (const fingerprint of fingerprints) {
          const total = await walk(reader, fingerprint, 1000);
          expect(await walk(reader, fingerprint, 1)).to.equal(total);
          expect(await walk(reader, fingerprint, 2)).to.equal(total);
          longest = Math.max(longest, total);
        }
        // Paging was exercised: some trail spans several pages of 2.
        expect(longest).to.be.at.least(3);
      });

      it("an unknown record is 404 UnknownRecord, and a cursor of another record's trail 400 InvalidCursor", async () => {
        const unknown = `0x${"ab".repeat(32)}` as Hex;
        const failure = await inSnapshot(reader, (db, anchor) =>
          trailPageText(db, unknown, { limit: 10 }, anchor),
        ).then(
          () => undefined,
          (error: { code?: string }) => error,
        );
        expect(failure?.code).to.equal("UnknownRecord");
        const fingerprints = await fingerprintsOf(fixture.store(dialect));
        let paged: { fingerprint: Hex; next: string } | undefined;
        for (const fingerprint of fingerprints) {
          const page = await bothPages(reader, fingerprint, 1);
          if (page.expected.next) paged = { fingerprint, next: page.expected.next };
          if (paged) break;
        }
        expect(paged, "some record's trail has a second page").to.not.equal(undefined);
        const other = fingerprints.find((fingerprint) => fingerprint !== paged!.fingerprint)!;
        const refused = await inSnapshot(reader, (db, anchor) =>
          trailPageText(db, other, { limit: 1, cursor: paged!.next }, anchor),
        ).then(
          () => undefined,
          (error: { code?: string }) => error,
        );
        expect(refused?.code).to.equal("InvalidCursor");
      });

      it("a page with a time after year 9999 gives the same ISO times as isoTime (the object path renders it)", async () => {
        const store = fixture.store(dialect);
        const [fingerprint] = await fingerprintsOf(store);
        const where = `fingerprint = '${fingerprint}' AND position = 1`;
        // 253402300800 is 10000-01-01T00:00:00Z, beyond SQL's date functions.
        await store.exec(`UPDATE record_trail SET time = time + 253402300800 WHERE ${where}`);
        try {
          const { expected, text } = await bothPages(reader, fingerprint!, 10);
          expect(expected.data.entries[0]!.timeIso).to.match(/^\+01\d{4}-/);
          expect(JSON.parse(text)).to.deep.equal(expected);
        } finally {
          await store.exec(`UPDATE record_trail SET time = time - 253402300800 WHERE ${where}`);
        }
        await walk(reader, fingerprint!, 10);
      });
    });
  }
});
