/**
 * Building receipts from the chain: the ledger's event in a transaction, written down with its place on chain, its
 * trail position and, for signed submissions, the envelope from the calldata (chain.ts reads all of it).
 */
import { isAddressEqual, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { Action } from "../constants/codes";
import { ReceiptBuildError } from "../errors/receipt";
import {
  chainContext,
  decodeLedgerLog,
  ledgerEvents,
  previousLedgerHead,
  signedSubmission,
  transactionPart,
  type ChainContext,
  type LedgerEventOf,
  type LedgerLog,
} from "./chain";
import { batchRootFromProof } from "../merkle/proof";
import { batchPayloadHash, registrationPayloadHash } from "./payload";
import {
  RECEIPT_VERSION,
  type BatchMemberReceipt,
  type ProvenanceReceipt,
  type ReceiptRecord,
  type ReceiptStamp,
  type RegistrationReceipt,
} from "./types";
import { lowerHex } from "../utils/hex";

export interface BuildRegistrationReceiptParameters {
  /** The ProvenanceLedger's address. */
  ledger: Address;
  /** The transaction that registered the record (register or registerBySig, or any call that led to them). */
  transactionHash: Hash;
  /** Which registration, when the transaction registered several (e.g. through a multicall). */
  fingerprint?: Hex;
}

export interface BuildBatchMemberReceiptParameters {
  ledger: Address;
  /** The transaction that anchored the batch (anchorBatch or anchorBatchBySig). */
  transactionHash: Hash;
  /** The member fingerprint. */
  fingerprint: Hex;
  /** Its StandardMerkleTree proof (e.g. `tree.getProof(i)`, or the member's line of proofs.jsonl). */
  proof: readonly Hex[];
}

function stampPart(stamp: { recordHead: Hex; recordLength: bigint; ledgerSequence: bigint; ledgerHead: Hex }) {
  return {
    recordHead: lowerHex(stamp.recordHead),
    recordLength: stamp.recordLength.toString(),
    ledgerSequence: stamp.ledgerSequence.toString(),
    ledgerHead: lowerHex(stamp.ledgerHead),
  } satisfies ReceiptStamp;
}

async function registrationReceipt(
  client: PublicClient,
  context: ChainContext,
  { log, event }: LedgerLog<LedgerEventOf<"RecordRegistered">>,
  knownPreviousHead?: Hex,
): Promise<RegistrationReceipt> {
  const a = event.args;
  const fingerprint = lowerHex(a.fingerprint);
  const registrant = lowerHex(a.registrant);
  const record: ReceiptRecord = {
    ownerOrg: a.ownerOrg,
    registrant,
    scheme: a.scheme,
    dataClass: a.dataClass,
    metadataHash: lowerHex(a.metadataHash),
    metadataURI: a.metadataURI,
    parents: a.parents.map((parent, i) => ({
      fingerprint: lowerHex(parent.fingerprint),
      relation: parent.relation,
      grantId: (a.derivationGrants[i] ?? 0n).toString(),
    })),
    registeredAt: context.blockTime.toString(),
    registeredBlock: context.transactionReceipt.blockNumber.toString(),
  };
  return {
    version: RECEIPT_VERSION,
    kind: "registration",
    chainId: context.chainId.toString(),
    ledger: context.ledger,
    rights: context.rights,
    fingerprint,
    record,
    transaction: transactionPart(context, log),
    trail: {
      entry: {
        action: Action.REGISTERED,
        actor: registrant,
        time: context.blockTime.toString(),
        payloadHash: registrationPayloadHash({ fingerprint, ...record }),
      },
      stamp: stampPart(a.stamp),
      previousLedgerHead: knownPreviousHead ?? (await previousLedgerHead(client, context, a.stamp.ledgerSequence)),
    },
    submission: signedSubmission(context, fingerprint),
  };
}

async function batchMemberReceipt(
  client: PublicClient,
  context: ChainContext,
  { log, event }: LedgerLog<LedgerEventOf<"BatchAnchored">>,
  member: { fingerprint: Hex; proof: readonly Hex[] },
  knownPreviousHead?: Hex,
): Promise<BatchMemberReceipt> {
  const a = event.args;
  const root = lowerHex(a.root);
  const registrant = lowerHex(a.registrant);
  const batch = {
    root,
    org: a.org,
    registrant,
    leafCount: a.leafCount.toString(),
    metadataHash: lowerHex(a.metadataHash),
    metadataURI: a.metadataURI,
  };
  return {
    version: RECEIPT_VERSION,
    kind: "batch-member",
    chainId: context.chainId.toString(),
    ledger: context.ledger,
    rights: context.rights,
    fingerprint: lowerHex(member.fingerprint),
    batch: {
      ...batch,
      anchoredAt: context.blockTime.toString(),
      anchoredBlock: context.transactionReceipt.blockNumber.toString(),
      proof: member.proof.map((node) => lowerHex(node)),
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

/**
 * The receipt of a record's registration: finds the ledger's RecordRegistered log in the transaction, reads the
 * block, the chain id, the rights module and the previous ledger head, and the EIP-712 envelope if the transaction
 * was a registerBySig. Throws ReceiptBuildError if the transaction failed or registered no (or no single) record.
 */
export async function buildRegistrationReceipt(
  client: PublicClient,
  parameters: BuildRegistrationReceiptParameters,
): Promise<RegistrationReceipt> {
  const context = await chainContext(client, parameters.ledger, parameters.transactionHash);
  const wanted = parameters.fingerprint && lowerHex(parameters.fingerprint);
  const found = ledgerEvents(context, "RecordRegistered").filter(
    (r) => !wanted || lowerHex(r.event.args.fingerprint) === wanted,
  );
  if (found.length === 0) {
    throw new ReceiptBuildError(
      "EventNotFound",
      `transaction ${parameters.transactionHash} logged no RecordRegistered event of ledger ${context.ledger}` +
        (wanted ? ` for ${wanted}` : ""),
      { details: "pass the transaction that registered the record, and the ledger it registered it on" },
    );
  }
  if (found.length > 1) {
    throw new ReceiptBuildError(
      "AmbiguousEvent",
      `transaction ${parameters.transactionHash} registered ${found.length} records`,
      { details: "say which fingerprint" },
    );
  }
  return registrationReceipt(client, context, found[0]);
}

/**
 * The receipt of one member of an anchored batch. The tree is built elsewhere (fingerprints are never on chain);
 * this checks that the proof leads from the fingerprint to a root the transaction anchored before writing it down.
 * The member's position is not asked for and not written: the proof does not commit to it (see ReceiptBatch).
 */
export async function buildBatchMemberReceipt(
  client: PublicClient,
  parameters: BuildBatchMemberReceiptParameters,
): Promise<BatchMemberReceipt> {
  const context = await chainContext(client, parameters.ledger, parameters.transactionHash);
  const root = batchRootFromProof(parameters.fingerprint, parameters.proof);
  const all = ledgerEvents(context, "BatchAnchored");
  const found = all.find((a) => lowerHex(a.event.args.root) === root);
  if (!found) {
    throw all.length === 0
      ? new ReceiptBuildError(
          "EventNotFound",
          `transaction ${parameters.transactionHash} anchored no batch on ledger ${context.ledger}`,
          { details: "pass the transaction that anchored the batch, and the ledger it anchored it on" },
        )
      : new ReceiptBuildError(
          "RootNotAnchored",
          `the proof leads ${parameters.fingerprint} to root ${root}, which transaction ` +
            `${parameters.transactionHash} did not anchor (it anchored ${all.map((a) => a.event.args.root).join(", ")})`,
          { details: "pass the member's own proof from the batch's proofs file (the fingerprint may not be a member)" },
        );
  }
  return batchMemberReceipt(client, context, found, parameters);
}

function notThere(message: string): ReceiptBuildError {
  return new ReceiptBuildError("EventNotFound", message, {
    details: "the receipt does not describe an event of this ledger on the node's chain",
  });
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
  const index = receipt.transaction.logIndex;
  if (!log) throw notThere(`transaction ${receipt.transaction.hash} has no log with index ${index}`);
  if (!isAddressEqual(log.address, context.ledger)) {
    throw notThere(`log ${index} was emitted by ${log.address}, not the ledger`);
  }
  const event = decodeLedgerLog(log);
  if (receipt.kind === "registration") {
    if (event?.eventName !== "RecordRegistered") {
      throw notThere(`log ${index} is ${event?.eventName ?? "not a ledger event"}`);
    }
    return registrationReceipt(client, context, { log, event }, receipt.trail.previousLedgerHead);
  }
  if (event?.eventName !== "BatchAnchored")
    throw notThere(`log ${index} is ${event?.eventName ?? "not a ledger event"}`);
  const member = { fingerprint: receipt.fingerprint, proof: receipt.batch.proof };
  return batchMemberReceipt(client, context, { log, event }, member, receipt.trail.previousLedgerHead);
}
