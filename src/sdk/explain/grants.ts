import { GrantStatus } from "../constants/codes";
import { scopeNames } from "../constants/names";
import { decodeJurisdiction } from "../utils/jurisdiction";
import { customsDecision, organization, type Reader, type RecordFacts } from "./read";
import type { GrantInfo } from "./types";
import { lowerHex } from "../utils/hex";

/** The grants issued on a record, by grant id, with their decisions and revocations; built once per record. */
export function grantsOf(reader: Reader, record: RecordFacts): Promise<Map<bigint, GrantInfo>> {
  let grants = reader.grants.get(record.fingerprint);
  if (!grants) {
    grants = readGrants(reader, record);
    reader.grants.set(record.fingerprint, grants);
  }
  return grants;
}

/**
 * The grants that still bind the record: waiting for customs, or active and not expired (DataRights' `_isOutstanding`).
 * They survive a change of ownership.
 */
export async function outstandingGrants(reader: Reader, record: RecordFacts): Promise<GrantInfo[]> {
  const grants = await grantsOf(reader, record);
  return [...grants.values()].filter((grant) => grant.state === "pending customs" || grant.state === "active");
}

async function readGrants(reader: Reader, record: RecordFacts): Promise<Map<bigint, GrantInfo>> {
  const grants = new Map<bigint, GrantInfo>();
  for (const logged of record.rightsEvents) {
    const { event } = logged;
    if (event.eventName === "GrantIssued") {
      const a = event.args;
      grants.set(a.grantId, {
        grantId: a.grantId.toString(),
        fingerprint: record.fingerprint,
        grantor: await organization(reader, a.grantorOrg),
        grantee: await organization(reader, a.granteeOrg),
        scopes: a.scopes,
        scopeNames: scopeNames(a.scopes),
        purposeHash: lowerHex(a.purposeHash),
        expiresAt: a.expiresAt === 0 ? null : a.expiresAt,
        issuedAt: logged.time,
        issuedBlock: logged.block,
        issuedBy: lowerHex(a.actor),
        exportJurisdiction: decodeJurisdiction(a.exportJurisdiction),
        customsDecisions: [],
        revoked: null,
        state: a.status === GrantStatus.PENDING_CUSTOMS ? "pending customs" : "active",
      });
    } else if (event.eventName === "GrantDecided") {
      const grant = grants.get(event.args.grantId);
      if (!grant) continue;
      grant.customsDecisions.push(await customsDecision(reader, logged, event.args));
      grant.state = event.args.approved ? "active" : "rejected";
    } else if (event.eventName === "GrantRevoked") {
      const grant = grants.get(event.args.grantId);
      if (!grant) continue;
      const a = event.args;
      grant.revoked = {
        time: logged.time,
        block: logged.block,
        actor: lowerHex(a.actor),
        reasonHash: lowerHex(a.reasonHash),
      };
      grant.state = "revoked";
    }
  }
  for (const grant of grants.values()) {
    // As the contract: valid through its expiry second, expired after.
    if (grant.state === "active" && grant.expiresAt !== null && grant.expiresAt < reader.now) grant.state = "expired";
  }
  return grants;
}
