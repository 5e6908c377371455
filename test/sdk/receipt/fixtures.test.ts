import { expect } from "chai";
import hre from "hardhat";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseReceipt, stringifyReceipt, verifyReceiptOffline } from "../../../src/sdk";
import { FIXTURE_NAMES, fixtureScenario, type FixtureName } from "../../fixtures/receipts/scenario";

const DIRECTORY = path.join(__dirname, "..", "..", "fixtures", "receipts");
const fileOf = (name: FixtureName) => path.join(DIRECTORY, `${name}.json`);

/**
 * The committed fixtures were written by the SDK before its receipt and verify modules were split (commit 0ccc550),
 * from the deterministic scenario of test/fixtures/receipts/scenario.ts. A change to the contracts or to Hardhat
 * changes every block hash, and so the fixtures: regenerate them with
 *   WRITE_RECEIPT_FIXTURES=1 npx hardhat test test/sdk/receipt/fixtures.test.ts
 * and review the diff (only chain-derived values may change, never the layout).
 */
describe("SDK receipts: fixtures", () => {
  let built: Record<FixtureName, string>;

  before(async function () {
    // Under solidity-coverage the contracts' bytecode is instrumented, so every transaction and block hash differs.
    if ((hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    this.timeout(120_000);
    built = (await fixtureScenario()).texts;
    if (process.env.WRITE_RECEIPT_FIXTURES === "1") {
      for (const name of FIXTURE_NAMES) writeFileSync(fileOf(name), built[name]);
    }
  });

  for (const name of FIXTURE_NAMES) {
    it(`builds ${name}.json byte for byte as the committed fixture`, async () => {
      const committed = readFileSync(fileOf(name), "utf8");
      expect(built[name]).to.equal(committed);
      const receipt = parseReceipt(committed);
      expect(stringifyReceipt(receipt)).to.equal(committed);
      const verdict = await verifyReceiptOffline(receipt);
      expect(verdict.valid, verdict.summary).to.equal(true);
    });
  }
});
