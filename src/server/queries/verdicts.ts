/**
 * Verdicts: for a fingerprint, the record's standing at the answer's block; for an uploaded receipt, the SDK's
 * offline verification (format, payload hash, record and ledger heads, Merkle proof, signature) plus what the index
 * knows: that its block is the stored block at that height, that the log there is the receipt's event with the
 * receipt's stamp, that (for a registration) the record's trail position 1 is that event, and the record's standing.
 * The index stands in for the chain here; a client that trusts neither verifies online with the SDK.
 */
import { zeroHash, type Hex } from "viem";
import { storedEventFromRow, decodeStoredLog as decodeLog } from "../../indexer/store";
import { Check, verifyReceiptOffline, type ProvenanceReceipt, type VerificationCheck } from "../../sdk";
import { ApiError, unknownRecord } from "../errors";
import { recordStatus, type Db, type RecordStatus } from "./common";
import { loadRecord, versionChain } from "./records";

export type StandingAnswer = {
  exists: boolean;
  status: RecordStatus | null;
  withdrawn: boolean;
  frozen: boolean;
  supersededBy: Hex | null;
  latestVersion: Hex | null;
  ownerOrg: number | null;
  ownerName: string | null;
};

export type VerdictAnswer = {
  fingerprint: Hex;
  kind: "registration" | "batch-member" | null;
  valid: boolean;
  /** Every integrity check passed (standing aside); null for a fingerprint alone (nothing to authenticate). */
  authentic: boolean | null;
  checks: VerificationCheck[];
  summary: string;
  standing: StandingAnswer | null;
};

/** Checks about the record's standing now rather than the receipt's truth. */
const STANDING = new Set<string>([
  Check.RECORD_EXISTS,
  Check.NOT_WITHDRAWN,
  Check.LATEST_VERSION,
  Check.NOT_FROZEN,
  Check.OWNER,
]);

/** Extra check names: the index's own. */
export const IndexCheck = { BLOCK: "indexed block", EVENT: "indexed event" } as const;

const pass = (name: string, detail: string): VerificationCheck => ({ name, ok: true, detail });
const fail = (name: string, detail: string): VerificationCheck => ({ name, ok: false, detail });

async function standingOf(
  db: Db,
  fingerprint: Hex,
  registeredBy?: number,
): Promise<{ standing: StandingAnswer; checks: VerificationCheck[] }> {
  const record = await loadRecord(db, fingerprint);
  if (!record) {
    return {
      standing: {
        exists: false,
        status: null,
        withdrawn: false,
        frozen: false,
        supersededBy: null,
        latestVersion: null,
        ownerOrg: null,
        ownerName: null,
      },
      checks: [fail(Check.RECORD_EXISTS, `the index holds no record ${fingerprint}`)],
    };
  }
  const [versions, owner] = await Promise.all([
    versionChain(db, fingerprint),
    db.selectFrom("organizations").select("name").where("id", "=", record.ownerOrg).executeTakeFirst(),
  ]);
  const supersededBy = record.supersededBy === zeroHash ? null : record.supersededBy;
  const latestVersion = versions[versions.length - 1]!;
  const ownerName = owner ? `${String(owner.name)} (org ${record.ownerOrg})` : `organisation ${record.ownerOrg}`;
  const standing: StandingAnswer = {
    exists: true,
    status: recordStatus(record),
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    supersededBy,
    latestVersion,
    ownerOrg: record.ownerOrg,
    ownerName,
  };
  const checks = [
    pass(Check.RECORD_EXISTS, `the index holds record ${fingerprint}`),
    record.withdrawn
      ? fail(Check.NOT_WITHDRAWN, "the owner withdrew the record (it stays on the ledger with its history)")
      : pass(Check.NOT_WITHDRAWN, "not withdrawn"),
    supersededBy
      ? fail(Check.LATEST_VERSION, `superseded by ${supersededBy}; the latest version is ${latestVersion}`)
      : pass(Check.LATEST_VERSION, "this is the latest version"),
    record.frozen ? fail(Check.NOT_FROZEN, "frozen by an inspector") : pass(Check.NOT_FROZEN, "not frozen"),
    pass(
      Check.OWNER,
      registeredBy === undefined || registeredBy === record.ownerOrg
        ? `owned by ${ownerName}`
        : `now owned by ${ownerName}; org ${registeredBy} registered it`,
    ),
  ];
  return { standing, checks };
}

function summaryOf(checks: VerificationCheck[], what: string, block: bigint): string {
  const failed = checks.filter((check) => !check.ok);
  if (failed.length === 0)
    return `VALID: ${what}; all ${checks.length} checks passed against the index at block ${block}.`;
  const reasons = failed.map((check) => `${check.name}: ${check.detail}`).join("; ");
  return failed.every((check) => STANDING.has(check.name))
    ? `AUTHENTIC BUT NOT IN GOOD STANDING: ${what}; ${reasons}.`
    : `INVALID: ${what}; ${failed.length} of ${checks.length} checks failed at block ${block}: ${reasons}.`;
}

/** The standing of a fingerprint; 404 UnknownRecord if the store has no such record. */
export async function fingerprintVerdict(db: Db, fingerprint: Hex, block: bigint): Promise<VerdictAnswer> {
  const { standing, checks } = await standingOf(db, fingerprint);
  if (!standing.exists) throw unknownRecord(fingerprint);
  return {
    fingerprint,
    kind: null,
    valid: checks.every((check) => check.ok),
    authentic: null,
    checks,
    summary: summaryOf(checks, `record ${fingerprint}`, block),
    standing,
  };
}

/**
 * The receipt's offline verdict, before any store access: 422 InvalidReceipt when it is not a well-formed version 1
 * receipt (the format check's problems say where).
 */
export async function offlineVerdict(
  receipt: unknown,
): Promise<{ receipt: ProvenanceReceipt; checks: VerificationCheck[] }> {
  const verdict = await verifyReceiptOffline(receipt as ProvenanceReceipt);
  const format = verdict.checks[0];
  if (!format?.ok) {
    throw new ApiError(
      "InvalidReceipt",
      `the body is not a provenance receipt: ${format?.detail ?? "unreadable"}`,
      "send the receipt as the SDK writes it (schemas/provenance-receipt.v1.schema.json)",
    );
  }
  return { receipt: receipt as ProvenanceReceipt, checks: verdict.checks };
}

type Stamp = { recordHead: Hex; recordLength: bigint; ledgerSequence: bigint; ledgerHead: Hex };

/** The index's checks of where the receipt says its event is. */
async function indexChecks(db: Db, receipt: ProvenanceReceipt, anchorBlock: bigint): Promise<VerificationCheck[]> {
  const { transaction } = receipt;
  const blockNumber = BigInt(transaction.blockNumber);
  if (blockNumber > anchorBlock) {
    const why = `the index has reached block ${anchorBlock}, not the receipt's block ${blockNumber} yet`;
    return [fail(IndexCheck.BLOCK, why), fail(IndexCheck.EVENT, `not checked: ${why}`)];
  }
  const [block, eventRow] = await Promise.all([
    db
      .selectFrom("blocks")
      .select("hash")
      .where("number", "=", blockNumber as never)
      .executeTakeFirst(),
    db
      .selectFrom("events")
      .selectAll()
      .where("block_number", "=", blockNumber as never)
      .where("log_index", "=", transaction.logIndex)
      .executeTakeFirst(),
  ]);
  const checks: VerificationCheck[] = [];
  if (!block) {
    checks.push(fail(IndexCheck.BLOCK, `the index holds no block ${blockNumber} (it has no event of the ledger)`));
  } else if (String(block.hash) !== transaction.blockHash) {
    checks.push(
      fail(
        IndexCheck.BLOCK,
        `block ${blockNumber} is ${String(block.hash)} in the index, not ${transaction.blockHash}`,
      ),
    );
  } else {
    checks.push(pass(IndexCheck.BLOCK, `block ${blockNumber} is ${transaction.blockHash} in the index`));
  }
  const expected = receipt.kind === "registration" ? "RecordRegistered" : "BatchAnchored";
  if (!eventRow) {
    checks.push(
      fail(IndexCheck.EVENT, `the index holds no event at block ${blockNumber}, log ${transaction.logIndex}`),
    );
    checks.push(fail(Check.TRAIL_POSITION, "not checked: the event is not where the receipt says"));
    return checks;
  }
  const event = storedEventFromRow(eventRow as Record<string, unknown>);
  const problems: string[] = [];
  if (event.eventName !== expected) problems.push(`it is a ${event.eventName}, not a ${expected}`);
  if (event.transactionHash !== transaction.hash) {
    problems.push(`its transaction is ${event.transactionHash}, not ${transaction.hash}`);
  }
  let stamp: Stamp | undefined;
  if (problems.length === 0) {
    const args = decodeLog(event).args as unknown as { fingerprint?: Hex; root?: Hex; stamp: Stamp };
    const subject = (receipt.kind === "registration" ? args.fingerprint : args.root)?.toLowerCase();
    const expectedSubject = receipt.kind === "registration" ? receipt.fingerprint : receipt.batch.root;
    if (subject !== expectedSubject) problems.push(`it is of ${subject}, not ${expectedSubject}`);
    stamp = args.stamp;
  }
  checks.push(
    problems.length === 0
      ? pass(IndexCheck.EVENT, `log ${transaction.logIndex} of block ${blockNumber} is the ${expected}`)
      : fail(
          IndexCheck.EVENT,
          `the log at block ${blockNumber}, index ${transaction.logIndex}: ${problems.join("; ")}`,
        ),
  );
  if (!stamp) {
    checks.push(fail(Check.TRAIL_POSITION, "not checked: the event is not the receipt's"));
    return checks;
  }
  const claimed = receipt.trail.stamp;
  const differences: string[] = [];
  if (stamp.recordHead.toLowerCase() !== claimed.recordHead) differences.push(`recordHead is ${stamp.recordHead}`);
  if (stamp.recordLength.toString() !== claimed.recordLength) differences.push(`recordLength is ${stamp.recordLength}`);
  if (stamp.ledgerSequence.toString() !== claimed.ledgerSequence) {
    differences.push(`ledgerSequence is ${stamp.ledgerSequence}`);
  }
  if (stamp.ledgerHead.toLowerCase() !== claimed.ledgerHead) differences.push(`ledgerHead is ${stamp.ledgerHead}`);
  if (receipt.kind === "registration" && differences.length === 0) {
    const position = await db
      .selectFrom("record_trail")
      .select(["block_number", "log_index"])
      .where("fingerprint", "=", receipt.fingerprint)
      .where("position", "=", 1 as never)
      .executeTakeFirst();
    if (
      !position ||
      BigInt(position.block_number as bigint) !== blockNumber ||
      Number(position.log_index) !== transaction.logIndex
    ) {
      differences.push("the record's trail entry 1 in the index is another event");
    }
  }
  checks.push(
    differences.length === 0
      ? pass(
          Check.TRAIL_POSITION,
          `the indexed event's stamp (ledger entry ${claimed.ledgerSequence}) is the receipt's`,
        )
      : fail(Check.TRAIL_POSITION, `in the index, ${differences.join("; ")}`),
  );
  return checks;
}

/** The verdict on a receipt: offline checks, index checks, and (registrations) the record's standing. */
export async function receiptVerdict(
  db: Db,
  receipt: ProvenanceReceipt,
  offline: VerificationCheck[],
  anchorBlock: bigint,
): Promise<VerdictAnswer> {
  const checks = [...offline, ...(await indexChecks(db, receipt, anchorBlock))];
  let standing: StandingAnswer | null = null;
  if (receipt.kind === "registration") {
    const result = await standingOf(db, receipt.fingerprint, receipt.record.ownerOrg);
    standing = result.standing;
    checks.push(...result.checks);
  }
  const failed = checks.filter((check) => !check.ok);
  const what =
    receipt.kind === "registration"
      ? `registration of ${receipt.fingerprint}, ledger entry ${receipt.trail.stamp.ledgerSequence}`
      : `batch member ${receipt.fingerprint} of root ${receipt.batch.root}`;
  return {
    fingerprint: receipt.fingerprint,
    kind: receipt.kind,
    valid: failed.length === 0,
    authentic: failed.every((check) => STANDING.has(check.name)),
    checks,
    summary: summaryOf(checks, what, anchorBlock),
    standing,
  };
}
