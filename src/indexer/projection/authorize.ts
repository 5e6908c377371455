/**
 * The rights decision off-chain: IDataRights.authorization re-stated over the projection, so that an indexer can
 * answer "may X do S on this record now, and why" without calling the contracts.
 */
import type { Hex } from "viem";
import { Authorization, GrantStatus, OrganizationStatus, Rule, Scope } from "../../sdk";
import { InvalidScopesError, ProjectionError } from "./errors";
import type { ProjectionReader } from "./store";

export type AuthorizationVerdict = {
  /** `Authorization`: OWNER or GRANTED when allowed, otherwise the first reason it is not. */
  verdict: number;
  /** The grant looked at (0 if none). */
  grantId: bigint;
};

const behind = "it was never registered, or the projection is behind the chain";

function missing(code: "MissingRecord" | "MissingOrganization", what: string): ProjectionError {
  return new ProjectionError(code, "authorize", `${what} is not in the projection; ${behind}`);
}

/**
 * Whether `org` may exercise `scope` on `fingerprint` at block time `now`, and why: the same decision, in the same
 * order, as IDataRights.authorization. Reads the record, the two organisations, the grant and the class rule.
 */
export function authorize(
  store: ProjectionReader,
  fingerprint: Hex,
  org: number,
  scope: number,
  now: bigint,
): AuthorizationVerdict {
  // As the contract: an empty or undefined scope is an error, not a question (it would otherwise be "allowed").
  if (!Number.isInteger(scope) || scope === 0 || (scope & ~Scope.ALL) !== 0) throw new InvalidScopesError(scope);
  const record = store.get("records", fingerprint);
  if (!record) throw missing("MissingRecord", `record ${fingerprint}`);
  const none = (verdict: number): AuthorizationVerdict => ({ verdict, grantId: 0n });
  if (record.withdrawn) return none(Authorization.RECORD_WITHDRAWN);
  if (record.frozen) return none(Authorization.RECORD_FROZEN);
  const asking = store.get("organizations", org);
  if (asking?.status !== OrganizationStatus.ACTIVE) return none(Authorization.ORGANIZATION_INACTIVE);
  if (org === record.ownerOrg) return none(Authorization.OWNER);
  const owner = store.get("organizations", record.ownerOrg);
  // A record's owner was registered before it: without it, the projection lacks events.
  if (!owner) throw missing("MissingOrganization", `organisation ${record.ownerOrg}, the owner of ${fingerprint},`);
  if (owner.status !== OrganizationStatus.ACTIVE) return none(Authorization.OWNER_INACTIVE);

  const grant = store.get("grants", [fingerprint, org]);
  if (!grant) return none(Authorization.NO_GRANT);
  const verdict = (code: number): AuthorizationVerdict => ({ verdict: code, grantId: grant.grantId });
  if (grant.status === GrantStatus.PENDING_CUSTOMS) return verdict(Authorization.GRANT_PENDING_CUSTOMS);
  if (grant.status === GrantStatus.REVOKED) return verdict(Authorization.GRANT_REVOKED);
  if (grant.status === GrantStatus.REJECTED) return verdict(Authorization.GRANT_REJECTED);
  if (grant.expiresAt !== 0n && now > grant.expiresAt) return verdict(Authorization.GRANT_EXPIRED);
  if ((grant.scopes & scope) !== scope) return verdict(Authorization.SCOPE_NOT_GRANTED);
  if (owner.jurisdiction !== asking.jurisdiction) {
    const rule = store.get("classRules", record.dataClass);
    if (rule === Rule.FORBIDDEN) return verdict(Authorization.CROSS_BORDER_FORBIDDEN);
    if (rule === Rule.APPROVAL && grant.exportJurisdiction !== owner.jurisdiction) {
      return verdict(Authorization.CUSTOMS_APPROVAL_MISSING);
    }
  }
  return verdict(Authorization.GRANTED);
}

/** Whether the verdict allows the use (IDataRights.mayUse). */
export function isAllowed(verdict: AuthorizationVerdict): boolean {
  return verdict.verdict === Authorization.OWNER || verdict.verdict === Authorization.GRANTED;
}
