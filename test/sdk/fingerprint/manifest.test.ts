import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import {
  fingerprintBytes,
  fingerprintDirectory,
  manifestLeaf,
  manifestRoot,
  type ManifestEntry,
} from "../../../src/sdk";
import { makeTree, pattern, rootByHand, sampleTree, thrown, useScratch } from "./helpers";

describe("SDK fingerprints", () => {
  const { fresh } = useScratch();

  describe("scheme 2: directory manifests, the root", () => {
    it("has the root of a StandardMerkleTree over the documented leaves", async () => {
      const dir = await fresh("by-hand");
      await makeTree(dir, sampleTree);
      const manifest = await fingerprintDirectory(dir);
      expect(manifest.root).to.equal(rootByHand(manifest.entries));
      expect(manifest.root).to.match(/^0x[0-9a-f]{64}$/);
      const shuffled = [...manifest.entries].reverse();
      expect(manifestRoot(shuffled)).to.equal(manifest.root);
      // Every entry's leaf proves inclusion against the root.
      const standard = StandardMerkleTree.of(
        manifest.entries.map((entry): [Hex] => [manifestLeaf(entry)]),
        ["bytes32"],
      );
      for (const [index, [leaf]] of standard.entries()) {
        expect(StandardMerkleTree.verify(manifest.root, ["bytes32"], [leaf], standard.getProof(index))).to.be.true;
      }
      // A single-file directory: the root is the leaf's hash.
      const single = await fresh("single");
      await makeTree(single, [["only.txt", "alone"]]);
      const one = await fingerprintDirectory(single);
      expect(one.root).to.equal(rootByHand(one.entries));
    });

    it("checks the entries it is given", () => {
      const sha256 = fingerprintBytes("x");
      const bad: ManifestEntry[][] = [
        [{ path: "/abs", size: 1, sha256 }],
        [{ path: "a//b", size: 1, sha256 }],
        [{ path: "a/../b", size: 1, sha256 }],
        [{ path: "./a", size: 1, sha256 }],
        [{ path: "a", size: -1, sha256 }],
        [{ path: "a", size: 1.5, sha256 }],
        [
          { path: "a", size: 1, sha256 },
          { path: "a", size: 1, sha256 },
        ],
      ];
      for (const entries of bad) thrown(() => manifestRoot(entries), "InvalidInput");
      thrown(() => manifestRoot([{ path: "a", size: 1, sha256: "0x12" }]), "InvalidHex");
    });

    it("is deterministic: the same root twice and whatever the creation order", async () => {
      const first = await fresh("order-a");
      const second = await fresh("order-b");
      await makeTree(first, sampleTree);
      await makeTree(second, [...sampleTree].reverse());
      const a = await fingerprintDirectory(first);
      const again = await fingerprintDirectory(first, { concurrency: 1 });
      const b = await fingerprintDirectory(second, { concurrency: 3 });
      expect(again).to.deep.equal(a);
      expect(b).to.deep.equal(a);
    });

    it("changes the root when one byte, a name or a file set changes", async () => {
      const dir = await fresh("changes");
      await makeTree(dir, sampleTree);
      const before = await fingerprintDirectory(dir);
      const { root } = before;

      const content = Buffer.from(pattern(70_000, 3));
      content[40_000] ^= 1;
      await writeFile(join(dir, "data", "2024", "part-0002.csv"), content);
      const flipped = await fingerprintDirectory(dir);
      expect(flipped.root).to.not.equal(root);
      const changed = flipped.entries.filter((entry, i) => entry.sha256 !== before.entries[i].sha256);
      expect(changed.map((entry) => entry.path)).to.deep.equal(["data/2024/part-0002.csv"]);

      await writeFile(join(dir, "data", "2024", "part-0002.csv"), pattern(70_000, 3));
      expect((await fingerprintDirectory(dir)).root).to.equal(root);

      await writeFile(join(dir, "data", "2024", "part-0003.csv"), "");
      expect((await fingerprintDirectory(dir)).root).to.not.equal(root);
      await rm(join(dir, "data", "2024", "part-0003.csv"));

      // An empty directory leaves no trace.
      await mkdir(join(dir, "empty-dir"));
      expect((await fingerprintDirectory(dir)).root).to.equal(root);

      const renamed = await fresh("renamed");
      await makeTree(
        renamed,
        sampleTree.map(([path, data]) => [path === "empty.txt" ? "Empty.txt" : path, data]),
      );
      expect((await fingerprintDirectory(renamed)).root).to.not.equal(root);
    });
  });
});
