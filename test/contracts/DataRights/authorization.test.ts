import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  Action,
  Authorization,
  DataClass,
  GrantStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
  registration,
} from "../../helpers/fixtures";
import { zeroHash } from "viem";
import {
  DECISION,
  HK,
  NO_JURISDICTION,
  Params,
  REASON,
  UNKNOWN_ORG,
  blockTime,
  ctx,
  derive,
  expectVerdict,
  fp,
  issue,
  next,
  offer,
  onboard,
  ownerOf,
  payload,
  positionOf,
  registered,
  setRule,
  stampOf,
  timeOf,
  useRightsFixture,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Authorization
  // ---------------------------------------------------------------------------------------------------------------

  describe("authorization and mayUse", () => {
    interface Question {
      f: string;
      org: bigint;
      scope: number;
      grantId: bigint;
    }

    const verdictCases: { name: string; verdict: number; ask: () => Promise<Question> }[] = [
      {
        name: "Owner for the owning organisation, in every scope, without a grant",
        verdict: Authorization.OWNER,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.agency, scope: Scope.ALL, grantId: 0n }),
      },
      {
        name: "Granted for a live grant covering the scope",
        verdict: Authorization.GRANTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader, { scopes: Scope.USE | Scope.REDISTRIBUTE });
          return { f, org: ctx.orgIds.trader, scope: Scope.USE | Scope.REDISTRIBUTE, grantId };
        },
      },
      {
        name: "RecordWithdrawn, even for a grantee with a live grant",
        verdict: Authorization.RECORD_WITHDRAWN,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.ledger.connect(ctx.agency).withdraw(f, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "RecordFrozen, even for a grantee with a live grant",
        verdict: Authorization.RECORD_FROZEN,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.rights.connect(ctx.inspector).freeze(f, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "OrganizationInactive for a suspended organisation",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.suspended, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "OrganizationInactive for an unknown organisation",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => ({ f: await registered("v"), org: UNKNOWN_ORG, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "OrganizationInactive for the owner itself once suspended",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => {
          const f = await registered("v");
          await ctx.registry.connect(ctx.governance).suspendOrganization(ctx.orgIds.agency, REASON);
          return { f, org: ctx.orgIds.agency, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "OwnerInactive for a grantee while the owner is suspended",
        verdict: Authorization.OWNER_INACTIVE,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.registry.connect(ctx.governance).suspendOrganization(ctx.orgIds.agency, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "NoGrant for an active organisation that never had one",
        verdict: Authorization.NO_GRANT,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "GrantPendingCustoms for a cross-border grant not yet approved",
        verdict: Authorization.GRANT_PENDING_CUSTOMS,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantRevoked for a revoked grant",
        verdict: Authorization.GRANT_REVOKED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader);
          await ctx.rights.connect(ctx.agency).revokeGrant(f, ctx.orgIds.trader, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantRejected for a grant customs refused",
        verdict: Authorization.GRANT_REJECTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await ctx.rights.connect(ctx.customs).decideGrant(f, ctx.orgIds.foreignAgency, grantId, false, DECISION);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantExpired after the grant's last valid second",
        verdict: Authorization.GRANT_EXPIRED,
        ask: async () => {
          const f = await registered("v");
          const expiresAt = (await blockTime()) + 1000n;
          const grantId = await issue(f, ctx.orgIds.trader, { expiresAt });
          await time.increaseTo(expiresAt + 1n);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId };
        },
      },
      {
        name: "ScopeNotGranted when one of the scopes asked is not granted",
        verdict: Authorization.SCOPE_NOT_GRANTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader, { scopes: Scope.USE });
          return { f, org: ctx.orgIds.trader, scope: Scope.USE | Scope.DERIVE, grantId };
        },
      },
      {
        name: "CrossBorderForbidden for an approved cross-border grant once the class became Forbidden",
        verdict: Authorization.CROSS_BORDER_FORBIDDEN,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await ctx.rights.connect(ctx.customs).decideGrant(f, ctx.orgIds.foreignAgency, grantId, true, DECISION);
          await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "CustomsApprovalMissing for a cross-border grant issued without customs once the class needs approval",
        verdict: Authorization.CUSTOMS_APPROVAL_MISSING,
        ask: async () => {
          const f = await registered("v", DataClass.PUBLIC);
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await setRule(DataClass.PUBLIC, Rule.APPROVAL);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
    ];

    for (const { name, verdict, ask } of verdictCases) {
      it(`answers ${name}`, async () => {
        const { f, org, scope, grantId } = await ask();
        await expectVerdict(f, org, scope, verdict, grantId);
      });
    }

    it("keeps a grant valid through its expiry second and expires it one second later", async () => {
      const { orgIds } = ctx;
      const f = await registered("expiry");
      const expiresAt = (await blockTime()) + 1000n;
      const grantId = await issue(f, orgIds.trader, { expiresAt });
      await time.increaseTo(expiresAt - 1n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANTED, grantId);
      await time.increaseTo(expiresAt);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANTED, grantId);
      await time.increaseTo(expiresAt + 1n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANT_EXPIRED, grantId);
    });

    it("requires every scope asked: a USE|REDISTRIBUTE grant answers each combination", async () => {
      const { orgIds } = ctx;
      const f = await registered("scopes");
      const grantId = await issue(f, orgIds.trader, { scopes: Scope.USE | Scope.REDISTRIBUTE });
      for (let scope = 1; scope <= Scope.ALL; scope++) {
        const covered = (scope & ~(Scope.USE | Scope.REDISTRIBUTE)) === 0;
        await expectVerdict(
          f,
          orgIds.trader,
          scope,
          covered ? Authorization.GRANTED : Authorization.SCOPE_NOT_GRANTED,
          grantId,
        );
      }
    });

    it("checks the record first, then the asking organisation, then the owner, then the grant", async () => {
      const { rights, registry, ledger, governance, agency, inspector, orgIds } = ctx;
      const f = await registered("order");
      // A suspended organisation asking about a frozen record: the record's state is reported.
      await rights.connect(inspector).freeze(f, REASON);
      await expectVerdict(f, orgIds.suspended, Scope.USE, Authorization.RECORD_FROZEN);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_FROZEN);
      await rights.connect(inspector).unfreeze(f, REASON);
      // The owner suspended, asked about by an unknown organisation.
      await registry.connect(governance).suspendOrganization(orgIds.agency, REASON);
      await expectVerdict(f, UNKNOWN_ORG, Scope.USE, Authorization.ORGANIZATION_INACTIVE);
      // The owner suspended, asked about by an organisation with no grant at all.
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.OWNER_INACTIVE);
      await registry.connect(governance).reinstateOrganization(orgIds.agency, REASON);
      await ledger.connect(agency).withdraw(f, REASON);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_WITHDRAWN);
      await expectVerdict(f, UNKNOWN_ORG, Scope.USE, Authorization.RECORD_WITHDRAWN);
    });

    it("applies a Forbidden rule only to usable cross-border grants, and only while it holds", async () => {
      const { orgIds } = ctx;
      const f = await registered("rule", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE });
      const home = await issue(f, orgIds.trader);
      await setRule(DataClass.PUBLIC, Rule.FORBIDDEN);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CROSS_BORDER_FORBIDDEN, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
      // A grant that would not be usable anyway reports its own reason.
      await expectVerdict(f, orgIds.foreignAgency, Scope.DERIVE, Authorization.SCOPE_NOT_GRANTED, abroad);
      // Relaxed to Approval, the ban gives way to the missing approval; lifted, the grant is usable again.
      await setRule(DataClass.PUBLIC, Rule.APPROVAL);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
      await setRule(DataClass.PUBLIC, Rule.FREE);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, abroad);
    });

    it("requires customs approval of a cross-border grant of public data once governance makes the class Approval (CustomsApprovalMissing)", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("public-tightened", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      const home = await issue(f, orgIds.trader, { scopes: Scope.USE });
      // Issued under the Free rule: no customs approved it.
      expect((await rights.getGrant(f, orgIds.foreignAgency)).exportJurisdiction).to.equal(NO_JURISDICTION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, abroad);
      await setRule(DataClass.PUBLIC, Rule.APPROVAL);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      await expectVerdict(
        f,
        orgIds.foreignAgency,
        Scope.USE | Scope.DERIVE,
        Authorization.CUSTOMS_APPROVAL_MISSING,
        abroad,
      );
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.foreignAgency, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      // The grant's own shortcomings are reported first, and a domestic grant needs no customs.
      await expectVerdict(f, orgIds.foreignAgency, Scope.REDISTRIBUTE, Authorization.SCOPE_NOT_GRANTED, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
    });

    it("requires the new owner's customs for a domestic grant once the record is sold abroad (CustomsApprovalMissing), until it approves a new grant", async () => {
      const { rights, registry, governance, customs, foreignAgency, foreignCustoms, trader, orgIds } = ctx;
      // The grantee registers, so that it can derive.
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const f = await registered("domestic-then-sold", DataClass.INTERNAL);
      const scopes = Scope.USE | Scope.DERIVE;
      const grantId = await issue(f, orgIds.trader, { scopes });
      await derive(fp("before the sale"), f, trader);
      // Selling internal data to HK needs CN-GD customs; while it waits the record is still at home.
      const offerId = await offer(f, orgIds.foreignAgency);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.GRANTED, grantId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);

      const grant = await rights.getGrant(f, orgIds.trader);
      expect([grant.status, grant.exportJurisdiction, grant.grantorOrg]).to.deep.equal([
        BigInt(GrantStatus.ACTIVE),
        NO_JURISDICTION,
        orgIds.agency,
      ]);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expect(derive(fp("after the sale"), f, trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.trader, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expect(rights.derivationGrant(f, orgIds.trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.trader, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);

      // The new owner revokes it and grants anew: HK -> CN-GD waits for HK customs, whose approval counts.
      await rights.connect(foreignAgency).revokeGrant(f, orgIds.trader, REASON);
      const renewed = await issue(f, orgIds.trader, { by: foreignAgency, scopes });
      const pending = await rights.getGrant(f, orgIds.trader);
      expect([pending.status, pending.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.PENDING_CUSTOMS), HK]);
      await rights.connect(foreignCustoms).decideGrant(f, orgIds.trader, renewed, true, DECISION);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.GRANTED, renewed);
      await derive(fp("after the approval"), f, trader);
      expect((await ctx.ledger.getParents(fp("after the approval")))[1]).to.deep.equal([renewed]);
    });

    it("keeps an approved cross-border grant Granted: through a sale at home and whatever the Approval or Free rule", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const f = await registered("approved", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
      // Sold within CN-GD: the crossing is still the one CN-GD customs approved.
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      for (const rule of [Rule.FREE, Rule.APPROVAL]) {
        await setRule(DataClass.INTERNAL, rule);
        await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      }
      await derive(fp("second child"), f);
    });

    it("requires approval again of an approved cross-border grant once the record is sold to a third jurisdiction", async () => {
      const { rights, customs, orgIds } = ctx;
      const buyer = await onboard("MO Data Exchange", "MO", Role.TRADER, 10);
      const f = await registered("approved-then-sold", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      const offerId = await offer(f, buyer.orgId);
      await rights.connect(buyer.operator).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(buyer.orgId);
      // CN-GD customs approved a CN-GD -> HK crossing; MO -> HK is another one.
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
    });

    it("refuses an empty or undefined scope (InvalidScopes) and an unknown record (UnknownRecord)", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("errors");
      for (const scope of [0, 8, 0x80]) {
        await expect(rights.authorization(f, orgIds.agency, scope))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scope);
        await expect(rights.mayUse(f, orgIds.agency, scope))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scope);
      }
      await expect(rights.authorization(fp("none"), orgIds.agency, Scope.USE))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.mayUse(fp("none"), orgIds.agency, Scope.USE))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Derivations (the ledger asks the rights module)
  // ---------------------------------------------------------------------------------------------------------------

  describe("derivations through the ledger", () => {
    it("lets a foreign registrar derive with a live DERIVE grant and records the grant in the lineage", async () => {
      const { ledger, foreignAgency, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      const parentTrail = await ledger.trailHead(parent);
      const child = fp("child");
      const before = await positionOf(child);
      expect([before.head, before.length]).to.deep.equal([zeroHash, 0n]);
      const tx = await derive(child, parent);
      const reg = registration(child);
      const links = [[parent, Relation.DERIVED_FROM]];
      const values = [
        child,
        orgIds.foreignAgency,
        foreignAgency.address,
        Scheme.SHA256,
        DataClass.INTERNAL,
        reg.metadataHash,
        reg.metadataURI,
        links,
        [grantId],
      ];
      const p = next(
        before,
        child,
        Action.REGISTERED,
        foreignAgency.address,
        await timeOf(tx),
        payload(Params.RecordRegistered, values),
      );
      expect(p.length).to.equal(1n);
      await expect(tx)
        .to.emit(ledger, "RecordRegistered")
        .withArgs(...values, stampOf(p));
      const [parents, grants] = await ledger.getParents(child);
      expect(parents.map((link) => [link.fingerprint, link.relation])).to.deep.equal([[parent, 0n]]);
      expect(grants).to.deep.equal([grantId]);
      // Deriving is a read of the grant: the parent's trail does not change.
      expect(await ledger.trailHead(parent)).to.deep.equal(parentTrail);
    });

    it("refuses without a grant: DerivationRefused(parent, org, NoGrant, 0)", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.NO_GRANT, 0n);
    });

    it("refuses a grant without the DERIVE scope (ScopeNotGranted)", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.USE | Scope.REDISTRIBUTE });
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.SCOPE_NOT_GRANTED, grantId);
    });

    it("accepts an expiring grant through its expiry second and refuses it one second later (GrantExpired)", async () => {
      const { rights, ledger, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const expiresAt = (await blockTime()) + 1000n;
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE, expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await derive(fp("in time"), parent);
      expect((await ledger.getParents(fp("in time")))[1]).to.deep.equal([grantId]);
      await time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(derive(fp("too late"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.GRANT_EXPIRED, grantId);
    });

    it("refuses a revoked, a pending and a rejected grant, each with its reason and grant id", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const revokedParent = await registered("revoked", DataClass.PUBLIC);
      const revoked = await issue(revokedParent, orgIds.foreignAgency);
      await rights.connect(agency).revokeGrant(revokedParent, orgIds.foreignAgency, REASON);
      await expect(derive(fp("c1"), revokedParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(revokedParent, orgIds.foreignAgency, Authorization.GRANT_REVOKED, revoked);

      const pendingParent = await registered("pending", DataClass.IMPORTANT);
      const pending = await issue(pendingParent, orgIds.foreignAgency);
      await expect(derive(fp("c2"), pendingParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(pendingParent, orgIds.foreignAgency, Authorization.GRANT_PENDING_CUSTOMS, pending);
      await rights.connect(customs).decideGrant(pendingParent, orgIds.foreignAgency, pending, false, DECISION);
      await expect(derive(fp("c2"), pendingParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(pendingParent, orgIds.foreignAgency, Authorization.GRANT_REJECTED, pending);
    });

    it("refuses a frozen parent with the ledger's RecordIsFrozen, before asking the rights module", async () => {
      const { ledger, rights, inspector, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      await rights.connect(inspector).freeze(parent, REASON);
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(parent);
    });

    it("derivationGrant answers 0 for the owner and the grant id for a grantee, and reverts for others", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      expect(await rights.derivationGrant(parent, orgIds.agency)).to.equal(0n);
      expect(await rights.derivationGrant(parent, orgIds.foreignAgency)).to.equal(grantId);
      await expect(rights.derivationGrant(parent, orgIds.trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.trader, Authorization.NO_GRANT, 0n);
      await expect(rights.derivationGrant(parent, orgIds.suspended))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.suspended, Authorization.ORGANIZATION_INACTIVE, 0n);
      await expect(rights.derivationGrant(fp("none"), orgIds.agency))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });
  });
});
