import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Authorization, DataClass, GrantStatus, OfferStatus, Rule, Scope } from "../../helpers/fixtures";
import {
  CN,
  CUSTOMS_REVIEW_PERIOD,
  DAY,
  HK,
  NO_JURISDICTION,
  PURPOSE,
  TERMS,
  blockTime,
  ctx,
  expectVerdict,
  grantStatus,
  ownerOf,
  registered,
  useRightsFixture,
  type StampTuple,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Governance and views
  // ---------------------------------------------------------------------------------------------------------------

  describe("governance and views", () => {
    it("starts with the documented class rules and customs review period, and names its ledger", async () => {
      const { rights, ledger } = ctx;
      const rules: bigint[] = [];
      for (const dataClass of Object.values(DataClass)) rules.push(await rights.classRule(dataClass));
      expect(rules).to.deep.equal([Rule.FREE, Rule.APPROVAL, Rule.APPROVAL, Rule.FORBIDDEN].map(BigInt));
      expect(await rights.ledger()).to.equal(await ledger.getAddress());
      expect(await ledger.rightsModule()).to.equal(await rights.getAddress());
      expect(await rights.CUSTOMS_REVIEW_PERIOD()).to.equal(CUSTOMS_REVIEW_PERIOD);
      await expect(rights.classRule(4)).to.be.revertedWithCustomError(rights, "UnknownDataClass").withArgs(4);
    });

    it("setClassRule emits ClassRuleChanged(class, previous, rule) and changes only that class", async () => {
      const { rights, governance } = ctx;
      await expect(rights.connect(governance).setClassRule(DataClass.CORE, Rule.APPROVAL))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.CORE, governance.address, Rule.FORBIDDEN, Rule.APPROVAL, anyValue);
      await expect(rights.connect(governance).setClassRule(DataClass.PUBLIC, Rule.FORBIDDEN))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.PUBLIC, governance.address, Rule.FREE, Rule.FORBIDDEN, anyValue);
      await expect(rights.connect(governance).setClassRule(DataClass.CORE, Rule.FREE))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.CORE, governance.address, Rule.APPROVAL, Rule.FREE, anyValue);
      await expect(rights.connect(governance).setClassRule(DataClass.INTERNAL, Rule.APPROVAL))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.INTERNAL, governance.address, Rule.APPROVAL, Rule.APPROVAL, anyValue);
      const rules: bigint[] = [];
      for (const dataClass of Object.values(DataClass)) rules.push(await rights.classRule(dataClass));
      expect(rules).to.deep.equal([Rule.FORBIDDEN, Rule.APPROVAL, Rule.APPROVAL, Rule.FREE].map(BigInt));
    });

    it("refuses an unknown class (UnknownDataClass) or rule (UnknownCrossBorderRule), and anyone but governance", async () => {
      const { rights, governance, agency, customs, outsider } = ctx;
      await expect(rights.connect(governance).setClassRule(4, Rule.FREE))
        .to.be.revertedWithCustomError(rights, "UnknownDataClass")
        .withArgs(4);
      await expect(rights.connect(governance).setClassRule(DataClass.PUBLIC, 3))
        .to.be.revertedWithCustomError(rights, "UnknownCrossBorderRule")
        .withArgs(3);
      for (const caller of [agency, customs, outsider]) {
        await expect(rights.connect(caller).setClassRule(DataClass.CORE, Rule.FREE))
          .to.be.revertedWithCustomError(rights, "NotGovernance")
          .withArgs(caller.address);
      }
      expect(await rights.classRule(DataClass.CORE)).to.equal(BigInt(Rule.FORBIDDEN));
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Cross-border matrix
  // ---------------------------------------------------------------------------------------------------------------

  describe("cross-border matrix", () => {
    type Outcome = "immediate" | "customs" | "forbidden";
    /** The default rule of each class, by class code (checked against the contract below). */
    const defaultRules = [Rule.FREE, Rule.APPROVAL, Rule.APPROVAL, Rule.FORBIDDEN];
    const classNames = ["public", "internal", "important", "core"];
    const outcomeOf = (rule: number, crossBorder: boolean): Outcome =>
      !crossBorder || rule === Rule.FREE ? "immediate" : rule === Rule.APPROVAL ? "customs" : "forbidden";
    const expected: Record<"grant" | "transfer", Record<Outcome, string>> = {
      grant: { immediate: "Active at once", customs: "PendingCustoms", forbidden: "CrossBorderForbidden" },
      transfer: { immediate: "Completed on acceptance", customs: "AwaitingCustoms", forbidden: "CrossBorderForbidden" },
    };

    it("uses the contract's default rules", async () => {
      for (const dataClass of Object.values(DataClass)) {
        expect(await ctx.rights.classRule(dataClass)).to.equal(BigInt(defaultRules[dataClass]));
      }
    });

    for (const dataClass of Object.values(DataClass)) {
      for (const crossBorder of [false, true]) {
        for (const kind of ["grant", "transfer"] as const) {
          const outcome = outcomeOf(defaultRules[dataClass], crossBorder);
          const where = crossBorder ? "abroad (CN-GD to HK)" : "at home (CN-GD to CN-GD)";
          it(`${kind} of ${classNames[dataClass]} data ${where}: ${expected[kind][outcome]}`, async () => {
            const { rights, agency, orgIds } = ctx;
            const f = await registered(`${kind}-${dataClass}-${crossBorder}`, dataClass);
            const to = crossBorder ? orgIds.foreignAgency : orgIds.trader;
            const recipient = crossBorder ? ctx.foreignAgency : ctx.trader;
            const exportJurisdiction = outcome === "customs" ? CN : NO_JURISDICTION;
            if (kind === "grant") {
              const issuing = rights.connect(agency).issueGrant(f, to, Scope.USE, PURPOSE, 0);
              if (outcome === "forbidden") {
                await expect(issuing)
                  .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
                  .withArgs(f, dataClass, CN, HK);
                expect(await grantStatus(f, to)).to.equal(BigInt(GrantStatus.NONE));
                return;
              }
              const status = outcome === "customs" ? GrantStatus.PENDING_CUSTOMS : GrantStatus.ACTIVE;
              await expect(issuing)
                .to.emit(rights, "GrantIssued")
                .withArgs(
                  f,
                  to,
                  agency.address,
                  1n,
                  orgIds.agency,
                  Scope.USE,
                  PURPOSE,
                  0,
                  status,
                  exportJurisdiction,
                  (s: StampTuple) => s[1] === 2n,
                );
              await expectVerdict(
                f,
                to,
                Scope.USE,
                outcome === "customs" ? Authorization.GRANT_PENDING_CUSTOMS : Authorization.GRANTED,
                1n,
              );
            } else {
              const expiresAt = (await blockTime()) + DAY;
              const offering = rights.connect(agency).offerTransfer(f, to, TERMS, expiresAt);
              if (outcome === "forbidden") {
                await expect(offering)
                  .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
                  .withArgs(f, dataClass, CN, HK);
                expect(await rights.counts()).to.deep.equal([0n, 0n]);
                return;
              }
              await offering;
              const accepting = rights.connect(recipient).acceptOffer(1n);
              await expect(accepting)
                .to.emit(rights, "TransferAccepted")
                .withArgs(
                  f,
                  to,
                  recipient.address,
                  1n,
                  orgIds.agency,
                  outcome === "customs",
                  exportJurisdiction,
                  (s: StampTuple) => s[1] === 3n,
                );
              const stored = await rights.getOffer(1n);
              expect([stored.status, stored.exportJurisdiction, await ownerOf(f)]).to.deep.equal(
                outcome === "customs"
                  ? [BigInt(OfferStatus.AWAITING_CUSTOMS), CN, orgIds.agency]
                  : [BigInt(OfferStatus.COMPLETED), NO_JURISDICTION, to],
              );
            }
          });
        }
      }
    }
  });
});
