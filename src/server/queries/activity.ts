/**
 * An organisation's activity for the exports (`activity.csv`, `activity.prov.json`): the same events, in the same
 * order and with the same `EventAnswer` values as `queryActivity` (queries/events.ts) gives the JSON route, read in
 * pages of `batch` rows within the caller's snapshot and decoded for export.
 *
 * Why a second reader of the same rows: an export reads up to 100,000 events in one request, and `eventAnswer`
 * (the SDK's decoded event, then a JSON-safe copy of it) spent ~50 us an event, mostly in EIP-55 checksumming
 * every address (a keccak each) that the answer then lower-cases again, and in the bigint round trips. Here each
 * event kind's ABI is compiled once into a list of field readers that go from the stored hex straight to the
 * answer's JSON values (addresses and bytes as lower-case slices, uint64+ as decimal text), with the same checks as
 * the store's fast decoder (decodeStoredLog: topic count, hex payload, offsets, bool words); anything they do not
 * accept goes through `eventAnswer` itself, so an irregular log is answered (or refused) exactly as the JSON route
 * does. test/server/exports/activityQuery.test.ts checks that both give the same events for every kind the seed
 * makes.
 */
import type { AbiEvent, AbiParameter, Hex } from "viem";
import type { Kysely } from "kysely";
import { eventAbiFor } from "../../indexer/events";
import { storedEventFromRow, type StoreTables } from "../../indexer/store";
import { eventAnswer, firstBlockAtOrAfter, type EventAnswer, type EventPosition, type StampAnswer } from "./events";

const FAIL = Symbol("fail");
type Value = unknown;
const textDecoder = new TextDecoder("utf-8");
const HEX_PAYLOAD = /^[0-9a-fA-F]*$/;
const TOPIC = /^0x[0-9a-fA-F]{64}$/;
const ZERO_WORD = "0".repeat(64);
const ONE_WORD = `${"0".repeat(63)}1`;

/** Reads one static value at word `at` of `hex` (no 0x), as the answer writes it; FAIL where the fast decoder fails. */
type StaticReader = (hex: string, at: number) => Value | typeof FAIL;

/** Words of a static parameter the readers handle, or undefined (dynamic, signed, or unnamed tuple members). */
function staticWords(param: AbiParameter): number | undefined {
  if (/^u?int\d*$/.test(param.type)) return param.type.startsWith("int") ? undefined : 1;
  if (param.type === "bool" || param.type === "address" || /^bytes\d+$/.test(param.type)) return 1;
  if (param.type === "tuple") {
    let words = 0;
    for (const component of (param as { components: readonly AbiParameter[] }).components) {
      const inner = staticWords(component);
      if (inner === undefined || !component.name) return undefined;
      words += inner;
    }
    return words;
  }
  return undefined;
}

function word(hex: string, at: number): string | undefined {
  const start = at * 64;
  return start + 64 <= hex.length ? hex.slice(start, start + 64) : undefined;
}

/** A reader of a static parameter: uint up to 48 bits a number, wider ones decimal text, as eventAnswer writes them. */
function staticReader(param: AbiParameter): StaticReader {
  const type = param.type;
  if (type.startsWith("uint")) {
    const bits = type === "uint" ? 256 : Number(type.slice(4));
    if (bits <= 48) {
      return (hex, at) => {
        const w = word(hex, at);
        return w === undefined ? FAIL : Number(BigInt(`0x${w}`));
      };
    }
    return (hex, at) => {
      const w = word(hex, at);
      return w === undefined ? FAIL : BigInt(`0x${w}`).toString();
    };
  }
  if (type === "bool") {
    return (hex, at) => {
      const w = word(hex, at);
      return w === ZERO_WORD ? false : w === ONE_WORD ? true : FAIL;
    };
  }
  if (type === "address") {
    return (hex, at) => {
      const w = word(hex, at);
      return w === undefined ? FAIL : `0x${w.slice(24).toLowerCase()}`;
    };
  }
  if (type.startsWith("bytes")) {
    const chars = Number(type.slice(5)) * 2;
    return (hex, at) => {
      const w = word(hex, at);
      return w === undefined ? FAIL : `0x${w.slice(0, chars).toLowerCase()}`;
    };
  }
  if (type === "tuple") {
    const components = (param as { components: readonly AbiParameter[] }).components;
    const readers = components.map((component) => ({
      name: component.name!,
      read: staticReader(component),
      words: staticWords(component)!,
    }));
    return (hex, at) => {
      const out: Record<string, Value> = {};
      let offset = at;
      for (const { name, read, words } of readers) {
        const value = read(hex, offset);
        if (value === FAIL) return FAIL;
        out[name] = value;
        offset += words;
      }
      return out;
    };
  }
  return () => FAIL;
}

function wordNumber(hex: string, at: number): number | undefined {
  const w = word(hex, at);
  if (w === undefined || !w.startsWith("000000000000000000000000000000000000000000000000")) return undefined;
  return Number.parseInt(w.slice(48), 16);
}

/** A reader of a dynamic parameter (string, or an array of static elements) from its head word. */
function dynamicReader(param: AbiParameter): StaticReader | undefined {
  const isString = param.type === "string";
  let element: { read: StaticReader; words: number } | undefined;
  if (!isString) {
    const match = /^(.*)\[\]$/.exec(param.type);
    if (!match) return undefined;
    const inner = { ...param, type: match[1]! } as AbiParameter;
    const words = staticWords(inner);
    if (words === undefined) return undefined;
    element = { read: staticReader(inner), words };
  }
  return (hex, head) => {
    const offset = wordNumber(hex, head);
    if (offset === undefined || offset % 32 !== 0) return FAIL;
    const start = offset / 32;
    const length = wordNumber(hex, start);
    if (length === undefined) return FAIL;
    if (isString) {
      const from = (start + 1) * 64;
      const body = hex.slice(from, from + length * 2);
      if (body.length !== length * 2) return FAIL;
      return textDecoder.decode(Buffer.from(body, "hex"));
    }
    const out: Value[] = [];
    for (let i = 0; i < length; i++) {
      const value = element!.read(hex, start + 1 + i * element!.words);
      if (value === FAIL) return FAIL;
      out.push(value);
    }
    return out;
  };
}

type FieldReader = { name: string; read: StaticReader; topic: number | undefined; head: number; stamp: boolean };
type Compiled = { fields: FieldReader[]; topics: number; data: boolean } | undefined;

/** An event kind's readers, in ABI input order (the answer's key order); undefined: every event goes to eventAnswer. */
function compile(item: AbiEvent): Compiled {
  const fields: FieldReader[] = [];
  let topic = 1;
  let head = 0;
  let others = 0;
  for (const input of item.inputs) {
    if (!input.name) return undefined;
    const words = staticWords(input);
    const stamp = input.name === "stamp" && input.type === "tuple";
    if (input.indexed) {
      if (words !== 1) return undefined;
      fields.push({ name: input.name, read: staticReader(input), topic: topic++, head: 0, stamp });
      continue;
    }
    const read = words === undefined ? dynamicReader(input) : staticReader(input);
    if (read === undefined) return undefined;
    fields.push({ name: input.name, read, topic: undefined, head, stamp });
    head += words ?? 1;
    others += 1;
  }
  return { fields, topics: topic, data: others > 0 };
}

const compiled = new Map<string, Compiled>();

function compiledFor(selector: string): Compiled {
  let entry = compiled.get(selector);
  if (entry === undefined && !compiled.has(selector)) {
    const abi = eventAbiFor(selector as Hex);
    entry = abi ? compile(abi[0]) : undefined;
    compiled.set(selector, entry);
  }
  return entry;
}

/** The columns an export row needs (the events' columns the answer names, and the block time). */
export type ActivityRow = {
  block_number: unknown;
  log_index: unknown;
  block_hash: string;
  transaction_hash: string;
  transaction_index?: unknown;
  address: string;
  event_name: string;
  topics: string;
  data: string;
  ledger_sequence?: unknown;
  ledger_head?: unknown;
  timestamp: unknown;
};

/** The row's `EventAnswer`: the compiled readers, or `eventAnswer` for whatever they do not take. */
export function exportEventAnswer(row: ActivityRow): EventAnswer {
  const topics = row.topics === "" ? [] : row.topics.split(",");
  const selector = topics[0];
  const program = selector === undefined ? undefined : compiledFor(selector.toLowerCase());
  if (program !== undefined && topics.length === program.topics) {
    const hex = row.data.slice(2);
    if ((!program.data || hex.length > 0) && HEX_PAYLOAD.test(hex)) {
      const args: Record<string, unknown> = {};
      let stamp: StampAnswer | null = null;
      let ok = true;
      for (const field of program.fields) {
        let value: Value | typeof FAIL;
        if (field.topic === undefined) value = field.read(hex, field.head);
        else {
          const topic = topics[field.topic]!;
          value = TOPIC.test(topic) ? field.read(topic.slice(2), 0) : FAIL;
        }
        if (value === FAIL) {
          ok = false;
          break;
        }
        if (field.stamp) stamp = value as StampAnswer;
        else args[field.name] = value;
      }
      if (ok) {
        return {
          name: row.event_name,
          blockNumber: String(row.block_number),
          blockHash: row.block_hash.toLowerCase() as Hex,
          logIndex: Number(row.log_index),
          transactionHash: row.transaction_hash.toLowerCase() as Hex,
          address: row.address.toLowerCase() as Hex,
          time: String(row.timestamp),
          args,
          stamp,
        };
      }
    }
  }
  return eventAnswer(
    storedEventFromRow({ transaction_index: 0, ledger_sequence: null, ledger_head: null, ...row }),
    BigInt(row.timestamp as bigint),
  );
}

export type ActivityParams = {
  org: number;
  /** Block time, unix seconds: [from, to). */
  from?: bigint;
  to?: bigint;
  after?: EventPosition;
  /** At most this many events in all. */
  limit: number;
  /** Rows per statement (default 5,000). */
  batch?: number;
};

/** What `iterateActivity` ends with: whether events beyond `limit` exist, and the last one given. */
export type ActivityEnd = { more: boolean; last?: EventPosition };

/**
 * The organisation's events in [from, to) after `after`, oldest first, in pages of at most `batch`, up to `limit`:
 * keyset pages on `event_orgs (org_id, block_number, log_index)`, all in the caller's snapshot `db` (so the pages
 * are one state however the indexer writes meanwhile). The generator's return value says whether more follow.
 */
export async function* iterateActivity(
  db: Kysely<StoreTables>,
  params: ActivityParams,
): AsyncGenerator<EventAnswer[], ActivityEnd, undefined> {
  const batch = params.batch ?? 5_000;
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`batch ${batch} is not a positive integer`);
  const fromBlock = params.from === undefined ? undefined : await firstBlockAtOrAfter(db, params.from);
  if (params.from !== undefined && fromBlock === undefined) return { more: false };
  const toBlock = params.to === undefined ? undefined : await firstBlockAtOrAfter(db, params.to);
  if (toBlock !== undefined && fromBlock !== undefined && toBlock <= fromBlock) return { more: false };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the store's tables, typed loosely at the query edge
  const loose = db as unknown as Kysely<any>;
  let after = params.after;
  let left = params.limit;
  let last: EventPosition | undefined;
  for (;;) {
    const take = Math.min(batch, left);
    let query = loose
      .selectFrom("event_orgs as d")
      .innerJoin("events as e", (join) =>
        join.onRef("e.block_number", "=", "d.block_number").onRef("e.log_index", "=", "d.log_index"),
      )
      .innerJoin("blocks as b", "b.number", "e.block_number")
      .select([
        "e.block_number",
        "e.log_index",
        "e.block_hash",
        "e.transaction_hash",
        "e.address",
        "e.event_name",
        "e.topics",
        "e.data",
        "b.timestamp",
      ])
      .where("d.org_id", "=", params.org);
    if (fromBlock !== undefined) query = query.where("d.block_number", ">=", fromBlock);
    if (toBlock !== undefined) query = query.where("d.block_number", "<=", toBlock - 1n);
    if (after !== undefined) {
      const { block, logIndex } = after;
      // The plain bound first: an OR alone is no index range bound (as queryEvents).
      query = query
        .where("d.block_number", ">=", block)
        .where((eb) =>
          eb.or([
            eb("d.block_number", ">", block),
            eb.and([eb("d.block_number", "=", block), eb("d.log_index", ">", logIndex)]),
          ]),
        );
    }
    // One row more than is taken when this is the last page: whether the export has more than `limit`.
    const rows = (await query
      .orderBy("d.block_number")
      .orderBy("d.log_index")
      .limit(take + (take === left ? 1 : 0))
      .execute()) as ActivityRow[];
    const page: EventAnswer[] = [];
    const count = Math.min(rows.length, take);
    for (let i = 0; i < count; i++) page.push(exportEventAnswer(rows[i]!));
    if (count > 0) {
      const end = rows[count - 1]!;
      last = { block: BigInt(end.block_number as bigint), logIndex: Number(end.log_index) };
      yield page;
    }
    left -= count;
    if (rows.length > count) return { more: true, last };
    if (count < take || left === 0) return { more: false, last };
    after = last;
  }
}
