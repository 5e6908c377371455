import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { InvalidBatchDumpError, buildBatchTree, loadBatchTree, type BatchTreeDump } from "../../../src/sdk";
import { fingerprints, flipByte, ozTree } from "./helpers";

describe("SDK batch Merkle tree", () => {
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
});
