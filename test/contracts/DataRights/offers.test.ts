import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Action, DataClass, OfferStatus, Role } from "../../helpers/fixtures";
import {
  CN,
  CUSTOMS_REVIEW_PERIOD,
  DAY,
  DECISION,
  HK,
  NO_JURISDICTION,
  Params,
  REASON,
  TERMS,
  UNKNOWN_ORG,
  awaitingCustoms,
  blockTime,
  ctx,
  expectPosition,
  fp,
  issue,
  next,
  offer,
  offerFields,
  offerStatus,
  ownerOf,
  payload,
  positionOf,
  registered,
  stampOf,
  timeOf,
  useRightsFixture,
  type StampTuple,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Transfer offers
  // ---------------------------------------------------------------------------------------------------------------

  describe("offerTransfer", () => {
    it("opens an offer: event with the trail stamp, stored fields, pendingOffer and counts", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("offer");
      const before = await positionOf(f);
      const expiresAt = (await blockTime()) + DAY;
      const tx = await rights.connect(agencyKey2).offerTransfer(f, orgIds.trader, TERMS, expiresAt);
      const at = await timeOf(tx);
      const values = [f, orgIds.trader, agencyKey2.address, 1n, orgIds.agency, TERMS, expiresAt];
      const p = next(
        before,
        f,
        Action.TRANSFER_OFFERED,
        agencyKey2.address,
        at,
        payload(Params.TransferOffered, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferOffered")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(offerFields(await rights.getOffer(1n))).to.deep.equal({
        fingerprint: f,
        fromOrg: orgIds.agency,
        toOrg: orgIds.trader,
        status: BigInt(OfferStatus.OPEN),
        offeredAt: at,
        expiresAt,
        exportJurisdiction: NO_JURISDICTION,
        termsHash: TERMS,
        acceptedAt: 0n,
      });
      expect(await rights.pendingOffer(f)).to.equal(1n);
      expect(await rights.counts()).to.deep.equal([0n, 1n]);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
    });

    it("refuses callers that do not own the record or lack the trader role, and unknown records", async () => {
      const { rights, registry, governance, agency, foreignAgency, trader, inspector, outsider, orgIds } = ctx;
      const f = await registered("offer-owner");
      const expiresAt = (await blockTime()) + DAY;
      for (const [signer, org] of [
        [foreignAgency, orgIds.foreignAgency],
        [trader, orgIds.trader],
      ] as const) {
        await expect(rights.connect(signer).offerTransfer(f, orgIds.inspector, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "NotRecordOwner")
          .withArgs(f, orgIds.agency, org);
      }
      await expect(rights.connect(inspector).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(outsider).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      await expect(rights.connect(agency).offerTransfer(fp("none"), orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      // An owner that only registers may not sell.
      await registry.connect(governance).setOrganizationRoles(orgIds.agency, Role.REGISTRAR);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.TRADER);
    });

    it("refuses offering to the owner itself (SelfDealing)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-self");
      await expect(rights.connect(agency).offerTransfer(f, orgIds.agency, TERMS, (await blockTime()) + DAY))
        .to.be.revertedWithCustomError(rights, "SelfDealing")
        .withArgs(f, orgIds.agency);
    });

    it("refuses an expiry that is not in the future, zero included (ExpiryNotInFuture)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-expiry");
      // Each refused transaction is still mined, so every attempt pins its own block time.
      let now = (await blockTime()) + 10n;
      for (const expiryAt of [() => 0n, (t: bigint) => t - 1n, (t: bigint) => t]) {
        const expiresAt = expiryAt(now);
        await time.setNextBlockTimestamp(now);
        await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "ExpiryNotInFuture")
          .withArgs(expiresAt, now);
        now += 1n;
      }
      await time.setNextBlockTimestamp(now);
      await rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, now + 1n);
      expect((await rights.getOffer(1n)).expiresAt).to.equal(now + 1n);
    });

    it("refuses a suspended or unknown recipient (CounterpartyNotActive) and one without the trader role", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-recipient");
      const expiresAt = (await blockTime()) + DAY;
      for (const org of [orgIds.suspended, UNKNOWN_ORG]) {
        await expect(rights.connect(agency).offerTransfer(f, org, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(org);
      }
      for (const org of [orgIds.inspector, orgIds.customs, orgIds.foreignCustoms]) {
        await expect(rights.connect(agency).offerTransfer(f, org, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.TRADER);
      }
    });

    it("refuses core data abroad (CrossBorderForbidden) but offers it at home", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-core", DataClass.CORE);
      const expiresAt = (await blockTime()) + DAY;
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.CORE, CN, HK);
      await rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt);
      expect(await rights.pendingOffer(f)).to.equal(1n);
    });

    it("refuses a second offer while one is open (RecordUnderOffer), and allows one once it expired or was cancelled", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-twice", DataClass.PUBLIC);
      const expiresAt = (await blockTime()) + 1000n;
      const first = await offer(f, orgIds.trader, { expiresAt });
      for (const to of [orgIds.trader, orgIds.foreignAgency]) {
        await expect(rights.connect(agency).offerTransfer(f, to, TERMS, expiresAt + DAY))
          .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
          .withArgs(f, first);
      }
      // Still open at its expiry second.
      await time.setNextBlockTimestamp(expiresAt);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt + DAY))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, first);
      const second = await offer(f, orgIds.foreignAgency, { expiresAt: expiresAt + DAY });
      expect(second).to.equal(first + 1n);
      expect(await rights.pendingOffer(f)).to.equal(second);
      await rights.connect(agency).cancelOffer(second, REASON);
      const third = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(third);
      // The expired first offer can no longer be accepted.
      await expect(rights.connect(ctx.trader).acceptOffer(first))
        .to.be.revertedWithCustomError(rights, "OfferExpired")
        .withArgs(first, expiresAt);
    });

    it("refuses a frozen record (RecordIsFrozen) and a withdrawn one (RecordIsWithdrawn)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const expiresAt = (await blockTime()) + DAY;
      const frozen = await registered("offer-frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(agency).offerTransfer(frozen, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      const withdrawn = await registered("offer-withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(agency).offerTransfer(withdrawn, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
    });
  });

  describe("cancelOffer", () => {
    it("cancels an open offer: event with the trail stamp, status Cancelled, lock released, no longer acceptable", async () => {
      const { rights, agencyKey2, trader, orgIds } = ctx;
      const f = await registered("cancel");
      const offerId = await offer(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(agencyKey2).cancelOffer(offerId, REASON);
      const values = [f, orgIds.agency, agencyKey2.address, offerId, REASON];
      const p = next(
        before,
        f,
        Action.TRANSFER_CANCELLED,
        agencyKey2.address,
        await timeOf(tx),
        payload(Params.TransferCancelled, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferCancelled")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.CANCELLED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.CANCELLED);
      await expect(rights.connect(agencyKey2).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.CANCELLED);
    });

    it("lets the owner cancel an open offer after it expired", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("cancel-expired");
      const expiresAt = (await blockTime()) + 100n;
      const offerId = await offer(f, orgIds.trader, { expiresAt });
      await time.increaseTo(expiresAt + 50n);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.agency, agency.address, offerId, REASON, (s: StampTuple) => s[1] === 3n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.CANCELLED));
    });

    it("refuses anyone but the offering owner (NotOfferParty), unknown offers, and offers no longer open", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("cancel-party");
      const offerId = await offer(f, orgIds.trader);
      for (const [signer, org] of [
        [trader, orgIds.trader],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      for (const unknown of [0n, 99n]) {
        await expect(rights.connect(agency).cancelOffer(unknown, REASON))
          .to.be.revertedWithCustomError(rights, "UnknownOffer")
          .withArgs(unknown);
      }
      // Cancel after accept.
      await rights.connect(trader).acceptOffer(offerId);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.COMPLETED);
      // Nor can the owner back out of a transfer waiting for customs, while customs' review period runs.
      const { offerId: awaiting, acceptedAt } = await awaitingCustoms("cancel-awaiting");
      await expect(rights.connect(agency).cancelOffer(awaiting, REASON))
        .to.be.revertedWithCustomError(rights, "CustomsReviewPending")
        .withArgs(awaiting, acceptedAt + CUSTOMS_REVIEW_PERIOD);
    });

    it("refuses the old owner's cancelling its expired offer once the record was sold through a later one (NotRecordOwner)", async () => {
      const { rights, agency, trader, foreignAgency, orgIds } = ctx;
      const f = await registered("stale");
      const expiresAt = (await blockTime()) + 100n;
      const stale = await offer(f, orgIds.foreignAgency, { expiresAt });
      await time.increaseTo(expiresAt + 1n);
      const sale = await offer(f, orgIds.trader);
      await rights.connect(trader).acceptOffer(sale);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      const before = await positionOf(f);
      await expect(rights.connect(agency).cancelOffer(stale, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      // The offer's party is checked first: neither the new owner nor the stale offer's recipient is it.
      for (const [signer, org] of [
        [trader, orgIds.trader],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(stale, REASON))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(stale, org);
      }
      expect(await offerStatus(stale)).to.equal(BigInt(OfferStatus.OPEN));
      expect(await positionOf(f)).to.deep.equal(before);

      // Once the record is back with the offering organisation, it may cancel the stale offer again.
      await rights.connect(agency).acceptOffer(await offer(f, orgIds.agency, { by: trader }));
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      await expect(rights.connect(agency).cancelOffer(stale, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.agency, agency.address, stale, REASON, (s: StampTuple) => s[1] === 9n);
      expect(await offerStatus(stale)).to.equal(BigInt(OfferStatus.CANCELLED));
    });

    for (const party of ["offering owner", "recipient"] as const) {
      it(`lets the ${party} abandon a transfer customs left undecided past CUSTOMS_REVIEW_PERIOD: TransferCancelled names it, lock released`, async () => {
        const { rights, agency, agencyKey2, foreignAgency, customs, orgIds } = ctx;
        const [signer, org] =
          party === "recipient" ? [foreignAgency, orgIds.foreignAgency] : [agencyKey2, orgIds.agency];
        const { f, offerId, acceptedAt } = await awaitingCustoms(`abandon-${party}`);
        const before = await positionOf(f);
        await time.setNextBlockTimestamp(acceptedAt + CUSTOMS_REVIEW_PERIOD + 1n);
        const tx = await rights.connect(signer).cancelOffer(offerId, REASON);
        const values = [f, org, signer.address, offerId, REASON];
        const p = next(
          before,
          f,
          Action.TRANSFER_CANCELLED,
          signer.address,
          await timeOf(tx),
          payload(Params.TransferCancelled, values),
        );
        await expect(tx)
          .to.emit(rights, "TransferCancelled")
          .withArgs(...values, stampOf(p));
        await expect(tx).not.to.emit(rights, "OwnershipTransferred");
        await expectPosition(f, p);
        const stored = await rights.getOffer(offerId);
        expect([stored.status, stored.acceptedAt, stored.exportJurisdiction]).to.deep.equal([
          BigInt(OfferStatus.CANCELLED),
          acceptedAt,
          CN,
        ]);
        expect(await ownerOf(f)).to.equal(orgIds.agency);
        expect(await rights.pendingOffer(f)).to.equal(0n);
        // Customs can no longer decide it, nor can it be abandoned twice.
        await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
          .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
          .withArgs(offerId, OfferStatus.CANCELLED);
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "OfferNotOpen")
          .withArgs(offerId, OfferStatus.CANCELLED);
        // The record is free again: its owner may grant and offer.
        await issue(f, orgIds.trader, { by: agency });
        const again = await offer(f, orgIds.trader);
        expect(await rights.pendingOffer(f)).to.equal(again);
      });
    }

    it("refuses abandoning while customs' review period runs, through its last second (CustomsReviewPending)", async () => {
      const { rights, agency, foreignAgency, orgIds } = ctx;
      const { f, offerId, acceptedAt } = await awaitingCustoms("review-pending");
      expect(await rights.CUSTOMS_REVIEW_PERIOD()).to.equal(CUSTOMS_REVIEW_PERIOD);
      const reviewEndsAt = acceptedAt + CUSTOMS_REVIEW_PERIOD;
      const before = await positionOf(f);
      for (const [signer, at] of [
        [agency, acceptedAt + 1n],
        [foreignAgency, acceptedAt + DAY],
        [agency, reviewEndsAt - 1n],
        [foreignAgency, reviewEndsAt],
      ] as const) {
        await time.setNextBlockTimestamp(at);
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "CustomsReviewPending")
          .withArgs(offerId, reviewEndsAt);
      }
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
      expect(await rights.pendingOffer(f)).to.equal(offerId);
      expect(await positionOf(f)).to.deep.equal(before);
      await time.setNextBlockTimestamp(reviewEndsAt + 1n);
      await expect(rights.connect(foreignAgency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.foreignAgency, foreignAgency.address, offerId, REASON, (s: StampTuple) => s[1] === 4n);
    });

    it("refuses abandonment by a third organisation (NotOfferParty) or without the trader role, even past the review period", async () => {
      const { rights, trader, inspector, customs, outsider, orgIds } = ctx;
      const { offerId, acceptedAt } = await awaitingCustoms("abandon-party");
      await time.increaseTo(acceptedAt + CUSTOMS_REVIEW_PERIOD + DAY);
      await expect(rights.connect(trader).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "NotOfferParty")
        .withArgs(offerId, orgIds.trader);
      for (const [signer, org] of [
        [inspector, orgIds.inspector],
        [customs, orgIds.customs],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.TRADER);
      }
      await expect(rights.connect(outsider).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
    });

    it("refuses offers Rejected, Completed or Delivered to either party, however late (OfferNotOpen)", async () => {
      const { rights, agency, trader, foreignAgency, customs, orgIds } = ctx;
      const { offerId: rejected } = await awaitingCustoms("rejected");
      await rights.connect(customs).decideTransfer(rejected, false, DECISION);
      const { offerId: approved } = await awaitingCustoms("approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      const completed = await offer(await registered("completed"), orgIds.trader);
      await rights.connect(trader).acceptOffer(completed);
      const delivered = await offer(await registered("delivered"), orgIds.trader);
      await rights.connect(trader).acceptOffer(delivered);
      await rights.connect(trader).confirmDelivery(delivered, fp("delivered"));
      await time.increase(CUSTOMS_REVIEW_PERIOD + DAY);
      for (const [offerId, status, recipient] of [
        [rejected, OfferStatus.REJECTED, foreignAgency],
        [approved, OfferStatus.COMPLETED, foreignAgency],
        [completed, OfferStatus.COMPLETED, trader],
        [delivered, OfferStatus.DELIVERED, trader],
      ] as const) {
        for (const signer of [agency, recipient]) {
          await expect(rights.connect(signer).cancelOffer(offerId, REASON))
            .to.be.revertedWithCustomError(rights, "OfferNotOpen")
            .withArgs(offerId, status);
        }
      }
    });
  });

  describe("offer views", () => {
    it("pendingOffer names the locking offer while open (through its expiry second) or awaiting customs, 0 otherwise", async () => {
      const { rights, agency, trader, customs, orgIds } = ctx;
      const f = await registered("pending");
      expect(await rights.pendingOffer(f)).to.equal(0n);
      expect(await rights.pendingOffer(fp("never registered"))).to.equal(0n);
      const expiresAt = (await blockTime()) + 1000n;
      const expiring = await offer(f, orgIds.trader, { expiresAt });
      expect(await rights.pendingOffer(f)).to.equal(expiring);
      await time.increaseTo(expiresAt);
      expect(await rights.pendingOffer(f)).to.equal(expiring);
      await time.increaseTo(expiresAt + 1n);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const cancelled = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(cancelled);
      await rights.connect(agency).cancelOffer(cancelled, REASON);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const rejected = await offer(f, orgIds.foreignAgency);
      await rights.connect(ctx.foreignAgency).acceptOffer(rejected);
      expect(await rights.pendingOffer(f)).to.equal(rejected);
      await rights.connect(customs).decideTransfer(rejected, false, DECISION);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const completed = await offer(f, orgIds.trader);
      await rights.connect(trader).acceptOffer(completed);
      expect(await rights.pendingOffer(f)).to.equal(0n);
    });

    it("getOffer returns every field and reverts UnknownOffer for ids never issued; counts() counts both serials", async () => {
      const { rights, foreignAgency, orgIds } = ctx;
      expect(await rights.counts()).to.deep.equal([0n, 0n]);
      await expect(rights.getOffer(1n)).to.be.revertedWithCustomError(rights, "UnknownOffer").withArgs(1n);
      const f = await registered("fields");
      await issue(f, orgIds.trader);
      await issue(f, orgIds.foreignAgency);
      const expiresAt = (await blockTime()) + DAY;
      const offerId = await offer(f, orgIds.foreignAgency, { expiresAt });
      const offeredAt = await blockTime();
      expect((await rights.getOffer(offerId)).acceptedAt).to.equal(0n);
      const acceptedAt = await timeOf(await rights.connect(foreignAgency).acceptOffer(offerId));
      expect(acceptedAt).to.be.greaterThan(offeredAt);
      expect(offerFields(await rights.getOffer(offerId))).to.deep.equal({
        fingerprint: f,
        fromOrg: orgIds.agency,
        toOrg: orgIds.foreignAgency,
        status: BigInt(OfferStatus.AWAITING_CUSTOMS),
        offeredAt,
        expiresAt,
        exportJurisdiction: CN,
        termsHash: TERMS,
        acceptedAt,
      });
      expect(await rights.counts()).to.deep.equal([2n, 1n]);
      for (const unknown of [0n, 2n]) {
        await expect(rights.getOffer(unknown)).to.be.revertedWithCustomError(rights, "UnknownOffer").withArgs(unknown);
      }
    });
  });
});
