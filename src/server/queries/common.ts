/**
 * What every query shares: one read-only snapshot per request with its anchor, opaque page cursors, and the small
 * conversions from stored columns to the wire (u64 text to decimal, codes to names).
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import { zeroHash, type Hex } from "viem";
import { readAnchor, type Anchor, type StoreReader, type StoreTables } from "../../indexer/store";
import { Action, Relation } from "../../sdk";
import { ApiError, notIndexed } from "../errors";

export type Db = Kysely<StoreTables>;

/**
 * Runs `fn` in one snapshot of the store with the snapshot's anchor, so that every row an answer shows and the
 * block it names are the same state. 503 NotIndexed before the first checkpoint.
 */
export function inSnapshot<T>(reader: StoreReader, fn: (db: Db, anchor: Anchor) => Promise<T>): Promise<T> {
  return reader.read(async (db) => {
    const anchor = await readAnchor(db);
    if (!anchor) throw notIndexed();
    return fn(db, anchor);
  });
}

/** A cursor: base64url of a small JSON object naming the route's kind and where the next page starts. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** 400 InvalidCursor: `cursor` (shortened) and why it was refused. */
export function invalidCursor(cursor: string, why: string): ApiError {
  return new ApiError(
    "InvalidCursor",
    `cursor ${JSON.stringify(cursor.length > 80 ? `${cursor.slice(0, 80)}...` : cursor)} ${why}`,
    "pass the `next` of the previous page unchanged, or leave `cursor` out to start from the first page",
  );
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The cursor's object, checked to be of `kind` and to have the fields `shape` names (with their JSON types); any
 * other text is 400 InvalidCursor, never a query with garbage in it.
 */
export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  kind: string,
  shape: { readonly [K in keyof T]: "string" | "number" },
): T {
  const invalid = (why: string) => invalidCursor(cursor, why);
  if (!BASE64URL.test(cursor)) throw invalid("is not base64url");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("does not decode to JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("is not a cursor");
  const object = value as Record<string, unknown>;
  if (object.k !== kind) throw invalid(`is not a cursor of this route (${kind})`);
  for (const [field, type] of Object.entries(shape)) {
    const item = object[field];
    if (typeof item !== type || (type === "number" && !(Number.isSafeInteger(item) && (item as number) >= 0))) {
      throw invalid(`has no valid ${field}`);
    }
  }
  return object as T;
}

/** A stored u64 (zero-padded decimal text, or a number from a driver) as wire decimal. */
export function decimal(value: unknown): string {
  return BigInt(value as string).toString();
}

/** The fingerprint as stored: lower case. */
export function storedHex(hex: string): Hex {
  return hex.toLowerCase() as Hex;
}

export const relationName = (relation: number): "derived-from" | "revision-of" =>
  relation === Relation.REVISION_OF ? "revision-of" : "derived-from";

const actionWords: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(Action)) names[value] = name.toLowerCase().replace(/_/g, " ");
  return names;
})();

/** A trail action in words (`grant issued`). */
export function actionName(action: number): string {
  return actionWords[action] ?? `action ${action}`;
}

export type RecordStatus = "current" | "superseded" | "withdrawn" | "frozen";

/** The first that applies of withdrawn, frozen, superseded, current. */
export function recordStatus(record: { withdrawn: boolean; frozen: boolean; supersededBy: Hex }): RecordStatus {
  if (record.withdrawn) return "withdrawn";
  if (record.frozen) return "frozen";
  if (record.supersededBy !== zeroHash) return "superseded";
  return "current";
}

/** Splits `values` into chunks for `IN (...)` lists (SQLite allows 32,766 parameters a statement, pg 65,535). */
export function chunks<T>(values: readonly T[], size = 5_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * `column` is one of `values`, as one bound parameter whatever their number (a JSON array in SQLite, a text[] in
 * PostgreSQL): one SQL text per query shape, so statements are prepared once, and no builder node per value (an
 * `IN (?, ?, ...)` of thousands cost more to build and prepare than to run).
 */
export function memberOf(db: Db, column: string, values: readonly string[]): RawBuilder<SqlBool> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<SqlBool>`${sql.ref(column)} = any(${[...values]}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
