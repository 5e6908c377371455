/** Decoded events for the projection's tests, typed from the ABIs, and a small world to apply them to. */
import { keccak256, pad, stringToHex, toHex, zeroHash, type Address, type Hex } from "viem";
import {
  DataClass,
  GrantStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
  type ProvledgerEvent,
  type ProvledgerEventName,
} from "../../../src/sdk";
import {
  applyEvent,
  createMemoryStore,
  seedProjection,
  tableNames,
  type MemoryProjectionStore,
} from "../../../src/indexer/projection";

export const hash = (label: string): Hex => keccak256(toHex(`projection-test:${label}`));
export const jurisdiction = (code: string): Hex => stringToHex(code, { size: 8 });
export const noJurisdiction = pad("0x", { size: 8 });

export const CN = jurisdiction("CN-GD");
export const HK = jurisdiction("HK");
/** A checksummed operator account (as viem decodes addresses). */
export const operator: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const actor: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

/** The record of the world (owned by org 1), its parent, and a batch root. */
export const fingerprint = hash("record");
export const parent = hash("parent");
export const root = hash("batch");

export function stamp(n: number) {
  return {
    recordHead: hash(`head ${n}`),
    recordLength: BigInt(n),
    ledgerSequence: BigInt(n),
    ledgerHead: hash(`l${n}`),
  };
}

export function event<E extends ProvledgerEventName>(
  eventName: E,
  args: ProvledgerEvent<E>["args"],
): ProvledgerEvent<E> {
  return { eventName, args } as ProvledgerEvent<E>;
}

/** Block time of the world's events; samples are applied at `later`. */
export const start = 1_800_000_000n;
export const later = start + 60n;

/**
 * Orgs 1 (CN-GD, operator `operator`), 2 (HK) and 3 (CN-GD customs); record `fingerprint` (org 1's, internal) with
 * a pending cross-border grant 1 to org 2, and open offer 7 of it to org 3; the four default class rules (seeded).
 */
export const worldEvents: readonly ProvledgerEvent[] = [
  event("OrganizationRegistered", {
    orgId: 1,
    name: "Open Data Bureau",
    metadataHash: hash("odb"),
    jurisdiction: CN,
    roles: Role.REGISTRAR | Role.TRADER,
    actor,
    stamp: stamp(1),
  }),
  event("OrganizationRegistered", {
    orgId: 2,
    name: "HK Statistics",
    metadataHash: hash("hks"),
    jurisdiction: HK,
    roles: Role.REGISTRAR,
    actor,
    stamp: stamp(1),
  }),
  event("OrganizationRegistered", {
    orgId: 3,
    name: "GD Data Customs",
    metadataHash: hash("customs"),
    jurisdiction: CN,
    roles: Role.CUSTOMS | Role.TRADER,
    actor,
    stamp: stamp(1),
  }),
  event("OperatorAdded", { orgId: 1, account: operator, by: actor, stamp: stamp(1) }),
  event("RecordRegistered", {
    fingerprint,
    ownerOrg: 1,
    registrant: operator,
    scheme: Scheme.SHA256,
    dataClass: DataClass.INTERNAL,
    metadataHash: hash("metadata"),
    metadataURI: "ipfs://bafy-record",
    parents: [],
    derivationGrants: [],
    stamp: stamp(1),
  }),
  event("GrantIssued", {
    fingerprint,
    granteeOrg: 2,
    actor: operator,
    grantId: 1n,
    grantorOrg: 1,
    scopes: Scope.USE | Scope.DERIVE,
    purposeHash: hash("purpose"),
    expiresAt: Number(start + 3600n),
    status: GrantStatus.PENDING_CUSTOMS,
    exportJurisdiction: CN,
    stamp: stamp(2),
  }),
  event("TransferOffered", {
    fingerprint,
    toOrg: 3,
    actor: operator,
    offerId: 7n,
    fromOrg: 1,
    termsHash: hash("terms"),
    expiresAt: Number(start + 600n),
    stamp: stamp(3),
  }),
];

export function world(): MemoryProjectionStore {
  const store = createMemoryStore();
  seedProjection(store);
  for (const e of worldEvents) applyEvent(store, e, start);
  return store;
}

/** One event of every kind, each meaningful when applied to `world()`: a new kind fails to compile here too. */
export const samples: { [E in ProvledgerEventName]: ProvledgerEvent<E> } = {
  // OrganizationRegistry
  OrganizationRegistered: event("OrganizationRegistered", {
    orgId: 4,
    name: "Market Regulator",
    metadataHash: hash("regulator"),
    jurisdiction: CN,
    roles: Role.INSPECTOR,
    actor,
    stamp: stamp(1),
  }),
  OrganizationProfileChanged: event("OrganizationProfileChanged", {
    orgId: 1,
    name: "Open Data Bureau (GD)",
    metadataHash: hash("odb v2"),
    actor,
    stamp: stamp(1),
  }),
  OrganizationJurisdictionChanged: event("OrganizationJurisdictionChanged", {
    orgId: 2,
    previousJurisdiction: HK,
    jurisdiction: jurisdiction("MO"),
    actor,
    stamp: stamp(1),
  }),
  OrganizationRolesChanged: event("OrganizationRolesChanged", {
    orgId: 2,
    previousRoles: Role.REGISTRAR,
    roles: 15,
    actor,
    stamp: stamp(1),
  }),
  OrganizationSuspended: event("OrganizationSuspended", {
    orgId: 2,
    reasonHash: hash("suspended"),
    actor,
    stamp: stamp(1),
  }),
  OrganizationReinstated: event("OrganizationReinstated", {
    orgId: 2,
    reasonHash: hash("reinstated"),
    actor,
    stamp: stamp(1),
  }),
  OperatorAdded: event("OperatorAdded", { orgId: 2, account: actor, by: actor, stamp: stamp(1) }),
  OperatorRemoved: event("OperatorRemoved", { orgId: 1, account: operator, by: actor, stamp: stamp(1) }),
  RoleGranted: event("RoleGranted", { role: zeroHash, account: actor, sender: actor }),
  RoleRevoked: event("RoleRevoked", { role: zeroHash, account: actor, sender: actor }),
  RoleAdminChanged: event("RoleAdminChanged", { role: hash("r"), previousAdminRole: zeroHash, newAdminRole: zeroHash }),
  DefaultAdminTransferScheduled: event("DefaultAdminTransferScheduled", { newAdmin: actor, acceptSchedule: 1 }),
  DefaultAdminTransferCanceled: event("DefaultAdminTransferCanceled", []),
  DefaultAdminDelayChangeScheduled: event("DefaultAdminDelayChangeScheduled", { newDelay: 60, effectSchedule: 1 }),
  DefaultAdminDelayChangeCanceled: event("DefaultAdminDelayChangeCanceled", []),
  LedgerBound: event("LedgerBound", { ledger: actor }),

  // ProvenanceLedger
  RecordRegistered: event("RecordRegistered", {
    fingerprint: parent,
    ownerOrg: 2,
    registrant: actor,
    scheme: Scheme.MANIFEST_ROOT,
    dataClass: DataClass.PUBLIC,
    metadataHash: hash("parent metadata"),
    metadataURI: "https://example.org/数据/parent.json",
    parents: [
      { fingerprint, relation: Relation.DERIVED_FROM },
      { fingerprint: hash("older"), relation: Relation.REVISION_OF },
    ],
    derivationGrants: [1n, 0n],
    stamp: stamp(10),
  }),
  RecordSuperseded: event("RecordSuperseded", {
    fingerprint,
    ownerOrg: 1,
    actor,
    successor: hash("successor"),
    stamp: stamp(11),
  }),
  RecordWithdrawn: event("RecordWithdrawn", {
    fingerprint,
    ownerOrg: 1,
    actor,
    reasonHash: hash("w"),
    stamp: stamp(12),
  }),
  BatchAnchored: event("BatchAnchored", {
    root,
    org: 1,
    registrant: operator,
    leafCount: 1000n,
    metadataHash: hash("manifest"),
    metadataURI: "ipfs://bafy-batch",
    stamp: stamp(13),
  }),
  RightsModuleSet: event("RightsModuleSet", { module: actor }),
  EIP712DomainChanged: event("EIP712DomainChanged", []),

  // DataRights
  ClassRuleChanged: event("ClassRuleChanged", {
    dataClass: DataClass.INTERNAL,
    actor,
    previousRule: Rule.APPROVAL,
    rule: Rule.FORBIDDEN,
    stamp: stamp(1),
  }),
  GrantIssued: event("GrantIssued", {
    fingerprint,
    granteeOrg: 3,
    actor: operator,
    grantId: 2n,
    grantorOrg: 1,
    scopes: Scope.ALL,
    purposeHash: hash("purpose 2"),
    expiresAt: 0,
    status: GrantStatus.ACTIVE,
    exportJurisdiction: noJurisdiction,
    stamp: stamp(20),
  }),
  GrantRevoked: event("GrantRevoked", {
    fingerprint,
    granteeOrg: 2,
    actor: operator,
    grantId: 1n,
    ownerOrg: 1,
    reasonHash: hash("revoked"),
    stamp: stamp(21),
  }),
  GrantDecided: event("GrantDecided", {
    fingerprint,
    granteeOrg: 2,
    actor,
    grantId: 1n,
    customsOrg: 3,
    approved: true,
    decisionHash: hash("approved"),
    stamp: stamp(22),
  }),
  TransferOffered: event("TransferOffered", {
    fingerprint,
    toOrg: 2,
    actor: operator,
    offerId: 8n,
    fromOrg: 1,
    termsHash: hash("terms 2"),
    expiresAt: Number(later + 600n),
    stamp: stamp(23),
  }),
  TransferCancelled: event("TransferCancelled", {
    fingerprint,
    org: 1,
    actor: operator,
    offerId: 7n,
    reasonHash: hash("cancelled"),
    stamp: stamp(24),
  }),
  TransferAccepted: event("TransferAccepted", {
    fingerprint,
    toOrg: 3,
    actor,
    offerId: 7n,
    fromOrg: 1,
    awaitingCustoms: true,
    exportJurisdiction: CN,
    stamp: stamp(25),
  }),
  TransferDecided: event("TransferDecided", {
    fingerprint,
    customsOrg: 3,
    actor,
    offerId: 7n,
    approved: false,
    decisionHash: hash("rejected"),
    stamp: stamp(26),
  }),
  OwnershipTransferred: event("OwnershipTransferred", {
    fingerprint,
    toOrg: 3,
    actor,
    offerId: 7n,
    fromOrg: 1,
    stamp: stamp(27),
  }),
  DeliveryReported: event("DeliveryReported", {
    fingerprint,
    toOrg: 3,
    actor,
    offerId: 7n,
    receivedFingerprint: fingerprint,
    matches: true,
    stamp: stamp(28),
  }),
  FindingAttached: event("FindingAttached", {
    fingerprint,
    inspectorOrg: 4,
    actor,
    findingHash: hash("finding"),
    stamp: stamp(29),
  }),
  RecordFrozen: event("RecordFrozen", { fingerprint, inspectorOrg: 4, actor, reasonHash: hash("f"), stamp: stamp(30) }),
  RecordUnfrozen: event("RecordUnfrozen", {
    fingerprint,
    inspectorOrg: 4,
    actor,
    reasonHash: hash("u"),
    stamp: stamp(31),
  }),
};

/** The events whose handler is an explicit no-op (each says why in src/indexer/projection/handlers/). */
export const ignored: readonly ProvledgerEventName[] = [
  "RoleGranted",
  "RoleRevoked",
  "RoleAdminChanged",
  "DefaultAdminTransferScheduled",
  "DefaultAdminTransferCanceled",
  "DefaultAdminDelayChangeScheduled",
  "DefaultAdminDelayChangeCanceled",
  "LedgerBound",
  "RightsModuleSet",
  "EIP712DomainChanged",
];

/** Every row of a memory store, as `table:key` -> value. */
export function dump(store: MemoryProjectionStore): Map<string, unknown> {
  const rows = new Map<string, unknown>();
  for (const table of tableNames) {
    for (const [key, value] of store[table]) rows.set(`${table}:${String(key)}`, value);
  }
  return rows;
}

/** What applying `e` to `world()` changed: `table:key` -> new value (undefined for a deleted row). */
export function changes(e: ProvledgerEvent, time = later): Record<string, unknown> {
  const store = world();
  const before = dump(store);
  applyEvent(store, e, time);
  const after = dump(store);
  const changed: Record<string, unknown> = {};
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key)) changed[key] = after.get(key);
  }
  return changed;
}
