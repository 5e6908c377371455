/**
 * Audit replay speed: synthesises N valid stored events once (every event kind, real encodings, stamps as the
 * contracts compute them: test/indexer/audit/history.ts), then times `auditEvents` over them (every record head, the
 * ledger head and the digest recomputed from the raw logs). Baselines, in the same run, over the first events:
 *   - viem's decodeEventLog plus one viem keccak256 of the log's data per event (the least a viem-based audit does);
 *   - the SDK path (decodeLog, trailEntryFromEvent, replayTrail, nextDigest per event).
 *
 *   npx ts-node --transpile-only bench/audit.ts [count]     (default 1,000,000)
 *
 * Target: 1M events <= 20 s.
 */
import { loadavg } from "node:os";
import { decodeEventLog, keccak256, type Hex } from "viem";
import {
  emptyTrailState,
  isTrailEvent,
  provledgerAbi,
  replayTrail,
  trailEntryFromEvent,
  type DecodedEvent,
} from "../src/sdk";
import { auditEvents, nextDigest } from "../src/indexer/audit";
import { decodeLog } from "../src/indexer/events";
import { addresses, pagesOf, synthesizeHistory } from "../test/indexer/audit/history";

const TARGET_SECONDS_PER_MILLION = 20;

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  let started = process.hrtime.bigint();
  const history = synthesizeHistory(count, { seed: 7 });
  const pages = pagesOf(history.events, 10_000);
  const times = new Map(history.blocks.map((block) => [block.number, block.timestamp]));
  console.log(`synthesised ${count} events in ${history.blocks.length} blocks (${seconds(started).toFixed(1)} s)`);

  // Baselines over a sample (they are 10-100x slower: a full run would take minutes).
  const sample = history.events.slice(0, Math.min(count, 20_000));
  started = process.hrtime.bigint();
  for (const event of sample) {
    decodeEventLog({ abi: provledgerAbi, topics: event.topics as [Hex, ...Hex[]], data: event.data });
    keccak256(event.data);
  }
  const viemRate = sample.length / seconds(started);

  started = process.hrtime.bigint();
  const state = emptyTrailState();
  let digest: Hex = `0x${"00".repeat(32)}`;
  for (const event of sample) {
    const decoded = decodeLog(event) as unknown as DecodedEvent;
    digest = nextDigest(digest, event);
    if (isTrailEvent(decoded.eventName)) {
      replayTrail([trailEntryFromEvent(decoded, times.get(event.blockNumber)!)], state);
    }
  }
  const sdkRate = sample.length / seconds(started);

  started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const report = await auditEvents(pages, {
    blocks: history.blocks,
    expected: history.head,
    checkpoint: history.checkpoint,
    addresses,
  });
  const elapsed = seconds(started);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (!report.ok) throw new Error(`the audit of a valid history failed: ${report.divergence?.message}`);
  const rate = count / elapsed;
  const perMillion = 1e6 / rate;

  console.log(`audit: ${count} events in ${elapsed.toFixed(2)} s, ${Math.round(rate).toLocaleString("en")} events/s`);
  console.log(
    `  CPU time ${cpuSeconds.toFixed(2)} s (${((cpuSeconds / count) * 1e6).toFixed(1)} µs/event; wall time is ` +
      `higher when other processes share the cores: load average ${loadavg()[0].toFixed(1)})`,
  );
  console.log(`  ${report.ledgerSequence} ledger entries, ${report.records} record trails, digest ${report.digest}`);
  console.log(
    `baseline viem decodeEventLog + keccak256: ${Math.round(viemRate).toLocaleString("en")} events/s ` +
      `(audit is ${(rate / viemRate).toFixed(1)}x faster)`,
  );
  console.log(
    `baseline SDK replay (decodeLog, trailEntryFromEvent, replayTrail, nextDigest): ` +
      `${Math.round(sdkRate).toLocaleString("en")} events/s (audit is ${(rate / sdkRate).toFixed(1)}x faster)`,
  );
  console.log(
    `target: 1M events <= ${TARGET_SECONDS_PER_MILLION} s; at this rate 1M takes ${perMillion.toFixed(1)} s ` +
      `(${(perMillion / TARGET_SECONDS_PER_MILLION).toFixed(2)} of the budget): ` +
      (perMillion <= TARGET_SECONDS_PER_MILLION ? "met" : "NOT met"),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
