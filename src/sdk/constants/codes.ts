/**
 * The contracts' code tables (contracts/libraries/Codes.sol and the enums of IOrganizationRegistry and IDataRights),
 * as TypeScript constants.
 */

/** Organisation roles (a bit set). */
export const Role = { REGISTRAR: 1, TRADER: 2, INSPECTOR: 4, CUSTOMS: 8, ALL: 15 } as const;
/** Fingerprint schemes. */
export const Scheme = { SHA256: 0, SALTED_SHA256: 1, MANIFEST_ROOT: 2 } as const;
/** Data classes (grades). */
export const DataClass = { PUBLIC: 0, INTERNAL: 1, IMPORTANT: 2, CORE: 3 } as const;
/** Lineage relations. */
export const Relation = { DERIVED_FROM: 0, REVISION_OF: 1 } as const;
/** Use-grant scopes (a bit set). */
export const Scope = { USE: 1, DERIVE: 2, REDISTRIBUTE: 4, ALL: 7 } as const;
/** IOrganizationRegistry.Status */
export const OrganizationStatus = { NONE: 0, ACTIVE: 1, SUSPENDED: 2 } as const;
/** IDataRights.CrossBorderRule */
export const Rule = { FREE: 0, APPROVAL: 1, FORBIDDEN: 2 } as const;
/** IDataRights.GrantStatus */
export const GrantStatus = { NONE: 0, PENDING_CUSTOMS: 1, ACTIVE: 2, REVOKED: 3, REJECTED: 4 } as const;
/** IDataRights.OfferStatus */
export const OfferStatus = {
  NONE: 0,
  OPEN: 1,
  CANCELLED: 2,
  AWAITING_CUSTOMS: 3,
  REJECTED: 4,
  COMPLETED: 5,
  DELIVERED: 6,
} as const;
/** IDataRights.Authorization: why an organisation may or may not use a record in a scope. */
export const Authorization = {
  OWNER: 0,
  GRANTED: 1,
  RECORD_WITHDRAWN: 2,
  RECORD_FROZEN: 3,
  ORGANIZATION_INACTIVE: 4,
  OWNER_INACTIVE: 5,
  NO_GRANT: 6,
  GRANT_PENDING_CUSTOMS: 7,
  GRANT_REVOKED: 8,
  GRANT_REJECTED: 9,
  GRANT_EXPIRED: 10,
  SCOPE_NOT_GRANTED: 11,
  CROSS_BORDER_FORBIDDEN: 12,
  CUSTOMS_APPROVAL_MISSING: 13,
} as const;
/** Trail action codes (TrailActions). */
export const Action = {
  REGISTERED: 1,
  SUPERSEDED: 2,
  WITHDRAWN: 3,
  BATCH_ANCHORED: 4,
  GRANT_ISSUED: 5,
  GRANT_REVOKED: 6,
  GRANT_DECIDED: 7,
  TRANSFER_OFFERED: 8,
  TRANSFER_CANCELLED: 9,
  TRANSFER_ACCEPTED: 10,
  TRANSFER_DECIDED: 11,
  OWNERSHIP_TRANSFERRED: 12,
  DELIVERY_REPORTED: 13,
  FINDING_ATTACHED: 14,
  FROZEN: 15,
  UNFROZEN: 16,
  // Governance entries: standalone one-entry trails on the ledger-wide chain (README, "Audit trail encoding").
  ORGANIZATION_REGISTERED: 17,
  ORGANIZATION_PROFILE_CHANGED: 18,
  JURISDICTION_CHANGED: 19,
  ROLES_CHANGED: 20,
  ORGANIZATION_SUSPENDED: 21,
  ORGANIZATION_REINSTATED: 22,
  OPERATOR_ADDED: 23,
  OPERATOR_REMOVED: 24,
  CLASS_RULE_CHANGED: 25,
} as const;

/**
 * The class rules DataRights starts with. Its constructor sets them without an event (the module is not attached
 * yet, so it cannot chain a governance entry): a reader of the events starts from these and applies every
 * ClassRuleChanged. Indexed by `DataClass`.
 */
export const DEFAULT_CLASS_RULES: Readonly<Record<number, number>> = Object.freeze({
  [DataClass.PUBLIC]: Rule.FREE,
  [DataClass.INTERNAL]: Rule.APPROVAL,
  [DataClass.IMPORTANT]: Rule.APPROVAL,
  [DataClass.CORE]: Rule.FORBIDDEN,
});
