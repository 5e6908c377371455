/**
 * Offline verification: nothing but the receipt. It checks the format, recomputes the payload hash from the record's
 * fields, the record head from the trail entry's inputs and the ledger head from the previous ledger head (with
 * trail's `recordEntry` / `ledgerEntry`, the one definition of the trail hashes), the batch root from the Merkle
 * proof, and recovers the EIP-712 signer (signature.ts). That proves the receipt is internally consistent and, for
 * signed submissions, that the registrant signed the fields the EIP-712 struct holds; it cannot prove the chain holds
 * it, nor any field the signature does not bind (docs/receipts.md, "What binds each field").
 */
import { isAddressEqual, zeroHash } from "viem";
import { Action } from "../constants/codes";
import { batchRootFromProof } from "../merkle/proof";
import { batchPayloadHash, registrationPayloadHash } from "../receipt/payload";
import { receiptProblems } from "../receipt/schema";
import type { BatchMemberReceipt, ProvenanceReceipt } from "../receipt/types";
import { ledgerEntry, recordEntry } from "../trail/entry";
import { Check, eventName, fail, guarded, guardedAsync, pass, short, verdictOf } from "./checks";
import { signatureCheck } from "./signature";
import type { OfflineOptions, VerificationCheck, Verdict } from "./types";

function entryFieldsCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const problems: string[] = [];
  const { entry } = receipt.trail;
  const [action, registrant, time, block] =
    receipt.kind === "registration"
      ? [Action.REGISTERED, receipt.record.registrant, receipt.record.registeredAt, receipt.record.registeredBlock]
      : [Action.BATCH_ANCHORED, receipt.batch.registrant, receipt.batch.anchoredAt, receipt.batch.anchoredBlock];
  if (entry.action !== action) problems.push(`action is ${entry.action}, a ${receipt.kind} entry is ${action}`);
  if (!isAddressEqual(entry.actor, registrant))
    problems.push(`actor ${entry.actor} is not the registrant ${registrant}`);
  if (entry.time !== time) problems.push(`entry time ${entry.time} is not the registration time ${time}`);
  if (receipt.transaction.blockNumber !== block) {
    problems.push(`transaction block ${receipt.transaction.blockNumber} is not the registration block ${block}`);
  }
  return problems.length === 0
    ? pass(Check.ENTRY_FIELDS, `action ${action}, actor = registrant, time and block agree with the record`)
    : fail(Check.ENTRY_FIELDS, problems.join("; "));
}

function payloadHashCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const recomputed =
    receipt.kind === "registration"
      ? registrationPayloadHash({ fingerprint: receipt.fingerprint, ...receipt.record })
      : batchPayloadHash(receipt.batch);
  // Both sides are lowercase: the format check has passed.
  return recomputed === receipt.trail.entry.payloadHash
    ? pass(Check.PAYLOAD_HASH, `keccak256 of the ${eventName(receipt)} fields is ${short(recomputed)}`)
    : fail(
        Check.PAYLOAD_HASH,
        `the ${eventName(receipt)} fields hash to ${recomputed}, the receipt says ${receipt.trail.entry.payloadHash}`,
      );
}

function recordHeadCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const { entry, stamp } = receipt.trail;
  // Both receipt kinds are the first entry of their trail: a record's registration, a batch's only entry.
  if (stamp.recordLength !== "1") {
    return fail(Check.RECORD_HEAD, `recordLength is ${stamp.recordLength}; a ${receipt.kind} is entry 1 of its trail`);
  }
  const recomputed = recordEntry(zeroHash, entry.action, entry.actor, BigInt(entry.time), entry.payloadHash);
  return recomputed === stamp.recordHead
    ? pass(Check.RECORD_HEAD, `entry 1 from the zero head recomputes to the stamp's ${short(recomputed)}`)
    : fail(Check.RECORD_HEAD, `the entry recomputes to ${recomputed}, the stamp says ${stamp.recordHead}`);
}

function ledgerHeadCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const { stamp, previousLedgerHead } = receipt.trail;
  const sequence = BigInt(stamp.ledgerSequence);
  if (sequence === 0n) return fail(Check.LEDGER_HEAD, "ledgerSequence is 0; the first entry is 1");
  if (sequence === 1n && previousLedgerHead !== zeroHash) {
    return fail(Check.LEDGER_HEAD, `entry 1 of the ledger must follow the zero head, not ${previousLedgerHead}`);
  }
  const subject = receipt.kind === "registration" ? receipt.fingerprint : receipt.batch.root;
  const recomputed = ledgerEntry(previousLedgerHead, sequence, subject, stamp.recordHead);
  return recomputed === stamp.ledgerHead
    ? pass(Check.LEDGER_HEAD, `entry ${sequence} after ${short(previousLedgerHead)} recomputes to ${short(recomputed)}`)
    : fail(Check.LEDGER_HEAD, `entry ${sequence} recomputes to ${recomputed}, the stamp says ${stamp.ledgerHead}`);
}

function merkleProofCheck(receipt: BatchMemberReceipt): VerificationCheck {
  const root = batchRootFromProof(receipt.fingerprint, receipt.batch.proof);
  return root === receipt.batch.root
    ? pass(Check.MERKLE_PROOF, `${receipt.batch.proof.length}-step proof leads the fingerprint to the root`)
    : fail(
        Check.MERKLE_PROOF,
        `the proof leads the fingerprint to ${root}, not to the batch root ${receipt.batch.root}`,
      );
}

export function formatCheck(value: unknown): VerificationCheck {
  const problems = receiptProblems(value);
  return problems.length === 0
    ? pass(Check.FORMAT, "a well-formed version 1 receipt")
    : fail(Check.FORMAT, problems.join("; "));
}

/** The receipt-only checks, in order; each independent of the others so that every problem is reported. */
export async function offlineChecks(receipt: ProvenanceReceipt, options: OfflineOptions): Promise<VerificationCheck[]> {
  const checks = [
    guarded(Check.ENTRY_FIELDS, () => entryFieldsCheck(receipt)),
    guarded(Check.PAYLOAD_HASH, () => payloadHashCheck(receipt)),
    guarded(Check.RECORD_HEAD, () => recordHeadCheck(receipt)),
    guarded(Check.LEDGER_HEAD, () => ledgerHeadCheck(receipt)),
  ];
  if (receipt.kind === "batch-member") checks.push(guarded(Check.MERKLE_PROOF, () => merkleProofCheck(receipt)));
  checks.push(await guardedAsync(Check.SIGNATURE, () => signatureCheck(receipt, options)));
  return checks;
}

/**
 * Verifies a receipt with nothing but the receipt (under a millisecond; see bench/verify.ts). A malformed value
 * gives a verdict with the failed format check only, never an exception.
 */
export async function verifyReceiptOffline(receipt: ProvenanceReceipt, options: OfflineOptions = {}): Promise<Verdict> {
  const format = formatCheck(receipt);
  if (!format.ok) return verdictOf(undefined, [format], false);
  return verdictOf(receipt, [format, ...(await offlineChecks(receipt, options))], false);
}
