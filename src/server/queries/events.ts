/**
 * Events as the API answers them (`EventAnswer`), and the event queries: `/v1/events` (by kind, organisation, record
 * and block range) and an organisation's activity over a period of block time.
 *
 * Every query pages by keyset on (block_number, log_index), the events' primary key, oldest first, and starts from
 * the most selective index it has: `record_trail` for a record (its trail entries, in chain order), `event_orgs` for
 * an organisation, `events (event_name, block_number, log_index)` for a kind, else the primary key. Arguments are
 * decoded from the stored raw log (what the node returned), never from a decoded column.
 */
import type { AbiParameter, Hex } from "viem";
import type { Kysely } from "kysely";
import { eventAbiFor } from "../../indexer/events";
import { storedEventFromRow, type StoreTables, decodeStoredLog as decodeLog } from "../../indexer/store";
import type { StoredEvent } from "../../indexer/types";
import { provledgerAbi } from "../../sdk";
import { ApiError } from "../errors";
import { decodeCursor, encodeCursor, invalidCursor } from "./common";

/** A trail stamp as the API writes it: uint64 values as decimal strings. */
export type StampAnswer = {
  recordHead: Hex;
  recordLength: string;
  ledgerSequence: string;
  ledgerHead: Hex;
};

/** One contract event, JSON-safe: bigints as decimal strings, hex (addresses included) lower case. */
export type EventAnswer = {
  name: string;
  blockNumber: string;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
  /** The emitting contract. */
  address: Hex;
  /** Block time, unix seconds. */
  time: string;
  /** The event's arguments by name, without its stamp. */
  args: Record<string, unknown>;
  /** The ledger-wide position the event claims; null for the few unchained events (RightsModuleSet, role changes). */
  stamp: StampAnswer | null;
};

/** Every event name of the three contracts, sorted: the values `kind` may take. */
export const eventNames: readonly string[] = [
  ...new Set(provledgerAbi.filter((item) => item.type === "event").map((item) => (item as { name: string }).name)),
].sort();

const eventNameSet = new Set(eventNames);

/** Refuses an unknown event name, listing the known ones. */
export function checkEventName(kind: string): string {
  if (!eventNameSet.has(kind)) {
    throw new ApiError(
      "InvalidRequest",
      `querystring/kind must be an event name of the Provledger contracts, got "${kind}"`,
      `use one of: ${eventNames.join(", ")}`,
    );
  }
  return kind;
}

// -----------------------------------------------------------------------------------------------------------------
// Decoding
// -----------------------------------------------------------------------------------------------------------------

/** A decoded value, JSON-safe by its ABI type: addresses lower case, bigints as decimal strings, tuples as objects. */
function jsonValue(parameter: AbiParameter, value: unknown): unknown {
  const type = parameter.type;
  if (type.endsWith("]")) {
    const element = { ...parameter, type: type.slice(0, type.lastIndexOf("[")) } as AbiParameter;
    return (value as readonly unknown[]).map((item) => jsonValue(element, item));
  }
  if (type === "tuple") {
    const components = (parameter as { components: readonly AbiParameter[] }).components;
    const object: Record<string, unknown> = {};
    components.forEach((component, i) => {
      const item = Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[component.name!];
      object[component.name ?? String(i)] = jsonValue(component, item);
    });
    return object;
  }
  if (typeof value === "bigint") return value.toString();
  if (type === "address" || type.startsWith("bytes")) return String(value).toLowerCase();
  return value;
}

function stampAnswer(stamp: { recordHead: Hex; recordLength: bigint; ledgerSequence: bigint; ledgerHead: Hex }) {
  return {
    recordHead: stamp.recordHead.toLowerCase() as Hex,
    recordLength: stamp.recordLength.toString(),
    ledgerSequence: stamp.ledgerSequence.toString(),
    ledgerHead: stamp.ledgerHead.toLowerCase() as Hex,
  };
}

/** A stored event as the API answers it; `time` is its block's timestamp. */
export function eventAnswer(event: StoredEvent, time: bigint): EventAnswer {
  const decoded = decodeLog(event);
  const inputs = eventAbiFor(event.topics[0]!)![0].inputs;
  const raw = decoded.args as unknown as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  let stamp: StampAnswer | null = null;
  for (const input of inputs) {
    const name = input.name!;
    if (name === "stamp" && input.type === "tuple") {
      stamp = stampAnswer(raw[name] as Parameters<typeof stampAnswer>[0]);
      continue;
    }
    args[name] = jsonValue(input, raw[name]);
  }
  return {
    name: event.eventName,
    blockNumber: event.blockNumber.toString(),
    blockHash: event.blockHash.toLowerCase() as Hex,
    logIndex: event.logIndex,
    transactionHash: event.transactionHash.toLowerCase() as Hex,
    address: event.address.toLowerCase() as Hex,
    time: time.toString(),
    args,
    stamp,
  };
}

// -----------------------------------------------------------------------------------------------------------------
// Cursors
// -----------------------------------------------------------------------------------------------------------------

/** A position in (block, log index) order: where the next page starts after. */
export type EventPosition = { block: bigint; logIndex: number };

/** The cursor of the page after `position`; `kind` names the route, so that one route's cursor fails on another. */
export function encodeEventCursor(kind: string, position: EventPosition): string {
  return encodeCursor({ k: kind, b: position.block.toString(), l: position.logIndex });
}

export function decodeEventCursor(kind: string, cursor: string | undefined): EventPosition | undefined {
  if (cursor === undefined) return undefined;
  const { b, l } = decodeCursor<{ b: string; l: number }>(cursor, kind, { b: "string", l: "number" });
  if (!/^\d{1,20}$/.test(b)) throw invalidCursor(cursor, "has no valid block");
  return { block: BigInt(b), logIndex: l };
}

// -----------------------------------------------------------------------------------------------------------------
// Queries
// -----------------------------------------------------------------------------------------------------------------

export type EventFilter = {
  kind?: string;
  org?: number;
  record?: Hex;
  /** Inclusive. */
  fromBlock?: bigint;
  /** Inclusive. */
  toBlock?: bigint;
  after?: EventPosition;
  limit: number;
};

export type EventPage = { events: EventAnswer[]; last?: EventPosition; more: boolean };

/**
 * One page of events matching every filter, oldest first. Reads `limit + 1` rows to know whether there is a next page.
 */
export async function queryEvents(db: Kysely<StoreTables>, filter: EventFilter): Promise<EventPage> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driving table varies; columns are the same
  const loose = db as unknown as Kysely<any>;
  // The driving table: the most selective index the filter has. Its (block_number, log_index) order is the events'.
  const driver =
    filter.record !== undefined
      ? loose
          .selectFrom("record_trail as d")
          .where("d.fingerprint", "=", filter.record.toLowerCase())
          .innerJoin("events as e", (join) =>
            join.onRef("e.block_number", "=", "d.block_number").onRef("e.log_index", "=", "d.log_index"),
          )
      : filter.org !== undefined
        ? loose
            .selectFrom("event_orgs as d")
            .where("d.org_id", "=", filter.org)
            .innerJoin("events as e", (join) =>
              join.onRef("e.block_number", "=", "d.block_number").onRef("e.log_index", "=", "d.log_index"),
            )
        : loose.selectFrom("events as e");
  // Range and cursor on the driving table's own columns, so that its index bounds the scan.
  const d = filter.record !== undefined || filter.org !== undefined ? "d" : "e";
  let query = driver.innerJoin("blocks as b", "b.number", "e.block_number").selectAll("e").select("b.timestamp");
  if (filter.record !== undefined && filter.org !== undefined) {
    const org = filter.org;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("event_orgs as o")
          .select("o.org_id")
          .where("o.org_id", "=", org)
          .whereRef("o.block_number", "=", "e.block_number")
          .whereRef("o.log_index", "=", "e.log_index"),
      ),
    );
  }
  if (filter.kind !== undefined) query = query.where("e.event_name", "=", filter.kind);
  if (filter.fromBlock !== undefined) query = query.where(`${d}.block_number`, ">=", filter.fromBlock);
  if (filter.toBlock !== undefined) query = query.where(`${d}.block_number`, "<=", filter.toBlock);
  const after = filter.after;
  if (after) {
    // The plain bound first: an OR alone is no index range bound (SQLite's planner would walk from the start).
    query = query.where(`${d}.block_number`, ">=", after.block);
    query = query.where((eb) =>
      eb.or([
        eb(`${d}.block_number`, ">", after.block),
        eb.and([eb(`${d}.block_number`, "=", after.block), eb(`${d}.log_index`, ">", after.logIndex)]),
      ]),
    );
  }
  // A record's trail positions follow the chain's order: walking its primary key in position order needs no sort.
  query =
    filter.record !== undefined
      ? query.orderBy("d.position")
      : query.orderBy(`${d}.block_number`).orderBy(`${d}.log_index`);
  const rows = (await query.limit(filter.limit + 1).execute()) as Record<string, unknown>[];
  return pageOf(rows, filter.limit);
}

function pageOf(rows: Record<string, unknown>[], limit: number): EventPage {
  const more = rows.length > limit;
  const events: EventAnswer[] = [];
  let last: EventPosition | undefined;
  for (const row of rows.slice(0, limit)) {
    const event = storedEventFromRow(row);
    events.push(eventAnswer(event, BigInt(row.timestamp as bigint)));
    last = { block: event.blockNumber, logIndex: event.logIndex };
  }
  return { events, last, more };
}

/**
 * The first stored block whose time is at or after `time` (block times never decrease with the number), by binary
 * search over the blocks' primary key: the blocks table has no index on its timestamp, and a search costs ~log2(blocks)
 * point reads instead of a scan. Undefined when every stored block is earlier.
 */
export async function firstBlockAtOrAfter(db: Kysely<StoreTables>, time: bigint): Promise<bigint | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see queryEvents
  const loose = db as unknown as Kysely<any>;
  const firstFrom = async (from: bigint, below?: bigint) => {
    let query = loose.selectFrom("blocks").select(["number", "timestamp"]).where("number", ">=", from);
    if (below !== undefined) query = query.where("number", "<", below);
    const row = (await query.orderBy("number").limit(1).executeTakeFirst()) as
      { number: unknown; timestamp: unknown } | undefined;
    return row && { number: BigInt(row.number as bigint), timestamp: BigInt(row.timestamp as bigint) };
  };
  const lastRow = (await loose
    .selectFrom("blocks")
    .select(["number", "timestamp"])
    .orderBy("number", "desc")
    .limit(1)
    .executeTakeFirst()) as { number: unknown; timestamp: unknown } | undefined;
  if (!lastRow || BigInt(lastRow.timestamp as bigint) < time) return undefined;
  const first = (await firstFrom(0n))!;
  if (first.timestamp >= time) return first.number;
  // Invariant: stored blocks below `low` are earlier than `time`; `answer` is at or after it; [low, high) is unknown.
  let answer = BigInt(lastRow.number as bigint);
  let low = first.number + 1n;
  let high = answer;
  while (low < high) {
    const middle = (low + high) / 2n;
    const row = await firstFrom(middle, high);
    if (row === undefined) high = middle;
    else if (row.timestamp >= time) {
      answer = row.number;
      high = middle;
    } else low = row.number + 1n;
  }
  return answer;
}

/** An organisation's events in the block-time range [from, to), oldest first (both bounds optional). */
export async function queryActivity(
  db: Kysely<StoreTables>,
  params: { org: number; from?: bigint; to?: bigint; after?: EventPosition; limit: number },
): Promise<EventPage> {
  const fromBlock = params.from === undefined ? undefined : await firstBlockAtOrAfter(db, params.from);
  if (params.from !== undefined && fromBlock === undefined) return { events: [], more: false };
  const toBlock = params.to === undefined ? undefined : await firstBlockAtOrAfter(db, params.to);
  if (toBlock !== undefined && fromBlock !== undefined && toBlock <= fromBlock) return { events: [], more: false };
  return queryEvents(db, {
    org: params.org,
    fromBlock,
    toBlock: toBlock === undefined ? undefined : toBlock - 1n,
    after: params.after,
    limit: params.limit,
  });
}
