import { expect } from "chai";
import hre from "hardhat";
import {
  Authorization,
  Check,
  DataClass,
  Relation,
  Scope,
  verifyReceiptOffline,
  verifyReceiptOnline,
} from "../../../src/sdk";
import { hashOf } from "../../helpers/fixtures";
import { check, register, setup } from "./deployment";

describe("SDK receipt verification", () => {
  describe("the record's standing today", () => {
    it("reports a withdrawn record: authentic, but not in good standing", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:withdrawn");
      await ctx.ledger.connect(ctx.agency).withdraw(fingerprint, hashOf("reason"));
      const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({ withdrawn: true });
      expect(verdict.checks.filter((c) => !c.ok).map((c) => c.name)).to.deep.equal([Check.NOT_WITHDRAWN]);
      expect(verdict.summary).to.match(/^AUTHENTIC BUT NOT IN GOOD STANDING: .*not withdrawn: the owner withdrew/);
      // The owner as the registry names it (through the SDK's one organisation look-up).
      expect(check(verdict, Check.OWNER).detail).to.equal(
        "owned by CN-GD/Open Data Bureau (org 1), as at registration",
      );
      // Offline knows nothing of today: the receipt itself is still consistent.
      expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
    });

    it("reports a superseded record and its latest version", async () => {
      const ctx = await setup();
      const v1 = await register(ctx, "verify:v1");
      const v2 = await register(ctx, "verify:v2", {
        parents: [{ fingerprint: v1.fingerprint, relation: Relation.REVISION_OF }],
      });
      const v3 = await register(ctx, "verify:v3", {
        parents: [{ fingerprint: v2.fingerprint, relation: Relation.REVISION_OF }],
      });
      const verdict = await verifyReceiptOnline(ctx.client, v1.receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({ supersededBy: v2.fingerprint, latestVersion: v3.fingerprint });
      expect(check(verdict, Check.LATEST_VERSION)).to.deep.equal({
        name: Check.LATEST_VERSION,
        ok: false,
        detail: `superseded by ${v2.fingerprint}; the latest version is ${v3.fingerprint}`,
      });
      expect((await verifyReceiptOnline(ctx.client, v3.receipt, { ledger: ctx.ledgerAddress })).valid).to.equal(true);
    });

    it("reports a frozen record, and the current owner after a transfer", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:frozen", { dataClass: DataClass.PUBLIC });
      const latest = await hre.ethers.provider.getBlock("latest");
      await ctx.rights.connect(ctx.agency).offerTransfer(fingerprint, 4, hashOf("terms"), latest!.timestamp + 3600);
      await ctx.rights.connect(ctx.exchange).acceptOffer(1);
      await ctx.rights.connect(ctx.inspector).freeze(fingerprint, hashOf("investigation"));
      const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({
        frozen: true,
        ownerOrg: 4,
        ownerName: "CN-GD/GD Data Exchange (org 4)",
      });
      expect(check(verdict, Check.NOT_FROZEN).ok).to.equal(false);
      expect(check(verdict, Check.OWNER)).to.include({
        ok: true,
        detail: "now owned by CN-GD/GD Data Exchange (org 4); org 1 registered it",
      });
    });

    it("answers whether an organisation may use the record, and lists its grants", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:rights", { dataClass: DataClass.PUBLIC });
      await ctx.rights.connect(ctx.agency).issueGrant(fingerprint, 2, Scope.USE | Scope.DERIVE, hashOf("purpose"), 0);
      const granted = await verifyReceiptOnline(ctx.client, receipt, {
        ledger: ctx.ledgerAddress,
        authorization: { org: 2 },
      });
      expect(granted.valid, granted.summary).to.equal(true);
      expect(check(granted, Check.AUTHORIZATION).detail).to.equal("org 2, scope derive: granted (grant 1)");
      expect(check(granted, Check.GRANTS).detail).to.equal("org 2: grant 1 use+derive, active");

      const refused = await verifyReceiptOnline(ctx.client, receipt, {
        ledger: ctx.ledgerAddress,
        authorization: { org: 4, scope: Scope.USE },
      });
      expect(refused).to.deep.include({ valid: false, authentic: true });
      expect(check(refused, Check.AUTHORIZATION)).to.include({ ok: false, detail: "org 4, scope use: no grant" });
      expect(Authorization.NO_GRANT).to.equal(6);
    });
  });
});
