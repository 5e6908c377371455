/**
 * End to end: a real chain (anvil, the full deployment, random activity by every kind of actor), indexed by the real
 * runtime into real SQLite and PostgreSQL stores, audited against the chain's own `ledgerHead()`; then rows edited
 * directly with SQL, as someone with write access to the database could, and each edit located by `auditStore`.
 */
import { expect } from "chai";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import type { Hex } from "viem";
import { provenanceLedgerAbi } from "../../../src/sdk";
import { createIndexer, createStore } from "../../../src/indexer";
import { auditStore, type AuditReport } from "../../../src/indexer/audit";
import type { StoredEvent } from "../../../src/indexer/types";
import { randomActivity, setupConsortium, type Consortium } from "../../helpers/activity";
import { startAnvil } from "../../helpers/anvil";
import { underCoverage } from "../../helpers/coverage";
import { flipDigit } from "./tamper";

const PG = process.env.PROVLEDGER_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

type Db = { url: string; sql(statement: string, params?: unknown[]): Promise<void> };

describe("audit: auditStore over real chains and databases, rows edited with SQL", function () {
  this.timeout(300_000);
  let anvil: Awaited<ReturnType<typeof startAnvil>>;
  let consortium: Consortium;
  let dir: string;
  const schemas: string[] = [];
  let count = 0;

  before(async function () {
    if (underCoverage()) this.skip();
    anvil = await startAnvil();
    consortium = await setupConsortium(anvil.url);
    await randomActivity(consortium, 7, 60);
    dir = mkdtempSync(join(tmpdir(), "provledger-audit-"));
  });
  after(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString: PG });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  /** A fresh store of the dialect, indexed to the chain's head by the runtime. */
  async function indexed(dialect: "sqlite" | "postgres"): Promise<Db> {
    count += 1;
    let db: Db;
    if (dialect === "sqlite") {
      const url = join(dir, `audit-${count}.sqlite`);
      db = {
        url,
        async sql(statement, params = []) {
          const handle = new Database(url);
          try {
            handle.prepare(statement).run(...params);
          } finally {
            handle.close();
          }
        },
      };
    } else {
      const schema = `audit_${process.pid}_${count}_${Math.floor(Math.random() * 1e9)}`;
      schemas.push(schema);
      db = {
        url: `${PG}?schema=${schema}`,
        async sql(statement, params = []) {
          const client = new pg.Client({ connectionString: PG, options: `-c search_path=${schema}` });
          await client.connect();
          try {
            // $1, $2 for PostgreSQL where SQLite takes ?
            let n = 0;
            await client.query(
              statement.replace(/\?/g, () => `$${++n}`),
              params.map((p) => (typeof p === "bigint" ? p.toString() : p)),
            );
          } finally {
            await client.end();
          }
        },
      };
    }
    const indexer = createIndexer({
      rpcUrl: consortium.url,
      addresses: consortium.addresses,
      deploymentBlock: consortium.deployment.deploymentBlock,
      chainId: consortium.deployment.chainId,
      store: db.url,
      once: true,
      logger: pino({ level: "silent" }),
    });
    await indexer.run();
    return db;
  }

  /** Audits the store at `url` against the chain's `ledgerHead()` at its checkpoint's block. */
  async function audit(url: string): Promise<{ report: AuditReport; events: StoredEvent[] }> {
    const store = createStore(url);
    try {
      const checkpoint = await store.checkpoint();
      const [ledgerHead, ledgerSequence] = await consortium.publicClient.readContract({
        address: consortium.addresses.ledger,
        abi: provenanceLedgerAbi,
        functionName: "ledgerHead",
        blockNumber: checkpoint!.blockNumber,
      });
      const report = await auditStore(store, { expected: { ledgerSequence, ledgerHead }, pageSize: 37 });
      const events: StoredEvent[] = [];
      for await (const page of store.events()) events.push(...page);
      return { report, events };
    } finally {
      await store.close();
    }
  }

  const middleOf = (events: StoredEvent[]) => {
    const chained = events.filter((e) => e.ledgerSequence !== null);
    return { chained, row: chained[Math.floor(chained.length / 2)] };
  };

  for (const dialect of ["sqlite", "postgres"] as const) {
    describe(dialect, () => {
      it("a store indexed from the chain audits clean, to the chain's head and the checkpoint's digest", async () => {
        const db = await indexed(dialect);
        const { report, events } = await audit(db.url);
        expect(report.divergence?.message).to.equal(undefined);
        expect(report.ok).to.equal(true);
        expect(report.ledgerSequence > 40n).to.equal(true);
        expect(report.eventCount).to.equal(BigInt(events.length));
        expect(new Set(events.map((e) => e.eventName)).size).to.be.greaterThan(8);
      });

      it("DELETE of one event: a gap at its sequence", async () => {
        const db = await indexed(dialect);
        const { chained, row } = middleOf((await audit(db.url)).events);
        await db.sql("DELETE FROM events WHERE ledger_sequence = ?", [row.ledgerSequence]);
        const next = chained[chained.indexOf(row) + 1];
        const { report } = await audit(db.url);
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "gap",
          sequence: row.ledgerSequence,
          blockNumber: next.blockNumber,
          logIndex: next.logIndex,
        });
      });

      it("UPDATE of an event's data: edited at its sequence, block and record", async () => {
        const db = await indexed(dialect);
        const { row } = middleOf((await audit(db.url)).events);
        await db.sql("UPDATE events SET data = ? WHERE ledger_sequence = ?", [
          flipDigit(row.data, 40),
          row.ledgerSequence,
        ]);
        const { report } = await audit(db.url);
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "edited",
          sequence: row.ledgerSequence,
          blockNumber: row.blockNumber,
          logIndex: row.logIndex,
          record: row.topics[1],
        });
      });

      it("UPDATE of a column (ledger_head): edited, the column disagrees with its log", async () => {
        const db = await indexed(dialect);
        const { row } = middleOf((await audit(db.url)).events);
        await db.sql("UPDATE events SET ledger_head = ? WHERE ledger_sequence = ?", [
          flipDigit(row.ledgerHead!, 7),
          row.ledgerSequence,
        ]);
        const { report } = await audit(db.url);
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "edited",
          sequence: row.ledgerSequence,
        });
        expect(report.divergence!.message).to.match(/head column/);
      });

      it("INSERT of a copy of an earlier event: a duplicate, at the inserted row", async () => {
        const db = await indexed(dialect);
        const { chained, row } = middleOf((await audit(db.url)).events);
        const copied = chained[2];
        // A free log index just before `row`'s in its block (the runtime's logs are dense, so shift that block up).
        await db.sql("UPDATE events SET log_index = log_index + 1000 WHERE block_number = ? AND log_index >= ?", [
          row.blockNumber,
          row.logIndex,
        ]);
        await db.sql(
          "INSERT INTO events (block_number, log_index, block_hash, transaction_hash, transaction_index, address, " +
            "event_name, topics, data, ledger_sequence, ledger_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
          [
            row.blockNumber,
            row.logIndex,
            row.blockHash,
            copied.transactionHash,
            copied.transactionIndex,
            copied.address,
            copied.eventName,
            copied.topics.join(","),
            copied.data,
            copied.ledgerHead,
          ],
        );
        const { report } = await audit(db.url);
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "duplicate",
          sequence: copied.ledgerSequence,
          blockNumber: row.blockNumber,
          logIndex: row.logIndex,
        });
      });

      it("two events' logs swapped: reordered, at the first", async () => {
        const db = await indexed(dialect);
        const { chained, row } = middleOf((await audit(db.url)).events);
        const other = chained[chained.indexOf(row) + 3];
        const set = "UPDATE events SET topics = ?, data = ? WHERE block_number = ? AND log_index = ?";
        await db.sql(set, [other.topics.join(","), other.data, row.blockNumber, row.logIndex]);
        await db.sql(set, [row.topics.join(","), row.data, other.blockNumber, other.logIndex]);
        const { report } = await audit(db.url);
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "reordered",
          sequence: row.ledgerSequence,
          blockNumber: row.blockNumber,
          logIndex: row.logIndex,
        });
      });

      it("UPDATE of a block's time: edited at its first entry; of the checkpoint's digest: digest", async () => {
        const db = await indexed(dialect);
        const { row } = middleOf((await audit(db.url)).events);
        await db.sql("UPDATE blocks SET timestamp = timestamp + 1 WHERE number = ?", [row.blockNumber]);
        const { report, events } = await audit(db.url);
        const first = events.find((e) => e.blockNumber === row.blockNumber && e.ledgerSequence !== null)!;
        expect(report.divergence, report.divergence?.message).to.include({
          kind: "edited",
          sequence: first.ledgerSequence,
          blockNumber: row.blockNumber,
        });
        await db.sql("UPDATE blocks SET timestamp = timestamp - 1 WHERE number = ?", [row.blockNumber]);
        const clean = (await audit(db.url)).report;
        expect(clean.ok).to.equal(true);
        await db.sql("UPDATE checkpoint SET digest = ?", [flipDigit(clean.digest as Hex, 3)]);
        expect((await audit(db.url)).report.divergence?.kind).to.equal("digest");
      });
    });
  }
});
