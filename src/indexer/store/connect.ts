/**
 * From a URL to a Kysely instance, its dialect and its writer lock: the only place where SQLite and PostgreSQL are
 * opened differently.
 *
 * SQLite runs in WAL mode with `synchronous=NORMAL`: a committed transaction survives the process being killed (the
 * WAL is written before the commit returns; only the checkpoint into the main file is deferred), and only a power
 * loss or OS crash may lose the last transactions, never corrupt the database. Integers are read as bigint (safe
 * integers), so that no block number or time is rounded through a double.
 */
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { StoreError } from "./errors";
import { acquirePostgresLock, acquireSqliteLock, advisoryKey, type LockOptions } from "./lock";
import type { StoreDialect, WriterLock } from "./types";
import type { Db } from "./workingSet";

export type StoreOptions = {
  /** PostgreSQL schema (also `?schema=` in the URL); created if missing. Default `public`. */
  readonly schema?: string;
  /** PostgreSQL pool size (default 4). */
  readonly poolSize?: number;
  /**
   * PostgreSQL settings every connection of the pool starts with (`-c name=value` at connect), so that a reader's
   * transactions need no `SET` round trip of their own.
   */
  readonly sessionSettings?: Readonly<Record<string, string | number>>;
};

export type OpenedDatabase = {
  readonly dialect: StoreDialect;
  readonly db: Db;
  readonly description: string;
  /** The PostgreSQL schema, if one is used. */
  readonly schema?: string;
  acquireLock(options: LockOptions): Promise<WriterLock>;
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function masked(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = "***";
  return copy.href;
}

export function openDatabase(url: string, options: StoreOptions = {}): OpenedDatabase {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^sqlite:/i.test(url)) {
    throw new StoreError("InvalidUrl", `${url.replace(/\/\/[^@/]*@/, "//***@")} is not a store URL`, {
      details: "give a SQLite file path (or sqlite:<path>) or a postgres:// URL",
    });
  }
  return openSqlite(url.replace(/^sqlite:(\/\/)?/i, ""));
}

function openSqlite(path: string): OpenedDatabase {
  if (path === "") {
    throw new StoreError("InvalidUrl", "the SQLite path is empty", { details: "give a file path, e.g. index.db" });
  }
  const database = new Database(path);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.defaultSafeIntegers(true);
  const memory = path === ":memory:";
  return {
    dialect: "sqlite",
    db: new Kysely({ dialect: new SqliteDialect({ database }) }),
    description: `sqlite:${path}`,
    async acquireLock(options) {
      // An in-memory database has one connection and no other process can open it.
      if (memory) return { release: async () => {} };
      return acquireSqliteLock(`${path}.lock`, options);
    },
  };
}

function openPostgres(url: string, options: StoreOptions): OpenedDatabase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StoreError("InvalidUrl", "the PostgreSQL URL does not parse", {
      details: "give postgres://user[:password]@host[:port]/database[?schema=name]",
      cause: error,
    });
  }
  const schema = options.schema ?? parsed.searchParams.get("schema") ?? "public";
  if (!IDENTIFIER.test(schema)) {
    throw new StoreError("InvalidUrl", `the schema name ${JSON.stringify(schema)} is not a plain identifier`, {
      details: "use letters, digits and underscores, starting with a letter",
    });
  }
  parsed.searchParams.delete("schema");
  const config: pg.ClientConfig = {
    connectionString: parsed.href,
    // Every connection resolves the store's tables in its schema: the queries stay schema-free, one code path.
    options: [
      `-c search_path=${schema}`,
      // libpq's options string splits on spaces; a value's own spaces are escaped.
      ...Object.entries(options.sessionSettings ?? {}).map(
        ([name, value]) => `-c ${name}=${String(value).replace(/ /g, "\\ ")}`,
      ),
    ].join(" "),
  };
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 4 });
  // An idle client's error (the server restarted) must not crash the process; the next query fails and says why.
  pool.on("error", () => {});
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  const description = masked(parsed) + (schema === "public" ? "" : ` (schema ${schema})`);
  return {
    dialect: "postgres",
    db: new Kysely({ dialect: new PostgresDialect({ pool }) }),
    description,
    schema,
    acquireLock: (lockOptions) => acquirePostgresLock(config, advisoryKey(database, schema), lockOptions),
  };
}
