import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, concat, hexToBytes, type Hex } from "viem";
import {
  BatchTreeError,
  InvalidFingerprintError,
  LeafNotFoundError,
  buildBatchTree,
  loadBatchTree,
  verifyBatchProof,
} from "../../../src/sdk";
import { ENCODING, expectSameAsOpenZeppelin, fingerprints, ozTree } from "./helpers";

describe("SDK batch Merkle tree", () => {
  describe("identical to @openzeppelin/merkle-tree StandardMerkleTree", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 100, 1000]) {
      it(`${n} leaves: root, dump and every proof`, () => {
        expectSameAsOpenZeppelin(fingerprints(n, n));
      });
    }

    it("random fingerprint arrays, duplicates included (property)", () => {
      const pool = fingerprints(4, 99);
      const fingerprint = fc.oneof(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytesToHex(bytes)),
        fc.constantFrom(...pool),
      );
      fc.assert(
        fc.property(fc.array(fingerprint, { minLength: 1, maxLength: 40 }), (values) => {
          expectSameAsOpenZeppelin(values);
        }),
        { numRuns: 150 },
      );
    });

    it("many copies of one fingerprint: each its own leaf, proof(fingerprint) proves the last copy", () => {
      const [a, b, c] = fingerprints(3, 7);
      const values = [a, ...Array<Hex>(100).fill(b), c, b, a];
      const ours = expectSameAsOpenZeppelin(values);
      expect(ours.proof(b)).to.deep.equal(ours.proof(values.lastIndexOf(b)));
      expect(ours.proof(b)).not.to.deep.equal(ours.proof(1));
    });

    it("10,000 leaves: root, and every 100th proof", () => {
      const values = fingerprints(10_000, 10_000);
      const oz = ozTree(values);
      const ours = buildBatchTree(values);
      expect(ours.root).to.equal(oz.root);
      for (let i = 0; i < values.length; i += 100) {
        const proof = ours.proof(i);
        expect(proof).to.deep.equal(oz.getProof(i));
        expect(proof.length).to.be.within(13, 14); // leaves sit on the last two levels
        expect(verifyBatchProof(ours.root, values[i], proof)).to.be.true;
      }
    });

    it("65,536 leaves (a tree large enough to stay in WebAssembly memory): sampled proofs verify", () => {
      const values = fingerprints(65_536, 65_536);
      const ours = buildBatchTree(values);
      expect(buildBatchTree(hexToBytes(concat(values))).root).to.equal(ours.root);
      for (let i = 0; i < values.length; i += 4096) {
        expect(ours.at(i)).to.equal(values[i]);
        expect(ours.proof(values[i])).to.deep.equal(ours.proof(i));
        expect(verifyBatchProof(ours.root, values[i], ours.proof(i))).to.be.true;
        expect(StandardMerkleTree.verify(ours.root, ENCODING, [values[i]], ours.proof(i))).to.be.true;
      }
      expect(loadBatchTree(ours.dump()).root).to.equal(ours.root);
    });

    it("upper-case fingerprints give the same tree; everything returned is lowercase", () => {
      const lower = fingerprints(9, 3);
      const upper = lower.map((f): Hex => `0x${f.slice(2).toUpperCase()}`);
      const ours = buildBatchTree(upper);
      expect(ours.root).to.equal(ozTree(upper).root);
      expect(ours.dump()).to.deep.equal(ozTree(lower).dump());
      expect(ours.at(0)).to.equal(lower[0]);
      expect(ours.proof(upper[4])).to.deep.equal(ours.proof(4));
      expect(verifyBatchProof(`0x${ours.root.slice(2).toUpperCase()}`, upper[4], ours.proof(4))).to.be.true;
    });
  });

  describe("input validation", () => {
    const good = fingerprints(4, 4);

    it("refuses fingerprints that are not 32 bytes of 0x-hex, naming the first one", () => {
      const bad: [string, unknown][] = [
        ["too short", "0x1234"],
        ["too long", `${good[0]}00`],
        ["63 digits", good[0].slice(0, 65)],
        ["no 0x prefix", `00${good[0].slice(2)}`],
        ["0X prefix", `0X${good[0].slice(2)}`],
        ["non-hex digit", `0x${"g".repeat(64)}`],
        ["non-ASCII character", `0x${"0".repeat(63)}\u0130`],
        ["a number", 42],
        ["bytes", hexToBytes(good[0])],
        ["undefined", undefined],
      ];
      for (const [what, value] of bad) {
        const values = [good[0], good[1], value as Hex, good[2]];
        expect(() => buildBatchTree(values), what)
          .to.throw(InvalidFingerprintError, /fingerprints\[2\] must be 32 bytes/)
          .with.property("value", value);
      }
    });

    it("refuses bytes that are not a whole number of fingerprints", () => {
      expect(() => buildBatchTree(new Uint8Array(33))).to.throw(InvalidFingerprintError, /fingerprints\[1\]/);
      expect(() => buildBatchTree(new Uint8Array(31))).to.throw(InvalidFingerprintError, /fingerprints\[0\]/);
    });

    it("refuses an empty batch", () => {
      expect(() => buildBatchTree([])).to.throw(BatchTreeError, /at least one/);
      expect(() => buildBatchTree(new Uint8Array(0))).to.throw(BatchTreeError, /at least one/);
    });

    it("proof and at refuse indexes out of range and fingerprints not in the tree", () => {
      const tree = buildBatchTree(good);
      for (const index of [-1, 4, 1.5, Number.NaN]) {
        expect(() => tree.proof(index), String(index)).to.throw(LeafNotFoundError);
        expect(() => tree.at(index), String(index)).to.throw(LeafNotFoundError);
      }
      expect(() => tree.proof(fingerprints(1, 5)[0])).to.throw(LeafNotFoundError, /not in the tree/);
      expect(() => tree.proof("0x12")).to.throw(InvalidFingerprintError);
    });

    it("errors are BatchTreeErrors with their own names", () => {
      const error = (() => {
        try {
          buildBatchTree(["0x12"]);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).to.be.instanceOf(BatchTreeError).and.instanceOf(InvalidFingerprintError);
      expect((error as Error).name).to.equal("InvalidFingerprintError");
    });
  });
});
