/**
 * A record's trail, a page at a time, oldest first: the record_trail rows from a position on (its primary key
 * (fingerprint, position), so a page is one index range however long the trail, with no join). Each row is the entry
 * as the indexer computed it from the log with the SDK's `trailEntryFromEvent` (queryTables.ts): the SDK's
 * trail-answer check recomputes every head from these entries and needs only one `eth_call`, so an edited or missing
 * row fails it.
 */
import { zeroHash, type Hex } from "viem";
import type { Anchor } from "../../indexer/store";
import { isoTime } from "../envelope";
import { unknownRecord } from "../errors";
import { actionName, decodeCursor, encodeCursor, invalidCursor, type Db } from "./common";
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
