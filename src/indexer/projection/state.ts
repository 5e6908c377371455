/**
 * The projection's data model: one table per mapping the contracts keep, keyed as the contract keys it, holding the
 * value its view returns (plus what only the events carry: metadata URIs, findings, delivery reports). Values are
 * immutable: a handler writes a new value with `put`, never changes one it read.
 */
import type { Address, Hex } from "viem";

/** OrganizationRegistry `_organizations[orgId]`. */
export type OrganizationRow = {
  readonly id: number;
  readonly name: string;
  readonly metadataHash: Hex;
  /** bytes8, as the contract stores it (see the SDK's `decodeJurisdiction`). */
  readonly jurisdiction: Hex;
  /** `Role` bit set. */
  readonly roles: number;
  /** `OrganizationStatus`. */
  readonly status: number;
  readonly operatorCount: number;
  /** Block time of onboarding. */
  readonly registeredAt: bigint;
};

/** One declared parent of a record: ProvenanceLedger `_parents[child][i]` and `_derivationGrants[child][i]`. */
export type ParentRow = {
  readonly fingerprint: Hex;
  /** `Relation`. */
  readonly relation: number;
  /** The grant the derivation relied on (0 if none was needed). */
  readonly grantId: bigint;
};

/** ProvenanceLedger `_records[fingerprint]`, with its lineage, successor and DataRights' findings. */
export type RecordRow = {
  readonly fingerprint: Hex;
  readonly ownerOrg: number;
  readonly registrant: Address;
  /** `Scheme`. */
  readonly scheme: number;
  /** `DataClass`. */
  readonly dataClass: number;
  readonly metadataHash: Hex;
  readonly metadataURI: string;
  readonly registeredAt: bigint;
  readonly withdrawn: boolean;
  readonly frozen: boolean;
  /** The new version, or zeroHash (as `_supersededBy` reads) while there is none. */
  readonly supersededBy: Hex;
  readonly parents: readonly ParentRow[];
  /** The position its last event claims (checked against the chain by the SDK's `replayTrail`). */
  readonly trailHead: Hex;
  readonly trailLength: bigint;
  /** Inspection findings, oldest first (events only: the contract keeps them in the trail). */
  readonly findings: readonly Hex[];
};

/** DataRights `_grants[fingerprint][granteeOrg]`: the current grant of a record to one organisation. */
export type GrantRow = {
  readonly grantId: bigint;
  readonly fingerprint: Hex;
  readonly granteeOrg: number;
  readonly grantorOrg: number;
  /** `Scope` bit set. */
  readonly scopes: number;
  /** `GrantStatus`. */
  readonly status: number;
  /** Last valid block time; 0 for none. */
  readonly expiresAt: bigint;
  readonly issuedAt: bigint;
  /** The jurisdiction whose customs must approve; zero if none must. */
  readonly exportJurisdiction: Hex;
  readonly purposeHash: Hex;
};

/** What a recipient reported receiving (events only). */
export type DeliveryReportRow = {
  readonly receivedFingerprint: Hex;
  readonly matches: boolean;
};

/** DataRights `_offers[offerId]`, with the delivery reports. */
export type OfferRow = {
  readonly offerId: bigint;
  readonly fingerprint: Hex;
  readonly fromOrg: number;
  readonly toOrg: number;
  /** `OfferStatus`. */
  readonly status: number;
  readonly offeredAt: bigint;
  readonly expiresAt: bigint;
  /** Zero until an accepted transfer needs a customs decision. */
  readonly exportJurisdiction: Hex;
  readonly termsHash: Hex;
  /** 0 before acceptance. */
  readonly acceptedAt: bigint;
  readonly deliveryReports: readonly DeliveryReportRow[];
};

/** ProvenanceLedger `_batches[root]`, with its URI and trail position. */
export type BatchRow = {
  readonly root: Hex;
  readonly org: number;
  readonly registrant: Address;
  readonly leafCount: bigint;
  readonly metadataHash: Hex;
  readonly metadataURI: string;
  readonly anchoredAt: bigint;
  readonly trailHead: Hex;
  readonly trailLength: bigint;
};

/** A grant's key, as `_grants[fingerprint][granteeOrg]`. */
export type GrantKey = readonly [fingerprint: Hex, granteeOrg: number];

/** Every table: its key and its value. Hex keys (fingerprints, roots, accounts) are compared case-insensitively. */
export type ProjectionTables = {
  organizations: { key: number; value: OrganizationRow };
  /** OrganizationRegistry `_organizationOf[account]`: the organisation an operator account acts for. */
  operators: { key: Address; value: number };
  records: { key: Hex; value: RecordRow };
  grants: { key: GrantKey; value: GrantRow };
  offers: { key: bigint; value: OfferRow };
  /** DataRights' class rules, by `DataClass`: a `Rule`. */
  classRules: { key: number; value: number };
  batches: { key: Hex; value: BatchRow };
};

export type TableName = keyof ProjectionTables;
export type TableKey<T extends TableName> = ProjectionTables[T]["key"];
export type TableValue<T extends TableName> = ProjectionTables[T]["value"];

/** Keys in some tables: the rows an event reads or writes (see `eventKeys`), or rows to load or compare. */
export type ProjectionKeys = { [T in TableName]?: readonly TableKey<T>[] };

/** Every table once (a new table that is left out fails to compile), in the order stores and dumps list them. */
const tableSet: { [T in TableName]: true } = {
  organizations: true,
  operators: true,
  records: true,
  grants: true,
  offers: true,
  classRules: true,
  batches: true,
};
export const tableNames = Object.keys(tableSet) as readonly TableName[];
