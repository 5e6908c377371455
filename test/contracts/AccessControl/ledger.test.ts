/** Access control of ProvenanceLedger: its matrix rows, its rights-module hooks, and its signed submissions. */

import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, setBalance, stopImpersonatingAccount } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Relation, hashOf, ledgerFixture, registration, rightsFixture } from "../../helpers/fixtures";
import { signBatch, signRegistration } from "../../helpers/signing";
import { MATRIX_FINGERPRINT, REGISTRAR_ORG, describeMatrix, registerMatrixRecord, spareSigners } from "./matrix";
import { LEDGER_ROWS, MATRIX_BATCH, RIGHTS_HOOKS, anchorBatchBySig, expectRegistered } from "./ledger.rules";

describe("Access control", function () {
  describeMatrix(LEDGER_ROWS);

  describe("ProvenanceLedger rights hooks: the attached rights module is the one caller allowed", function () {
    for (const hook of RIGHTS_HOOKS) {
      it(`${hook.name}: allows the DataRights contract (impersonated) to ${hook.what}`, async function () {
        const ctx = await rightsFixture();
        await registerMatrixRecord(ctx, ctx.agencyKey2);
        const moduleAddress = await ctx.rights.getAddress();
        await impersonateAccount(moduleAddress);
        try {
          await setBalance(moduleAddress, ethers.parseEther("1"));
          const rightsModule = await ethers.getSigner(moduleAddress);

          await expect(hook.send(ctx, rightsModule)).not.to.be.reverted;
        } finally {
          await stopImpersonatingAccount(moduleAddress);
        }

        const [, trailLength] = await ctx.ledger.trailHead(MATRIX_FINGERPRINT);
        expect(trailLength, "trail entries: registration and the hook's").to.equal(2n);
        await hook.expectDone(ctx);
      });
    }
  });

  describe("signed submissions: the signer's membership counts, and signatures cannot be forged", function () {
    it("rejects a registration signed by another key than envelope.signer with InvalidSignature(signer)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const record = registration(hashOf("forged"));
      const envelope = await signRegistration(ledger, outsider, record, { signerAddress: agency.address });

      await expect(ledger.connect(outsider).registerBySig(record, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("rejects a batch anchor signed by another key than envelope.signer with InvalidSignature(signer)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const envelope = await signBatch(ledger, outsider, MATRIX_BATCH, { signerAddress: agency.address });

      await expect(anchorBatchBySig(ledger, outsider, MATRIX_BATCH, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("rejects a registration whose signed fields were altered by the relayer with InvalidSignature", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const record = registration(hashOf("signed"));
      const envelope = await signRegistration(ledger, agency, record);

      await expect(ledger.connect(outsider).registerBySig({ ...record, dataClass: 3 }, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("accepts a registrar's signature over a registration with parents (ParentLink[] encoding)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const first = hashOf("version 1");
      const second = hashOf("version 2");
      await ledger.connect(agency).register(registration(first));
      const record = registration(second, { parents: [{ fingerprint: first, relation: Relation.REVISION_OF }] });
      const envelope = await signRegistration(ledger, agency, record);

      await expect(ledger.connect(outsider).registerBySig(record, envelope))
        .to.emit(ledger, "RecordSuperseded")
        .withArgs(first, REGISTRAR_ORG, agency.address, second, anyValue);
    });

    it("accepts an ERC-1271 contract wallet that operates for a registrar organisation", async function () {
      const { registry, ledger, governance, outsider } = await ledgerFixture();
      const [, walletOwner] = await spareSigners();
      const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      await registry.connect(governance).addOperator(REGISTRAR_ORG, walletAddress);
      const record = registration(hashOf("wallet-signed"));
      const envelope = await signRegistration(ledger, walletOwner, record, { signerAddress: walletAddress });

      await expectRegistered(
        ledger,
        ledger.connect(outsider).registerBySig(record, envelope),
        record,
        REGISTRAR_ORG,
        walletAddress,
      );
    });

    it("refuses an ERC-1271 contract wallet of no organisation with AccountNotMember(wallet)", async function () {
      const { ledger, outsider } = await ledgerFixture();
      const [, walletOwner] = await spareSigners();
      const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      const envelope = await signBatch(ledger, walletOwner, MATRIX_BATCH, { signerAddress: walletAddress });

      await expect(anchorBatchBySig(ledger, outsider, MATRIX_BATCH, envelope))
        .to.be.revertedWithCustomError(ledger, "AccountNotMember")
        .withArgs(walletAddress);
    });
  });
});
