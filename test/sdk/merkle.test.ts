import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, concat, hexToBytes, keccak256, toHex, type Hex } from "viem";
import {
  batchLeafHash,
  BatchTreeError,
  buildBatchTree,
  InvalidBatchDumpError,
  InvalidFingerprintError,
  LeafNotFoundError,
  loadBatchTree,
  verifyBatchProof,
  type BatchTree,
  type BatchTreeDump,
} from "../../src/sdk/merkle";

const ENCODING = ["bytes32"];

/** Deterministic, distinct fingerprints. */
function fingerprints(n: number, salt = 0): Hex[] {
  return Array.from({ length: n }, (_, i) => keccak256(toHex(BigInt(salt) * 2n ** 32n + BigInt(i), { size: 32 })));
}

function ozTree(values: readonly Hex[]): StandardMerkleTree<[Hex]> {
  return StandardMerkleTree.of(
    values.map((v): [Hex] => [v]),
    ENCODING,
  );
}

/** Root, dump (so every node and leaf position) and every proof, by index and by value, identical to OpenZeppelin's. */
function expectSameAsOpenZeppelin(values: readonly Hex[]): BatchTree {
  const oz = ozTree(values);
  const ours = buildBatchTree(values);
  expect(ours.root).to.equal(oz.root);
  expect(ours.leafCount).to.equal(values.length);
  expect(ours.dump()).to.deep.equal(oz.dump());
  expect(buildBatchTree(hexToBytes(concat([...values]))).root).to.equal(oz.root);
  for (let i = 0; i < values.length; i++) {
    const proof = ours.proof(i);
    expect(proof).to.deep.equal(oz.getProof(i));
    expect(ours.proof(values[i])).to.deep.equal(oz.getProof([values[i]]));
    expect(ours.at(i)).to.equal(values[i]);
    expect(verifyBatchProof(ours.root, values[i], proof)).to.be.true;
    expect(StandardMerkleTree.verify(ours.root, ENCODING, [values[i]], proof)).to.be.true;
  }
  return ours;
}

function flipByte(hex: Hex, byte = 31): Hex {
  const bytes = hexToBytes(hex);
  bytes[byte] ^= 0x01;
  return bytesToHex(bytes);
}

describe("SDK batch Merkle tree (src/sdk/merkle.ts)", () => {
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

    it("batchLeafHash is the library's leaf hash", () => {
      const values = fingerprints(3, 5);
      const oz = ozTree(values);
      for (const value of values) expect(batchLeafHash(value)).to.equal(oz.leafHash([value]));
    });
  });

  describe("dumps", () => {
    it("OpenZeppelin loads ours (validating every node) and we load OpenZeppelin's, through JSON", () => {
      for (const n of [1, 2, 5, 100]) {
        const values = fingerprints(n, 1000 + n);
        const ours = buildBatchTree(values);
        const ozLoaded = StandardMerkleTree.load(JSON.parse(JSON.stringify(ours.dump())) as BatchTreeDump);
        expect(ozLoaded.root).to.equal(ours.root);
        for (let i = 0; i < n; i++) expect(ozLoaded.getProof(i)).to.deep.equal(ours.proof(i));

        const loaded = loadBatchTree(JSON.parse(JSON.stringify(ozTree(values).dump())));
        expect(loaded.root).to.equal(ours.root);
        expect(loaded.dump()).to.deep.equal(ours.dump());
        for (let i = 0; i < n; i++) expect(loaded.proof(values[i])).to.deep.equal(ours.proof(i));
      }
    });

    it("loadBatchTree refuses a dump that is malformed or does not match its values", () => {
      const good = buildBatchTree(fingerprints(6, 6)).dump();
      const tampered: [string, (dump: BatchTreeDump) => unknown][] = [
        ["not an object", () => "tree"],
        ["format", (d) => ({ ...d, format: "simple-v1" })],
        ["leaf encoding", (d) => ({ ...d, leafEncoding: ["uint256"] })],
        ["an internal node", (d) => ({ ...d, tree: d.tree.map((h, i) => (i === 2 ? flipByte(h) : h)) })],
        ["the root", (d) => ({ ...d, tree: d.tree.map((h, i) => (i === 0 ? flipByte(h) : h)) })],
        ["a leaf", (d) => ({ ...d, tree: d.tree.map((h, i) => (i === 8 ? flipByte(h) : h)) })],
        ["a node count", (d) => ({ ...d, tree: d.tree.slice(0, -1) })],
        ["a malformed node", (d) => ({ ...d, tree: d.tree.map((h, i) => (i === 1 ? h.slice(0, 40) : h)) })],
        [
          "a value",
          (d) => ({ ...d, values: d.values.map((v, i) => (i === 3 ? { ...v, value: [flipByte(v.value[0])] } : v)) }),
        ],
        ["a malformed value", (d) => ({ ...d, values: d.values.map((v, i) => (i === 3 ? { ...v, value: "0x" } : v)) })],
        [
          "two leaf positions swapped",
          (d) => ({
            ...d,
            values: d.values.map((v, i) => (i < 2 ? { ...v, treeIndex: d.values[1 - i].treeIndex } : v)),
          }),
        ],
        ["a value removed", (d) => ({ ...d, values: d.values.slice(1) })],
      ];
      for (const [what, tamper] of tampered) {
        const dump = tamper(structuredClone(good));
        expect(() => loadBatchTree(dump), what).to.throw(InvalidBatchDumpError);
      }
      expect(loadBatchTree(structuredClone(good)).root).to.equal(good.tree[0]);
    });
  });

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
