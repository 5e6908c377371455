/**
 * The store's schema, as versioned migrations in code (Kysely's `Migrator` applies them in name order and records
 * them in `kysely_migration`). A migration, once released, never changes: a new column or table is a new migration.
 * Column types follow codec.ts; the one difference between the dialects is the collation of text keys (PostgreSQL's
 * default collation depends on the server's locale, so keys are `COLLATE "C"` there, which is SQLite's BINARY), so
 * that `ORDER BY` gives the same order, and the same dump, in both.
 */
import { sql, type Kysely, type Migration } from "kysely";
import { tableSpecs, type TableSpec } from "./codec";
import type { StoreDialect } from "./types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the database as it is at their time
type AnyDb = Kysely<any>;

function types(dialect: StoreDialect) {
  return {
    key: dialect === "postgres" ? sql`text collate "C"` : sql`text`,
    text: sql`text`,
    int: sql`integer`,
    big: sql`bigint`,
  };
}

const columnType = { int: "int", time: "big", u64: "key", hex: "key", text: "text", bool: "int" } as const;

async function createProjectionTable(db: AnyDb, dialect: StoreDialect, spec: TableSpec): Promise<void> {
  const t = types(dialect);
  let table = db.schema.createTable(spec.sqlName);
  for (const [, column, kind] of spec.fields) {
    const type = kind in columnType ? t[columnType[kind as keyof typeof columnType]] : t.text;
    table = table.addColumn(column, type, (c) => c.notNull());
  }
  table = table.addPrimaryKeyConstraint(`${spec.sqlName}_pk`, spec.key.map(([, column]) => column) as never[]);
  await table.execute();
}

/** The indexes the query API filters on (and the query tables' for rollbacks). */
const projectionIndexes: readonly (readonly [table: string, columns: readonly string[]])[] = [
  ["organizations", ["jurisdiction"]],
  ["organizations", ["status"]],
  ["operators", ["org_id"]],
  ["records", ["owner_org"]],
  ["records", ["data_class"]],
  ["records", ["registrant"]],
  ["records", ["superseded_by"]],
  ["grants", ["grantee_org"]],
  ["grants", ["grantor_org"]],
  ["grants", ["status"]],
  ["grants", ["grant_id"]],
  ["offers", ["fingerprint"]],
  ["offers", ["from_org"]],
  ["offers", ["to_org"]],
  ["offers", ["status"]],
  ["batches", ["org"]],
  // The query API's: events by kind, lineage downwards, and each query table by block (a rollback deletes by it).
  ["events", ["event_name", "block_number", "log_index"]],
  ["lineage_edges", ["parent"]],
  ["lineage_edges", ["block_number"]],
  ["record_trail", ["block_number"]],
  ["event_orgs", ["block_number"]],
];

function initial(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable("identity")
        .addColumn("id", t.int, (c) => c.primaryKey())
        .addColumn("schema_version", t.int, (c) => c.notNull())
        .addColumn("chain_id", t.big, (c) => c.notNull())
        .addColumn("registry", t.key, (c) => c.notNull())
        .addColumn("ledger", t.key, (c) => c.notNull())
        .addColumn("rights", t.key, (c) => c.notNull())
        .addColumn("deployment_block", t.big, (c) => c.notNull())
        .addColumn("deployment_block_hash", t.key, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("blocks")
        .addColumn("number", t.big, (c) => c.primaryKey())
        .addColumn("hash", t.key, (c) => c.notNull())
        .addColumn("parent_hash", t.key, (c) => c.notNull())
        .addColumn("timestamp", t.big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("events")
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("log_index", t.int, (c) => c.notNull())
        .addColumn("block_hash", t.key, (c) => c.notNull())
        .addColumn("transaction_hash", t.key, (c) => c.notNull())
        .addColumn("transaction_index", t.int, (c) => c.notNull())
        .addColumn("address", t.key, (c) => c.notNull())
        .addColumn("event_name", t.key, (c) => c.notNull())
        .addColumn("topics", t.text, (c) => c.notNull())
        .addColumn("data", t.text, (c) => c.notNull())
        .addColumn("ledger_sequence", t.big, (c) => c.unique())
        .addColumn("ledger_head", t.key)
        .addPrimaryKeyConstraint("events_pk", ["block_number", "log_index"])
        .execute();
      await db.schema.createIndex("events_transaction_hash").on("events").column("transaction_hash").execute();
      await db.schema
        .createTable("checkpoint")
        .addColumn("id", t.int, (c) => c.primaryKey())
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("block_hash", t.key, (c) => c.notNull())
        .addColumn("ledger_sequence", t.big, (c) => c.notNull())
        .addColumn("ledger_head", t.key, (c) => c.notNull())
        .addColumn("event_count", t.big, (c) => c.notNull())
        .addColumn("digest", t.key, (c) => c.notNull())
        .execute();
      // The old value of every projection row an unfinalized block changed (null: the row did not exist), keyed by
      // the block and the row, so that its first change in a block wins; one row with an empty table name marks a
      // block as journaled (a rollback past a block without it rebuilds the projection instead).
      await db.schema
        .createTable("journal")
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("seq", t.int, (c) => c.notNull())
        .addColumn("table_name", t.key, (c) => c.notNull())
        .addColumn("key", t.key, (c) => c.notNull())
        .addColumn("old_value", t.text)
        .addPrimaryKeyConstraint("journal_pk", ["block_number", "table_name", "key"])
        .execute();
      // The query API's tables (queryTables.ts): rows derived from each event, each with the block it came from.
      await db.schema
        .createTable("record_trail")
        .addColumn("fingerprint", t.key, (c) => c.notNull())
        .addColumn("position", t.big, (c) => c.notNull())
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("log_index", t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint("record_trail_pk", ["fingerprint", "position"])
        .execute();
      await db.schema
        .createTable("event_orgs")
        .addColumn("org_id", t.int, (c) => c.notNull())
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("log_index", t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint("event_orgs_pk", ["org_id", "block_number", "log_index"])
        .execute();
      await db.schema
        .createTable("lineage_edges")
        .addColumn("child", t.key, (c) => c.notNull())
        .addColumn("parent", t.key, (c) => c.notNull())
        .addColumn("relation", t.int, (c) => c.notNull())
        .addColumn("grant_id", t.key, (c) => c.notNull())
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addPrimaryKeyConstraint("lineage_edges_pk", ["child", "parent"])
        .execute();
      for (const spec of Object.values(tableSpecs)) await createProjectionTable(db, dialect, spec);
      for (const [table, columns] of projectionIndexes) {
        await db.schema
          .createIndex(`${table}_${columns.join("_")}`)
          .on(table)
          .columns([...columns])
          .execute();
      }
    },
  };
}

/**
 * 002: `record_trail` carries each entry as the SDK computes it (queryTables.ts), so that a trail page is one key
 * range without a join to `events` or hashing per request; indexed by (fingerprint, action) for a record's customs
 * decisions. SQLite keeps it WITHOUT ROWID: the rows live in the primary key's b-tree, one search per page. The table
 * is recreated empty; the store's `migrate` derives it again from the stored events in the same run.
 */
function trailEntries(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.dropTable("record_trail").execute();
      let table = db.schema
        .createTable("record_trail")
        .addColumn("fingerprint", t.key, (c) => c.notNull())
        .addColumn("position", t.big, (c) => c.notNull())
        .addColumn("block_number", t.big, (c) => c.notNull())
        .addColumn("log_index", t.int, (c) => c.notNull())
        .addColumn("event_name", t.key, (c) => c.notNull())
        .addColumn("action", t.int, (c) => c.notNull())
        .addColumn("actor", t.key, (c) => c.notNull())
        .addColumn("time", t.big, (c) => c.notNull())
        .addColumn("payload_hash", t.key, (c) => c.notNull())
        .addColumn("record_head", t.key, (c) => c.notNull())
        .addColumn("ledger_sequence", t.big, (c) => c.notNull())
        .addColumn("ledger_head", t.key, (c) => c.notNull())
        .addColumn("block_hash", t.key, (c) => c.notNull())
        .addColumn("transaction_hash", t.key, (c) => c.notNull())
        .addPrimaryKeyConstraint("record_trail_pk", ["fingerprint", "position"]);
      if (dialect === "sqlite") table = table.modifyEnd(sql`without rowid`);
      await table.execute();
      await db.schema.createIndex("record_trail_block_number").on("record_trail").column("block_number").execute();
      await db.schema
        .createIndex("record_trail_fingerprint_action")
        .on("record_trail")
        .columns(["fingerprint", "action"])
        .execute();
    },
  };
}

/** The migrations that recreate query tables empty: after one, `migrate` rebuilds them from the stored events. */
export const QUERY_TABLE_MIGRATIONS: ReadonlySet<string> = new Set(["002_trail_entries"]);

/** Every migration this code knows, by name (applied in name order). */
export function migrations(dialect: StoreDialect): Record<string, Migration> {
  return { "001_initial": initial(dialect), "002_trail_entries": trailEntries(dialect) };
}
