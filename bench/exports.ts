/**
 * Export throughput, for `ts-node --transpile-only bench/exports.ts` (no Hardhat, no database): each renderer of
 * src/server/exports over a generated input, in rows per second (a row: a lineage record or an activity event),
 * against a baseline measured in the same run on the same rows: JSON.stringify of the input's rows, the least a
 * JSON route does with them. The ratio (renderer / baseline) is what compares across machines; the target is
 * >= 50,000 rows/s (docs/api.md). It also renders the lineage CSV's cells with csv-stringify, the library the
 * CSV writer was measured against (src/server/exports/csv.ts says why it is not used). Each renderer is measured
 * twice: as one string (`lineageToCsv`, ...), and as the routes use it, in UTF-8 chunks (`lineageCsvBytes` ...),
 * which is what leaves for the socket.
 *
 * Environment: BENCH_ROWS (default 100000), BENCH_RUNS (timed runs per contender, default 3; the best is reported:
 * the least disturbed by other work on the machine).
 */
import { stringify } from "csv-stringify/sync";
import {
  LINEAGE_CSV_COLUMNS,
  activityCsvBytes,
  activityProvJsonBytes,
  activityToCsv,
  activityToProvJson,
  csvDocument,
  lineageCsvBytes,
  lineageProvJsonBytes,
  lineageToCsv,
  lineageToProvJson,
  neutraliseFormula,
} from "../src/server/exports";
import { largeActivity, largeLineage } from "../test/server/exports/fixtures";

const TARGET_ROWS_PER_SECOND = 50_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const ROWS = envInt("BENCH_ROWS", 100_000);
const RUNS = envInt("BENCH_RUNS", 3);

/** Reads a string whole (V8 builds a long string as a rope and flattens it when it is first read). */
const whole = (text: string): number => text.charCodeAt(text.length >> 1);

/** The bytes of the chunks a route writes (the renderers' UTF-8 chunks, as the export routes stream them). */
function sent(chunks: Iterable<Buffer>): number {
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.length;
  return bytes;
}

/** The best rows/s of RUNS runs of `fn` over `rows` rows, after one warm-up run. */
function measure(rows: number, fn: () => unknown): number {
  fn();
  let best = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    fn();
    best = Math.max(best, rows / ((performance.now() - start) / 1000));
  }
  return best;
}

function main(): void {
  const lineage = largeLineage(ROWS);
  const activity = largeActivity(ROWS);
  const lineageBaseline = measure(ROWS, () => JSON.stringify(lineage.nodes));
  const activityBaseline = measure(ROWS, () => JSON.stringify(activity.events));

  // The lineage CSV's cells, once, for the two CSV writers alone.
  const cells = lineageToCsv(lineage)
    .split("\r\n")
    .slice(1, -1)
    .map((line) => line.split(","));
  const ownWriter = measure(ROWS, () => csvDocument(LINEAGE_CSV_COLUMNS, cells));
  const csvStringify = measure(ROWS, () =>
    stringify(
      cells.map((row) => row.map(neutraliseFormula)),
      { header: true, columns: [...LINEAGE_CSV_COLUMNS], record_delimiter: "windows", quoted_match: /[\r\n]/ },
    ),
  );

  const results: [string, number, number][] = [
    ["lineageToCsv", measure(ROWS, () => whole(lineageToCsv(lineage))), lineageBaseline],
    ["lineageCsvBytes (UTF-8)", measure(ROWS, () => sent(lineageCsvBytes(lineage))), lineageBaseline],
    ["lineageToProvJson", measure(ROWS, () => whole(lineageToProvJson(lineage))), lineageBaseline],
    ["lineageProvJsonBytes (UTF-8)", measure(ROWS, () => sent(lineageProvJsonBytes(lineage))), lineageBaseline],
    ["activityToCsv", measure(ROWS, () => whole(activityToCsv(activity))), activityBaseline],
    ["activityCsvBytes (UTF-8)", measure(ROWS, () => sent(activityCsvBytes(activity))), activityBaseline],
    ["activityToProvJson", measure(ROWS, () => whole(activityToProvJson(activity))), activityBaseline],
    ["activityProvJsonBytes (UTF-8)", measure(ROWS, () => sent(activityProvJsonBytes(activity))), activityBaseline],
    ["CSV writer alone (csvDocument)", ownWriter, lineageBaseline],
    ["csv-stringify on the same cells", csvStringify, lineageBaseline],
  ];
  const fmt = (n: number) => Math.round(n).toLocaleString("en").padStart(11);
  console.log(`${ROWS.toLocaleString("en")} rows, best of ${RUNS} runs; baseline JSON.stringify of the rows:`);
  console.log(`  lineage nodes ${fmt(lineageBaseline)} rows/s, activity events ${fmt(activityBaseline)} rows/s`);
  let failed = false;
  for (const [name, rate, baseline] of results) {
    const verdict =
      name.startsWith("csv") || name.startsWith("CSV") ? "" : rate >= TARGET_ROWS_PER_SECOND ? "ok" : "BELOW TARGET";
    if (verdict === "BELOW TARGET") failed = true;
    console.log(`  ${name.padEnd(34)} ${fmt(rate)} rows/s  ${(rate / baseline).toFixed(3)}x baseline  ${verdict}`);
  }
  console.log(`  own CSV writer / csv-stringify: ${(ownWriter / csvStringify).toFixed(2)}x`);
  if (failed) process.exitCode = 1;
}

if (require.main === module) main();
