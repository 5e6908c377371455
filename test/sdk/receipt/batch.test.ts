import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import hre from "hardhat";
import type { Hex } from "viem";
import {
  Action,
  ReceiptFormatError,
  buildBatchMemberReceipt,
  parseReceipt,
  verifyReceiptOffline,
} from "../../../src/sdk";
import { hashOf } from "../../helpers/fixtures";
import { signBatch } from "../../helpers/signing";
import { expectBuildError, lower, setup } from "./deployment";

describe("SDK provenance receipts: batch members", () => {
  describe("buildBatchMemberReceipt", () => {
    it("writes down a member's proof, the anchor and the signed envelope of anchorBatchBySig", async () => {
      const { ledger, agency, relayer, client, ledgerAddress } = await setup();
      const fingerprints = Array.from({ length: 50 }, (_, i) => hashOf(`receipt:batch:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const batch = { root: tree.root, leafCount: 50n, metadataHash: hashOf("manifest"), metadataURI: "ipfs://m" };
      const envelope = await signBatch(ledger, agency, batch);
      const tx = await ledger
        .connect(relayer)
        .anchorBatchBySig(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, envelope);
      const mined = (await tx.wait())!;

      const receipt = await buildBatchMemberReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
        fingerprint: fingerprints[7] as Hex,
        proof: tree.getProof(7) as Hex[],
      });
      const block = (await hre.ethers.provider.getBlock(mined.blockNumber))!;
      expect(receipt.kind).to.equal("batch-member");
      expect(receipt.fingerprint).to.equal(fingerprints[7]);
      // Exactly these fields: no position in the batch, which the sorted-pair proof does not commit to.
      expect(receipt.batch).to.deep.equal({
        root: tree.root,
        org: 1,
        registrant: lower(agency.address),
        leafCount: "50",
        metadataHash: batch.metadataHash,
        metadataURI: "ipfs://m",
        anchoredAt: String(block.timestamp),
        anchoredBlock: String(mined.blockNumber),
        proof: tree.getProof(7),
      });
      expect(receipt.trail.entry).to.deep.include({ action: Action.BATCH_ANCHORED, actor: lower(agency.address) });
      expect(receipt.trail.stamp.recordLength).to.equal("1");
      expect(receipt.submission).to.deep.include({
        signer: lower(agency.address),
        signature: lower(envelope.signature),
      });
      const verdict = await verifyReceiptOffline(receipt);
      expect(verdict.valid, verdict.summary).to.equal(true);
      // The format has no place for a position either: a receipt that claims one is malformed.
      expect(() => parseReceipt({ ...receipt, batch: { ...receipt.batch, leafIndex: 7 } })).to.throw(
        ReceiptFormatError,
        '/batch: unknown field "leafIndex"',
      );
    });

    it("refuses a proof that leads to no root the transaction anchored", async () => {
      const { ledger, agency, client, ledgerAddress } = await setup();
      const fingerprints = Array.from({ length: 8 }, (_, i) => hashOf(`receipt:small:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const tx = await ledger.connect(agency).anchorBatch(tree.root, 8, hashOf("m"), "");
      const request = {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
        fingerprint: fingerprints[3] as Hex,
        proof: tree.getProof(3) as Hex[],
      };
      expect((await buildBatchMemberReceipt(client, request)).batch.root).to.equal(tree.root);
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, fingerprint: hashOf("not a member") as Hex }),
        "RootNotAnchored",
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, proof: request.proof.slice(0, -1) }),
        "RootNotAnchored",
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, fingerprint: fingerprints[4] as Hex }),
        "RootNotAnchored",
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
    });
  });
});
