import { expect } from "chai";
import fc from "fast-check";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Abi, Hex } from "viem";
import { ethers } from "hardhat";
import { Relation, Role, deployLedger, hashOf, jurisdiction, registration, type Ledger } from "../helpers/fixtures";
import { signRegistration } from "../helpers/signing";
import { trailEntriesFromChain, type LoggedEntry } from "../helpers/trailEvents";
import {
  ledgerEntry,
  recordEntry,
  replayTrail,
  verifyCompleteTrail,
  type TrailEntry,
  trailEventsAbi,
} from "../../src/sdk";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";

/** An abstract operation; picks are resolved modulo what exists when it runs. */
type Op =
  | {
      kind: "register";
      actor: number;
      parents: { pick: number; relation: number }[];
      dataClass: number;
      scheme: number;
      signed: boolean;
    }
  | { kind: "withdraw"; actor: number; pick: number }
  | { kind: "batch"; actor: number; leafCount: number }
  | { kind: "govern"; change: GovernanceChange; org: number; by: number };

/** Membership changes that leave the model's verdicts alone (a suspension is reinstated in the same op). */
const GOVERNANCE_CHANGES = [
  "profile",
  "jurisdiction",
  "roles",
  "suspendAndReinstate",
  "operatorAddAndRemove",
  "onboard",
] as const;
type GovernanceChange = (typeof GOVERNANCE_CHANGES)[number];

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("register" as const),
      actor: fc.nat(2),
      parents: fc.array(
        fc.record({ pick: fc.nat(), relation: fc.constantFrom(Relation.DERIVED_FROM, Relation.REVISION_OF) }),
        {
          maxLength: 3,
        },
      ),
      dataClass: fc.nat(3),
      scheme: fc.nat(2),
      signed: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), actor: fc.nat(2), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("govern" as const),
      change: fc.constantFrom(...GOVERNANCE_CHANGES),
      org: fc.nat(1),
      by: fc.nat(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      actor: fc.nat(2),
      leafCount: fc.integer({ min: 1, max: 1_000_000 }),
    }),
  },
);

interface ModelRecord {
  fingerprint: string;
  owner: bigint;
  withdrawn: boolean;
  supersededBy?: string;
  parents: { fingerprint: string; relation: number }[];
}

/** The ledger's rules re-stated independently, to predict each operation's outcome. */
class LedgerModel {
  readonly records = new Map<string, ModelRecord>();
  readonly order: string[] = [];

  predictRegister(org: bigint, parents: { fingerprint: string; relation: number }[]): string | undefined {
    let revised: string | undefined;
    for (const [i, link] of parents.entries()) {
      if (parents.slice(0, i).some((p) => p.fingerprint === link.fingerprint)) return "DuplicateParent";
      const parent = this.records.get(link.fingerprint)!;
      if (parent.withdrawn) return "RecordIsWithdrawn";
      if (link.relation === Relation.REVISION_OF) {
        if (parent.owner !== org) return "RevisionOfForeignRecord";
        if (parent.supersededBy) return "AlreadySuperseded";
        if (revised) return "MultipleRevisionParents";
        revised = link.fingerprint;
      } else if (parent.owner !== org) {
        return "DerivationNotAuthorized";
      }
    }
    return undefined;
  }

  register(fingerprint: string, org: bigint, parents: { fingerprint: string; relation: number }[]): void {
    this.records.set(fingerprint, { fingerprint, owner: org, withdrawn: false, parents });
    this.order.push(fingerprint);
    for (const link of parents) {
      if (link.relation === Relation.REVISION_OF) this.records.get(link.fingerprint)!.supersededBy = fingerprint;
    }
  }

  latest(fingerprint: string): string {
    let current = fingerprint;
    while (this.records.get(current)!.supersededBy) current = this.records.get(current)!.supersededBy!;
    return current;
  }
}

/** One governance change by governance (or, for operator changes, by an operator of the organisation). */
async function govern(ctx: Ledger, op: Extract<Op, { kind: "govern" }>, label: string): Promise<void> {
  const { registry, governance } = ctx;
  const orgId = op.org === 0 ? ctx.orgIds.agency : ctx.orgIds.foreignAgency;
  const operator = op.org === 0 ? ctx.agency : ctx.foreignAgency;
  const sent = [];
  switch (op.change) {
    case "profile":
      sent.push(await registry.connect(governance).setOrganizationProfile(orgId, label.slice(-60), hashOf(label)));
      break;
    case "jurisdiction":
      sent.push(
        await registry.connect(governance).setOrganizationJurisdiction(orgId, jurisdiction(op.by ? "MO" : "HK")),
      );
      break;
    case "roles":
      sent.push(await registry.connect(governance).setOrganizationRoles(orgId, op.by ? Role.ALL : Role.REGISTRAR));
      break;
    case "suspendAndReinstate":
      sent.push(await registry.connect(governance).suspendOrganization(orgId, hashOf(`${label}:s`)));
      sent.push(await registry.connect(governance).reinstateOrganization(orgId, hashOf(`${label}:r`)));
      break;
    case "operatorAddAndRemove": {
      const spare = ethers.getAddress(ethers.dataSlice(hashOf(label), 12));
      const by = op.by ? operator : governance;
      sent.push(await registry.connect(by).addOperator(orgId, spare));
      sent.push(await registry.connect(by).removeOperator(orgId, spare));
      break;
    }
    case "onboard":
      sent.push(
        await registry
          .connect(governance)
          .registerOrganization(label.slice(-60), hashOf(label), jurisdiction("MO"), Role.INSPECTOR, [
            ethers.getAddress(ethers.dataSlice(hashOf(`${label}:op`), 12)),
          ]),
      );
      break;
  }
  for (const tx of sent) await tx.wait();
}

async function runScenario(ctx: Ledger, ops: Op[], label: string): Promise<LedgerModel> {
  const { ledger } = ctx;
  const actors: [HardhatEthersSigner, bigint][] = [
    [ctx.agency, ctx.orgIds.agency],
    [ctx.agencyKey2, ctx.orgIds.agency],
    [ctx.foreignAgency, ctx.orgIds.foreignAgency],
  ];
  const model = new LedgerModel();
  let counter = 0;
  for (const op of ops) {
    if (op.kind === "govern") {
      await govern(ctx, op, `${label}:govern:${counter++}`);
      continue;
    }
    const [actor, org] = actors[op.actor];
    if (op.kind === "register") {
      const fingerprint = hashOf(`${label}:record:${counter++}`);
      const parents =
        model.order.length === 0
          ? []
          : op.parents.map((p) => ({ fingerprint: model.order[p.pick % model.order.length], relation: p.relation }));
      const reg = registration(fingerprint, { parents, dataClass: op.dataClass, scheme: op.scheme });
      const expectedError = model.predictRegister(org, parents);
      const tx = op.signed
        ? ledger.connect(ctx.outsider).registerBySig(reg, await signRegistration(ledger, actor, reg))
        : ledger.connect(actor).register(reg);
      if (expectedError) {
        await expect(tx).to.be.revertedWithCustomError(ledger, expectedError);
      } else {
        await (await tx).wait();
        model.register(fingerprint, org, parents);
      }
    } else if (op.kind === "withdraw") {
      if (model.order.length === 0) continue;
      const record = model.records.get(model.order[op.pick % model.order.length])!;
      const tx = ledger.connect(actor).withdraw(record.fingerprint, hashOf(`reason${counter++}`));
      if (record.owner !== org) await expect(tx).to.be.revertedWithCustomError(ledger, "NotRecordOwner");
      else if (record.withdrawn) await expect(tx).to.be.revertedWithCustomError(ledger, "RecordIsWithdrawn");
      else {
        await (await tx).wait();
        record.withdrawn = true;
      }
    } else {
      const root = hashOf(`${label}:batch:${counter++}`);
      await (await ledger.connect(actor).anchorBatch(root, op.leafCount, hashOf(root), "ipfs://batch")).wait();
    }
  }
  return model;
}

/** Replays the events alone and checks every head, the views, and the lineage invariants against the model. */
async function checkAgainstChain(ctx: Ledger, model: LedgerModel): Promise<LoggedEntry[]> {
  const { ledger } = ctx;
  // The ledger-wide chain spans the registry's governance entries and the ledger's record entries.
  const entries = await trailEntriesFromChain(trailEventsAbi as Abi, [
    await ctx.registry.getAddress(),
    await ledger.getAddress(),
  ]);
  const [ledgerHead, ledgerSequence] = await ledger.ledgerHead();
  const verdict = verifyCompleteTrail(entries, { ledgerHead: ledgerHead as Hex, ledgerSequence });
  expect(verdict.complete, verdict.complete ? "" : verdict.reason).to.equal(true);
  const state = replayTrail(entries);
  const registeredAt = new Map<string, bigint>();
  for (const entry of entries) {
    if (entry.action === 1) registeredAt.set(entry.subject.toLowerCase(), entry.stamp.ledgerSequence);
  }
  for (const record of model.records.values()) {
    const onChain = await ledger.getRecord(record.fingerprint);
    const replayed = state.records.get(record.fingerprint.toLowerCase() as Hex)!;
    expect([onChain.trailHead, onChain.trailLength]).to.deep.equal([replayed.head, replayed.length]);
    expect(onChain.ownerOrg).to.equal(record.owner);
    expect(onChain.withdrawn).to.equal(record.withdrawn);
    expect(onChain.supersededBy).to.equal(record.supersededBy ?? `0x${"00".repeat(32)}`);
    const latest = model.latest(record.fingerprint);
    expect(await ledger.latestVersion(record.fingerprint)).to.deep.equal([latest, latest === record.fingerprint]);
    const [parents] = await ledger.getParents(record.fingerprint);
    expect(parents.map((p) => [p.fingerprint, Number(p.relation)])).to.deep.equal(
      record.parents.map((p) => [p.fingerprint, p.relation]),
    );
    // Acyclic by construction: every parent entered the ledger before its child.
    for (const parent of record.parents) {
      expect(registeredAt.get(parent.fingerprint.toLowerCase())! < registeredAt.get(record.fingerprint.toLowerCase())!)
        .to.be.true;
    }
    // At most one successor per version, and a successor names its predecessor as revision-of parent.
    if (record.supersededBy) {
      const successor = model.records.get(record.supersededBy)!;
      expect(successor.parents.filter((p) => p.relation === Relation.REVISION_OF)).to.deep.equal([
        { fingerprint: record.fingerprint, relation: Relation.REVISION_OF },
      ]);
    }
  }
  return entries;
}

/** What a forger would do after altering an entry: recompute every later stamp so the chain looks consistent. */
function restamp(entries: TrailEntry[]): TrailEntry[] {
  const heads = new Map<string, { head: Hex; length: bigint }>();
  let ledgerHeadValue = `0x${"00".repeat(32)}` as Hex;
  return entries.map((entry, i) => {
    const previous = entry.standalone ? undefined : heads.get(entry.subject);
    const head = recordEntry(
      previous?.head ?? (`0x${"00".repeat(32)}` as Hex),
      entry.action,
      entry.actor,
      entry.time,
      entry.payloadHash,
    );
    const length = (previous?.length ?? 0n) + 1n;
    if (!entry.standalone) heads.set(entry.subject, { head, length });
    ledgerHeadValue = ledgerEntry(ledgerHeadValue, BigInt(i + 1), entry.subject, head);
    return {
      ...entry,
      stamp: { recordHead: head, recordLength: length, ledgerSequence: BigInt(i + 1), ledgerHead: ledgerHeadValue },
    };
  });
}

describe("Audit trail and lineage (property-based)", function () {
  this.timeout(600_000);

  it("random scenarios (records, batches, governance changes): the events alone rebuild every head", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ctx = await loadFixture(deployLedger);
        const model = await runScenario(ctx, ops, `run${run++}`);
        await checkAgainstChain(ctx, model);
      }),
      { numRuns: 12 },
    );
  });

  describe("a long scenario", () => {
    let ctx: Ledger;
    let entries: LoggedEntry[];
    let checkpoint: { ledgerHead: Hex; ledgerSequence: bigint };

    before(async () => {
      ctx = await loadFixture(deployLedger);
      const ops = fc.sample(fc.array(opArbitrary, { minLength: 400, maxLength: 400 }), {
        numRuns: 1,
        seed: 20261126,
      })[0];
      const model = await runScenario(ctx, ops, "long");
      entries = await checkAgainstChain(ctx, model);
      const [head, sequence] = await ctx.ledger.ledgerHead();
      checkpoint = { ledgerHead: head as Hex, ledgerSequence: sequence };
    });

    it("replays a few hundred entries from the events alone to the on-chain ledger head", () => {
      expect(entries.length).to.be.greaterThan(250);
      expect(verifyCompleteTrail(entries, checkpoint).complete).to.equal(true);
    });

    it("detects any dropped, reordered or altered entry, even when the forger re-stamps the rest", () => {
      type Tamper =
        | { kind: "drop"; index: number }
        | { kind: "swap"; index: number; other: number }
        | { kind: "payload" | "actor" | "time"; index: number };
      const n = entries.length;
      const tamperArbitrary: fc.Arbitrary<Tamper> = fc.oneof(
        fc.record({ kind: fc.constant("drop" as const), index: fc.nat(n - 1) }),
        fc
          .record({ kind: fc.constant("swap" as const), index: fc.nat(n - 1), other: fc.nat(n - 1) })
          .filter((t) => t.index !== t.other && entries[t.index].subject !== entries[t.other].subject),
        fc.record({
          kind: fc.constantFrom("payload" as const, "actor" as const, "time" as const),
          index: fc.nat(n - 1),
        }),
      );
      fc.assert(
        fc.property(tamperArbitrary, fc.boolean(), (tamper, forgerRestamps) => {
          let altered: TrailEntry[] = entries.map((e) => ({ ...e }));
          const i = tamper.index;
          if (tamper.kind === "drop") altered.splice(i, 1);
          else if (tamper.kind === "swap") [altered[i], altered[tamper.other]] = [altered[tamper.other], altered[i]];
          else if (tamper.kind === "payload") altered[i].payloadHash = hashOf(`forged${i}`) as Hex;
          else if (tamper.kind === "actor") altered[i].actor = ctx.outsider.address as Hex;
          else altered[i].time = altered[i].time + 1n;
          if (forgerRestamps) altered = restamp(altered);
          expect(verifyCompleteTrail(altered, checkpoint).complete).to.equal(false);
        }),
        { numRuns: 300 },
      );
    });
  });
});
