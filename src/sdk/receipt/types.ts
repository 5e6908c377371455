/**
 * The provenance receipt's types: the JSON document of schemas/provenance-receipt.v1.schema.json, field by field
 * (docs/receipts.md explains each field and what checks it).
 */
import type { Address, Hex } from "viem";

/** The receipt format version this SDK writes and reads. */
export const RECEIPT_VERSION = 1;

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
