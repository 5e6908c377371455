/**
 * A record as a trader or inspector looks it up: its standing, owner, versions, lineage one step each way, the
 * grants outstanding at the answer's block, its offers, the customs decisions on it and its findings. Every lookup
 * is by key or an index (records by fingerprint and by superseded_by, lineage_edges by parent, grants by their key
 * prefix, offers by fingerprint, record_trail by its key prefix); all in the request's one snapshot.
 */
import { sql, type RawBuilder } from "kysely";
import { zeroHash, type Hex } from "viem";
import { decodeRow, tableSpecs } from "../../indexer/store/codec";
import { storedEventFromRow, decodeStoredLog as decodeLog } from "../../indexer/store";
import type { GrantRow, OfferRow, RecordRow } from "../../indexer/projection";
import { Action, GrantStatus, Relation, enumName } from "../../sdk";
import { isoTime } from "../envelope";
import { unknownRecord } from "../errors";
import { decimal, executeCached, isPostgres, recordStatus, relationName, type Db, type RecordStatus } from "./common";

export type LinkAnswer = { fingerprint: Hex; relation: "derived-from" | "revision-of"; grantId: string };

export type GrantAnswer = {
  grantId: string;
  granteeOrg: number;
  grantorOrg: number;
  scopes: number;
  status: number;
  statusName: string;
  expiresAt: string;
  issuedAt: string;
  exportJurisdiction: Hex;
  purposeHash: Hex;
};

export type OfferAnswer = {
  offerId: string;
  fromOrg: number;
  toOrg: number;
  status: number;
  statusName: string;
  offeredAt: string;
  expiresAt: string;
  acceptedAt: string;
  exportJurisdiction: Hex;
  termsHash: Hex;
  deliveryReports: { receivedFingerprint: Hex; matches: boolean }[];
};

export type CustomsDecisionAnswer = {
  kind: "grant" | "transfer";
  id: string;
  customsOrg: number;
  approved: boolean;
  decisionHash: Hex;
  blockNumber: string;
  transactionHash: Hex;
  time: string;
  timeIso: string | null;
};

export type RecordAnswer = {
  fingerprint: Hex;
  status: RecordStatus;
  withdrawn: boolean;
  frozen: boolean;
  supersededBy: Hex | null;
  latestVersion: Hex;
  owner: { org: number; name: string | null };
  registrant: Hex;
  scheme: number;
  dataClass: number;
  metadataHash: Hex;
  metadataURI: string;
  registeredAt: string;
  registeredAtIso: string | null;
  trail: { length: string; head: Hex };
  versions: Hex[];
  parents: LinkAnswer[];
  children: LinkAnswer[];
  grants: GrantAnswer[];
  offers: OfferAnswer[];
  customsDecisions: CustomsDecisionAnswer[];
  findings: Hex[];
};

/** Longest version chain followed each way (a chain is one revision per registration: far below this). */
const MAX_VERSIONS = 10_000;

/** The record row at the snapshot, decoded; undefined if there is none. */
export async function loadRecord(db: Db, fingerprint: Hex): Promise<RecordRow | undefined> {
  const row = await db.selectFrom("records").selectAll().where("fingerprint", "=", fingerprint).executeTakeFirst();
  return row ? decodeRow<"records">(tableSpecs.records, row).value : undefined;
}

/**
 * The revision chain through `fingerprint`, oldest first: back through the records that name it as successor, and
 * forward through the successors (both on indexed columns, one recursive query each way).
 */
export async function versionChain(db: Db, fingerprint: Hex): Promise<Hex[]> {
  const back = await sql<{ fingerprint: string; n: number | bigint }>`
    with recursive back(fingerprint, n) as (
      select fingerprint, 0 from records where superseded_by = ${fingerprint}
      union all
      select r.fingerprint, back.n + 1 from records r join back on r.superseded_by = back.fingerprint
      where back.n < ${MAX_VERSIONS}
    )
    select fingerprint, n from back order by n desc`.execute(db);
  const forward = await sql<{ fingerprint: string; n: number | bigint }>`
    with recursive fwd(fingerprint, n) as (
      select superseded_by, 0 from records where fingerprint = ${fingerprint} and superseded_by <> ${zeroHash}
      union all
      select r.superseded_by, fwd.n + 1 from records r join fwd on r.fingerprint = fwd.fingerprint
      where r.superseded_by <> ${zeroHash} and fwd.n < ${MAX_VERSIONS}
    )
    select fingerprint, n from fwd order by n`.execute(db);
  return [
    ...back.rows.map((row) => row.fingerprint as Hex),
    fingerprint,
    ...forward.rows.map((row) => row.fingerprint as Hex),
  ];
}

function grantAnswer(grant: GrantRow): GrantAnswer {
  return {
    grantId: grant.grantId.toString(),
    granteeOrg: grant.granteeOrg,
    grantorOrg: grant.grantorOrg,
    scopes: grant.scopes,
    status: grant.status,
    statusName: enumName("GrantStatus", grant.status),
    expiresAt: grant.expiresAt.toString(),
    issuedAt: grant.issuedAt.toString(),
    exportJurisdiction: grant.exportJurisdiction,
    purposeHash: grant.purposeHash,
  };
}

function offerAnswer(offer: OfferRow): OfferAnswer {
  return {
    offerId: offer.offerId.toString(),
    fromOrg: offer.fromOrg,
    toOrg: offer.toOrg,
    status: offer.status,
    statusName: enumName("OfferStatus", offer.status),
    offeredAt: offer.offeredAt.toString(),
    expiresAt: offer.expiresAt.toString(),
    acceptedAt: offer.acceptedAt.toString(),
    exportJurisdiction: offer.exportJurisdiction,
    termsHash: offer.termsHash,
    deliveryReports: offer.deliveryReports.map((report) => ({ ...report })),
  };
}

type DecidedArgs = { grantId?: bigint; offerId?: bigint; customsOrg: number; approved: boolean; decisionHash: Hex };

/**
 * `select <json array of the rows' objects>` over `from`: each row a JSON object of `columns` (keyed by column name,
 * as the driver would name them; `big` columns as decimal text, so that no integer passes through a JS number), in
 * `orderBy` order, `[]` for none. Its rows decode with the store's codec as a driver's rows do.
 */
function jsonRowsSql(
  postgres: boolean,
  columns: readonly (readonly [column: string, big: boolean])[],
  from: RawBuilder<unknown>,
  orderBy: string,
): RawBuilder<string> {
  const fields = sql.join(
    columns.map(
      ([column, big]) => sql`${sql.lit(column)}, ${big ? sql`cast(${sql.ref(column)} as text)` : sql.ref(column)}`,
    ),
  );
  return postgres
    ? sql`(select coalesce(json_agg(json_build_object(${fields}) order by ${sql.raw(orderBy)}), '[]'::json)::text ${from})`
    : sql`(select json_group_array(json_object(${fields}) order by ${sql.raw(orderBy)}) ${from})`;
}

const specColumns = (table: "grants" | "offers") =>
  tableSpecs[table].fields.map(([, column, kind]) => [column, kind === "time"] as const);

const EVENT_COLUMNS = [
  ["block_number", true],
  ["log_index", false],
  ["block_hash", false],
  ["transaction_hash", false],
  ["transaction_index", false],
  ["address", false],
  ["event_name", false],
  ["topics", false],
  ["data", false],
  ["ledger_sequence", true],
  ["ledger_head", false],
  ["block_timestamp", true],
] as const;

type RecordQueryRow = Record<string, unknown> & {
  owner_name: string | null;
  children_json: string;
  grants_json: string;
  offers_json: string;
  decisions_json: string;
};

/**
 * The record's row with everything else the answer shows that is not a version chain, in one statement: the owner's
 * name, the children (lineage_edges by parent), the grants active or waiting for customs (grants by their key
 * prefix), the offers (by fingerprint) and the customs decisions' logs (record_trail by (fingerprint, action), then
 * events by key), each as a JSON array of rows. One statement instead of six: on PostgreSQL one round trip, on
 * SQLite one step of a prepared statement, instead of six queries built, compiled and run.
 */
async function recordRow(db: Db, fingerprint: Hex): Promise<RecordQueryRow | undefined> {
  const postgres = isPostgres(db);
  const decided = sql.join([sql.lit(Action.GRANT_DECIDED), sql.lit(Action.TRANSFER_DECIDED)]);
  const outstanding = sql.join([sql.lit(GrantStatus.ACTIVE), sql.lit(GrantStatus.PENDING_CUSTOMS)]);
  const rows = await executeCached<RecordQueryRow>(
    db,
    "record",
    (param) => sql`
      select r.*,
        (select name from organizations where id = r.owner_org) as owner_name,
        ${jsonRowsSql(
          postgres,
          [
            ["child", false],
            ["relation", false],
            ["grant_id", false],
          ],
          sql`from lineage_edges where parent = r.fingerprint`,
          "child",
        )} as children_json,
        ${jsonRowsSql(
          postgres,
          specColumns("grants"),
          sql`from grants where fingerprint = r.fingerprint and status in (${outstanding})`,
          "grantee_org",
        )} as grants_json,
        ${jsonRowsSql(postgres, specColumns("offers"), sql`from offers where fingerprint = r.fingerprint`, "offer_id")}
          as offers_json,
        ${jsonRowsSql(
          postgres,
          EVENT_COLUMNS,
          sql`from (select e.*, t.time as block_timestamp, t.position from record_trail t
            join events e on e.block_number = t.block_number and e.log_index = t.log_index
            where t.fingerprint = r.fingerprint and t.action in (${decided})) d`,
          "position",
        )} as decisions_json
      from records r where r.fingerprint = ${param(0)}`,
    [fingerprint],
  );
  return rows[0];
}

function decisionAnswer(row: Record<string, unknown>): CustomsDecisionAnswer {
  const event = storedEventFromRow(row);
  const decoded = decodeLog(event);
  const args = decoded.args as unknown as DecidedArgs;
  const time = BigInt(row.block_timestamp as string);
  const grant = decoded.eventName === "GrantDecided";
  return {
    kind: grant ? "grant" : "transfer",
    id: String(grant ? args.grantId : args.offerId),
    customsOrg: Number(args.customsOrg),
    approved: args.approved,
    decisionHash: args.decisionHash.toLowerCase() as Hex,
    blockNumber: event.blockNumber.toString(),
    transactionHash: event.transactionHash,
    time: time.toString(),
    timeIso: isoTime(time),
  };
}

/** The record answer at the snapshot (`now`: the anchor block's time); 404 UnknownRecord if there is none. */
export async function recordAnswer(db: Db, fingerprint: Hex, now: bigint): Promise<RecordAnswer> {
  const row = await recordRow(db, fingerprint);
  if (!row) throw unknownRecord(fingerprint);
  const record = decodeRow<"records">(tableSpecs.records, row).value;
  // A record has versions before it only if it revises a parent, and after it only if it was superseded: most have
  // neither, and need no recursive query.
  const versions =
    record.supersededBy === zeroHash && !record.parents.some((parent) => parent.relation === Relation.REVISION_OF)
      ? [fingerprint]
      : await versionChain(db, fingerprint);
  const childLinks = (JSON.parse(row.children_json) as { child: string; relation: number; grant_id: string }[]).map(
    (child) => ({
      fingerprint: child.child as Hex,
      relation: relationName(Number(child.relation)),
      grantId: decimal(child.grant_id),
    }),
  );
  const grants = (JSON.parse(row.grants_json) as Record<string, unknown>[])
    .map((grant) => decodeRow<"grants">(tableSpecs.grants, grant).value)
    // As the contract counts them (GrantOutstanding): one waiting for customs is outstanding whatever its expiry, an
    // active one until it expires.
    .filter((grant) => grant.status === GrantStatus.PENDING_CUSTOMS || grant.expiresAt === 0n || grant.expiresAt >= now)
    .map(grantAnswer);
  const offerList = (JSON.parse(row.offers_json) as Record<string, unknown>[]).map((offer) =>
    offerAnswer(decodeRow<"offers">(tableSpecs.offers, offer).value),
  );
  const decisions = (JSON.parse(row.decisions_json) as Record<string, unknown>[]).map(decisionAnswer);
  const ownerName = row.owner_name === null || row.owner_name === undefined ? null : String(row.owner_name);
  return {
    fingerprint,
    status: recordStatus(record),
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    supersededBy: record.supersededBy === zeroHash ? null : record.supersededBy,
    latestVersion: versions[versions.length - 1]!,
    owner: { org: record.ownerOrg, name: ownerName },
    registrant: record.registrant.toLowerCase() as Hex,
    scheme: record.scheme,
    dataClass: record.dataClass,
    metadataHash: record.metadataHash,
    metadataURI: record.metadataURI,
    registeredAt: record.registeredAt.toString(),
    registeredAtIso: isoTime(record.registeredAt),
    trail: { length: record.trailLength.toString(), head: record.trailHead },
    versions,
    parents: record.parents.map((parent) => ({
      fingerprint: parent.fingerprint.toLowerCase() as Hex,
      relation: relationName(parent.relation),
      grantId: parent.grantId.toString(),
    })),
    children: childLinks,
    grants,
    offers: offerList,
    customsDecisions: decisions,
    findings: [...record.findings],
  };
}
