import { expect } from "chai";
import * as indexer from "../../src/indexer";
import * as audit from "../../src/indexer/audit";
import * as projection from "../../src/indexer/projection";
import * as runtime from "../../src/indexer/runtime";
import * as store from "../../src/indexer/store";
import * as sync from "../../src/indexer/sync";

describe("indexer: public surface", () => {
  it("re-exports each part's API by name, the same objects, and nothing unexpected", () => {
    const parts: Record<string, Record<string, unknown>> = { projection, runtime, store, sync, audit };
    const owner = new Map<string, string>();
    for (const [part, exports] of Object.entries(parts)) for (const name of Object.keys(exports)) owner.set(name, part);
    for (const [name, value] of Object.entries(indexer)) {
      if (["IndexerError", "IndexerEventError", "decodeLog", "toStoredEvent"].includes(name)) continue;
      const part = owner.get(name);
      expect(part, `${name} comes from one of the indexer's parts`).to.not.equal(undefined);
      expect(value, name).to.equal(parts[part!][name]);
    }
    // What the runtime and the API server need is there.
    for (const name of ["createIndexer", "createStore", "createRpc", "fetchLogs", "createRealtimeSync", "auditStore"]) {
      expect(indexer, name).to.have.property(name);
    }
    for (const name of Object.keys(projection)) expect(indexer, name).to.have.property(name);
  });
});
