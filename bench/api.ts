/**
 * The query API under load, over HTTP, with 1,000,000 events in the store (bench/seed.ts: a valid history committed
 * through the store's own `commitRange`), on SQLite and on PostgreSQL.
 *
 * The server runs in a child process (createServer from src/server, port 0) so that the load generator does not share
 * its event loop; autocannon drives it at a fixed rate (`overallRate`) with a random key per request (`setupRequest`).
 * Latencies are each response's own time in microseconds (autocannon's histogram rounds to whole milliseconds,
 * too coarse for a 2 ms target). The load generator shares the 2 cores with the server (and, on these machines, with
 * other jobs): a response's time as autocannon sees it includes waits for autocannon's own event loop and for a core,
 * which GET /health at the same rate shows (its p99 is several ms on a loaded machine, for a route that does nothing).
 * So the server child also times each request itself, from node's `request` event to the response's `finish` (the
 * handler, the queries and the serialisation, not the kernel's or the client's queues), and each latency figure gives
 * both: the client's figure is the one the target is judged on, the server's says how much of it is the server.
 * `--pin` puts the server on CPU 1 and autocannon on CPU 0 (taskset), so that they do not take each other's core (on a
 * machine that other jobs load too, pinning can also make it worse: say which was used).
 * Every figure is printed beside a baseline measured in the same run:
 *   - record lookup, trail pages: p99 / p99 of GET /health at the same rate (the HTTP floor);
 *   - lineage (10,000 nodes, depth 50), sequential requests: p50 / p50 of a static answer of the same bytes;
 *   - exports (lineage.csv, lineage.prov.json, activity.csv, activity.prov.json): rows/s / JSON.stringify rows/s of
 *     the same rows (CSV rows counted as RFC 4180 reads them; PROV-JSON rows from the export's own count).
 * and a target line (MET / NOT MET). The machine's load average is printed with each store: on a shared 2-core
 * machine it moves every figure.
 *
 *   npm run bench:api [-- --only sqlite|postgres --rate 1000 --duration 10 --connections 10 --pin --fresh --profile]
 *   (a smaller store for trying it: --events 100000 --lineage-nodes 2000 --lineage-depth 20 --hot-trail 2000)
 *   PROVLEDGER_BENCH_POSTGRES=postgres://... (default postgres://postgres@127.0.0.1:5432/test; a schema of its own,
 *   dropped after)
 *
 * The seeded SQLite file is cached in .bench-cache/ (keyed by the generator's parameters and the store's sources);
 * PostgreSQL is seeded each run (`--keep-postgres` keeps the schema and prints its name; `--postgres-schema` reuses one).
 */
import autocannon from "autocannon";
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Hex } from "viem";
import { createStore } from "../src/indexer/store";
import { cachedSqliteStore, defaultSeedParameters, seedStore, type SeedManifest, type SeedParameters } from "./seed";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const has = (name: string) => args.includes(`--${name}`);

const POSTGRES = process.env.PROVLEDGER_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const RATE = Number(flag("rate") ?? 1000);
const DURATION = Number(flag("duration") ?? 10);
const CONNECTIONS = Number(flag("connections") ?? 10);
const SEQUENTIAL = Number(flag("sequential") ?? 50);

const TARGETS = {
  recordP99: 2,
  trailP99: 5,
  lineageMs: 50,
  exportRowsPerSecond: 50_000,
};

// ---------------------------------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------------------------------

/**
 * Child mode: serves the store (a path, or a postgres URL with `--schema`), plus one bench-only route, `/bench/bytes`,
 * a static JSON answer of `n` bytes (the HTTP floor for an answer of that size), and tells the parent its URL.
 */
async function serve(): Promise<void> {
  const { createServer } = await import("../src/server");
  const { openStoreReader } = await import("../src/indexer/store");
  const url = flag("serve")!;
  const schema = flag("schema");
  const reader = openStoreReader(url, { ...(schema ? { schema } : {}), statementTimeoutMs: 30_000 });
  const server = await createServer({ store: reader, host: "127.0.0.1", port: 0, logger: false });
  const statics = new Map<number, string>();
  server.app.get<{ Querystring: { n: string } }>("/bench/bytes", async (request, reply) => {
    const n = Number(request.query.n);
    let body = statics.get(n);
    if (body === undefined) {
      body = JSON.stringify({ data: "x".repeat(Math.max(0, n - 11)) });
      statics.set(n, body);
    }
    reply.type("application/json");
    return body;
  });
  // Server-side time of each request (us), from node's `request` event (before Fastify sees it: prepended) to the
  // response's `finish` (its last byte handed to the kernel); the parent takes and clears them after each load.
  let serverTimes: number[] = [];
  server.app.server.prependListener("request", (_request, response) => {
    const started = process.hrtime.bigint();
    response.once("finish", () => serverTimes.push(Number(process.hrtime.bigint() - started) / 1000));
  });
  const address = await server.listen();
  process.send!({ url: address });
  process.on("message", (message: { close?: boolean; takeTimes?: boolean }) => {
    if (message.takeTimes) {
      process.send!({ serverTimes });
      serverTimes = [];
    }
    if (message.close) {
      void server
        .close()
        .then(
          () => reader.close(),
          () => undefined,
        )
        .finally(() => process.exit(0));
    }
  });
}

type Served = {
  url: string;
  child: ChildProcess;
  /** The server-side times (ms) of the requests since the last call. */
  takeServerTimes(): Promise<number[]>;
  close(): Promise<void>;
};

async function startServer(store: string, schema?: string): Promise<Served> {
  if (has("profile")) mkdirSync(".bench-cache/profiles", { recursive: true });
  const child = fork(__filename, ["--serve", store, ...(schema ? ["--schema", schema] : [])], {
    // --pin: taskset runs node on CPU 1 (fork passes execArgv to execPath, the IPC channel is inherited).
    ...(has("pin") ? { execPath: "taskset" } : {}),
    execArgv: [
      ...(has("pin") ? ["-c", "1", process.execPath] : []),
      "-r",
      "ts-node/register/transpile-only",
      ...(has("profile") ? ["--cpu-prof", "--cpu-prof-dir", ".bench-cache/profiles"] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: { url: string }) => resolve(message.url));
    child.once("exit", (code) => reject(new Error(`the API server exited (${code}) before listening`)));
  });
  return {
    url,
    child,
    takeServerTimes: () =>
      new Promise<number[]>((resolve) => {
        const listener = (message: { serverTimes?: number[] }) => {
          if (!message.serverTimes) return;
          child.off("message", listener);
          resolve(message.serverTimes.map((us) => us / 1000));
        };
        child.on("message", listener);
        child.send({ takeTimes: true });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ close: true });
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------------

type Latencies = {
  p50: number;
  p99: number;
  p999: number;
  count: number;
  rate: number;
  errors: number;
  /** The server's own time for the same requests (node's request event to the response's finish). */
  server?: { p50: number; p99: number };
};

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function summarise(times: number[], seconds: number, errors: number): Latencies {
  const sorted = Float64Array.from(times).sort();
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    count: times.length,
    rate: times.length / seconds,
    errors,
  };
}

/** `DURATION` seconds at `RATE` requests/s, each request's path from `path()`. */
async function load(base: string, path: () => string, duration = DURATION): Promise<Latencies> {
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon(
    {
      url: base,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration,
      requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: path() }) }],
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    else {
      errors += 1;
      firstError ??= `status ${statusCode}`;
    }
  });
  const result = await done;
  const seconds = (performance.now() - started) / 1000;
  errors += result.errors + result.timeouts;
  if (errors > 0) console.log(`    ${errors} failed requests (first: ${firstError ?? "socket error or timeout"})`);
  return summarise(times, seconds, errors);
}

async function get(url: string): Promise<{ status: number; body: string; ms: number; headers: Headers }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started, headers: response.headers };
}

async function getJson<T>(url: string): Promise<T> {
  const { status, body } = await get(url);
  if (status !== 200) throw new Error(`GET ${url}: ${status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

/** Sequential requests of one URL: latencies in ms (after one warm-up request). */
async function sequential(
  url: string,
  runs = SEQUENTIAL,
): Promise<{ times: number[]; last: string; headers: Headers }> {
  let last = await get(url);
  if (last.status !== 200) throw new Error(`GET ${url}: ${last.status} ${last.body.slice(0, 300)}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    last = await get(url);
    times.push(last.ms);
  }
  return { times, last: last.body, headers: last.headers };
}

const median = (times: number[]) => summarise(times, 1, 0).p50;
const p99Of = (times: number[]) => summarise(times, 1, 0).p99;

/** Data rows of an RFC 4180 document: line ends outside quoted fields, less the header (a quoted cell may hold CRLF). */
function csvRows(body: string): number {
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 13 && !quoted && body.charCodeAt(i + 1) === 10) rows += 1;
  }
  return rows - 1;
}

/** A PROV-JSON export's own count (`provledger:recordCount`, `provledger:eventCount` on its export entity). */
function countAttribute(body: string, name: string): number {
  const match = new RegExp(`"provledger:${name}":(\\d+)`).exec(body);
  if (!match) throw new Error(`the export has no provledger:${name}`);
  return Number(match[1]);
}

/** rows/s of JSON.stringify over `rows` (the export's baseline: the least a renderer of these rows does). */
function stringifyRate(rows: readonly unknown[]): number {
  const runs = 5;
  JSON.stringify(rows);
  const started = performance.now();
  for (let i = 0; i < runs; i++) JSON.stringify(rows);
  return (rows.length * runs) / ((performance.now() - started) / 1000);
}

type Figure = { name: string; value: string; baseline: string; ratio: string; target: string; met: boolean };

const ms = (value: number) => `${value.toFixed(3)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")} rows/s`;

// ---------------------------------------------------------------------------------------------------------------
// One store
// ---------------------------------------------------------------------------------------------------------------

type Page<T> = { data: T; next?: string | null };
type TrailData = { length: number; entries: unknown[] };
type LineageData = {
  nodes: unknown[];
  edges: unknown[];
  truncated: boolean;
  truncatedBy: string | null;
  depth: number;
};

/** Paths of every page of each hot record's trail at `limit` (walked once; the load then picks pages at random). */
async function trailPages(base: string, manifest: SeedManifest, limit: number): Promise<string[]> {
  const paths: string[] = [];
  for (const { fingerprint, trailLength } of manifest.hot) {
    let path = `/v1/records/${fingerprint}/trail?limit=${limit}`;
    let pages = 0;
    for (;;) {
      paths.push(path);
      const page = await getJson<Page<TrailData>>(base + path);
      pages += 1;
      if (Number(page.data.length) !== trailLength) {
        throw new Error(`the trail of ${fingerprint} has length ${page.data.length}, the seed made ${trailLength}`);
      }
      if (!page.next) break;
      path = `/v1/records/${fingerprint}/trail?limit=${limit}&cursor=${encodeURIComponent(page.next)}`;
    }
    if (pages !== Math.ceil(trailLength / limit)) {
      throw new Error(
        `the trail of ${fingerprint} came in ${pages} pages of ${limit}, not ${Math.ceil(trailLength / limit)}`,
      );
    }
  }
  return paths;
}

async function measure(label: string, store: string, manifest: SeedManifest, schema?: string): Promise<Figure[]> {
  const server = await startServer(store, schema);
  const base = server.url;
  const figures: Figure[] = [];
  const pickFrom = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  try {
    console.log(
      `\n${label}: server at ${base}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    // Sanity: the store answers what the seed wrote.
    const root = await getJson<Page<{ fingerprint: Hex; children: unknown[] }>>(
      `${base}/v1/records/${manifest.lineage.root}`,
    );
    if (root.data.fingerprint !== manifest.lineage.root) throw new Error(`the lineage root's answer is not its own`);

    // A load with the server's own times of the same requests.
    const timed = async (path: () => string, duration = DURATION): Promise<Latencies> => {
      await server.takeServerTimes();
      const latencies = await load(base, path, duration);
      const own = summarise(await server.takeServerTimes(), 1, 0);
      return { ...latencies, server: { p50: own.p50, p99: own.p99 } };
    };
    const serverPart = (l: Latencies) =>
      l.server ? `; server-side p50 ${ms(l.server.p50)} p99 ${ms(l.server.p99)}` : "";
    // Warm-up (JIT, caches, pool), then the HTTP floor at the same rate.
    await load(base, () => `/v1/records/${pickFrom(manifest.sampleRecords)}`, 3);
    // The HTTP floor: GET /health (S2's system routes), or, where a build has none, the bench's static route.
    const floorPath = (await get(`${base}/health`)).status === 200 ? "/health" : "/bench/bytes?n=15";
    const health = await timed(() => floorPath);
    console.log(
      `  ${floorPath} at ${RATE}/s: p50 ${ms(health.p50)} p99 ${ms(health.p99)} p99.9 ${ms(health.p999)}` +
        serverPart(health),
    );

    const latencyFigure = (name: string, l: Latencies, target: number) => {
      console.log(
        `  ${name}: ${l.count} requests at ${Math.round(l.rate)}/s, p50 ${ms(l.p50)} p99 ${ms(l.p99)} ` +
          `p99.9 ${ms(l.p999)}${l.errors ? `, ${l.errors} errors` : ""}${serverPart(l)}`,
      );
      figures.push({
        name: `${name} p50/p99/p99.9`,
        value:
          `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)} / ${l.p999.toFixed(2)} ms` +
          (l.server ? ` (server p99 ${l.server.p99.toFixed(2)})` : ""),
        baseline:
          `${floorPath} p99 ${health.p99.toFixed(2)} ms` +
          (health.server ? ` (server ${health.server.p99.toFixed(2)})` : ""),
        ratio: `${(l.p99 / health.p99).toFixed(1)}x`,
        target: `p99 < ${target} ms`,
        met: l.p99 < target && l.errors === 0 && l.rate >= RATE * 0.95,
      });
    };

    latencyFigure(
      "record lookup",
      await timed(() => `/v1/records/${pickFrom(manifest.sampleRecords)}`),
      TARGETS.recordP99,
    );
    for (const limit of [100, 1000]) {
      const pages = await trailPages(base, manifest, limit);
      latencyFigure(`trail page of ${limit}`, await timed(() => pickFrom(pages)), TARGETS.trailP99);
    }

    // Lineage: the whole DAG down from its root, and up from a deepest node, sequentially.
    const lineagePath = (fingerprint: Hex, direction: string) =>
      `/v1/records/${fingerprint}/lineage?direction=${direction}&depth=${manifest.lineage.depth}&limit=10000`;
    for (const [name, fingerprint, direction] of [
      ["lineage down from the root", manifest.lineage.root, "down"],
      ["lineage up from a deepest node", manifest.lineage.deepest[0]!, "up"],
    ] as const) {
      await server.takeServerTimes();
      const run = await sequential(base + lineagePath(fingerprint, direction));
      const own = await server.takeServerTimes();
      const answer = JSON.parse(run.last) as Page<LineageData>;
      const floor = await sequential(`${base}/bench/bytes?n=${Buffer.byteLength(run.last)}`);
      const p50 = median(run.times);
      const floorP50 = median(floor.times);
      console.log(
        `  ${name}: ${answer.data.nodes.length} nodes, ${answer.data.edges.length} edges, depth ` +
          `${answer.data.depth}, truncated ${answer.data.truncatedBy ?? "no"}, ${Buffer.byteLength(run.last)} bytes; ` +
          `${run.times.length} sequential: p50 ${ms(p50)} p99 ${ms(p99Of(run.times))} (server-side p50 ` +
          `${ms(median(own))}); static answer of the same size p50 ${ms(floorP50)}`,
      );
      const whole = direction === "up" || answer.data.nodes.length >= manifest.lineage.nodes;
      figures.push({
        name: `${name} (${answer.data.nodes.length} nodes) p50/p99`,
        value: `${p50.toFixed(1)} / ${p99Of(run.times).toFixed(1)} ms`,
        baseline: `same bytes static p50 ${floorP50.toFixed(1)} ms`,
        ratio: `${(p50 / floorP50).toFixed(1)}x`,
        target: `p99 < ${TARGETS.lineageMs} ms`,
        met: p99Of(run.times) < TARGETS.lineageMs && whole,
      });
    }

    // Exports, sequentially: rows per second of the document, against JSON.stringify of the same rows.
    const lineageJson = (
      JSON.parse((await get(base + lineagePath(manifest.lineage.root, "down"))).body) as Page<LineageData>
    ).data;
    // One row per record, as the CSV has it (the PROV-JSON has the edges too: counted as the same rows, conservatively).
    const lineageRows = lineageJson.nodes;
    const busiest = [...manifest.busyOrgs].sort((a, b) => b.events - a.events)[0]!;
    const activityRows = Math.min(100_000, busiest.events);
    // The same events as JSON (the activity route's EventAnswer), page by page.
    const activityEvents: unknown[] = [];
    let activityPath = `/v1/organizations/${busiest.org}/activity?limit=1000`;
    while (activityEvents.length < activityRows) {
      const response = await get(base + activityPath);
      if (response.status !== 200) break;
      const page = JSON.parse(response.body) as Page<{ events: unknown[] }>;
      activityEvents.push(...page.data.events);
      if (!page.next) break;
      activityPath = `/v1/organizations/${busiest.org}/activity?limit=1000&cursor=${encodeURIComponent(page.next)}`;
    }
    activityEvents.length = Math.min(activityEvents.length, activityRows);
    const exportsToRun = [
      {
        name: "lineage.csv",
        path: lineagePath(manifest.lineage.root, "down").replace("/lineage?", "/lineage.csv?"),
        rows: csvRows,
        baseline: lineageRows,
      },
      {
        // Rows: the records (the export entity's recordCount; its edges are not counted, conservatively).
        name: "lineage.prov.json",
        path: lineagePath(manifest.lineage.root, "down").replace("/lineage?", "/lineage.prov.json?"),
        rows: (body: string) => countAttribute(body, "recordCount"),
        baseline: lineageRows,
      },
      {
        name: `activity.csv (org ${busiest.org})`,
        path: `/v1/organizations/${busiest.org}/activity.csv?limit=${activityRows}`,
        rows: csvRows,
        baseline: activityEvents,
      },
      {
        name: `activity.prov.json (org ${busiest.org})`,
        path: `/v1/organizations/${busiest.org}/activity.prov.json?limit=${activityRows}`,
        rows: (body: string) => countAttribute(body, "eventCount"),
        baseline: activityEvents,
      },
    ];
    for (const e of exportsToRun) {
      const probe = await get(base + e.path);
      if (probe.status !== 200) {
        console.log(`  ${e.name}: ${probe.status} ${probe.body.slice(0, 200)}: not measured`);
        figures.push({
          name: `export ${e.name}`,
          value: `HTTP ${probe.status}`,
          baseline: "-",
          ratio: "-",
          target: `>= ${TARGETS.exportRowsPerSecond.toLocaleString("en-US")} rows/s`,
          met: false,
        });
        continue;
      }
      const run = await sequential(base + e.path, 10);
      const rows = e.rows(run.last);
      const p50 = median(run.times);
      const rate = rows / (p50 / 1000);
      const base2 = stringifyRate(e.baseline);
      console.log(
        `  ${e.name}: ${rows} rows, ${Buffer.byteLength(run.last)} bytes, p50 ${ms(p50)} -> ${perSecond(rate)}; ` +
          `JSON.stringify of the same rows ${perSecond(base2)}`,
      );
      figures.push({
        name: `export ${e.name}`,
        value: perSecond(rate),
        baseline: `JSON.stringify ${perSecond(base2)}`,
        ratio: `${(rate / base2).toFixed(2)}x`,
        target: `>= ${TARGETS.exportRowsPerSecond.toLocaleString("en-US")} rows/s`,
        met: rate >= TARGETS.exportRowsPerSecond,
      });
    }
    console.log(
      `  load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    await server.close();
  }
  return figures;
}

function printTable(label: string, figures: Figure[]): void {
  console.log(`\n${label}`);
  const widths = [44, 28, 34, 8, 22];
  const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(" "));
  row(["figure", "value", "baseline (same run)", "ratio", "target"]);
  for (const f of figures) row([f.name, f.value, f.baseline, f.ratio, `${f.target}: ${f.met ? "MET" : "NOT MET"}`]);
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

function parameters(): SeedParameters {
  const d = defaultSeedParameters;
  const number = (name: string, fallback: number) => Number(flag(name) ?? fallback);
  return {
    ...d,
    events: number("events", d.events),
    lineageNodes: number("lineage-nodes", d.lineageNodes),
    lineageDepth: number("lineage-depth", d.lineageDepth),
    hotRecords: number("hot-records", d.hotRecords),
    hotTrail: number("hot-trail", d.hotTrail),
  };
}

const progress = (label: string) => {
  let shown = 0;
  return (committed: number, total: number, seconds: number) => {
    if (committed - shown < total / 10 && committed < total) return;
    shown = committed;
    console.log(
      `  ${label}: ${committed.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} events, ` +
        `${seconds.toFixed(0)} s (${Math.round(committed / seconds).toLocaleString("en-US")}/s)`,
    );
  };
};

async function main(): Promise<void> {
  // --pin: this process (autocannon) on CPU 0; the server child goes on CPU 1 (startServer).
  if (has("pin")) execFileSync("taskset", ["-pc", "0", String(process.pid)], { stdio: "ignore" });
  const only = flag("only");
  const p = parameters();
  console.log(
    `query API benchmark: ${p.events.toLocaleString("en-US")} events, lineage ${p.lineageNodes} nodes at depth ` +
      `${p.lineageDepth}, ${p.hotRecords} trails of ${p.hotTrail}, ${p.busyOrgs} busy organisations; ` +
      `${RATE} requests/s for ${DURATION} s per route over ${CONNECTIONS} connections; load average ` +
      `${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
  );
  const tables: [string, Figure[]][] = [];

  if (only !== "postgres") {
    const started = performance.now();
    const cached = await cachedSqliteStore(p, { fresh: has("fresh"), progress: progress("sqlite seed") });
    console.log(
      cached.cached
        ? `sqlite: cached store ${cached.path} (seeded in ${cached.manifest.seconds?.toFixed(0)} s when made)`
        : `sqlite: seeded ${cached.path} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    tables.push(["SQLite", await measure("sqlite", cached.path, cached.manifest)]);
  }

  if (only !== "sqlite") {
    const reuse = flag("postgres-schema");
    const schema = reuse ?? `bench_api_${Date.now().toString(36)}`;
    const admin = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: POSTGRES }) }) });
    try {
      let manifest: SeedManifest;
      if (reuse) {
        const row = await sql<{ manifest: string }>`select manifest from ${sql.id(schema)}.bench_manifest`.execute(
          admin,
        );
        manifest = JSON.parse(row.rows[0]!.manifest) as SeedManifest;
        console.log(`postgres: reusing schema ${schema}`);
      } else {
        const store = createStore(POSTGRES, { schema });
        try {
          manifest = await seedStore(store, p, progress("postgres seed"));
        } finally {
          await store.close();
        }
        await sql`create table ${sql.id(schema)}.bench_manifest (manifest text)`.execute(admin);
        await sql`insert into ${sql.id(schema)}.bench_manifest values (${JSON.stringify(manifest)})`.execute(admin);
        // As autovacuum would after a bulk load: the planner's statistics of the store's tables.
        const tables = await sql<{
          tablename: string;
        }>`select tablename from pg_tables where schemaname = ${schema}`.execute(admin);
        for (const { tablename } of tables.rows) await sql`analyze ${sql.id(schema, tablename)}`.execute(admin);
        console.log(`postgres: seeded schema ${schema} in ${manifest.seconds!.toFixed(0)} s`);
      }
      tables.push(["PostgreSQL", await measure("postgres", POSTGRES, manifest, schema)]);
    } finally {
      if (has("keep-postgres") || reuse) console.log(`postgres: kept schema ${schema} (--postgres-schema ${schema})`);
      else await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
      await admin.destroy();
    }
  }

  for (const [label, figures] of tables) printTable(`${label} (load average ${loadavg()[0].toFixed(1)})`, figures);
}

if (require.main === module) {
  (has("serve") ? serve() : main()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
