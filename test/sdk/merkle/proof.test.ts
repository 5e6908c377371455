import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, hexToBytes, keccak256, type Hex } from "viem";
import {
  InvalidFingerprintError,
  batchLeafHash,
  buildBatchTree,
  verifyBatchProof,
  batchRootFromProof,
} from "../../../src/sdk";
// From the part itself until the root exports it from merkle/ (today the receipt section exports its own copy).
import { ENCODING, fingerprints, flipByte, ozTree } from "./helpers";

describe("SDK batch Merkle tree", () => {
  describe("verifyBatchProof", () => {
    const values = fingerprints(37, 37);
    const tree = buildBatchTree(values);
    const proof = tree.proof(11);

    it("accepts the proof and refuses tampered proofs, leaves and roots (as OpenZeppelin does)", () => {
      const cases: [string, Hex, Hex, Hex[]][] = [
        ["a sibling changed", tree.root, values[11], proof.map((h, i) => (i === 2 ? flipByte(h, 0) : h))],
        ["another leaf", tree.root, values[12], proof],
        ["a changed leaf", tree.root, flipByte(values[11]), proof],
        ["a changed root", flipByte(tree.root), values[11], proof],
        ["a sibling dropped", tree.root, values[11], proof.slice(0, -1)],
        ["a sibling added", tree.root, values[11], [...proof, proof[0]]],
        ["siblings reordered", tree.root, values[11], [proof[1], proof[0], ...proof.slice(2)]],
        ["no proof", tree.root, values[11], []],
      ];
      expect(verifyBatchProof(tree.root, values[11], proof)).to.be.true;
      for (const [what, root, leaf, badProof] of cases) {
        expect(verifyBatchProof(root, leaf, badProof), what).to.be.false;
        expect(StandardMerkleTree.verify(root, ENCODING, [leaf], badProof), what).to.be.false;
      }
    });

    it("a one-leaf tree: the root is the leaf hash and the proof is empty", () => {
      const single = buildBatchTree([values[0]]);
      expect(single.root).to.equal(batchLeafHash(values[0]));
      expect(single.proof(0)).to.deep.equal([]);
      expect(verifyBatchProof(single.root, values[0], [])).to.be.true;
      expect(verifyBatchProof(single.root, values[1], [])).to.be.false;
    });

    it("throws InvalidFingerprintError for a malformed root, fingerprint or sibling", () => {
      expect(() => verifyBatchProof("0x1234", values[0], proof)).to.throw(InvalidFingerprintError, /root/);
      expect(() => verifyBatchProof(tree.root, "0x1234", proof)).to.throw(InvalidFingerprintError, /fingerprint/);
      const bad = [...proof.slice(0, 3), "0xzz" as Hex];
      expect(() => verifyBatchProof(tree.root, values[11], bad)).to.throw(InvalidFingerprintError, /proof\[3\]/);
    });
  });

  describe("batchLeafHash", () => {
    it("batchLeafHash is the library's leaf hash", () => {
      const values = fingerprints(3, 5);
      const oz = ozTree(values);
      for (const value of values) expect(batchLeafHash(value)).to.equal(oz.leafHash([value]));
    });
  });

  describe("batchRootFromProof", () => {
    /** The rule as the contracts state it, with viem's keccak256: the oracle for the kernel's proof walk. */
    function rootByHand(fingerprint: Hex, proof: readonly Hex[]): Hex {
      let node = keccak256(keccak256(hexToBytes(fingerprint), "bytes"), "bytes");
      for (const siblingHex of proof) {
        const sibling = hexToBytes(siblingHex);
        const nodeFirst = Buffer.compare(node, sibling) <= 0;
        node = keccak256(new Uint8Array([...(nodeFirst ? node : sibling), ...(nodeFirst ? sibling : node)]), "bytes");
      }
      return bytesToHex(node);
    }

    it("leads every proof of a tree to its root", () => {
      const values = fingerprints(37, 38);
      const tree = buildBatchTree(values);
      for (let i = 0; i < values.length; i++) expect(batchRootFromProof(values[i], tree.proof(i))).to.equal(tree.root);
      expect(batchRootFromProof(values[0], [])).to.equal(batchLeafHash(values[0]));
    });

    it("hashes sorted pairs from the leaf hash up, for any siblings (property)", () => {
      const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytesToHex(bytes));
      fc.assert(
        fc.property(bytes32, fc.array(bytes32, { maxLength: 30 }), fc.boolean(), (fingerprint, proof, repeat) => {
          // Equal neighbours exercise the comparison's tie.
          const siblings = repeat && proof.length > 0 ? [...proof, proof[0], proof[0]] : proof;
          const upper = `0x${fingerprint.slice(2).toUpperCase()}` as Hex;
          expect(batchRootFromProof(upper, siblings)).to.equal(rootByHand(fingerprint, siblings));
        }),
        { numRuns: 200 },
      );
    });

    it("walks proofs longer than one chunk of its kernel's memory", () => {
      const [fingerprint, ...proof] = fingerprints(5001, 5001);
      expect(batchRootFromProof(fingerprint, proof)).to.equal(rootByHand(fingerprint, proof));
    });

    it("names a malformed fingerprint or sibling", () => {
      const [fingerprint, ...proof] = fingerprints(3, 3);
      expect(() => batchRootFromProof("0x12", proof)).to.throw(InvalidFingerprintError, /^fingerprint must be/);
      expect(() => batchRootFromProof(fingerprint, [proof[0], "0x12"])).to.throw(InvalidFingerprintError, /proof\[1\]/);
      expect(() => batchLeafHash("0x12")).to.throw(InvalidFingerprintError, /fingerprint/);
    });
  });
});
