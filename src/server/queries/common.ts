/**
 * What every query shares: one read-only snapshot per request with its anchor, opaque page cursors, and the small
 * conversions from stored columns to the wire (u64 text to decimal, codes to names).
 */
import { CompiledQuery, PostgresAdapter, sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
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

/** Whether the snapshot is PostgreSQL's (the queries that build JSON text in SQL differ by dialect). */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * `actionName` as a SQL expression over the integer column `column`: a CASE over the known actions, `action <n>`
 * otherwise (the same words as `actionName`, for answers whose JSON text the query builds).
 */
export function actionNameSql(column: RawBuilder<unknown>, postgres: boolean): RawBuilder<string> {
  const cases = actionWords.flatMap((word, action) =>
    word === undefined ? [] : [sql`when ${sql.lit(action)} then ${sql.lit(word)}`],
  );
  const fallback = postgres ? sql`'action ' || ${column}::text` : sql`'action ' || ${column}`;
  return sql<string>`(case ${column} ${sql.join(cases, sql` `)} else ${fallback} end)`;
}

/** Largest unix time SQL's date functions render as `isoTime` does (9999-12-31T23:59:59Z). */
export const SQL_ISO_MAX_TIME = 253_402_300_799n;

/**
 * `isoTime` of the integer unix seconds in `column` as a SQL expression, for times from 0 to `SQL_ISO_MAX_TIME`
 * (null otherwise: a caller that can meet other times checks them and renders those answers in JS).
 */
export function isoTimeSql(column: RawBuilder<unknown>, postgres: boolean): RawBuilder<string | null> {
  const inRange = sql`${column} between 0 and ${sql.lit(Number(SQL_ISO_MAX_TIME))}`;
  return postgres
    ? sql`(case when ${inRange} then to_char(to_timestamp(${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end)`
    : sql`(case when ${inRange} then strftime('%Y-%m-%dT%H:%M:%SZ', ${column}, 'unixepoch') end)`;
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

type CachedText = { sql: string; order: number[] };
const cachedTexts = new Map<string, CachedText>();

/**
 * Runs the raw query `build(param)` with `values` bound, building and compiling it only once per `name` and dialect:
 * a hot route's statement (a long SQL text with JSON construction) cost more to build and compile with Kysely on
 * every request than to run. `param(i)` stands for `values[i]` (a value may be used several times); the text is the
 * same for every call, so the SQLite reader's statement cache prepares it once.
 */
export async function executeCached<R>(
  db: Db,
  name: string,
  build: (param: (index: number) => RawBuilder<unknown>) => RawBuilder<R>,
  values: readonly unknown[],
): Promise<R[]> {
  const key = `${isPostgres(db) ? "postgres" : "sqlite"}:${name}`;
  let text = cachedTexts.get(key);
  if (!text) {
    const sentinels = values.map((_, i) => `\u0000param ${i}\u0000`);
    const compiled = build((i) => sql`${sentinels[i]}`).compile(db);
    const order = compiled.parameters.map((parameter) => sentinels.indexOf(parameter as string));
    if (order.some((index) => index < 0)) throw new Error(`query ${name}: a parameter is not one of its values`);
    text = { sql: compiled.sql, order };
    cachedTexts.set(key, text);
  }
  const parameters = text.order.map((index) => values[index]);
  return (await db.executeQuery<R>(CompiledQuery.raw(text.sql, parameters))).rows;
}
