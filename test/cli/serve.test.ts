/**
 * `provledger serve` as users run it: the built CLI (dist/src/cli/main.js) as a child process over an empty, migrated
 * SQLite store (no chain needed: the API must serve, and say it is not ready, before the first checkpoint). It
 * listens on 127.0.0.1, answers /health and exits 0 on SIGTERM. Refusals of bad flags go through the CLI's `main` in
 * this process (the same code, without a process start per case), and `serveOptions` is checked directly.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createStore } from "../../src/indexer";
import { serveOptions } from "../../src/cli/commands/serve";
import { main } from "../../src/cli/main";
import { CliError } from "../../src/cli/errors";
import { ensureBuilt } from "../helpers/indexerProcess";

const ROOT = join(__dirname, "../..");

type Run = {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first JSON log line with this message. */
  waitFor(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
};

function serve(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [join(ROOT, "dist/src/cli/main.js"), "serve", ...args], {
    cwd: ROOT,
    // No PROVLEDGER_* from the environment running the tests: the flags below are the whole configuration.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PROVLEDGER_"))),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const waiters: [string, (line: Record<string, unknown>) => void][] = [];
  createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    lines.push(line);
    for (const [message, resolve] of waiters) if (line.msg === message) resolve(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(message, timeoutMs = 20_000) {
      const seen = lines.find((line) => line.msg === message);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no "${message}" within ${timeoutMs} ms; stderr: ${stderr}; stdout: ${JSON.stringify(lines)}`),
            ),
          timeoutMs,
        );
        waiters.push([message, (line) => (clearTimeout(timer), resolve(line))]);
        void exited.then(() => reject(new Error(`exited before "${message}"; stderr: ${stderr}`)));
      });
    },
  };
}

describe("cli: provledger serve", function () {
  this.timeout(180_000);
  let dir: string;
  let storePath: string;

  before(async function () {
    // The first test of a run to need dist/ builds it (minutes on a busy machine; a no-op when it is up to date).
    this.timeout(600_000);
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "provledger-serve-"));
    storePath = join(dir, "store.db");
    const store = await createStore(storePath);
    await store.migrate();
    await store.close();
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1, answers /health, is not ready without a checkpoint, and exits 0 on SIGTERM", async () => {
    // The port from the environment, the store from a flag: both sources work together.
    const run = serve(["--store", storePath, "--log-level", "info"], { PROVLEDGER_PORT: "0" });
    try {
      const listening = await run.waitFor("listening");
      const url = String(listening.url);
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/health`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ status: "ok" });
      expect(health.headers.get("x-request-id")).to.be.a("string");
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { reason: string }).reason).to.match(/no checkpoint/);
      const metrics = await fetch(`${url}/metrics`);
      expect(await metrics.text()).to.include("provledger_http_request_duration_seconds_count");
      run.child.kill("SIGTERM");
      const exit = await run.exited;
      expect(exit, run.stderr()).to.deep.equal({ code: 0, signal: null });
      expect(run.lines.some((line) => line.msg === "stopped")).to.equal(true);
    } finally {
      run.child.kill("SIGKILL");
    }
  });
});

describe("cli: provledger serve refusals", () => {
  let dir: string;
  let storePath: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "provledger-serve-refusals-"));
    storePath = join(dir, "store.db");
    const store = await createStore(storePath);
    await store.migrate();
    await store.close();
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `provledger serve <args>` through the CLI's `main`, in this process: its exit status and what it printed. */
  async function refused(args: readonly string[]): Promise<{ exitCode: number | undefined; stderr: string }> {
    let stderr = "";
    const write = process.stderr.write.bind(process.stderr);
    const saved = process.exitCode;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof write;
    try {
      process.exitCode = undefined;
      await main(["node", "provledger", "serve", ...args]);
      return { exitCode: process.exitCode as number | undefined, stderr };
    } finally {
      process.stderr.write = write;
      process.exitCode = saved;
    }
  }

  // Commander's own refusals exit 1; a value the command checks is a CliError (exit 2, as for `provledger index`); a
  // store that cannot be opened is a runtime failure (exit 1). None gets as far as listening.
  const cases: [string, () => readonly string[], number, RegExp][] = [
    ["an unknown flag", () => ["--store", storePath, "--no-such-flag"], 1, /unknown option '--no-such-flag'/],
    [
      "a port that is not a number",
      () => ["--store", storePath, "--port", "http"],
      2,
      /--port must be a whole number from 0 to 65535, got "http"/,
    ],
    [
      "indexer flags without --rpc-url",
      () => ["--store", storePath, "--confirmations", "3"],
      2,
      /--confirmations configure the in-process indexer, which runs only with --rpc-url/,
    ],
    [
      "--rpc-url without a deployment",
      () => ["--store", storePath, "--rpc-url", "http://127.0.0.1:1"],
      2,
      /no registry address/,
    ],
    ["a store that does not exist", () => ["--store", join(dir, "missing.db"), "--port", "0"], 1, /^provledger: /],
  ];
  for (const [what, args, code, message] of cases) {
    it(`refuses ${what}: exit status ${code}, a message, no stack`, async () => {
      const { exitCode, stderr } = await refused(args());
      expect(exitCode, stderr).to.equal(code);
      expect(stderr).to.match(message);
      expect(stderr, "no stack trace").not.to.match(/\n\s+at /);
    });
  }
});

describe("cli: serveOptions", () => {
  const flags = {
    store: "provledger.sqlite",
    host: "127.0.0.1",
    port: "4000",
    statementTimeout: "5000",
    bodyLimit: "262144",
    logLevel: "info",
    confirmations: "0",
    pollInterval: "1000",
    maxBlockRange: "10000",
  };

  it("turns flags into settings", () => {
    expect(serveOptions(flags)).to.deep.equal({
      store: "provledger.sqlite",
      host: "127.0.0.1",
      port: 4000,
      statementTimeoutMs: 5000,
      bodyLimit: 262144,
      logLevel: "info",
    });
  });

  const refusals: [Partial<typeof flags>, RegExp][] = [
    [{ port: "70000" }, /--port must be a whole number from 0 to 65535, got "70000"/],
    [{ port: "-1" }, /--port must be a whole number/],
    [{ statementTimeout: "0" }, /--statement-timeout must be a whole number from 1/],
    [{ bodyLimit: "10" }, /--body-limit must be a whole number from 1024/],
    [{ logLevel: "loud" }, /--log-level must be one of fatal, error/],
    [{ host: " " }, /--host is empty/],
    [{ store: "" }, /--store is empty/],
  ];
  for (const [change, message] of refusals) {
    it(`refuses ${JSON.stringify(change)}`, () => {
      expect(() => serveOptions({ ...flags, ...change }))
        .to.throw(CliError)
        .with.property("message")
        .that.matches(message);
    });
  }
});
