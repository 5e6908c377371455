import { expect } from "chai";
import { zeroHash } from "viem";
import { DataClass, Relation, Scheme } from "../../../src/sdk";
import { actor, changes, fingerprint, hash, later, operator, parent, root, samples, stamp, world } from "./fixtures";

const recordKey = `records:${fingerprint}`;

describe("projection handlers: ProvenanceLedger", () => {
  it("RecordRegistered: the record with its lineage (each parent with its derivation grant) and trail start", () => {
    expect(changes(samples.RecordRegistered)).to.deep.equal({
      [`records:${parent}`]: {
        fingerprint: parent,
        ownerOrg: 2,
        registrant: actor,
        scheme: Scheme.MANIFEST_ROOT,
        dataClass: DataClass.PUBLIC,
        metadataHash: hash("parent metadata"),
        metadataURI: "https://example.org/数据/parent.json",
        registeredAt: later,
        withdrawn: false,
        frozen: false,
        supersededBy: zeroHash,
        parents: [
          { fingerprint, relation: Relation.DERIVED_FROM, grantId: 1n },
          { fingerprint: hash("older"), relation: Relation.REVISION_OF, grantId: 0n },
        ],
        trailHead: stamp(10).recordHead,
        trailLength: 10n,
        findings: [],
      },
    });
  });

  it("RecordSuperseded: the successor, and the trail position the event claims", () => {
    const before = world().get("records", fingerprint)!;
    expect(before.supersededBy).to.equal(zeroHash);
    expect(changes(samples.RecordSuperseded)).to.deep.equal({
      [recordKey]: { ...before, supersededBy: hash("successor"), trailHead: stamp(11).recordHead, trailLength: 11n },
    });
  });

  it("RecordWithdrawn: withdrawn, and the trail position", () => {
    const before = world().get("records", fingerprint)!;
    expect(changes(samples.RecordWithdrawn)).to.deep.equal({
      [recordKey]: { ...before, withdrawn: true, trailHead: stamp(12).recordHead, trailLength: 12n },
    });
  });

  it("BatchAnchored: the batch under its root, with its trail start", () => {
    expect(changes(samples.BatchAnchored)).to.deep.equal({
      [`batches:${root}`]: {
        root,
        org: 1,
        registrant: operator,
        leafCount: 1000n,
        metadataHash: hash("manifest"),
        metadataURI: "ipfs://bafy-batch",
        anchoredAt: later,
        trailHead: stamp(13).recordHead,
        trailLength: 13n,
      },
    });
  });

  it("RightsModuleSet and EIP712DomainChanged change nothing the projection keeps", () => {
    expect(changes(samples.RightsModuleSet)).to.deep.equal({});
    expect(changes(samples.EIP712DomainChanged)).to.deep.equal({});
    // As viem decodes an event without arguments.
    expect(changes({ eventName: "EIP712DomainChanged", args: undefined } as never)).to.deep.equal({});
  });
});
