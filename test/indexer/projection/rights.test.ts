import { expect } from "chai";
import { GrantStatus, OfferStatus, Rule, Scope } from "../../../src/sdk";
import { applyEvent, grantKey } from "../../../src/indexer/projection";
import { CN, changes, fingerprint, hash, later, noJurisdiction, samples, stamp, world } from "./fixtures";

const recordKey = `records:${fingerprint}`;
const offerKey = "offers:7";

/** The world's record at the trail position of stamp `n`, with `fields`. */
function recordAt(n: number, fields: object = {}) {
  return { ...world().get("records", fingerprint)!, ...fields, trailHead: stamp(n).recordHead, trailLength: BigInt(n) };
}

describe("projection handlers: DataRights", () => {
  it("ClassRuleChanged: the class's rule", () => {
    expect(world().get("classRules", 1)).to.equal(Rule.APPROVAL);
    expect(changes(samples.ClassRuleChanged)).to.deep.equal({ "classRules:1": Rule.FORBIDDEN });
  });

  it("GrantIssued: the record's current grant to the grantee, and the record's trail position", () => {
    expect(changes(samples.GrantIssued)).to.deep.equal({
      [`grants:${grantKey(fingerprint, 3)}`]: {
        grantId: 2n,
        fingerprint,
        granteeOrg: 3,
        grantorOrg: 1,
        scopes: Scope.ALL,
        status: GrantStatus.ACTIVE,
        expiresAt: 0n,
        issuedAt: later,
        exportJurisdiction: noJurisdiction,
        purposeHash: hash("purpose 2"),
      },
      [recordKey]: recordAt(20),
    });
  });

  it("GrantRevoked: revoked", () => {
    const before = world().get("grants", [fingerprint, 2])!;
    expect(changes(samples.GrantRevoked)).to.deep.equal({
      [`grants:${grantKey(fingerprint, 2)}`]: { ...before, status: GrantStatus.REVOKED },
      [recordKey]: recordAt(21),
    });
  });

  it("GrantDecided: active if customs approved, rejected if not", () => {
    const before = world().get("grants", [fingerprint, 2])!;
    expect(before.status).to.equal(GrantStatus.PENDING_CUSTOMS);
    expect(changes(samples.GrantDecided)).to.deep.equal({
      [`grants:${grantKey(fingerprint, 2)}`]: { ...before, status: GrantStatus.ACTIVE },
      [recordKey]: recordAt(22),
    });
    const rejected = { ...samples.GrantDecided, args: { ...samples.GrantDecided.args, approved: false } };
    expect(changes(rejected)[`grants:${grantKey(fingerprint, 2)}`]).to.deep.equal({
      ...before,
      status: GrantStatus.REJECTED,
    });
  });

  it("TransferOffered: an open offer, without a customs jurisdiction yet", () => {
    expect(changes(samples.TransferOffered)).to.deep.equal({
      "offers:8": {
        offerId: 8n,
        fingerprint,
        fromOrg: 1,
        toOrg: 2,
        status: OfferStatus.OPEN,
        offeredAt: later,
        expiresAt: later + 600n,
        exportJurisdiction: noJurisdiction,
        termsHash: hash("terms 2"),
        acceptedAt: 0n,
        deliveryReports: [],
      },
      [recordKey]: recordAt(23),
    });
  });

  it("TransferCancelled: cancelled", () => {
    const before = world().get("offers", 7n)!;
    expect(changes(samples.TransferCancelled)).to.deep.equal({
      [offerKey]: { ...before, status: OfferStatus.CANCELLED },
      [recordKey]: recordAt(24),
    });
  });

  it("TransferAccepted: awaiting customs (with the deciding jurisdiction) or completed, at the block's time", () => {
    const before = world().get("offers", 7n)!;
    expect(changes(samples.TransferAccepted)).to.deep.equal({
      [offerKey]: { ...before, status: OfferStatus.AWAITING_CUSTOMS, exportJurisdiction: CN, acceptedAt: later },
      [recordKey]: recordAt(25),
    });
    const direct = {
      ...samples.TransferAccepted,
      args: { ...samples.TransferAccepted.args, awaitingCustoms: false, exportJurisdiction: noJurisdiction },
    };
    expect(changes(direct)[offerKey]).to.deep.equal({ ...before, status: OfferStatus.COMPLETED, acceptedAt: later });
  });

  it("TransferDecided: completed if customs approved, rejected if not", () => {
    const before = world().get("offers", 7n)!;
    expect(changes(samples.TransferDecided)).to.deep.equal({
      [offerKey]: { ...before, status: OfferStatus.REJECTED },
      [recordKey]: recordAt(26),
    });
    const approved = { ...samples.TransferDecided, args: { ...samples.TransferDecided.args, approved: true } };
    expect(changes(approved)[offerKey]).to.deep.equal({ ...before, status: OfferStatus.COMPLETED });
  });

  it("OwnershipTransferred: the new owner; the grants it inherits stay as they are", () => {
    expect(changes(samples.OwnershipTransferred)).to.deep.equal({ [recordKey]: recordAt(27, { ownerOrg: 3 }) });
  });

  it("DeliveryReported: the report, appended; delivered only if the copy matches", () => {
    const before = world().get("offers", 7n)!;
    const report = { receivedFingerprint: fingerprint, matches: true };
    expect(changes(samples.DeliveryReported)).to.deep.equal({
      [offerKey]: { ...before, status: OfferStatus.DELIVERED, deliveryReports: [report] },
      [recordKey]: recordAt(28),
    });
    const corrupted = {
      ...samples.DeliveryReported,
      args: { ...samples.DeliveryReported.args, receivedFingerprint: hash("corrupted"), matches: false },
    };
    expect(changes(corrupted)[offerKey]).to.deep.equal({
      ...before,
      deliveryReports: [{ receivedFingerprint: hash("corrupted"), matches: false }],
    });
  });

  it("FindingAttached: the finding, after any before it", () => {
    expect(changes(samples.FindingAttached)).to.deep.equal({
      [recordKey]: recordAt(29, { findings: [hash("finding")] }),
    });
    const store = world();
    applyEvent(store, samples.FindingAttached, later);
    const second = { ...samples.FindingAttached, args: { ...samples.FindingAttached.args, findingHash: hash("2nd") } };
    applyEvent(store, second, later);
    expect(store.get("records", fingerprint)!.findings).to.deep.equal([hash("finding"), hash("2nd")]);
  });

  it("RecordFrozen and RecordUnfrozen: frozen, and not", () => {
    expect(changes(samples.RecordFrozen)).to.deep.equal({ [recordKey]: recordAt(30, { frozen: true }) });
    expect(changes(samples.RecordUnfrozen)).to.deep.equal({ [recordKey]: recordAt(31, { frozen: false }) });
  });
});
