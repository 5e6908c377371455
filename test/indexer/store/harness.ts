/**
 * Fresh databases for the store's tests: a SQLite file in a new temp dir, or a PostgreSQL schema with a random name
 * in the shared test database (dropped after the run), each with a raw-SQL escape hatch for tampering.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createStore, type IndexerStore } from "../../../src/indexer/store";

export const POSTGRES_URL = process.env.PROVLEDGER_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

export type Harness = {
  /** The URL a store (or a child process) opens this database with. */
  readonly url: string;
  open(): IndexerStore;
  /** Runs raw SQL against the database, outside any store. */
  exec(statement: string): Promise<void>;
};

export type HarnessFactory = { create(): Harness; cleanup(): Promise<void> };

export function sqliteHarness(): HarnessFactory {
  let dir: string | undefined;
  let count = 0;
  return {
    create() {
      dir ??= mkdtempSync(join(tmpdir(), "provledger-store-"));
      const url = join(dir, `store-${++count}.db`);
      return {
        url,
        open: () => createStore(url),
        async exec(statement) {
          const db = new Database(url);
          try {
            db.exec(statement);
          } finally {
            db.close();
          }
        },
      };
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresHarness(): HarnessFactory {
  const run = `store_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const schemas: string[] = [];
  async function withClient<T>(schema: string | undefined, f: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({
      connectionString: POSTGRES_URL,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    await client.connect();
    try {
      return await f(client);
    } finally {
      await client.end();
    }
  }
  return {
    create() {
      const schema = `${run}_${schemas.length + 1}`;
      schemas.push(schema);
      const url = `${POSTGRES_URL}?schema=${schema}`;
      return {
        url,
        open: () => createStore(url),
        exec: (statement) => withClient(schema, async (client) => void (await client.query(statement))),
      };
    },
    async cleanup() {
      if (schemas.length === 0) return;
      await withClient(undefined, async (client) => {
        for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
      });
    },
  };
}
