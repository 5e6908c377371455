/**
 * The store's conformance suite: every behaviour `IndexerStore` promises, run against each database (store.test.ts
 * runs it for SQLite and PostgreSQL) over real encoded logs (fixtures.ts).
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { keccak256, toHex, zeroHash, type Hex } from "viem";
import { ProjectionError, tableNames, type MemoryProjectionStore } from "../../../src/indexer/projection";
import { StoreError, type IndexerStore } from "../../../src/indexer/store";
import { rowToJson, tableSpecs } from "../../../src/indexer/store/codec";
import { toStoredEvent } from "../../../src/indexer/events";
import type { RangeCommit, StoreIdentity, StoredEvent } from "../../../src/indexer/types";
import type { WriterLock } from "../../../src/indexer/store/types";
import { isTrailEvent, trailEntryFromEvent } from "../../../src/sdk";
import { actor, event, fingerprint, hash } from "../projection/fixtures";
import {
  FIRST_BLOCK,
  addresses,
  chain,
  checkpointAt,
  encodeEvent,
  lastBlock,
  memoryProjection,
  rangeOf,
  type Chain,
} from "./fixtures";
import type { Harness, HarnessFactory } from "./harness";

export const identity: StoreIdentity = {
  schemaVersion: 1,
  chainId: 31337,
  addresses,
  deploymentBlock: FIRST_BLOCK,
  deploymentBlockHash: hash("block 100 main"),
};

/** Rejects with a StoreError (or `type`) of `code`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  type: abstract new (...args: never[]) => Error = StoreError,
) {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as StoreError).code).to.equal(code);
    return error;
  }
  expect.fail(`expected a ${type.name} ${code}`);
}

/** The memory store's rows in the store's canonical form, sorted. */
function memoryLines(memory: MemoryProjectionStore): string[] {
  const lines: string[] = [];
  for (const table of tableNames) {
    for (const [key, value] of memory[table]) {
      lines.push(`${table} ${JSON.stringify(rowToJson(tableSpecs[table], key as never, value as never))}`);
    }
  }
  return lines.sort();
}

function projectionLines(dump: string): string[] {
  return dump
    .split("\n")
    .filter((line) => tableNames.some((table) => line.startsWith(`${table} `)))
    .sort();
}

/** The organisation-id parameters of the contracts' events (every uint32 one), as the API spec lists them. */
const ORG_PARAMETERS = [
  "orgId",
  "org",
  "ownerOrg",
  "granteeOrg",
  "grantorOrg",
  "customsOrg",
  "inspectorOrg",
  "toOrg",
  "fromOrg",
];

/**
 * The query tables' rows `c` gives up to `block`, computed independently of the store: record-trail entries with the
 * SDK's `trailEntryFromEvent`, organisations from the arguments' names, lineage from the memory projection.
 */
function expectedQueryLines(c: Chain, block: bigint): string[] {
  const lines: string[] = [];
  const memory = memoryProjection(c, block);
  c.events.forEach((stored, i) => {
    if (stored.blockNumber > block) return;
    const decoded = c.decoded[i]!;
    const at = { block_number: stored.blockNumber.toString(), log_index: stored.logIndex };
    const time = c.blocks.find((b) => b.number === stored.blockNumber)!.timestamp;
    if (isTrailEvent(decoded.eventName)) {
      const entry = trailEntryFromEvent(decoded as never, time);
      if (!entry.standalone) {
        const position = entry.stamp.recordLength.toString();
        const row = {
          fingerprint: entry.subject.toLowerCase(),
          position,
          ...at,
          event_name: decoded.eventName,
          action: entry.action,
          actor: entry.actor.toLowerCase(),
          time: time.toString(),
          payload_hash: entry.payloadHash.toLowerCase(),
          record_head: entry.stamp.recordHead.toLowerCase(),
          ledger_sequence: entry.stamp.ledgerSequence.toString(),
          ledger_head: entry.stamp.ledgerHead.toLowerCase(),
          block_hash: stored.blockHash.toLowerCase(),
          transaction_hash: stored.transactionHash.toLowerCase(),
        };
        lines.push(`record_trail ${JSON.stringify(row)}`);
      }
    }
    const args = (Array.isArray(decoded.args) ? {} : (decoded.args ?? {})) as Record<string, unknown>;
    const orgs = new Set(ORG_PARAMETERS.filter((name) => name in args).map((name) => Number(args[name])));
    for (const org of orgs) lines.push(`event_orgs ${JSON.stringify({ org_id: org, ...at })}`);
    if (decoded.eventName === "RecordRegistered") {
      const child = String(args.fingerprint).toLowerCase();
      for (const link of memory.records.get(child as Hex)!.parents) {
        const edge = {
          child,
          parent: link.fingerprint.toLowerCase(),
          relation: link.relation,
          grant_id: link.grantId.toString().padStart(20, "0"),
          block_number: at.block_number,
        };
        lines.push(`lineage_edges ${JSON.stringify(edge)}`);
      }
    }
  });
  return lines.sort();
}

function queryLines(dump: string): string[] {
  return dump
    .split("\n")
    .filter((line) => /^(record_trail|event_orgs|lineage_edges) /.test(line))
    .sort();
}

/** Commits `c` in the ranges the tests use: final up to 104, then one unfinalized block per range (as realtime). */
export async function commitChain(store: IndexerStore, c: Chain, dumps?: Map<bigint, string>) {
  await store.commitRange(rangeOf(c, FIRST_BLOCK, FIRST_BLOCK + 4n));
  dumps?.set(FIRST_BLOCK + 4n, await store.dump());
  for (let block = FIRST_BLOCK + 5n; block <= lastBlock(c); block++) {
    await store.commitRange(rangeOf(c, block, block, FIRST_BLOCK + 5n));
    dumps?.set(block, await store.dump());
  }
}

/** Rejects with `describe()`'s message if `promise` has not settled within `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`after ${ms} ms: ${describe()}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts `acquire` with an `onWait` hook and resolves "waited" when it waits, or fails the test when it takes the
 * lock (or rejects) without waiting: a bare `while (!waited)` loop would spin until mocha's timeout instead.
 */
async function untilWaiting(
  acquire: (onWait: () => void) => Promise<WriterLock>,
  context: () => string,
): Promise<{ acquiring: Promise<WriterLock>; waits: () => number }> {
  let waits = 0;
  let signal!: () => void;
  const waited = new Promise<"waited">((resolve) => (signal = () => resolve("waited")));
  const acquiring = acquire(() => {
    waits += 1;
    signal();
  });
  // A failing test aborts the wait: that rejection is expected, not unhandled.
  acquiring.catch(() => {});
  const first = await withDeadline(Promise.race([waited, acquiring]), 20_000, () => `never waited; ${context()}`);
  if (first !== "waited") {
    await first.release();
    expect.fail(`took the writer lock without waiting, while another holder had it; ${context()}`);
  }
  return { acquiring, waits: () => waits };
}

type LockHolder = {
  readonly child: ChildProcess;
  /** What the child printed and how far it got, for failure messages. */
  describe(): string;
};

/** Runs holdLock.ts on `url` and resolves once it holds the writer lock; fails with its output if it does not. */
async function holdLockInChild(url: string): Promise<LockHolder> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "-r", "ts-node/register/transpile-only", join(__dirname, "holdLock.ts"), url],
    { cwd: join(__dirname, "..", "..", ".."), stdio: ["ignore", "pipe", "pipe"] },
  );
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  let exit: string | undefined;
  const holder: LockHolder = {
    child,
    describe: () => {
      const steps = stdout.trim().split("\n").filter(Boolean);
      return (
        `the lock holder (pid ${child.pid}) reached ${JSON.stringify(steps.at(-1) ?? "nothing")} ` +
        `(steps ${JSON.stringify(steps)}) after ${Date.now() - started} ms` +
        (exit ? `, exited (${exit})` : ", still running") +
        (stderr ? `; stderr: ${stderr.trim()}` : "")
      );
    },
  };
  const locked = new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^locked$/m.test(stdout)) resolve();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      reject(new Error(holder.describe()));
    });
  });
  try {
    // ts-node's start takes seconds (5 s of CPU: the SDK through the store), 30 s on an overloaded machine.
    await withDeadline(locked, 60_000, holder.describe);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    throw error;
  }
  return holder;
}

export function describeStore(name: string, factory: () => HarnessFactory): void {
  describe(`IndexerStore conformance: ${name}`, function () {
    let harnesses: HarnessFactory;
    const opened: IndexerStore[] = [];

    before(() => (harnesses = factory()));
    after(async () => {
      for (const store of opened) await store.close().catch(() => {});
      await harnesses.cleanup();
    });

    function open(harness: Harness): IndexerStore {
      const store = harness.open();
      opened.push(store);
      return store;
    }

    async function fresh(): Promise<{ store: IndexerStore; harness: Harness }> {
      const harness = harnesses.create();
      const store = open(harness);
      await store.migrate();
      return { store, harness };
    }

    it("migrates idempotently, and seeds a new store with the default class rules", async function () {
      const { store, harness } = await fresh();
      const first = await store.dump();
      await store.migrate();
      const again = open(harness);
      await again.migrate();
      expect(await again.dump()).to.equal(first);
      expect(projectionLines(first)).to.deep.equal(memoryLines(memoryProjection(chain(), 0n)));
      expect(await store.rows("classRules")).to.have.length(4);
      expect(await store.checkpoint()).to.equal(undefined);
      expect(await store.identity()).to.equal(undefined);
    });

    it("refuses a database migrated by a newer indexer", async function () {
      const { harness } = await fresh();
      await harness.exec(
        `insert into kysely_migration (name, timestamp) values ('999_future', '2030-01-01T00:00:00Z')`,
      );
      await rejectsWith(open(harness).migrate(), "NewerSchema");
    });

    it("keeps the identity it was given, once", async function () {
      const { store } = await fresh();
      await store.writeIdentity(identity);
      expect(await store.identity()).to.deep.equal(identity);
      await store.writeIdentity(identity);
      const other = { ...identity, chainId: 1 };
      await rejectsWith(store.writeIdentity(other), "ConflictingIdentity");
      expect(await store.identity()).to.deep.equal(identity);
    });

    it("commits ranges: events, blocks, checkpoint, and the projection the memory store computes", async function () {
      const { store } = await fresh();
      const c = chain();
      const ranges = [rangeOf(c, 100n, 104n), rangeOf(c, 105n, 109n), rangeOf(c, 110n, lastBlock(c))];
      for (const range of ranges) await store.commitRange(range);

      expect(await store.checkpoint()).to.deep.equal(checkpointAt(c, lastBlock(c)));
      const pages: StoredEvent[][] = [];
      for await (const page of store.events({ pageSize: 7 })) pages.push(page);
      expect(pages.length).to.equal(Math.ceil(c.events.length / 7));
      expect(pages.flat()).to.deep.equal(c.events);
      const later: StoredEvent[] = [];
      for await (const page of store.events({ fromBlock: 110n })) later.push(...page);
      expect(later).to.deep.equal(c.events.filter((e) => e.blockNumber >= 110n));

      const blocks = ranges.flatMap((range) => range.blocks);
      expect(await store.blocks(0n)).to.deep.equal(blocks);
      expect(await store.blocks(105n, 2)).to.deep.equal(blocks.filter((b) => b.number >= 105n).slice(0, 2));
      expect(await store.block(105n)).to.deep.equal(c.blocks.find((b) => b.number === 105n));
      expect(await store.block(99n)).to.equal(undefined);

      const dump = await store.dump();
      expect(projectionLines(dump)).to.deep.equal(memoryLines(memoryProjection(c, lastBlock(c))));
      const record = await store.row("records", fingerprint);
      expect(record?.ownerOrg).to.equal(3);
      expect(record?.findings).to.have.length(1);
      expect((await store.row("grants", [fingerprint, 2]))?.grantId).to.equal(1n);
      expect(await store.row("grants", [fingerprint, 99])).to.equal(undefined);
      expect((await store.row("offers", 7n))?.deliveryReports).to.deep.equal([
        { receivedFingerprint: fingerprint, matches: true },
      ]);
      expect((await store.rows("offers")).map((o) => o.offerId)).to.deep.equal([7n, 8n]);
      expect(await store.row("operators", actor)).to.equal(2);
      expect(await store.row("operators", actor.toLowerCase() as Hex)).to.equal(2);
    });

    it("refuses an event stored under another block hash, writing nothing", async function () {
      const { store } = await fresh();
      await store.commitRange(rangeOf(chain(), 100n, 109n));
      const before = await store.dump();
      await rejectsWith(store.commitRange(rangeOf(chain(105n), 105n, 112n)), "ConflictingEvent");
      expect(await store.dump()).to.equal(before);
      // A block without events, stored under another hash, is refused the same way.
      const noEvents = { ...rangeOf(chain(109n), 109n, 109n), events: [] };
      await rejectsWith(store.commitRange(noEvents), "ConflictingBlock");
      expect(await store.dump()).to.equal(before);
    });

    it("treats a range committed again as a no-op, and an overlapping one as its new events", async function () {
      const c = chain();
      const { store } = await fresh();
      await store.commitRange(rangeOf(c, 100n, 109n));
      const once = await store.dump();
      await store.commitRange(rangeOf(c, 100n, 109n));
      expect(await store.dump()).to.equal(once);
      await store.commitRange(rangeOf(c, 105n, 112n));
      const { store: straight } = await fresh();
      await straight.commitRange(rangeOf(c, 100n, 112n));
      expect(await store.dump()).to.equal(await straight.dump());
    });

    it("writes nothing of a range that fails midway (projection error, unwritable checkpoint)", async function () {
      const c = chain();
      const { store } = await fresh();
      await store.commitRange(rangeOf(c, 100n, 104n));
      const before = await store.dump();

      // The range's events are inserted before its last one fails in the projection (a grant never issued).
      const good = rangeOf(c, 105n, 109n);
      const revoke = event("GrantRevoked", {
        fingerprint: hash("nowhere"),
        granteeOrg: 9,
        actor,
        grantId: 5n,
        ownerOrg: 1,
        reasonHash: zeroHash,
        stamp: { recordHead: zeroHash, recordLength: 1n, ledgerSequence: 10_000n, ledgerHead: hash("bad") },
      });
      const block = good.blocks[good.blocks.length - 1]!;
      const bad = toStoredEvent({
        blockNumber: block.number,
        blockHash: block.hash,
        logIndex: 99,
        transactionHash: keccak256(toHex("bad tx")),
        transactionIndex: 9,
        address: addresses.rights,
        ...encodeEvent(revoke),
      });
      const failing: RangeCommit = { ...good, events: [...good.events, bad] };
      await rejectsWith(store.commitRange(failing), "MissingGrant", ProjectionError);
      expect(await store.dump()).to.equal(before);

      // The last statement fails: a ledger sequence beyond a signed 64-bit integer.
      const overflow = { ...good, checkpoint: { ...good.checkpoint, ledgerSequence: 1n << 64n } };
      try {
        await store.commitRange(overflow);
        expect.fail("committed a checkpoint beyond int64");
      } catch (error) {
        expect((error as Error).message).to.not.include("committed a checkpoint");
      }
      expect(await store.dump()).to.equal(before);

      await store.commitRange(good);
      expect(await store.checkpoint()).to.deep.equal(good.checkpoint);
    });

    it("rolls back unfinalized blocks from the journal to the state at the ancestor", async function () {
      const c = chain();
      const { store } = await fresh();
      const dumps = new Map<bigint, string>();
      await commitChain(store, c, dumps);
      const ancestor = c.blocks.find((b) => b.number === 108n)!;
      await store.rollback(ancestor, checkpointAt(c, 108n));
      expect(await store.dump()).to.equal(dumps.get(108n));

      // The other branch from 109 on gives what a store that only ever saw it has.
      const fork = chain(109n);
      for (let block = 109n; block <= lastBlock(fork); block++) {
        await store.commitRange(rangeOf(fork, block, block, 105n));
      }
      const { store: other } = await fresh();
      await commitChain(other, fork);
      expect(await store.dump()).to.equal(await other.dump());

      // Back to before the first unfinalized block, and everything above it gone.
      await store.rollback(
        c.blocks.find((b) => b.number === 104n)!,
        checkpointAt(c, 104n),
      );
      expect(await store.dump()).to.equal(dumps.get(104n));
    });

    it("rebuilds the projection when a rollback goes below the journal", async function () {
      const c = chain();
      const { store, harness } = await fresh();
      const dumps = new Map<bigint, string>();
      await commitChain(store, c, dumps);
      await store.finalize(110n);
      // A row the removed blocks never touched, changed behind the store's back: only a rebuild restores it.
      await harness.exec(`update class_rules set rule = 99 where data_class = 0`);
      await store.rollback(
        c.blocks.find((b) => b.number === 107n)!,
        checkpointAt(c, 107n),
      );
      expect(await store.dump()).to.equal(dumps.get(107n));
    });

    it("writes the query tables with each range, removes them in a rollback and derives them again in a rebuild", async function () {
      const c = chain();
      const { store, harness } = await fresh();
      const dumps = new Map<bigint, string>();
      await commitChain(store, c, dumps);
      const all = queryLines(await store.dump());
      expect(all).to.deep.equal(expectedQueryLines(c, lastBlock(c)));
      for (const table of ["record_trail", "event_orgs", "lineage_edges"]) {
        expect(all.filter((line) => line.startsWith(`${table} `)).length, table).to.be.greaterThan(0);
      }
      // Positions run 1.. per record; an event naming two organisations has a row for each.
      const trail = all.filter((line) => line.startsWith("record_trail ")).map((line) => JSON.parse(line.slice(13)));
      expect(
        trail.filter((row) => row.fingerprint === fingerprint.toLowerCase()).map((row) => row.position),
      ).to.include("1");
      const orgsPerEvent = new Map<string, number>();
      for (const line of all.filter((l) => l.startsWith("event_orgs "))) {
        const row = JSON.parse(line.slice(11));
        const at = `${row.block_number}:${row.log_index}`;
        orgsPerEvent.set(at, (orgsPerEvent.get(at) ?? 0) + 1);
      }
      expect(Math.max(...orgsPerEvent.values())).to.equal(2);
      // Each state of the chain has the rows of its blocks only (the incremental commits agree).
      for (const [block, dump] of dumps)
        expect(queryLines(dump), `block ${block}`).to.deep.equal(expectedQueryLines(c, block));

      // Rollback from the journal, then below it (rebuild): the rows of the removed blocks go.
      expect(expectedQueryLines(c, 108n)).to.not.deep.equal(all);
      await store.rollback(
        c.blocks.find((b) => b.number === 108n)!,
        checkpointAt(c, 108n),
      );
      expect(queryLines(await store.dump())).to.deep.equal(expectedQueryLines(c, 108n));
      await store.finalize(108n);
      await store.rollback(
        c.blocks.find((b) => b.number === 103n)!,
        checkpointAt(c, 103n),
      );
      expect(queryLines(await store.dump())).to.deep.equal(expectedQueryLines(c, 103n));

      // A rebuild derives them from the events alone.
      await commitChain(store, c);
      const full = await store.dump();
      await harness.exec(`delete from record_trail`);
      await harness.exec(`delete from event_orgs where org_id = 3`);
      await harness.exec(`update lineage_edges set relation = 7`);
      expect(await store.dump()).to.not.equal(full);
      await store.rebuildProjection();
      expect(await store.dump()).to.equal(full);
    });

    it("upgrades a store indexed before 002: its trail rows are derived again from the stored events", async function () {
      const c = chain();
      const { store, harness } = await fresh();
      await commitChain(store, c);
      const full = await store.dump();
      // The store as 001 left it: the old four-column record_trail (with a row to prove it is replaced), no 002.
      await harness.exec(`drop table record_trail`);
      await harness.exec(
        `create table record_trail (fingerprint text not null, position bigint not null, block_number bigint not ` +
          `null, log_index integer not null, primary key (fingerprint, position))`,
      );
      await harness.exec(`insert into record_trail values ('0x${"ab".repeat(32)}', 1, 100, 0)`);
      await harness.exec(`delete from kysely_migration where name = '002_trail_entries'`);
      const upgraded = open(harness);
      await upgraded.migrate();
      expect(await upgraded.dump()).to.equal(full);
    });

    it("rebuilds the projection from the stored events, equal to the incremental one", async function () {
      const c = chain();
      const { store, harness } = await fresh();
      await commitChain(store, c);
      const incremental = await store.dump();
      await harness.exec(`update records set frozen = 1, findings = '[]'`);
      await harness.exec(`delete from grants`);
      expect(await store.dump()).to.not.equal(incremental);
      await store.rebuildProjection();
      expect(await store.dump()).to.equal(incremental);
    });

    it("lets one writer in at a time; the next waits (onWait once) and gets in on release", async function () {
      const harness = harnesses.create();
      const [a, b] = [open(harness), open(harness)];
      await a.migrate();
      const lock = await a.acquireWriterLock();
      let acquired = false;
      const { acquiring, waits } = await untilWaiting(
        (onWait) => b.acquireWriterLock({ onWait }).then((l) => ((acquired = true), l)),
        () => "the first holder is this process",
      );
      expect(acquired).to.equal(false);
      await lock.release();
      const second = await withDeadline(acquiring, 20_000, () => "the lock was released, yet the waiter never got it");
      expect(waits()).to.equal(1);

      const controller = new AbortController();
      const aborted = a.acquireWriterLock({ onWait: () => controller.abort(), signal: controller.signal });
      await rejectsWith(aborted, "LockAborted");
      await second.release();

      // Another database's lock is another lock.
      const { store: elsewhere } = await fresh();
      await (await elsewhere.acquireWriterLock({ onWait: () => expect.fail("waited for another database") })).release();
    });

    it("takes the writer lock over from a holder killed with SIGKILL", async function () {
      // The child's ts-node start takes seconds on a loaded machine; the deadlines inside say what hung, and where.
      this.timeout(120_000);
      const { store, harness } = await fresh();
      const holder = await holdLockInChild(harness.url);
      const controller = new AbortController();
      let killed = false;
      let acquiredAfterKill: boolean | undefined;
      try {
        const { acquiring, waits } = await untilWaiting(
          (onWait) =>
            store
              .acquireWriterLock({ onWait, signal: controller.signal })
              .then((lock) => ((acquiredAfterKill = killed), lock)),
          holder.describe,
        );
        killed = true;
        holder.child.kill("SIGKILL");
        const lock = await withDeadline(
          acquiring,
          20_000,
          () => `the holder was killed, yet the lock was not taken over; ${holder.describe()}`,
        );
        expect(acquiredAfterKill).to.equal(true);
        expect(waits()).to.equal(1);
        await lock.release();
      } finally {
        controller.abort();
        if (holder.child.exitCode === null && holder.child.signalCode === null) holder.child.kill("SIGKILL");
      }
    });
  });
}
