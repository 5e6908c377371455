/**
 * Fails (exit 1) unless solidity-coverage measured at least COVERAGE_MIN percent (default 95) of the lines and of
 * the branches of our contracts. Run after `hardhat coverage`, which writes coverage/coverage-summary.json.
 */
import { readFileSync } from "node:fs";

interface Metric {
  total: number;
  covered: number;
  pct: number;
}
type Summary = Record<string, { lines: Metric; branches: Metric; functions: Metric; statements: Metric }>;

const minimum = Number(process.env.COVERAGE_MIN ?? 95);
const path = "coverage/coverage-summary.json";

let summary: Summary;
try {
  summary = JSON.parse(readFileSync(path, "utf8")) as Summary;
} catch (error) {
  console.error(`Cannot read ${path} (${(error as Error).message}): run \`npx hardhat coverage\` first.`);
  process.exit(1);
}

const failures: string[] = [];
for (const [file, metrics] of Object.entries(summary)) {
  const name = file === "total" ? "all contracts" : file.replace(/^.*contracts\//, "contracts/");
  for (const kind of ["lines", "branches"] as const) {
    const { covered, total, pct } = metrics[kind];
    const line = `${name}: ${kind} ${covered}/${total} (${pct}%)`;
    if (file === "total") console.log(line);
    if (total > 0 && pct < minimum) failures.push(line);
  }
}
if (failures.length > 0) {
  console.error(`Coverage below ${minimum}%:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`Coverage of lines and branches is at least ${minimum}% in every contract.`);
