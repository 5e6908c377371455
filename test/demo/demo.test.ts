/**
 * The demo's journey (scripts/demo.ts) on both ledgers it runs on: npm start's local ledger (startLocalStack in a
 * temporary home, read back through the files it writes), twice, and a fresh deployment over Hardhat's in-process
 * provider (what CI's `npm run demo` runs). The outcomes are asserted, not the printing.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { Authorization, GrantStatus } from "../../src/sdk";
import { startLocalStack, type LocalStack } from "../../src/node";
import { localLedger, providerLedger, runJourney, type DemoLedger, type JourneyOutcome } from "../../scripts/demo";
import { freePort } from "../helpers/ports";

function expectJourney(outcome: JourneyOutcome, ledger: DemoLedger): void {
  expect(outcome.grantStatusAtIssue).to.equal(GrantStatus.PENDING_CUSTOMS);
  expect(outcome.authorizationBeforeTrade).to.equal(Authorization.GRANTED);
  expect(outcome.receiptValid).to.equal(true);
  expect(outcome.lineage).to.have.length(3);
  expect(outcome.lineage[1]).to.match(/^ {2}derived-from /);
  expect(outcome.lineage[2]).to.match(/^ {4}revision-of .*superseded by/);
  expect(outcome.awaitingCustoms).to.equal(true);
  expect(outcome.ownerAfterTrade).to.equal(ledger.members.trader.orgId);
  expect(outcome.deliveryMatches).to.equal(true);
  expect(outcome.trailComplete).to.equal(true);
  // registered, grant issued and decided, offered, accepted, decided, ownership moved, delivery reported
  expect(outcome.recordTrail.entries).to.equal(8);
  expect(outcome.recordTrail.head).to.equal(outcome.recordTrail.onChainHead);
  expect(outcome.authorizationAfterFreeze).to.equal(Authorization.RECORD_FROZEN);
}

describe("demo: the three users' journey", function () {
  this.timeout(120_000);
  let workDir: string;
  before(() => {
    workDir = mkdtempSync(join(tmpdir(), "provledger-demo-test-"));
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  describe("on npm start's local ledger", () => {
    let home: string;
    let stack: LocalStack | undefined;
    before(async () => {
      home = mkdtempSync(join(tmpdir(), "provledger-demo-home-"));
      stack = await startLocalStack({
        home,
        rpcPort: await freePort(),
        apiPort: await freePort(),
        pollIntervalMs: 100,
      });
    });
    after(async () => {
      await stack?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    it("runs from <home>'s files, twice, and the query API's trail answer checks against the chain", async () => {
      const ledger = await localLedger(home);
      if ("unavailable" in ledger) throw new Error(ledger.unavailable);
      expect(ledger.addresses).to.deep.equal(stack!.deployment.addresses);
      expect(ledger.members.trader.orgId).to.equal(stack!.accounts.accounts.trader.orgId);
      const first = await runJourney(ledger, { workDir });
      expectJourney(first, ledger);
      expect(first.apiTrail?.valid, first.apiTrail?.summary).to.equal(true);
      const second = await runJourney(ledger, { workDir });
      expectJourney(second, ledger);
      expect(second.fingerprints.census).to.not.equal(first.fingerprints.census);
      // The second run's trail replay covers the first run's entries too.
      expect(second.ledgerSequence > first.ledgerSequence).to.equal(true);
      expect(second.apiTrail?.valid, second.apiTrail?.summary).to.equal(true);
    });

    it("says why it cannot use a home whose files are missing or whose node is down", async () => {
      const empty = mkdtempSync(join(tmpdir(), "provledger-demo-empty-"));
      try {
        const missing = await localLedger(empty);
        expect(missing)
          .to.have.property("unavailable")
          .that.matches(/deployment\.json and accounts\.json/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
      await stack!.stop();
      stack = undefined;
      const down = await localLedger(home);
      expect(down)
        .to.have.property("unavailable")
        .that.matches(/^no node answers at http:\/\/127\.0\.0\.1:\d+/);
    });
  });

  it("runs on a fresh deployment over Hardhat's in-process provider (npm run demo)", async () => {
    const ledger = await providerLedger(hre.network.provider, "Hardhat's in-process chain");
    expect(ledger.apiUrl).to.equal(undefined);
    const outcome = await runJourney(ledger, { workDir });
    expectJourney(outcome, ledger);
    expect(outcome.apiTrail).to.equal(undefined);
  });
});
