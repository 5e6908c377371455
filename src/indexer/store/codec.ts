/**
 * How each value is written to a column and read back, the same for SQLite and PostgreSQL:
 *
 * - `int`: uint8/uint32 fields (organisation ids, roles, statuses, classes) as INTEGER.
 * - `time`: block numbers and block times as BIGINT: they fit a signed 64-bit integer, sort as numbers and are what
 *   range queries compare (`block_number > ?`).
 * - `u64`: the contracts' uint64 values (grant and offer ids, trail lengths, leaf counts, expiries) as TEXT, decimal,
 *   zero-padded to 20 digits. A uint64 can exceed a signed BIGINT (PostgreSQL refuses it, SQLite turns a larger
 *   NUMERIC into a lossy REAL), while fixed-width digits round-trip exactly and sort as numbers in both.
 * - `hex`: hashes, addresses and bytes8 as lower-case TEXT, so that a checksummed and a lower-case account match.
 * - `bool`: INTEGER 0/1 (one type in both databases).
 * - nested arrays (parents, findings, delivery reports): JSON TEXT, bigints in it as decimal strings.
 *
 * Reads accept what either driver returns (better-sqlite3 with safe integers gives bigint, pg gives int8 as string).
 * Each table also has a canonical JSON form (bigints as decimal strings, hex lower case) for dumps and the journal.
 */
import type { Hex } from "viem";
import { memoryKey, type TableKey, type TableName, type TableValue } from "../projection";

type Kind = "int" | "time" | "u64" | "hex" | "text" | "bool" | "parents" | "hexList" | "reports";
type Field = readonly [prop: string, column: string, kind: Kind];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Row = Record<string, unknown>;

const U64_DIGITS = 20;

/** uint64 as fixed-width decimal text (see above). */
export function u64Text(value: bigint): string {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`${value} is not a uint64`);
  return value.toString().padStart(U64_DIGITS, "0");
}

const lower = (value: unknown) => String(value).toLowerCase();

const toColumn: Record<Kind, (value: unknown) => unknown> = {
  int: (v) => Number(v),
  time: (v) => BigInt(v as bigint),
  u64: (v) => u64Text(BigInt(v as bigint)),
  hex: lower,
  text: (v) => String(v),
  bool: (v) => (v ? 1 : 0),
  parents: (v) => JSON.stringify(kindToJson.parents(v)),
  hexList: (v) => JSON.stringify(kindToJson.hexList(v)),
  reports: (v) => JSON.stringify(kindToJson.reports(v)),
};

const kindToJson: Record<Kind, (value: unknown) => Json> = {
  int: (v) => Number(v),
  time: (v) => String(v),
  u64: (v) => String(v),
  hex: lower,
  text: (v) => String(v),
  bool: (v) => Boolean(v),
  parents: (v) =>
    (v as { fingerprint: Hex; relation: number; grantId: bigint }[]).map((p) => ({
      fingerprint: lower(p.fingerprint),
      relation: Number(p.relation),
      grantId: String(p.grantId),
    })),
  hexList: (v) => (v as Hex[]).map(lower),
  reports: (v) =>
    (v as { receivedFingerprint: Hex; matches: boolean }[]).map((r) => ({
      receivedFingerprint: lower(r.receivedFingerprint),
      matches: Boolean(r.matches),
    })),
};

const kindFromJson: Record<Kind, (value: Json) => unknown> = {
  int: (v) => Number(v),
  time: (v) => BigInt(v as string),
  u64: (v) => BigInt(v as string),
  hex: (v) => v,
  text: (v) => v,
  bool: (v) => Boolean(v),
  parents: (v) =>
    (v as { fingerprint: Hex; relation: number; grantId: string }[]).map((p) => ({
      fingerprint: p.fingerprint,
      relation: p.relation,
      grantId: BigInt(p.grantId),
    })),
  hexList: (v) => v,
  reports: (v) => v,
};

const fromColumn: Record<Kind, (value: unknown) => unknown> = {
  int: (v) => Number(v),
  time: (v) => BigInt(v as bigint),
  u64: (v) => BigInt(String(v)),
  hex: (v) => v,
  text: (v) => v,
  bool: (v) => Number(v) === 1,
  parents: (v) => kindFromJson.parents(JSON.parse(String(v)) as Json),
  hexList: (v) => JSON.parse(String(v)),
  reports: (v) => JSON.parse(String(v)),
};

/** One projection table: its SQL name, key fields and columns. Scalar tables (operators, class rules) hold a number. */
export type TableSpec = {
  readonly name: TableName;
  readonly sqlName: string;
  readonly key: readonly Field[];
  /** Every column, key first, in the order the migration creates them. */
  readonly fields: readonly Field[];
  /** For a table whose value is one number: its field. */
  readonly scalar?: Field;
};

function objectTable(name: TableName, sqlName: string, keyProps: readonly string[], fields: readonly Field[]) {
  const key = keyProps.map((prop) => fields.find((field) => field[0] === prop)!);
  return { name, sqlName, key, fields } satisfies TableSpec;
}

export const tableSpecs: { readonly [T in TableName]: TableSpec } = {
  organizations: objectTable(
    "organizations",
    "organizations",
    ["id"],
    [
      ["id", "id", "int"],
      ["name", "name", "text"],
      ["metadataHash", "metadata_hash", "hex"],
      ["jurisdiction", "jurisdiction", "hex"],
      ["roles", "roles", "int"],
      ["status", "status", "int"],
      ["operatorCount", "operator_count", "int"],
      ["registeredAt", "registered_at", "time"],
    ],
  ),
  operators: {
    name: "operators",
    sqlName: "operators",
    key: [["account", "account", "hex"]],
    fields: [
      ["account", "account", "hex"],
      ["orgId", "org_id", "int"],
    ],
    scalar: ["orgId", "org_id", "int"],
  },
  records: objectTable(
    "records",
    "records",
    ["fingerprint"],
    [
      ["fingerprint", "fingerprint", "hex"],
      ["ownerOrg", "owner_org", "int"],
      ["registrant", "registrant", "hex"],
      ["scheme", "scheme", "int"],
      ["dataClass", "data_class", "int"],
      ["metadataHash", "metadata_hash", "hex"],
      ["metadataURI", "metadata_uri", "text"],
      ["registeredAt", "registered_at", "time"],
      ["withdrawn", "withdrawn", "bool"],
      ["frozen", "frozen", "bool"],
      ["supersededBy", "superseded_by", "hex"],
      ["parents", "parents", "parents"],
      ["trailHead", "trail_head", "hex"],
      ["trailLength", "trail_length", "u64"],
      ["findings", "findings", "hexList"],
    ],
  ),
  grants: objectTable(
    "grants",
    "grants",
    ["fingerprint", "granteeOrg"],
    [
      ["fingerprint", "fingerprint", "hex"],
      ["granteeOrg", "grantee_org", "int"],
      ["grantId", "grant_id", "u64"],
      ["grantorOrg", "grantor_org", "int"],
      ["scopes", "scopes", "int"],
      ["status", "status", "int"],
      ["expiresAt", "expires_at", "u64"],
      ["issuedAt", "issued_at", "time"],
      ["exportJurisdiction", "export_jurisdiction", "hex"],
      ["purposeHash", "purpose_hash", "hex"],
    ],
  ),
  offers: objectTable(
    "offers",
    "offers",
    ["offerId"],
    [
      ["offerId", "offer_id", "u64"],
      ["fingerprint", "fingerprint", "hex"],
      ["fromOrg", "from_org", "int"],
      ["toOrg", "to_org", "int"],
      ["status", "status", "int"],
      ["offeredAt", "offered_at", "time"],
      ["expiresAt", "expires_at", "u64"],
      ["exportJurisdiction", "export_jurisdiction", "hex"],
      ["termsHash", "terms_hash", "hex"],
      ["acceptedAt", "accepted_at", "time"],
      ["deliveryReports", "delivery_reports", "reports"],
    ],
  ),
  classRules: {
    name: "classRules",
    sqlName: "class_rules",
    key: [["dataClass", "data_class", "int"]],
    fields: [
      ["dataClass", "data_class", "int"],
      ["rule", "rule", "int"],
    ],
    scalar: ["rule", "rule", "int"],
  },
  batches: objectTable(
    "batches",
    "batches",
    ["root"],
    [
      ["root", "root", "hex"],
      ["org", "org", "int"],
      ["registrant", "registrant", "hex"],
      ["leafCount", "leaf_count", "u64"],
      ["metadataHash", "metadata_hash", "hex"],
      ["metadataURI", "metadata_uri", "text"],
      ["anchoredAt", "anchored_at", "time"],
      ["trailHead", "trail_head", "hex"],
      ["trailLength", "trail_length", "u64"],
    ],
  ),
};

/** A table key as its parts (a grant's key is a pair; every other key is one value). */
function keyParts(spec: TableSpec, key: unknown): unknown[] {
  return spec.key.length > 1 ? [...(key as unknown[])] : [key];
}

/** The key's column values, as written to the database (also what the journal keeps of a key). */
export function keyColumns<T extends TableName>(spec: TableSpec, key: TableKey<T>): unknown[] {
  return keyParts(spec, key).map((part, i) => toColumn[spec.key[i]![2]](part));
}

/** The key back from its column values. */
export function keyFromColumns<T extends TableName>(spec: TableSpec, values: readonly unknown[]): TableKey<T> {
  const parts = values.map((value, i) => fromColumn[spec.key[i]![2]](value));
  return (spec.key.length > 1 ? parts : parts[0]) as TableKey<T>;
}

export function encodeRow<T extends TableName>(spec: TableSpec, key: TableKey<T>, value: TableValue<T>): Row {
  const row: Row = {};
  if (spec.scalar) {
    const [keyField] = spec.key;
    row[keyField![1]] = toColumn[keyField![2]](key);
    row[spec.scalar[1]] = toColumn[spec.scalar[2]](value);
    return row;
  }
  const object = value as Record<string, unknown>;
  for (const [prop, column, kind] of spec.fields) row[column] = toColumn[kind](object[prop]);
  return row;
}

export function decodeRow<T extends TableName>(spec: TableSpec, row: Row): { key: TableKey<T>; value: TableValue<T> } {
  const key = keyFromColumns<T>(
    spec,
    spec.key.map(([, column]) => row[column]),
  );
  if (spec.scalar) return { key, value: fromColumn[spec.scalar[2]](row[spec.scalar[1]]) as TableValue<T> };
  const value: Record<string, unknown> = {};
  for (const [prop, column, kind] of spec.fields) value[prop] = fromColumn[kind](row[column]);
  return { key, value: value as TableValue<T> };
}

/** The canonical JSON of a row: bigints as decimal strings, hex lower case, fields in a fixed order. */
export function rowToJson<T extends TableName>(spec: TableSpec, key: TableKey<T>, value: TableValue<T>): Json {
  const json: { [key: string]: Json } = {};
  if (spec.scalar) {
    const [keyField] = spec.key;
    json[keyField![0]] = kindToJson[keyField![2]](key);
    json[spec.scalar[0]] = kindToJson[spec.scalar[2]](value);
    return json;
  }
  const object = value as Record<string, unknown>;
  for (const [prop, , kind] of spec.fields) json[prop] = kindToJson[kind](object[prop]);
  return json;
}

export function rowFromJson<T extends TableName>(
  spec: TableSpec,
  json: Json,
): { key: TableKey<T>; value: TableValue<T> } {
  const object = json as { [key: string]: Json };
  const parts = spec.key.map(([prop, , kind]) => kindFromJson[kind](object[prop]!));
  const key = (spec.key.length > 1 ? parts : parts[0]) as TableKey<T>;
  if (spec.scalar) return { key, value: kindFromJson[spec.scalar[2]](object[spec.scalar[0]]!) as TableValue<T> };
  const value: Record<string, unknown> = {};
  for (const [prop, , kind] of spec.fields) value[prop] = kindFromJson[kind](object[prop]!);
  return { key, value: value as TableValue<T> };
}

/** The memory store's key of a row (lower-case hex), for the working set's Maps. */
export function workingKey<T extends TableName>(table: T, key: TableKey<T>): string {
  return `${String(memoryKey(table, key))}`;
}
