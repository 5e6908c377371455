/**
 * Read-only access to a store for the query API: one consistent snapshot per answer, never a write.
 *
 * - SQLite: a connection of its own opened `readonly` (WAL mode lets it read while the indexer writes); `read` runs in
 *   `BEGIN` ... `COMMIT`, so every query of one answer sees the same committed state (a WAL snapshot). better-sqlite3
 *   has no statement timeout (SQLite's progress handler is not exposed), so the API bounds every query by its limits
 *   instead: page sizes, the lineage node cap, indexed lookups only.
 * - PostgreSQL: a pool; each connection starts with `default_transaction_isolation = 'repeatable read'`,
 *   `default_transaction_read_only = on` and `statement_timeout` (libpq options), and `read` runs in one transaction,
 *   so every answer is a snapshot, a slow query is cancelled by the server (StoreError `QueryTimeout`) and a write is
 *   refused by it.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { Kysely, SqliteDialect, sql, type Transaction } from "kysely";
import type { Hex } from "viem";
import type { TableName, TableValue } from "../projection";
import type { BlockRef, Checkpoint, StoredEvent } from "../types";
import { decodeRow, tableSpecs, type Row } from "./codec";
import { openDatabase } from "./connect";
import { StoreError } from "./errors";
import { blockFromRow, checkpointFromRow, eventFromRow } from "./store";
import type { StoreDialect } from "./types";

/** Column values as either driver returns them (better-sqlite3 with safe integers: bigint; pg's int8: string). */
type Big = bigint | number | string;
type Int = number | bigint;

/**
 * The store's tables for typed Kysely queries. Values are typed as the drivers return them; decode rows with
 * `projectionFromRow`, `storedEventFromRow`, `blockFromRow` and `checkpointFromRow` (codec.ts says how each column is
 * encoded: uint64 as zero-padded decimal text, hex lower case, nested lists as JSON text).
 */
export type StoreTables = {
  identity: {
    id: Int;
    schema_version: Int;
    chain_id: Big;
    registry: string;
    ledger: string;
    rights: string;
    deployment_block: Big;
    deployment_block_hash: string;
  };
  blocks: { number: Big; hash: string; parent_hash: string; timestamp: Big };
  events: {
    block_number: Big;
    log_index: Int;
    block_hash: string;
    transaction_hash: string;
    transaction_index: Int;
    address: string;
    event_name: string;
    topics: string;
    data: string;
    ledger_sequence: Big | null;
    ledger_head: string | null;
  };
  checkpoint: {
    id: Int;
    block_number: Big;
    block_hash: string;
    ledger_sequence: Big;
    ledger_head: string;
    event_count: Big;
    digest: string;
  };
  journal: { block_number: Big; seq: Int; table_name: string; key: string; old_value: string | null };
  record_trail: {
    fingerprint: string;
    position: Big;
    block_number: Big;
    log_index: Int;
    event_name: string;
    action: Int;
    actor: string;
    time: Big;
    payload_hash: string;
    record_head: string;
    ledger_sequence: Big;
    ledger_head: string;
    block_hash: string;
    transaction_hash: string;
  };
  event_orgs: { org_id: Int; block_number: Big; log_index: Int };
  lineage_edges: { child: string; parent: string; relation: Int; grant_id: string; block_number: Big };
  organizations: {
    id: Int;
    name: string;
    metadata_hash: string;
    jurisdiction: string;
    roles: Int;
    status: Int;
    operator_count: Int;
    registered_at: Big;
  };
  operators: { account: string; org_id: Int };
  records: {
    fingerprint: string;
    owner_org: Int;
    registrant: string;
    scheme: Int;
    data_class: Int;
    metadata_hash: string;
    metadata_uri: string;
    registered_at: Big;
    withdrawn: Int;
    frozen: Int;
    superseded_by: string;
    parents: string;
    trail_head: string;
    trail_length: string;
    findings: string;
  };
  grants: {
    fingerprint: string;
    grantee_org: Int;
    grant_id: string;
    grantor_org: Int;
    scopes: Int;
    status: Int;
    expires_at: string;
    issued_at: Big;
    export_jurisdiction: string;
    purpose_hash: string;
  };
  offers: {
    offer_id: string;
    fingerprint: string;
    from_org: Int;
    to_org: Int;
    status: Int;
    offered_at: Big;
    expires_at: string;
    export_jurisdiction: string;
    terms_hash: string;
    accepted_at: Big;
    delivery_reports: string;
  };
  class_rules: { data_class: Int; rule: Int };
  batches: {
    root: string;
    org: Int;
    registrant: string;
    leaf_count: string;
    metadata_hash: string;
    metadata_uri: string;
    anchored_at: Big;
    trail_head: string;
    trail_length: string;
  };
};

export type StoreReader = {
  readonly dialect: StoreDialect;
  /** The URL it was opened with, any password masked. */
  readonly description: string;
  /** Runs `fn` in one consistent, read-only snapshot: every query in it sees the same committed state. */
  read<T>(fn: (db: Kysely<StoreTables>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type StoreReaderOptions = {
  /** PostgreSQL: the server cancels a statement after this long (default 5,000 ms). SQLite: see the file comment. */
  readonly statementTimeoutMs?: number;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
  /** PostgreSQL schema (also `?schema=` in the URL). */
  readonly schema?: string;
};

/** What an answer reflects: the checkpoint's block, the ledger position there, and whether it is final. */
export type Anchor = {
  readonly block: { readonly number: bigint; readonly hash: Hex; readonly timestamp: bigint };
  readonly ledgerSequence: bigint;
  readonly ledgerHead: Hex;
  /** Whether `block` can no longer be reorganised. */
  readonly finalized: boolean;
  /** The highest block that can no longer be reorganised. */
  readonly finalizedBlock: bigint;
  readonly eventCount: bigint;
  readonly digest: Hex;
};

const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
const QUERY_CANCELED = "57014";
const READ_ONLY_VIOLATION = "25006";
const UNKNOWN_DATABASE = "3D000";

function readOnly(cause: unknown): StoreError {
  return new StoreError("ReadOnly", "the store reader refused a write: it only reads", {
    details: "write through the indexer (createStore); the query API opens the store read-only",
    cause,
  });
}

function notAStore(description: string, why: string): StoreError {
  return new StoreError("NotAStore", `${description} is not an indexer store: ${why}`, {
    details:
      "point the API at the database `provledger index` writes (run the indexer first: it creates and migrates it)",
  });
}

/** Opens `url` (a SQLite path or a postgres:// URL) for reading. The database must exist; nothing is created. */
export function openStoreReader(url: string, options: StoreReaderOptions = {}): StoreReader {
  const timeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new StoreError("InvalidUrl", `the statement timeout ${timeout} is not a positive number of milliseconds`, {
      details: "give a whole number of milliseconds, e.g. 5000",
    });
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return postgresReader(url, options, timeout);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^sqlite:/i.test(url)) {
    throw new StoreError("InvalidUrl", `${url.replace(/\/\/[^@/]*@/, "//***@")} is not a store URL`, {
      details: "give a SQLite file path (or sqlite:<path>) or a postgres:// URL",
    });
  }
  return sqliteReader(url.replace(/^sqlite:(\/\/)?/i, ""));
}

function sqliteReader(path: string): StoreReader {
  const description = `sqlite:${path}`;
  if (path === "") throw notAStore(description, "the path is empty");
  if (path === ":memory:") throw notAStore(description, "an in-memory database is private to its connection");
  if (!existsSync(path)) throw notAStore(description, "no such file");
  let database: Database.Database;
  try {
    database = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw notAStore(description, (error as Error).message);
  }
  database.defaultSafeIntegers(true);
  let why: string | undefined;
  try {
    const found = database.prepare("select 1 from sqlite_master where type = 'table' and name = 'checkpoint'").all();
    if (found.length === 0) why = "it has no checkpoint table (never migrated)";
  } catch (error) {
    // A file that is not a SQLite database (SQLITE_NOTADB), or one it cannot read.
    why = (error as Error).message;
  }
  if (why) {
    database.close();
    throw notAStore(description, why);
  }
  // A larger page cache (64 MiB, the default is 2 MiB) and memory-mapped reads: an API answer is many point lookups
  // in indexes of a store of gigabytes, and the reader has the file to itself (nothing to write back).
  database.pragma("cache_size = -65536");
  database.pragma("mmap_size = 1073741824");
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    dialect: "sqlite",
    description,
    // Kysely runs a transaction on the one connection, so answers are serialised: better-sqlite3 is synchronous, so
    // they would be anyway, and a snapshot per answer is what matters.
    async read(fn) {
      try {
        return await db.transaction().execute((trx: Transaction<StoreTables>) => fn(trx));
      } catch (error) {
        if (String((error as { code?: unknown }).code).startsWith("SQLITE_READONLY")) throw readOnly(error);
        throw error;
      }
    },
    close: () => db.destroy(),
  };
}

/** How many prepared statements a SQLite reader keeps (its queries are a few dozen shapes; IN lists add some). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's SqliteDialect sees it, with each statement prepared once per SQL text: the dialect prepares
 * every query anew, and for an API answer of several point lookups preparing cost more than running (bench/api.ts
 * profiles). Safe because the reader runs one query at a time on its one connection (Kysely queues them) and never
 * streams, so no cached statement is busy when it is reused. Least recently used first out.
 */
function withStatementCache(database: Database.Database): Database.Database {
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (statement) {
      statements.delete(text);
    } else {
      statement = database.prepare(text);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(text, statement);
    return statement;
  };
  return new Proxy(database, {
    get: (target, property) => (property === "prepare" ? prepare : (Reflect.get(target, property, target) as unknown)),
  });
}

function postgresReader(url: string, options: StoreReaderOptions, timeout: number): StoreReader {
  // Each connection starts read-only, repeatable read and with the statement timeout (libpq `-c` options), so an answer
  // is BEGIN, its queries, COMMIT: no SET round trip per answer.
  const opened = openDatabase(url, {
    schema: options.schema,
    poolSize: options.poolSize ?? 10,
    sessionSettings: {
      statement_timeout: timeout,
      default_transaction_read_only: "on",
      default_transaction_isolation: "repeatable read",
    },
  });
  const db = opened.db as unknown as Kysely<StoreTables>;
  let checked = false;
  return {
    dialect: "postgres",
    description: opened.description,
    async read(fn) {
      try {
        return await db.transaction().execute(async (trx) => {
          if (!checked) {
            const found = await sql<{ name: string | null }>`select to_regclass('checkpoint')::text as name`.execute(
              trx,
            );
            if (!found.rows[0]?.name) throw notAStore(opened.description, "it has no checkpoint table");
            checked = true;
          }
          return fn(trx);
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === QUERY_CANCELED) {
          throw new StoreError("QueryTimeout", `a query ran longer than the ${timeout} ms statement timeout`, {
            details: "narrow the request (a smaller page, depth or node cap), or raise --statement-timeout",
            cause: error,
          });
        }
        if (code === READ_ONLY_VIOLATION) throw readOnly(error);
        if (code === UNKNOWN_DATABASE) throw notAStore(opened.description, "the database does not exist");
        throw error;
      }
    },
    close: () => db.destroy(),
  };
}

/** The answer's anchor, read in the caller's snapshot: undefined before the first checkpoint. */
export async function readAnchor(db: Kysely<StoreTables>): Promise<Anchor | undefined> {
  const row = await db
    .selectFrom("checkpoint")
    .innerJoin("blocks", "blocks.number", "checkpoint.block_number")
    .select([
      "checkpoint.block_number",
      "checkpoint.block_hash",
      "checkpoint.ledger_sequence",
      "checkpoint.ledger_head",
      "checkpoint.event_count",
      "checkpoint.digest",
      "blocks.timestamp",
      // Journaled blocks are the ones that may still be reorganised (migrations.ts): the lowest one bounds finality.
      (eb) =>
        eb
          .selectFrom("journal")
          .select((inner) => inner.fn.min("block_number").as("lowest"))
          .as("lowest"),
    ])
    .where("checkpoint.id", "=", 1)
    .executeTakeFirst();
  if (!row) return undefined;
  const number = BigInt(row.block_number);
  const lowest = row.lowest as Big | null | undefined;
  const finalizedBlock = lowest === null || lowest === undefined ? number : BigInt(lowest as Big) - 1n;
  return {
    block: { number, hash: row.block_hash as Hex, timestamp: BigInt(row.timestamp) },
    ledgerSequence: BigInt(row.ledger_sequence),
    ledgerHead: row.ledger_head as Hex,
    finalized: number <= finalizedBlock,
    finalizedBlock: finalizedBlock < number ? finalizedBlock : number,
    eventCount: BigInt(row.event_count),
    digest: row.digest as Hex,
  };
}

/** A projection table's value from its SQL row (the codec's decoding, as the store reads it). */
export function projectionFromRow<T extends TableName>(table: T, row: Record<string, unknown>): TableValue<T> {
  return decodeRow<T>(tableSpecs[table], row as Row).value;
}

/** A stored event from its `events` row. */
export function storedEventFromRow(row: Record<string, unknown>): StoredEvent {
  return eventFromRow(row as Row);
}

export function storedBlockFromRow(row: Record<string, unknown>): BlockRef {
  return blockFromRow(row as Row);
}

export function storedCheckpointFromRow(row: Record<string, unknown>): Checkpoint {
  return checkpointFromRow(row as Row);
}
