/**
 * The ledger's state rebuilt from its events alone: organisations, records, lineage, grants, offers and class rules.
 * A pure reducer (`applyEvent`) plus the rights decision (`authorize`) re-stated off-chain, so that an indexer can
 * answer "who owns this, and may X do S on it now" without calling the contracts, and a test can check that the
 * contracts' views always agree with it.
 */
import type { Address, DecodeEventLogReturnType, Hex } from "viem";
import type { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../../sdk/abi";
import { Authorization, GrantStatus, OfferStatus, OrganizationStatus, Rule, Scope } from "../../sdk/constants/codes";

/** Any event of the three contracts, as viem decodes it with their ABIs. */
export type ProvledgerEvent =
  | DecodeEventLogReturnType<typeof organizationRegistryAbi>
  | DecodeEventLogReturnType<typeof provenanceLedgerAbi>
  | DecodeEventLogReturnType<typeof dataRightsAbi>;

export interface OrganizationState {
  id: number;
  name: string;
  jurisdiction: Hex;
  roles: number;
  status: number;
  operators: Set<Address>;
}

export interface RecordState {
  fingerprint: Hex;
  ownerOrg: number;
  registrant: Address;
  scheme: number;
  dataClass: number;
  metadataHash: Hex;
  metadataURI: string;
  registeredAt: bigint;
  withdrawn: boolean;
  frozen: boolean;
  supersededBy?: Hex;
  parents: { fingerprint: Hex; relation: number; grantId: bigint }[];
  trailHead: Hex;
  trailLength: bigint;
  findings: Hex[];
}

export interface GrantState {
  grantId: bigint;
  fingerprint: Hex;
  granteeOrg: number;
  grantorOrg: number;
  scopes: number;
  status: number;
  expiresAt: bigint;
  exportJurisdiction: Hex;
  purposeHash: Hex;
}

export interface OfferState {
  offerId: bigint;
  fingerprint: Hex;
  fromOrg: number;
  toOrg: number;
  status: number;
  expiresAt: bigint;
  exportJurisdiction: Hex;
  termsHash: Hex;
  acceptedAt: bigint;
  deliveryReports: { receivedFingerprint: Hex; matches: boolean }[];
}

export interface ProjectionState {
  organizations: Map<number, OrganizationState>;
  records: Map<Hex, RecordState>;
  /** The current grant of a record to an organisation, keyed by `grantKey`. */
  grants: Map<string, GrantState>;
  offers: Map<bigint, OfferState>;
  classRules: Map<number, number>;
}

export function emptyProjection(): ProjectionState {
  return { organizations: new Map(), records: new Map(), grants: new Map(), offers: new Map(), classRules: new Map() };
}

export function grantKey(fingerprint: Hex, org: number): string {
  return `${fingerprint.toLowerCase()}:${org}`;
}

function key(fingerprint: Hex): Hex {
  return fingerprint.toLowerCase() as Hex;
}

export class ProjectionError extends Error {
  constructor(message: string) {
    super(`projection: ${message} (events missing or out of order?)`);
    this.name = "ProjectionError";
  }
}

/** The scope asked about is empty or has bits outside Scope.ALL (the contract reverts InvalidScopes). */
export class InvalidScopesError extends Error {
  constructor(readonly scope: number) {
    super(`scope ${scope} is not a non-empty set of Scope bits: combine USE 1, DERIVE 2, REDISTRIBUTE 4`);
    this.name = "InvalidScopesError";
  }
}

function organization(state: ProjectionState, id: number): OrganizationState {
  const org = state.organizations.get(id);
  if (!org) throw new ProjectionError(`organisation ${id} changed before it was registered`);
  return org;
}

function record(state: ProjectionState, fingerprint: Hex): RecordState {
  const found = state.records.get(key(fingerprint));
  if (!found) throw new ProjectionError(`record ${fingerprint} changed before it was registered`);
  return found;
}

function offer(state: ProjectionState, offerId: bigint): OfferState {
  const found = state.offers.get(offerId);
  if (!found) throw new ProjectionError(`offer ${offerId} changed before it was made`);
  return found;
}

function grant(state: ProjectionState, fingerprint: Hex, org: number): GrantState {
  const found = state.grants.get(grantKey(fingerprint, org));
  if (!found) throw new ProjectionError(`grant of ${fingerprint} to ${org} changed before it was issued`);
  return found;
}

/** Moves the record's trail to the position the event claims (verified separately by `replayTrail`). */
function stamp(target: RecordState, claimed: { recordHead: Hex; recordLength: bigint }): void {
  target.trailHead = claimed.recordHead;
  target.trailLength = claimed.recordLength;
}

/** Applies one event, in ledger order (block number, log index). `time` is its block's timestamp. */
export function applyEvent(state: ProjectionState, event: ProvledgerEvent, time: bigint): void {
  switch (event.eventName) {
    // Membership
    case "OrganizationRegistered": {
      const a = event.args;
      state.organizations.set(a.orgId, {
        id: a.orgId,
        name: a.name,
        jurisdiction: a.jurisdiction,
        roles: a.roles,
        status: OrganizationStatus.ACTIVE,
        operators: new Set(),
      });
      return;
    }
    case "OrganizationProfileChanged":
      organization(state, event.args.orgId).name = event.args.name;
      return;
    case "OrganizationJurisdictionChanged":
      organization(state, event.args.orgId).jurisdiction = event.args.jurisdiction;
      return;
    case "OrganizationRolesChanged":
      organization(state, event.args.orgId).roles = event.args.roles;
      return;
    case "OrganizationSuspended":
      organization(state, event.args.orgId).status = OrganizationStatus.SUSPENDED;
      return;
    case "OrganizationReinstated":
      organization(state, event.args.orgId).status = OrganizationStatus.ACTIVE;
      return;
    case "OperatorAdded":
      organization(state, event.args.orgId).operators.add(event.args.account);
      return;
    case "OperatorRemoved":
      organization(state, event.args.orgId).operators.delete(event.args.account);
      return;

    // Ledger
    case "RecordRegistered": {
      const a = event.args;
      state.records.set(key(a.fingerprint), {
        fingerprint: a.fingerprint,
        ownerOrg: a.ownerOrg,
        registrant: a.registrant,
        scheme: a.scheme,
        dataClass: a.dataClass,
        metadataHash: a.metadataHash,
        metadataURI: a.metadataURI,
        registeredAt: time,
        withdrawn: false,
        frozen: false,
        parents: a.parents.map((p, i) => ({
          fingerprint: p.fingerprint,
          relation: p.relation,
          grantId: a.derivationGrants[i],
        })),
        trailHead: a.stamp.recordHead,
        trailLength: a.stamp.recordLength,
        findings: [],
      });
      return;
    }
    case "RecordSuperseded": {
      const target = record(state, event.args.fingerprint);
      target.supersededBy = event.args.successor;
      stamp(target, event.args.stamp);
      return;
    }
    case "RecordWithdrawn": {
      const target = record(state, event.args.fingerprint);
      target.withdrawn = true;
      stamp(target, event.args.stamp);
      return;
    }

    // Rights
    case "ClassRuleChanged":
      state.classRules.set(event.args.dataClass, event.args.rule);
      return;
    case "GrantIssued": {
      const a = event.args;
      state.grants.set(grantKey(a.fingerprint, a.granteeOrg), {
        grantId: a.grantId,
        fingerprint: a.fingerprint,
        granteeOrg: a.granteeOrg,
        grantorOrg: a.grantorOrg,
        scopes: a.scopes,
        status: a.status,
        expiresAt: BigInt(a.expiresAt),
        exportJurisdiction: a.exportJurisdiction,
        purposeHash: a.purposeHash,
      });
      stamp(record(state, a.fingerprint), a.stamp);
      return;
    }
    case "GrantRevoked":
      grant(state, event.args.fingerprint, event.args.granteeOrg).status = GrantStatus.REVOKED;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    case "GrantDecided":
      grant(state, event.args.fingerprint, event.args.granteeOrg).status = event.args.approved
        ? GrantStatus.ACTIVE
        : GrantStatus.REJECTED;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    case "TransferOffered": {
      const a = event.args;
      state.offers.set(a.offerId, {
        offerId: a.offerId,
        fingerprint: a.fingerprint,
        fromOrg: a.fromOrg,
        toOrg: a.toOrg,
        status: OfferStatus.OPEN,
        expiresAt: BigInt(a.expiresAt),
        exportJurisdiction: `0x${"00".repeat(8)}`,
        termsHash: a.termsHash,
        acceptedAt: 0n,
        deliveryReports: [],
      });
      stamp(record(state, a.fingerprint), a.stamp);
      return;
    }
    case "TransferCancelled":
      offer(state, event.args.offerId).status = OfferStatus.CANCELLED;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    case "TransferAccepted": {
      const target = offer(state, event.args.offerId);
      target.status = event.args.awaitingCustoms ? OfferStatus.AWAITING_CUSTOMS : OfferStatus.COMPLETED;
      target.exportJurisdiction = event.args.exportJurisdiction;
      target.acceptedAt = time;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    }
    case "TransferDecided":
      offer(state, event.args.offerId).status = event.args.approved ? OfferStatus.COMPLETED : OfferStatus.REJECTED;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    case "OwnershipTransferred": {
      const target = record(state, event.args.fingerprint);
      target.ownerOrg = event.args.toOrg;
      stamp(target, event.args.stamp);
      return;
    }
    case "DeliveryReported": {
      const target = offer(state, event.args.offerId);
      target.deliveryReports.push({
        receivedFingerprint: event.args.receivedFingerprint,
        matches: event.args.matches,
      });
      if (event.args.matches) target.status = OfferStatus.DELIVERED;
      stamp(record(state, event.args.fingerprint), event.args.stamp);
      return;
    }
    case "FindingAttached": {
      const target = record(state, event.args.fingerprint);
      target.findings.push(event.args.findingHash);
      stamp(target, event.args.stamp);
      return;
    }
    case "RecordFrozen":
    case "RecordUnfrozen": {
      const target = record(state, event.args.fingerprint);
      target.frozen = event.eventName === "RecordFrozen";
      stamp(target, event.args.stamp);
      return;
    }
    default:
      // Batch anchors, governance hand-over and EIP-712 domain events change nothing projected here.
      return;
  }
}

export interface AuthorizationVerdict {
  verdict: number;
  grantId: bigint;
}

/**
 * Whether `org` may exercise `scope` on `fingerprint` at block time `now`, and why: the same decision, in the same
 * order, as IDataRights.authorization.
 */
export function authorize(
  state: ProjectionState,
  fingerprint: Hex,
  org: number,
  scope: number,
  now: bigint,
): AuthorizationVerdict {
  // As the contract: an empty or undefined scope is an error, not a question (it would otherwise be "allowed").
  if (!Number.isInteger(scope) || scope === 0 || (scope & ~Scope.ALL) !== 0) {
    throw new InvalidScopesError(scope);
  }
  const target = record(state, fingerprint);
  if (target.withdrawn) return { verdict: Authorization.RECORD_WITHDRAWN, grantId: 0n };
  if (target.frozen) return { verdict: Authorization.RECORD_FROZEN, grantId: 0n };
  const asking = state.organizations.get(org);
  if (asking?.status !== OrganizationStatus.ACTIVE)
    return { verdict: Authorization.ORGANIZATION_INACTIVE, grantId: 0n };
  if (org === target.ownerOrg) return { verdict: Authorization.OWNER, grantId: 0n };
  const owner = organization(state, target.ownerOrg);
  if (owner.status !== OrganizationStatus.ACTIVE) return { verdict: Authorization.OWNER_INACTIVE, grantId: 0n };
  const current = state.grants.get(grantKey(fingerprint, org));
  if (!current) return { verdict: Authorization.NO_GRANT, grantId: 0n };
  const grantId = current.grantId;
  if (current.status === GrantStatus.PENDING_CUSTOMS) return { verdict: Authorization.GRANT_PENDING_CUSTOMS, grantId };
  if (current.status === GrantStatus.REVOKED) return { verdict: Authorization.GRANT_REVOKED, grantId };
  if (current.status === GrantStatus.REJECTED) return { verdict: Authorization.GRANT_REJECTED, grantId };
  if (current.expiresAt !== 0n && now > current.expiresAt) return { verdict: Authorization.GRANT_EXPIRED, grantId };
  if ((current.scopes & scope) !== scope) return { verdict: Authorization.SCOPE_NOT_GRANTED, grantId };
  if (owner.jurisdiction !== asking.jurisdiction) {
    const rule = state.classRules.get(target.dataClass);
    if (rule === Rule.FORBIDDEN) return { verdict: Authorization.CROSS_BORDER_FORBIDDEN, grantId };
    if (rule === Rule.APPROVAL && current.exportJurisdiction !== owner.jurisdiction) {
      return { verdict: Authorization.CUSTOMS_APPROVAL_MISSING, grantId };
    }
  }
  return { verdict: Authorization.GRANTED, grantId };
}

/** Whether the verdict allows the use. */
export function isAllowed(verdict: AuthorizationVerdict): boolean {
  return verdict.verdict === Authorization.OWNER || verdict.verdict === Authorization.GRANTED;
}
