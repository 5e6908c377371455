/**
 * `npm run coverage`: solidity-coverage's run and the coverage gate (scripts/check-coverage.ts), then the optimised
 * build back in artifacts/ (solidity-coverage leaves its instrumented build there, in which the ledger and the rights
 * module exceed EIP-170's code-size limit), checked by scripts/check-contract-sizes.ts. The exit status is the first
 * failure's: the gate's if it failed, though the normal build is restored either way.
 *
 * The optimised build is not compiled again afterwards (solc-js, a minute or more on two cores): it is compiled (a
 * no-op when artifacts/ is up to date, as after `npm test`), set aside with Hardhat's compile cache, and moved back.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");

function step(title: string, args: string[]): number {
  console.log(`\n== ${title}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.error) console.error(result.error.message);
  return result.status ?? 1;
}

const hardhat = require.resolve("hardhat/internal/cli/bootstrap");
const tsNode = require.resolve("ts-node/dist/bin");

// What solidity-coverage overwrites: the artifacts and the cache that says which sources and settings they are of.
const BUILD = ["artifacts", "cache/solidity-files-cache.json"];
let saved = "";

function restore(): number {
  console.log("\n== the optimised build back in artifacts/");
  for (const [index, path] of BUILD.entries()) {
    if (!saved) break;
    rmSync(join(root, path), { recursive: true, force: true });
    if (existsSync(join(saved, String(index)))) renameSync(join(saved, String(index)), join(root, path));
  }
  if (saved) rmSync(saved, { recursive: true, force: true });
  // A no-op if the build came back whole; recompiles if it did not.
  return step("compile (up to date)", [hardhat, "compile", "--quiet"]);
}

let build = step("the optimised build", [hardhat, "compile", "--quiet"]);
if (build === 0) {
  saved = mkdtempSync(join(root, "cache", ".optimised-"));
  for (const [index, path] of BUILD.entries()) {
    if (existsSync(join(root, path))) renameSync(join(root, path), join(saved, String(index)));
  }
}

// The contracts' own suites reach every line and branch (100% of both, measured); the SDK, indexer and API suites
// exercise the contracts too but add no line, so they run once, in `npm test`, not again under instrumentation.
const CONTRACT_SUITES = "test/contracts/**/*.test.ts";
const coverage = build === 0 ? step("solidity-coverage", [hardhat, "coverage", "--testfiles", CONTRACT_SUITES]) : build;
const gate = coverage === 0 ? step("coverage gate", [tsNode, "scripts/check-coverage.ts"]) : coverage;
build = restore();
const sizes = build === 0 ? step("contract sizes", [tsNode, "scripts/check-contract-sizes.ts"]) : build;
process.exitCode = gate || sizes;
