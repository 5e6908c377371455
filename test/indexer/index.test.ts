import { expect } from "chai";
import * as indexer from "../../src/indexer";
import * as projection from "../../src/indexer/projection";

describe("indexer: public surface", () => {
  it("exports the projection's API by name, the same objects", () => {
    expect(Object.keys(indexer).sort()).to.deep.equal(Object.keys(projection).sort());
    for (const [name, value] of Object.entries(indexer)) {
      expect(value, name).to.equal((projection as Record<string, unknown>)[name]);
    }
  });
});
