import hre from "hardhat";

/**
 * Whether solidity-coverage is running: its artifacts are instrumented (too large to deploy on a real node), so suites
 * that deploy to anvil skip, as they cover no contract line that the Hardhat-network suites do not.
 */
export function underCoverage(): boolean {
  return Boolean((hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);
}
