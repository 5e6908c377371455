/**
 * Fingerprinting throughput, for `npm run bench:fingerprint` (plain ts-node, no Hardhat).
 *
 * 1. One large file (1 GiB in os.tmpdir(), or BENCH_FILE): fingerprintFile against `openssl dgst -sha256` on the same
 *    file, after a warm-up read so that both read from the page cache. Both use OpenSSL's SHA-256, so the ratio
 *    measures our I/O and JavaScript overhead. Fails (exit code 1) below TARGET_RATIO or if the digests differ.
 * 2. A directory of many files: fingerprintDirectory with concurrency 1 against the default (one worker per core),
 *    with the speed-up and how busy each core was; for reference, the time of the Merkle root alone (computed on the
 *    main thread after hashing) and one openssl process per core over the same files.
 *
 * Environment: BENCH_FILE (an existing file to use instead), BENCH_FILE_MIB (size of the generated file, default
 * 1024), BENCH_RUNS (timed runs per contender, default 3), BENCH_DIR_FILES (default 2000), BENCH_DIR_FILE_KIB
 * (default 256). Each figure is the best of the runs: the least disturbed by other work on the machine.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { closeFingerprintPool, fingerprintDirectory, fingerprintFile, manifestRoot } from "../src/sdk";

const TARGET_RATIO = 0.9;
const MiB = 1024 * 1024;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const RUNS = envInt("BENCH_RUNS", 3);

async function writeLargeFile(path: string, bytes: number): Promise<void> {
  // Incompressible content; a repeated 16 MiB block is as good as fresh random bytes for SHA-256 and much faster.
  const block = randomBytes(16 * MiB);
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += block.length) {
    const chunk = block.subarray(0, Math.min(block.length, bytes - written));
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Reads the whole file once so that the timed runs read from the page cache. */
async function warmUp(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) void chunk;
}

/** `openssl dgst -sha256 -r` over `paths`: the digests by path. */
function opensslDigests(paths: string[]): Promise<Map<string, string>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("openssl", ["dgst", "-sha256", "-r", ...paths], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.on("error", (error) => reject(new Error(`cannot run openssl (${error.message}): install it to compare`)));
    child.on("close", (code) => {
      const digests = new Map<string, string>();
      for (const line of output.split("\n")) {
        const match = /^([0-9a-f]{64}) \*(.*)$/.exec(line);
        if (match !== null) digests.set(match[2], `0x${match[1]}`);
      }
      if (code === 0 && digests.size === paths.length) resolvePromise(digests);
      else reject(new Error(`openssl dgst exited with ${code}: ${output.slice(0, 500)}`));
    });
  });
}

async function opensslDigest(path: string): Promise<string> {
  return (await opensslDigests([path])).get(path) as string;
}

async function best<T>(runs: number, task: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  let fastest = Infinity;
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = await task();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds: fastest, result: result as T };
}

const rate = (bytes: number, seconds: number): string => `${(bytes / MiB / seconds).toFixed(0)} MiB/s`;

async function benchFile(scratch: string): Promise<boolean> {
  let path = process.env.BENCH_FILE;
  if (path === undefined || path === "") {
    path = join(scratch, "large.bin");
    const mib = envInt("BENCH_FILE_MIB", 1024);
    console.log(`Writing a ${mib} MiB file in ${scratch} ...`);
    await writeLargeFile(path, mib * MiB);
  }
  const { size } = await stat(path);
  await warmUp(path);

  // Alternate the contenders so that neither benefits from a quieter moment of the machine.
  let ours = Infinity;
  let theirs = Infinity;
  let ourDigest = "";
  let theirDigest = "";
  for (let i = 0; i < RUNS; i++) {
    const a = await best(1, () => fingerprintFile(path));
    const b = await best(1, () => opensslDigest(path));
    ours = Math.min(ours, a.seconds);
    theirs = Math.min(theirs, b.seconds);
    ourDigest = a.result;
    theirDigest = b.result;
  }
  const ratio = theirs / ours;
  console.log(`\nLarge file: ${path} (${(size / MiB).toFixed(0)} MiB), best of ${RUNS}`);
  console.log(`  fingerprintFile          ${rate(size, ours).padStart(12)}  (${ours.toFixed(3)} s)`);
  console.log(`  openssl dgst -sha256     ${rate(size, theirs).padStart(12)}  (${theirs.toFixed(3)} s)`);
  console.log(`  ratio ours/openssl       ${ratio.toFixed(3).padStart(12)}  (target >= ${TARGET_RATIO})`);
  console.log(`  digest ${ourDigest} ${ourDigest === theirDigest ? "(equal)" : `!= openssl ${theirDigest}`}`);
  return ratio >= TARGET_RATIO && ourDigest === theirDigest;
}

interface CoreTimes {
  busy: number;
  total: number;
}

function coreTimes(): CoreTimes[] {
  return cpus().map(({ times }) => {
    const busy = times.user + times.nice + times.sys + times.irq;
    return { busy, total: busy + times.idle };
  });
}

async function benchDirectory(scratch: string): Promise<void> {
  const files = envInt("BENCH_DIR_FILES", 2000);
  const fileBytes = envInt("BENCH_DIR_FILE_KIB", 256) * 1024;
  const dir = join(scratch, "dataset");
  console.log(`\nWriting ${files} files of ${fileBytes / 1024} KiB in ${dir} ...`);
  const block = randomBytes(fileBytes);
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `part-${String(i % 20).padStart(2, "0")}`);
    if (i < 20) await mkdir(sub, { recursive: true });
    // Each file differs in its first bytes, so that no two entries are equal.
    block.writeUInt32BE(i, 0);
    await writeFile(join(sub, `file-${String(i).padStart(5, "0")}.bin`), block);
  }
  const totalBytes = files * fileBytes;
  const cores = availableParallelism();
  // Warm-up: page cache, and the worker threads started.
  const reference = await fingerprintDirectory(dir);

  const measure = async (concurrency: number) => {
    let fastest = Infinity;
    let cpuSeconds = 0;
    let perCore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const cpuBefore = process.cpuUsage();
      const coresBefore = coreTimes();
      const start = process.hrtime.bigint();
      const manifest = await fingerprintDirectory(dir, { concurrency });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const coresAfter = coreTimes();
      if (manifest.root !== reference.root) throw new Error(`root differs with concurrency ${concurrency}`);
      if (seconds < fastest) {
        fastest = seconds;
        cpuSeconds = (cpu.user + cpu.system) / 1e6;
        perCore = coresAfter.map((after, core) => {
          const total = after.total - coresBefore[core].total;
          return total > 0 ? (after.busy - coresBefore[core].busy) / total : 0;
        });
      }
    }
    return { seconds: fastest, cpuSeconds, perCore };
  };

  const serial = await measure(1);
  const parallel = await measure(cores);

  // References: the Merkle root alone (main thread, after hashing), and `cores` openssl processes sharing the files.
  const merkle = await best(RUNS, async () => manifestRoot(reference.entries));
  const paths = reference.entries.map((entry) => join(dir, ...entry.path.split("/")));
  const groups = Array.from({ length: cores }, (_, group) => paths.filter((_path, i) => i % cores === group));
  const openssl = await best(RUNS, () => Promise.all(groups.map(opensslDigests)));
  const opensslAll = new Map(openssl.result.flatMap((digests) => [...digests]));
  const mismatches = reference.entries.filter((entry, i) => opensslAll.get(paths[i]) !== entry.sha256).length;
  if (mismatches > 0) throw new Error(`${mismatches} file digests differ from openssl's`);

  const describe = (label: string, run: { seconds: number; cpuSeconds: number; perCore: number[] }): void => {
    const busy = run.perCore.map((share, core) => `cpu${core} ${(share * 100).toFixed(0)}%`).join(", ");
    console.log(
      `  ${label.padEnd(26)} ${rate(totalBytes, run.seconds).padStart(12)}  (${run.seconds.toFixed(3)} s), ` +
        `process CPU ${(run.cpuSeconds / run.seconds).toFixed(2)} of ${cores} cores; machine busy: ${busy}`,
    );
  };
  // Wall time less the root's: only meaningful when the root took clearly less than the run (a noisy machine can
  // make the separately timed root look longer).
  const hashingOnly = (seconds: number): string =>
    seconds > 1.2 * merkle.seconds ? rate(totalBytes, seconds - merkle.seconds) : "n/a";
  console.log(
    `\nDirectory: ${files} files x ${fileBytes / 1024} KiB (${(totalBytes / MiB).toFixed(0)} MiB), best of ${RUNS}`,
  );
  describe("concurrency 1", serial);
  describe(`concurrency ${cores} (default)`, parallel);
  console.log(`  speed-up                   ${(serial.seconds / parallel.seconds).toFixed(2).padStart(11)}x`);
  console.log(
    `  Merkle root of ${files} entries (main thread, batch tree): ${merkle.seconds.toFixed(3)} s; ` +
      `without it: ${hashingOnly(serial.seconds)} -> ${hashingOnly(parallel.seconds)}` +
      (parallel.seconds > 1.2 * merkle.seconds
        ? `, speed-up ${((serial.seconds - merkle.seconds) / (parallel.seconds - merkle.seconds)).toFixed(2)}x`
        : ""),
  );
  console.log(
    `  openssl dgst, ${cores} processes    ${rate(totalBytes, openssl.seconds).padStart(12)}  ` +
      `(${openssl.seconds.toFixed(3)} s; same digests)`,
  );
  console.log(`  root ${reference.root}`);
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), "provledger-bench-fingerprint-"));
  // Temp files go even on Ctrl-C or kill.
  const interrupted = (signal: NodeJS.Signals): void => {
    void rm(scratch, { recursive: true, force: true }).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const fileOk = await benchFile(scratch);
    await benchDirectory(scratch);
    if (!fileOk) {
      console.error(`\nFAIL: fingerprintFile is below ${TARGET_RATIO} of openssl's throughput, or the digests differ`);
      process.exitCode = 1;
    }
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await closeFingerprintPool();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
