/**
 * "May organisation X exercise scope S on record R now, and why": the projection's `authorize` (the contract's
 * `authorization` view re-stated) over the five rows it reads, loaded by key in the request's snapshot, with now =
 * the answer block's time. The same code the indexer's tests hold equal to the contract, so the answer is the
 * contract's at that block.
 */
import type { Hex } from "viem";
import { authorize, createMemoryStore, isAllowed } from "../../indexer/projection";
import { decodeRow, tableSpecs } from "../../indexer/store/codec";
import { Authorization, Scope, enumName, scopeNames } from "../../sdk";
import { ApiError, unknownRecord } from "../errors";
import type { Db } from "./common";
import { loadRecord } from "./records";

export type AuthorizationAnswer = {
  record: Hex;
  org: number;
  scope: number;
  scopeNames: string;
  allowed: boolean;
  verdict: number;
  verdictName: string;
  grantId: string;
  reason: string;
};

const SCOPE_WORDS: Record<string, number> = { use: Scope.USE, derive: Scope.DERIVE, redistribute: Scope.REDISTRIBUTE };

/** `use`, `derive`, `redistribute`, a `+` combination of them, or the bit set 1-7. */
export function parseScope(text: string): number {
  if (/^[1-7]$/.test(text)) return Number(text);
  let bits = 0;
  for (const word of text.split(/[+ ]/)) {
    const bit = SCOPE_WORDS[word.toLowerCase()];
    if (bit === undefined) {
      throw new ApiError(
        "InvalidScope",
        `scope ${JSON.stringify(text)} is not a scope`,
        "scope is use, derive, redistribute, a combination such as use+derive, or the bit set 1-7",
      );
    }
    bits |= bit;
  }
  return bits;
}

const reasons: Record<number, (org: number, owner: number, grantId: bigint, scope: string) => string> = {
  [Authorization.OWNER]: (org) => `organisation ${org} owns the record`,
  [Authorization.GRANTED]: (org, _o, grant, scope) => `grant ${grant} gives organisation ${org} ${scope}`,
  [Authorization.RECORD_WITHDRAWN]: () => "the owner withdrew the record",
  [Authorization.RECORD_FROZEN]: () => "an inspector froze the record",
  [Authorization.ORGANIZATION_INACTIVE]: (org) => `organisation ${org} is not an active member`,
  [Authorization.OWNER_INACTIVE]: (_org, owner) => `the owner, organisation ${owner}, is not an active member`,
  [Authorization.NO_GRANT]: (org) => `organisation ${org} holds no grant on the record`,
  [Authorization.GRANT_PENDING_CUSTOMS]: (_o, _w, grant) => `grant ${grant} waits for a customs decision`,
  [Authorization.GRANT_REVOKED]: (_o, _w, grant) => `grant ${grant} was revoked`,
  [Authorization.GRANT_REJECTED]: (_o, _w, grant) => `customs rejected grant ${grant}`,
  [Authorization.GRANT_EXPIRED]: (_o, _w, grant) => `grant ${grant} expired before the answer's block`,
  [Authorization.SCOPE_NOT_GRANTED]: (_o, _w, grant, scope) => `grant ${grant} does not include ${scope}`,
  [Authorization.CROSS_BORDER_FORBIDDEN]: () => "the record's class may not leave its owner's jurisdiction",
  [Authorization.CUSTOMS_APPROVAL_MISSING]: (_o, _w, grant) =>
    `the record's class needs customs approval across the border, and grant ${grant} has none`,
};

/** Loads what `authorize` reads and answers; 404 UnknownRecord for a record the store does not hold. */
export async function authorizationAnswer(
  db: Db,
  fingerprint: Hex,
  org: number,
  scope: number,
  now: bigint,
): Promise<AuthorizationAnswer> {
  const record = await loadRecord(db, fingerprint);
  if (!record) throw unknownRecord(fingerprint);
  const orgIds = [...new Set([org, record.ownerOrg])];
  const [organizations, grant, rule] = await Promise.all([
    db.selectFrom("organizations").selectAll().where("id", "in", orgIds).execute(),
    db
      .selectFrom("grants")
      .selectAll()
      .where("fingerprint", "=", fingerprint)
      .where("grantee_org", "=", org)
      .executeTakeFirst(),
    db.selectFrom("class_rules").selectAll().where("data_class", "=", record.dataClass).executeTakeFirst(),
  ]);
  // The rows `authorize` reads, in a memory projection (it keys them as the indexer does).
  const rows = createMemoryStore();
  rows.put("records", fingerprint, record);
  for (const row of organizations) {
    const { key, value } = decodeRow<"organizations">(tableSpecs.organizations, row);
    rows.put("organizations", key, value);
  }
  if (grant) rows.put("grants", [fingerprint, org], decodeRow<"grants">(tableSpecs.grants, grant).value);
  if (rule) rows.put("classRules", record.dataClass, decodeRow<"classRules">(tableSpecs.classRules, rule).value);
  const verdict = authorize(rows, fingerprint, org, scope, now);
  const scopeText = scopeNames(scope);
  return {
    record: fingerprint,
    org,
    scope,
    scopeNames: scopeText,
    allowed: isAllowed(verdict),
    verdict: verdict.verdict,
    verdictName: enumName("Authorization", verdict.verdict),
    grantId: verdict.grantId.toString(),
    reason: (reasons[verdict.verdict] ?? (() => enumName("Authorization", verdict.verdict)))(
      org,
      record.ownerOrg,
      verdict.grantId,
      scopeText,
    ),
  };
}
