import { expect } from "chai";
import { keccak256, toHex, type Hex } from "viem";
import { Authorization, OrganizationStatus, Scope } from "../../src/sdk/constants/codes";
import {
  InvalidScopesError,
  ProjectionError,
  authorize,
  emptyProjection,
  type ProjectionState,
} from "../../src/indexer/projection";

const fingerprint = keccak256(toHex("projection")) as Hex;

/** One record owned by org 1, and org 2 without a grant (the rest of the projection is covered by the property test). */
function state(): ProjectionState {
  const projection = emptyProjection();
  for (const id of [1, 2]) {
    const jurisdiction = toHex("CN-GD", { size: 8 });
    projection.organizations.set(id, {
      id,
      name: `org ${id}`,
      jurisdiction,
      roles: 15,
      status: 1,
      operators: new Set(),
    });
  }
  projection.records.set(fingerprint, {
    fingerprint,
    ownerOrg: 1,
    registrant: "0x0000000000000000000000000000000000000001",
    scheme: 0,
    dataClass: 0,
    metadataHash: fingerprint,
    metadataURI: "",
    registeredAt: 1n,
    withdrawn: false,
    frozen: false,
    parents: [],
    trailHead: fingerprint,
    trailLength: 1n,
    findings: [],
  });
  return projection;
}

describe("indexer projection", () => {
  it("refuses an empty or out-of-range scope as the contract does, instead of answering", () => {
    for (const scope of [0, 8, 255, 1.5]) {
      expect(() => authorize(state(), fingerprint, 1, scope, 1n)).to.throw(InvalidScopesError, `scope ${scope}`);
    }
    expect(authorize(state(), fingerprint, 1, Scope.ALL, 1n).verdict).to.equal(Authorization.OWNER);
    expect(authorize(state(), fingerprint, 2, Scope.USE, 1n).verdict).to.equal(Authorization.NO_GRANT);
  });

  it("says which event is missing when asked about a record it never saw", () => {
    expect(() => authorize(state(), keccak256(toHex("unknown")), 1, Scope.USE, 1n)).to.throw(ProjectionError, /record/);
  });

  it("treats an unknown or suspended asking organisation as inactive", () => {
    const projection = state();
    expect(authorize(projection, fingerprint, 9, Scope.USE, 1n).verdict).to.equal(Authorization.ORGANIZATION_INACTIVE);
    projection.organizations.get(2)!.status = OrganizationStatus.SUSPENDED;
    expect(authorize(projection, fingerprint, 2, Scope.USE, 1n).verdict).to.equal(Authorization.ORGANIZATION_INACTIVE);
  });
});
