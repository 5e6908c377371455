/**
 * Verification of provenance receipts (receipt.ts), with a verdict a program can branch on and a person can read.
 *
 * Offline (`verifyReceiptOffline`) needs nothing but the receipt: it checks the format, recomputes the payload hash
 * from the record's fields, the record head from the trail entry's inputs and the ledger head from the previous
 * ledger head, recomputes the batch root from the Merkle proof, and recovers the EIP-712 signer. That proves the
 * receipt is internally consistent and, for signed submissions, that the registrant signed exactly these fields;
 * it cannot prove the chain holds it.
 *
 * Online (`verifyReceiptOnline`) adds what only the chain knows: the chain id, that the block is canonical, that the
 * transaction's log at the receipt's index is the ledger's event with exactly the receipt's fields and stamp (and the
 * previous ledger head), the calldata's envelope, the rights module, the batch anchor and on-chain inclusion; then
 * the record's standing today (exists, withdrawn, superseded, frozen, owner, grants, and optionally whether an
 * organisation may use it).
 *
 * Every receipt field is bound by at least one check, offline or online: changing any field makes verification fail.
 * (That is why a batch member's receipt carries no position in the batch: a StandardMerkleTree proof hashes sorted
 * pairs, so it does not commit to the leaf's position, and no check could bind it; see docs/receipts.md.)
 */
import {
  concat,
  hexToBytes,
  keccak256,
  recoverAddress,
  stringToBytes,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import { Action, Authorization, GrantStatus, Scope } from "../constants/codes";
import {
  ANCHOR_BATCH_TYPEHASH,
  DOMAIN_TYPEHASH,
  NAME_HASH,
  PARENT_LINK_TYPEHASH,
  REGISTER_TYPEHASH,
  VERSION_HASH,
} from "../constants/eip712";
import {
  batchPayloadHash,
  batchRootFromProof,
  receiptFromChain,
  receiptProblems,
  registrationPayloadHash,
  type BatchMemberReceipt,
  type ProvenanceReceipt,
  type RegistrationReceipt,
} from "../receipt";
import { ZERO_HASH } from "../trail";

// ---------------------------------------------------------------------------------------------------------------------
// Verdicts

/** One named check. `detail` says what was compared and, on failure, what differed. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The record's standing today, as read online (registrations only). */
export interface RecordStanding {
  exists: boolean;
  withdrawn: boolean;
  frozen: boolean;
  /** The newer version that superseded it, null if none. */
  supersededBy: Hex | null;
  /** The latest version (the record itself when not superseded). */
  latestVersion: Hex;
  ownerOrg: number;
  ownerName: string;
}

export interface Verdict {
  /** Every check passed: the receipt is authentic and (online) the record is in good standing. */
  valid: boolean;
  /** Every integrity check passed: the receipt tells the truth (standing checks aside). */
  authentic: boolean;
  checks: VerificationCheck[];
  /** One paragraph for a person. */
  summary: string;
  /** Online verification of a registration: the record's standing today. */
  standing?: RecordStanding;
}

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

function pass(name: string, detail: string): VerificationCheck {
  return { name, ok: true, detail };
}

function fail(name: string, detail: string): VerificationCheck {
  return { name, ok: false, detail };
}

/** Runs a check, turning an unexpected exception into a failed check: a verifier must never throw its way to "ok". */
function guarded(name: string, run: () => VerificationCheck): VerificationCheck {
  try {
    return run();
  } catch (error) {
    return fail(name, `could not be checked: ${firstLine(error)}`);
  }
}

async function guardedAsync(name: string, run: () => Promise<VerificationCheck>): Promise<VerificationCheck> {
  try {
    return await run();
  } catch (error) {
    return fail(name, `could not be checked: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

function subjectOf(receipt: ProvenanceReceipt): string {
  return receipt.kind === "registration"
    ? `registration of ${short(receipt.fingerprint)} by org ${receipt.record.ownerOrg}`
    : `batch member ${short(receipt.fingerprint)} of root ${short(receipt.batch.root)} (org ${receipt.batch.org})`;
}

function verdictOf(receipt: ProvenanceReceipt | undefined, checks: VerificationCheck[], online: boolean): Verdict {
  const failed = checks.filter((c) => !c.ok);
  const authentic = failed.every((c) => STANDING_CHECKS.has(c.name));
  const valid = failed.length === 0;
  const where = receipt
    ? `${subjectOf(receipt)}, ledger entry ${receipt.trail.stamp.ledgerSequence} in block ` +
      `${receipt.transaction.blockNumber} of chain ${receipt.chainId}`
    : "receipt";
  let summary: string;
  if (valid) {
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
  return { valid, authentic, checks, summary };
}

// ---------------------------------------------------------------------------------------------------------------------
// Trail, payload and Merkle recomputation

/** recordHead = keccak256(abi.encode(bytes32 previous, uint8 action, address actor, uint64 time, bytes32 payload)) */
function recordEntryHash(previous: Hex, action: number, actor: Address, time: bigint, payloadHash: Hex): Hex {
  return keccak256(
    concat([
      previous,
      uint256Hex(BigInt(action)),
      `0x${actor.slice(2).toLowerCase().padStart(64, "0")}`,
      uint256Hex(time),
      payloadHash,
    ]),
  );
}

/** ledgerHead = keccak256(abi.encode(bytes32 previous, uint64 sequence, bytes32 subject, bytes32 recordHead)) */
function ledgerEntryHash(previous: Hex, sequence: bigint, subject: Hex, recordHead: Hex): Hex {
  return keccak256(concat([previous, uint256Hex(sequence), subject, recordHead]));
}

function uint256Hex(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function entryFieldsCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const problems: string[] = [];
  const { entry } = receipt.trail;
  const [action, registrant, time, block] =
    receipt.kind === "registration"
      ? [Action.REGISTERED, receipt.record.registrant, receipt.record.registeredAt, receipt.record.registeredBlock]
      : [Action.BATCH_ANCHORED, receipt.batch.registrant, receipt.batch.anchoredAt, receipt.batch.anchoredBlock];
  if (entry.action !== action) problems.push(`action is ${entry.action}, a ${receipt.kind} entry is ${action}`);
  if (!same(entry.actor, registrant)) problems.push(`actor ${entry.actor} is not the registrant ${registrant}`);
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
  return same(recomputed, receipt.trail.entry.payloadHash)
    ? pass(Check.PAYLOAD_HASH, `keccak256 of the ${eventName(receipt)} fields is ${short(recomputed)}`)
    : fail(
        Check.PAYLOAD_HASH,
        `the ${eventName(receipt)} fields hash to ${recomputed}, the receipt says ${receipt.trail.entry.payloadHash}`,
      );
}

function eventName(receipt: ProvenanceReceipt): string {
  return receipt.kind === "registration" ? "RecordRegistered" : "BatchAnchored";
}

function recordHeadCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const { entry, stamp } = receipt.trail;
  // Both receipt kinds are the first entry of their trail: a record's registration, a batch's only entry.
  if (stamp.recordLength !== "1") {
    return fail(Check.RECORD_HEAD, `recordLength is ${stamp.recordLength}; a ${receipt.kind} is entry 1 of its trail`);
  }
  const recomputed = recordEntryHash(ZERO_HASH, entry.action, entry.actor, BigInt(entry.time), entry.payloadHash);
  return same(recomputed, stamp.recordHead)
    ? pass(Check.RECORD_HEAD, `entry 1 from the zero head recomputes to the stamp's ${short(recomputed)}`)
    : fail(Check.RECORD_HEAD, `the entry recomputes to ${recomputed}, the stamp says ${stamp.recordHead}`);
}

function ledgerHeadCheck(receipt: ProvenanceReceipt): VerificationCheck {
  const { stamp, previousLedgerHead } = receipt.trail;
  const sequence = BigInt(stamp.ledgerSequence);
  if (sequence === 0n) return fail(Check.LEDGER_HEAD, "ledgerSequence is 0; the first entry is 1");
  if (sequence === 1n && !same(previousLedgerHead, ZERO_HASH)) {
    return fail(Check.LEDGER_HEAD, `entry 1 of the ledger must follow the zero head, not ${previousLedgerHead}`);
  }
  const subject = receipt.kind === "registration" ? receipt.fingerprint : receipt.batch.root;
  const recomputed = ledgerEntryHash(previousLedgerHead, sequence, subject, stamp.recordHead);
  return same(recomputed, stamp.ledgerHead)
    ? pass(Check.LEDGER_HEAD, `entry ${sequence} after ${short(previousLedgerHead)} recomputes to ${short(recomputed)}`)
    : fail(Check.LEDGER_HEAD, `entry ${sequence} recomputes to ${recomputed}, the stamp says ${stamp.ledgerHead}`);
}

function merkleProofCheck(receipt: BatchMemberReceipt): VerificationCheck {
  const root = batchRootFromProof(receipt.fingerprint, receipt.batch.proof);
  return same(root, receipt.batch.root)
    ? pass(Check.MERKLE_PROOF, `${receipt.batch.proof.length}-step proof leads the fingerprint to the root`)
    : fail(
        Check.MERKLE_PROOF,
        `the proof leads the fingerprint to ${root}, not to the batch root ${receipt.batch.root}`,
      );
}

// ---------------------------------------------------------------------------------------------------------------------
// EIP-712 signatures

function addressWord(address: string): Hex {
  return `0x${address.slice(2).toLowerCase().padStart(64, "0")}`;
}

/** The ledger's EIP-712 domain separator (name "Provledger", version "1", chain id, ledger address). */
export function domainSeparator(chainId: bigint, ledger: Address): Hex {
  return keccak256(concat([DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, uint256Hex(chainId), addressWord(ledger)]));
}

/**
 * The EIP-712 digest the signer signed, computed exactly as the ledger does (README, "Signed submissions"); equal to
 * viem's hashTypedData with the README's types (the tests check both). Undefined for an unsigned receipt.
 */
export function submissionDigest(receipt: ProvenanceReceipt): Hex | undefined {
  const submission = receipt.submission;
  if (!submission) return undefined;
  const envelopeTail = [
    uint256Hex(BigInt(submission.chainId)),
    uint256Hex(BigInt(submission.nonce)),
    uint256Hex(BigInt(submission.deadline)),
  ];
  let structHash: Hex;
  if (receipt.kind === "registration") {
    const { record } = receipt;
    const parentHashes = record.parents.map((p) =>
      keccak256(concat([PARENT_LINK_TYPEHASH, p.fingerprint, uint256Hex(BigInt(p.relation))])),
    );
    structHash = keccak256(
      concat([
        REGISTER_TYPEHASH,
        addressWord(submission.signer),
        receipt.fingerprint,
        uint256Hex(BigInt(record.scheme)),
        uint256Hex(BigInt(record.dataClass)),
        record.metadataHash,
        keccak256(stringToBytes(record.metadataURI)),
        keccak256(parentHashes.length === 0 ? "0x" : concat(parentHashes)),
        ...envelopeTail,
      ]),
    );
  } else {
    const { batch } = receipt;
    structHash = keccak256(
      concat([
        ANCHOR_BATCH_TYPEHASH,
        addressWord(submission.signer),
        batch.root,
        uint256Hex(BigInt(batch.leafCount)),
        batch.metadataHash,
        keccak256(stringToBytes(batch.metadataURI)),
        ...envelopeTail,
      ]),
    );
  }
  return keccak256(concat(["0x1901", domainSeparator(BigInt(receipt.chainId), receipt.ledger), structHash]));
}

/** secp256k1's group order n, and n/2: OpenZeppelin's ECDSA (hence the ledger) rejects s > n/2 (malleability). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

/** The libsecp256k1 binding's one function we use (npm package `secp256k1`, prebuilt N-API binaries). */
interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recoveryId: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

let native: NativeSecp256k1 | null | undefined;

/**
 * libsecp256k1 recovers a public key in about 60 µs, viem's pure-JavaScript secp256k1 in about 2 ms: the difference
 * between meeting the 1 ms offline budget for signed receipts or not. The binding is loaded only if present and
 * loadable (a prebuilt binary for this platform); otherwise verification falls back to viem, with the same results.
 */
function nativeSecp256k1(): NativeSecp256k1 | null {
  if (native === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      native = require("secp256k1/bindings") as NativeSecp256k1;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Whether signatures are recovered with libsecp256k1 (fast) rather than viem's JavaScript implementation. */
export function nativeSecp256k1Available(): boolean {
  return nativeSecp256k1() !== null;
}

export interface OfflineOptions {
  /**
   * How to recover signers: "auto" (libsecp256k1 when loadable, else viem), "native" (fail if not loadable) or "js"
   * (always viem). All give the same answers; they differ in speed.
   */
  secp256k1?: "auto" | "native" | "js";
}

async function recoverSigner(digest: Hex, signature: Hex, backend: OfflineOptions["secp256k1"]): Promise<Address> {
  const useNative = backend === "js" ? null : nativeSecp256k1();
  if (backend === "native" && !useNative) throw new Error("the native secp256k1 binding is not available");
  if (!useNative) return (await recoverAddress({ hash: digest, signature })).toLowerCase() as Address;
  const bytes = hexToBytes(signature);
  const publicKey = useNative.ecdsaRecover(bytes.subarray(0, 64), bytes[64] - 27, hexToBytes(digest), false);
  return `0x${keccak256(publicKey.subarray(1)).slice(-40)}`;
}

async function signatureCheck(receipt: ProvenanceReceipt, options: OfflineOptions): Promise<VerificationCheck> {
  const submission = receipt.submission;
  if (!submission) return pass(Check.SIGNATURE, "not a signed submission: the registrant sent the transaction");
  const registrant = receipt.kind === "registration" ? receipt.record.registrant : receipt.batch.registrant;
  if (!same(submission.signer, registrant)) {
    return fail(Check.SIGNATURE, `signer ${submission.signer} is not the registrant ${registrant}`);
  }
  if (submission.chainId !== receipt.chainId) {
    return fail(Check.SIGNATURE, `signed for chain ${submission.chainId}, the receipt is of chain ${receipt.chainId}`);
  }
  const signature = submission.signature;
  // OpenZeppelin's ECDSA.tryRecover (the ledger's SignatureChecker) takes 65-byte (r, s, v) signatures only, v 27
  // or 28 and s in the lower half; anything else can only be a contract wallet's (ERC-1271) signature.
  const problem = eoaSignatureProblem(signature);
  if (problem) {
    return fail(Check.SIGNATURE, `${problem}; not an account's signature (an ERC-1271 wallet's? verify online)`);
  }
  const digest = submissionDigest(receipt)!;
  const recovered = await recoverSigner(digest, signature, options.secp256k1 ?? "auto");
  return same(recovered, submission.signer)
    ? pass(Check.SIGNATURE, `EIP-712 signature of ${submission.signer} over exactly these fields and envelope`)
    : fail(
        Check.SIGNATURE,
        `the signature over these fields recovers ${recovered}, not the signer ${submission.signer} ` +
          `(an ERC-1271 wallet's? verify online)`,
      );
}

function eoaSignatureProblem(signature: Hex): string | undefined {
  if (signature.length !== 132) return `signature is ${(signature.length - 2) / 2} bytes, not 65`;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  if (v !== 27 && v !== 28) return `v is ${v}, not 27 or 28`;
  if (r === 0n || r >= SECP256K1_N || s === 0n) return "r or s is out of range";
  if (s > HALF_N) return "s is in the upper half of the curve order (a malleated signature the ledger rejects)";
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Offline

/** The receipt-only checks, in order; each independent of the others so that every problem is reported. */
async function offlineChecks(receipt: ProvenanceReceipt, options: OfflineOptions): Promise<VerificationCheck[]> {
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

function formatCheck(value: unknown): VerificationCheck {
  const problems = receiptProblems(value);
  return problems.length === 0
    ? pass(Check.FORMAT, "a well-formed version 1 receipt")
    : fail(Check.FORMAT, problems.join("; "));
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

// ---------------------------------------------------------------------------------------------------------------------
// Online

export interface OnlineOptions extends OfflineOptions {
  /**
   * The ledger the verifier trusts, from its own deployment configuration. Required: every online check reads the
   * chain at the receipt's ledger address, so without this a receipt naming a look-alike contract could verify.
   */
  ledger: Address;
  /** Also ask whether `org` may exercise `scope` (Scope bits; default derive) on the record now. */
  authorization?: { org: number; scope?: number };
}

/** Paths where `actual` differs from `expected` (JSON values), with both values. */
function differences(expected: unknown, actual: unknown, path = ""): string[] {
  if (expected === actual) return [];
  if (
    typeof expected === "object" &&
    typeof actual === "object" &&
    expected !== null &&
    actual !== null &&
    Array.isArray(expected) === Array.isArray(actual)
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      differences(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}/${key}`,
      ),
    );
  }
  const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));
  return [`${path || "/"}: chain has ${show(expected)}, receipt has ${show(actual)}`];
}

function compared(name: string, what: string, expected: unknown, actual: unknown): VerificationCheck {
  const diff = differences(expected, actual);
  return diff.length === 0 ? pass(name, what) : fail(name, diff.join("; "));
}

/** The parts of a receipt that the event (and its transaction and block) determine, for comparison. */
function eventPart(receipt: ProvenanceReceipt): unknown {
  const common = { kind: receipt.kind, fingerprint: receipt.fingerprint, transaction: receipt.transaction };
  const entry = receipt.trail.entry;
  if (receipt.kind === "registration") return { ...common, record: receipt.record, entry };
  // The member's proof is the receipt's own (checked by the Merkle and on-chain inclusion checks).
  const { root, org, registrant, leafCount, metadataHash, metadataURI, anchoredAt, anchoredBlock } = receipt.batch;
  const anchor = { root, org, registrant, leafCount, metadataHash, metadataURI, anchoredAt, anchoredBlock };
  return { ...common, batch: anchor, entry };
}

async function chainIdCheck(client: PublicClient, receipt: ProvenanceReceipt): Promise<VerificationCheck> {
  const chainId = String(await client.getChainId());
  return chainId === receipt.chainId
    ? pass(Check.CHAIN_ID, `the node serves chain ${chainId}`)
    : fail(Check.CHAIN_ID, `the node serves chain ${chainId}, the receipt is of chain ${receipt.chainId}`);
}

async function blockCheck(client: PublicClient, receipt: ProvenanceReceipt): Promise<VerificationCheck> {
  const block = await client.getBlock({ blockNumber: BigInt(receipt.transaction.blockNumber) });
  return same(block.hash, receipt.transaction.blockHash)
    ? pass(Check.BLOCK, `block ${block.number} is ${short(block.hash)} on the node's chain`)
    : fail(
        Check.BLOCK,
        `block ${block.number} is ${block.hash} on the node's chain, not ${receipt.transaction.blockHash}`,
      );
}

/**
 * A contract wallet's (ERC-1271) signature is whatever the wallet accepts, so it cannot be checked offline. Online,
 * the ledger's own check stands in: it verified the signature when it accepted the transaction, whose calldata
 * carries exactly the receipt's envelope (the submission check) and which emitted the receipt's event (the event
 * check). That needs no historical state, unlike asking the wallet again at that block.
 */
async function contractSignatureCheck(
  client: PublicClient,
  receipt: ProvenanceReceipt,
  offline: VerificationCheck,
  chain: ProvenanceReceipt | undefined,
): Promise<VerificationCheck> {
  const submission = receipt.submission;
  if (offline.ok || !submission || !chain || differences(chain.submission, submission).length > 0) return offline;
  const registrant = receipt.kind === "registration" ? receipt.record.registrant : receipt.batch.registrant;
  if (!same(submission.signer, registrant) || submission.chainId !== receipt.chainId) return offline;
  const code = await client.getCode({ address: submission.signer });
  if (!code || code === "0x") return offline;
  return pass(
    Check.SIGNATURE,
    `signer ${submission.signer} is a contract wallet (ERC-1271); the ledger verified its signature when it ` +
      `accepted transaction ${short(receipt.transaction.hash)}, whose calldata carries this envelope`,
  );
}

async function batchChecks(client: PublicClient, receipt: BatchMemberReceipt): Promise<VerificationCheck[]> {
  const { batch } = receipt;
  const anchor = await guardedAsync(Check.BATCH_ANCHOR, async () => {
    const stored = await client.readContract({
      address: receipt.ledger,
      abi: provenanceLedgerAbi,
      functionName: "getBatch",
      args: [batch.root],
    });
    return compared(
      Check.BATCH_ANCHOR,
      `the ledger holds root ${short(batch.root)} with these fields`,
      {
        org: stored.org,
        registrant: stored.registrant.toLowerCase(),
        leafCount: stored.leafCount.toString(),
        metadataHash: stored.metadataHash,
        anchoredAt: String(stored.anchoredAt),
        anchoredBlock: stored.anchoredBlock.toString(),
      },
      {
        org: batch.org,
        registrant: batch.registrant,
        leafCount: batch.leafCount,
        metadataHash: batch.metadataHash,
        anchoredAt: batch.anchoredAt,
        anchoredBlock: batch.anchoredBlock,
      },
    );
  });
  const inclusion = await guardedAsync(Check.ONCHAIN_INCLUSION, async () => {
    const included = await client.readContract({
      address: receipt.ledger,
      abi: provenanceLedgerAbi,
      functionName: "verifyBatchInclusion",
      args: [batch.root, receipt.fingerprint, batch.proof],
    });
    return included
      ? pass(Check.ONCHAIN_INCLUSION, "the ledger's verifyBatchInclusion accepts the proof")
      : fail(Check.ONCHAIN_INCLUSION, "the ledger's verifyBatchInclusion rejects the proof");
  });
  return [anchor, inclusion];
}

const AUTHORIZATION_NAMES = Object.fromEntries(
  Object.entries(Authorization).map(([name, code]) => [code, name.toLowerCase().replace(/_/g, " ")]),
) as Record<number, string>;
const GRANT_STATUS_NAMES = Object.fromEntries(
  Object.entries(GrantStatus).map(([name, code]) => [code, name.toLowerCase().replace(/_/g, " ")]),
) as Record<number, string>;

/** Scope bit set as words, e.g. 3 -> "use+derive". */
export function scopeNames(scopes: number): string {
  const names = Object.entries(Scope)
    .filter(([name, bit]) => name !== "ALL" && (scopes & bit) !== 0)
    .map(([name]) => name.toLowerCase());
  return names.length > 0 ? names.join("+") : "none";
}

async function organizationName(client: PublicClient, ledger: Address, org: number): Promise<string> {
  const registry = await client.readContract({ address: ledger, abi: provenanceLedgerAbi, functionName: "registry" });
  const profile = await client.readContract({
    address: registry,
    abi: organizationRegistryAbi,
    functionName: "organization",
    args: [org],
  });
  return profile.name;
}

async function standingChecks(
  client: PublicClient,
  receipt: RegistrationReceipt,
  options: OnlineOptions,
): Promise<{ checks: VerificationCheck[]; standing?: RecordStanding }> {
  const fingerprint = receipt.fingerprint;
  const exists = await client.readContract({
    address: receipt.ledger,
    abi: provenanceLedgerAbi,
    functionName: "exists",
    args: [fingerprint],
  });
  if (!exists) return { checks: [fail(Check.RECORD_EXISTS, `the ledger has no record ${fingerprint}`)] };
  const record = await client.readContract({
    address: receipt.ledger,
    abi: provenanceLedgerAbi,
    functionName: "getRecord",
    args: [fingerprint],
  });
  const [latest] = await client.readContract({
    address: receipt.ledger,
    abi: provenanceLedgerAbi,
    functionName: "latestVersion",
    args: [fingerprint],
  });
  const ownerName = await organizationName(client, receipt.ledger, record.ownerOrg).catch(() => "unknown");
  const supersededBy = record.supersededBy === ZERO_HASH ? null : record.supersededBy.toLowerCase();
  const standing: RecordStanding = {
    exists: true,
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    supersededBy: supersededBy as Hex | null,
    latestVersion: latest.toLowerCase() as Hex,
    ownerOrg: record.ownerOrg,
    ownerName,
  };
  const checks = [
    pass(Check.RECORD_EXISTS, `the ledger holds record ${short(fingerprint)}`),
    record.withdrawn
      ? fail(Check.NOT_WITHDRAWN, "the owner withdrew the record (it stays on the ledger with its history)")
      : pass(Check.NOT_WITHDRAWN, "not withdrawn"),
    supersededBy
      ? fail(Check.LATEST_VERSION, `superseded by ${supersededBy}; the latest version is ${standing.latestVersion}`)
      : pass(Check.LATEST_VERSION, "this is the latest version"),
    record.frozen ? fail(Check.NOT_FROZEN, "frozen by an inspector") : pass(Check.NOT_FROZEN, "not frozen"),
    pass(
      Check.OWNER,
      record.ownerOrg === receipt.record.ownerOrg
        ? `owned by org ${record.ownerOrg} (${ownerName}), as at registration`
        : `now owned by org ${record.ownerOrg} (${ownerName}); org ${receipt.record.ownerOrg} registered it`,
    ),
  ];
  // Today's rights module, which may have been attached after the receipt's event.
  const module = await client.readContract({
    address: receipt.ledger,
    abi: provenanceLedgerAbi,
    functionName: "rightsModule",
  });
  if (module !== zeroAddress) {
    const rights = module;
    checks.push(await guardedAsync(Check.GRANTS, () => grantsCheck(client, receipt, rights)));
    if (options.authorization) {
      const { org, scope = Scope.DERIVE } = options.authorization;
      checks.push(
        await guardedAsync(Check.AUTHORIZATION, async () => {
          const [code, grantId] = await client.readContract({
            address: rights,
            abi: dataRightsAbi,
            functionName: "authorization",
            args: [fingerprint, org, scope],
          });
          const detail =
            `org ${org}, scope ${scopeNames(scope)}: ${AUTHORIZATION_NAMES[code] ?? code}` +
            (grantId !== 0n ? ` (grant ${grantId})` : "");
          return code === Authorization.OWNER || code === Authorization.GRANTED
            ? pass(Check.AUTHORIZATION, detail)
            : fail(Check.AUTHORIZATION, detail);
        }),
      );
    }
  }
  return { checks, standing };
}

/** The current grant of the record to each organisation that ever received one. Informational. */
async function grantsCheck(
  client: PublicClient,
  receipt: RegistrationReceipt,
  rights: Address,
): Promise<VerificationCheck> {
  const issued = await client.getContractEvents({
    address: rights,
    abi: dataRightsAbi,
    eventName: "GrantIssued",
    args: { fingerprint: receipt.fingerprint },
    fromBlock: BigInt(receipt.transaction.blockNumber),
  });
  const grantees = [...new Set(issued.map((log) => log.args.granteeOrg).filter((org) => org !== undefined))];
  if (grantees.length === 0) return pass(Check.GRANTS, "no grants issued");
  const lines = await Promise.all(
    grantees.map(async (org) => {
      const grant = await client.readContract({
        address: rights,
        abi: dataRightsAbi,
        functionName: "getGrant",
        args: [receipt.fingerprint, org],
      });
      const expiry = grant.expiresAt === 0 ? "" : `, expires at ${grant.expiresAt}`;
      return `org ${org}: grant ${grant.grantId} ${scopeNames(grant.scopes)}, ${GRANT_STATUS_NAMES[grant.status]}${expiry}`;
    }),
  );
  return pass(Check.GRANTS, lines.join("; "));
}

/**
 * Verifies a receipt against any RPC node of its chain: every offline check, then what only the chain knows, then
 * the record's standing today. Never throws for a bad receipt or an unreachable fact: those are failed checks.
 */
export async function verifyReceiptOnline(
  client: PublicClient,
  receipt: ProvenanceReceipt,
  options: OnlineOptions,
): Promise<Verdict> {
  const format = formatCheck(receipt);
  if (!format.ok) return verdictOf(undefined, [format], true);
  const checks = [format, ...(await offlineChecks(receipt, options))];
  const trusted = options.ledger.toLowerCase();
  checks.push(
    receipt.ledger.toLowerCase() === trusted
      ? pass(Check.DEPLOYMENT, `the receipt's ledger is the trusted ledger ${trusted}`)
      : fail(Check.DEPLOYMENT, `the receipt names ledger ${receipt.ledger}, not the trusted ledger ${trusted}`),
  );

  checks.push(await guardedAsync(Check.CHAIN_ID, () => chainIdCheck(client, receipt)));
  checks.push(await guardedAsync(Check.BLOCK, () => blockCheck(client, receipt)));
  let chain: ProvenanceReceipt | undefined;
  try {
    chain = await receiptFromChain(client, receipt);
    checks.push(
      compared(
        Check.EVENT,
        `log ${receipt.transaction.logIndex} is the ledger's ${eventName(receipt)} with these fields`,
        eventPart(chain),
        eventPart(receipt),
      ),
    );
  } catch (error) {
    checks.push(fail(Check.EVENT, firstLine(error)));
  }
  if (chain) {
    checks.push(
      compared(
        Check.TRAIL_POSITION,
        `the event's stamp (ledger entry ${receipt.trail.stamp.ledgerSequence}); the ledger head check binds the ` +
          "previous ledger head to it",
        chain.trail.stamp,
        receipt.trail.stamp,
      ),
    );
    checks.push(
      compared(
        Check.SUBMISSION,
        receipt.submission
          ? "the transaction's calldata carries this envelope"
          : "the transaction was not a signed submission",
        chain.submission,
        receipt.submission,
      ),
    );
    checks.push(
      compared(
        Check.RIGHTS_MODULE,
        receipt.rights
          ? `the ledger's rights module at block ${receipt.transaction.blockNumber} was ${short(receipt.rights)}`
          : `the ledger had no rights module at block ${receipt.transaction.blockNumber}`,
        chain.rights,
        receipt.rights,
      ),
    );
    const signatureIndex = checks.findIndex((c) => c.name === Check.SIGNATURE);
    const offlineSignature = checks[signatureIndex];
    checks[signatureIndex] = await guardedAsync(Check.SIGNATURE, () =>
      contractSignatureCheck(client, receipt, offlineSignature, chain),
    );
  } else {
    for (const name of [Check.TRAIL_POSITION, Check.SUBMISSION, Check.RIGHTS_MODULE]) {
      checks.push(fail(name, "not checked: the event is not where the receipt says"));
    }
  }
  if (receipt.kind === "batch-member") {
    checks.push(...(await batchChecks(client, receipt)));
    return verdictOf(receipt, checks, true);
  }
  const { checks: standingList, standing } = await standingChecks(client, receipt, options).catch((error) => ({
    checks: [fail(Check.RECORD_EXISTS, `could not be checked: ${firstLine(error)}`)],
    standing: undefined,
  }));
  checks.push(...standingList);
  return { ...verdictOf(receipt, checks, true), ...(standing ? { standing } : {}) };
}
