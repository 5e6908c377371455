/**
 * A record's trail, a page at a time, oldest first: the record_trail rows from a position on (its primary key
 * (fingerprint, position), so a page is one index range however long the trail, with no join). Each row is the entry
 * as the indexer computed it from the log with the SDK's `trailEntryFromEvent` (queryTables.ts): the SDK's
 * trail-answer check recomputes every head from these entries and needs only one `eth_call`, so an edited or missing
 * row fails it.
 */
import { sql, type RawBuilder } from "kysely";
import { zeroHash, type Hex } from "viem";
import type { Anchor } from "../../indexer/store";
import { answer, atOf, isoTime } from "../envelope";
import { unknownRecord } from "../errors";
import {
  SQL_ISO_MAX_TIME,
  actionName,
  actionNameSql,
  decodeCursor,
  encodeCursor,
  executeCached,
  invalidCursor,
  isPostgres,
  isoTimeSql,
  type Db,
} from "./common";
import { loadRecord } from "./records";

export type TrailAnswerEntry = {
  position: number;
  subject: Hex;
  action: number;
  actionName: string;
  actor: Hex;
  time: string;
  timeIso: string | null;
  payloadHash: Hex;
  stamp: { recordHead: Hex; recordLength: string; ledgerSequence: string; ledgerHead: Hex };
  event: { name: string; blockNumber: string; blockHash: Hex; logIndex: number; transactionHash: Hex };
};

export type TrailAnswer = { fingerprint: Hex; length: string; head: Hex; entries: TrailAnswerEntry[] };

export const TRAIL_DEFAULT_LIMIT = 100;
export const TRAIL_MAX_LIMIT = 1_000;

/**
 * A trail cursor names the record, the last position shown, and the block the first page was answered at (`b`, with
 * a prefix of its hash `h`): later pages are answered at that same block, so that the pages of one trail share one
 * `at` however far the indexer moved meanwhile, and the SDK's check of the whole answer holds (one `at`, one
 * `trailHead` call). A trail only grows, so the trail at that block is the rows from blocks at or below it.
 */
type TrailCursor = { k: "trail"; f: string; p: number; b: string; h: string };

function readCursor(fingerprint: Hex, cursor: string): TrailCursor {
  const decoded = decodeCursor<TrailCursor>(cursor, "trail", {
    k: "string",
    f: "string",
    p: "number",
    b: "string",
    h: "string",
  });
  if (decoded.f !== fingerprint.slice(2, 18)) throw invalidCursor(cursor, "is a cursor of another record's trail");
  if (!/^\d{1,20}$/.test(decoded.b)) throw invalidCursor(cursor, "has no valid block");
  return decoded;
}

/** The anchor at `block`, an earlier checkpoint of this store: its stored block and the ledger position there. */
async function anchorAt(db: Db, block: bigint, hashPrefix: string, current: Anchor, cursor: string): Promise<Anchor> {
  if (block === current.block.number && current.block.hash.slice(2, 18) === hashPrefix) return current;
  const stored = await db
    .selectFrom("blocks")
    .selectAll()
    .where("number", "=", block as never)
    .executeTakeFirst();
  if (block > current.block.number || !stored || String(stored.hash).slice(2, 18) !== hashPrefix) {
    throw invalidCursor(
      cursor,
      `was paged at block ${block}, which a reorganisation replaced since; start again without a cursor`,
    );
  }
  const last = await db
    .selectFrom("events")
    .select(["ledger_sequence", "ledger_head"])
    .where("block_number", "<=", block as never)
    .where("ledger_sequence", "is not", null)
    .orderBy("ledger_sequence", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    ...current,
    block: { number: block, hash: stored.hash as Hex, timestamp: BigInt(stored.timestamp) },
    ledgerSequence: last ? BigInt(last.ledger_sequence as bigint) : 0n,
    ledgerHead: (last?.ledger_head ?? zeroHash) as Hex,
    finalized: block <= current.finalizedBlock,
  };
}

/** One page of the trail at the anchor (or at the first page's block), and the cursor of the next (null at the end). */
export async function trailPage(
  db: Db,
  fingerprint: Hex,
  options: { cursor?: string; limit: number },
  current: Anchor,
): Promise<{ anchor: Anchor; data: TrailAnswer; next: string | null }> {
  const cursor = options.cursor === undefined ? undefined : readCursor(fingerprint, options.cursor);
  const record = await loadRecord(db, fingerprint);
  if (!record) throw unknownRecord(fingerprint);
  const anchor = cursor ? await anchorAt(db, BigInt(cursor.b), cursor.h, current, options.cursor!) : current;
  return trailPageAt(db, fingerprint, options.limit, cursor, anchor, current, record);
}

async function trailPageAt(
  db: Db,
  fingerprint: Hex,
  limit: number,
  cursor: TrailCursor | undefined,
  anchor: Anchor,
  current: Anchor,
  record: { trailLength: bigint; trailHead: Hex },
): Promise<{ anchor: Anchor; data: TrailAnswer; next: string | null }> {
  const options = { limit };
  const atBlock = anchor.block.number;
  const rows = await db
    .selectFrom("record_trail")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .where("position", ">", (cursor?.p ?? 0) as never)
    .where("block_number", "<=", atBlock as never)
    .orderBy("position")
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const entries = page.map((row) => trailAnswerEntry(row as Record<string, unknown>));
  const last = entries[entries.length - 1];
  const next =
    rows.length > options.limit && last
      ? encodeCursor({
          k: "trail",
          f: fingerprint.slice(2, 18),
          p: last.position,
          b: atBlock.toString(),
          h: anchor.block.hash.slice(2, 18),
        })
      : null;
  let length = record.trailLength.toString();
  let head: Hex = record.trailHead;
  if (anchor !== current) {
    // The record's trail as it stood at the earlier block: its last entry at or below that block.
    const lastThen = await db
      .selectFrom("record_trail")
      .selectAll()
      .where("fingerprint", "=", fingerprint)
      .where("block_number", "<=", atBlock as never)
      .orderBy("position", "desc")
      .limit(1)
      .executeTakeFirst();
    const entry = lastThen ? trailAnswerEntry(lastThen as Record<string, unknown>) : undefined;
    length = entry ? entry.stamp.recordLength : "0";
    head = entry ? entry.stamp.recordHead : zeroHash;
  }
  return { anchor, data: { fingerprint, length, head, entries }, next };
}

/**
 * The SQL expression of one record_trail row's entry as JSON text, the fields in the order and wire form of
 * `trailAnswerEntry` (and of the route's response schema). SQLite's `json_object`; PostgreSQL's `row_to_json`, whose
 * text is compact (`json_build_object` puts spaces around its colons).
 */
function entryJsonSql(postgres: boolean) {
  const time = isoTimeSql(sql.ref("t.time"), postgres);
  const name = actionNameSql(sql.ref("t.action"), postgres);
  if (!postgres) {
    return sql<string>`json_object(
      'position', t.position, 'subject', t.fingerprint, 'action', t.action, 'actionName', ${name}, 'actor', t.actor,
      'time', cast(t.time as text), 'timeIso', ${time}, 'payloadHash', t.payload_hash,
      'stamp', json_object('recordHead', t.record_head, 'recordLength', cast(t.position as text),
        'ledgerSequence', cast(t.ledger_sequence as text), 'ledgerHead', t.ledger_head),
      'event', json_object('name', t.event_name, 'blockNumber', cast(t.block_number as text),
        'blockHash', t.block_hash, 'logIndex', t.log_index, 'transactionHash', t.transaction_hash))`;
  }
  return sql<string>`(select row_to_json(x)::text from (select
      t.position as "position", t.fingerprint as "subject", t.action as "action", ${name} as "actionName",
      t.actor as "actor", t.time::text as "time", ${time} as "timeIso", t.payload_hash as "payloadHash",
      (select row_to_json(s) from (select t.record_head as "recordHead", t.position::text as "recordLength",
        t.ledger_sequence::text as "ledgerSequence", t.ledger_head as "ledgerHead") s) as "stamp",
      (select row_to_json(v) from (select t.event_name as "name", t.block_number::text as "blockNumber",
        t.block_hash as "blockHash", t.log_index as "logIndex", t.transaction_hash as "transactionHash") v) as "event"
    ) x)`;
}

/**
 * The trail route's whole answer (`{ at, data, next }`) as JSON text: the same answer as `trailPage` through the
 * route's schema, with each entry's JSON built by the query (no row objects, no answer objects, no serialiser; a page
 * of 1,000 is one string per entry joined). A page with a time that SQL's date functions do not render as `isoTime`
 * does (after year 9999) is answered through `trailPage` instead.
 */
export async function trailPageText(
  db: Db,
  fingerprint: Hex,
  options: { cursor?: string; limit: number },
  current: Anchor,
): Promise<string> {
  const cursor = options.cursor === undefined ? undefined : readCursor(fingerprint, options.cursor);
  const anchor = cursor ? await anchorAt(db, BigInt(cursor.b), cursor.h, current, options.cursor!) : current;
  const atBlock = anchor.block.number;
  const postgres = isPostgres(db);
  const limit = options.limit;
  // One statement: the record's trail length and head, and the page's entries as one JSON text (the limit + 1st row
  // only says whether there is a next page), with the count, the last position and the time range of the page.
  const entries = postgres
    ? (param: (i: number) => RawBuilder<unknown>) =>
        sql`string_agg(p.entry, ',' order by p.position) filter (where p.rn <= ${param(2)})`
    : (param: (i: number) => RawBuilder<unknown>) =>
        sql`group_concat(p.entry, ',' order by p.position) filter (where p.rn <= ${param(2)})`;
  const row = (
    await executeCached<{
      trail_length: string | null;
      trail_head: string | null;
      n: unknown;
      last: unknown;
      max_time: unknown;
      entries: string | null;
    }>(
      db,
      "trail page",
      (param) => sql`
      select
        (select trail_length from records where fingerprint = ${param(0)}) as trail_length,
        (select trail_head from records where fingerprint = ${param(0)}) as trail_head,
        count(*) as n, max(p.position) filter (where p.rn <= ${param(2)}) as last, max(p.time) as max_time,
        ${entries(param)} as entries
      from (
        select q.*, row_number() over (order by q.position) as rn from (
          select t.position, t.time, ${entryJsonSql(postgres)} as entry from record_trail t
          where t.fingerprint = ${param(0)} and t.position > ${param(1)} and t.block_number <= ${param(3)}
          order by t.position limit ${param(4)}
        ) q
      ) p`,
      [fingerprint, cursor?.p ?? 0, limit, atBlock, limit + 1],
    )
  )[0]!;
  if (row.trail_length === null || row.trail_head === null) throw unknownRecord(fingerprint);
  const record = { trail_length: row.trail_length, trail_head: row.trail_head };
  if (row.max_time !== null && BigInt(row.max_time as bigint) > SQL_ISO_MAX_TIME) {
    const objects = await trailPageAt(db, fingerprint, limit, cursor, anchor, current, {
      trailLength: BigInt(record.trail_length),
      trailHead: record.trail_head as Hex,
    });
    return JSON.stringify(answer(objects.anchor, objects.data, objects.next));
  }
  const next =
    Number(row.n) > limit
      ? encodeCursor({
          k: "trail",
          f: fingerprint.slice(2, 18),
          p: Number(row.last),
          b: atBlock.toString(),
          h: anchor.block.hash.slice(2, 18),
        })
      : null;
  let length = BigInt(record.trail_length).toString();
  let head = record.trail_head;
  if (anchor !== current) {
    // The record's trail as it stood at the earlier block: its last entry at or below that block.
    const lastThen = await db
      .selectFrom("record_trail")
      .select(["position", "record_head"])
      .where("fingerprint", "=", fingerprint)
      .where("block_number", "<=", atBlock as never)
      .orderBy("position", "desc")
      .limit(1)
      .executeTakeFirst();
    length = lastThen ? String(lastThen.position) : "0";
    head = lastThen ? lastThen.record_head : zeroHash;
  }
  return (
    `{"at":${JSON.stringify(atOf(anchor))},"data":{"fingerprint":${JSON.stringify(fingerprint)},` +
    `"length":${JSON.stringify(length)},"head":${JSON.stringify(head)},"entries":[${row.entries ?? ""}]},` +
    `"next":${JSON.stringify(next)}}`
  );
}

/** A trail entry from its record_trail row (queryTables.ts: hex lower case, u64 as integers). */
export function trailAnswerEntry(row: Record<string, unknown>): TrailAnswerEntry {
  const time = BigInt(row.time as bigint);
  const action = Number(row.action);
  return {
    position: Number(row.position),
    subject: row.fingerprint as Hex,
    action,
    actionName: actionName(action),
    actor: row.actor as Hex,
    time: time.toString(),
    timeIso: isoTime(time),
    payloadHash: row.payload_hash as Hex,
    stamp: {
      recordHead: row.record_head as Hex,
      recordLength: String(row.position),
      ledgerSequence: String(row.ledger_sequence),
      ledgerHead: row.ledger_head as Hex,
    },
    event: {
      name: row.event_name as string,
      blockNumber: String(row.block_number),
      blockHash: row.block_hash as Hex,
      logIndex: Number(row.log_index),
      transactionHash: row.transaction_hash as Hex,
    },
  };
}
