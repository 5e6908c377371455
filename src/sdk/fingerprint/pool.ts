/**
 * The hashing worker pool of fingerprintDirectory, shared by all calls, grown on demand and never shrunk. A call
 * takes `concurrency` workers for itself and gives them back when done. Idle workers are unref'd so that they do not
 * keep the process alive; closeFingerprintPool() ends them.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Hex } from "viem";
import { FingerprintError } from "../errors/fingerprint";
import { fileChanged, fileUnreadable, notAFile } from "./fileErrors";
import type { HashRequest, WorkerMessage } from "./worker";

/** What a worker answers for one file. */
export interface HashResult {
  sha256: Hex;
  size: number;
  threadId: number;
}

/** A worker taken from the pool (acquireWorker) until it is given back (releaseWorker). */
export interface PoolWorker {
  worker: Worker;
  /** Requests sent and not yet answered, by id. */
  jobs: Map<number, Job>;
}

interface Job {
  path: string;
  onBytes: (bytes: number, threadId: number) => void;
  resolve: (result: HashResult) => void;
  reject: (error: Error) => void;
}

interface Waiter {
  resolve: (worker: PoolWorker) => void;
  reject: (error: Error) => void;
}

let nextJobId = 1;
const poolWorkers = new Set<PoolWorker>();
const idleWorkers: PoolWorker[] = [];
const waiting: Waiter[] = [];

/** How to start a worker: a script file, or (from TypeScript sources) the worker's code to evaluate. */
interface WorkerScript {
  script: string;
  eval: boolean;
}

let workerScript: WorkerScript | undefined;

/**
 * Prepares how to start workers; must run (once is enough) before acquireWorker. Compiled (this file is pool.js), the
 * worker is the compiled worker.js beside it, e.g. dist/src/sdk/fingerprint/worker.js in the package. Run as
 * TypeScript (ts-node, as in the tests), worker.ts is transpiled here once and run as code: this reuses the compiler
 * ts-node has already loaded, where registering ts-node in each worker would load a compiler per thread (about a
 * second and 100 MB each). The worker imports only node built-ins, so its code runs as is.
 */
export async function loadWorkerScript(): Promise<void> {
  if (workerScript !== undefined) return;
  const compiled = join(__dirname, "worker.js");
  if (!/\.[cm]?ts$/.test(__filename)) {
    if (!existsSync(compiled)) {
      throw new FingerprintError("WorkerFailed", `the hashing worker ${compiled} is missing`, {
        details: "reinstall the package: worker.js ships beside the fingerprint module",
        retryable: false,
      });
    }
    workerScript = { script: compiled, eval: false };
    return;
  }
  const source = join(__dirname, "worker.ts");
  let ts: typeof import("typescript");
  try {
    ts = await import("typescript");
  } catch (error) {
    throw new FingerprintError(
      "WorkerFailed",
      "running from TypeScript sources, hashing workers need the typescript package, which cannot be found",
      { details: "install typescript, or run the compiled JavaScript", retryable: false, cause: error },
    );
  }
  const { outputText } = ts.transpileModule(await readFile(source, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: source,
  });
  workerScript = { script: outputText, eval: true };
}

/** A worker for a caller's exclusive use: an idle one, a new one while fewer than `limit` exist, or the next freed. */
export async function acquireWorker(limit: number): Promise<PoolWorker> {
  const pooled =
    idleWorkers.pop() ??
    (poolWorkers.size < limit
      ? spawnWorker()
      : await new Promise<PoolWorker>((resolvePromise, reject) => waiting.push({ resolve: resolvePromise, reject })));
  pooled.worker.ref();
  return pooled;
}

/** Gives a worker back: to the next caller waiting for one, or to the idle list. */
export function releaseWorker(pooled: PoolWorker): void {
  if (!poolWorkers.has(pooled)) return;
  const waiter = waiting.shift();
  if (waiter !== undefined) {
    waiter.resolve(pooled);
    return;
  }
  pooled.worker.unref();
  idleWorkers.push(pooled);
}

/** Sends one file to a worker; the worker answers requests in order. */
export function hashOnWorker(
  pooled: PoolWorker,
  path: string,
  onBytes: (bytes: number, threadId: number) => void,
): Promise<HashResult> {
  return new Promise<HashResult>((resolvePromise, reject) => {
    const id = nextJobId++;
    pooled.jobs.set(id, { path, onBytes, resolve: resolvePromise, reject });
    pooled.worker.postMessage({ id, path } satisfies HashRequest);
  });
}

/**
 * Ends the hashing worker threads; hashing in progress or queued fails with FingerprintError `WorkerFailed`. New
 * threads start on the next fingerprintDirectory. Optional: idle threads are unref'd and do not keep the process
 * alive.
 */
export async function closeFingerprintPool(): Promise<void> {
  const workers = [...poolWorkers];
  const closed = (): FingerprintError =>
    new FingerprintError("WorkerFailed", "closeFingerprintPool() was called while files were being hashed", {
      details: "call it only once fingerprinting is done, or fingerprint the directory again",
    });
  for (const waiter of waiting.splice(0)) waiter.reject(closed());
  poolWorkers.clear();
  idleWorkers.length = 0;
  for (const pooled of workers) {
    for (const job of pooled.jobs.values()) job.reject(closed());
    pooled.jobs.clear();
  }
  await Promise.all(workers.map(({ worker }) => worker.terminate()));
}

/** The number of hashing worker threads alive, for diagnostics and tests. */
export function fingerprintPoolSize(): number {
  return poolWorkers.size;
}

/** Starts a worker; loadWorkerScript() must have run. */
function spawnWorker(): PoolWorker {
  const start = workerScript;
  if (start === undefined) throw new Error("fingerprint: loadWorkerScript() must run before spawnWorker()");
  const worker = new Worker(start.script, { eval: start.eval });
  const pooled: PoolWorker = { worker, jobs: new Map() };
  poolWorkers.add(pooled);
  worker.on("message", (message: WorkerMessage) => {
    const job = pooled.jobs.get(message.id);
    if (job === undefined) return;
    if (message.type === "progress") {
      try {
        job.onBytes(message.bytes, worker.threadId);
      } catch (error) {
        // Thrown by the caller's onProgress: fail the job rather than the process (this is an event listener).
        pooled.jobs.delete(message.id);
        job.reject(error as Error);
      }
      return;
    }
    pooled.jobs.delete(message.id);
    if (message.type === "done") {
      job.resolve({ sha256: `0x${message.sha256}`, size: message.size, threadId: worker.threadId });
    } else if (message.code === "FileChanged") {
      job.reject(fileChanged(job.path, message.reason));
    } else if (message.code === "NotAFile") {
      job.reject(notAFile(job.path, message.reason.replace(/^it (is|became) /, "")));
    } else {
      job.reject(fileUnreadable(job.path, Object.assign(new Error(message.reason), { code: message.osCode })));
    }
  });
  worker.on("error", (error) => {
    retire(
      pooled,
      new FingerprintError("WorkerFailed", `a hashing worker thread failed: ${error.message}`, {
        details: "fingerprint the directory again (new workers start)",
        cause: error,
      }),
    );
  });
  worker.on("exit", (exitCode) => {
    retire(
      pooled,
      new FingerprintError("WorkerFailed", `a hashing worker thread exited with code ${exitCode}`, {
        details: "fingerprint the directory again (new workers start)",
      }),
    );
  });
  return pooled;
}

/** Drops a dead worker, fails its jobs, and starts a replacement for a caller waiting for one. */
function retire(pooled: PoolWorker, error: Error): void {
  if (!poolWorkers.delete(pooled)) return;
  const index = idleWorkers.indexOf(pooled);
  if (index >= 0) idleWorkers.splice(index, 1);
  for (const job of pooled.jobs.values()) job.reject(error);
  pooled.jobs.clear();
  const waiter = waiting.shift();
  if (waiter !== undefined) {
    try {
      waiter.resolve(spawnWorker());
    } catch (spawnError) {
      waiter.reject(spawnError as Error);
    }
  }
}
