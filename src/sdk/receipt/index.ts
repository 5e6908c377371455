/**
 * Provenance receipts: a self-contained, versioned JSON document that proves a dataset fingerprint was registered
 * (or anchored in a batch) on a Provledger ledger, and that a later check can verify offline (the hashes, the trail
 * chain, the Merkle proof and the EIP-712 signature, see verify.ts) and online against any RPC node (the event is
 * where the receipt says, on the canonical chain, with exactly these fields).
 *
 * The format is `schemas/provenance-receipt.v1.schema.json` (JSON Schema draft 2020-12), documented in
 * docs/receipts.md. Conventions: integers that may exceed 2^53 (times, block numbers, chain id, nonces, grant ids,
 * sequence numbers) are decimal strings; small codes and organisation ids are JSON numbers; hex is lowercase
 * (addresses too: no EIP-55 checksum, so that a receipt has exactly one spelling and equality is string equality).
 *
 * Building a receipt reads only the transaction, its receipt, its block, the ledger's rights-module address and the
 * predecessor of the event's ledger-wide trail entry (see `previousLedgerHead`).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import {
  decodeEventLog,
  decodeFunctionData,
  getAbiItem,
  hexToBytes,
  keccak256,
  type Address,
  type Hash,
  type Hex,
  type Log,
  type PublicClient,
  type Transaction,
  type TransactionReceipt,
} from "viem";
import receiptSchema from "../../../schemas/provenance-receipt.v1.schema.json";
import { provenanceLedgerAbi } from "../abi";
import { Action } from "../constants/codes";
import { trailEventsAbi, ZERO_HASH } from "../trail";

// ---------------------------------------------------------------------------------------------------------------------
// The format

/** The receipt format version this module writes and reads. */
export const RECEIPT_VERSION = 1;

/** Path of the JSON Schema, relative to the repository root (for tools outside TypeScript). */
export const RECEIPT_SCHEMA_PATH = "schemas/provenance-receipt.v1.schema.json";

/** The JSON Schema itself (draft 2020-12). */
export const RECEIPT_SCHEMA: object = receiptSchema;

/** A non-negative integer written in decimal, e.g. "31337" (used where a value may exceed 2^53). */
export type DecimalString = string;

/** Where the event is on chain. */
export interface ReceiptTransaction {
  hash: Hex;
  blockNumber: DecimalString;
  blockHash: Hex;
  /** The event's log index within its block. */
  logIndex: number;
}

/** The TrailStamp the event carries. */
export interface ReceiptStamp {
  recordHead: Hex;
  recordLength: DecimalString;
  ledgerSequence: DecimalString;
  ledgerHead: Hex;
}

/** The event's audit-trail entry: its inputs, the stamp it produced, and the ledger-wide head before it. */
export interface ReceiptTrail {
  /** recordHead = keccak256(abi.encode(bytes32 0, uint8 action, address actor, uint64 time, bytes32 payloadHash)) */
  entry: { action: number; actor: Address; time: DecimalString; payloadHash: Hex };
  stamp: ReceiptStamp;
  /**
   * The ledger-wide head after entry `ledgerSequence - 1` (zero for the first entry). It is not in the event: the
   * builder reads it from the chain, so that ledgerHead = keccak256(abi.encode(previousLedgerHead, ledgerSequence,
   * subject, recordHead)) can be recomputed offline.
   */
  previousLedgerHead: Hex;
}

/** One declared parent and the grant the derivation relied on ("0" if none was needed). */
export interface ReceiptParent {
  fingerprint: Hex;
  relation: number;
  grantId: DecimalString;
}

/** The RecordRegistered event's fields (but the stamp), with the block time and number of its block. */
export interface ReceiptRecord {
  ownerOrg: number;
  registrant: Address;
  scheme: number;
  dataClass: number;
  metadataHash: Hex;
  metadataURI: string;
  parents: ReceiptParent[];
  registeredAt: DecimalString;
  registeredBlock: DecimalString;
}

/**
 * The BatchAnchored event's fields (but the stamp), its block time and number, and the member's proof. There is no
 * position: a StandardMerkleTree proof hashes sorted pairs, so it does not commit to where the leaf is, and a receipt
 * holds only what verification can confirm (the batch files of batch.ts keep the positions for the publisher).
 */
export interface ReceiptBatch {
  root: Hex;
  org: number;
  registrant: Address;
  leafCount: DecimalString;
  metadataHash: Hex;
  metadataURI: string;
  anchoredAt: DecimalString;
  anchoredBlock: DecimalString;
  /** StandardMerkleTree inclusion proof, leaf to root. */
  proof: Hex[];
}

/** An EIP-712 signed submission (registerBySig / anchorBatchBySig), as found in the transaction's calldata. */
export interface ReceiptSubmission {
  signer: Address;
  chainId: DecimalString;
  nonce: DecimalString;
  deadline: DecimalString;
  signature: Hex;
}

interface ReceiptBase {
  version: 1;
  chainId: DecimalString;
  ledger: Address;
  /** The ledger's rights module as attached at the event's block (RightsModuleSet log); null if none was then. */
  rights: Address | null;
  fingerprint: Hex;
  transaction: ReceiptTransaction;
  trail: ReceiptTrail;
  /** null when the registrant sent the transaction itself. */
  submission: ReceiptSubmission | null;
}

export interface RegistrationReceipt extends ReceiptBase {
  kind: "registration";
  record: ReceiptRecord;
}

export interface BatchMemberReceipt extends ReceiptBase {
  kind: "batch-member";
  batch: ReceiptBatch;
}

export type ProvenanceReceipt = RegistrationReceipt | BatchMemberReceipt;

// ---------------------------------------------------------------------------------------------------------------------
// Errors

/** The value is not a well-formed version 1 receipt; `problems` lists every problem found, one sentence each. */
export class ReceiptFormatError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `not a valid provenance receipt (version ${RECEIPT_VERSION}): ` +
        `${problems.length} problem${problems.length === 1 ? "" : "s"}\n  - ${problems.join("\n  - ")}`,
    );
    this.name = "ReceiptFormatError";
    this.problems = problems;
  }
}

/** The chain does not hold what a receipt was asked for (no such transaction, event, batch member...). */
export class ReceiptBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReceiptBuildError";
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation

let validator: ValidateFunction | undefined;

/** Compiled once, on first use: compiling costs milliseconds, validating a receipt microseconds. */
function schemaValidator(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile(receiptSchema);
  return validator;
}

/** What each pattern of the schema means, for messages a person can act on. */
const PATTERN_MEANING: Record<string, string> = {
  "^0x[0-9a-f]{64}$": "32 bytes of lowercase hex (0x and 64 digits 0-9a-f)",
  "^0x[0-9a-f]{40}$": "an address in lowercase hex (0x and 40 digits 0-9a-f)",
  "^0x([0-9a-f]{2})+$": "bytes in lowercase hex (0x and an even number of digits 0-9a-f)",
  "^(0|[1-9][0-9]*)$": 'a non-negative integer written as a decimal string without leading zeros, e.g. "42"',
};

function shown(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath === "" ? "receipt" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${at}: missing field "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `${at}: unknown field "${String(params.additionalProperty)}"`;
    case "false schema":
      return `${at}: not allowed in a receipt of this kind`;
    case "const":
      if (error.instancePath === "/version") {
        return `/version: unsupported receipt version ${shown(error.data)}: this reader understands version ${RECEIPT_VERSION}`;
      }
      return `${at}: must be ${shown(params.allowedValue)}, got ${shown(error.data)}`;
    case "enum":
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map(shown).join(", ")}, got ${shown(error.data)}`;
    case "type":
      return `${at}: must be of type ${String(params.type)}, got ${shown(error.data)}`;
    case "pattern":
      return `${at}: must be ${PATTERN_MEANING[String(params.pattern)] ?? `matching ${String(params.pattern)}`}, got ${shown(error.data)}`;
    default:
      return `${at}: ${error.message ?? error.keyword}, got ${shown(error.data)}`;
  }
}

const UINT40_MAX = (1n << 40n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;
const MAX_URI_BYTES = 256;

/** Range checks JSON Schema cannot express on decimal strings, and the ledger's URI length limit. */
function rangeProblems(receipt: ProvenanceReceipt): string[] {
  const problems: string[] = [];
  const limit = (path: string, value: string, max: bigint, type: string): void => {
    if (BigInt(value) > max) problems.push(`${path}: ${value} does not fit in a ${type}`);
  };
  const uri = (path: string, value: string): void => {
    // A lone surrogate has no UTF-8 form: encoders substitute U+FFFD, so two different strings would hash alike.
    if (/\p{Surrogate}/u.test(value)) problems.push(`${path}: contains a lone UTF-16 surrogate (not valid Unicode)`);
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > MAX_URI_BYTES)
      problems.push(`${path}: ${bytes} bytes, longer than the ledger accepts (${MAX_URI_BYTES})`);
  };
  limit("/chainId", receipt.chainId, UINT256_MAX, "uint256");
  limit("/transaction/blockNumber", receipt.transaction.blockNumber, UINT64_MAX, "uint64");
  limit("/trail/entry/time", receipt.trail.entry.time, UINT64_MAX, "uint64");
  limit("/trail/stamp/recordLength", receipt.trail.stamp.recordLength, UINT64_MAX, "uint64");
  limit("/trail/stamp/ledgerSequence", receipt.trail.stamp.ledgerSequence, UINT64_MAX, "uint64");
  if (receipt.kind === "registration") {
    limit("/record/registeredAt", receipt.record.registeredAt, UINT40_MAX, "uint40");
    limit("/record/registeredBlock", receipt.record.registeredBlock, UINT64_MAX, "uint64");
    receipt.record.parents.forEach((parent, i) =>
      limit(`/record/parents/${i}/grantId`, parent.grantId, UINT256_MAX, "uint256"),
    );
    uri("/record/metadataURI", receipt.record.metadataURI);
  } else {
    limit("/batch/leafCount", receipt.batch.leafCount, UINT64_MAX, "uint64");
    limit("/batch/anchoredAt", receipt.batch.anchoredAt, UINT40_MAX, "uint40");
    limit("/batch/anchoredBlock", receipt.batch.anchoredBlock, UINT64_MAX, "uint64");
    uri("/batch/metadataURI", receipt.batch.metadataURI);
  }
  if (receipt.submission) {
    limit("/submission/chainId", receipt.submission.chainId, UINT256_MAX, "uint256");
    limit("/submission/nonce", receipt.submission.nonce, UINT256_MAX, "uint256");
    limit("/submission/deadline", receipt.submission.deadline, UINT256_MAX, "uint256");
  }
  return problems;
}

/**
 * Every way `value` fails to be a well-formed version 1 receipt (the JSON Schema, then integer ranges); empty if it
 * is one. Says nothing about whether the receipt is true: that is verify.ts's job.
 */
export function receiptProblems(value: unknown): string[] {
  const validate = schemaValidator();
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    // A field that is not allowed at all (a `batch` in a registration receipt) also fails its own sub-schema;
    // those follow-on errors, and the `if`/`then` wrapper's "must match then", add nothing a person needs.
    const forbidden = errors.filter((e) => e.keyword === "false schema").map((e) => e.instancePath);
    const useful = errors.filter(
      (e) =>
        e.keyword !== "if" &&
        !forbidden.some(
          (path) => e.keyword !== "false schema" && (e.instancePath === path || e.instancePath.startsWith(`${path}/`)),
        ),
    );
    return [...new Set(useful.map(describeSchemaError))];
  }
  return rangeProblems(value as ProvenanceReceipt);
}

/**
 * Reads a receipt from its JSON text (or an already parsed value), checking it against the version 1 schema.
 * Throws ReceiptFormatError listing every problem. An object argument is copied, not kept.
 */
export function parseReceipt(json: unknown): ProvenanceReceipt {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ReceiptFormatError([`not JSON: ${(error as Error).message}`]);
    }
  } else {
    value = structuredClone(json);
  }
  const problems = receiptProblems(value);
  if (problems.length > 0) throw new ReceiptFormatError(problems);
  return value as ProvenanceReceipt;
}

/** The receipt as JSON text, two-space indented, fields in the documented order. */
export function stringifyReceipt(receipt: ProvenanceReceipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------------
// StandardMerkleTree (bytes32 leaves), as the ledger's verifyBatchInclusion checks it

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** leaf = keccak256(bytes.concat(keccak256(abi.encode(fingerprint)))); abi.encode of one bytes32 is its 32 bytes. */
export function batchLeafHash(fingerprint: Hex): Uint8Array {
  return keccak256(keccak256(hexToBytes(fingerprint), "bytes"), "bytes");
}

/** The root a StandardMerkleTree proof leads to from `fingerprint`: each step hashes the sorted pair. */
export function batchRootFromProof(fingerprint: Hex, proof: readonly Hex[]): Hex {
  let node = batchLeafHash(fingerprint);
  const pair = new Uint8Array(64);
  for (const siblingHex of proof) {
    const sibling = hexToBytes(siblingHex);
    const [first, second] = compareBytes(node, sibling) <= 0 ? [node, sibling] : [sibling, node];
    pair.set(first, 0);
    pair.set(second, 32);
    node = keccak256(pair, "bytes");
  }
  return `0x${Buffer.from(node).toString("hex")}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Building receipts from the chain

function lower<T extends string>(value: T): T {
  return value.toLowerCase() as T;
}

/** What a receipt needs of its transaction, read once. */
interface ChainContext {
  chainId: bigint;
  ledger: Address;
  rights: Address | null;
  transaction: Transaction;
  transactionReceipt: TransactionReceipt;
  blockTime: bigint;
}

async function chainContext(client: PublicClient, ledger: Address, transactionHash: Hash): Promise<ChainContext> {
  let transactionReceipt: TransactionReceipt;
  try {
    transactionReceipt = await client.getTransactionReceipt({ hash: transactionHash });
  } catch (error) {
    throw new ReceiptBuildError(`transaction ${transactionHash} not found: ${(error as Error).message.split("\n")[0]}`);
  }
  if (transactionReceipt.status !== "success") {
    throw new ReceiptBuildError(`transaction ${transactionHash} reverted: it registered nothing`);
  }
  const [chainId, transaction, block, rights] = await Promise.all([
    client.getChainId(),
    client.getTransaction({ hash: transactionHash }),
    client.getBlock({ blockHash: transactionReceipt.blockHash }),
    rightsModuleAt(client, ledger, transactionReceipt.blockNumber),
  ]);
  return {
    chainId: BigInt(chainId),
    ledger: lower(ledger),
    rights,
    transaction,
    transactionReceipt,
    blockTime: block.timestamp,
  };
}

/**
 * The rights module attached at `blockNumber` (null if none yet). Read from the RightsModuleSet log rather than from
 * `rightsModule()`: the receipt then says the same thing whenever it is built or checked (the module is attached
 * once, possibly after the event), and a log query needs no historical state.
 */
async function rightsModuleAt(client: PublicClient, ledger: Address, blockNumber: bigint): Promise<Address | null> {
  const logs = await client.getLogs({
    address: ledger,
    event: getAbiItem({ abi: provenanceLedgerAbi, name: "RightsModuleSet" }),
    fromBlock: 0n,
    toBlock: blockNumber,
  });
  const module = logs.at(-1)?.args.module;
  return module ? lower(module) : null;
}

type LedgerEvent = ReturnType<typeof decodeEventLog<typeof provenanceLedgerAbi>>;
type RegisteredEvent = Extract<LedgerEvent, { eventName: "RecordRegistered" }>;
type AnchoredEvent = Extract<LedgerEvent, { eventName: "BatchAnchored" }>;

interface LedgerLog<E> {
  log: Log;
  event: E;
}

function decodeLedgerLog(log: Log): LedgerEvent | undefined {
  try {
    return decodeEventLog({ abi: provenanceLedgerAbi, data: log.data, topics: log.topics });
  } catch {
    return undefined;
  }
}

/** The transaction's events of kind `name` logged by the ledger, with their logs. */
function ledgerEvents<N extends LedgerEvent["eventName"]>(
  context: ChainContext,
  name: N,
): LedgerLog<Extract<LedgerEvent, { eventName: N }>>[] {
  const found: LedgerLog<Extract<LedgerEvent, { eventName: N }>>[] = [];
  for (const log of context.transactionReceipt.logs) {
    if (lower(log.address) !== context.ledger) continue;
    const event = decodeLedgerLog(log);
    if (event?.eventName === name) found.push({ log, event: event as Extract<LedgerEvent, { eventName: N }> });
  }
  return found;
}

function claimedStamp(args: unknown): { ledgerSequence: bigint; ledgerHead: Hex } | undefined {
  const stamp = (args as { stamp?: { ledgerSequence?: unknown; ledgerHead?: unknown } } | undefined)?.stamp;
  if (typeof stamp?.ledgerSequence !== "bigint" || typeof stamp.ledgerHead !== "string") return undefined;
  return { ledgerSequence: stamp.ledgerSequence, ledgerHead: stamp.ledgerHead as Hex };
}

/**
 * The ledger-wide head after entry `sequence - 1`, i.e. just before the event's own entry.
 *
 * `ledgerHead()` at block N-1 is not enough: several entries may share block N (several transactions, or a revision,
 * which appends the new record's entry and its parent's). So: first look for the entry with sequence - 1 among the
 * ledger's and the rights module's logs of block N (every trail event carries its stamp); only if it is not there is
 * it the last entry of an earlier block, and then the ledger's head at the end of block N-1 is it (this needs a node
 * that still holds the state of block N-1).
 */
async function previousLedgerHead(client: PublicClient, context: ChainContext, sequence: bigint): Promise<Hex> {
  if (sequence === 1n) return ZERO_HASH;
  const { blockHash, blockNumber } = context.transactionReceipt;
  const address = context.rights ? [context.ledger, context.rights] : [context.ledger];
  const logs = await client.getLogs({ address, blockHash });
  for (const log of logs) {
    let args: unknown;
    try {
      args = decodeEventLog({ abi: trailEventsAbi, data: log.data, topics: log.topics }).args;
    } catch {
      continue;
    }
    const stamp = claimedStamp(args);
    if (stamp && stamp.ledgerSequence === sequence - 1n) return lower(stamp.ledgerHead);
  }
  const [head, headSequence] = await client.readContract({
    address: context.ledger,
    abi: provenanceLedgerAbi,
    functionName: "ledgerHead",
    blockNumber: blockNumber - 1n,
  });
  if (headSequence !== sequence - 1n) {
    throw new ReceiptBuildError(
      `cannot find ledger entry ${sequence - 1n}, the predecessor of entry ${sequence}: the ledger was at ` +
        `${headSequence} at the end of block ${blockNumber - 1n} and block ${blockNumber} does not log it`,
    );
  }
  return lower(head);
}

/** The EIP-712 envelope, when the transaction called registerBySig / anchorBatchBySig on the ledger directly. */
function signedSubmission(context: ChainContext, subject: Hex): ReceiptSubmission | null {
  const { to, input } = context.transaction;
  // A submission relayed through another contract (a multisig, a forwarder) is not in the top-level calldata; the
  // receipt then carries no envelope, which a verifier reports as "not a signed submission".
  if (!to || lower(to) !== context.ledger) return null;
  let call: ReturnType<typeof decodeFunctionData<typeof provenanceLedgerAbi>>;
  try {
    call = decodeFunctionData({ abi: provenanceLedgerAbi, data: input });
  } catch {
    return null;
  }
  let envelope: { signer: Address; chainId: bigint; nonce: bigint; deadline: bigint; signature: Hex };
  if (call.functionName === "registerBySig" && lower(call.args[0].fingerprint) === subject) {
    envelope = call.args[1];
  } else if (call.functionName === "anchorBatchBySig" && lower(call.args[0]) === subject) {
    envelope = call.args[4];
  } else {
    return null;
  }
  return {
    signer: lower(envelope.signer),
    chainId: envelope.chainId.toString(),
    nonce: envelope.nonce.toString(),
    deadline: envelope.deadline.toString(),
    signature: lower(envelope.signature),
  };
}

function transactionPart(context: ChainContext, log: Log): ReceiptTransaction {
  const { transactionHash, blockNumber, blockHash } = context.transactionReceipt;
  if (log.logIndex === null) throw new ReceiptBuildError(`the node returned a pending log for ${transactionHash}`);
  return {
    hash: lower(transactionHash),
    blockNumber: blockNumber.toString(),
    blockHash: lower(blockHash),
    logIndex: log.logIndex,
  };
}

function stampPart(stamp: {
  recordHead: Hex;
  recordLength: bigint;
  ledgerSequence: bigint;
  ledgerHead: Hex;
}): ReceiptStamp {
  return {
    recordHead: lower(stamp.recordHead),
    recordLength: stamp.recordLength.toString(),
    ledgerSequence: stamp.ledgerSequence.toString(),
    ledgerHead: lower(stamp.ledgerHead),
  };
}

async function registrationReceipt(
  client: PublicClient,
  context: ChainContext,
  { log, event }: LedgerLog<RegisteredEvent>,
  knownPreviousHead?: Hex,
): Promise<RegistrationReceipt> {
  const a = event.args;
  const fingerprint = lower(a.fingerprint);
  const registrant = lower(a.registrant);
  const blockNumber = context.transactionReceipt.blockNumber;
  return {
    version: RECEIPT_VERSION,
    kind: "registration",
    chainId: context.chainId.toString(),
    ledger: context.ledger,
    rights: context.rights,
    fingerprint,
    record: {
      ownerOrg: a.ownerOrg,
      registrant,
      scheme: a.scheme,
      dataClass: a.dataClass,
      metadataHash: lower(a.metadataHash),
      metadataURI: a.metadataURI,
      parents: a.parents.map((parent, i) => ({
        fingerprint: lower(parent.fingerprint),
        relation: parent.relation,
        grantId: (a.derivationGrants[i] ?? 0n).toString(),
      })),
      registeredAt: context.blockTime.toString(),
      registeredBlock: blockNumber.toString(),
    },
    transaction: transactionPart(context, log),
    trail: {
      entry: {
        action: Action.REGISTERED,
        actor: registrant,
        time: context.blockTime.toString(),
        payloadHash: registrationPayloadHashOf(a),
      },
      stamp: stampPart(a.stamp),
      previousLedgerHead: knownPreviousHead ?? (await previousLedgerHead(client, context, a.stamp.ledgerSequence)),
    },
    submission: signedSubmission(context, fingerprint),
  };
}

function registrationPayloadHashOf(a: RegisteredEvent["args"]): Hex {
  return registrationPayloadHash({
    fingerprint: a.fingerprint,
    ownerOrg: a.ownerOrg,
    registrant: a.registrant,
    scheme: a.scheme,
    dataClass: a.dataClass,
    metadataHash: a.metadataHash,
    metadataURI: a.metadataURI,
    parents: a.parents.map((p, i) => ({
      fingerprint: p.fingerprint,
      relation: p.relation,
      grantId: (a.derivationGrants[i] ?? 0n).toString(),
    })),
  });
}

/**
 * keccak256(abi.encode(fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI,
 * (bytes32,uint8)[] parents, uint256[] derivationGrants)): the RecordRegistered parameters without the stamp, in
 * declaration order (README, "Audit trail encoding"; trail.ts payloadHashOf is the generic form).
 */
export function registrationPayloadHash(fields: {
  fingerprint: Hex;
  ownerOrg: number;
  registrant: Address;
  scheme: number;
  dataClass: number;
  metadataHash: Hex;
  metadataURI: string;
  parents: readonly ReceiptParent[];
}): Hex {
  return keccak256(
    encodeRegistration(
      fields.fingerprint,
      fields.ownerOrg,
      fields.registrant,
      fields.scheme,
      fields.dataClass,
      fields.metadataHash,
      fields.metadataURI,
      fields.parents,
    ),
  );
}

/** keccak256(abi.encode(root, org, registrant, leafCount, metadataHash, metadataURI)): BatchAnchored without stamp. */
export function batchPayloadHash(fields: {
  root: Hex;
  org: number;
  registrant: Address;
  leafCount: DecimalString;
  metadataHash: Hex;
  metadataURI: string;
}): Hex {
  return keccak256(
    encodeAbi(
      [
        word(fields.root),
        uintWord(BigInt(fields.org)),
        addressWord(fields.registrant),
        uintWord(BigInt(fields.leafCount)),
        word(fields.metadataHash),
      ],
      [stringTail(fields.metadataURI)],
    ),
  );
}

// A small, allocation-light abi.encode for the two payload shapes above. viem's encodeAbiParameters is general and
// validating, and costs several times more; offline verification is budgeted at well under a millisecond per
// receipt. The tests check both encoders agree (and agree with trail.ts payloadHashOf on real events).

function word(hex: Hex): string {
  return hex.slice(2).toLowerCase();
}

function uintWord(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

function addressWord(address: Address): string {
  return address.slice(2).toLowerCase().padStart(64, "0");
}

/** A dynamic value's encoding: its length word and its content padded to whole words. */
function stringTail(value: string): string {
  const content = Buffer.from(value, "utf8").toString("hex");
  return uintWord(BigInt(content.length / 2)) + content.padEnd(Math.ceil(content.length / 64) * 64, "0");
}

/**
 * abi.encode of a tuple whose static head words are `heads` followed by one offset word per dynamic tail, in order.
 * (Every dynamic parameter of our payloads comes after the static ones.)
 */
function encodeAbi(heads: string[], tails: string[]): Uint8Array {
  const headWords = heads.length + tails.length;
  let offset = headWords * 32;
  const offsets: string[] = [];
  for (const tail of tails) {
    offsets.push(uintWord(BigInt(offset)));
    offset += tail.length / 2;
  }
  return Buffer.from(heads.join("") + offsets.join("") + tails.join(""), "hex");
}

function encodeRegistration(
  fingerprint: Hex,
  ownerOrg: number,
  registrant: Address,
  scheme: number,
  dataClass: number,
  metadataHash: Hex,
  metadataURI: string,
  parents: readonly ReceiptParent[],
): Uint8Array {
  // (bytes32,uint8)[] is an array of static tuples: length, then two words per element.
  const parentTail =
    uintWord(BigInt(parents.length)) + parents.map((p) => word(p.fingerprint) + uintWord(BigInt(p.relation))).join("");
  const grantTail = uintWord(BigInt(parents.length)) + parents.map((p) => uintWord(BigInt(p.grantId))).join("");
  return encodeAbi(
    [
      word(fingerprint),
      uintWord(BigInt(ownerOrg)),
      addressWord(registrant),
      uintWord(BigInt(scheme)),
      uintWord(BigInt(dataClass)),
      word(metadataHash),
    ],
    [stringTail(metadataURI), parentTail, grantTail],
  );
}

async function batchMemberReceipt(
  client: PublicClient,
  context: ChainContext,
  { log, event }: LedgerLog<AnchoredEvent>,
  member: { fingerprint: Hex; proof: readonly Hex[] },
  knownPreviousHead?: Hex,
): Promise<BatchMemberReceipt> {
  const a = event.args;
  const root = lower(a.root);
  const registrant = lower(a.registrant);
  const blockNumber = context.transactionReceipt.blockNumber;
  const batch = {
    root,
    org: a.org,
    registrant,
    leafCount: a.leafCount.toString(),
    metadataHash: lower(a.metadataHash),
    metadataURI: a.metadataURI,
  };
  return {
    version: RECEIPT_VERSION,
    kind: "batch-member",
    chainId: context.chainId.toString(),
    ledger: context.ledger,
    rights: context.rights,
    fingerprint: lower(member.fingerprint),
    batch: {
      ...batch,
      anchoredAt: context.blockTime.toString(),
      anchoredBlock: blockNumber.toString(),
      proof: member.proof.map(lower),
    },
    transaction: transactionPart(context, log),
    trail: {
      entry: {
        action: Action.BATCH_ANCHORED,
        actor: registrant,
        time: context.blockTime.toString(),
        payloadHash: batchPayloadHash(batch),
      },
      stamp: stampPart(a.stamp),
      previousLedgerHead: knownPreviousHead ?? (await previousLedgerHead(client, context, a.stamp.ledgerSequence)),
    },
    submission: signedSubmission(context, root),
  };
}

export interface RegistrationReceiptRequest {
  /** The ProvenanceLedger's address. */
  ledger: Address;
  /** The transaction that registered the record (register or registerBySig, or any call that led to them). */
  transactionHash: Hash;
  /** Which registration, when the transaction registered several (e.g. through a multicall). */
  fingerprint?: Hex;
}

/**
 * The receipt of a record's registration: finds the ledger's RecordRegistered log in the transaction, reads the
 * block, the chain id, the rights module and the previous ledger head, and the EIP-712 envelope if the transaction
 * was a registerBySig. Throws ReceiptBuildError if the transaction failed or registered no (or no single) record.
 */
export async function buildRegistrationReceipt(
  client: PublicClient,
  request: RegistrationReceiptRequest,
): Promise<RegistrationReceipt> {
  const context = await chainContext(client, request.ledger, request.transactionHash);
  const wanted = request.fingerprint && lower(request.fingerprint);
  const found = ledgerEvents(context, "RecordRegistered").filter(
    (r) => !wanted || lower(r.event.args.fingerprint) === wanted,
  );
  if (found.length !== 1) {
    throw new ReceiptBuildError(
      found.length === 0
        ? `transaction ${request.transactionHash} logged no RecordRegistered event of ledger ${context.ledger}` +
            (wanted ? ` for ${wanted}` : "")
        : `transaction ${request.transactionHash} registered ${found.length} records: say which fingerprint`,
    );
  }
  return registrationReceipt(client, context, found[0]);
}

export interface BatchMemberReceiptRequest {
  ledger: Address;
  /** The transaction that anchored the batch (anchorBatch or anchorBatchBySig). */
  transactionHash: Hash;
  /** The member fingerprint. */
  fingerprint: Hex;
  /** Its StandardMerkleTree proof (e.g. `tree.getProof(i)`, or the member's line of proofs.jsonl). */
  proof: readonly Hex[];
}

/**
 * The receipt of one member of an anchored batch. The tree is built elsewhere (fingerprints are never on chain);
 * this checks that the proof leads from the fingerprint to a root the transaction anchored before writing it down.
 * The member's position is not asked for and not written: the proof does not commit to it (see ReceiptBatch).
 */
export async function buildBatchMemberReceipt(
  client: PublicClient,
  request: BatchMemberReceiptRequest,
): Promise<BatchMemberReceipt> {
  const context = await chainContext(client, request.ledger, request.transactionHash);
  const root = batchRootFromProof(request.fingerprint, request.proof);
  const all = ledgerEvents(context, "BatchAnchored");
  const found = all.find((a) => lower(a.event.args.root) === root);
  if (!found) {
    throw new ReceiptBuildError(
      all.length === 0
        ? `transaction ${request.transactionHash} anchored no batch on ledger ${context.ledger}`
        : `the proof leads ${request.fingerprint} to root ${root}, which transaction ${request.transactionHash} ` +
            `did not anchor (it anchored ${all.map((a) => a.event.args.root).join(", ")})`,
    );
  }
  return batchMemberReceipt(client, context, found, request);
}

/**
 * What the chain says a receipt should contain, read from the exact place the receipt names (its ledger,
 * transaction and log index), with the receipt's own member fingerprint and proof for batch members, and its
 * own previous ledger head (offline verification binds that to the stamp's ledger head, which this reads from the
 * chain; reading it again could need the state of an old block, which not every node keeps). Used by online
 * verification to compare field by field. Throws ReceiptBuildError when that place holds no such event.
 */
export async function receiptFromChain(client: PublicClient, receipt: ProvenanceReceipt): Promise<ProvenanceReceipt> {
  const context = await chainContext(client, receipt.ledger, receipt.transaction.hash);
  const log = context.transactionReceipt.logs.find((l) => l.logIndex === receipt.transaction.logIndex);
  if (!log) {
    throw new ReceiptBuildError(
      `transaction ${receipt.transaction.hash} has no log with index ${receipt.transaction.logIndex}`,
    );
  }
  if (lower(log.address) !== context.ledger) {
    throw new ReceiptBuildError(`log ${receipt.transaction.logIndex} was emitted by ${log.address}, not the ledger`);
  }
  const event = decodeLedgerLog(log);
  if (receipt.kind === "registration") {
    if (event?.eventName !== "RecordRegistered") {
      throw new ReceiptBuildError(`log ${receipt.transaction.logIndex} is ${event?.eventName ?? "not a ledger event"}`);
    }
    return registrationReceipt(client, context, { log, event }, receipt.trail.previousLedgerHead);
  }
  if (event?.eventName !== "BatchAnchored") {
    throw new ReceiptBuildError(`log ${receipt.transaction.logIndex} is ${event?.eventName ?? "not a ledger event"}`);
  }
  const member = { fingerprint: receipt.fingerprint, proof: receipt.batch.proof };
  return batchMemberReceipt(client, context, { log, event }, member, receipt.trail.previousLedgerHead);
}
