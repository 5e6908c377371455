import { expect } from "chai";
import { ProvledgerError, provledgerAbi, type ProvledgerEvent } from "../../../src/sdk";
import {
  ProjectionError,
  applyEvent,
  createMemoryStore,
  eventKeys,
  handlers,
  memoryKey,
  tableNames,
  type ProjectionStore,
  type TableKey,
  type TableName,
} from "../../../src/indexer/projection";
import { changes, dump, fingerprint, ignored, later, samples, world, worldEvents } from "./fixtures";

/** A store that notes every row it is asked to read, write or delete, as `table:key`. */
function recording(inner: ProjectionStore): { store: ProjectionStore; touched: Set<string> } {
  const touched = new Set<string>();
  const note = <T extends TableName>(table: T, key: TableKey<T>) => touched.add(`${table}:${memoryKey(table, key)}`);
  const store: ProjectionStore = {
    get(table, key) {
      note(table, key);
      return inner.get(table, key);
    },
    put(table, key, value) {
      note(table, key);
      inner.put(table, key, value);
    },
    delete(table, key) {
      note(table, key);
      inner.delete(table, key);
    },
  };
  return { store, touched };
}

const eventNames = provledgerAbi.filter((item) => item.type === "event").map((item) => item.name);

describe("projection: the handler table", () => {
  it("has exactly one handler per event of the three ABIs (and the tests one sample per event)", () => {
    expect(Object.keys(handlers).sort()).to.deep.equal([...new Set(eventNames)].sort());
    expect(Object.keys(samples).sort()).to.deep.equal(Object.keys(handlers).sort());
  });

  it("refuses an event it has no handler for, naming it, instead of dropping it", () => {
    // A newer contract version's event, and names an object lookup would find on the prototype.
    for (const eventName of ["RecordBurned", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const store = world();
      const before = dump(store);
      const unknown = { eventName, args: { fingerprint } } as unknown as ProvledgerEvent;
      let thrown: unknown;
      try {
        applyEvent(store, unknown, later);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, eventName).to.be.instanceOf(ProjectionError);
      const error = thrown as ProjectionError;
      expect(error).to.be.instanceOf(ProvledgerError);
      expect([error.name, error.code, error.eventName, error.retryable]).to.deep.equal([
        "ProjectionError",
        "UnknownEvent",
        eventName,
        false,
      ]);
      expect(error.shortMessage).to.equal(`event ${eventName} has no handler in the projection`);
      expect(error.details).to.match(/newer than this indexer/);
      expect(error.docsPath).to.equal("docs/errors.md#projectionerror");
      expect(dump(store)).to.deep.equal(before);
    }
  });

  it("touches only the rows eventKeys names, for every event (what a database store loads before a range)", () => {
    for (const [name, sample] of Object.entries(samples) as [string, ProvledgerEvent][]) {
      const { store, touched } = recording(world());
      applyEvent(store, sample, later);
      const keys = eventKeys(sample);
      const named = new Set(
        tableNames.flatMap((table) =>
          (keys[table] ?? []).map((key) => `${table}:${memoryKey(table, key as TableKey<typeof table>)}`),
        ),
      );
      expect(
        [...touched].filter((row) => !named.has(row)),
        name,
      ).to.deep.equal([]);
      if (!ignored.includes(sample.eventName)) expect(touched.size, name).to.be.greaterThan(0);
    }
  });

  it("changes nothing for exactly the events it ignores", () => {
    for (const [name, sample] of Object.entries(samples) as [string, ProvledgerEvent][]) {
      const changed = Object.keys(changes(sample)).length > 0;
      expect(changed, name).to.equal(!ignored.includes(sample.eventName));
    }
  });

  it("refuses an event about something it never saw created, naming what is missing", () => {
    const registered = worldEvents.find((e) => e.eventName === "RecordRegistered")!;
    // [event, whether the store holds the world's record first, code, message]
    const cases: [ProvledgerEvent, boolean, string, RegExp][] = [
      [samples.OrganizationSuspended, false, "MissingOrganization", /organisation 2, which the projection never saw/],
      [samples.OperatorAdded, false, "MissingOrganization", /OperatorAdded changes organisation 2/],
      [samples.RecordWithdrawn, false, "MissingRecord", new RegExp(`record ${fingerprint}, which the projection`)],
      [samples.GrantIssued, false, "MissingRecord", /GrantIssued changes record/],
      [samples.TransferOffered, false, "MissingRecord", /TransferOffered changes record/],
      [samples.FindingAttached, false, "MissingRecord", /FindingAttached changes record/],
      [samples.GrantRevoked, true, "MissingGrant", /grant of .* to organisation 2, which the projection never saw/],
      [samples.TransferCancelled, true, "MissingOffer", /offer 7, which the projection never saw made/],
    ];
    for (const [sample, withRecord, code, message] of cases) {
      const store = createMemoryStore();
      if (withRecord) applyEvent(store, registered, later);
      const before = dump(store);
      expect(() => applyEvent(store, sample, later), sample.eventName)
        .to.throw(ProjectionError, message)
        .with.property("code", code);
      expect(dump(store), `${sample.eventName} wrote nothing`).to.deep.equal(before);
    }
  });
});
