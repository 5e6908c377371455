import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Action, Authorization, DataClass, GrantStatus, Role, Scope } from "../../helpers/fixtures";
import {
  CN,
  DAY,
  DECISION,
  HK,
  NO_JURISDICTION,
  PURPOSE,
  Params,
  REASON,
  UNKNOWN_ORG,
  awaitingCustoms,
  blockTime,
  ctx,
  expectPosition,
  expectVerdict,
  fp,
  grantFields,
  grantStatus,
  issue,
  next,
  offer,
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
  // Use grants
  // ---------------------------------------------------------------------------------------------------------------

  describe("issueGrant", () => {
    it("issues a domestic grant as Active, stamping the trail, and stores every field", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("g");
      const before = await positionOf(f);
      const expiresAt = (await blockTime()) + DAY;
      const tx = await rights
        .connect(agencyKey2)
        .issueGrant(f, orgIds.trader, Scope.USE | Scope.DERIVE, PURPOSE, expiresAt);
      const at = await timeOf(tx);
      const values = [
        f,
        orgIds.trader,
        agencyKey2.address,
        1n,
        orgIds.agency,
        Scope.USE | Scope.DERIVE,
        PURPOSE,
        expiresAt,
        GrantStatus.ACTIVE,
        NO_JURISDICTION,
      ];
      const p = next(before, f, Action.GRANT_ISSUED, agencyKey2.address, at, payload(Params.GrantIssued, values));
      await expect(tx)
        .to.emit(rights, "GrantIssued")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(p.length).to.equal(2n);
      expect(grantFields(await rights.getGrant(f, orgIds.trader))).to.deep.equal({
        grantId: 1n,
        grantorOrg: orgIds.agency,
        scopes: BigInt(Scope.USE | Scope.DERIVE),
        status: BigInt(GrantStatus.ACTIVE),
        expiresAt,
        issuedAt: at,
        exportJurisdiction: NO_JURISDICTION,
        purposeHash: PURPOSE,
      });
      expect(await rights.counts()).to.deep.equal([1n, 0n]);
      await expectVerdict(f, orgIds.trader, Scope.USE | Scope.DERIVE, Authorization.GRANTED, 1n);
    });

    it("issues a cross-border grant of public data as Active, without customs", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("pub", DataClass.PUBLIC);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.emit(rights, "GrantIssued")
        .withArgs(
          f,
          orgIds.foreignAgency,
          agency.address,
          1n,
          orgIds.agency,
          Scope.USE,
          PURPOSE,
          0,
          GrantStatus.ACTIVE,
          NO_JURISDICTION,
          (stamp: StampTuple) => stamp[1] === 2n,
        );
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, 1n);
    });

    for (const [name, dataClass] of [
      ["internal", DataClass.INTERNAL],
      ["important", DataClass.IMPORTANT],
    ] as const) {
      it(`holds a cross-border grant of ${name} data for the owner's customs (PendingCustoms, both directions)`, async () => {
        const { rights, agency, foreignAgency, orgIds } = ctx;
        const cn = await registered(`cn-${name}`, dataClass);
        await expect(rights.connect(agency).issueGrant(cn, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
          .to.emit(rights, "GrantIssued")
          .withArgs(
            cn,
            orgIds.foreignAgency,
            agency.address,
            1n,
            orgIds.agency,
            Scope.USE,
            PURPOSE,
            0,
            GrantStatus.PENDING_CUSTOMS,
            CN,
            (stamp: StampTuple) => stamp[1] === 2n,
          );
        expect((await rights.getGrant(cn, orgIds.foreignAgency)).exportJurisdiction).to.equal(CN);
        await expectVerdict(cn, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_PENDING_CUSTOMS, 1n);

        const hk = await registered(`hk-${name}`, dataClass, foreignAgency);
        await rights.connect(foreignAgency).issueGrant(hk, orgIds.agency, Scope.USE, PURPOSE, 0);
        const grant = await rights.getGrant(hk, orgIds.agency);
        expect([grant.status, grant.exportJurisdiction, grant.grantorOrg]).to.deep.equal([
          BigInt(GrantStatus.PENDING_CUSTOMS),
          HK,
          orgIds.foreignAgency,
        ]);
      });
    }

    it("refuses a cross-border grant of core data (CrossBorderForbidden) but allows it at home", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("core", DataClass.CORE);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.CORE, CN, HK);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.NONE));
      await rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0);
      expect(await grantStatus(f, orgIds.trader)).to.equal(BigInt(GrantStatus.ACTIVE));
    });

    it("accepts every non-empty scope set within ALL and refuses 0 and bits outside it (InvalidScopes)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("scopes");
      for (let scopes = 1; scopes <= Scope.ALL; scopes++) {
        await rights.connect(agency).issueGrant(f, orgIds.trader, scopes, PURPOSE, 0);
        expect((await rights.getGrant(f, orgIds.trader)).scopes).to.equal(BigInt(scopes));
        await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      }
      for (const scopes of [0, 8, 9, 15, 255]) {
        await expect(rights.connect(agency).issueGrant(f, orgIds.trader, scopes, PURPOSE, 0))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scopes);
      }
    });

    it("refuses an expiry in the past or at the current block time, and accepts the next second or none", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("expiry");
      // Each refused transaction is still mined, so every attempt pins its own block time.
      let now = (await blockTime()) + 10n;
      for (const expiryAt of [(t: bigint) => t - 5n, (t: bigint) => t]) {
        const expiresAt = expiryAt(now);
        await time.setNextBlockTimestamp(now);
        await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, expiresAt))
          .to.be.revertedWithCustomError(rights, "ExpiryNotInFuture")
          .withArgs(expiresAt, now);
        now += 1n;
      }
      await time.setNextBlockTimestamp(now);
      await rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, now + 1n);
      expect((await rights.getGrant(f, orgIds.trader)).expiresAt).to.equal(now + 1n);
      await rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0);
      expect((await rights.getGrant(f, orgIds.inspector)).expiresAt).to.equal(0n);
    });

    it("refuses granting to the owner itself (SelfDealing)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("self");
      await expect(rights.connect(agency).issueGrant(f, orgIds.agency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "SelfDealing")
        .withArgs(f, orgIds.agency);
    });

    it("refuses a suspended or unknown grantee (CounterpartyNotActive)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("counterparty");
      for (const org of [orgIds.suspended, UNKNOWN_ORG, 0n]) {
        await expect(rights.connect(agency).issueGrant(f, org, Scope.USE, PURPOSE, 0))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(org);
      }
    });

    it("refuses a second grant to the same organisation while one is pending or live (GrantOutstanding)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("outstanding");
      const live = await issue(f, orgIds.trader, { expiresAt: (await blockTime()) + DAY });
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.ALL, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.trader, live, GrantStatus.ACTIVE);
      const pending = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.foreignAgency, pending, GrantStatus.PENDING_CUSTOMS);
      // Grants to other organisations are independent.
      await issue(f, orgIds.inspector);
      expect(await grantStatus(f, orgIds.inspector)).to.equal(BigInt(GrantStatus.ACTIVE));
    });

    it("allows a new grant after revocation, rejection or expiry, with a new id replacing the old one", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("renew");
      // Revoked.
      const first = await issue(f, orgIds.trader);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      const second = await issue(f, orgIds.trader, { scopes: Scope.USE });
      expect(second).to.equal(first + 1n);
      expect(grantFields(await rights.getGrant(f, orgIds.trader))).to.include({
        grantId: second,
        scopes: BigInt(Scope.USE),
        status: BigInt(GrantStatus.ACTIVE),
      });
      // Rejected by customs.
      const pending = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, pending, false, DECISION);
      const again = await issue(f, orgIds.foreignAgency);
      expect((await rights.getGrant(f, orgIds.foreignAgency)).grantId).to.equal(again);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.PENDING_CUSTOMS));
      // Expired (still Active in storage, but no longer live).
      const expiresAt = (await blockTime()) + 100n;
      const expiring = await issue(f, orgIds.inspector, { expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.inspector, expiring, GrantStatus.ACTIVE);
      const renewed = await issue(f, orgIds.inspector);
      expect(renewed).to.equal(expiring + 1n);
      expect((await rights.getGrant(f, orgIds.inspector)).expiresAt).to.equal(0n);
    });

    it("refuses callers that do not own the record or lack the registrar role, and unknown records", async () => {
      const { rights, foreignAgency, trader, outsider, suspended, agency, orgIds } = ctx;
      const f = await registered("owner");
      await expect(rights.connect(foreignAgency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.agency, orgIds.foreignAgency);
      await expect(rights.connect(trader).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.REGISTRAR);
      await expect(rights.connect(outsider).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      await expect(rights.connect(suspended).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
      await expect(rights.connect(agency).issueGrant(fp("none"), orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });

    it("refuses a withdrawn record (RecordIsWithdrawn) and a frozen one (RecordIsFrozen)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const withdrawn = await registered("withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(agency).issueGrant(withdrawn, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      const frozen = await registered("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(agency).issueGrant(frozen, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
    });

    it("refuses any grant while an offer is open or awaiting customs (RecordUnderOffer), and allows it once it ended", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("offered");
      const open = await offer(f, orgIds.trader);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, open);
      await rights.connect(agency).cancelOffer(open, REASON);
      await issue(f, orgIds.inspector);

      const { f: g, offerId } = await awaitingCustoms("awaiting");
      await expect(rights.connect(agency).issueGrant(g, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(g, offerId);
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      await issue(g, orgIds.inspector);
      expect(await grantStatus(g, orgIds.inspector)).to.equal(BigInt(GrantStatus.ACTIVE));
    });
  });

  describe("revokeGrant", () => {
    it("revokes an active grant: event with the trail stamp, status Revoked, no longer usable", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("revoke");
      const grantId = await issue(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(agencyKey2).revokeGrant(f, orgIds.trader, REASON);
      const values = [f, orgIds.trader, agencyKey2.address, grantId, orgIds.agency, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        agencyKey2.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      const grant = await rights.getGrant(f, orgIds.trader);
      expect([grant.grantId, grant.status]).to.deep.equal([grantId, BigInt(GrantStatus.REVOKED)]);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANT_REVOKED, grantId);
    });

    it("revokes a grant pending customs, which customs can then no longer decide", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("revoke-pending");
      const grantId = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.emit(rights, "GrantRevoked")
        .withArgs(
          f,
          orgIds.foreignAgency,
          agency.address,
          grantId,
          orgIds.agency,
          REASON,
          (s: StampTuple) => s[1] === 3n,
        );
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REVOKED));
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(grantId, GrantStatus.REVOKED);
    });

    it("refuses every organisation but the owner (NotRecordOwner), the grantees included, whatever its roles", async () => {
      const { rights, foreignAgency, trader, inspector, customs, outsider, orgIds } = ctx;
      const f = await registered("revoke-owner", DataClass.PUBLIC);
      await issue(f, orgIds.foreignAgency);
      await issue(f, orgIds.trader);
      for (const [signer, org, grantee] of [
        [foreignAgency, orgIds.foreignAgency, orgIds.foreignAgency],
        [trader, orgIds.trader, orgIds.trader],
        [inspector, orgIds.inspector, orgIds.trader],
        [customs, orgIds.customs, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).revokeGrant(f, grantee, REASON))
          .to.be.revertedWithCustomError(rights, "NotRecordOwner")
          .withArgs(f, orgIds.agency, org);
      }
      await expect(rights.connect(outsider).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      expect([await grantStatus(f, orgIds.foreignAgency), await grantStatus(f, orgIds.trader)]).to.deep.equal([
        BigInt(GrantStatus.ACTIVE),
        BigInt(GrantStatus.ACTIVE),
      ]);
    });

    it("lets the owner revoke whatever roles it holds, none at all included (any active membership will do)", async () => {
      const { rights, registry, governance, agency, orgIds } = ctx;
      const f = await registered("revoke-any-role", DataClass.PUBLIC);
      const grantees = [orgIds.trader, orgIds.inspector, orgIds.foreignAgency];
      const grantIds: bigint[] = [];
      for (const grantee of grantees) grantIds.push(await issue(f, grantee));
      for (const [i, roles] of [Role.TRADER, Role.INSPECTOR, 0].entries()) {
        await registry.connect(governance).setOrganizationRoles(orgIds.agency, roles);
        // Registration and three grants make four entries; each revocation adds one.
        await expect(rights.connect(agency).revokeGrant(f, grantees[i], REASON))
          .to.emit(rights, "GrantRevoked")
          .withArgs(
            f,
            grantees[i],
            agency.address,
            grantIds[i],
            orgIds.agency,
            REASON,
            (s: StampTuple) => s[1] === BigInt(5 + i),
          );
        await expectVerdict(f, grantees[i], Scope.USE, Authorization.GRANT_REVOKED, grantIds[i]);
      }
      // Granting still needs the registrar role.
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.REGISTRAR);
    });

    it("refuses revoking a grant that is None, Revoked or Rejected (GrantNotRevocable)", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("not-revocable");
      await expect(rights.connect(agency).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.trader, GrantStatus.NONE);
      await issue(f, orgIds.trader);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.trader, GrantStatus.REVOKED);
      const pending = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, pending, false, DECISION);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.foreignAgency, GrantStatus.REJECTED);
    });

    it("still lets the owner revoke on a frozen or withdrawn record (revoking only narrows use)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const f = await registered("revoke-frozen");
      await issue(f, orgIds.trader);
      await issue(f, orgIds.inspector);
      await rights.connect(inspector).freeze(f, REASON);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      await rights.connect(inspector).unfreeze(f, REASON);
      await ledger.connect(agency).withdraw(f, REASON);
      await rights.connect(agency).revokeGrant(f, orgIds.inspector, REASON);
      expect([await grantStatus(f, orgIds.trader), await grantStatus(f, orgIds.inspector)]).to.deep.equal([
        BigInt(GrantStatus.REVOKED),
        BigInt(GrantStatus.REVOKED),
      ]);
    });
  });
});
