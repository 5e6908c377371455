/**
 * One writer per database, held by a lock the database or the OS drops when its holder dies (kill -9 included), so
 * that a crashed indexer never has to be cleaned up after:
 *
 * - PostgreSQL: a session advisory lock (`pg_advisory_lock`) on a connection of its own, held while it lives. The key
 *   is derived from the database and schema, so two stores in one database (tests' schemas) do not exclude each other.
 * - SQLite: `BEGIN EXCLUSIVE` on `<db>.lock`, a separate tiny database in rollback-journal mode, held while the
 *   process lives. Not the database itself: an exclusive transaction there would block the readers (API servers) that
 *   WAL mode lets in. The OS drops the file lock (fcntl) with the process.
 *
 * A second writer polls (the busy timeout of better-sqlite3 would block the event loop) and calls `onWait` once.
 *
 * A held lock stays held until `release()`, even when its holder drops every reference to the returned handle:
 * better-sqlite3 closes a garbage-collected connection, which would silently drop the file lock and let a second
 * writer in (a process that took the lock and kept only a timer alive lost it at its next GC). `held` pins them.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { keccak256, toHex } from "viem";
import { StoreError } from "./errors";
import type { WriterLock } from "./types";

export type LockOptions = { onWait?: () => void; signal?: AbortSignal; pollMs?: number };

const POLL_MS = 250;

/** The lock connections this process holds, so that garbage collection cannot close them (and drop the lock). */
const held = new Set<Database.Database>();

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(aborted());
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function aborted(): StoreError {
  return new StoreError("LockAborted", "stopped waiting for the writer lock", {
    details: "the indexer was stopped while another one held the store",
  });
}

/** The advisory lock key of a PostgreSQL database and schema: 64 bits of a hash, as a signed int8. */
export function advisoryKey(database: string, schema: string): bigint {
  return BigInt.asIntN(64, BigInt(keccak256(toHex(`provledger-indexer-writer:${database}:${schema}`)).slice(0, 18)));
}

export async function acquirePostgresLock(config: pg.ClientConfig, key: bigint, options: LockOptions = {}) {
  const client = new pg.Client(config);
  // A dropped connection releases the lock server-side; keep the error from crashing the process.
  client.on("error", () => {});
  await client.connect();
  try {
    let waited = false;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1::bigint) as locked", [
        key.toString(),
      ]);
      if (rows[0]!.locked) break;
      if (!waited) options.onWait?.();
      waited = true;
      await sleep(options.pollMs ?? POLL_MS, options.signal);
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query("select pg_advisory_unlock($1::bigint)", [key.toString()]).catch(() => {});
      await client.end().catch(() => {});
    },
  } satisfies WriterLock;
}

export async function acquireSqliteLock(path: string, options: LockOptions = {}) {
  const db = new Database(path, { timeout: 0 });
  try {
    // A new file is in rollback-journal mode (the default); nothing sets WAL on it.
    let waited = false;
    for (;;) {
      try {
        db.exec("BEGIN EXCLUSIVE");
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
        if (!waited) options.onWait?.();
        waited = true;
        await sleep(options.pollMs ?? POLL_MS, options.signal);
      }
    }
  } catch (error) {
    db.close();
    throw error;
  }
  held.add(db);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      held.delete(db);
      try {
        db.exec("ROLLBACK");
      } finally {
        db.close();
      }
    },
  } satisfies WriterLock;
}
