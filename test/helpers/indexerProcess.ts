/**
 * `provledger index` as a real child process (the command users run), for tests that kill it: its JSON log lines are
 * parsed as they arrive, so a test can wait for a message or a block.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(__dirname, "../..");

export type LogLine = { level: number; msg: string; [key: string]: unknown };

export type IndexerProcess = {
  readonly process: ChildProcess;
  readonly lines: LogLine[];
  /** Resolves with the first line (already seen or to come) for which `predicate` holds. */
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
};

let built = false;

/**
 * Builds dist/ once per test run (`npm run build` is a no-op when dist/ is up to date with src/): the command runs as
 * installed users run it, compiled, and starts in a fraction of a second instead of ts-node's several.
 */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  built = true;
}

/** Starts `provledger index <args>` from the built package (dist/src/cli/main.js). */
export function startIndexerProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): IndexerProcess {
  ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, "dist/src/cli/main.js"), "index", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { level: 30, msg: text };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    kill: (signal = "SIGKILL") => void child.kill(signal),
    waitFor(predicate, timeoutMs = 60_000) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `the indexer did not log the awaited line within ${timeoutMs} ms; last lines:\n` +
                lines
                  .slice(-10)
                  .map((line) => JSON.stringify(line))
                  .join("\n") +
                `\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`the indexer exited before logging the awaited line; stderr:\n${stderr}`));
        });
      });
    },
  };
}
