import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { Authorization, DataClass, GrantStatus, OfferStatus, Scope } from "../../helpers/fixtures";
import {
  CUSTOMS_REVIEW_PERIOD,
  DAY,
  DECISION,
  FINDING,
  PURPOSE,
  REASON,
  TERMS,
  awaitingCustoms,
  blockTime,
  ctx,
  derive,
  expectVerdict,
  fp,
  grantStatus,
  issue,
  offer,
  offerStatus,
  ownerOf,
  positionOf,
  registered,
  reinstate,
  suspend,
  useRightsFixture,
  type StampTuple,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Suspension
  // ---------------------------------------------------------------------------------------------------------------

  describe("suspension", () => {
    it("refuses every action of a suspended organisation's keys (OrganizationNotActive), whatever its roles", async () => {
      const { rights, suspended, orgIds } = ctx;
      const f = await registered("target");
      const pending = await registered("pending-grant");
      const grantId = await issue(pending, orgIds.foreignAgency);
      const { offerId: awaiting } = await awaitingCustoms("awaiting");
      const openOffer = await offer(f, orgIds.trader);
      const farFuture = (await blockTime()) + 365n * DAY;
      const s = rights.connect(suspended);
      const actions: [string, () => Promise<ContractTransactionResponse>][] = [
        ["issueGrant", () => s.issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0)],
        ["revokeGrant", () => s.revokeGrant(pending, orgIds.foreignAgency, REASON)],
        ["decideGrant", () => s.decideGrant(pending, orgIds.foreignAgency, grantId, true, DECISION)],
        ["offerTransfer", () => s.offerTransfer(f, orgIds.trader, TERMS, farFuture)],
        ["cancelOffer", () => s.cancelOffer(openOffer, REASON)],
        ["acceptOffer", () => s.acceptOffer(openOffer)],
        ["decideTransfer", () => s.decideTransfer(awaiting, true, DECISION)],
        ["confirmDelivery", () => s.confirmDelivery(openOffer, f)],
        ["attachFinding", () => s.attachFinding(f, FINDING)],
        ["freeze", () => s.freeze(f, REASON)],
        ["unfreeze", () => s.unfreeze(f, REASON)],
      ];
      for (const [name, action] of actions) {
        await expect(action(), name)
          .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
          .withArgs(orgIds.suspended);
      }
    });

    it("a suspended trader cannot accept or confirm delivery, and can once reinstated", async () => {
      const { rights, trader, orgIds } = ctx;
      const f = await registered("trader");
      const offerId = await offer(f, orgIds.trader);
      await suspend(orgIds.trader);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.trader);
      await reinstate(orgIds.trader);
      await rights.connect(trader).acceptOffer(offerId);
      await suspend(orgIds.trader);
      await expect(rights.connect(trader).confirmDelivery(offerId, f))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.trader);
      await reinstate(orgIds.trader);
      await rights.connect(trader).confirmDelivery(offerId, f);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("a suspended customs cannot decide grants or transfers, and can once reinstated", async () => {
      const { rights, customs, orgIds } = ctx;
      const f = await registered("customs-grant");
      const grantId = await issue(f, orgIds.foreignAgency);
      const { offerId } = await awaitingCustoms("customs-transfer");
      await suspend(orgIds.customs);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.customs);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.customs);
      await reinstate(orgIds.customs);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.ACTIVE));
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });

    it("a suspended inspector cannot attach findings, freeze or unfreeze, and can once reinstated", async () => {
      const { rights, inspector, orgIds } = ctx;
      const live = await registered("live");
      const frozen = await registered("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await suspend(orgIds.inspector);
      const i = rights.connect(inspector);
      for (const action of [
        () => i.attachFinding(live, FINDING),
        () => i.freeze(live, REASON),
        () => i.unfreeze(frozen, REASON),
      ]) {
        await expect(action())
          .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
          .withArgs(orgIds.inspector);
      }
      await reinstate(orgIds.inspector);
      await i.freeze(live, REASON);
      await i.unfreeze(frozen, REASON);
      expect([(await ctx.ledger.getRecord(live)).frozen, (await ctx.ledger.getRecord(frozen)).frozen]).to.deep.equal([
        true,
        false,
      ]);
    });

    it("a suspended owner cannot grant, revoke, offer or cancel", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("owner");
      await issue(f, orgIds.trader);
      const g = await registered("offered");
      const offerId = await offer(g, orgIds.trader);
      await suspend(orgIds.agency);
      const a = rights.connect(agency);
      const expiresAt = (await blockTime()) + DAY;
      for (const action of [
        () => a.issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0),
        () => a.revokeGrant(f, orgIds.trader, REASON),
        () => a.offerTransfer(f, orgIds.trader, TERMS, expiresAt),
        () => a.cancelOffer(offerId, REASON),
      ]) {
        await expect(action()).to.be.revertedWithCustomError(rights, "OrganizationNotActive").withArgs(orgIds.agency);
      }
    });

    it("grants of a suspended owner are not usable or derivable (OwnerInactive) and come back on reinstatement", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("suspended-owner", DataClass.PUBLIC);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      await suspend(orgIds.agency);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.OWNER_INACTIVE);
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.foreignAgency, Authorization.OWNER_INACTIVE, 0n);
      await reinstate(orgIds.agency);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
    });

    it("refuses acceptance of an offer whose owner was suspended after offering (CounterpartyNotActive); reinstated, it goes through", async () => {
      const { rights, trader, foreignAgency, orgIds } = ctx;
      const f = await registered("sold-while-suspended");
      const offerId = await offer(f, orgIds.trader);
      const g = await registered("sold-abroad-while-suspended");
      const abroad = await offer(g, orgIds.foreignAgency);
      await suspend(orgIds.agency);
      const before = await positionOf(f);
      for (const [signer, id] of [
        [trader, offerId],
        [foreignAgency, abroad],
      ] as const) {
        await expect(rights.connect(signer).acceptOffer(id))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(orgIds.agency);
        expect(await offerStatus(id)).to.equal(BigInt(OfferStatus.OPEN));
      }
      expect([await ownerOf(f), await rights.pendingOffer(f)]).to.deep.equal([orgIds.agency, offerId]);
      expect(await positionOf(f)).to.deep.equal(before);
      await reinstate(orgIds.agency);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
    });

    it("lets the recipient abandon, after the review period, a transfer its suspended seller can no longer complete", async () => {
      const { rights, agency, customs, foreignAgency, orgIds } = ctx;
      const { f, offerId, acceptedAt } = await awaitingCustoms("seller-suspended");
      await suspend(orgIds.agency);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
        .withArgs(orgIds.agency);
      await time.increaseTo(acceptedAt + CUSTOMS_REVIEW_PERIOD + 1n);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.agency);
      await expect(rights.connect(foreignAgency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.foreignAgency, foreignAgency.address, offerId, REASON, (s: StampTuple) => s[1] === 4n);
      expect([await offerStatus(offerId), await rights.pendingOffer(f)]).to.deep.equal([
        BigInt(OfferStatus.CANCELLED),
        0n,
      ]);
    });
  });
});
