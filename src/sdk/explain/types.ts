/**
 * The provenance tree `explainProvenance` returns: plain data (numbers, strings, lowercase hex), so that it can be
 * printed, compared or sent as JSON.
 */
import type { Address, Hex } from "viem";

export interface OrganizationInfo {
  id: number;
  name: string;
  /** ASCII jurisdiction code, e.g. "CN-GD", "HK" ("?" if the organisation could not be read). */
  jurisdiction: string;
  status: "active" | "suspended" | "unknown";
}

/** A customs organisation's decision on a cross-border grant or transfer. */
export interface CustomsDecision {
  customs: OrganizationInfo;
  approved: boolean;
  decisionHash: Hex;
  /** Block time, unix seconds. */
  time: number;
  block: number;
  actor: Address;
}

export type GrantState = "pending customs" | "active" | "expired" | "revoked" | "rejected";

/** A use grant on a record, as its events tell it. */
export interface GrantInfo {
  grantId: string;
  /** The record granted on. */
  fingerprint: Hex;
  /** The owner that issued it (after a sale, the grant stays, and the new owner may revoke it). */
  grantor: OrganizationInfo;
  grantee: OrganizationInfo;
  /** Scope bit set and its words (e.g. "use+derive"). */
  scopes: number;
  scopeNames: string;
  purposeHash: Hex;
  /** Last valid block time (unix seconds), null for no expiry. */
  expiresAt: number | null;
  issuedAt: number;
  issuedBlock: number;
  issuedBy: Address;
  /** The jurisdiction whose customs had to approve, null if none. */
  exportJurisdiction: string | null;
  customsDecisions: CustomsDecision[];
  revoked: { time: number; block: number; actor: Address; reasonHash: Hex } | null;
  /** Its state now (expiry judged against the explained block's time). */
  state: GrantState;
}

export type TransferState =
  "open" | "expired" | "cancelled" | "awaiting customs" | "rejected" | "completed" | "delivered";

/** A transfer (trade) of a record, as its events tell it. */
export interface TransferInfo {
  offerId: string;
  from: OrganizationInfo;
  to: OrganizationInfo;
  termsHash: Hex;
  offeredAt: number;
  offerExpiresAt: number;
  acceptedAt: number | null;
  /** The jurisdiction whose customs had to decide, null if none. */
  exportJurisdiction: string | null;
  customsDecisions: CustomsDecision[];
  /** Block time ownership moved, null if it did not. */
  ownershipTransferredAt: number | null;
  deliveries: { receivedFingerprint: Hex; matches: boolean; time: number }[];
  cancelled: { time: number; actor: Address; reasonHash: Hex } | null;
  state: TransferState;
}

/** Where and when an inspector acted on a record. */
export interface InspectionInfo {
  inspector: OrganizationInfo;
  /** The inspector's account. */
  actor: Address;
  /** Block time, unix seconds. */
  time: number;
  block: number;
  transactionHash: Hex;
}

/** A finding an inspector attached to a record (FindingAttached). */
export interface FindingInfo extends InspectionInfo {
  /** Hash of the finding document. */
  findingHash: Hex;
}

/** The freeze in force on a record (its last RecordFrozen). */
export interface FreezeInfo extends InspectionInfo {
  /** Hash of the reason document. */
  reasonHash: Hex;
}

/** How a record relates to one of its parents, and the grant a cross-organisation derivation relied on. */
export interface ProvenanceEdge {
  relation: "derived-from" | "revision-of";
  /** The grant relied on (null when none was needed: same organisation, or a revision). */
  grant: GrantInfo | null;
  parent: ProvenanceNode;
}

export interface RegisteredNode {
  fingerprint: Hex;
  registered: true;
  /** Owner now. */
  owner: OrganizationInfo;
  /** Owner at registration. */
  registeredBy: OrganizationInfo;
  registrant: Address;
  scheme: string;
  dataClass: string;
  metadataHash: Hex;
  metadataURI: string;
  registeredAt: number;
  registeredBlock: number;
  transactionHash: Hex | null;
  withdrawn: boolean;
  frozen: boolean;
  /** Who froze it, when and why; null when it is not frozen (or the freeze is before `fromBlock`). */
  freeze: FreezeInfo | null;
  supersededBy: Hex | null;
  latestVersion: Hex;
  /**
   * The grants in force or waiting for customs, in the order issued: the licences a buyer takes over with the
   * record (they survive a sale). Revoked, rejected and expired grants are left out.
   */
  outstandingGrants: GrantInfo[];
  /** Inspection findings, in chain order. */
  findings: FindingInfo[];
  transfers: TransferInfo[];
  parents: ProvenanceEdge[];
  /** The record has parents that were not expanded because the depth was reached. */
  truncated: boolean;
}

/** A fingerprint the ledger does not know. */
export interface UnknownNode {
  fingerprint: Hex;
  registered: false;
}

export type ProvenanceNode = RegisteredNode | UnknownNode;

export interface ExplainOptions {
  /** Levels of parents to expand (0: the record alone). Default 3. */
  depth?: number;
  /** First block to read events from, e.g. the deployment's block. Default 0. */
  fromBlock?: bigint;
}

export type ExplainProvenanceReturnType = ProvenanceNode;
