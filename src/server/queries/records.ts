/**
 * A record as a trader or inspector looks it up: its standing, owner, versions, lineage one step each way, the
 * grants outstanding at the answer's block, its offers, the customs decisions on it and its findings. Every lookup
 * is by key or an index (records by fingerprint and by superseded_by, lineage_edges by parent, grants by their key
 * prefix, offers by fingerprint, record_trail by its key prefix); all in the request's one snapshot.
 */
import { sql } from "kysely";
import { zeroHash, type Hex } from "viem";
import { decodeRow, tableSpecs } from "../../indexer/store/codec";
import { storedEventFromRow, decodeStoredLog as decodeLog } from "../../indexer/store";
import type { GrantRow, OfferRow, RecordRow } from "../../indexer/projection";
import { Action, GrantStatus, Relation, enumName } from "../../sdk";
import { isoTime } from "../envelope";
import { unknownRecord } from "../errors";
import { decimal, recordStatus, relationName, type Db, type RecordStatus } from "./common";

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

/**
 * Grants outstanding at block time `now`: active, or waiting for customs, and not expired (the contract's
 * `now > expiresAt` is expired; 0 never expires). By the grants key prefix (fingerprint, grantee).
 */
async function outstandingGrants(db: Db, fingerprint: Hex, now: bigint): Promise<GrantAnswer[]> {
  const rows = await db
    .selectFrom("grants")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .where("status", "in", [GrantStatus.ACTIVE, GrantStatus.PENDING_CUSTOMS])
    .orderBy("grantee_org")
    .execute();
  return (
    rows
      .map((row) => decodeRow<"grants">(tableSpecs.grants, row).value)
      // As the contract counts them (GrantOutstanding): one waiting for customs is outstanding whatever its expiry, an
      // active one until it expires.
      .filter(
        (grant) => grant.status === GrantStatus.PENDING_CUSTOMS || grant.expiresAt === 0n || grant.expiresAt >= now,
      )
      .map(grantAnswer)
  );
}

async function offers(db: Db, fingerprint: Hex): Promise<OfferAnswer[]> {
  const rows = await db
    .selectFrom("offers")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .orderBy("offer_id")
    .execute();
  return rows.map((row) => offerAnswer(decodeRow<"offers">(tableSpecs.offers, row).value));
}

/** The records that name `fingerprint` as a parent, by the lineage_edges parent index. */
async function children(db: Db, fingerprint: Hex): Promise<LinkAnswer[]> {
  const rows = await db
    .selectFrom("lineage_edges")
    .select(["child", "relation", "grant_id"])
    .where("parent", "=", fingerprint)
    .orderBy("child")
    .execute();
  return rows.map((row) => ({
    fingerprint: row.child as Hex,
    relation: relationName(Number(row.relation)),
    grantId: decimal(row.grant_id),
  }));
}

type DecidedArgs = { grantId?: bigint; offerId?: bigint; customsOrg: number; approved: boolean; decisionHash: Hex };

/** Customs decisions on the record, oldest first: its trail's GrantDecided and TransferDecided events. */
async function customsDecisions(db: Db, fingerprint: Hex): Promise<CustomsDecisionAnswer[]> {
  // By the (fingerprint, action) index: the decisions alone, however long the trail, then their logs by key.
  const rows = await db
    .selectFrom("record_trail as t")
    .innerJoin("events as e", (join) =>
      join.onRef("e.block_number", "=", "t.block_number").onRef("e.log_index", "=", "t.log_index"),
    )
    .selectAll("e")
    .select("t.time as block_timestamp")
    .where("t.fingerprint", "=", fingerprint)
    .where("t.action", "in", [Action.GRANT_DECIDED, Action.TRANSFER_DECIDED])
    .orderBy("t.position")
    .execute();
  return rows.map((row) => {
    const event = storedEventFromRow(row);
    const decoded = decodeLog(event);
    const args = decoded.args as unknown as DecidedArgs;
    const time = BigInt(row.block_timestamp as bigint);
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
  });
}

async function organizationName(db: Db, org: number): Promise<string | null> {
  const row = await db.selectFrom("organizations").select("name").where("id", "=", org).executeTakeFirst();
  return row ? String(row.name) : null;
}

/** The record answer at the snapshot (`now`: the anchor block's time); 404 UnknownRecord if there is none. */
export async function recordAnswer(db: Db, fingerprint: Hex, now: bigint): Promise<RecordAnswer> {
  const record = await loadRecord(db, fingerprint);
  if (!record) throw unknownRecord(fingerprint);
  const [ownerName, versions, childLinks, grants, offerList, decisions] = await Promise.all([
    organizationName(db, record.ownerOrg),
    // A record has versions before it only if it revises a parent, and after it only if it was superseded: most
    // have neither, and need no recursive query.
    record.supersededBy === zeroHash && !record.parents.some((parent) => parent.relation === Relation.REVISION_OF)
      ? [fingerprint]
      : versionChain(db, fingerprint),
    children(db, fingerprint),
    outstandingGrants(db, fingerprint, now),
    offers(db, fingerprint),
    customsDecisions(db, fingerprint),
  ]);
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
