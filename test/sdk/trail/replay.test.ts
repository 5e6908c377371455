import { expect } from "chai";
import type { Abi, Hex } from "viem";
import {
  Scope,
  TrailMismatchError,
  emptyTrailState,
  replayTrail,
  trailEventsAbi,
  verifyCompleteTrail,
  type TrailEntry,
} from "../../../src/sdk";
import { hashOf, registration, rightsFixture } from "../../helpers/fixtures";
import { trailEntriesFromChain } from "../../helpers/trailEvents";

/** A record's life across both contracts, and a batch: ledger and rights entries share one ledger-wide chain. */
async function history() {
  const ctx = await rightsFixture();
  const { ledger, rights, agency, foreignAgency, inspector, orgIds } = ctx;
  const fp = hashOf("trail:record") as Hex;
  await ledger.connect(agency).register(registration(fp));
  await rights.connect(agency).issueGrant(fp, orgIds.foreignAgency, Scope.USE, hashOf("purpose"), 0);
  await ledger.connect(agency).anchorBatch(hashOf("trail:batch"), 3, hashOf("manifest"), "");
  await rights.connect(inspector).attachFinding(fp, hashOf("finding"));
  await ledger.connect(foreignAgency).register(registration(hashOf("trail:other")));
  await rights.connect(agency).revokeGrant(fp, orgIds.foreignAgency, hashOf("reason"));
  const entries = await trailEntriesFromChain(trailEventsAbi as Abi, [
    await ctx.registry.getAddress(),
    await ledger.getAddress(),
    await rights.getAddress(),
  ]);
  const [ledgerHead, ledgerSequence] = await ledger.ledgerHead();
  return { ctx, fp, entries, checkpoint: { ledgerHead: ledgerHead as Hex, ledgerSequence } };
}

describe("SDK trail: replay", () => {
  it("replays ledger and rights entries to the contract's heads, also in two parts", async () => {
    const { ctx, fp, entries, checkpoint } = await history();
    // The fixture's onboarding (governance entries of the registry), then the record's life.
    const governance = entries.slice(0, -6);
    expect(governance.length).to.be.greaterThan(0);
    for (const entry of governance) expect([entry.action >= 17, entry.standalone]).to.deep.equal([true, true]);
    expect(entries.slice(-6).map((e) => e.action)).to.deep.equal([1, 5, 4, 14, 1, 6]);
    expect(entries.find((e) => e.action === 4)?.standalone).to.equal(true);
    const verdict = verifyCompleteTrail(entries, checkpoint);
    expect(verdict.complete).to.equal(true);
    const [head, length] = await ctx.ledger.trailHead(fp);
    expect(verdict.state!.records.get(fp)).to.deep.equal({ head, length });
    expect(verdict.state!.records.has(hashOf("trail:batch") as Hex)).to.equal(false);

    const state = replayTrail(entries.slice(0, 3), emptyTrailState());
    expect(replayTrail(entries.slice(3), state)).to.deep.equal(verdict.state);
  });

  it("names the first entry that does not recompute, and the field", async () => {
    const { entries, checkpoint } = await history();
    const altered: TrailEntry[] = entries.map((e) => ({ ...e }));
    const forged = entries.length - 3; // the finding, a record entry
    altered[forged].payloadHash = hashOf("forged") as Hex;
    let thrown: unknown;
    try {
      replayTrail(altered);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(TrailMismatchError).and.include({ field: "recordHead", code: "TrailMismatch" });
    expect((thrown as TrailMismatchError).entry).to.equal(altered[forged]);
    const verdict = verifyCompleteTrail(altered, checkpoint);
    expect(verdict).to.deep.include({ complete: false, reason: (thrown as Error).message });
  });

  it("says a history that stops early is incomplete", async () => {
    const { entries, checkpoint } = await history();
    const verdict = verifyCompleteTrail(entries.slice(0, -1), checkpoint);
    expect(verdict.complete).to.equal(false);
    expect(verdict.complete ? "" : verdict.reason).to.equal(
      `history ends at sequence ${checkpoint.ledgerSequence - 1n} but the ledger is at ${checkpoint.ledgerSequence}`,
    );
  });
});
