import { expect } from "chai";
import {
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  Relation,
  Rule,
  Scope,
  decodeJurisdiction,
  enumName,
} from "../../../src/sdk";
import { AGENCY, HK_AGENCY, blockTime, h, revert, world } from "./world";

describe("SDK client: rights", () => {
  it("refuses a derivation with the reason's name until customs approves the grant, then records the grant", async () => {
    const { agency, hk, customs, hkCustoms, org } = await world();
    const parent = h("gd-census");
    await agency.register({ fingerprint: parent, dataClass: DataClass.INTERNAL });
    const child = {
      fingerprint: h("hk-study"),
      dataClass: DataClass.INTERNAL,
      parents: [{ fingerprint: parent, relation: Relation.DERIVED_FROM }],
    };

    const noGrant = await revert(hk.register(child), "DerivationRefused");
    expect(noGrant.params.reason).to.equal(Authorization.NO_GRANT);
    expect(noGrant.message).to.equal(
      `${HK_AGENCY} may not derive from ${parent} (owned by ${AGENCY}): NoGrant: ${AGENCY} has granted it no ` +
        `rights on the parent; ask ${AGENCY} for a grant with the derive scope`,
    );

    const expiresAt = (await blockTime()) + 30 * 24 * 3600;
    const grant = await agency.issueGrant({
      fingerprint: parent,
      granteeOrg: org.hk,
      scopes: Scope.USE | Scope.DERIVE,
      purposeHash: h("cross-border study"),
      expiresAt,
    });
    const grantId = grant.event.args.grantId;
    expect(grant.event.args.status).to.equal(GrantStatus.PENDING_CUSTOMS);
    expect(decodeJurisdiction(grant.event.args.exportJurisdiction)).to.equal("CN-GD");
    expect(grant.event.args.expiresAt).to.equal(expiresAt);

    const pending = await revert(hk.register(child), "DerivationRefused");
    expect(enumName("Authorization", pending.params.reason)).to.equal("GrantPendingCustoms");
    expect(pending.message).to.include(`: GrantPendingCustoms: grant #${grantId} still waits for the data customs`);
    const outstanding = await revert(
      agency.issueGrant({ fingerprint: parent, granteeOrg: org.hk, scopes: Scope.USE }),
      "GrantOutstanding",
    );
    expect(outstanding.message).to.include(
      `${HK_AGENCY} already holds grant #${grantId} on ${parent} (PendingCustoms)`,
    );

    const wrongCustoms = await revert(
      hkCustoms.decideGrant({ fingerprint: parent, granteeOrg: org.hk, grantId, approve: true }),
      "NotCustomsOfJurisdiction",
    );
    expect(wrongCustoms.message).to.equal(
      "customs HK/HK Customs (org 6) is of HK and cannot decide for CN-GD: only a customs organisation of the " +
        "exporting jurisdiction CN-GD may decide",
    );
    const decided = await customs.decideGrant({
      fingerprint: parent,
      granteeOrg: org.hk,
      grantId,
      approve: true,
      decisionHash: h("approved"),
    });
    expect(decided.event.args).to.include({ grantId, customsOrg: org.customs, approved: true });
    expect((await hk.getGrant({ fingerprint: parent, org: org.hk })).status).to.equal(GrantStatus.ACTIVE);
    expect(await hk.authorization({ fingerprint: parent, org: org.hk, scope: Scope.DERIVE })).to.deep.equal({
      verdict: Authorization.GRANTED,
      grantId,
    });
    expect(await hk.mayUse({ fingerprint: parent, org: org.hk, scope: Scope.DERIVE })).to.equal(true);
    expect(await hk.mayUse({ fingerprint: parent, org: org.hk, scope: Scope.REDISTRIBUTE })).to.equal(false);
    expect(await hk.derivationGrant({ parent, org: org.hk })).to.equal(grantId);

    const derived = await hk.register(child);
    expect(derived.event.args.derivationGrants).to.deep.equal([grantId]);
    expect((await hk.getParents({ fingerprint: child.fingerprint })).derivationGrants).to.deep.equal([grantId]);

    const revoked = await agency.revokeGrant({ fingerprint: parent, granteeOrg: org.hk, reasonHash: h("ended") });
    expect(revoked.event.args).to.include({ grantId, ownerOrg: org.agency });
    expect((await hk.authorization({ fingerprint: parent, org: org.hk, scope: Scope.DERIVE })).verdict).to.equal(
      Authorization.GRANT_REVOKED,
    );
    const notRevocable = await revert(
      agency.revokeGrant({ fingerprint: parent, granteeOrg: org.hk }),
      "GrantNotRevocable",
    );
    expect(notRevocable.message).to.include(`to ${HK_AGENCY} is Revoked`);
    expect((await agency.counts()).grants).to.equal(1n);
  });

  it("sells a record across the border with data customs' approval, and confirms the delivery", async () => {
    const { agency, hk, exchange, customs, hkCustoms, org } = await world();
    const fingerprint = h("for-sale");
    await agency.register({ fingerprint, dataClass: DataClass.INTERNAL });
    const expiresAt = (await blockTime()) + 3600;
    const offer = await agency.offerTransfer({ fingerprint, toOrg: org.hk, termsHash: h("order-1"), expiresAt });
    const offerId = offer.event.args.offerId;
    expect(offer.event.args).to.include({ toOrg: org.hk, fromOrg: org.agency, expiresAt });
    expect(await agency.pendingOffer({ fingerprint })).to.equal(offerId);
    const locked = await revert(
      agency.issueGrant({ fingerprint, granteeOrg: org.exchange, scopes: Scope.USE }),
      "RecordUnderOffer",
    );
    expect(locked.message).to.include(`${fingerprint} is locked by offer #${offerId}`);
    const notParty = await revert(exchange.acceptOffer({ offerId }), "NotOfferParty");
    expect(notParty.message).to.include(
      `CN-GD/GD Data Exchange (org 3) is not the party of offer #${offerId} (from ${AGENCY} to ${HK_AGENCY})`,
    );

    const accepted = await hk.acceptOffer({ offerId });
    expect(accepted.event.args.awaitingCustoms).to.equal(true);
    expect(accepted.events.map((event) => event.eventName)).to.deep.equal(["TransferAccepted"]);
    expect((await agency.getOffer({ offerId })).status).to.equal(OfferStatus.AWAITING_CUSTOMS);
    const early = await revert(hk.cancelOffer({ offerId }), "CustomsReviewPending");
    expect(early.message).to.match(/whose review period runs until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(block time\)/);
    await revert(hkCustoms.decideTransfer({ offerId, approve: true }), "NotCustomsOfJurisdiction");

    const decided = await customs.decideTransfer({ offerId, approve: true, decisionHash: h("export licence") });
    expect(decided.event.args).to.include({ offerId, customsOrg: org.customs, approved: true });
    const transferred = decided.events.find((event) => event.eventName === "OwnershipTransferred");
    expect(transferred?.args).to.include({ toOrg: org.hk, fromOrg: org.agency });
    expect((await hk.recordStatus({ fingerprint })).ownerOrg).to.equal(org.hk);

    const delivered = await hk.confirmDelivery({ offerId, receivedFingerprint: fingerprint });
    expect(delivered.event.args.matches).to.equal(true);
    expect((await hk.getOffer({ offerId })).status).to.equal(OfferStatus.DELIVERED);
    const twice = await revert(
      hk.confirmDelivery({ offerId, receivedFingerprint: fingerprint }),
      "DeliveryNotExpected",
    );
    expect(twice.message).to.equal(
      `offer #${offerId} is Delivered: only a completed transfer awaits a delivery report; wait until ownership has moved`,
    );
    expect(await hk.customsReviewPeriod()).to.equal(30 * 24 * 3600);
  });

  it("transfers at once within a jurisdiction, and cancels an open offer", async () => {
    const { agency, exchange, org } = await world();
    const fingerprint = h("domestic");
    await agency.register({ fingerprint, dataClass: DataClass.INTERNAL });
    const first = await agency.offerTransfer({
      fingerprint,
      toOrg: org.exchange,
      expiresAt: new Date(((await blockTime()) + 3600) * 1000),
    });
    const cancelled = await agency.cancelOffer({ offerId: first.event.args.offerId, reasonHash: h("price changed") });
    expect(cancelled.event.args).to.include({ offerId: first.event.args.offerId, org: org.agency });
    const notOpen = await revert(exchange.acceptOffer({ offerId: first.event.args.offerId }), "OfferNotOpen");
    expect(notOpen.message).to.include(`offer #${first.event.args.offerId} is Cancelled, not open`);

    const second = await agency.offerTransfer({
      fingerprint,
      toOrg: org.exchange,
      expiresAt: (await blockTime()) + 60,
    });
    const accepted = await exchange.acceptOffer({ offerId: second.event.args.offerId });
    expect(accepted.events.map((event) => event.eventName)).to.deep.equal(["TransferAccepted", "OwnershipTransferred"]);
    expect((await exchange.recordStatus({ fingerprint })).ownerOrg).to.equal(org.exchange);
    expect((await exchange.counts()).offers).to.equal(2n);
    const unknown = await revert(exchange.getOffer({ offerId: 99 }), "UnknownOffer");
    expect(unknown.message).to.include("no offer has id 99");
  });

  it("attaches findings, freezes and unfreezes", async () => {
    const { agency, inspector, org } = await world();
    const fingerprint = h("inspected");
    await agency.register({ fingerprint, dataClass: DataClass.IMPORTANT });
    const finding = await inspector.attachFinding({ fingerprint, findingHash: h("finding-1") });
    expect(finding.event.args).to.include({ inspectorOrg: org.inspector, findingHash: h("finding-1") });
    const frozen = await inspector.freeze({ fingerprint, reasonHash: h("investigation") });
    expect(frozen.event.eventName).to.equal("RecordFrozen");
    expect((await agency.recordStatus({ fingerprint })).frozen).to.equal(true);
    const blocked = await revert(agency.withdraw({ fingerprint }), "RecordIsFrozen");
    expect(blocked.message).to.equal(
      `record ${fingerprint} is frozen by an inspector: no grants, transfers, acceptances, approvals, ` +
        "derivations or withdrawal until an inspector unfreezes it",
    );
    const unfrozen = await inspector.unfreeze({ fingerprint, reasonHash: h("closed") });
    expect(unfrozen.event.eventName).to.equal("RecordUnfrozen");
    const notFrozen = await revert(inspector.unfreeze({ fingerprint }), "RecordNotFrozen");
    expect(notFrozen.message).to.equal(`record ${fingerprint} is not frozen: nothing to unfreeze`);
  });

  it("lets governance change class rules; the rights module is set once", async () => {
    const { gov, agency, hk, addresses, org } = await world();
    const changed = await gov.setClassRule({ dataClass: DataClass.PUBLIC, rule: Rule.FORBIDDEN });
    expect(changed.event.args).to.deep.include({ dataClass: 0, previousRule: Rule.FREE, rule: Rule.FORBIDDEN });
    expect(changed.event.args.stamp.recordLength).to.equal(1n);
    expect(await hk.classRule({ dataClass: DataClass.PUBLIC })).to.equal(Rule.FORBIDDEN);
    const fingerprint = h("stays home");
    await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
    const forbidden = await revert(
      agency.issueGrant({ fingerprint, granteeOrg: org.hk, scopes: Scope.USE }),
      "CrossBorderForbidden",
    );
    expect(forbidden.message).to.equal(
      `${fingerprint} is public data, which may not leave CN-GD for HK: grant or sell it only within CN-GD`,
    );
    expect(await agency.rightsModule()).to.equal(addresses.rights);
    const once = await revert(gov.setRightsModule({ module: addresses.rights }), "RightsModuleAlreadySet");
    expect(once.message).to.include("can be set only once");
    expect(await agency.domainSeparator()).to.match(/^0x[0-9a-f]{64}$/);
  });
});
