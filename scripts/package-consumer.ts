/**
 * A new user's project: this repository packed with `npm pack` (which builds it, through `prepack`) and installed from
 * the tarball into a fresh folder under the system's temporary directory, where nothing of this repository's
 * node_modules can be seen. Used by test/package (the package test) and bench/import.ts (the import-time benchmark).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPOSITORY = resolve(__dirname, "..");

/**
 * The environment for child processes: this one's, without what npm puts in it for a script it runs (`npm test`
 * sets npm_config_local_prefix, npm_package_json and others to this repository, which a nested npm would obey).
 */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "INIT_CWD" || key === "NODE_OPTIONS" || key.startsWith("TS_NODE_")) continue;
    env[key] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: "1", ...extra };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the process is killed and the run fails. Default 5 minutes. */
  timeout?: number;
}

const tail = (text: string, lines = 60): string => text.trimEnd().split("\n").slice(-lines).join("\n");

/** Runs a command to its end; fails with its exit status, stdout and stderr if it does not exit 0 in time. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(),
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timeout = options.timeout ?? 5 * 60_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeout);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} (in ${options.cwd}) could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (code === 0 && !timedOut) return resolvePromise({ stdout, stderr, ms });
      const why = timedOut ? `timed out after ${timeout / 1000} s` : `exited with ${code ?? signal}`;
      reject(
        new Error(
          `${command} ${args.join(" ")} (in ${options.cwd}) ${why}\n` +
            `--- stdout (last lines)\n${tail(stdout)}\n--- stderr (last lines)\n${tail(stderr)}`,
        ),
      );
    });
  });
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** `npm pack` of this repository into `destination` (prepack builds dist/ first); returns the tarball's path. */
export async function packRepository(destination: string): Promise<{ tarball: string; files: string[]; ms: number }> {
  const { stdout, ms } = await run(NPM, ["pack", "--json", "--pack-destination", destination], { cwd: REPOSITORY });
  // The build's own output precedes npm's JSON report.
  const report = JSON.parse(stdout.slice(stdout.indexOf("\n[") + 1)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: join(destination, report[0].filename), files: report[0].files.map((f) => f.path), ms };
}

export interface Consumer {
  /** The project's folder, under the system's temporary directory. */
  dir: string;
  /** Milliseconds that `npm install` took. */
  installMs: number;
  /** Installs more packages into the project (from the registry or npm's cache). */
  install(...specs: string[]): Promise<RunResult>;
  /** Runs `node` with `args` in the project, with the environment of childEnvironment(env). */
  node(args: readonly string[], env?: Record<string, string>, timeout?: number): Promise<RunResult>;
  /** Removes the project's folder. */
  remove(): Promise<void>;
}

/**
 * A fresh project under the system's temporary directory with the tarball installed, and `packages` besides (for
 * example "@types/node@20"), from the npm registry or npm's cache: what a new user's `npm install` does.
 */
export async function createConsumer(tarball: string, packages: readonly string[] = []): Promise<Consumer> {
  const dir = await mkdtemp(join(tmpdir(), "provledger-consumer-"));
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "provledger-consumer", version: "1.0.0", private: true }, null, 2) + "\n",
  );
  const install = (...specs: string[]): Promise<RunResult> =>
    run(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...specs], { cwd: dir });
  const installed = await install(tarball, ...packages);
  return {
    dir,
    installMs: installed.ms,
    install,
    node: (args, env = {}, timeout) => run(process.execPath, args, { cwd: dir, env: childEnvironment(env), timeout }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The version of a package installed in a project. */
export async function installedVersion(dir: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
