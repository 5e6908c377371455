import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { zeroHash, type Address, type PublicClient } from "viem";
import {
  Check,
  batchPayloadHash,
  batchRootFromProof,
  ledgerEntry,
  parseReceipt,
  recordEntry,
  registrationPayloadHash,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type ProvenanceReceipt,
  type Verdict,
} from "../../../src/sdk";
import { fixtureScenario, type FixtureName } from "../../fixtures/receipts/scenario";

/**
 * docs/receipts.md, "What binds each field", is the specification here: its table says, for each field of a signed
 * receipt, what makes a re-hashed forgery fail. This test reads the table and checks every row on the fixture
 * scenario's chain, so that the documentation cannot drift from what verification does.
 */

type Binding =
  { kind: "format" | "signature" | "Merkle proof" } | { kind: "online only" | "recomputed"; checks: string[] };

interface Row {
  field: string;
  registration?: Binding;
  batch?: Binding;
}

function bindingTable(): Row[] {
  const docs = readFileSync(path.join(__dirname, "..", "..", "..", "docs", "receipts.md"), "utf8");
  const section = docs.slice(docs.indexOf("## What binds each field"));
  const start = section.indexOf("| field | signed registration |");
  const table = section.slice(start, section.indexOf("\n\n", start));
  const cell = (text: string): Binding | undefined => {
    if (text === "") return undefined;
    const match = /^(format|signature|Merkle proof|online only|recomputed)(?: \(([^)]+)\))?$/.exec(text);
    if (!match) throw new Error(`docs/receipts.md: cannot read the binding "${text}"`);
    const kind = match[1] as Binding["kind"];
    if (kind === "online only" || kind === "recomputed") return { kind, checks: match[2].split(", ") };
    return { kind } as Binding;
  };
  return table
    .split("\n")
    .slice(2)
    .map((line) => {
      const [field, registration, batch] = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      return { field: field.replace(/`/g, ""), registration: cell(registration), batch: cell(batch) };
    });
}

/** A mutable receipt, for forging. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Forgery = any;

/** Another value of the same shape: the last hex digit changed. */
const other = <T extends string>(hex: T): T => `${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}` as T;
const plus = (decimal: string, delta: number): string => String(BigInt(decimal) + BigInt(delta));
const ANOTHER_ACCOUNT = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

/** How a forger changes each field (with the fields that must stay equal to it). */
const edits: Record<string, (r: Forgery) => void> = {
  version: (r) => (r.version = 2),
  kind: (r) => (r.kind = r.kind === "registration" ? "batch-member" : "registration"),
  chainId: (r) => {
    r.chainId = "1";
    if (r.submission) r.submission.chainId = "1";
  },
  ledger: (r) => (r.ledger = other(r.ledger)),
  rights: (r) => (r.rights = other(r.rights)),
  fingerprint: (r) => (r.fingerprint = other(r.fingerprint)),
  "record.ownerOrg": (r) => (r.record.ownerOrg += 1),
  "record.registrant": (r) => registrant(r, "record"),
  "record.scheme": (r) => (r.record.scheme = (r.record.scheme + 1) % 3),
  "record.dataClass": (r) => (r.record.dataClass = (r.record.dataClass + 1) % 4),
  "record.metadataHash": (r) => (r.record.metadataHash = other(r.record.metadataHash)),
  "record.metadataURI": (r) => (r.record.metadataURI += "x"),
  "record.parents[].fingerprint": (r) => (r.record.parents[0].fingerprint = other(r.record.parents[0].fingerprint)),
  "record.parents[].relation": (r) => (r.record.parents[0].relation = 1 - r.record.parents[0].relation),
  "record.parents[].grantId": (r) => (r.record.parents[0].grantId = plus(r.record.parents[0].grantId, 7)),
  "record.registeredAt": (r) => time(r, "record", "registeredAt"),
  "record.registeredBlock": (r) => block(r, "record", "registeredBlock"),
  "batch.root": (r) => (r.batch.root = other(r.batch.root)),
  "batch.org": (r) => (r.batch.org += 1),
  "batch.registrant": (r) => registrant(r, "batch"),
  "batch.leafCount": (r) => (r.batch.leafCount = plus(r.batch.leafCount, 1)),
  "batch.metadataHash": (r) => (r.batch.metadataHash = other(r.batch.metadataHash)),
  "batch.metadataURI": (r) => (r.batch.metadataURI += "x"),
  "batch.anchoredAt": (r) => time(r, "batch", "anchoredAt"),
  "batch.anchoredBlock": (r) => block(r, "batch", "anchoredBlock"),
  "batch.proof": (r) => (r.batch.proof[0] = other(r.batch.proof[0])),
  "transaction.hash": (r) => (r.transaction.hash = other(r.transaction.hash)),
  "transaction.blockNumber": (r) =>
    r.kind === "registration" ? block(r, "record", "registeredBlock") : block(r, "batch", "anchoredBlock"),
  "transaction.blockHash": (r) => (r.transaction.blockHash = other(r.transaction.blockHash)),
  "transaction.logIndex": (r) => (r.transaction.logIndex += 1),
  "trail.entry.action": (r) => (r.trail.entry.action = r.trail.entry.action === 1 ? 2 : 1),
  "trail.entry.actor": (r) => (r.trail.entry.actor = ANOTHER_ACCOUNT),
  "trail.entry.time": (r) => (r.trail.entry.time = plus(r.trail.entry.time, 1)),
  "trail.entry.payloadHash": (r) => (r.trail.entry.payloadHash = other(r.trail.entry.payloadHash)),
  "trail.stamp.recordHead": (r) => (r.trail.stamp.recordHead = other(r.trail.stamp.recordHead)),
  "trail.stamp.recordLength": (r) => (r.trail.stamp.recordLength = "2"),
  "trail.stamp.ledgerSequence": (r) => (r.trail.stamp.ledgerSequence = plus(r.trail.stamp.ledgerSequence, 1)),
  "trail.stamp.ledgerHead": (r) => (r.trail.stamp.ledgerHead = other(r.trail.stamp.ledgerHead)),
  "trail.previousLedgerHead": (r) => (r.trail.previousLedgerHead = other(r.trail.previousLedgerHead)),
  "submission.signer": (r) => (r.submission.signer = ANOTHER_ACCOUNT),
  "submission.chainId": (r) => (r.submission.chainId = "1"),
  "submission.nonce": (r) => (r.submission.nonce = plus(r.submission.nonce, 1)),
  "submission.deadline": (r) => (r.submission.deadline = plus(r.submission.deadline, 1)),
  // A digit of r: s stays in the lower half, so only the recovery tells.
  "submission.signature": (r) =>
    (r.submission.signature = `0x${other(r.submission.signature.slice(2, 66))}${r.submission.signature.slice(66)}`),
};

function registrant(r: Forgery, part: "record" | "batch"): void {
  r[part].registrant = ANOTHER_ACCOUNT;
  r.trail.entry.actor = ANOTHER_ACCOUNT;
  if (r.submission) r.submission.signer = ANOTHER_ACCOUNT;
}

function time(r: Forgery, part: "record" | "batch", field: "registeredAt" | "anchoredAt"): void {
  r[part][field] = plus(r[part][field], 1);
  r.trail.entry.time = r[part][field];
}

function block(r: Forgery, part: "record" | "batch", field: "registeredBlock" | "anchoredBlock"): void {
  r[part][field] = plus(r[part][field], -1);
  r.transaction.blockNumber = r[part][field];
}

/** Recomputes every hash a forger can: the payload hash, the record head and the ledger head. */
function rehash(r: ProvenanceReceipt): void {
  const { trail } = r;
  trail.entry.payloadHash =
    r.kind === "registration"
      ? registrationPayloadHash({ fingerprint: r.fingerprint, ...r.record })
      : batchPayloadHash(r.batch);
  const { entry, stamp } = trail;
  stamp.recordHead = recordEntry(zeroHash, entry.action, entry.actor, BigInt(entry.time), entry.payloadHash);
  const subject = r.kind === "registration" ? r.fingerprint : r.batch.root;
  stamp.ledgerHead = ledgerEntry(trail.previousLedgerHead, BigInt(stamp.ledgerSequence), subject, stamp.recordHead);
}

const failed = (verdict: Verdict): string[] => verdict.checks.filter((c) => !c.ok).map((c) => c.name);

describe("SDK receipt verification: what binds each field (docs/receipts.md)", function () {
  this.timeout(300_000);
  const rows = bindingTable();
  let client: PublicClient;
  let ledger: Address;
  let receipts: Record<FixtureName, ProvenanceReceipt>;

  before(async () => {
    const scenario = await fixtureScenario();
    ({ client, ledger } = scenario);
    receipts = Object.fromEntries(
      Object.entries(scenario.texts).map(([name, text]) => [name, parseReceipt(text)]),
    ) as Record<FixtureName, ProvenanceReceipt>;
    for (const receipt of Object.values(receipts)) {
      const verdict = await verifyReceiptOnline(client, receipt, { ledger });
      expect(verdict.valid, verdict.summary).to.equal(true);
    }
  });

  function forged(receipt: ProvenanceReceipt, field: string, rehashed: boolean): ProvenanceReceipt {
    const forgery = structuredClone(receipt);
    edits[field](forgery);
    expect(JSON.stringify(forgery), `${field}: the edit changed nothing`).to.not.equal(JSON.stringify(receipt));
    if (rehashed) rehash(forgery);
    return forgery;
  }

  /** Checks one row's statement about one receipt. */
  async function holds(receipt: ProvenanceReceipt, field: string, binding: Binding): Promise<void> {
    const what = `${receipt.kind} ${field} (${binding.kind})`;
    const rehashed = binding.kind === "signature" || binding.kind === "Merkle proof" || binding.kind === "online only";
    const forgery = forged(receipt, field, rehashed);
    const offline = await verifyReceiptOffline(forgery);
    switch (binding.kind) {
      case "format":
        expect(failed(offline), what).to.deep.equal([Check.FORMAT]);
        return;
      case "signature":
      case "Merkle proof": {
        const check = binding.kind === "signature" ? Check.SIGNATURE : Check.MERKLE_PROOF;
        expect(offline.valid, what).to.equal(false);
        expect(failed(offline), what).to.include(check);
        // Re-hashed: only what no forger can recompute fails (a changed root breaks its proof too).
        expect(failed(offline), what).to.satisfy((names: string[]) =>
          names.every((name) => name === Check.SIGNATURE || name === Check.MERKLE_PROOF),
        );
        return;
      }
      case "recomputed":
        expect(offline.valid, what).to.equal(false);
        expect(failed(offline), what).to.include.members(binding.checks);
        return;
      case "online only": {
        expect(offline.valid, `${what}: ${offline.summary}`).to.equal(true);
        const online = await verifyReceiptOnline(client, forgery, { ledger });
        expect(online.authentic, what).to.equal(false);
        expect(failed(online), what).to.include.members(binding.checks);
        return;
      }
    }
  }

  it("the table is complete: a row for every field of both signed fixtures, and an edit for every row", () => {
    const leaves = (value: unknown, prefix: string): string[] =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, item]) => leaves(item, prefix ? `${prefix}.${key}` : key))
        : Array.isArray(value) && value.some((item) => typeof item === "object")
          ? value.flatMap((item) => leaves(item, `${prefix}[]`))
          : [prefix];
    const documented = new Set(rows.map((row) => row.field));
    for (const name of ["signed-registration", "signed-batch-member"] as const) {
      for (const field of new Set(leaves(receipts[name], ""))) {
        expect(documented.has(field), `docs/receipts.md has a row for ${field}`).to.equal(true);
        const row = rows.find((r) => r.field === field)!;
        expect(name === "signed-registration" ? row.registration : row.batch, `${name} ${field}`).to.not.equal(
          undefined,
        );
      }
    }
    for (const row of rows) expect(edits[row.field], `an edit for ${row.field}`).to.be.a("function");
  });

  it("a signed registration: each field fails as the table says", async () => {
    for (const row of rows)
      if (row.registration) await holds(receipts["signed-registration"], row.field, row.registration);
  });

  it("a signed batch member: each field fails as the table says", async () => {
    for (const row of rows) if (row.batch) await holds(receipts["signed-batch-member"], row.field, row.batch);
  });

  it("record.ownerOrg and batch.org of a signed receipt, changed and re-hashed, fail offline: the org is signed", async () => {
    for (const [name, field] of [
      ["signed-registration", "record.ownerOrg"],
      ["signed-batch-member", "batch.org"],
    ] as const) {
      const forgery = forged(receipts[name], field, true);
      const offline = await verifyReceiptOffline(forgery);
      expect(failed(offline), field).to.deep.equal(["signature"]);
      const online = await verifyReceiptOnline(client, forgery, { ledger });
      expect(online.authentic, field).to.equal(false);
    }
  });

  it("an unsigned receipt binds nothing offline: its signature rows verify offline re-hashed, and fail online", async () => {
    for (const [name, column] of [
      ["registration", "registration"],
      ["batch-member", "batch"],
    ] as const) {
      const receipt = receipts[name];
      expect(receipt.submission).to.equal(null);
      for (const row of rows) {
        if (row[column]?.kind !== "signature" || row.field.startsWith("submission.")) continue;
        // Without a signature on the root, a forger makes up a proof for it too.
        const forgery =
          row.field === "batch.root" ? forged(receipt, "batch.proof", false) : forged(receipt, row.field, true);
        if (forgery.kind === "batch-member")
          forgery.batch.root = batchRootFromProof(forgery.fingerprint, forgery.batch.proof);
        rehash(forgery);
        const offline = await verifyReceiptOffline(forgery);
        expect(offline.valid, `${name} ${row.field}: ${offline.summary}`).to.equal(true);
        const online = await verifyReceiptOnline(client, forgery, { ledger });
        expect(online.authentic, `${name} ${row.field}`).to.equal(false);
        expect(failed(online), `${name} ${row.field}`).to.satisfy((names: string[]) =>
          names.some((n) => [Check.EVENT, Check.CHAIN_ID, Check.DEPLOYMENT, Check.BATCH_ANCHOR].includes(n as never)),
        );
      }
    }
  });
});
