/**
 * Messages: one per error of the three contracts, each naming the cause and then, after a semicolon or colon, the
 * fix. The mapped type makes a missing error a compile error.
 */
import { enumName, roleNames, codeName } from "../constants/names";
import { formatBlockTime } from "../utils/format";
import { jurisdictionLabel } from "../utils/jurisdiction";
import { Lookup } from "../utils/lookup";
import type { ProvledgerErrorName, ProvledgerErrorParams } from "./contract";
import { sameHex } from "../utils/hex";

// a missing error a compile error.

type MessageBuilder<N extends ProvledgerErrorName> = (
  p: ProvledgerErrorParams<N>,
  lookup: Lookup,
) => string | Promise<string>;

const PANICS: Record<number, string> = {
  0x01: "an assertion failed",
  0x11: "an arithmetic operation overflowed",
  0x12: "a division by zero",
  0x21: "a value out of an enum's range",
  0x22: "corrupt storage",
  0x31: "pop on an empty array",
  0x32: "an array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "a call to an uninitialised function",
};

const AUTHORIZATION_REASONS: Record<string, (owner: string, grant: string) => string> = {
  Owner: () => "it owns the parent (no authorisation is needed); register again",
  Granted: () => "a live grant covers it; register again",
  RecordWithdrawn: () => "the parent was withdrawn; derive from a live record",
  RecordFrozen: () => "an inspector froze the parent; wait until an inspector unfreezes it",
  OrganizationInactive: () => "the deriving organisation is suspended; governance must reinstate it first",
  OwnerInactive: (owner) =>
    `the owner ${owner} is suspended, so its grants cannot be used; wait until it is reinstated`,
  NoGrant: (owner) => `${owner} has granted it no rights on the parent; ask ${owner} for a grant with the derive scope`,
  GrantPendingCustoms: (owner, grant) =>
    `${grant} still waits for the data customs of ${owner}'s jurisdiction; wait for its approval (decideGrant)`,
  GrantRevoked: (owner, grant) => `${grant} was revoked by the owner; ask ${owner} for a new grant`,
  GrantRejected: (owner, grant) => `${grant} was rejected by data customs; ask ${owner} for a new grant to be reviewed`,
  GrantExpired: (owner, grant) => `${grant} has expired; ask ${owner} for a new grant`,
  ScopeNotGranted: (owner, grant) =>
    `${grant} does not include the derive scope; ask ${owner} to revoke it and issue one with the derive scope`,
  CrossBorderForbidden: (owner) =>
    `the parent's class may no longer leave ${owner}'s jurisdiction; derive within that jurisdiction`,
  CustomsApprovalMissing: (owner, grant) =>
    `deriving now crosses a border that needs the approval of data customs in ${owner}'s jurisdiction, which ` +
    `${grant} never had; ask ${owner} to revoke and re-issue it, so that customs can review it`,
};

const MESSAGES: { [N in ProvledgerErrorName]: MessageBuilder<N> } = {
  // Solidity built-ins
  Error: (p) => `the contract refused with the reason "${p.message}"; correct what the reason names and retry`,
  Panic: (p) =>
    `the contract stopped on ${PANICS[Number(p.code)] ?? "an internal error"} (panic 0x${p.code.toString(16)}): ` +
    "a value is out of range or the contract has a bug; check the arguments, and report it with them if they are valid",

  // Membership (IMembershipErrors)
  AccountNotMember: (p) =>
    `account ${p.account} is not an operator of any organisation: send from an operator account, or have governance ` +
    "(or an operator of your organisation) add this account with addOperator",
  OrganizationNotActive: async (p, l) => {
    const membership = await l.membership(p.orgId);
    const org = await l.org(p.orgId);
    return membership?.status === 0
      ? `${org} does not exist: check the organisation id`
      : `${org} is suspended, so its keys can change nothing: governance must reinstate it ` +
          "(reinstateOrganization) before it can act again";
  },
  OrganizationLacksRole: async (p, l) => {
    const membership = await l.membership(p.orgId);
    const holds = membership ? ` (it holds: ${roleNames(membership.roles)})` : "";
    return (
      `${await l.org(p.orgId)} does not hold the ${roleNames(p.role)} role this action needs${holds}: send from an ` +
      "operator of an organisation with that role, or ask governance to grant the role (setOrganizationRoles)"
    );
  },
  NotGovernance: async (p, l) => {
    const governance = await l.governance();
    return (
      `${p.account} is not the consortium governance` +
      `${governance ? ` (governance is ${governance})` : ""}: only governance may do this; send from its account`
    );
  },

  // Records (IRecordErrors)
  UnknownRecord: (p) =>
    `no record has fingerprint ${p.fingerprint}: check the fingerprint (its scheme and, for salted commitments, the ` +
    "salt), or register the dataset first",
  RecordIsWithdrawn: (p) =>
    `record ${p.fingerprint} was withdrawn by its owner, so it can no longer be used, granted, offered, derived ` +
    "from or withdrawn; it stays readable. Register a new record if the data is still needed",
  RecordIsFrozen: (p) =>
    `record ${p.fingerprint} is frozen by an inspector: no grants, transfers, acceptances, approvals, derivations ` +
    "or withdrawal until an inspector unfreezes it",
  NotRecordOwner: async (p, l) =>
    `record ${p.fingerprint} is owned by ${await l.org(p.ownerOrg)}, not by ${await l.org(p.org)}: only an ` +
    "operator of the owning organisation may do this",
  UnknownDataClass: (p) =>
    `data class ${p.dataClass} is not defined: use 0 (public), 1 (internal), 2 (important) or 3 (core)`,

  // Ledger (IProvenanceLedger)
  ZeroFingerprint: () => "the fingerprint is zero: pass the fingerprint computed over the dataset",
  UnknownFingerprintScheme: (p) =>
    `fingerprint scheme ${p.scheme} is not defined: use 0 (SHA-256 of the content), 1 (salted commitment) or 2 ` +
    "(directory manifest root)",
  UnknownRelation: (p) => `parent relation ${p.relation} is not defined: use 0 (derived-from) or 1 (revision-of)`,
  MetadataURITooLong: (p) =>
    `the metadata URI is ${p.length} bytes, more than the ${p.maxLength} allowed: use a shorter URI (the document ` +
    "itself is bound by metadataHash)",
  TooManyParents: (p) =>
    `${p.count} parents are declared, more than the ${p.maxCount} a record may have: declare at most ` +
    `${p.maxCount}, e.g. by registering an intermediate record that combines some of them`,
  AlreadyRegistered: async (p, l) =>
    `fingerprint ${p.fingerprint} is already registered by ${await l.org(p.ownerOrg)} on ` +
    `${formatBlockTime(p.registeredAt)} (block time); a fingerprint is registered once and never overwritten: ` +
    "if this is a new version of that dataset, register the new version's fingerprint as a revision-of it",
  UnknownParent: (p) =>
    `parent ${p.parent} is not registered: register the parent first (parents must exist before their children, ` +
    "which keeps lineage acyclic)",
  DuplicateParent: (p) => `parent ${p.parent} is listed more than once: list each parent once`,
  MultipleRevisionParents: (p) =>
    `both ${p.first} and ${p.second} are declared revision-of, but a record revises at most one earlier version: ` +
    "declare the others derived-from",
  RevisionOfForeignRecord: async (p, l) =>
    `${p.parent} belongs to ${await l.org(p.ownerOrg)}, so ${await l.org(p.org)} cannot register a revision of it: ` +
    "declare it derived-from instead (which needs a derive grant from its owner)",
  AlreadySuperseded: async (p, l) => {
    const latest = await l.latestVersion(p.parent);
    const latestText = latest && !sameHex(latest, p.successor) ? ` (latest: ${latest})` : "";
    return (
      `${p.parent} was already superseded by ${p.successor}${latestText}: revise the latest version instead ` +
      "(latestVersion tells which it is)"
    );
  },
  DerivationNotAuthorized: async (p, l) =>
    `deriving from ${p.parent}, owned by ${await l.org(p.ownerOrg)}, needs its authorisation for ` +
    `${await l.org(p.org)}, and the ledger has no rights module to hold it: governance must attach the rights ` +
    "module (setRightsModule), then the owner can issue a derive grant",
  EmptyBatch: (p) =>
    `the batch is empty (root ${p.root}, ${p.leafCount} leaves): anchor the non-zero root of a tree with at least ` +
    "one fingerprint, and its leaf count",
  BatchAlreadyAnchored: async (p, l) =>
    `batch root ${p.root} was already anchored by ${await l.org(p.org)} on ${formatBlockTime(p.anchoredAt)} ` +
    "(block time): a root is anchored once; its fingerprints are already provable against it",
  UnknownBatch: (p) => `no batch is anchored under root ${p.root}: check the root, or anchor the batch first`,
  SignatureForOtherChain: (p) =>
    `the signature was made for chain ${p.signedChainId}, but this is chain ${p.chainId}: have the signer sign ` +
    `again for chain ${p.chainId}`,
  SignatureExpired: (p) =>
    `the signature expired at ${formatBlockTime(p.deadline)} (its deadline) and the block time is ` +
    `${formatBlockTime(p.time)}: have the signer sign again with a later deadline`,
  InvalidSignature: (p) =>
    `the signature is not ${p.signer}'s signature over this submission: it was made by another key, over other ` +
    "fields or for another ledger, or it was altered; have the signer sign exactly these fields again",
  NotRightsModule: (p) => `${p.caller} is not the ledger's rights module: only the attached DataRights contract may`,
  NotGovernanceSource: (p) =>
    `${p.caller} may not chain governance entries: only the ledger's registry and its attached rights module may`,
  RightsModuleAlreadySet: (p) =>
    `the ledger's rights module is already attached (${p.current}) and can be set only once: nothing to do`,
  InvalidAccountNonce: (p) =>
    `this signature of ${p.account} was made for another nonce than its next one, ${p.currentNonce}: it was ` +
    `already relayed (a replay), or signed out of order; to submit again, have the signer sign with nonce ${p.currentNonce}`,
  InvalidShortString: () =>
    "a string is too long for the ledger's EIP-712 domain (deployment only): deploy with the standard name and version",
  StringTooLong: (p) => `"${p.str}" is too long for a short string (deployment only): use at most 31 bytes`,

  // Registry (IOrganizationRegistry)
  UnknownOrganization: (p) =>
    `no organisation has id ${p.orgId}: check the id (organizationOf(account) tells an account's organisation)`,
  AccountAlreadyMember: async (p, l) =>
    `account ${p.account} already operates for ${await l.org(p.orgId)}, and an account serves one organisation: ` +
    "remove it there first (removeOperator), or use another account",
  NotOperatorOf: async (p, l) => {
    const actual = await l.orgOfAccount(p.account);
    const actualText = actual ? ` (it operates for ${await l.org(actual)})` : actual === 0 ? " (it is in none)" : "";
    return `account ${p.account} is not an operator of ${await l.org(p.orgId)}${actualText}: check the account and the organisation`;
  },
  InvalidRoles: (p) =>
    `role set ${p.roles} has bits outside the defined roles: combine 1 (registrar), 2 (trader), 4 (inspector) ` +
    "and 8 (customs), at most 15",
  EmptyJurisdiction: () => "the jurisdiction code is empty: give a code such as CN-GD, HK or MO",
  InvalidName: (p) =>
    `the organisation name is ${p.length} bytes: it must be 1 to ${p.maxLength} bytes; use a short name (details ` +
    "belong in the profile document)",
  TooManyOperators: (p) =>
    `${p.count} operator accounts in one call, more than ${p.maxCount}: pass at most ${p.maxCount} and add the ` +
    "others with addOperator",
  ZeroAddressOperator: () => "the zero address cannot be an operator: pass the operator's account address",
  UnauthorizedOperatorManager: async (p, l) =>
    `${p.caller} may not manage the operators of ${await l.org(p.orgId)}: only governance or an operator of that ` +
    "organisation (while it is active) may",
  LedgerAlreadyBound: (p) =>
    `the registry is already bound to the ledger ${p.current} and is bound only once: nothing to do`,
  LedgerNotBound: () =>
    "the registry is not bound to its ledger yet, so no membership change can be chained: governance must call " +
    "bindLedger(ledger) first (scripts/deploy.ts does it)",
  LedgerOfOtherRegistry: (p) =>
    `the ledger ${p.ledger} belongs to the registry ${p.itsRegistry}, not to this one: bind the ledger deployed ` +
    "with this registry's address",
  NotALedger: (p) => `${p.account} has no code, so it is no ledger: pass the ProvenanceLedger's address`,
  StatusUnchanged: async (p, l) =>
    `${await l.org(p.orgId)} is already ${enumName("Status", p.status).toLowerCase()}: nothing to change`,
  SafeCastOverflowedUintDowncast: (p) =>
    `the value ${p.value} does not fit in ${p.bits} bits: pass a smaller value (e.g. a shorter governance delay)`,
  AccessControlBadConfirmation: () =>
    "renouncing a role must be confirmed by the account itself: call renounceRole from the account that holds it",
  AccessControlEnforcedDefaultAdminDelay: (p) =>
    p.schedule === 0
      ? "no governance hand-over is scheduled: begin it first (beginDefaultAdminTransfer)"
      : `the governance hand-over may complete only after ${formatBlockTime(p.schedule)} (block time): wait until then`,
  AccessControlEnforcedDefaultAdminRules: () =>
    "governance cannot be granted, revoked or shared directly: hand it over in two steps " +
    "(beginDefaultAdminTransfer, then acceptDefaultAdminTransfer by the new account after the delay)",
  AccessControlInvalidDefaultAdmin: (p) =>
    `${p.defaultAdmin} is not the pending governance: only the account named in beginDefaultAdminTransfer may ` +
    "accept the hand-over",
  AccessControlUnauthorizedAccount: (p) =>
    `${p.account} lacks the role ${/^0x0{64}$/.test(p.neededRole) ? "DEFAULT_ADMIN_ROLE (governance)" : p.neededRole} ` +
    "this needs: send from an account that holds it",

  // Data rights (IDataRights)
  InvalidScopes: (p) =>
    `scope set ${p.scopes} is empty or has bits outside the defined scopes: combine 1 (use), 2 (derive) and 4 ` +
    "(redistribute), at most 7",
  UnknownCrossBorderRule: (p) =>
    `cross-border rule ${p.rule} is not defined: use 0 (free), 1 (approval) or 2 (forbidden)`,
  ExpiryNotInFuture: (p) =>
    `the expiry ${formatBlockTime(p.expiresAt)} is not after the current block time ${formatBlockTime(p.time)}: ` +
    "choose a later expiry (or 0 for a grant without expiry)",
  SelfDealing: async (p, l) =>
    `${await l.org(p.org)} owns ${p.fingerprint} and cannot grant it to, or trade it with, itself: name another ` +
    "organisation",
  CounterpartyNotActive: async (p, l) =>
    `the counterparty ${await l.org(p.org)} is suspended or does not exist: it can receive nothing until governance ` +
    "reinstates it; check the organisation id",
  GrantOutstanding: async (p, l) =>
    `${await l.org(p.org)} already holds grant #${p.grantId} on ${p.fingerprint} ` +
    `(${enumName("GrantStatus", p.status)}): one grant per record and organisation; revoke it first (revokeGrant) ` +
    "to issue a different one",
  GrantNotRevocable: async (p, l) =>
    `the grant of ${p.fingerprint} to ${await l.org(p.org)} is ${enumName("GrantStatus", p.status)}: only pending ` +
    "or active grants can be revoked; nothing to do",
  GrantMismatch: async (p, l) =>
    `grant #${p.grantId} is not the current grant of ${p.fingerprint} to ${await l.org(p.org)} (the current one is ` +
    `#${p.currentGrantId}): review the current grant instead`,
  GrantNotPendingCustoms: (p) =>
    `grant #${p.grantId} is ${enumName("GrantStatus", p.status)}, not waiting for customs: nothing to decide`,
  CrossBorderForbidden: (p) =>
    `${p.fingerprint} is ${codeName("DataClass", p.dataClass)} data, which may not leave ${jurisdictionLabel(p.fromJurisdiction)} ` +
    `for ${jurisdictionLabel(p.toJurisdiction)}: grant or sell it only within ${jurisdictionLabel(p.fromJurisdiction)}`,
  NotCustomsOfJurisdiction: async (p, l) =>
    `customs ${await l.org(p.org)} is of ${jurisdictionLabel(p.jurisdiction)} and cannot decide for ` +
    `${jurisdictionLabel(p.required)}: only a customs organisation of the exporting jurisdiction ` +
    `${jurisdictionLabel(p.required)} may decide`,
  RecordUnderOffer: (p) =>
    `${p.fingerprint} is locked by offer #${p.offerId} (open or waiting for customs): no new offer or grant until ` +
    "that offer is accepted and decided, cancelled, or expires",
  UnknownOffer: (p) => `no offer has id ${p.offerId}: check the offer id (it is in the TransferOffered event)`,
  NotOfferParty: async (p, l) => {
    const offer = await l.offer(p.offerId);
    const parties = offer ? ` (from ${await l.org(offer.fromOrg)} to ${await l.org(offer.toOrg)})` : "";
    return (
      `${await l.org(p.org)} is not the party of offer #${p.offerId}${parties} that may do this: the owner ` +
      "cancels, the recipient accepts and confirms delivery, either may abandon a transfer customs left undecided"
    );
  },
  OfferNotOpen: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}, not open: only an open offer can be accepted or ` +
    "cancelled (a transfer waiting for customs only after the review period)",
  CustomsReviewPending: (p) =>
    `offer #${p.offerId} waits for data customs, whose review period runs until ${formatBlockTime(p.reviewEndsAt)} ` +
    "(block time): wait for the decision, or abandon the transfer after that time",
  OfferExpired: (p) =>
    `offer #${p.offerId} expired at ${formatBlockTime(p.expiresAt)} (block time): ask the owner for a new offer`,
  OfferNotAwaitingCustoms: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}, not waiting for customs: nothing to decide`,
  DeliveryNotExpected: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}: only a completed transfer awaits a delivery ` +
    "report; wait until ownership has moved",
  RecordNotFrozen: (p) => `record ${p.fingerprint} is not frozen: nothing to unfreeze`,
  DerivationRefused: async (p, l) => {
    const reason = enumName("Authorization", p.reason);
    const ownerId = await l.recordOwner(p.parent);
    const owner = ownerId !== undefined ? await l.org(ownerId) : "its owner";
    const grant = p.grantId === 0n ? "the grant" : `grant #${p.grantId}`;
    const explain = AUTHORIZATION_REASONS[reason]?.(owner, grant) ?? "see IDataRights.Authorization";
    return (
      `${await l.org(p.org)} may not derive from ${p.parent}` +
      `${ownerId !== undefined ? ` (owned by ${owner})` : ""}: ${reason}: ${explain}`
    );
  },
};

/** The plain-language message of a decoded error, for callers that decode revert data themselves. */
export function messageOf(name: ProvledgerErrorName, params: Record<string, unknown>, lookup = new Lookup()) {
  const build = MESSAGES[name] as (p: Record<string, unknown>, l: Lookup) => string | Promise<string>;
  return Promise.resolve(build(params, lookup));
}
