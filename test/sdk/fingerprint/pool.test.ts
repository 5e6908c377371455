import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import type { Hex } from "viem";
import { closeFingerprintPool, fingerprintDirectory, fingerprintPoolSize } from "../../../src/sdk";
import { NODE_MODULES, compileSdk, makeTree, pattern, rejection, sampleTree, useScratch } from "./helpers";

describe("SDK fingerprints", () => {
  const { fresh } = useScratch();

  describe("scheme 2: directory manifests, the hashing workers", () => {
    it("hashes on worker threads, at most `concurrency` at once", async () => {
      const dir = await fresh("workers");
      await makeTree(
        dir,
        Array.from({ length: 24 }, (_, i): [string, Uint8Array] => [`f${i}.bin`, pattern(50_000, i + 1)]),
      );
      await closeFingerprintPool();
      expect(fingerprintPoolSize()).to.equal(0);
      const threadsUsed = async (concurrency: number): Promise<Set<number>> => {
        const ids = new Set<number>();
        await fingerprintDirectory(dir, { concurrency, onProgress: (progress) => ids.add(progress.threadId) });
        return ids;
      };
      const one = await threadsUsed(1);
      expect(one.size).to.equal(1);
      expect(one.has(threadId)).to.be.false; // not the main thread
      expect(fingerprintPoolSize()).to.equal(1);
      const three = await threadsUsed(3);
      expect(three.size).to.equal(3);
      expect(three.has(threadId)).to.be.false;
      expect(fingerprintPoolSize()).to.equal(3);
      // Fewer files than workers: no more threads than files.
      await closeFingerprintPool();
      const small = await fresh("two-files");
      await makeTree(small, [
        ["a", "1"],
        ["b", "2"],
      ]);
      await fingerprintDirectory(small, { concurrency: 8 });
      expect(fingerprintPoolSize()).to.equal(2);
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        await rejection(fingerprintDirectory(dir, { concurrency }), "InvalidInput");
      }
    });

    it("fails with WorkerFailed when the pool is closed under it", async () => {
      const dir = await fresh("closed");
      await makeTree(
        dir,
        Array.from({ length: 40 }, (_, i): [string, Uint8Array] => [`f${i}.bin`, pattern(20_000, i + 1)]),
      );
      let closing: Promise<void> | undefined;
      const error = await rejection(
        fingerprintDirectory(dir, {
          concurrency: 2,
          onProgress: () => {
            closing ??= closeFingerprintPool();
          },
        }),
        "WorkerFailed",
      );
      expect(error.message).to.include("closeFingerprintPool");
      await closing;
      // The pool starts again on the next call.
      expect((await fingerprintDirectory(dir)).fileCount).to.equal(40);
    });

    it("runs its workers from compiled JavaScript too, and lets the process exit", async function () {
      this.timeout(60_000);
      const out = await fresh("compiled");
      const entry = await compileSdk(out);
      const dir = await fresh("compiled-data");
      await makeTree(dir, sampleTree);
      const script = `
        const fp = require(${JSON.stringify(entry)});
        const ids = new Set();
        fp.fingerprintDirectory(${JSON.stringify(dir)}, { concurrency: 2, onProgress: (p) => ids.add(p.threadId) })
          .then((m) => console.log(JSON.stringify({ root: m.root, threads: ids.size, pool: fp.fingerprintPoolSize() })));
      `;
      const child = spawnSync(process.execPath, ["-e", script], {
        env: { ...process.env, NODE_PATH: NODE_MODULES, NODE_OPTIONS: "" },
        encoding: "utf8",
        timeout: 50_000,
      });
      expect(child.status, child.stderr).to.equal(0);
      const result = JSON.parse(child.stdout) as { root: Hex; threads: number; pool: number };
      expect(result.root).to.equal((await fingerprintDirectory(dir)).root);
      expect(result.threads).to.equal(2);
      expect(result.pool).to.equal(2);

      // The compiled worker is fingerprint/worker.js (dist/src/sdk/fingerprint/worker.js in the package); without it,
      // fingerprintDirectory says so, and that a retry will not help.
      const worker = join(dirname(entry), "worker.js");
      await rm(worker);
      const broken = spawnSync(
        process.execPath,
        [
          "-e",
          `require(${JSON.stringify(entry)}).fingerprintDirectory(${JSON.stringify(dir)}).catch((e) =>
             console.log(JSON.stringify({ code: e.code, retryable: e.retryable, message: e.message })));`,
        ],
        { env: { ...process.env, NODE_PATH: NODE_MODULES, NODE_OPTIONS: "" }, encoding: "utf8", timeout: 50_000 },
      );
      expect(broken.status, broken.stderr).to.equal(0);
      const failure = JSON.parse(broken.stdout) as { code: string; retryable: boolean; message: string };
      expect(failure.code).to.equal("WorkerFailed");
      expect(failure.retryable).to.equal(false);
      expect(failure.message).to.include(worker).and.include("reinstall");
    });
  });
});
