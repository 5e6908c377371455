/**
 * The projection of one range in memory: the rows its events name (`eventKeys`), loaded in a few batched queries,
 * with the handlers' writes over them, then written back as one upsert per table. This is what lets the synchronous
 * handlers run over a database (../projection/store.ts says why they are synchronous), and what makes a range
 * thousands of events a second: a few queries per range instead of one per read.
 */
import { CompiledQuery, type Kysely } from "kysely";
import {
  applyEvent,
  eventKeys,
  seedProjection,
  tableNames,
  type ProjectionKeys,
  type ProjectionStore,
  type TableKey,
  type TableName,
  type TableValue,
} from "../projection";
import type { ProvledgerEvent } from "../../sdk";
import type { StoredEvent } from "../types";
import { decodeRow, encodeRow, keyColumns, rowToJson, tableSpecs, workingKey, type Row, type TableSpec } from "./codec";
import { StoreError } from "./errors";
import type { StoreDialect } from "./types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are chosen at run time from `tableSpecs`
export type Db = Kysely<any>;

/** Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32), PostgreSQL's 65535. */
const MAX_PARAMETERS: Record<StoreDialect, number> = { sqlite: 32766, postgres: 65535 };
/** Grant keys per `(a = ? and b = ?) or ...` lookup: keeps the statement small for both planners. */
const PAIRS_PER_QUERY = 250;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const statements = new Map<string, string>();

/**
 * The text of a multi-row insert of `count` rows (with its `ON CONFLICT` clause, the same in both dialects), built
 * once per shape: the query builder would rebuild and recompile thousands of value nodes per chunk, which cost more
 * than the database's work. Run through Kysely like every other statement (its connection, its transaction).
 */
function insertText(
  dialect: StoreDialect,
  table: string,
  columns: readonly string[],
  count: number,
  onConflict?: { columns: readonly string[]; update?: readonly string[] },
): string {
  const shape = `${dialect}|${table}|${columns.join(",")}|${count}|${onConflict?.columns.join(",")}|${onConflict?.update?.join(",")}`;
  let text = statements.get(shape);
  if (text) return text;
  const id = (name: string) => `"${name}"`;
  let n = 0;
  const placeholder = dialect === "postgres" ? () => `$${++n}` : () => "?";
  const tuples: string[] = [];
  for (let i = 0; i < count; i++) tuples.push(`(${columns.map(placeholder).join(",")})`);
  text = `insert into ${id(table)} (${columns.map(id).join(",")}) values ${tuples.join(",")}`;
  if (onConflict) {
    const target = `on conflict (${onConflict.columns.map(id).join(",")})`;
    const update = onConflict.update ?? [];
    text +=
      update.length === 0
        ? ` ${target} do nothing`
        : ` ${target} do update set ${update.map((c) => `${id(c)} = excluded.${id(c)}`).join(", ")}`;
  }
  if (statements.size > 1_000) statements.clear();
  statements.set(shape, text);
  return text;
}

/** Inserts `rows` (all with the same columns) in as few statements as the dialect's parameter limit allows. */
export async function insertRows(
  db: Db,
  dialect: StoreDialect,
  table: string,
  rows: readonly Row[],
  onConflict?: { columns: readonly string[]; update?: readonly string[] },
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  for (const part of chunk(rows, Math.floor(MAX_PARAMETERS[dialect] / columns.length))) {
    const parameters: unknown[] = [];
    for (const row of part) for (const column of columns) parameters.push(row[column]);
    await db.executeQuery(CompiledQuery.raw(insertText(dialect, table, columns, part.length, onConflict), parameters));
  }
}

type Change = { key: unknown; value: unknown };
export type JournalRow = {
  block_number: bigint;
  seq: number;
  table_name: string;
  key: string;
  old_value: string | null;
};

/** A projection store over loaded rows: reads fall through to them, writes stay in memory until `flush`. */
export class WorkingSet implements ProjectionStore {
  private readonly loaded = new Map<TableName, Map<string, unknown>>(tableNames.map((t) => [t, new Map()]));
  private readonly changed = new Map<TableName, Map<string, Change>>(tableNames.map((t) => [t, new Map()]));
  /** The journal of the current block, when it is unfinalized. */
  private block: bigint | undefined;
  private journaling = false;
  private readonly journaledKeys = new Set<string>();
  readonly journal: JournalRow[] = [];

  /** Rows with every key a table's lookups returned (absent ones as undefined): known, so readable. */
  setLoaded(table: TableName, key: string, value: unknown): void {
    this.loaded.get(table)!.set(key, value);
  }

  startBlock(block: bigint, journal: boolean): void {
    this.block = block;
    this.journaling = journal;
  }

  get<T extends TableName>(table: T, key: TableKey<T>): TableValue<T> | undefined {
    const k = workingKey(table, key);
    const change = this.changed.get(table)!.get(k);
    if (change) return change.value as TableValue<T> | undefined;
    const loaded = this.loaded.get(table)!;
    if (loaded.has(k)) return loaded.get(k) as TableValue<T> | undefined;
    throw new StoreError("WorkingSetMiss", `a handler read ${table} row ${k}, which its event's keys did not name`, {
      details: "eventKeys in src/indexer/projection/keys.ts must name every row a handler reads; fix it there",
    });
  }

  put<T extends TableName>(table: T, key: TableKey<T>, value: TableValue<T>): void {
    this.write(table, key, value);
  }

  delete<T extends TableName>(table: T, key: TableKey<T>): void {
    this.write(table, key, undefined);
  }

  private write<T extends TableName>(table: T, key: TableKey<T>, value: TableValue<T> | undefined): void {
    const k = workingKey(table, key);
    if (this.journaling && this.block !== undefined) {
      const id = `${this.block}:${table}:${k}`;
      if (!this.journaledKeys.has(id)) {
        this.journaledKeys.add(id);
        const spec = tableSpecs[table];
        const old = this.get(table, key);
        this.journal.push({
          block_number: this.block,
          seq: this.journal.length + 1,
          table_name: spec.sqlName,
          key: JSON.stringify(keyColumns(spec, key)),
          old_value: old === undefined ? null : JSON.stringify(rowToJson(spec, key, old)),
        });
      }
    }
    this.changed.get(table)!.set(k, { key, value });
  }

  /** Writes every changed row: deletes, then one upsert per table. */
  async flush(db: Db, dialect: StoreDialect): Promise<void> {
    for (const table of tableNames) {
      const spec = tableSpecs[table];
      const puts: Row[] = [];
      const deletes: unknown[] = [];
      for (const { key, value } of this.changed.get(table)!.values()) {
        if (value === undefined) deletes.push(key);
        else puts.push(encodeRow(spec, key as never, value as never));
      }
      await deleteKeys(db, spec, deletes);
      const keys = spec.key.map(([, column]) => column);
      const others = spec.fields.map(([, column]) => column).filter((column) => !keys.includes(column));
      await insertRows(db, dialect, spec.sqlName, puts, { columns: keys, update: others });
    }
  }
}

/** Deletes rows by key (a grant's by its pair). */
export async function deleteKeys(db: Db, spec: TableSpec, keys: readonly unknown[]): Promise<void> {
  for (const part of chunk(keys, PAIRS_PER_QUERY)) {
    const values = part.map((key) => keyColumns(spec, key as never));
    await db
      .deleteFrom(spec.sqlName)
      .where((eb) => keyMatch(eb, spec, values))
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an expression builder over a run-time table
function keyMatch(eb: any, spec: TableSpec, values: unknown[][]) {
  if (spec.key.length === 1)
    return eb(
      spec.key[0]![1],
      "in",
      values.map((v) => v[0]),
    );
  return eb.or(values.map((v) => eb.and(spec.key.map(([, column], i) => eb(column, "=", v[i])))));
}

/** Loads the rows `keys` name into the working set (absent ones as known-absent). */
export async function loadKeys(db: Db, set: WorkingSet, keys: ProjectionKeys): Promise<void> {
  for (const table of tableNames) {
    const wanted = new Map<string, unknown>();
    for (const key of (keys[table] ?? []) as unknown[]) wanted.set(workingKey(table, key as never), key);
    if (wanted.size === 0) continue;
    const spec = tableSpecs[table];
    for (const k of wanted.keys()) set.setLoaded(table, k, undefined);
    const size = spec.key.length === 1 ? 5_000 : PAIRS_PER_QUERY;
    for (const part of chunk([...wanted.values()], size)) {
      const values = part.map((key) => keyColumns(spec, key as never));
      const rows = (await db
        .selectFrom(spec.sqlName)
        .selectAll()
        .where((eb) => keyMatch(eb, spec, values))
        .execute()) as Row[];
      for (const row of rows) {
        const { key, value } = decodeRow(spec, row);
        set.setLoaded(table, workingKey(table, key as never), value);
      }
    }
  }
}

/** The union of the rows the events name, per table. */
export function keysOf(events: readonly ProvledgerEvent[]): ProjectionKeys {
  const keys: { [T in TableName]?: unknown[] } = {};
  for (const event of events) {
    const named = eventKeys(event);
    for (const table of tableNames) {
      const list = named[table] as unknown[] | undefined;
      if (list) (keys[table] ??= []).push(...list);
    }
  }
  return keys as ProjectionKeys;
}

export type DecodedEvent = { readonly stored: StoredEvent; readonly decoded: ProvledgerEvent };

/**
 * Applies events in order over a working set loaded from `db`, journaling blocks from `journalFrom` on, and writes the
 * changes. Returns the journal rows (the caller writes them with its block markers).
 */
export async function applyEvents(
  db: Db,
  dialect: StoreDialect,
  events: readonly DecodedEvent[],
  timeOf: (block: bigint) => bigint,
  options: { journalFrom?: bigint } = {},
): Promise<JournalRow[]> {
  const set = new WorkingSet();
  await loadKeys(db, set, keysOf(events.map((e) => e.decoded)));
  for (const { stored, decoded } of events) {
    set.startBlock(stored.blockNumber, options.journalFrom !== undefined && stored.blockNumber >= options.journalFrom);
    applyEvent(set, decoded, timeOf(stored.blockNumber));
  }
  await set.flush(db, dialect);
  return set.journal;
}

/** Writes the state a deployment starts with (`seedProjection`: the default class rules) into an empty projection. */
export async function seedStore(db: Db, dialect: StoreDialect): Promise<void> {
  const set = new WorkingSet();
  seedProjection(set);
  await set.flush(db, dialect);
}
