/** The checks' names and the verdict built from them (offline.ts and online.ts run the checks). */
import type { ProvenanceReceipt } from "../receipt/types";
import type { VerificationCheck, Verdict } from "./types";

/** Names of the checks, so that programs need not match strings by hand. */
export const Check = {
  FORMAT: "format",
  ENTRY_FIELDS: "entry fields",
  PAYLOAD_HASH: "payload hash",
  RECORD_HEAD: "record head",
  LEDGER_HEAD: "ledger head",
  MERKLE_PROOF: "merkle proof",
  SIGNATURE: "signature",
  DEPLOYMENT: "deployment",
  CHAIN_ID: "chain id",
  BLOCK: "canonical block",
  EVENT: "event",
  TRAIL_POSITION: "trail position",
  SUBMISSION: "submission",
  RIGHTS_MODULE: "rights module",
  BATCH_ANCHOR: "batch anchor",
  ONCHAIN_INCLUSION: "on-chain inclusion",
  RECORD_EXISTS: "record exists",
  NOT_WITHDRAWN: "not withdrawn",
  LATEST_VERSION: "latest version",
  NOT_FROZEN: "not frozen",
  OWNER: "current owner",
  GRANTS: "grants",
  AUTHORIZATION: "authorization",
} as const;

/** Checks about the record's standing today rather than the receipt's truth. */
const STANDING_CHECKS: ReadonlySet<string> = new Set([
  Check.RECORD_EXISTS,
  Check.NOT_WITHDRAWN,
  Check.LATEST_VERSION,
  Check.NOT_FROZEN,
  Check.OWNER,
  Check.GRANTS,
  Check.AUTHORIZATION,
]);

export function pass(name: string, detail: string): VerificationCheck {
  return { name, ok: true, detail };
}

export function fail(name: string, detail: string): VerificationCheck {
  return { name, ok: false, detail };
}

/** How a check's detail begins when the check could not run (an error reaching the node, say). */
export const UNCHECKED = "could not be checked";

/** Runs a check, turning an unexpected exception into a failed check: a verifier must never throw its way to "ok". */
export function guarded(name: string, run: () => VerificationCheck): VerificationCheck {
  try {
    return run();
  } catch (error) {
    return fail(name, `${UNCHECKED}: ${firstLine(error)}`);
  }
}

export async function guardedAsync(name: string, run: () => Promise<VerificationCheck>): Promise<VerificationCheck> {
  try {
    return await run();
  } catch (error) {
    return fail(name, `${UNCHECKED}: ${firstLine(error)}`);
  }
}

/** The ledger event a receipt of this kind stands for. */
export function eventName(receipt: ProvenanceReceipt): "RecordRegistered" | "BatchAnchored" {
  return receipt.kind === "registration" ? "RecordRegistered" : "BatchAnchored";
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

function subjectOf(receipt: ProvenanceReceipt): string {
  return receipt.kind === "registration"
    ? `registration of ${short(receipt.fingerprint)} by org ${receipt.record.ownerOrg}`
    : `batch member ${short(receipt.fingerprint)} of root ${short(receipt.batch.root)} (org ${receipt.batch.org})`;
}

export function verdictOf(
  receipt: ProvenanceReceipt | undefined,
  checks: VerificationCheck[],
  online: boolean,
): Verdict {
  const failed = checks.filter((c) => !c.ok);
  const authentic = failed.every((c) => STANDING_CHECKS.has(c.name));
  const valid = failed.length === 0;
  const where = receipt
    ? `${subjectOf(receipt)}, ledger entry ${receipt.trail.stamp.ledgerSequence} in block ` +
      `${receipt.transaction.blockNumber} of chain ${receipt.chainId}`
    : "receipt";
  // Online, a block check that ran and failed: the node's chain does not hold the receipt's block (it was reset,
  // forked, or lost its last blocks in a crash). One error reaching the node is not that: it cannot decide.
  const blockCheck = online ? checks.find((c) => c.name === Check.BLOCK) : undefined;
  const onChain = !blockCheck || blockCheck.detail.startsWith(UNCHECKED) ? undefined : blockCheck.ok;
  let summary: string;
  if (onChain === false) {
    const reasons = failed.map((c) => `${c.name}: ${c.detail}`).join("; ");
    summary =
      `INVALID: NOT ON CHAIN: ${where}; the node's chain does not hold the receipt's block (the chain was reset, ` +
      `forked, or lost its last blocks), so the transaction is not on it; ${failed.length} of ${checks.length} ` +
      `checks failed: ${reasons}.`;
  } else if (valid) {
    summary = online
      ? `VALID: ${where}; all ${checks.length} checks passed against the chain.`
      : `VALID OFFLINE: ${where}; all ${checks.length} checks passed. Offline checks prove the receipt is ` +
        `consistent (and signed, if it carries a signature); verify online to confirm the chain holds it.`;
  } else {
    const reasons = failed.map((c) => `${c.name}: ${c.detail}`).join("; ");
    summary = authentic
      ? `AUTHENTIC BUT NOT IN GOOD STANDING: ${where}; ${reasons}.`
      : `INVALID: ${where}; ${failed.length} of ${checks.length} checks failed: ${reasons}.`;
  }
  return { valid, authentic, checks, summary, ...(onChain === undefined ? {} : { onChain }) };
}
