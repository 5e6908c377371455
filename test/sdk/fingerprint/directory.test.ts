import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Scheme, fingerprintDirectory, fingerprintFile, manifestRoot, type DirectoryProgress } from "../../../src/sdk";
import {
  MiB,
  NODE_MODULES,
  compileSdk,
  makeTree,
  pattern,
  posixOnly,
  rejection,
  sampleTree,
  sha256Hex,
  thrown,
  useScratch,
} from "./helpers";

describe("SDK fingerprints", () => {
  const { fresh, scratch } = useScratch();

  describe("scheme 2: directory manifests, listing a directory", () => {
    it("lists every regular file with its relative POSIX path, size and SHA-256, sorted by UTF-8 bytes", async () => {
      const dir = await fresh("manifest");
      await makeTree(dir, sampleTree);
      const manifest = await fingerprintDirectory(dir);
      expect(manifest.scheme).to.equal(Scheme.MANIFEST_ROOT);
      expect(manifest.fileCount).to.equal(sampleTree.length);
      expect(manifest.skipped).to.deep.equal([]);
      const expected = sampleTree
        .map(([path, content]) => {
          const bytes = typeof content === "string" ? Buffer.from(content) : content;
          return { path, size: bytes.length, sha256: sha256Hex(bytes) };
        })
        .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
      expect(manifest.entries).to.deep.equal(expected);
      expect(manifest.totalBytes).to.equal(expected.reduce((sum, entry) => sum + entry.size, 0));
      // UTF-8 byte order, not JavaScript's UTF-16 order: U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80).
      const paths = manifest.entries.map((entry) => entry.path);
      expect(paths.indexOf("\uff61half-width.txt")).to.be.lessThan(paths.indexOf("😀.txt"));
      expect([...paths].sort()).to.not.deep.equal(paths);
      // "-" (0x2d) sorts before "/" (0x2f): the whole path is compared, not each segment.
      expect(paths.indexOf("data-dictionary.json")).to.be.lessThan(paths.indexOf("data/2023/part-0001.csv"));
      for (const entry of manifest.entries) {
        expect(entry.path).to.not.include("\\");
        expect(await fingerprintFile(join(dir, ...entry.path.split("/")))).to.equal(entry.sha256);
      }
    });

    it("reports directory progress up to the totals", async () => {
      const dir = await fresh("dir-progress");
      await makeTree(dir, [...sampleTree, ["big/large.bin", pattern(17 * MiB, 5)]]);
      const updates: DirectoryProgress[] = [];
      const manifest = await fingerprintDirectory(dir, { onProgress: (progress) => updates.push(progress) });
      const last = updates.at(-1) as DirectoryProgress;
      expect(last.filesHashed).to.equal(manifest.fileCount);
      expect(last.totalFiles).to.equal(manifest.fileCount);
      expect(last.bytesHashed).to.equal(manifest.totalBytes);
      expect(last.totalBytes).to.equal(manifest.totalBytes);
      for (let i = 1; i < updates.length; i++) {
        expect(updates[i].bytesHashed).to.be.at.least(updates[i - 1].bytesHashed);
        expect(updates[i].filesHashed).to.be.at.least(updates[i - 1].filesHashed);
      }
      // The large file reports progress while it is being hashed, not only at its end.
      expect(updates.filter((update) => update.path === "big/large.bin").length).to.be.greaterThan(2);
    });

    it("lets an error thrown by onProgress through, during a file and after one", async () => {
      const dir = await fresh("dir-progress-throws");
      await makeTree(dir, [
        ["large.bin", pattern(20 * MiB, 6)],
        ["small.txt", "x"],
      ]);
      for (const when of ["during", "after"]) {
        const failing = fingerprintDirectory(dir, {
          concurrency: 1,
          onProgress: (progress) => {
            if (when === "during" ? progress.filesHashed === 0 : progress.filesHashed === 1) {
              throw new RangeError(when);
            }
          },
        });
        try {
          await failing;
          expect.fail("should have thrown");
        } catch (error) {
          expect(error).to.be.instanceOf(RangeError);
          expect((error as Error).message).to.equal(when);
        }
      }
      expect((await fingerprintDirectory(dir)).fileCount).to.equal(2);
    });

    it("refuses a missing directory, a file, and a directory without files", async () => {
      const missing = join(scratch(), "missing-dir");
      const error = await rejection(fingerprintDirectory(missing), "DirectoryUnreadable");
      expect(error.message).to.include(missing).and.include("ENOENT");
      expect(error.details).to.include("check the path");
      const dir = await fresh("kinds");
      await writeFile(join(dir, "file.txt"), "x");
      expect((await rejection(fingerprintDirectory(join(dir, "file.txt")), "NotADirectory")).message).to.include(
        "fingerprintFile",
      );
      const empty = await fresh("empty");
      await mkdir(join(empty, "a", "b"), { recursive: true });
      await rejection(fingerprintDirectory(empty), "EmptyDirectory");
      thrown(() => manifestRoot([]), "InvalidInput");
    });

    it("does not follow links inside: refuses them by default, or skips and lists them", async function () {
      if (!posixOnly) return this.skip();
      const dir = await fresh("links");
      await makeTree(dir, sampleTree);
      const plain = await fingerprintDirectory(dir);
      const outside = await fresh("outside");
      await writeFile(join(outside, "secret.txt"), "not published");
      await symlink(join(outside, "secret.txt"), join(dir, "data", "link-to-file"));
      await symlink(outside, join(dir, "link-to-dir"));
      await symlink("nowhere", join(dir, "dangling"));
      execFileSync("mkfifo", [join(dir, "data", "pipe")]);

      const error = await rejection(fingerprintDirectory(dir), "NonRegularFile");
      expect(error.message)
        .to.include("data/link-to-file (symlink)")
        .and.include("link-to-dir (symlink)")
        .and.include("dangling (symlink)")
        .and.include("data/pipe (fifo)")
        .and.include('nonRegularFiles: "skip"');

      const skipped = await fingerprintDirectory(dir, { nonRegularFiles: "skip" });
      expect(skipped.root).to.equal(plain.root);
      expect(skipped.skipped).to.deep.equal([
        { path: "dangling", type: "symlink" },
        { path: "data/link-to-file", type: "symlink" },
        { path: "data/pipe", type: "fifo" },
        { path: "link-to-dir", type: "symlink" },
      ]);
      await rejection(fingerprintDirectory(dir, { nonRegularFiles: "follow" as "skip" }), "InvalidInput");

      // The directory named may itself be a link.
      await symlink(dir, join(outside, "dataset"));
      expect((await fingerprintDirectory(join(outside, "dataset"), { nonRegularFiles: "skip" })).root).to.equal(
        plain.root,
      );
    });

    it("refuses a file name that is not UTF-8", async function () {
      if (process.platform !== "linux") return this.skip();
      const dir = await fresh("latin1");
      await writeFile(Buffer.concat([Buffer.from(join(dir, "caf")), Buffer.from([0xe9]), Buffer.from(".csv")]), "x");
      const error = await rejection(fingerprintDirectory(dir), "InvalidFileName");
      expect(error.message).to.include("636166e92e637376").and.include("UTF-8");
    });

    it("names the path and the fix for files and directories it may not read", async function () {
      if (!posixOnly) return this.skip();
      this.timeout(60_000);
      // Root reads everything, so the checks run in a child process as `nobody` when this one is root.
      const asNobody = process.getuid?.() === 0;
      await chmod(scratch(), 0o755);
      const out = await fresh("compiled-locked");
      const entry = await compileSdk(out);
      const lockedFileDir = await fresh("locked-file");
      await makeTree(lockedFileDir, [
        ["ok.txt", "fine"],
        ["sub/locked.csv", "secret"],
      ]);
      const lockedFile = join(lockedFileDir, "sub", "locked.csv");
      await chmod(lockedFile, 0o000);
      const lockedSubdirRoot = await fresh("locked-subdir");
      await makeTree(lockedSubdirRoot, [
        ["ok.txt", "fine"],
        ["private/a.txt", "a"],
      ]);
      await chmod(join(lockedSubdirRoot, "private"), 0o000);

      const script = `
        const fp = require(${JSON.stringify(entry)});
        const outcome = (promise) => promise.then(
          () => ({ ok: true }),
          (e) => ({ code: e.code, osCode: e.osCode, path: e.path, message: e.message }),
        );
        Promise.all([
          outcome(fp.fingerprintFile(${JSON.stringify(lockedFile)})),
          outcome(fp.fingerprintDirectory(${JSON.stringify(lockedFileDir)})),
          outcome(fp.fingerprintDirectory(${JSON.stringify(lockedSubdirRoot)})),
        ]).then((results) => console.log(JSON.stringify(results)));
      `;
      const child = spawnSync(process.execPath, ["-e", script], {
        env: { ...process.env, NODE_PATH: NODE_MODULES, NODE_OPTIONS: "" },
        encoding: "utf8",
        timeout: 50_000,
        cwd: tmpdir(),
        ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
      });
      if (child.status !== 0 && asNobody && /EACCES|Cannot find module/.test(child.stderr)) {
        // The checkout is not readable by `nobody` on this machine.
        return this.skip();
      }
      expect(child.status, child.stderr).to.equal(0);
      type Outcome = { ok?: true; code?: string; osCode?: string; path?: string; message?: string };
      const [file, fileInDirectory, subdirectory] = JSON.parse(child.stdout) as Outcome[];
      for (const outcome of [file, fileInDirectory]) {
        expect(outcome.code).to.equal("FileUnreadable");
        expect(outcome.osCode).to.equal("EACCES");
        expect(outcome.path).to.equal(lockedFile);
        expect(outcome.message).to.include(lockedFile).and.include("permission denied").and.include("chmod");
      }
      expect(subdirectory.code).to.equal("DirectoryUnreadable");
      expect(subdirectory.path).to.equal(join(lockedSubdirRoot, "private"));
      expect(subdirectory.message).to.include("permission denied").and.include("chmod");
    });
  });
});
