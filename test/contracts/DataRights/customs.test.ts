import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Action, Authorization, DataClass, GrantStatus, OfferStatus, Role, Rule, Scope } from "../../helpers/fixtures";
import {
  CN,
  DAY,
  DECISION,
  HK,
  MO,
  NO_JURISDICTION,
  PURPOSE,
  Params,
  REASON,
  TERMS,
  awaitingCustoms,
  blockTime,
  ctx,
  expectPosition,
  expectVerdict,
  grantStatus,
  issue,
  next,
  offer,
  offerStatus,
  onboard,
  ownerOf,
  payload,
  positionOf,
  registered,
  reinstate,
  setRule,
  stampOf,
  suspend,
  timeOf,
  useRightsFixture,
  type StampTuple,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Customs decisions on cross-border grants
  // ---------------------------------------------------------------------------------------------------------------

  describe("decideGrant", () => {
    /** A CN-GD internal record with a grant to HK pending CN-GD customs. */
    async function pendingGrant(label: string): Promise<{ f: string; grantId: bigint }> {
      const f = await registered(label, DataClass.INTERNAL);
      const grantId = await issue(f, ctx.orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      return { f, grantId };
    }

    it("lets the exporting jurisdiction's customs approve: event with the trail stamp, grant Active and usable", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("approve");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      const values = [f, orgIds.foreignAgency, customs.address, grantId, orgIds.customs, true, DECISION];
      const p = next(
        before,
        f,
        Action.GRANT_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.GrantDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantDecided")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.status, grant.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.ACTIVE), CN]);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
    });

    it("lets it reject: event with the trail stamp, grant Rejected and not usable", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("reject");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      const values = [f, orgIds.foreignAgency, customs.address, grantId, orgIds.customs, false, DECISION];
      const p = next(
        before,
        f,
        Action.GRANT_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.GrantDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantDecided")
        .withArgs(...values, stampOf(p));
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REJECTED, grantId);
    });

    it("refuses customs of another jurisdiction, either way round (NotCustomsOfJurisdiction)", async () => {
      const { rights, customs, foreignCustoms, foreignAgency, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("wrong-customs");
      for (const approve of [true, false]) {
        await expect(rights.connect(foreignCustoms).decideGrant(f, orgIds.foreignAgency, grantId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
          .withArgs(orgIds.foreignCustoms, HK, CN);
      }
      const hk = await registered("hk-export", DataClass.IMPORTANT, foreignAgency);
      const hkGrant = await issue(hk, orgIds.agency, { by: foreignAgency });
      await expect(rights.connect(customs).decideGrant(hk, orgIds.agency, hkGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, HK);
      await rights.connect(foreignCustoms).decideGrant(hk, orgIds.agency, hkGrant, true, DECISION);
      await expectVerdict(hk, orgIds.agency, Scope.USE, Authorization.GRANTED, hkGrant);
    });

    it("refuses callers without the customs role", async () => {
      const { rights, agency, outsider, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("not-customs");
      await expect(rights.connect(agency).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.CUSTOMS);
      await expect(rights.connect(outsider).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
    });

    it("refuses a stale or wrong grant id (GrantMismatch)", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const { f, grantId: stale } = await pendingGrant("stale");
      await rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON);
      const current = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, stale, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantMismatch")
        .withArgs(f, orgIds.foreignAgency, current, stale);
      await expect(rights.connect(customs).decideGrant(f, orgIds.trader, current, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantMismatch")
        .withArgs(f, orgIds.trader, 0n, current);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, current, true, DECISION);
    });

    it("refuses a second decision (approve after reject, reject after approve) and Active grants (GrantNotPendingCustoms)", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f: rejected, grantId: rejectedId } = await pendingGrant("approve-after-reject");
      await rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, false, DECISION);
      await expect(rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(rejectedId, GrantStatus.REJECTED);
      const { f: approved, grantId: approvedId } = await pendingGrant("reject-after-approve");
      await rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, true, DECISION);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, false, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(approvedId, GrantStatus.ACTIVE);
      const domestic = await issue(approved, orgIds.trader);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.trader, domestic, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(domestic, GrantStatus.ACTIVE);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.inspector, 0n, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(0n, GrantStatus.NONE);
    });

    it("refuses approval while the record is frozen or withdrawn, but allows rejection", async () => {
      const { rights, ledger, agency, customs, inspector, orgIds } = ctx;
      const { f: frozen, grantId: frozenGrant } = await pendingGrant("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(customs).decideGrant(frozen, orgIds.foreignAgency, frozenGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      await rights.connect(customs).decideGrant(frozen, orgIds.foreignAgency, frozenGrant, false, DECISION);
      expect(await grantStatus(frozen, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));

      const { f: withdrawn, grantId: withdrawnGrant } = await pendingGrant("withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(customs).decideGrant(withdrawn, orgIds.foreignAgency, withdrawnGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      await rights.connect(customs).decideGrant(withdrawn, orgIds.foreignAgency, withdrawnGrant, false, DECISION);
      expect(await grantStatus(withdrawn, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    it("refuses approval if governance made the class Forbidden meanwhile (CrossBorderForbidden), but allows rejection", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("now-forbidden");
      await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.INTERNAL, CN, HK);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    for (const party of ["owner", "grantee"] as const) {
      it(`refuses approval while the ${party} is suspended (CounterpartyNotActive), allows rejection, and approves once reinstated`, async () => {
        const { rights, customs, orgIds } = ctx;
        const org = party === "owner" ? orgIds.agency : orgIds.foreignAgency;
        const { f: rejected, grantId: rejectedId } = await pendingGrant(`${party}-suspended-rejected`);
        const { f: approved, grantId: approvedId } = await pendingGrant(`${party}-suspended-approved`);
        await suspend(org);
        for (const [f, grantId] of [
          [rejected, rejectedId],
          [approved, approvedId],
        ] as const) {
          await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
            .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
            .withArgs(org);
          expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.PENDING_CUSTOMS));
        }
        await expect(rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, false, DECISION))
          .to.emit(rights, "GrantDecided")
          .withArgs(
            rejected,
            orgIds.foreignAgency,
            customs.address,
            rejectedId,
            orgIds.customs,
            false,
            DECISION,
            (s: StampTuple) => s[1] === 3n,
          );
        expect(await grantStatus(rejected, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
        await reinstate(org);
        await rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, true, DECISION);
        await expectVerdict(approved, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, approvedId);
      });
    }

    it("checks the crossing from the current owner: once the record was sold to a third jurisdiction, the recorded customs may only reject (NotCustomsOfJurisdiction)", async () => {
      const { rights, customs, orgIds } = ctx;
      const buyer = await onboard("MO Data Exchange", "MO", Role.TRADER, 10);
      const moCustoms = await onboard("MO Data Customs", "MO", Role.CUSTOMS, 11);
      const { f, grantId } = await pendingGrant("sold-to-mo");
      // The sale to Macau crosses the border too: CN-GD customs approves it.
      const offerId = await offer(f, buyer.orgId);
      await rights.connect(buyer.operator).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(buyer.orgId);

      // MO -> HK would now need MO's customs, not the CN-GD customs recorded in the grant...
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, MO);
      // ...and MO's customs is not the one the grant waits for.
      await expect(rights.connect(moCustoms.operator).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(moCustoms.orgId, MO, CN);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.status, grant.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.PENDING_CUSTOMS), CN]);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_PENDING_CUSTOMS, grantId);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    it("lets the recorded customs approve a grant whose record was sold into the grantee's jurisdiction meanwhile (no crossing left)", async () => {
      const { rights, customs, foreignAgency, orgIds } = ctx;
      const f = await registered("sold-to-hk", DataClass.INTERNAL);
      // Granted to HK's customs organisation (any active organisation may be a grantee), pending CN-GD customs.
      const grantId = await issue(f, orgIds.foreignCustoms, { scopes: Scope.USE });
      const offerId = await offer(f, orgIds.foreignAgency);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignCustoms, grantId, true, DECISION))
        .to.emit(rights, "GrantDecided")
        .withArgs(
          f,
          orgIds.foreignCustoms,
          customs.address,
          grantId,
          orgIds.customs,
          true,
          DECISION,
          (s: StampTuple) => s[1] === 7n,
        );
      await expectVerdict(f, orgIds.foreignCustoms, Scope.USE, Authorization.GRANTED, grantId);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Cross-border transfers and customs decisions on them
  // ---------------------------------------------------------------------------------------------------------------

  describe("cross-border transfers", () => {
    it("waits for the exporting customs after acceptance (AwaitingCustoms), keeping the record locked past the expiry", async () => {
      const { rights, agency, foreignAgency, orgIds } = ctx;
      const f = await registered("xb");
      const expiresAt = (await blockTime()) + 1000n;
      const offerId = await offer(f, orgIds.foreignAgency, { expiresAt });
      const before = await positionOf(f);
      const tx = await rights.connect(foreignAgency).acceptOffer(offerId);
      const values = [f, orgIds.foreignAgency, foreignAgency.address, offerId, orgIds.agency, true, CN];
      const p = next(
        before,
        f,
        Action.TRANSFER_ACCEPTED,
        foreignAgency.address,
        await timeOf(tx),
        payload(Params.TransferAccepted, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(...values, stampOf(p));
      await expect(tx).not.to.emit(rights, "OwnershipTransferred");
      await expectPosition(f, p);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      const stored = await rights.getOffer(offerId);
      expect([stored.status, stored.exportJurisdiction]).to.deep.equal([BigInt(OfferStatus.AWAITING_CUSTOMS), CN]);
      await time.increaseTo(expiresAt + DAY);
      expect(await rights.pendingOffer(f)).to.equal(offerId);
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt + 2n * DAY))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
    });

    it("moves ownership when the exporting customs approves, with the customs account as actor", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-approve");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      const at = await timeOf(tx);
      const decided = [f, orgIds.customs, customs.address, offerId, true, DECISION];
      const p1 = next(
        before,
        f,
        Action.TRANSFER_DECIDED,
        customs.address,
        at,
        payload(Params.TransferDecided, decided),
      );
      const moved = [f, orgIds.foreignAgency, customs.address, offerId, orgIds.agency];
      const p2 = next(
        p1,
        f,
        Action.OWNERSHIP_TRANSFERRED,
        customs.address,
        at,
        payload(Params.OwnershipTransferred, moved),
      );
      await expect(tx)
        .to.emit(rights, "TransferDecided")
        .withArgs(...decided, stampOf(p1));
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(...moved, stampOf(p2));
      await expectPosition(f, p2);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
    });

    it("keeps ownership when customs rejects, and releases the lock", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-reject");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      const values = [f, orgIds.customs, customs.address, offerId, false, DECISION];
      const p = next(
        before,
        f,
        Action.TRANSFER_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.TransferDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferDecided")
        .withArgs(...values, stampOf(p));
      await expect(tx).not.to.emit(rights, "OwnershipTransferred");
      await expectPosition(f, p);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.REJECTED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await issue(f, orgIds.trader);
      const again = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(again);
    });

    it("checks the crossing from the owner's current jurisdiction, as decideGrant does (NotCustomsOfJurisdiction)", async () => {
      const { rights, registry, governance, customs, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("relocated-seller");
      await registry.connect(governance).setOrganizationJurisdiction(orgIds.agency, MO);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, MO);
      // Rejecting stays possible for the customs that reviewed it.
      await expect(rights.connect(customs).decideTransfer(offerId, false, DECISION)).to.emit(rights, "TransferDecided");
    });

    it("refuses customs of the importing jurisdiction (NotCustomsOfJurisdiction) and callers without the customs role", async () => {
      const { rights, agency, customs, foreignCustoms, foreignAgency, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("xb-wrong-customs");
      for (const approve of [true, false]) {
        await expect(rights.connect(foreignCustoms).decideTransfer(offerId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
          .withArgs(orgIds.foreignCustoms, HK, CN);
      }
      await expect(rights.connect(agency).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.CUSTOMS);
      // HK data bought by a CN-GD organisation: HK customs decide.
      const hk = await registered("hk-export", DataClass.IMPORTANT, foreignAgency);
      const hkOffer = await offer(hk, orgIds.agency, { by: foreignAgency });
      await expect(rights.connect(agency).acceptOffer(hkOffer))
        .to.emit(rights, "TransferAccepted")
        .withArgs(
          hk,
          orgIds.agency,
          agency.address,
          hkOffer,
          orgIds.foreignAgency,
          true,
          HK,
          (s: StampTuple) => s[1] === 3n,
        );
      await expect(rights.connect(customs).decideTransfer(hkOffer, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, HK);
      await rights.connect(foreignCustoms).decideTransfer(hkOffer, true, DECISION);
      expect(await ownerOf(hk)).to.equal(orgIds.agency);
    });

    it("refuses a second decision (approve after reject), offers not awaiting customs, and unknown offers", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("xb-twice");
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      for (const approve of [true, false]) {
        await expect(rights.connect(customs).decideTransfer(offerId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
          .withArgs(offerId, OfferStatus.REJECTED);
      }
      const { offerId: approved } = await awaitingCustoms("xb-approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      await expect(rights.connect(customs).decideTransfer(approved, false, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(approved, OfferStatus.COMPLETED);
      const open = await offer(await registered("xb-open"), orgIds.foreignAgency);
      await expect(rights.connect(customs).decideTransfer(open, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(open, OfferStatus.OPEN);
      const domestic = await offer(await registered("domestic"), orgIds.trader);
      await rights.connect(trader).acceptOffer(domestic);
      await expect(rights.connect(customs).decideTransfer(domestic, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(domestic, OfferStatus.COMPLETED);
      await expect(rights.connect(customs).decideTransfer(99n, true, DECISION))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(99n);
    });

    it("refuses approval while the record is frozen or withdrawn, but allows rejection", async () => {
      const { rights, ledger, agency, customs, inspector, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-frozen");
      await rights.connect(inspector).freeze(f, REASON);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.REJECTED));
      expect(await rights.pendingOffer(f)).to.equal(0n);

      const { f: g, offerId: withdrawnOffer } = await awaitingCustoms("xb-withdrawn");
      await ledger.connect(agency).withdraw(g, REASON);
      await expect(rights.connect(customs).decideTransfer(withdrawnOffer, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(g);
      await rights.connect(customs).decideTransfer(withdrawnOffer, false, DECISION);
      expect(await ownerOf(g)).to.equal(orgIds.agency);
    });

    it("re-checks the class rule: acceptance or approval is refused once the class became Forbidden", async () => {
      const { rights, customs, foreignAgency, orgIds } = ctx;
      const f = await registered("xb-rule-before-accept");
      const offerId = await offer(f, orgIds.foreignAgency);
      const { f: g, offerId: awaiting } = await awaitingCustoms("xb-rule-after-accept");
      await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
      await expect(rights.connect(foreignAgency).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.INTERNAL, CN, HK);
      await expect(rights.connect(customs).decideTransfer(awaiting, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(g, DataClass.INTERNAL, CN, HK);
      await rights.connect(customs).decideTransfer(awaiting, false, DECISION);
      expect(await ownerOf(g)).to.equal(orgIds.agency);
      // Made free meanwhile: the acceptance completes without customs.
      await setRule(DataClass.INTERNAL, Rule.FREE);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
    });

    for (const party of ["owner", "recipient"] as const) {
      it(`refuses approval while the ${party} is suspended (CounterpartyNotActive), allows rejection, and approves once reinstated`, async () => {
        const { rights, customs, orgIds } = ctx;
        const org = party === "owner" ? orgIds.agency : orgIds.foreignAgency;
        const { f: rejected, offerId: rejectedId } = await awaitingCustoms(`${party}-suspended-rejected`);
        const { f: approved, offerId: approvedId } = await awaitingCustoms(`${party}-suspended-approved`);
        await suspend(org);
        for (const offerId of [rejectedId, approvedId]) {
          await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
            .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
            .withArgs(org);
          expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
        }
        await expect(rights.connect(customs).decideTransfer(rejectedId, false, DECISION))
          .to.emit(rights, "TransferDecided")
          .withArgs(
            rejected,
            orgIds.customs,
            customs.address,
            rejectedId,
            false,
            DECISION,
            (s: StampTuple) => s[1] === 4n,
          );
        expect(await offerStatus(rejectedId)).to.equal(BigInt(OfferStatus.REJECTED));
        expect([await ownerOf(rejected), await rights.pendingOffer(rejected)]).to.deep.equal([orgIds.agency, 0n]);
        await reinstate(org);
        await rights.connect(customs).decideTransfer(approvedId, true, DECISION);
        expect([await offerStatus(approvedId), await ownerOf(approved)]).to.deep.equal([
          BigInt(OfferStatus.COMPLETED),
          orgIds.foreignAgency,
        ]);
      });
    }

    it("completes a cross-border transfer of public data at once, without customs", async () => {
      const { rights, foreignAgency, orgIds } = ctx;
      const f = await registered("xb-public", DataClass.PUBLIC);
      const offerId = await offer(f, orgIds.foreignAgency);
      const tx = await rights.connect(foreignAgency).acceptOffer(offerId);
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(
          f,
          orgIds.foreignAgency,
          foreignAgency.address,
          offerId,
          orgIds.agency,
          false,
          NO_JURISDICTION,
          (s: StampTuple) => s[1] === 3n,
        );
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(
          f,
          orgIds.foreignAgency,
          foreignAgency.address,
          offerId,
          orgIds.agency,
          (s: StampTuple) => s[1] === 4n,
        );
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });
  });
});
