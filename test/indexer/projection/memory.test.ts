import { expect } from "chai";
import { DataClass, Rule } from "../../../src/sdk";
import { createMemoryStore, grantKey } from "../../../src/indexer/projection";
import { describeProjectionStore } from "./store.behavior";
import { fingerprint, operator, world } from "./fixtures";

describeProjectionStore("memory", () => ({ store: createMemoryStore() }));

describe("projection: the memory store", () => {
  it("freezes what it holds, so that changing a row without put throws instead of going unnoticed", () => {
    const store = world();
    const record = store.get("records", fingerprint)!;
    expect(() => ((record as { frozen: boolean }).frozen = true)).to.throw(TypeError);
    expect(() => (record.findings as string[]).push(fingerprint)).to.throw(TypeError);
    expect(store.get("records", fingerprint)!.frozen).to.equal(false);
  });

  it("keeps its Maps readable, keyed by lower-case hex, grantKey and plain numbers", () => {
    const store = world();
    expect(store.records.get(fingerprint.toLowerCase())).to.equal(store.get("records", fingerprint));
    expect(store.grants.get(grantKey(fingerprint, 2))).to.equal(store.get("grants", [fingerprint, 2]));
    expect(store.operators.get(operator.toLowerCase())).to.equal(1);
    expect(store.offers.get(7n)!.toOrg).to.equal(3);
    expect(store.classRules.get(DataClass.CORE)).to.equal(Rule.FORBIDDEN);
    expect(grantKey(`0x${fingerprint.slice(2).toUpperCase()}`, 2)).to.equal(grantKey(fingerprint, 2));
  });
});
