import { expect } from "chai";
import { mkdtemp, readFile, readdir, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toHex, type Hex } from "viem";
import {
  BatchFileError,
  InvalidBatchDumpError,
  ProvledgerError,
  batchMetadataHash,
  loadBatchManifest,
  metadataHash,
  prepareBatch,
  readBatchProofs,
  verifyBatchProof,
  writeBatchFiles,
  type BatchFileErrorCode,
} from "../../../src/sdk";

/** The code of the BatchFileError that `action` throws. */
function code(action: () => unknown): BatchFileErrorCode {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(BatchFileError);
    expect((error as BatchFileError).name).to.equal("BatchFileError");
    return (error as BatchFileError).code;
  }
  throw new Error("expected a BatchFileError");
}

const fingerprints = (n: number, label = "leaf"): Hex[] =>
  Array.from({ length: n }, (_, i) => keccak256(toHex(`${label}-${i}`)));

describe("SDK batch files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "provledger-batch-"));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a manifest OpenZeppelin can load and one proof line per leaf that verifies", async () => {
    const leaves = fingerprints(1000);
    const batch = prepareBatch(leaves, { publisher: "Open Data Bureau", period: "2026-Q3" });
    const { manifestPath, proofsPath } = await writeBatchFiles(dir, batch);
    expect((await readdir(dir)).sort()).to.deep.equal(["manifest.json", "proofs.jsonl"]);

    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    const oz = StandardMerkleTree.load(manifest.tree);
    expect(oz.root).to.equal(batch.tree.root);
    expect(manifest.root).to.equal(
      StandardMerkleTree.of(
        leaves.map((leaf) => [leaf]),
        ["bytes32"],
      ).root,
    );

    let count = 0;
    for await (const line of readBatchProofs(proofsPath)) {
      expect(line.index).to.equal(count);
      expect(verifyBatchProof(batch.tree.root, line.fingerprint, line.proof)).to.equal(true);
      if (count % 97 === 0)
        expect(StandardMerkleTree.verify(oz.root, ["bytes32"], [line.fingerprint], line.proof)).to.be.true;
      count += 1;
    }
    expect(count).to.equal(leaves.length);
  });

  it("binds the publisher's metadata to the root in the on-chain metadata hash", () => {
    const leaves = fingerprints(10);
    const batch = prepareBatch(leaves, { note: "a" });
    expect(batch.metadataHash).to.equal(
      metadataHash({ format: "provledger-batch-v1", root: batch.tree.root, leafCount: 10, metadata: { note: "a" } }),
    );
    expect(prepareBatch(leaves, { note: "b" }).metadataHash).to.not.equal(batch.metadataHash);
    expect(prepareBatch(fingerprints(10, "other"), { note: "a" }).metadataHash).to.not.equal(batch.metadataHash);
    expect(batchMetadataHash(batch.manifest)).to.equal(batch.metadataHash);
  });

  it("reads a manifest back and refuses one whose tree does not rebuild to its root", async () => {
    const batch = prepareBatch(fingerprints(50), null);
    const { manifestPath } = await writeBatchFiles(dir, batch);
    const text = await readFile(manifestPath, "utf8");
    const loaded = loadBatchManifest(text);
    expect(loaded.tree.root).to.equal(batch.tree.root);
    expect(loaded.metadataHash).to.equal(batch.metadataHash);

    const altered = JSON.parse(text);
    altered.root = keccak256(toHex("another root"));
    expect(() => loadBatchManifest(JSON.stringify(altered))).to.throw(BatchFileError, /was altered/);
    expect(() => loadBatchManifest("{")).to.throw(BatchFileError, /not JSON/);
    expect(() => loadBatchManifest(JSON.stringify({ format: "x" }))).to.throw(BatchFileError, /format must be/);
    const rootless = { ...JSON.parse(text), root: undefined };
    expect(() => loadBatchManifest(JSON.stringify(rootless))).to.throw(BatchFileError, /needs a root/);
    expect(code(() => loadBatchManifest(JSON.stringify(altered)))).to.equal("ManifestAltered");
    expect(code(() => loadBatchManifest("{"))).to.equal("NotJson");
    expect(code(() => loadBatchManifest(JSON.stringify(rootless)))).to.equal("NotAManifest");
    // A tree that was edited does not load at all.
    const edited = JSON.parse(text);
    edited.tree.tree[1] = edited.tree.tree[2];
    expect(() => loadBatchManifest(JSON.stringify(edited))).to.throw(InvalidBatchDumpError);
  });

  it("leaves nothing half-written when it cannot write", async function () {
    if (process.getuid?.() === 0) {
      // Root ignores directory permissions: make the target a file instead, so that creating inside it fails.
      const target = join(dir, "not-a-directory");
      await writeFile(target, "x");
      await expect(writeBatchFiles(target, prepareBatch(fingerprints(5)))).to.be.rejectedWith(
        BatchFileError,
        /could not write the batch files/,
      );
      expect(await readdir(dir)).to.deep.equal(["not-a-directory"]);
      return;
    }
    await chmod(dir, 0o500);
    await expect(writeBatchFiles(dir, prepareBatch(fingerprints(5)))).to.be.rejectedWith(BatchFileError);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it("reports the line of a corrupt proofs file", async () => {
    const path = join(dir, "proofs.jsonl");
    await writeFile(path, '{"index":0,"fingerprint":"0x00","proof":[]}\nnot json\n');
    const read = async () => {
      for await (const line of readBatchProofs(path)) void line;
    };
    await expect(read()).to.be.rejectedWith(BatchFileError, /proofs.jsonl:2 is not JSON/);
  });

  it("says which proofs file it cannot read", async () => {
    const missing = join(dir, "nowhere", "proofs.jsonl");
    const read = async () => {
      for await (const line of readBatchProofs(missing)) void line;
    };
    const error = await read().then(
      () => expect.fail("should have thrown"),
      (caught: unknown) => caught as BatchFileError,
    );
    expect(error).to.be.instanceOf(BatchFileError).and.instanceOf(ProvledgerError);
    expect(error.code).to.equal("ReadFailed");
    expect(error.osCode).to.equal("ENOENT");
    expect(error.path).to.equal(missing);
    expect(error.retryable).to.equal(false);
    expect(error.message).to.include(missing);
  });
});
