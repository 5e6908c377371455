import { expect } from "chai";
import { Action, Authorization, DataClass, Role, Scope, hashOf } from "../../helpers/fixtures";
import {
  DAY,
  FINDING,
  PURPOSE,
  Params,
  REASON,
  TERMS,
  blockTime,
  ctx,
  derive,
  expectPosition,
  expectVerdict,
  fp,
  issue,
  next,
  offer,
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
  // Inspections
  // ---------------------------------------------------------------------------------------------------------------

  describe("inspections", () => {
    it("attaches a finding to any record, a withdrawn or foreign one too: FindingAttached with the trail stamp", async () => {
      const { rights, ledger, agency, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("finding");
      await ledger.connect(agency).withdraw(f, REASON);
      const before = await positionOf(f);
      const tx = await rights.connect(inspector).attachFinding(f, FINDING);
      const values = [f, orgIds.inspector, inspector.address, FINDING];
      const p = next(
        before,
        f,
        Action.FINDING_ATTACHED,
        inspector.address,
        await timeOf(tx),
        payload(Params.Inspection, values),
      );
      await expect(tx)
        .to.emit(rights, "FindingAttached")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect((await ledger.getRecord(f)).withdrawn).to.equal(true);
      const hk = await registered("hk", DataClass.PUBLIC, foreignAgency);
      await expect(rights.connect(inspector).attachFinding(hk, FINDING))
        .to.emit(rights, "FindingAttached")
        .withArgs(hk, orgIds.inspector, inspector.address, FINDING, (s: StampTuple) => s[1] === 2n);
    });

    it("refuses a finding on an unknown record (UnknownRecord) and from organisations without the inspector role", async () => {
      const { rights, agency, customs, outsider, inspector, orgIds } = ctx;
      const f = await registered("finding-errors");
      await expect(rights.connect(inspector).attachFinding(fp("none"), FINDING))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      for (const [signer, org] of [
        [agency, orgIds.agency],
        [customs, orgIds.customs],
      ] as const) {
        await expect(rights.connect(signer).attachFinding(f, FINDING))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.INSPECTOR);
      }
      await expect(rights.connect(outsider).attachFinding(f, FINDING))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
    });

    it("freezes and unfreezes: RecordFrozen and RecordUnfrozen with their trail stamps, and the ledger's frozen flag", async () => {
      const { rights, ledger, inspector, orgIds } = ctx;
      const f = await registered("freeze");
      const before = await positionOf(f);
      const freezeTx = await rights.connect(inspector).freeze(f, REASON);
      const frozenValues = [f, orgIds.inspector, inspector.address, REASON];
      const p1 = next(
        before,
        f,
        Action.FROZEN,
        inspector.address,
        await timeOf(freezeTx),
        payload(Params.Inspection, frozenValues),
      );
      await expect(freezeTx)
        .to.emit(rights, "RecordFrozen")
        .withArgs(...frozenValues, stampOf(p1));
      await expectPosition(f, p1);
      expect((await ledger.getRecord(f)).frozen).to.equal(true);
      expect((await ledger.recordStatus(f)).frozen).to.equal(true);

      const lifted = hashOf("lifted");
      const unfreezeTx = await rights.connect(inspector).unfreeze(f, lifted);
      const unfrozenValues = [f, orgIds.inspector, inspector.address, lifted];
      const p2 = next(
        p1,
        f,
        Action.UNFROZEN,
        inspector.address,
        await timeOf(unfreezeTx),
        payload(Params.Inspection, unfrozenValues),
      );
      await expect(unfreezeTx)
        .to.emit(rights, "RecordUnfrozen")
        .withArgs(...unfrozenValues, stampOf(p2));
      await expectPosition(f, p2);
      expect((await ledger.getRecord(f)).frozen).to.equal(false);
    });

    it("refuses freezing a frozen record (RecordIsFrozen), unfreezing a live one (RecordNotFrozen), and unknown records", async () => {
      const { rights, agency, inspector, orgIds } = ctx;
      const f = await registered("freeze-errors");
      await expect(rights.connect(inspector).unfreeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordNotFrozen")
        .withArgs(f);
      await rights.connect(inspector).freeze(f, REASON);
      await expect(rights.connect(inspector).freeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await rights.connect(inspector).unfreeze(f, REASON);
      await expect(rights.connect(inspector).unfreeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordNotFrozen")
        .withArgs(f);
      await expect(rights.connect(inspector).freeze(fp("none"), REASON))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.connect(inspector).unfreeze(fp("none"), REASON))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.connect(agency).freeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.INSPECTOR);
    });

    it("while frozen: no grant, offer, acceptance, derivation, withdrawal or use; after unfreezing all of it works", async () => {
      const { rights, ledger, agency, trader, inspector, orgIds } = ctx;
      const f = await registered("frozen", DataClass.PUBLIC);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.ALL });
      const offerId = await offer(f, orgIds.trader);
      await rights.connect(inspector).freeze(f, REASON);

      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, (await blockTime()) + DAY))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(f);
      await expect(ledger.connect(agency).withdraw(f, REASON))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(f);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_FROZEN);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.RECORD_FROZEN);

      await rights.connect(inspector).unfreeze(f, REASON);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.OWNER);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      const back = await offer(f, orgIds.agency, { by: trader });
      await rights.connect(agency).acceptOffer(back);
      await issue(f, orgIds.inspector);
      await ledger.connect(agency).withdraw(f, REASON);
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.RECORD_WITHDRAWN);
    });
  });
});
