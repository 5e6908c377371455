/**
 * What both export formats share: reading the input's times and names, and the organisations and accounts an event
 * names. Pure functions; a malformed input (a bug in whoever filled it in, never a client's mistake: the routes
 * build it from the store) throws an `ExportInputError` that says which field was wrong.
 */
import type { ActivityExport, ExportEvent, ExportOrganization, JsonValue, LineageExport } from "./types";

/** An export's input is not what the types promise (e.g. a time that is not unix seconds). */
export class ExportInputError extends Error {
  override readonly name = "ExportInputError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${message} (field ${field}); the route that filled in the export must pass the API's wire values`);
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
/** Date's range: +-8.64e15 ms. */
const MAX_SECONDS = 8_640_000_000_000;

/**
 * Unix seconds (a decimal string) or an ISO-8601 time as ISO-8601 UTC without fractions, `2026-12-02T03:04:05Z`: the
 * form xsd:dateTime, RFC 3339 and spreadsheets all read.
 */
export function isoTime(value: string, field: string): string {
  let millis: number;
  if (DECIMAL.test(value)) {
    const seconds = Number(value);
    if (seconds > MAX_SECONDS) throw new ExportInputError(`time ${value} is beyond the calendar`, field);
    millis = seconds * 1000;
  } else {
    millis = Date.parse(value);
    if (Number.isNaN(millis) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
      throw new ExportInputError(`"${value}" is neither unix seconds nor an ISO-8601 time`, field);
    }
  }
  const iso = new Date(millis).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** A decimal string for an integer field that may exceed 2^53. */
export function decimal(value: string, field: string): string {
  if (!DECIMAL.test(value)) throw new ExportInputError(`"${value}" is not a non-negative decimal integer`, field);
  return value;
}

/** Names by organisation id, from an export's `organizations` (later entries do not override earlier ones). */
export function organizationNames(
  organizations: readonly ExportOrganization[] | undefined,
  ...more: (ExportOrganization | undefined)[]
): Map<number, string> {
  const names = new Map<number, string>();
  for (const org of [...more, ...(organizations ?? [])]) {
    if (org !== undefined && typeof org.name === "string" && !names.has(org.id)) names.set(org.id, org.name);
  }
  return names;
}

/** The activity export's organisation as `{ id, name? }`. */
export function activityOrganization(activity: ActivityExport): ExportOrganization {
  return typeof activity.org === "number" ? { id: activity.org } : activity.org;
}

/**
 * The event arguments that are organisation ids: every `uint32` argument of a Provledger event (docs/api.md,
 * `event_orgs`). In the events' own order, so that exports list them as the ABI does.
 */
export const ORGANIZATION_ARGUMENTS: readonly string[] = [
  "orgId",
  "org",
  "ownerOrg",
  "grantorOrg",
  "granteeOrg",
  "fromOrg",
  "toOrg",
  "customsOrg",
  "inspectorOrg",
];

/** The event arguments that are accounts. `actor` (`registrant`, `by`) is the sender; `account` an operator. */
export const ACCOUNT_ARGUMENTS: readonly string[] = ["actor", "registrant", "by", "account"];

/** The sender of an event: `actor`, or `registrant` (registrations, batches), or `by` (operator changes). */
export function actorOf(event: ExportEvent): string | undefined {
  const { args } = event;
  for (const name of ["actor", "registrant", "by"]) {
    const value = args[name];
    if (typeof value === "string") return value.toLowerCase();
  }
  return undefined;
}

/**
 * For whom the sender acted, by event: the argument naming the organisation whose role the contract checked
 * (contracts/ProvenanceLedger.sol, DataRights.sol). Left out where the contract does not say: OwnershipTransferred
 * (sent by the buyer or by customs), the registry's governance events (sent by its administrator).
 */
export const ACTING_ORGANIZATION: Readonly<Record<string, string>> = {
  RecordRegistered: "ownerOrg",
  RecordSuperseded: "ownerOrg",
  RecordWithdrawn: "ownerOrg",
  BatchAnchored: "org",
  GrantIssued: "grantorOrg",
  GrantRevoked: "ownerOrg",
  GrantDecided: "customsOrg",
  TransferOffered: "fromOrg",
  TransferCancelled: "org",
  TransferAccepted: "toOrg",
  TransferDecided: "customsOrg",
  DeliveryReported: "toOrg",
  FindingAttached: "inspectorOrg",
  RecordFrozen: "inspectorOrg",
  RecordUnfrozen: "inspectorOrg",
};

/** The organisation ids an event names, as `[argument, id]` in ORGANIZATION_ARGUMENTS order. */
export function organizationsOf(event: ExportEvent): [string, number][] {
  const named: [string, number][] = [];
  for (const name of ORGANIZATION_ARGUMENTS) {
    const value = event.args[name];
    if (typeof value === "number") named.push([name, value]);
    else if (typeof value === "string" && DECIMAL.test(value)) named.push([name, Number(value)]);
  }
  return named;
}

/** What an event is about: a record's fingerprint, a batch root, an organisation id or a data class. */
export function subjectOf(event: ExportEvent): string {
  const { args } = event;
  for (const name of ["fingerprint", "root", "orgId", "dataClass"]) {
    const value: JsonValue | undefined = args[name];
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return "";
}

/**
 * A JSON value as canonical JSON (RFC 8785): object keys sorted by UTF-16 code units at every level, no whitespace,
 * strings and numbers as JSON.stringify writes them (which is what RFC 8785 prescribes for them). The `canonicalize`
 * package gives the same bytes (a test checks it) but builds the text piece by piece through generic code; this
 * writes the text in one pass with the native JSON.stringify for every string, and no copy of the value.
 */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value);
}

/** `canonicalJson` of one value (the writer behind it). */
export function canonicalValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let json = "[";
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          // As JSON.stringify: an array keeps its length, a hole or undefined is null.
          json += `${i === 0 ? "" : ","}${item === undefined || typeof item === "function" ? "null" : canonicalValue(item)}`;
        }
        return `${json}]`;
      }
      const record = value as Record<string, unknown>;
      let json = "{";
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (item === undefined || typeof item === "function") continue; // as JSON.stringify: no key at all
        // Keys that are array indices ("0", "12") would be listed first whatever the insertion order: none occur in
        // the exports (qualified names, event argument names), and a key that is one is refused rather than misordered.
        if (isIndexKey(key)) throw new TypeError(`key "${key}" would not keep its canonical place`);
        json += `${json.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalValue(item)}`;
      }
      return `${json}}`;
    }
    case "bigint":
      throw new TypeError("a bigint has no JSON form: the API writes them as decimal strings");
    default:
      throw new TypeError(`a ${typeof value} has no JSON form`);
  }
}

function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(0|[1-9][0-9]*)$/.test(key);
}

/** Sorted keys of the last arguments seen of each event name: events of one kind have the same keys in one order. */
const keyOrders = new Map<string, { keys: string[]; sorted: string[] }>();

/**
 * The keys of an event's arguments in code-unit order (canonical JSON's), remembered by event name: the decoder
 * writes one kind's arguments in one order, so the sort runs once a kind and an event of that kind only compares
 * its keys with the remembered ones.
 */
export function sortedKeys(eventName: string, args: { readonly [name: string]: unknown }): readonly string[] {
  const keys = Object.keys(args);
  const known = keyOrders.get(eventName);
  if (known !== undefined && known.keys.length === keys.length) {
    let same = true;
    for (let i = 0; i < keys.length && same; i++) same = keys[i] === known.keys[i];
    if (same) return known.sorted;
  }
  for (const key of keys) {
    if (isIndexKey(key)) throw new TypeError(`key "${key}" would not keep its canonical place`);
  }
  const sorted = [...keys].sort();
  if (keyOrders.size < 256) keyOrders.set(eventName, { keys, sorted });
  return sorted;
}

/**
 * `canonicalJson` for a flat record whose values are scalars, arrays of scalars, or objects whose keys are already
 * in order (the PROV typed literal `{ $, type }`): only the top level is sorted, and a record built in order is
 * written by JSON.stringify as it is. The PROV exports write a dozen of these per record.
 */
export function flatCanonicalJson(record: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  if (sorted && !keys.some(isIndexKey)) return JSON.stringify(record);
  const copy: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    if (isIndexKey(key)) throw new TypeError(`key "${key}" would not keep its canonical place`);
    copy[key] = record[key];
  }
  return JSON.stringify(copy);
}

/**
 * How much text a renderer gathers before it hands a chunk on: large enough that a chunk costs one socket write and
 * one UTF-8 encoding, small enough that the first rows leave while the rest are rendered.
 */
export const CHUNK_CHARS = 64 * 1024;

/** A renderer's output: the document's text in order, in chunks of about CHUNK_CHARS. */
export type TextChunks = Generator<string, void, undefined>;

/**
 * The chunks as one string. Concatenated as a rope (V8 flattens it once, when it is read), not joined: a join would
 * copy every chunk a second time.
 */
export function joinChunks(chunks: Iterable<string>): string {
  let text = "";
  for (const chunk of chunks) text += chunk;
  return text;
}

/** A renderer's output as the routes send it: the document's UTF-8 bytes in order, in chunks of about CHUNK_CHARS. */
export type ByteChunks = Generator<Buffer, void, undefined>;

/** Byte chunks as text chunks (what the string API gives): one UTF-8 decoding a chunk. */
export function* textOf(chunks: ByteChunks): TextChunks {
  for (const chunk of chunks) yield chunk.toString("utf8");
}

/**
 * A chunk written as UTF-8 into a Buffer as it is gathered, instead of kept as strings and joined: the text of a
 * large export then lives outside the JavaScript heap from the moment it is written (the collector neither copies
 * nor marks it), and what leaves for the socket is the Buffer itself, encoded once. `chars` counts UTF-16 code
 * units, so that a chunk is full at the same CHUNK_CHARS of text as the string writers'.
 */
export class ChunkBytes {
  private buffer = Buffer.allocUnsafe(2 * CHUNK_CHARS);
  private bytes = 0;
  private chars = 0;

  constructor(first = "") {
    if (first !== "") this.add(first);
  }

  private room(bytes: number): void {
    if (this.bytes + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.bytes + bytes));
    this.buffer.copy(bigger, 0, 0, this.bytes);
    this.buffer = bigger;
  }

  /** Adds text; true when the chunk is full and should be taken. */
  add(text: string): boolean {
    this.room(3 * text.length);
    this.bytes += this.buffer.write(text, this.bytes, "utf8");
    this.chars += text.length;
    return this.chars >= CHUNK_CHARS;
  }

  /** Adds bytes already encoded (`source[start, end)`, `chars` code units of text); true when the chunk is full. */
  addBytes(source: Buffer, start: number, end: number, chars: number): boolean {
    this.room(end - start);
    this.bytes += source.copy(this.buffer, this.bytes, start, end);
    this.chars += chars;
    return this.chars >= CHUNK_CHARS;
  }

  get empty(): boolean {
    return this.bytes === 0;
  }

  /** The chunk's length so far, in UTF-16 code units of its text. */
  get size(): number {
    return this.chars;
  }

  /** The chunk's bytes; starts the next chunk. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.bytes);
    this.buffer = Buffer.allocUnsafe(2 * CHUNK_CHARS);
    this.bytes = 0;
    this.chars = 0;
    return chunk;
  }
}

/** A string as a JSON string literal (JSON.stringify: native, and exactly RFC 8785's escaping). */
export const jsonString: (text: string) => string = JSON.stringify;

/** An integer as JSON: numbers come from the store; anything else is refused rather than written as null. */
export function jsonInteger(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new ExportInputError(`${String(value)} is not an integer`, field);
  return String(value);
}

const HEX32_PATTERN = /^0x[0-9a-fA-F]{64}$/;

/**
 * A 32-byte hex value (a fingerprint), lower case. The renderers write it into identifiers without escaping and
 * rely on every fingerprint having the same length for their key order, so anything else is refused.
 */
export function hex32(value: string, field: string): string {
  if (typeof value !== "string" || !HEX32_PATTERN.test(value)) {
    throw new ExportInputError(`${JSON.stringify(value)} is not a 32-byte 0x-hex value`, field);
  }
  return value.toLowerCase();
}

/** Strings in code-unit order (what RFC 8785 sorts keys by, and what `<` compares). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Ids sorted as numbers, each once. */
export function sortedIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Checks the shape every renderer relies on, so that a wrong input fails loudly instead of exporting nonsense. */
export function checkLineage(lineage: LineageExport): void {
  if (!Array.isArray(lineage.nodes)) throw new ExportInputError("nodes is not an array", "nodes");
  if (!Array.isArray(lineage.edges)) throw new ExportInputError("edges is not an array", "edges");
}
