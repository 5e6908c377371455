/**
 * Organisation queries: the profile (the registry's row, its operators and its governance history), the records it
 * owns now, and the grants it gave or received. Each reads one projection table by an index the store keeps
 * (`organizations` by id, `operators (org_id)`, `records (owner_org)`, `grants (grantor_org)` / `(grantee_org)`)
 * and pages by keyset on the table's primary key.
 */
import type { Hex } from "viem";
import type { Kysely } from "kysely";
import {
  projectionFromRow,
  storedEventFromRow,
  type StoreTables,
  decodeStoredLog as decodeLog,
} from "../../indexer/store";
import { Role, decodeJurisdiction, enumName, roleNames } from "../../sdk";
import { ApiError } from "../errors";
import { isoTime } from "../envelope";
import { chunks, decodeCursor, encodeCursor, invalidCursor, recordStatus, type RecordStatus } from "./common";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the store's tables, typed loosely at the query edge
type Loose = Kysely<any>;
const loose = (db: Kysely<StoreTables>) => db as unknown as Loose;

export type JurisdictionAnswer = { code: string | null; raw: Hex };

export type StatusHistoryEntry = {
  event: string;
  /** The organisation's status after the event (`OrganizationStatus`). */
  status: number;
  /** Its role bits after the event. */
  roles: number;
  /** Its jurisdiction after the event. */
  jurisdiction: JurisdictionAnswer;
  /** The reason's hash, for a suspension or reinstatement; null otherwise. */
  reasonHash: Hex | null;
  actor: Hex;
  blockNumber: string;
  transactionHash: Hex;
  time: string;
  timeIso: string;
};

export type OrganizationAnswer = {
  id: number;
  name: string;
  metadataHash: Hex;
  jurisdiction: JurisdictionAnswer;
  roles: { bits: number; names: string[] };
  status: number;
  statusName: string;
  registeredAt: string;
  operators: Hex[];
  statusHistory: StatusHistoryEntry[];
};

/** The registry's governance events of one organisation: what changes its status, roles, jurisdiction or profile. */
const GOVERNANCE_EVENTS = [
  "OrganizationRegistered",
  "OrganizationProfileChanged",
  "OrganizationJurisdictionChanged",
  "OrganizationRolesChanged",
  "OrganizationSuspended",
  "OrganizationReinstated",
] as const;

function jurisdictionAnswer(raw: Hex): JurisdictionAnswer {
  return { code: decodeJurisdiction(raw), raw: raw.toLowerCase() as Hex };
}

/** The names of a role bit set, lowest bit first ("registrar", "trader", ...). */
function roleList(bits: number): string[] {
  return Object.values(Role)
    .filter((bit) => bit !== Role.ALL && (bits & bit) !== 0)
    .sort((a, b) => a - b)
    .map((bit) => roleNames(bit));
}

/** The organisation, or 404 `UnknownOrganization`. */
export async function queryOrganization(db: Kysely<StoreTables>, orgId: number): Promise<OrganizationAnswer> {
  const org = await requireOrganization(db, orgId);
  const operators = (await loose(db)
    .selectFrom("operators")
    .select("account")
    .where("org_id", "=", orgId)
    .orderBy("account")
    .execute()) as { account: string }[];
  const rows = (await loose(db)
    .selectFrom("event_orgs as d")
    .innerJoin("events as e", (join) =>
      join.onRef("e.block_number", "=", "d.block_number").onRef("e.log_index", "=", "d.log_index"),
    )
    .innerJoin("blocks as b", "b.number", "e.block_number")
    .selectAll("e")
    .select("b.timestamp")
    .where("d.org_id", "=", orgId)
    .where("e.event_name", "in", [...GOVERNANCE_EVENTS])
    .orderBy("d.block_number")
    .orderBy("d.log_index")
    .execute()) as Record<string, unknown>[];
  return {
    id: org.id,
    name: org.name,
    metadataHash: org.metadataHash.toLowerCase() as Hex,
    jurisdiction: jurisdictionAnswer(org.jurisdiction),
    roles: { bits: org.roles, names: roleList(org.roles) },
    status: org.status,
    statusName: enumName("Status", org.status),
    registeredAt: org.registeredAt.toString(),
    operators: operators.map((row) => row.account.toLowerCase() as Hex),
    statusHistory: statusHistory(rows),
  };
}

/** The organisation's row, or 404 `UnknownOrganization`. */
export async function requireOrganization(db: Kysely<StoreTables>, orgId: number) {
  const row = (await loose(db).selectFrom("organizations").selectAll().where("id", "=", orgId).executeTakeFirst()) as
    Record<string, unknown> | undefined;
  if (!row) {
    throw new ApiError(
      "UnknownOrganization",
      `no organisation ${orgId} in the index at this block`,
      "check the id; an organisation registered after the answer's block is not in it yet",
    );
  }
  return projectionFromRow("organizations", row);
}

/** Replays the governance events, oldest first, into the state after each. */
function statusHistory(rows: readonly Record<string, unknown>[]): StatusHistoryEntry[] {
  let status = 0;
  let roles = 0;
  let jurisdiction: Hex = "0x0000000000000000";
  return rows.map((row) => {
    const event = storedEventFromRow(row);
    const args = decodeLog(event).args as unknown as Record<string, unknown>;
    let reasonHash: Hex | null = null;
    switch (event.eventName) {
      case "OrganizationRegistered":
        status = 1; // OrganizationStatus.ACTIVE: the registry onboards an organisation active
        roles = Number(args.roles);
        jurisdiction = args.jurisdiction as Hex;
        break;
      case "OrganizationJurisdictionChanged":
        jurisdiction = args.jurisdiction as Hex;
        break;
      case "OrganizationRolesChanged":
        roles = Number(args.roles);
        break;
      case "OrganizationSuspended":
        status = 2; // OrganizationStatus.SUSPENDED
        reasonHash = (args.reasonHash as Hex).toLowerCase() as Hex;
        break;
      case "OrganizationReinstated":
        status = 1;
        reasonHash = (args.reasonHash as Hex).toLowerCase() as Hex;
        break;
    }
    const time = BigInt(row.timestamp as bigint);
    return {
      event: event.eventName,
      status,
      roles,
      jurisdiction: jurisdictionAnswer(jurisdiction),
      reasonHash,
      actor: String(args.actor).toLowerCase() as Hex,
      blockNumber: event.blockNumber.toString(),
      transactionHash: event.transactionHash.toLowerCase() as Hex,
      time: time.toString(),
      timeIso: isoTime(time) ?? "",
    };
  });
}

// -----------------------------------------------------------------------------------------------------------------
// Records and grants
// -----------------------------------------------------------------------------------------------------------------

export type OrgRecordAnswer = {
  fingerprint: Hex;
  status: RecordStatus;
  supersededBy: Hex | null;
  scheme: number;
  dataClass: number;
  dataClassName: string;
  metadataHash: Hex;
  metadataURI: string;
  registeredAt: string;
  trail: { length: string; head: Hex };
};

const ZERO_HASH = `0x${"0".repeat(64)}`;
const FINGERPRINT = /^0x[0-9a-f]{64}$/;

/** The records the organisation owns now, by fingerprint. */
export async function queryOrgRecords(
  db: Kysely<StoreTables>,
  params: { org: number; cursor?: string; limit: number },
): Promise<{ records: OrgRecordAnswer[]; next: string | null }> {
  await requireOrganization(db, params.org);
  let query = loose(db).selectFrom("records").selectAll().where("owner_org", "=", params.org);
  if (params.cursor !== undefined) {
    const { f } = decodeCursor<{ f: string }>(params.cursor, "org-records", { f: "string" });
    if (!FINGERPRINT.test(f)) throw invalidCursor(params.cursor, "has no valid fingerprint");
    query = query.where("fingerprint", ">", f);
  }
  const rows = (await query
    .orderBy("fingerprint")
    .limit(params.limit + 1)
    .execute()) as Record<string, unknown>[];
  const records = rows.slice(0, params.limit).map((row) => {
    const record = projectionFromRow("records", row);
    const superseded = record.supersededBy.toLowerCase() !== ZERO_HASH;
    return {
      fingerprint: record.fingerprint.toLowerCase() as Hex,
      status: recordStatus(record),
      supersededBy: superseded ? (record.supersededBy.toLowerCase() as Hex) : null,
      scheme: record.scheme,
      dataClass: record.dataClass,
      dataClassName: dataClassName(record.dataClass),
      metadataHash: record.metadataHash.toLowerCase() as Hex,
      metadataURI: record.metadataURI,
      registeredAt: record.registeredAt.toString(),
      trail: { length: record.trailLength.toString(), head: record.trailHead.toLowerCase() as Hex },
    };
  });
  const last = records[records.length - 1];
  return {
    records,
    next: rows.length > params.limit && last ? encodeCursor({ k: "org-records", f: last.fingerprint }) : null,
  };
}

function dataClassName(value: number): string {
  return ["public", "internal", "important", "core"][value] ?? `DataClass(${value})`;
}

export type OrgGrantAnswer = {
  grantId: string;
  fingerprint: Hex;
  granteeOrg: number;
  grantorOrg: number;
  scopes: number;
  status: number;
  statusName: string;
  expiresAt: string;
  issuedAt: string;
  /** bytes8: the jurisdiction whose customs must approve (zero: none must), as on the record route. */
  exportJurisdiction: Hex;
  purposeHash: Hex;
};

export type GrantSide = "given" | "received";

/**
 * The grants the organisation gave (it is the grantor) or received (the grantee), or both when `side` is left out:
 * the current grant of each (record, grantee), whatever its status, by (fingerprint, grantee).
 */
export async function queryOrgGrants(
  db: Kysely<StoreTables>,
  params: { org: number; side?: GrantSide; cursor?: string; limit: number },
): Promise<{ grants: OrgGrantAnswer[]; next: string | null }> {
  await requireOrganization(db, params.org);
  const { org, side } = params;
  let query = loose(db)
    .selectFrom("grants")
    .selectAll()
    .where((eb) =>
      side === "given"
        ? eb("grantor_org", "=", org)
        : side === "received"
          ? eb("grantee_org", "=", org)
          : eb.or([eb("grantor_org", "=", org), eb("grantee_org", "=", org)]),
    );
  const kind = `org-grants-${side ?? "both"}`;
  if (params.cursor !== undefined) {
    const { f, g } = decodeCursor<{ f: string; g: number }>(params.cursor, kind, { f: "string", g: "number" });
    if (!FINGERPRINT.test(f)) throw invalidCursor(params.cursor, "has no valid fingerprint");
    query = query.where((eb) =>
      eb.or([eb("fingerprint", ">", f), eb.and([eb("fingerprint", "=", f), eb("grantee_org", ">", g)])]),
    );
  }
  const rows = (await query
    .orderBy("fingerprint")
    .orderBy("grantee_org")
    .limit(params.limit + 1)
    .execute()) as Record<string, unknown>[];
  const grants = rows.slice(0, params.limit).map((row) => {
    const grant = projectionFromRow("grants", row);
    return {
      grantId: grant.grantId.toString(),
      fingerprint: grant.fingerprint.toLowerCase() as Hex,
      granteeOrg: grant.granteeOrg,
      grantorOrg: grant.grantorOrg,
      scopes: grant.scopes,
      status: grant.status,
      statusName: enumName("GrantStatus", grant.status),
      expiresAt: grant.expiresAt.toString(),
      issuedAt: grant.issuedAt.toString(),
      exportJurisdiction: grant.exportJurisdiction.toLowerCase() as Hex,
      purposeHash: grant.purposeHash.toLowerCase() as Hex,
    };
  });
  const last = grants[grants.length - 1];
  return {
    grants,
    next:
      rows.length > params.limit && last ? encodeCursor({ k: kind, f: last.fingerprint, g: last.granteeOrg }) : null,
  };
}

/** The registered names of `ids` (one `IN (...)` read); ids the store does not know are left out. */
export async function organizationNames(db: Kysely<StoreTables>, ids: readonly number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const part of chunks(ids)) {
    if (part.length === 0) continue;
    const rows = (await loose(db)
      .selectFrom("organizations")
      .select(["id", "name"])
      .where("id", "in", part)
      .execute()) as {
      id: unknown;
      name: unknown;
    }[];
    for (const row of rows) names.set(Number(row.id), String(row.name));
  }
  return names;
}
