import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { decodeEventLog, type Abi, type Hex } from "viem";
import {
  Relation,
  deployLedgerWithRights,
  hashOf,
  jurisdiction,
  registration,
  type LedgerWithRights,
} from "../helpers/fixtures";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi, verifyCompleteTrail } from "../../src/sdk";
import {
  applyEvent,
  authorize,
  createMemoryStore,
  grantKey,
  seedProjection,
  type ProvledgerEvent,
} from "../../src/indexer/projection";
import { trailEntriesFromChain } from "../helpers/trailEvents";

const ALL_ABIS = [...organizationRegistryAbi, ...provenanceLedgerAbi, ...dataRightsAbi] as Abi;
const ORGS = [1, 2, 3, 4, 5, 6, 7, 8]; // 8 does not exist
const SCOPES = [1, 2, 4, 3, 7];

type Op =
  | { kind: "register"; org: number; dataClass: number }
  | { kind: "derive"; org: number; parent: number }
  | { kind: "grant"; record: number; grantee: number; scopes: number; expiry: number }
  | { kind: "revoke"; record: number; grantee: number }
  | { kind: "decideGrant"; record: number; grantee: number; customs: number; approve: boolean }
  | { kind: "offer"; record: number; to: number; expiry: number }
  | { kind: "cancel" | "accept"; offer: number }
  | { kind: "decideTransfer"; offer: number; customs: number; approve: boolean }
  | { kind: "confirm"; offer: number; matches: boolean }
  | { kind: "freeze" | "unfreeze" | "finding" | "withdraw"; record: number }
  | { kind: "suspend" | "reinstate"; org: number }
  | { kind: "classRule"; dataClass: number; rule: number }
  | { kind: "wait"; seconds: number };

const pick = fc.nat(50);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("register" as const), org: fc.constantFrom(1, 2), dataClass: fc.nat(3) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("derive" as const), org: fc.constantFrom(1, 2), parent: pick }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("grant" as const),
      record: pick,
      grantee: fc.constantFrom(1, 2, 3, 4, 5, 7, 1, 2, 3, 6, 8),
      scopes: fc.integer({ min: 1, max: 7 }),
      expiry: fc.nat(2),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("revoke" as const), record: pick, grantee: fc.constantFrom(...ORGS) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("decideGrant" as const),
      record: pick,
      grantee: fc.constantFrom(...ORGS),
      customs: fc.nat(3),
      approve: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("offer" as const),
      record: pick,
      to: fc.constantFrom(1, 2, 3, 4),
      expiry: fc.nat(1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), offer: pick }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("accept" as const), offer: pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("decideTransfer" as const),
      offer: pick,
      customs: fc.nat(3),
      approve: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("confirm" as const), offer: pick, matches: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "freeze" as const,
        "unfreeze" as const,
        "unfreeze" as const,
        "finding" as const,
        "withdraw" as const,
      ),
      record: pick,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("suspend" as const, "reinstate" as const, "reinstate" as const, "reinstate" as const),
      org: fc.constantFrom(1, 2, 3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("classRule" as const), dataClass: fc.nat(3), rule: fc.nat(2) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      // Mostly short; sometimes past the customs review period (30 days).
      seconds: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
        { weight: 1, arbitrary: fc.constant(31 * 24 * 3600) },
      ),
    }),
  },
);

/** Sends a transaction; a refusal is a legitimate outcome here (the model is rebuilt from what did happen). */
async function attempt(send: () => Promise<ContractTransactionResponse>): Promise<boolean> {
  try {
    await (await send()).wait();
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (!message.includes("reverted")) throw error;
    return false;
  }
}

async function runScenario(
  ctx: LedgerWithRights,
  ops: Op[],
  label: string,
  succeeded: Partial<Record<Op["kind"], number>>,
): Promise<string[]> {
  const { ledger, rights, registry, governance } = ctx;
  const keyOf: Record<number, HardhatEthersSigner> = {
    1: ctx.agency,
    2: ctx.foreignAgency,
    3: ctx.trader,
    4: ctx.inspector,
    5: ctx.customs,
    6: ctx.suspended,
    7: ctx.foreignCustoms,
  };
  // Mostly the customs of the jurisdiction that must decide; choice 0 the other one.
  const customsFor = (exportJurisdiction: string, choice: number) =>
    (exportJurisdiction === jurisdiction("HK")) === (choice !== 0) ? ctx.foreignCustoms : ctx.customs;
  const records: string[] = [];
  let offers = 0;
  const ownerKey = async (fingerprint: string) => keyOf[Number((await ledger.getRecord(fingerprint)).ownerOrg)];
  const recordAt = (i: number) => records[i % records.length];
  // Recent offers are the ones still open or waiting: pick among the last three.
  const offerAt = (i: number) => BigInt(offers - (i % Math.min(3, offers)));
  const grantPairs: [string, number][] = [];
  // Mostly a grant that was issued (so possibly still pending or live), sometimes any pair.
  const issuedGrant = (i: number, grantee: number): [string, number] =>
    grantPairs.length > 0 && i % 4 !== 0 ? grantPairs[i % grantPairs.length] : [recordAt(i), grantee];
  const frozen: string[] = [];
  const suspended: number[] = [];
  const now = async () => BigInt(await time.latest());

  async function apply(n: number, op: Op): Promise<boolean> {
    const needsRecord = !["register", "wait", "suspend", "reinstate", "classRule"].includes(op.kind);
    const needsOffer = ["cancel", "accept", "decideTransfer", "confirm"].includes(op.kind);
    if ((needsRecord && records.length === 0) || (needsOffer && offers === 0)) return false;
    switch (op.kind) {
      case "register":
      case "derive": {
        const fingerprint = hashOf(`${label}:${n}`);
        const fields =
          op.kind === "register"
            ? { dataClass: op.dataClass }
            : { parents: [{ fingerprint: recordAt(op.parent), relation: Relation.DERIVED_FROM }] };
        const done = await attempt(() => ledger.connect(keyOf[op.org]).register(registration(fingerprint, fields)));
        if (done) records.push(fingerprint);
        return done;
      }
      case "wait":
        await time.increase(op.seconds);
        return true;
      case "suspend": {
        const done = await attempt(() => registry.connect(governance).suspendOrganization(op.org, hashOf("s")));
        if (done) suspended.push(op.org);
        return done;
      }
      case "reinstate": {
        // Mostly the organisation suspended last.
        const org = suspended.length > 0 && op.org !== 3 ? suspended[suspended.length - 1] : op.org;
        const done = await attempt(() => registry.connect(governance).reinstateOrganization(org, hashOf("r")));
        if (done) suspended.splice(suspended.lastIndexOf(org), 1);
        return done;
      }
      case "classRule":
        return attempt(() => rights.connect(governance).setClassRule(op.dataClass, op.rule));
      case "grant": {
        const fingerprint = recordAt(op.record);
        const expiresAt = op.expiry === 0 ? 0n : (await now()) + (op.expiry === 1 ? 100n : 10_000n);
        const owner = await ownerKey(fingerprint);
        const done = await attempt(() =>
          rights.connect(owner).issueGrant(fingerprint, op.grantee, op.scopes, hashOf("purpose"), expiresAt),
        );
        if (done) grantPairs.push([fingerprint, op.grantee]);
        return done;
      }
      case "revoke": {
        const [fingerprint, grantee] = issuedGrant(op.record, op.grantee);
        const owner = await ownerKey(fingerprint);
        return attempt(() => rights.connect(owner).revokeGrant(fingerprint, grantee, hashOf("reason")));
      }
      case "decideGrant": {
        const [fingerprint, grantee] = issuedGrant(op.record, op.grantee);
        const { grantId, exportJurisdiction } = await rights.getGrant(fingerprint, grantee);
        const customs = customsFor(exportJurisdiction, op.customs);
        return attempt(() =>
          rights.connect(customs).decideGrant(fingerprint, grantee, grantId, op.approve, hashOf("d")),
        );
      }
      case "offer": {
        const fingerprint = recordAt(op.record);
        const expiresAt = (await now()) + (op.expiry === 0 ? 100n : 10_000n);
        const owner = await ownerKey(fingerprint);
        const done = await attempt(() =>
          rights.connect(owner).offerTransfer(fingerprint, op.to, hashOf("terms"), expiresAt),
        );
        if (done) offers += 1;
        return done;
      }
      case "cancel": {
        const offerId = offerAt(op.offer);
        // Either party (only the offering owner may cancel an open offer; either may abandon an undecided one).
        const { fromOrg, toOrg } = await rights.getOffer(offerId);
        const party = op.offer % 3 === 0 ? toOrg : fromOrg;
        return attempt(() => rights.connect(keyOf[Number(party)]).cancelOffer(offerId, hashOf("cancel")));
      }
      case "accept": {
        const offerId = offerAt(op.offer);
        const { toOrg } = await rights.getOffer(offerId);
        return attempt(() => rights.connect(keyOf[Number(toOrg)]).acceptOffer(offerId));
      }
      case "confirm": {
        const offerId = offerAt(op.offer);
        const { toOrg, fingerprint } = await rights.getOffer(offerId);
        const received = op.matches ? fingerprint : hashOf("corrupted copy");
        return attempt(() => rights.connect(keyOf[Number(toOrg)]).confirmDelivery(offerId, received));
      }
      case "decideTransfer": {
        const offerId = offerAt(op.offer);
        const customs = customsFor((await rights.getOffer(offerId)).exportJurisdiction, op.customs);
        return attempt(() => rights.connect(customs).decideTransfer(offerId, op.approve, hashOf("decision")));
      }
      case "withdraw": {
        const fingerprint = recordAt(op.record);
        const owner = await ownerKey(fingerprint);
        return attempt(() => ledger.connect(owner).withdraw(fingerprint, hashOf("w")));
      }
      case "finding":
        return attempt(() => rights.connect(ctx.inspector).attachFinding(recordAt(op.record), hashOf("finding")));
      case "freeze": {
        const done = await attempt(() => rights.connect(ctx.inspector).freeze(recordAt(op.record), hashOf("f")));
        if (done) frozen.push(recordAt(op.record));
        return done;
      }
      case "unfreeze": {
        // Mostly a record that was frozen.
        const fingerprint =
          frozen.length > 0 && op.record % 4 !== 0 ? frozen[op.record % frozen.length] : recordAt(op.record);
        return attempt(() => rights.connect(ctx.inspector).unfreeze(fingerprint, hashOf("u")));
      }
    }
  }

  for (const [n, op] of ops.entries()) {
    const done = await apply(n, op);
    if (done) succeeded[op.kind] = (succeeded[op.kind] ?? 0) + 1;
  }
  return records;
}

/** Rebuilds the state from the three contracts' events alone and compares it with their views. */
async function checkViewsAgainstEvents(ctx: LedgerWithRights, records: string[]): Promise<void> {
  const { ledger, rights, registry } = ctx;
  const addresses = [await registry.getAddress(), await ledger.getAddress(), await rights.getAddress()];
  const logs = (await ethers.provider.getLogs({ address: addresses, fromBlock: 0, toBlock: "latest" })).sort(
    (a, b) => a.blockNumber - b.blockNumber || a.index - b.index,
  );
  const state = createMemoryStore();
  seedProjection(state);
  const blockTimes = new Map<number, bigint>();
  for (const log of logs) {
    if (!blockTimes.has(log.blockNumber)) {
      blockTimes.set(log.blockNumber, BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp));
    }
    const event = decodeEventLog({ abi: ALL_ABIS, topics: log.topics as [Hex], data: log.data as Hex });
    applyEvent(state, event as unknown as ProvledgerEvent, blockTimes.get(log.blockNumber)!);
  }

  const block = (await ethers.provider.getBlock("latest"))!;
  const at = { blockTag: block.number };
  for (const fingerprint of records) {
    const onChain = await ledger.getRecord(fingerprint, at);
    const projected = state.records.get(fingerprint.toLowerCase() as Hex)!;
    expect(
      [Number(onChain.ownerOrg), onChain.withdrawn, onChain.frozen, onChain.trailHead, onChain.trailLength],
      `record ${fingerprint}`,
    ).to.deep.equal([
      projected.ownerOrg,
      projected.withdrawn,
      projected.frozen,
      projected.trailHead,
      projected.trailLength,
    ]);
    for (const org of ORGS) {
      const grant = await rights.getGrant(fingerprint, org, at);
      const projectedGrant = state.grants.get(grantKey(fingerprint as Hex, org));
      expect([grant.grantId, Number(grant.status), Number(grant.scopes), BigInt(grant.expiresAt)]).to.deep.equal(
        projectedGrant
          ? [projectedGrant.grantId, projectedGrant.status, projectedGrant.scopes, projectedGrant.expiresAt]
          : [0n, 0, 0, 0n],
      );
      for (const scope of SCOPES) {
        const [verdict, grantId] = await rights.authorization(fingerprint, org, scope, at);
        const expected = authorize(state, fingerprint as Hex, org, scope, BigInt(block.timestamp));
        expect([Number(verdict), grantId], `authorization(${fingerprint}, org ${org}, scope ${scope})`).to.deep.equal([
          expected.verdict,
          expected.grantId,
        ]);
        expect(await rights.mayUse(fingerprint, org, scope, at)).to.equal(expected.verdict <= 1);
      }
    }
  }
  const [, offerCount] = await rights.counts();
  expect(BigInt(state.offers.size)).to.equal(offerCount);
  for (const [offerId, projected] of state.offers) {
    const offer = await rights.getOffer(offerId, at);
    expect([
      Number(offer.status),
      Number(offer.fromOrg),
      Number(offer.toOrg),
      offer.exportJurisdiction,
      BigInt(offer.acceptedAt),
    ]).to.deep.equal([
      projected.status,
      projected.fromOrg,
      projected.toOrg,
      projected.exportJurisdiction,
      projected.acceptedAt,
    ]);
  }
  for (let dataClass = 0; dataClass <= 3; dataClass++) {
    expect(Number(await rights.classRule(dataClass, at))).to.equal(state.classRules.get(dataClass));
  }

  // The trail covers the three contracts' entries (governance ones included), in one ledger-wide order.
  const entries = await trailEntriesFromChain(ALL_ABIS, addresses);
  const [ledgerHead, ledgerSequence] = await ledger.ledgerHead(at);
  const verdict = verifyCompleteTrail(entries, { ledgerHead: ledgerHead as Hex, ledgerSequence });
  expect(verdict.complete, verdict.complete ? "" : verdict.reason).to.equal(true);
}

describe("Data rights (property-based): views agree with the state rebuilt from events alone", function () {
  this.timeout(600_000);

  it("after random grants, transfers, customs decisions, freezes, suspensions, rule changes and time", async () => {
    let run = 0;
    const succeeded: Partial<Record<Op["kind"], number>> = {};
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 30, maxLength: 60 }), async (ops) => {
        const ctx = await loadFixture(deployLedgerWithRights);
        const records = await runScenario(ctx, ops, `rights${run++}`, succeeded);
        await checkViewsAgainstEvents(ctx, records);
      }),
      // A fixed seed keeps CI repeatable; FC_SEED explores other scenarios.
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? 20261126) },
    );
    // The scenarios must have exercised every kind of action, not only refusals.
    const kinds: Op["kind"][] = ["register", "derive", "grant", "revoke", "decideGrant", "offer", "cancel", "accept"];
    kinds.push("decideTransfer", "confirm", "freeze", "unfreeze", "finding", "withdraw", "suspend", "reinstate");
    const missing = kinds.filter((kind) => !succeeded[kind]);
    if (process.env.FC_SEED === undefined) {
      expect(missing, JSON.stringify(succeeded)).to.deep.equal([]);
    } else if (missing.length > 0) {
      console.warn(`  seed ${process.env.FC_SEED} never succeeded at: ${missing.join(", ")}`);
    }
  });
});
