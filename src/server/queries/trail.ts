/**
 * A record's trail, a page at a time, oldest first: the record_trail rows from a position on (its primary key
 * (fingerprint, position), so a page is one index range however long the trail), joined to the stored logs and their
 * blocks. Each entry is rebuilt with the SDK's `trailEntryFromEvent` from the log as the node returned it, so that its
 * payload hash is recomputed from what the chain said, not copied from a column: the SDK's trail-answer check then
 * needs only these entries and one `eth_call`.
 */
import type { Hex } from "viem";
import { decodeLog } from "../../indexer/events";
import { storedEventFromRow } from "../../indexer/store";
import { trailEntryFromEvent, type DecodedEvent } from "../../sdk";
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

type TrailCursor = { k: "trail"; f: string; p: number };

/** The position after which the page starts (0 for the first page); the cursor is bound to its record. */
function startAfter(fingerprint: Hex, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const decoded = decodeCursor<TrailCursor>(cursor, "trail", { k: "string", f: "string", p: "number" });
  if (decoded.f !== fingerprint.slice(2, 18)) throw invalidCursor(cursor, "is a cursor of another record's trail");
  return decoded.p;
}

/** One page of the trail, and the cursor of the next (null on the last page). */
export async function trailPage(
  db: Db,
  fingerprint: Hex,
  options: { cursor?: string; limit: number },
): Promise<{ data: TrailAnswer; next: string | null }> {
  const after = startAfter(fingerprint, options.cursor);
  const record = await loadRecord(db, fingerprint);
  if (!record) throw unknownRecord(fingerprint);
  const rows = await db
    .selectFrom("record_trail as t")
    .innerJoin("events as e", (join) =>
      join.onRef("e.block_number", "=", "t.block_number").onRef("e.log_index", "=", "t.log_index"),
    )
    .innerJoin("blocks as b", "b.number", "e.block_number")
    .selectAll("e")
    .select(["t.position as position", "b.timestamp as block_timestamp"])
    .where("t.fingerprint", "=", fingerprint)
    .where("t.position", ">", after as never)
    .orderBy("t.position")
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const entries = page.map((row) => trailAnswerEntry(row as Record<string, unknown>));
  const last = entries[entries.length - 1];
  const next =
    rows.length > options.limit && last
      ? encodeCursor({ k: "trail", f: fingerprint.slice(2, 18), p: last.position })
      : null;
  return {
    data: {
      fingerprint,
      length: record.trailLength.toString(),
      head: record.trailHead,
      entries,
    },
    next,
  };
}

/** A trail entry from an events row joined with its position and block time. */
export function trailAnswerEntry(row: Record<string, unknown>): TrailAnswerEntry {
  const event = storedEventFromRow(row);
  const decoded = decodeLog(event) as unknown as DecodedEvent;
  const time = BigInt(row.block_timestamp as bigint);
  const entry = trailEntryFromEvent(decoded, time);
  return {
    position: Number(row.position),
    subject: entry.subject.toLowerCase() as Hex,
    action: entry.action,
    actionName: actionName(entry.action),
    actor: entry.actor.toLowerCase() as Hex,
    time: time.toString(),
    timeIso: isoTime(time),
    payloadHash: entry.payloadHash,
    stamp: {
      recordHead: entry.stamp.recordHead.toLowerCase() as Hex,
      recordLength: entry.stamp.recordLength.toString(),
      ledgerSequence: entry.stamp.ledgerSequence.toString(),
      ledgerHead: entry.stamp.ledgerHead.toLowerCase() as Hex,
    },
    event: {
      name: event.eventName,
      blockNumber: event.blockNumber.toString(),
      blockHash: event.blockHash,
      logIndex: event.logIndex,
      transactionHash: event.transactionHash,
    },
  };
}
