/**
 * Cold import time of the SDK's root entry point against importing viem alone, in the same run: `npm run bench:import`.
 *
 * The package is packed (`npm pack`, which builds it) and installed into a fresh project under the system's temporary
 * directory, as a user gets it. Each sample is a new Node process that times one `require()` or `import()` of
 * "provledger" or of "viem" (the module graph loaded and evaluated; Node's own start-up is not counted). The four
 * kinds alternate, RUNS samples each (default 15, after one warm-up of each), and the medians are compared:
 * target <= TARGET times viem's (default 2). Exits 1 if the SDK misses the target with require or with import.
 *
 *   RUNS=31 TARGET=2 npm run bench:import
 *   npm run bench:import -- --modules     also lists the slowest modules the SDK's require loads (where time goes)
 */
import { writeFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConsumer, packRepository } from "../scripts/package-consumer";

const RUNS = Number(process.env.RUNS ?? 15);
const TARGET = Number(process.env.TARGET ?? 2);

/** One sample: prints the milliseconds that loading `specifier` took. */
const sampleCjs = (specifier: string) => `
const { performance } = require("node:perf_hooks");
const started = performance.now();
require(${JSON.stringify(specifier)});
console.log(performance.now() - started);
`;
const sampleEsm = (specifier: string) => `
import { performance } from "node:perf_hooks";
const started = performance.now();
await import(${JSON.stringify(specifier)});
console.log(performance.now() - started);
`;

/**
 * Where the SDK's require spends its time: each module's load time, its own (without the modules it requires).
 * Patches Module._load, which is internal to Node but stable; a diagnostic only.
 */
const PROFILE_CJS = `
const Module = require("node:module");
const { performance } = require("node:perf_hooks");
const load = Module._load;
const own = new Map();
const stack = [];
Module._load = function (request, parent, isMain) {
  const started = performance.now();
  stack.push(0);
  try {
    return load.apply(this, arguments);
  } finally {
    const total = performance.now() - started;
    const children = stack.pop();
    if (stack.length > 0) stack[stack.length - 1] += total;
    let key = request;
    try {
      key = Module._resolveFilename(request, parent, isMain);
    } catch {}
    if (!own.has(key)) own.set(key, 0);
    own.set(key, own.get(key) + total - children);
  }
};
const started = performance.now();
require("provledger");
const total = performance.now() - started;
const byPackage = new Map();
for (const [file, ms] of own) {
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(.*)$/.exec(file);
  const name = match ? (match[1] === "provledger" ? "provledger/" + match[2] : match[1]) : file;
  byPackage.set(name, (byPackage.get(name) ?? 0) + ms);
}
console.log(JSON.stringify({ total, modules: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15) }));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const workspace = await mkdtemp(join(tmpdir(), "provledger-bench-import-"));
  try {
    console.log("packing and installing the package into a fresh project ...");
    const { tarball } = await packRepository(workspace);
    const project = await createConsumer(tarball);
    try {
      const kinds = {
        "provledger (require)": ["sdk.cjs", sampleCjs("provledger")],
        "viem (require)": ["viem.cjs", sampleCjs("viem")],
        "provledger (import)": ["sdk.mjs", sampleEsm("provledger")],
        "viem (import)": ["viem.mjs", sampleEsm("viem")],
      } as const;
      type Kind = keyof typeof kinds;
      for (const [file, source] of Object.values(kinds)) await writeFile(join(project.dir, file), source);
      const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, [] as number[]])) as Record<
        Kind,
        number[]
      >;
      const names = Object.keys(kinds) as Kind[];
      for (let round = -1; round < RUNS; round++) {
        // Alternate the order too, so that no kind always runs right after the same other one.
        const order = round % 2 ? names : [...names].reverse();
        for (const kind of order) {
          const { stdout } = await project.node([kinds[kind][0]]);
          if (round >= 0) samples[kind].push(Number(stdout.trim()));
        }
      }

      console.log(`\ncold import, median of ${RUNS} processes each (node ${process.version}):`);
      for (const kind of names) {
        const values = samples[kind];
        console.log(
          `  ${kind.padEnd(22)} ${median(values).toFixed(1).padStart(7)} ms ` +
            `(min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`,
        );
      }
      let missed = false;
      for (const way of ["require", "import"] as const) {
        const ratio = median(samples[`provledger (${way})`]) / median(samples[`viem (${way})`]);
        const ok = ratio <= TARGET;
        missed ||= !ok;
        console.log(
          `  ${way}: provledger / viem = ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${ok ? "ok" : "MISSED"}`,
        );
      }

      if (process.argv.includes("--modules") || missed) {
        await writeFile(join(project.dir, "profile.cjs"), PROFILE_CJS);
        const profile = JSON.parse((await project.node(["profile.cjs"])).stdout) as {
          total: number;
          modules: [string, number][];
        };
        console.log(`\nwhere require("provledger") spends ${profile.total.toFixed(1)} ms (own time, by package/file):`);
        for (const [name, ms] of profile.modules) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
      }
      if (missed) {
        console.error(`\nThe SDK's cold import is more than ${TARGET}x viem's.`);
        process.exitCode = 1;
      }
    } finally {
      await project.remove();
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
