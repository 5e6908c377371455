/**
 * Ingest of already-fetched logs into the indexer's store (`commitRange`: events, blocks, projection, checkpoint),
 * for SQLite and PostgreSQL: 100k+ synthetic but valid events (encoded with viem from the SDK's ABI, each one the
 * projection accepts), committed in ranges as a backfill would. Prints events/s, the ratio to the target
 * (20,000/s SQLite, 15,000/s PostgreSQL) and to a same-run baseline: the same event rows, multi-row inserted into a
 * plain table without keys, indexes or projection, in the same transactions.
 *
 *   npm run bench:ingest [-- --events 100000 --range 10000 --only sqlite|postgres]
 *   PROVLEDGER_BENCH_POSTGRES=postgres://... (default postgres://postgres@127.0.0.1:5432/test)
 */
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { keccak256, toHex, zeroHash, type Address, type Hex } from "viem";
import { DataClass, GrantStatus, Role, Scheme, Scope, type ProvledgerEvent } from "../src/sdk";
import { toStoredEvent } from "../src/indexer/events";
import type { BlockRef, RangeCommit, StoredEvent } from "../src/indexer/types";
import { createStore, type IndexerStore } from "../src/indexer/store";
import { decodeStoredLog, decodeStoredLogWithViem } from "../src/indexer/store/decode";
import { insertRows } from "../src/indexer/store/workingSet";
import { encodeEvent } from "../test/indexer/store/fixtures";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const EVENTS = Number(flag("events") ?? 100_000);
const RANGE = Number(flag("range") ?? 10_000);
const ONLY = flag("only");
const POSTGRES = process.env.PROVLEDGER_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const TARGET = { sqlite: 20_000, postgres: 15_000 } as const;
const EVENTS_PER_BLOCK = 10;
const ORGS = 100;

const registry: Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const ledger: Address = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
const rights: Address = "0x9fe46736679d2d9a24c1f0a4bb4d1dbb6ba14c0a";
const actor: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const h = (label: string): Hex => keccak256(toHex(label));

/** A valid event sequence: organisations, then records with grants, findings and offers on them. */
function synthetic(count: number): { event: ProvledgerEvent; address: Address }[] {
  const out: { event: ProvledgerEvent; address: Address }[] = [];
  let sequence = 0n;
  const stamp = () => {
    sequence += 1n;
    return { recordHead: h(`r${sequence}`), recordLength: 1n, ledgerSequence: sequence, ledgerHead: h(`l${sequence}`) };
  };
  const push = (address: Address, eventName: string, a: object) =>
    out.push({ event: { eventName, args: { ...a, stamp: stamp() } } as unknown as ProvledgerEvent, address });
  for (let org = 1; org <= ORGS; org++) {
    push(registry, "OrganizationRegistered", {
      orgId: org,
      actor,
      name: `Org ${org}`,
      metadataHash: h(`org ${org}`),
      jurisdiction: toHex("CN-GD", { size: 8 }),
      roles: Role.REGISTRAR | Role.TRADER | Role.INSPECTOR,
    });
  }
  let records = 0;
  let offers = 0n;
  let grants = 0n;
  while (out.length < count) {
    const kind = out.length % 10;
    if (kind < 4 || records === 0) {
      records += 1;
      push(ledger, "RecordRegistered", {
        fingerprint: h(`record ${records}`),
        ownerOrg: (records % ORGS) + 1,
        registrant: actor,
        scheme: Scheme.SHA256,
        dataClass: DataClass.PUBLIC,
        metadataHash: h(`meta ${records}`),
        metadataURI: `ipfs://bafy-${records}`,
        parents: [],
        derivationGrants: [],
      });
    } else if (kind < 7) {
      grants += 1n;
      const record = 1 + Number(grants % BigInt(records));
      push(rights, "GrantIssued", {
        fingerprint: h(`record ${record}`),
        granteeOrg: Number(grants % BigInt(ORGS)) + 1,
        actor,
        grantId: grants,
        grantorOrg: (record % ORGS) + 1,
        scopes: Scope.USE,
        purposeHash: h(`purpose ${grants}`),
        expiresAt: 0,
        status: GrantStatus.ACTIVE,
        exportJurisdiction: toHex(0, { size: 8 }),
      });
    } else if (kind < 9) {
      const record = 1 + (out.length % records);
      push(ledger, "FindingAttached", {
        fingerprint: h(`record ${record}`),
        inspectorOrg: 1,
        actor,
        findingHash: h(`finding ${out.length}`),
      });
    } else {
      offers += 1n;
      const record = 1 + Number(offers % BigInt(records));
      push(rights, "TransferOffered", {
        fingerprint: h(`record ${record}`),
        toOrg: 2,
        actor,
        offerId: offers,
        fromOrg: (record % ORGS) + 1,
        termsHash: h(`terms ${offers}`),
        expiresAt: 2_000_000_000,
      });
    }
  }
  return out;
}

function build(): { ranges: RangeCommit[]; events: StoredEvent[] } {
  const events: StoredEvent[] = [];
  const blocks: BlockRef[] = [];
  let parentHash: Hex = h("genesis");
  synthetic(EVENTS).forEach(({ event, address }, i) => {
    const index = i % EVENTS_PER_BLOCK;
    if (index === 0) {
      const number = 1_000n + BigInt(blocks.length);
      const block = { number, hash: h(`block ${number}`), parentHash, timestamp: 1_800_000_000n + number * 2n };
      blocks.push(block);
      parentHash = block.hash;
    }
    const block = blocks[blocks.length - 1]!;
    events.push(
      toStoredEvent(
        {
          blockNumber: block.number,
          blockHash: block.hash,
          logIndex: index,
          transactionHash: h(`tx ${i}`),
          transactionIndex: index,
          address,
          ...encodeEvent(event),
        },
        event,
      ),
    );
  });
  const ranges: RangeCommit[] = [];
  for (let i = 0; i < events.length; i += RANGE) {
    const part = events.slice(i, i + RANGE);
    const numbers = new Set(part.map((e) => e.blockNumber));
    const rangeBlocks = blocks.filter((b) => numbers.has(b.number));
    const last = rangeBlocks[rangeBlocks.length - 1]!;
    const stamped = part.filter((e) => e.ledgerSequence !== null);
    ranges.push({
      fromBlock: rangeBlocks[0]!.number,
      toBlock: last.number,
      blocks: rangeBlocks,
      events: part,
      checkpoint: {
        blockNumber: last.number,
        blockHash: last.hash,
        ledgerSequence: stamped[stamped.length - 1]?.ledgerSequence ?? 0n,
        ledgerHead: stamped[stamped.length - 1]?.ledgerHead ?? zeroHash,
        eventCount: BigInt(i + part.length),
        digest: zeroHash,
      },
    });
  }
  return { ranges, events };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a throwaway table
async function baseline(db: Kysely<any>, dialect: "sqlite" | "postgres", ranges: RangeCommit[]): Promise<number> {
  await sql`drop table if exists bench_plain`.execute(db);
  await sql`create table bench_plain (block_number bigint, log_index integer, block_hash text, transaction_hash text,
    transaction_index integer, address text, event_name text, topics text, data text, ledger_sequence bigint,
    ledger_head text)`.execute(db);
  collect();
  const started = performance.now();
  for (const range of ranges) {
    await db.transaction().execute(async (trx) => {
      const rows = range.events.map((e) => ({
        block_number: e.blockNumber,
        log_index: e.logIndex,
        block_hash: e.blockHash,
        transaction_hash: e.transactionHash,
        transaction_index: e.transactionIndex,
        address: e.address,
        event_name: e.eventName,
        topics: e.topics.join(","),
        data: e.data,
        ledger_sequence: e.ledgerSequence,
        ledger_head: e.ledgerHead,
      }));
      // The store's own multi-row insert (chunked to the parameter limit, one statement text per shape).
      await insertRows(trx, dialect, "bench_plain", rows);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await sql`drop table bench_plain`.execute(db);
  return seconds;
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

async function ingest(store: IndexerStore, ranges: RangeCommit[]): Promise<number> {
  await store.migrate();
  collect();
  const started = performance.now();
  for (const range of ranges) await store.commitRange(range);
  return (performance.now() - started) / 1000;
}

function report(name: "sqlite" | "postgres", events: number, seconds: number, baseSeconds: number) {
  const rate = events / seconds;
  const baseRate = events / baseSeconds;
  console.log(
    `${name.padEnd(8)} ${Math.round(rate).toLocaleString("en-US").padStart(8)} events/s  ` +
      `(${(rate / TARGET[name]).toFixed(2)}x the ${TARGET[name].toLocaleString("en-US")}/s target; ` +
      `baseline bare insert ${Math.round(baseRate).toLocaleString("en-US")}/s, ingest at ` +
      `${(rate / baseRate).toFixed(2)}x of it)`,
  );
}

async function main(): Promise<void> {
  const built = performance.now();
  const { ranges, events } = build();
  console.log(
    `${events.length.toLocaleString("en-US")} events in ${ranges.length} ranges of ${RANGE} ` +
      `(${EVENTS_PER_BLOCK} per block), built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );

  for (const [label, decode] of [
    ["viem decodeEventLog", decodeStoredLogWithViem],
    ["the store's decoder", decodeStoredLog],
  ] as const) {
    collect();
    const decodeStarted = performance.now();
    for (const event of events) decode(event);
    const decodeRate = events.length / ((performance.now() - decodeStarted) / 1000);
    console.log(`decoding alone, ${label}: ${Math.round(decodeRate).toLocaleString("en-US")} events/s`);
  }

  if (ONLY !== "postgres") {
    const dir = mkdtempSync(join(tmpdir(), "provledger-bench-ingest-"));
    try {
      const store = createStore(join(dir, "index.db"));
      const seconds = await ingest(store, ranges);
      await store.close();
      const database = new Database(join(dir, "plain.db"));
      database.pragma("journal_mode = WAL");
      database.pragma("synchronous = NORMAL");
      const db = new Kysely({ dialect: new SqliteDialect({ database }) });
      const base = await baseline(db, "sqlite", ranges);
      await db.destroy();
      report("sqlite", events.length, seconds, base);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (ONLY !== "sqlite") {
    const schema = `bench_ingest_${Date.now().toString(36)}`;
    const store = createStore(POSTGRES, { schema });
    const pool = new pg.Pool({ connectionString: POSTGRES, options: `-c search_path=${schema}` });
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    try {
      const seconds = await ingest(store, ranges);
      const base = await baseline(db, "postgres", ranges);
      report("postgres", events.length, seconds, base);
    } finally {
      await store.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
