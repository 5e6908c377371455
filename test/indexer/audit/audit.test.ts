import { expect } from "chai";
import fc from "fast-check";
import { zeroHash, type Hex } from "viem";
import {
  TRAIL_ACTIONS,
  emptyTrailState,
  isTrailEvent,
  replayTrail,
  trailEntryFromEvent,
  type DecodedEvent,
} from "../../../src/sdk";
import { auditEvents, digestOf, type AuditReport } from "../../../src/indexer/audit";
import { decodeLog } from "../../../src/indexer/events";
import type { StoredEvent } from "../../../src/indexer/types";
import { addresses, pagesOf, synthesizeHistory, type History } from "./history";
import { TAMPERS, flipDigit, tamperWith, type Located } from "./tamper";

const exact = synthesizeHistory(600, { exact: true, seed: 11, records: 40 });

function audit(history: History, events: readonly StoredEvent[] = history.events, pageSize = 64) {
  return auditEvents(pagesOf(events, pageSize), {
    blocks: history.blocks,
    expected: history.head,
    checkpoint: history.checkpoint,
    addresses,
  });
}

function expectLocated(report: AuditReport, expected: Located): void {
  expect(report.ok, "the tamper went unnoticed").to.equal(false);
  const divergence = report.divergence!;
  expect({ kind: divergence.kind, sequence: divergence.sequence }, divergence.message).to.deep.equal({
    kind: expected.kind,
    sequence: expected.sequence,
  });
  if (expected.at) {
    expect({ blockNumber: divergence.blockNumber, logIndex: divergence.logIndex }).to.deep.equal(expected.at);
  }
  if (expected.record) expect(divergence.record).to.equal(expected.record.toLowerCase());
}

const chained = (events: readonly StoredEvent[]) => events.filter((e) => e.ledgerSequence !== null);

describe("audit: auditEvents over a valid history", () => {
  it("replays every event kind to the chain's head, the checkpoint's digest, and the SDK's own replay", async () => {
    const names = new Set(exact.events.map((e) => e.eventName));
    expect(Object.keys(TRAIL_ACTIONS).filter((name) => !names.has(name))).to.deep.equal([]);
    const report = await audit(exact);
    expect(report.divergence?.message).to.equal(undefined);
    expect(report).to.include({
      ok: true,
      ledgerSequence: exact.head.ledgerSequence,
      ledgerHead: exact.head.ledgerHead,
    });
    expect(report.eventCount).to.equal(BigInt(exact.events.length));
    expect(report.digest).to.equal(exact.checkpoint.digest);

    // Independently: the SDK's decoder and replayTrail (payloadHashOf over the decoded arguments) agree.
    const times = new Map(exact.blocks.map((b) => [b.number, b.timestamp]));
    const state = emptyTrailState();
    for (const event of exact.events) {
      const decoded = decodeLog(event) as unknown as DecodedEvent;
      if (isTrailEvent(decoded.eventName))
        replayTrail([trailEntryFromEvent(decoded, times.get(event.blockNumber)!)], state);
    }
    expect(state.ledgerHead).to.equal(report.ledgerHead);
    expect(state.records.size).to.equal(report.records);
  });

  it("gives the same report whatever the page size, from sync or async pages", async () => {
    const reports = [await audit(exact, exact.events, 1), await audit(exact, exact.events, 1000)];
    async function* pages() {
      for (const page of pagesOf(exact.events, 7)) yield page;
    }
    reports.push(
      await auditEvents(pages(), { blocks: exact.blocks, expected: exact.head, checkpoint: exact.checkpoint }),
    );
    for (const report of reports) expect(report).to.deep.equal(reports[0]);
  });

  it("audits an empty store as entry 0 at zeroHash, and a digest of nothing as zeroHash", async () => {
    const report = await auditEvents([], { expected: { ledgerSequence: 0n, ledgerHead: zeroHash } });
    expect(report).to.deep.include({
      ok: true,
      eventCount: 0n,
      ledgerSequence: 0n,
      ledgerHead: zeroHash,
      digest: zeroHash,
    });
    expect(digestOf([])).to.equal(zeroHash);
  });

  it("without the blocks no record head recomputes: the first chained event is reported", async () => {
    const report = await auditEvents([exact.events]);
    expect(report.divergence).to.include({ kind: "edited", sequence: 1n });
    expect(report.divergence!.message).to.match(/not stored/);
  });
});

describe("audit: each single-row tamper is located", () => {
  const rows = chained(exact.events);
  const middle = rows[Math.floor(rows.length / 2)];
  const indexOf = (e: StoredEvent) => exact.events.indexOf(e);

  it("a deleted row: a gap at its sequence, found at the next entry's row", async () => {
    const events = exact.events.filter((e) => e !== middle);
    const next = rows[rows.indexOf(middle) + 1];
    expectLocated(await audit(exact, events), {
      kind: "gap",
      sequence: middle.ledgerSequence!,
      at: { blockNumber: next.blockNumber, logIndex: next.logIndex },
    });
  });

  it("the last rows deleted: a gap after the last stored entry, against the chain's head", async () => {
    const last = rows[rows.length - 1];
    const events = exact.events.filter((e) => e !== last);
    const report = await audit(exact, events);
    expect(report.divergence).to.include({ kind: "gap", sequence: last.ledgerSequence! });
    // Without the chain's head, the checkpoint still catches it.
    const alone = await auditEvents([events], { blocks: exact.blocks, checkpoint: exact.checkpoint });
    expect(alone.divergence).to.include({ kind: "gap", sequence: last.ledgerSequence! });
  });

  for (const [what, edit] of [
    ["a data byte", (e: StoredEvent) => ({ ...e, data: flipDigit(e.data, 70) })],
    [
      "a string's padding byte (what viem's decoder would not see)",
      (e: StoredEvent) => ({ ...e, data: `${e.data.slice(0, -2)}01` as Hex }),
    ],
    ["the sequence column", (e: StoredEvent) => ({ ...e, ledgerSequence: e.ledgerSequence! + 1n })],
    ["the head column", (e: StoredEvent) => ({ ...e, ledgerHead: flipDigit(e.ledgerHead!, 5) })],
    ["the name column", (e: StoredEvent) => ({ ...e, eventName: "RecordWithdrawn" })],
    ["the block hash column", (e: StoredEvent) => ({ ...e, blockHash: flipDigit(e.blockHash, 3) })],
    ["the address", (e: StoredEvent) => ({ ...e, address: "0x000000000000000000000000000000000000dead" as Hex })],
    ["the stamp's sequence in the log", (e: StoredEvent) => ({ ...e, ledgerSequence: e.ledgerSequence! })],
  ] as const) {
    it(`an edited row (${what}): edited at its sequence, row and record`, async () => {
      const target = what.startsWith("a string")
        ? rows.find((e) => e.eventName === "RecordRegistered" && e.data.endsWith("00"))!
        : what === "the name column"
          ? rows.find((e) => e.eventName !== "RecordWithdrawn" && e.ledgerSequence! > 5n)!
          : middle;
      let tampered = edit(target);
      if (what.startsWith("the stamp's")) {
        // The stamp's ledgerSequence word is the third of its four: rewrite it to another number.
        const stampAt = target.data.indexOf(target.ledgerHead!.slice(2)) - 128;
        tampered = {
          ...target,
          data: `${target.data.slice(0, stampAt)}${"9".repeat(64)}${target.data.slice(stampAt + 64)}` as Hex,
        };
      }
      const events = exact.events.map((e) => (e === target ? tampered : e));
      expectLocated(await audit(exact, events), {
        kind: "edited",
        sequence: target.ledgerSequence!,
        at: { blockNumber: target.blockNumber, logIndex: target.logIndex },
        record: target.topics[1] as Hex,
      });
    });
  }

  it("an edited block time: edited at the first entry of that block", async () => {
    const blocks = exact.blocks.map((b) =>
      b.number === middle.blockNumber ? { ...b, timestamp: b.timestamp + 1n } : b,
    );
    const first = rows.find((e) => e.blockNumber === middle.blockNumber)!;
    const report = await auditEvents([exact.events], { blocks, expected: exact.head });
    expect(report.divergence).to.include({
      kind: "edited",
      sequence: first.ledgerSequence!,
      blockNumber: first.blockNumber,
    });
  });

  it("an edited unchained event: only the digest sees it, against the checkpoint", async () => {
    const unchained = exact.events.find((e) => e.ledgerSequence === null && e.data.length > 2)!;
    const events = exact.events.map((e) => (e === unchained ? { ...e, data: flipDigit(e.data, 1) } : e));
    const report = await audit(exact, events);
    expect(report.divergence).to.include({ kind: "digest", blockNumber: exact.checkpoint.blockNumber });
    // So does an edited transaction hash of a chained one.
    const moved = exact.events.map((e) =>
      e === middle ? { ...e, transactionHash: flipDigit(e.transactionHash, 9) } : e,
    );
    expect((await audit(exact, moved)).divergence?.kind).to.equal("digest");
  });

  it("an inserted copy: a duplicate, at the inserted row", async () => {
    for (const copied of [rows[3], rows[rows.length - 3]]) {
      const { events, expected } = tamperWith(exact.events, "insert", [
        rows.indexOf(middle) / rows.length,
        (rows.indexOf(copied) - (rows.indexOf(copied) > rows.indexOf(middle) ? 1 : 0) + 0.5) / (rows.length - 1),
      ]);
      expect(expected.sequence).to.equal(copied.ledgerSequence);
      expectLocated(await audit(exact, events), expected);
    }
  });

  it("rows out of (block, log) order: order, at the first row that goes back", async () => {
    // An unchained row placed after `middle` but dated a block before it (a sequence check cannot see this one).
    const unchained = exact.events.find((e) => e.ledgerSequence === null)!;
    const back = { ...unchained, blockNumber: middle.blockNumber - 1n };
    const events = [...exact.events];
    events.splice(indexOf(middle) + 1, 0, back);
    const report = await audit(exact, events);
    expect(report.divergence).to.include({ kind: "order", blockNumber: back.blockNumber, logIndex: back.logIndex });
  });

  for (const tamper of ["swap", "swap-data"] as const) {
    it(`two rows ${tamper === "swap" ? "trading places" : "trading contents"}: reordered, at the first`, async () => {
      const { events, expected } = tamperWith(exact.events, tamper, [0.3, 0.6]);
      expectLocated(await audit(exact, events), expected);
    });
  }

  it("a head the chain does not have: head", async () => {
    const report = await auditEvents([exact.events], {
      blocks: exact.blocks,
      expected: { ledgerSequence: exact.head.ledgerSequence, ledgerHead: flipDigit(exact.head.ledgerHead, 1) },
    });
    expect(report.divergence).to.include({ kind: "head", sequence: exact.head.ledgerSequence });
  });

  it("property: a random single-row tamper of a random history is detected and located", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 20, max: 150 }),
        fc.constantFrom(...TAMPERS),
        fc.tuple(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true })),
        async (seed, count, tamper, pick) => {
          const history = synthesizeHistory(count, { seed, records: 1 + (seed % 12) });
          const { events, expected } = tamperWith(history.events, tamper, pick);
          expectLocated(await audit(history, events, 1 + (seed % 50)), expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
