import { expect } from "chai";
import { createStore, StoreError } from "../../../src/indexer/store";
import { commitChain, describeStore, identity, rejectsWith } from "./conformance";
import { chain } from "./fixtures";
import { postgresHarness, sqliteHarness } from "./harness";

describeStore("SQLite", sqliteHarness);
describeStore("PostgreSQL", postgresHarness);

describe("IndexerStore across databases", function () {
  const sqlite = sqliteHarness();
  const postgres = postgresHarness();
  after(async () => {
    await sqlite.cleanup();
    await postgres.cleanup();
  });

  it("dumps the same chain byte for byte in SQLite and PostgreSQL, after commits and a rollback", async function () {
    const stores = [sqlite.create().open(), postgres.create().open()];
    try {
      const c = chain();
      for (const store of stores) {
        await store.migrate();
        await store.writeIdentity(identity);
        await commitChain(store, c);
      }
      const [a, b] = await Promise.all(stores.map((store) => store.dump()));
      expect(a).to.equal(b);
      expect(a.split("\n").length).to.be.greaterThan(c.events.length + c.blocks.length);
      const ancestor = c.blocks.find((block) => block.number === 107n)!;
      const { checkpointAt } = await import("./fixtures");
      for (const store of stores) await store.rollback(ancestor, checkpointAt(c, 107n));
      const [ra, rb] = await Promise.all(stores.map((store) => store.dump()));
      expect(ra).to.equal(rb);
      expect(ra).to.not.equal(a);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it("opens by URL: file paths and sqlite: for SQLite, postgres:// for PostgreSQL; refuses others", async function () {
    const path = sqlite.create().url;
    const stores = [createStore(path), createStore(`sqlite:${path}`), createStore(postgres.create().url)];
    try {
      expect(stores.map((store) => store.dialect)).to.deep.equal(["sqlite", "sqlite", "postgres"]);
      expect(createStore("postgres://u:secret@127.0.0.1:1/db").description).to.not.include("secret");
    } finally {
      for (const store of stores) await store.close();
    }
    expect(() => createStore("mysql://localhost/db")).to.throw(StoreError);
    expect(() => createStore("postgres://127.0.0.1/db?schema=bad-name")).to.throw(StoreError);
    const closed = createStore(sqlite.create().url);
    await closed.close();
    await rejectsWith(closed.checkpoint(), "Closed");
  });
});
