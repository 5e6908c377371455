/**
 * The indexer's store over Kysely: one schema (migrations.ts), one code path for SQLite and PostgreSQL.
 *
 * Why Kysely: it is well kept and typed, it has a dialect for each database we need (SqliteDialect over
 * better-sqlite3, PostgresDialect over a pg Pool) and a `Migrator` for versioned migrations in code, and it is a query
 * builder, not an ORM: every statement here is one the code says, compiled to each dialect's SQL (placeholders,
 * `ON CONFLICT`, transactions), so that the two databases run the same logic and cannot drift apart. The
 * differences left are in connect.ts (opening, durability settings) and lock.ts (how a writer excludes another).
 */
import { Migrator, sql } from "kysely";
import type { Hex } from "viem";
import { tableNames, type TableKey, type TableName, type TableValue } from "../projection";
import type { BlockRef, Checkpoint, RangeCommit, StoreIdentity, StoredEvent } from "../types";
import {
  decodeRow,
  encodeRow,
  keyColumns,
  keyFromColumns,
  rowFromJson,
  rowToJson,
  tableSpecs,
  type Row,
} from "./codec";
import { openDatabase, type StoreOptions } from "./connect";
import { decodeStoredLog } from "./decode";
import { StoreError } from "./errors";
import { QUERY_TABLE_MIGRATIONS, migrations } from "./migrations";
import {
  clearQueryTables,
  deleteQueryRowsAbove,
  queryRowToJson,
  queryTableNames,
  queryTables,
  writeQueryRows,
} from "./queryTables";
import type { IndexerStore, WriterLock } from "./types";
import {
  applyEvents,
  deleteKeys,
  insertRows,
  seedStore,
  type DecodedEvent,
  type Db,
  type JournalRow,
} from "./workingSet";

const PAGE_SIZE = 5_000;
/** The journal row that marks a block as journaled (see migrations.ts). */
const BLOCK_MARK = "";

// Most hex is lower case already (viem's, the node's): test before copying a long `data` string.
const lower = (hex: string) => (/[A-F]/.test(hex) ? hex.toLowerCase() : hex) as Hex;

function eventRow(event: StoredEvent): Row {
  return {
    block_number: event.blockNumber,
    log_index: event.logIndex,
    block_hash: lower(event.blockHash),
    transaction_hash: lower(event.transactionHash),
    transaction_index: event.transactionIndex,
    address: lower(event.address),
    event_name: event.eventName,
    topics: event.topics.map(lower).join(","),
    data: lower(event.data),
    ledger_sequence: event.ledgerSequence,
    ledger_head: event.ledgerHead === null ? null : lower(event.ledgerHead),
  };
}

export function eventFromRow(row: Row): StoredEvent {
  const topics = String(row.topics);
  return {
    blockNumber: BigInt(row.block_number as bigint),
    blockHash: row.block_hash as Hex,
    logIndex: Number(row.log_index),
    transactionHash: row.transaction_hash as Hex,
    transactionIndex: Number(row.transaction_index),
    address: row.address as Hex,
    topics: topics === "" ? [] : (topics.split(",") as Hex[]),
    data: row.data as Hex,
    eventName: String(row.event_name),
    ledgerSequence: row.ledger_sequence === null ? null : BigInt(row.ledger_sequence as bigint),
    ledgerHead: (row.ledger_head ?? null) as Hex | null,
  };
}

function blockRow(block: BlockRef): Row {
  return {
    number: block.number,
    hash: lower(block.hash),
    parent_hash: lower(block.parentHash),
    timestamp: block.timestamp,
  };
}

export function blockFromRow(row: Row): BlockRef {
  return {
    number: BigInt(row.number as bigint),
    hash: row.hash as Hex,
    parentHash: row.parent_hash as Hex,
    timestamp: BigInt(row.timestamp as bigint),
  };
}

function checkpointRow(checkpoint: Checkpoint): Row {
  return {
    id: 1,
    block_number: checkpoint.blockNumber,
    block_hash: lower(checkpoint.blockHash),
    ledger_sequence: checkpoint.ledgerSequence,
    ledger_head: lower(checkpoint.ledgerHead),
    event_count: checkpoint.eventCount,
    digest: lower(checkpoint.digest),
  };
}

export function checkpointFromRow(row: Row): Checkpoint {
  return {
    blockNumber: BigInt(row.block_number as bigint),
    blockHash: row.block_hash as Hex,
    ledgerSequence: BigInt(row.ledger_sequence as bigint),
    ledgerHead: row.ledger_head as Hex,
    eventCount: BigInt(row.event_count as bigint),
    digest: row.digest as Hex,
  };
}

function identityRow(identity: StoreIdentity): Row {
  return {
    id: 1,
    schema_version: identity.schemaVersion,
    chain_id: BigInt(identity.chainId),
    registry: lower(identity.addresses.registry),
    ledger: lower(identity.addresses.ledger),
    rights: lower(identity.addresses.rights),
    deployment_block: identity.deploymentBlock,
    deployment_block_hash: lower(identity.deploymentBlockHash),
  };
}

function identityFromRow(row: Row): StoreIdentity {
  return {
    schemaVersion: Number(row.schema_version),
    chainId: Number(row.chain_id),
    addresses: { registry: row.registry as Hex, ledger: row.ledger as Hex, rights: row.rights as Hex },
    deploymentBlock: BigInt(row.deployment_block as bigint),
    deploymentBlockHash: row.deployment_block_hash as Hex,
  };
}

/** JSON with bigints as decimal strings. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Opens a store: a file path or `sqlite:<path>` for SQLite, a `postgres://` (or `postgresql://`) URL for PostgreSQL
 * (`?schema=name` or `options.schema` picks a schema, created if missing). Nothing is read until the first call;
 * call `migrate()` first.
 */
export function createStore(url: string, options: StoreOptions = {}): IndexerStore {
  const opened = openDatabase(url, options);
  const { dialect } = opened;
  const db: Db = opened.db;
  const locks = new Set<WriterLock>();
  let closed = false;

  function live(): Db {
    if (closed) throw new StoreError("Closed", `the store ${opened.description} is closed`);
    return db;
  }

  function decodeAll(events: readonly StoredEvent[]): DecodedEvent[] {
    return events.map((stored) => {
      const decoded = decodeStoredLog(stored);
      if (decoded.eventName !== stored.eventName) {
        throw new StoreError(
          "InvalidRange",
          `event ${stored.logIndex} of block ${stored.blockNumber} is named ${stored.eventName} but decodes as ` +
            `${decoded.eventName}`,
          { details: "build stored events with toStoredEvent from the raw log" },
        );
      }
      return { stored, decoded };
    });
  }

  function checkRange(range: RangeCommit): Map<bigint, BlockRef> {
    const blocks = new Map<bigint, BlockRef>();
    for (const block of range.blocks) {
      if (block.number < range.fromBlock || block.number > range.toBlock) {
        throw new StoreError(
          "InvalidRange",
          `block ${block.number} is outside the range ${range.fromBlock}-${range.toBlock}`,
        );
      }
      blocks.set(block.number, block);
    }
    let previous: StoredEvent | undefined;
    for (const event of range.events) {
      if (!blocks.has(event.blockNumber)) {
        throw new StoreError(
          "InvalidRange",
          `event ${event.logIndex} of block ${event.blockNumber} is in a block the range does not list`,
          { details: "a range lists every block its events are in (for their times), and its last block" },
        );
      }
      if (
        previous &&
        (event.blockNumber < previous.blockNumber ||
          (event.blockNumber === previous.blockNumber && event.logIndex <= previous.logIndex))
      ) {
        throw new StoreError(
          "InvalidRange",
          `event ${event.logIndex} of block ${event.blockNumber} follows event ${previous.logIndex} of block ` +
            `${previous.blockNumber}`,
          { details: "commit events in (block, log index) order, each once" },
        );
      }
      previous = event;
    }
    return blocks;
  }

  /** The events of `range` not stored yet; an event stored under another block hash is refused. */
  async function newEvents(trx: Db, events: readonly DecodedEvent[]): Promise<DecodedEvent[]> {
    if (events.length === 0) return [];
    const first = events[0]!.stored.blockNumber;
    const last = events[events.length - 1]!.stored.blockNumber;
    const stored = (await trx
      .selectFrom("events")
      .select(["block_number", "log_index", "block_hash"])
      .where("block_number", ">=", first)
      .where("block_number", "<=", last)
      .execute()) as Row[];
    if (stored.length === 0) return [...events];
    const hashes = new Map(stored.map((row) => [`${row.block_number}:${row.log_index}`, String(row.block_hash)]));
    return events.filter(({ stored: event }) => {
      const hash = hashes.get(`${event.blockNumber}:${event.logIndex}`);
      if (hash === undefined) return true;
      if (hash === lower(event.blockHash)) return false;
      throw new StoreError(
        "ConflictingEvent",
        `event ${event.logIndex} of block ${event.blockNumber} is stored from block ${hash}, not ${lower(event.blockHash)}`,
        { details: "a reorganisation was missed: roll the store back below the block before committing the range" },
      );
    });
  }

  async function newBlocks(trx: Db, blocks: readonly BlockRef[]): Promise<BlockRef[]> {
    if (blocks.length === 0) return [];
    const numbers = blocks.map((b) => b.number);
    const min = numbers.reduce((a, b) => (b < a ? b : a));
    const max = numbers.reduce((a, b) => (b > a ? b : a));
    const stored = (await trx
      .selectFrom("blocks")
      .select(["number", "hash"])
      .where("number", ">=", min)
      .where("number", "<=", max)
      .execute()) as Row[];
    const hashes = new Map(stored.map((row) => [BigInt(row.number as bigint), String(row.hash)]));
    return blocks.filter((block) => {
      const hash = hashes.get(block.number);
      if (hash === undefined) return true;
      if (hash === lower(block.hash)) return false;
      throw new StoreError("ConflictingBlock", `block ${block.number} is stored as ${hash}, not ${lower(block.hash)}`, {
        details: "a reorganisation was missed: roll the store back below the block before committing the range",
      });
    });
  }

  async function writeCheckpoint(trx: Db, checkpoint: Checkpoint): Promise<void> {
    const row = checkpointRow(checkpoint);
    await insertRows(trx, dialect, "checkpoint", [row], {
      columns: ["id"],
      update: Object.keys(row).filter((column) => column !== "id"),
    });
  }

  async function blockTimes(trx: Db, from: bigint, to: bigint): Promise<Map<bigint, bigint>> {
    const rows = (await trx
      .selectFrom("blocks")
      .select(["number", "timestamp"])
      .where("number", ">=", from)
      .where("number", "<=", to)
      .execute()) as Row[];
    return new Map(rows.map((row) => [BigInt(row.number as bigint), BigInt(row.timestamp as bigint)]));
  }

  async function* eventPages(trx: Db, fromBlock: bigint, pageSize: number): AsyncGenerator<StoredEvent[]> {
    let after: { block: bigint; log: number } | undefined;
    for (;;) {
      let query = trx.selectFrom("events").selectAll();
      query = after
        ? query.where((eb) =>
            eb.or([
              eb("block_number", ">", after!.block),
              eb.and([eb("block_number", "=", after!.block), eb("log_index", ">", after!.log)]),
            ]),
          )
        : query.where("block_number", ">=", fromBlock);
      const rows = (await query.orderBy("block_number").orderBy("log_index").limit(pageSize).execute()) as Row[];
      if (rows.length === 0) return;
      const page = rows.map(eventFromRow);
      yield page;
      if (rows.length < pageSize) return;
      const last = page[page.length - 1]!;
      after = { block: last.blockNumber, log: last.logIndex };
    }
  }

  /** A stored block's time, for the events of a page read back; a store without it was not written by this indexer. */
  function storedTime(times: ReadonlyMap<bigint, bigint>): (block: bigint) => bigint {
    return (block) => {
      const time = times.get(block);
      if (time === undefined) {
        throw new StoreError("CorruptStore", `block ${block} has stored events but no stored block`, {
          details: "the store was written by something else than this indexer; index it again into a new one",
        });
      }
      return time;
    };
  }

  /** Empties the projection, seeds it, and applies every stored event, inside `trx`. */
  async function rebuild(trx: Db): Promise<void> {
    for (const table of tableNames) await trx.deleteFrom(tableSpecs[table].sqlName).execute();
    await clearQueryTables(trx);
    await seedStore(trx, dialect);
    for await (const page of eventPages(trx, 0n, PAGE_SIZE)) {
      const times = await blockTimes(trx, page[0]!.blockNumber, page[page.length - 1]!.blockNumber);
      const decoded = decodeAll(page);
      const timeOf = storedTime(times);
      await writeQueryRows(trx, dialect, decoded, timeOf);
      await applyEvents(trx, dialect, decoded, timeOf);
    }
  }

  /** Empties the query tables and derives them again from every stored event, inside `trx` (a new query schema). */
  async function rebuildQueryTables(trx: Db): Promise<void> {
    await clearQueryTables(trx);
    for await (const page of eventPages(trx, 0n, PAGE_SIZE)) {
      const times = await blockTimes(trx, page[0]!.blockNumber, page[page.length - 1]!.blockNumber);
      await writeQueryRows(trx, dialect, decodeAll(page), storedTime(times));
    }
  }

  async function migrate(): Promise<void> {
    const db = live();
    if (opened.schema) await sql`create schema if not exists ${sql.id(opened.schema)}`.execute(db);
    const known = migrations(dialect);
    const applied = await db
      .selectFrom("kysely_migration")
      .select("name")
      .execute()
      .catch(() => [] as { name: string }[]);
    const unknown = applied.map((row) => String(row.name)).filter((name) => !Object.hasOwn(known, name));
    if (unknown.length > 0) {
      throw new StoreError(
        "NewerSchema",
        `the store ${opened.description} was created by a newer indexer (migrations ${unknown.join(", ")} are ` +
          `unknown to this one)`,
        { details: "run the indexer version that created it, or index into a new database" },
      );
    }
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => known },
      ...(opened.schema ? { migrationTableSchema: opened.schema } : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      throw new StoreError("MigrationFailed", `migrating the store ${opened.description} failed`, {
        details: (error as Error).message ?? String(error),
        cause: error,
      });
    }
    // A new store starts from the state the contracts' constructors set (the default class rules).
    await db.transaction().execute(async (trx) => {
      const seeded = await trx.selectFrom("class_rules").select("data_class").limit(1).execute();
      const indexed = await trx.selectFrom("events").select("block_number").limit(1).execute();
      if (seeded.length === 0 && indexed.length === 0) await seedStore(trx, dialect);
      // A migration that reshaped the query tables left them empty over a store with events: derive them again
      // (from the stored events alone, no node needed), in one transaction, before anything reads them.
      const reshaped = (results ?? []).some(
        (result) => result.status === "Success" && QUERY_TABLE_MIGRATIONS.has(result.migrationName),
      );
      if (reshaped && indexed.length > 0) await rebuildQueryTables(trx);
    });
  }

  const store: IndexerStore = {
    dialect,
    description: opened.description,
    migrate,

    async acquireWriterLock(lockOptions = {}) {
      live();
      const lock = await opened.acquireLock(lockOptions);
      locks.add(lock);
      return {
        async release() {
          locks.delete(lock);
          await lock.release();
        },
      };
    },

    async identity() {
      const row = (await live().selectFrom("identity").selectAll().where("id", "=", 1).executeTakeFirst()) as
        Row | undefined;
      return row ? identityFromRow(row) : undefined;
    },

    async writeIdentity(identity) {
      await live()
        .transaction()
        .execute(async (trx) => {
          const row = (await trx.selectFrom("identity").selectAll().where("id", "=", 1).executeTakeFirst()) as
            Row | undefined;
          if (row) {
            if (canonical(identityFromRow(row)) === canonical(identityFromRow(identityRow(identity)))) return;
            throw new StoreError(
              "ConflictingIdentity",
              `the store ${opened.description} already indexes another deployment`,
              {
                details: "index this deployment into a new database",
              },
            );
          }
          await trx.insertInto("identity").values(identityRow(identity)).execute();
        });
    },

    async checkpoint() {
      const row = (await live().selectFrom("checkpoint").selectAll().where("id", "=", 1).executeTakeFirst()) as
        Row | undefined;
      return row ? checkpointFromRow(row) : undefined;
    },

    async commitRange(range) {
      const db = live();
      const blocks = checkRange(range);
      const decoded = decodeAll(range.events);
      await db.transaction().execute(async (trx) => {
        const events = await newEvents(trx, decoded);
        const fresh = await newBlocks(trx, range.blocks);
        await insertRows(
          trx,
          dialect,
          "events",
          events.map((e) => eventRow(e.stored)),
        );
        await writeQueryRows(trx, dialect, events, (block) => blocks.get(block)!.timestamp);
        await insertRows(trx, dialect, "blocks", fresh.map(blockRow));
        const journalFrom = range.unfinalizedFrom;
        const journal = await applyEvents(trx, dialect, events, (block) => blocks.get(block)!.timestamp, {
          journalFrom,
        });
        if (journalFrom !== undefined) {
          const marks: JournalRow[] = range.blocks
            .filter((block) => block.number >= journalFrom)
            .map((block) => ({
              block_number: block.number,
              seq: 0,
              table_name: BLOCK_MARK,
              key: BLOCK_MARK,
              old_value: null,
            }));
          await insertRows(trx, dialect, "journal", [...marks, ...journal], {
            columns: ["block_number", "table_name", "key"],
          });
        }
        await writeCheckpoint(trx, range.checkpoint);
      });
    },

    async rollback(ancestor, checkpoint) {
      await live()
        .transaction()
        .execute(async (trx) => {
          const removed = new Set<bigint>();
          const blockRows = (await trx
            .selectFrom("blocks")
            .select("number")
            .where("number", ">", ancestor.number)
            .execute()) as Row[];
          for (const row of blockRows) removed.add(BigInt(row.number as bigint));
          const eventBlocks = (await trx
            .selectFrom("events")
            .select("block_number")
            .distinct()
            .where("block_number", ">", ancestor.number)
            .execute()) as Row[];
          for (const row of eventBlocks) removed.add(BigInt(row.block_number as bigint));
          const marked = (await trx
            .selectFrom("journal")
            .select("block_number")
            .where("table_name", "=", BLOCK_MARK)
            .where("block_number", ">", ancestor.number)
            .execute()) as Row[];
          const journaled = new Set(marked.map((row) => BigInt(row.block_number as bigint)));
          const fromJournal = [...removed].every((block) => journaled.has(block));

          if (fromJournal) {
            // Each row's value before the first removed block that changed it: the oldest journaled value wins.
            const entries = (await trx
              .selectFrom("journal")
              .select(["table_name", "key", "old_value"])
              .where("table_name", "<>", BLOCK_MARK)
              .where("block_number", ">", ancestor.number)
              .orderBy("block_number", "desc")
              .execute()) as Row[];
            const restore = new Map<string, Row>();
            for (const entry of entries) restore.set(`${entry.table_name}\n${entry.key}`, entry);
            const byTable = new Map(tableNames.map((t) => [tableSpecs[t].sqlName, tableSpecs[t]]));
            for (const [sqlName, spec] of byTable) {
              const mine = [...restore.values()].filter((entry) => entry.table_name === sqlName);
              if (mine.length === 0) continue;
              const keys = mine.map((entry) => keyFromColumns(spec, JSON.parse(String(entry.key)) as unknown[]));
              await deleteKeys(trx, spec, keys);
              const rows = mine
                .filter((entry) => entry.old_value !== null)
                .map((entry) => {
                  const { key, value } = rowFromJson(spec, JSON.parse(String(entry.old_value)));
                  return encodeRow(spec, key as never, value as never);
                });
              await insertRows(trx, dialect, sqlName, rows);
            }
          }
          await trx.deleteFrom("events").where("block_number", ">", ancestor.number).execute();
          await trx.deleteFrom("blocks").where("number", ">", ancestor.number).execute();
          await trx.deleteFrom("journal").where("block_number", ">", ancestor.number).execute();
          await deleteQueryRowsAbove(trx, ancestor.number);
          if (!fromJournal) await rebuild(trx);
          await writeCheckpoint(trx, checkpoint);
        });
    },

    async finalize(blockNumber) {
      await live().deleteFrom("journal").where("block_number", "<=", blockNumber).execute();
    },

    async blocks(fromBlock, limit) {
      let query = live().selectFrom("blocks").selectAll().where("number", ">=", fromBlock).orderBy("number");
      if (limit !== undefined) query = query.limit(limit);
      return ((await query.execute()) as Row[]).map(blockFromRow);
    },

    async block(number) {
      const row = (await live().selectFrom("blocks").selectAll().where("number", "=", number).executeTakeFirst()) as
        Row | undefined;
      return row ? blockFromRow(row) : undefined;
    },

    events(eventOptions = {}) {
      return eventPages(live(), eventOptions.fromBlock ?? 0n, eventOptions.pageSize ?? PAGE_SIZE);
    },

    async rebuildProjection() {
      await live()
        .transaction()
        .execute((trx) => rebuild(trx));
    },

    async row<T extends TableName>(table: T, key: TableKey<T>): Promise<TableValue<T> | undefined> {
      const spec = tableSpecs[table];
      const values = keyColumns(spec, key);
      let query = live().selectFrom(spec.sqlName).selectAll();
      spec.key.forEach(([, column], i) => (query = query.where(column, "=", values[i])));
      const row = (await query.executeTakeFirst()) as Row | undefined;
      return row ? decodeRow<T>(spec, row).value : undefined;
    },

    async rows<T extends TableName>(table: T): Promise<TableValue<T>[]> {
      const spec = tableSpecs[table];
      let query = live().selectFrom(spec.sqlName).selectAll();
      for (const [, column] of spec.key) query = query.orderBy(column);
      return ((await query.execute()) as Row[]).map((row) => decodeRow<T>(spec, row).value);
    },

    async dump() {
      const db = live();
      const lines: string[] = [];
      const identity = await store.identity();
      if (identity) lines.push(`identity ${canonical(identity)}`);
      const checkpoint = await store.checkpoint();
      if (checkpoint) lines.push(`checkpoint ${canonical(checkpoint)}`);
      for (const block of await store.blocks(0n)) lines.push(`blocks ${canonical(block)}`);
      for await (const page of eventPages(db, 0n, PAGE_SIZE)) {
        for (const event of page) lines.push(`events ${canonical(event)}`);
      }
      for (const table of tableNames) {
        const spec = tableSpecs[table];
        let query = db.selectFrom(spec.sqlName).selectAll();
        for (const [, column] of spec.key) query = query.orderBy(column);
        for (const row of (await query.execute()) as Row[]) {
          const { key, value } = decodeRow(spec, row);
          lines.push(`${table} ${JSON.stringify(rowToJson(spec, key, value))}`);
        }
      }
      for (const table of queryTableNames) {
        let query = db.selectFrom(table).selectAll();
        for (const column of queryTables[table].key) query = query.orderBy(column);
        for (const row of (await query.execute()) as Row[]) {
          lines.push(`${table} ${JSON.stringify(queryRowToJson(table, row))}`);
        }
      }
      return lines.map((line) => `${line}\n`).join("");
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const lock of [...locks]) await lock.release().catch(() => {});
      locks.clear();
      await db.destroy();
    },
  };
  return store;
}
