/**
 * REFERENCE, for tests only: the exports' first version (objects built, then serialised), kept unchanged so that a
 * test can check the fast writers of src/server/exports give the same bytes for the same input.
 */
/**
 * What both export formats share: reading the input's times and names, and the organisations and accounts an event
 * names. Pure functions; a malformed input (a bug in whoever filled it in, never a client's mistake: the routes
 * build it from the store) throws an `ExportInputError` that says which field was wrong.
 */
import type {
  ActivityExport,
  ExportEvent,
  ExportOrganization,
  JsonValue,
  LineageExport,
} from "../../../../src/server/exports/types";

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
 * package gives the same bytes (a test checks it) but builds the text piece by piece; one JSON.stringify over a
 * key-sorted copy writes one flat string, several times faster on 100,000-row exports and far lighter on the
 * garbage collector.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedCopy(value));
}

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
    return value;
  }
  if (Array.isArray(value)) return value.map(sortedCopy);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  // Keys that are array indices ("0", "12") would be listed first whatever the insertion order: none occur in the
  // exports (qualified names, event argument names), and a key that is one is refused rather than misordered.
  for (const key of keys) {
    if (isIndexKey(key)) throw new TypeError(`key "${key}" would not keep its canonical place`);
    copy[key] = sortedCopy(record[key]);
  }
  return copy;
}

function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(0|[1-9][0-9]*)$/.test(key);
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

/** Ids sorted as numbers, each once. */
export function sortedIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Checks the shape every renderer relies on, so that a wrong input fails loudly instead of exporting nonsense. */
export function checkLineage(lineage: LineageExport): void {
  if (!Array.isArray(lineage.nodes)) throw new ExportInputError("nodes is not an array", "nodes");
  if (!Array.isArray(lineage.edges)) throw new ExportInputError("edges is not an array", "edges");
}
