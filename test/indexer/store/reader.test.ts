/**
 * The store's read-only reader, on SQLite and PostgreSQL: one snapshot per `read` while the indexer commits, no
 * writes, the anchor and its finality, the row decoders, and clear errors for what is not a store (and, in
 * PostgreSQL, for a query past its statement timeout).
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import {
  StoreError,
  openStoreReader,
  projectionFromRow,
  readAnchor,
  storedEventFromRow,
  type IndexerStore,
  type StoreReader,
} from "../../../src/indexer/store";
import { commitChain, identity, rejectsWith } from "./conformance";
import { FIRST_BLOCK, chain, checkpointAt, lastBlock, rangeOf } from "./fixtures";
import { POSTGRES_URL, postgresHarness, sqliteHarness, type Harness, type HarnessFactory } from "./harness";

function describeReader(name: string, factory: () => HarnessFactory): void {
  describe(`StoreReader: ${name}`, function () {
    let harnesses: HarnessFactory;
    const toClose: { close(): Promise<void> }[] = [];
    before(() => (harnesses = factory()));
    after(async () => {
      for (const closable of toClose.reverse()) await closable.close().catch(() => {});
      await harnesses.cleanup();
    });

    async function migrated(): Promise<{ store: IndexerStore; harness: Harness }> {
      const harness = harnesses.create();
      const store = harness.open();
      toClose.push(store);
      await store.migrate();
      await store.writeIdentity(identity);
      return { store, harness };
    }

    function reader(url: string, options?: Parameters<typeof openStoreReader>[1]): StoreReader {
      const opened = openStoreReader(url, options);
      toClose.push(opened);
      return opened;
    }

    it("anchors an answer at the checkpoint, final up to the lowest journaled block; none before the first", async function () {
      const c = chain();
      const { store, harness } = await migrated();
      const read = reader(harness.url);
      expect(read.dialect).to.equal(store.dialect);
      expect(await read.read(readAnchor)).to.equal(undefined);

      // commitChain journals the blocks from FIRST_BLOCK + 5 on.
      await commitChain(store, c);
      const last = c.blocks[c.blocks.length - 1]!;
      const checkpoint = checkpointAt(c, last.number);
      expect(await read.read(readAnchor)).to.deep.equal({
        block: { number: last.number, hash: last.hash, timestamp: last.timestamp },
        ledgerSequence: checkpoint.ledgerSequence,
        ledgerHead: checkpoint.ledgerHead,
        finalized: false,
        finalizedBlock: FIRST_BLOCK + 4n,
        eventCount: checkpoint.eventCount,
        digest: checkpoint.digest,
      });
      await store.finalize(FIRST_BLOCK + 7n);
      expect((await read.read(readAnchor))?.finalizedBlock).to.equal(FIRST_BLOCK + 7n);
      await store.finalize(last.number);
      const final = await read.read(readAnchor);
      expect([final?.finalized, final?.finalizedBlock]).to.deep.equal([true, last.number]);
    });

    it("sees one committed state per read while the indexer commits, the new one in the next", async function () {
      const c = chain();
      const { store, harness } = await migrated();
      await store.commitRange(rangeOf(c, FIRST_BLOCK, FIRST_BLOCK + 4n));
      const read = reader(harness.url);
      const countEvents = async (db: Parameters<Parameters<StoreReader["read"]>[0]>[0]) =>
        Number(
          (
            await db
              .selectFrom("events")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );

      const seen = await read.read(async (db) => {
        const before = { anchor: await readAnchor(db), events: await countEvents(db) };
        // The writer commits the rest of the chain in the middle of this read.
        await store.commitRange(rangeOf(c, FIRST_BLOCK + 5n, lastBlock(c)));
        const trail = await db.selectFrom("record_trail").select("position").execute();
        return { before, after: { anchor: await readAnchor(db), events: await countEvents(db) }, trail };
      });
      expect(seen.after).to.deep.equal(seen.before);
      expect(seen.before.anchor?.block.number).to.equal(FIRST_BLOCK + 4n);
      expect(seen.before.events).to.equal(c.events.filter((e) => e.blockNumber <= FIRST_BLOCK + 4n).length);

      const now = await read.read(async (db) => ({ anchor: await readAnchor(db), events: await countEvents(db) }));
      expect(now.anchor?.block.number).to.equal(lastBlock(c));
      expect(now.events).to.equal(c.events.length);
    });

    it("decodes rows as the store does, and refuses every write", async function () {
      const c = chain();
      const { store, harness } = await migrated();
      await commitChain(store, c);
      const read = reader(harness.url);
      const { events, records } = await read.read(async (db) => ({
        events: await db.selectFrom("events").selectAll().orderBy("block_number").orderBy("log_index").execute(),
        records: await db.selectFrom("records").selectAll().orderBy("fingerprint").execute(),
      }));
      expect(events.map(storedEventFromRow)).to.deep.equal(c.events);
      expect(records.map((row) => projectionFromRow("records", row))).to.deep.equal(await store.rows("records"));

      const before = await store.dump();
      await rejectsWith(
        read.read((db) => db.deleteFrom("events").execute()),
        "ReadOnly",
      );
      await rejectsWith(
        read.read((db) => sql`insert into event_orgs (org_id, block_number, log_index) values (1, 1, 1)`.execute(db)),
        "ReadOnly",
      );
      expect(await store.dump()).to.equal(before);
      // A refused write does not break the reader.
      expect((await read.read(readAnchor))?.block.number).to.equal(lastBlock(c));
    });

    it("is NotAStore for a database that does not exist or was never migrated", async function () {
      const fresh = harnesses.create();
      if (name === "SQLite") {
        const missing = join(tmpdir(), `provledger-no-such-store-${process.pid}.db`);
        expect(() => openStoreReader(missing))
          .to.throw(StoreError, "no such file")
          .with.property("code", "NotAStore");
        await fresh.exec("create table unrelated (x integer)");
        expect(() => openStoreReader(fresh.url)).to.throw(StoreError, "never migrated");
        const text = join(tmpdir(), `provledger-not-sqlite-${process.pid}.db`);
        writeFileSync(text, "this is not a database, just text that is long enough to have a header.....\n".repeat(4));
        expect(() => openStoreReader(text))
          .to.throw(StoreError)
          .with.property("code", "NotAStore");
        expect(() => openStoreReader("mysql://localhost/db"))
          .to.throw(StoreError)
          .with.property("code", "InvalidUrl");
      } else {
        // A schema nobody migrated, and a database that does not exist.
        await rejectsWith(reader(fresh.url).read(readAnchor), "NotAStore");
        const error = await rejectsWith(reader(`${POSTGRES_URL}_no_such_database`).read(readAnchor), "NotAStore");
        expect((error as StoreError).message).to.include("does not exist");
      }
    });

    if (name === "PostgreSQL") {
      it("cancels a query past the statement timeout as QueryTimeout, and keeps serving", async function () {
        const { harness } = await migrated();
        const read = reader(harness.url, { statementTimeoutMs: 50, poolSize: 2 });
        const started = Date.now();
        const error = await rejectsWith(
          read.read((db) => sql`select pg_sleep(1)`.execute(db)),
          "QueryTimeout",
        );
        expect(Date.now() - started).to.be.lessThan(900);
        expect((error as StoreError).message).to.include("50 ms");
        expect(await read.read(readAnchor)).to.equal(undefined);
      });
    }
  });
}

describeReader("SQLite", sqliteHarness);
describeReader("PostgreSQL", postgresHarness);
