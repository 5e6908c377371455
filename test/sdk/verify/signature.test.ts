import { expect } from "chai";
import hre from "hardhat";
import { recoverAddress, type Hex } from "viem";
import {
  Check,
  buildRegistrationReceipt,
  nativeSecp256k1Available,
  submissionDigest,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type RegistrationReceipt,
} from "../../../src/sdk";
import { hashOf, registration } from "../../helpers/fixtures";
import { signRegistration } from "../../helpers/signing";
import { check, setup } from "./deployment";

describe("SDK receipt verification: signatures", () => {
  it("a signed registration's receipt carries the signature, which verifies offline and online", async () => {
    const ctx = await setup();
    const fingerprint = hashOf("verify:signed");
    const reg = registration(fingerprint);
    const envelope = await signRegistration(ctx.ledger, ctx.agency, reg);
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    expect(receipt.submission?.signature).to.equal(envelope.signature.toLowerCase());

    const backends: ("js" | "native")[] = nativeSecp256k1Available() ? ["js", "native"] : ["js"];
    for (const secp256k1 of backends) {
      const offline = await verifyReceiptOffline(receipt, { secp256k1 });
      expect(check(offline, Check.SIGNATURE).detail).to.match(/EIP-712 signature of 0x[0-9a-f]{40}/);
      expect(offline.valid, offline.summary).to.equal(true);
    }
    const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(online.valid, online.summary).to.equal(true);
    expect(check(online, Check.SUBMISSION).detail).to.equal("the transaction's calldata carries this envelope");
  });

  it("refuses a malleated (high-s) signature that plain ecrecover would still accept", async () => {
    const ctx = await setup();
    const reg = registration(hashOf("verify:malleable"));
    const envelope = await signRegistration(ctx.ledger, ctx.agency, reg);
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    const signature = receipt.submission!.signature;
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = parseInt(signature.slice(130), 16);
    const malleated =
      `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
    // Same signer by the curve's symmetry: only the low-s rule (OpenZeppelin's, the ledger's) tells them apart.
    expect((await recoverAddress({ hash: submissionDigest(receipt)!, signature: malleated })).toLowerCase()).to.equal(
      ctx.agency.address.toLowerCase(),
    );
    const tampered: RegistrationReceipt = { ...receipt, submission: { ...receipt.submission!, signature: malleated } };
    const offline = await verifyReceiptOffline(tampered);
    expect(offline.valid).to.equal(false);
    expect(check(offline, Check.SIGNATURE).detail).to.match(/upper half of the curve order/);
  });

  it("an ERC-1271 wallet's signature cannot be checked offline, and verifies online", async () => {
    const ctx = await setup();
    const wallet = await hre.ethers.deployContract("MockERC1271Wallet", [ctx.walletOwner.address]);
    const walletAddress = await wallet.getAddress();
    await ctx.registry.connect(ctx.governance).addOperator(1, walletAddress);
    const reg = registration(hashOf("verify:erc1271"));
    const envelope = await signRegistration(ctx.ledger, ctx.walletOwner, reg, { signerAddress: walletAddress });
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    expect(receipt.record.registrant).to.equal(walletAddress.toLowerCase());

    const offline = await verifyReceiptOffline(receipt);
    expect(offline.valid).to.equal(false);
    expect(check(offline, Check.SIGNATURE).detail).to.match(/ERC-1271 wallet's\? verify online/);
    const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(online.valid, online.summary).to.equal(true);
    expect(check(online, Check.SIGNATURE).detail).to.match(
      /^signer 0x[0-9a-f]{40} is a contract wallet \(ERC-1271\); the ledger verified its signature when it accepted/,
    );
  });
});
