import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  Action,
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  Relation,
  Role,
  Scope,
  hashOf,
  registration,
} from "../../helpers/fixtures";
import {
  DAY,
  DECISION,
  NO_JURISDICTION,
  PURPOSE,
  Params,
  REASON,
  TERMS,
  awaitingCustoms,
  blockTime,
  ctx,
  derive,
  expectPosition,
  expectVerdict,
  fp,
  grantStatus,
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
  // Transfers at home: acceptance, delivery, and the grants the new owner inherits
  // ---------------------------------------------------------------------------------------------------------------

  describe("acceptOffer (same jurisdiction)", () => {
    it("moves ownership at once: TransferAccepted(awaitingCustoms=false) then OwnershipTransferred, each stamped", async () => {
      const { rights, ledger, agency, trader, orgIds } = ctx;
      const f = await registered("accept");
      const offerId = await offer(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).acceptOffer(offerId);
      const at = await timeOf(tx);
      const accepted = [f, orgIds.trader, trader.address, offerId, orgIds.agency, false, NO_JURISDICTION];
      const p1 = next(
        before,
        f,
        Action.TRANSFER_ACCEPTED,
        trader.address,
        at,
        payload(Params.TransferAccepted, accepted),
      );
      const moved = [f, orgIds.trader, trader.address, offerId, orgIds.agency];
      const p2 = next(
        p1,
        f,
        Action.OWNERSHIP_TRANSFERRED,
        trader.address,
        at,
        payload(Params.OwnershipTransferred, moved),
      );
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(...accepted, stampOf(p1));
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(...moved, stampOf(p2));
      const receipt = (await tx.wait())!;
      expect(receipt.logs.map((log) => rights.interface.parseLog(log)?.name)).to.deep.equal([
        "TransferAccepted",
        "OwnershipTransferred",
      ]);
      await expectPosition(f, p2);
      const record = await ledger.getRecord(f);
      expect([record.ownerOrg, record.registrant, record.trailLength]).to.deep.equal([
        orgIds.trader,
        agency.address,
        4n,
      ]);
      const stored = await rights.getOffer(offerId);
      expect([stored.status, stored.exportJurisdiction, stored.acceptedAt]).to.deep.equal([
        BigInt(OfferStatus.COMPLETED),
        NO_JURISDICTION,
        at,
      ]);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.OWNER);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.NO_GRANT);
    });

    it("hands the record over: the new owner can grant, offer, revise and withdraw it; the old one gets NotRecordOwner", async () => {
      const { rights, ledger, registry, governance, agency, trader, orgIds } = ctx;
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const f = await registered("handover");
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));

      const expiresAt = (await blockTime()) + DAY;
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      await expect(ledger.connect(agency).withdraw(f, REASON))
        .to.be.revertedWithCustomError(ledger, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const revision = (label: string) =>
        registration(fp(label), { parents: [{ fingerprint: f, relation: Relation.REVISION_OF }] });
      await expect(ledger.connect(agency).register(revision("old-owner-v2")))
        .to.be.revertedWithCustomError(ledger, "RevisionOfForeignRecord")
        .withArgs(f, orgIds.trader, orgIds.agency);

      await expect(rights.connect(trader).issueGrant(f, orgIds.agency, Scope.USE, PURPOSE, 0))
        .to.emit(rights, "GrantIssued")
        .withArgs(
          f,
          orgIds.agency,
          trader.address,
          1n,
          orgIds.trader,
          Scope.USE,
          PURPOSE,
          0,
          GrantStatus.ACTIVE,
          NO_JURISDICTION,
          (s: StampTuple) => s[1] === 5n,
        );
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.GRANTED, 1n);
      const back = await offer(f, orgIds.agency, { by: trader, expiresAt });
      expect(offerFields(await rights.getOffer(back))).to.include({ fromOrg: orgIds.trader, toOrg: orgIds.agency });
      await rights.connect(trader).cancelOffer(back, REASON);
      await ledger.connect(trader).register(revision("new-owner-v2"));
      expect(await ledger.latestVersion(f)).to.deep.equal([fp("new-owner-v2"), false]);
      await expect(ledger.connect(trader).withdraw(f, REASON))
        .to.emit(ledger, "RecordWithdrawn")
        .withArgs(f, orgIds.trader, trader.address, REASON, (s: StampTuple) => s[1] === 9n);
    });

    it("accepts through the expiry second and refuses one second later (OfferExpired), leaving the offer open", async () => {
      const { rights, trader, orgIds } = ctx;
      // A day ahead, so that however slowly the two offers are mined (coverage on a loaded machine), both are in time.
      const expiresAt = (await blockTime()) + 86_400n;
      const inTime = await offer(await registered("in-time"), orgIds.trader, { expiresAt });
      const late = await offer(await registered("late"), orgIds.trader, { expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await rights.connect(trader).acceptOffer(inTime);
      expect(await offerStatus(inTime)).to.equal(BigInt(OfferStatus.COMPLETED));
      await time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(rights.connect(trader).acceptOffer(late))
        .to.be.revertedWithCustomError(rights, "OfferExpired")
        .withArgs(late, expiresAt);
      expect(await offerStatus(late)).to.equal(BigInt(OfferStatus.OPEN));
      expect(await ownerOf(fp("late"))).to.equal(orgIds.agency);
    });

    it("refuses anyone but the recipient (NotOfferParty), unknown offers, and accepting twice (OfferNotOpen)", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("accept-party");
      const offerId = await offer(f, orgIds.trader);
      for (const [signer, org] of [
        [foreignAgency, orgIds.foreignAgency],
        [agency, orgIds.agency],
      ] as const) {
        await expect(rights.connect(signer).acceptOffer(offerId))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(trader).acceptOffer(99n))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(99n);
      await rights.connect(trader).acceptOffer(offerId);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.COMPLETED);
    });

    it("refuses a record frozen while offered (RecordIsFrozen) or withdrawn by its owner while offered", async () => {
      const { rights, ledger, agency, trader, inspector, orgIds } = ctx;
      const frozen = await registered("accept-frozen");
      const frozenOffer = await offer(frozen, orgIds.trader);
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(trader).acceptOffer(frozenOffer))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      const withdrawn = await registered("accept-withdrawn");
      const withdrawnOffer = await offer(withdrawn, orgIds.trader);
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(trader).acceptOffer(withdrawnOffer))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      expect([await offerStatus(frozenOffer), await offerStatus(withdrawnOffer)]).to.deep.equal([
        BigInt(OfferStatus.OPEN),
        BigInt(OfferStatus.OPEN),
      ]);
      expect([await ownerOf(frozen), await ownerOf(withdrawn)]).to.deep.equal([orgIds.agency, orgIds.agency]);
    });
  });

  describe("confirmDelivery", () => {
    async function completed(label: string): Promise<{ f: string; offerId: bigint }> {
      const f = await registered(label);
      const offerId = await offer(f, ctx.orgIds.trader);
      await ctx.rights.connect(ctx.trader).acceptOffer(offerId);
      return { f, offerId };
    }

    it("confirms a delivery that hashes to the fingerprint: DeliveryReported(matches=true) stamped, status Delivered", async () => {
      const { rights, trader, orgIds } = ctx;
      const { f, offerId } = await completed("delivered");
      const before = await positionOf(f);
      const tx = await rights.connect(trader).confirmDelivery(offerId, f);
      const values = [f, orgIds.trader, trader.address, offerId, f, true];
      const p = next(
        before,
        f,
        Action.DELIVERY_REPORTED,
        trader.address,
        await timeOf(tx),
        payload(Params.DeliveryReported, values),
      );
      await expect(tx)
        .to.emit(rights, "DeliveryReported")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("reports a mismatch without confirming, and confirms later with the right fingerprint", async () => {
      const { rights, trader, orgIds } = ctx;
      const { f, offerId } = await completed("mismatch");
      const corrupted = hashOf("corrupted copy");
      const before = await positionOf(f);
      const tx = await rights.connect(trader).confirmDelivery(offerId, corrupted);
      const values = [f, orgIds.trader, trader.address, offerId, corrupted, false];
      const p = next(
        before,
        f,
        Action.DELIVERY_REPORTED,
        trader.address,
        await timeOf(tx),
        payload(Params.DeliveryReported, values),
      );
      await expect(tx)
        .to.emit(rights, "DeliveryReported")
        .withArgs(...values, stampOf(p));
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
      await expect(rights.connect(trader).confirmDelivery(offerId, f))
        .to.emit(rights, "DeliveryReported")
        .withArgs(f, orgIds.trader, trader.address, offerId, f, true, (s: StampTuple) => s[1] === p.length + 1n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("refuses a report before completion or after delivery (DeliveryNotExpected)", async () => {
      const { rights, agency, trader, foreignAgency, customs, orgIds } = ctx;
      const open = await offer(await registered("open"), orgIds.trader);
      await expect(rights.connect(trader).confirmDelivery(open, fp("open")))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(open, OfferStatus.OPEN);
      await rights.connect(agency).cancelOffer(open, REASON);
      await expect(rights.connect(trader).confirmDelivery(open, fp("open")))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(open, OfferStatus.CANCELLED);
      const { f, offerId: awaiting } = await awaitingCustoms("awaiting");
      await expect(rights.connect(foreignAgency).confirmDelivery(awaiting, f))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(awaiting, OfferStatus.AWAITING_CUSTOMS);
      await rights.connect(customs).decideTransfer(awaiting, false, DECISION);
      await expect(rights.connect(foreignAgency).confirmDelivery(awaiting, f))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(awaiting, OfferStatus.REJECTED);
      // Completed by customs: now the recipient can confirm, once.
      const { f: g, offerId: approved } = await awaitingCustoms("approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      await rights.connect(foreignAgency).confirmDelivery(approved, g);
      await expect(rights.connect(foreignAgency).confirmDelivery(approved, g))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(approved, OfferStatus.DELIVERED);
    });

    it("refuses anyone but the recipient (NotOfferParty), the former owner included, and unknown offers", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const { f, offerId } = await completed("party");
      for (const [signer, org] of [
        [agency, orgIds.agency],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).confirmDelivery(offerId, f))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).confirmDelivery(offerId, f))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(trader).confirmDelivery(42n, f))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(42n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });
  });

  describe("outstanding grants when ownership changes", () => {
    /** Agency's public record with grants to HK (use, derive) and to the inspector, sold to the trader. */
    async function soldWithGrants(): Promise<{ f: string; abroad: bigint; home: bigint }> {
      const { orgIds } = ctx;
      const f = await registered("sold", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      const home = await issue(f, orgIds.inspector, { scopes: Scope.USE });
      await ctx.rights.connect(ctx.trader).acceptOffer(await offer(f, orgIds.trader));
      return { f, abroad, home };
    }

    it("survive the transfer: grantees keep using and deriving under them, and they still name the grantor", async () => {
      const { rights, ledger, orgIds } = ctx;
      const { f, abroad, home } = await soldWithGrants();
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, abroad);
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.GRANTED, home);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.grantId, grant.grantorOrg, grant.status]).to.deep.equal([
        abroad,
        orgIds.agency,
        BigInt(GrantStatus.ACTIVE),
      ]);
      await derive(fp("child"), f);
      expect((await ledger.getParents(fp("child")))[1]).to.deep.equal([abroad]);
      // The old owner has no grant of its own.
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.NO_GRANT);
    });

    it("may be revoked by the new owner but no longer by the old one", async () => {
      const { rights, registry, governance, agency, trader, orgIds } = ctx;
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const { f, abroad } = await soldWithGrants();
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).revokeGrant(f, orgIds.foreignAgency, REASON);
      const values = [f, orgIds.foreignAgency, trader.address, abroad, orgIds.trader, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        trader.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REVOKED, abroad);
      // And replace it with its own.
      const renewed = await issue(f, orgIds.foreignAgency, { by: trader, scopes: Scope.USE });
      expect((await rights.getGrant(f, orgIds.foreignAgency)).grantorOrg).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, renewed);
    });

    it("cannot be added to while an offer is pending, so the buyer inherits the grants it saw when accepting", async () => {
      const { rights, agency, trader, orgIds } = ctx;
      const f = await registered("seen", DataClass.PUBLIC);
      const seen = await issue(f, orgIds.foreignAgency);
      const offerId = await offer(f, orgIds.trader);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await rights.counts()).to.deep.equal([seen, offerId]);
      expect(await grantStatus(f, orgIds.inspector)).to.equal(BigInt(GrantStatus.NONE));
    });

    it("a grant pending customs at the time of the transfer can still be decided afterwards", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const f = await registered("pending-then-sold", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency);
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, grantId);
    });

    it("a buyer holding only the trader role can revoke what it inherited, though not grant anew", async () => {
      const { rights, registry, agency, trader, orgIds } = ctx;
      const { f, abroad, home } = await soldWithGrants();
      expect((await registry.organization(orgIds.trader)).roles).to.equal(BigInt(Role.TRADER));
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).revokeGrant(f, orgIds.foreignAgency, REASON);
      const values = [f, orgIds.foreignAgency, trader.address, abroad, orgIds.trader, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        trader.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REVOKED, abroad);
      // The other inherited grant is untouched.
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.GRANTED, home);
      await expect(rights.connect(trader).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.REGISTRAR);
    });
  });
});
