/**
 * `npm run coverage`: solidity-coverage's run and the coverage gate (scripts/check-coverage.ts), then the optimised
 * build back in artifacts/ (solidity-coverage leaves its instrumented build there, in which the ledger and the rights
 * module exceed EIP-170's code-size limit), checked by scripts/check-contract-sizes.ts. The exit status is the first
 * failure's: the gate's if it failed, though the normal build is restored either way.
 */
import { spawnSync } from "node:child_process";
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

// The contracts' own suites reach every line and branch (100% of both, measured); the SDK, indexer and API suites
// exercise the contracts too but add no line, so they run once, in `npm test`, not again under instrumentation.
const CONTRACT_SUITES = "test/contracts/**/*.test.ts";
const coverage = step("solidity-coverage", [hardhat, "coverage", "--testfiles", CONTRACT_SUITES]);
const gate = coverage === 0 ? step("coverage gate", [tsNode, "scripts/check-coverage.ts"]) : coverage;
const rebuild = step("the optimised build back in artifacts/", [hardhat, "compile", "--force", "--quiet"]);
const sizes = rebuild === 0 ? step("contract sizes", [tsNode, "scripts/check-contract-sizes.ts"]) : rebuild;
process.exitCode = gate || sizes;
