#!/usr/bin/env node
/**
 * `provledger`: the command line. Today it runs the indexer (`provledger index`) and the query API (`provledger
 * serve`); the CLI issue adds the commands that register, verify and inspect.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command, CommanderError } from "commander";
import { isProvledgerError } from "../sdk";
import { indexCommand } from "./commands/index";
import { serveCommand } from "./commands/serve";
import { CliError } from "./errors";

export function program(): Command {
  return (
    new Command("provledger")
      .description("Provledger: dataset provenance on a permissioned ledger")
      .version(readVersion())
      .exitOverride()
      // Each command's own parse errors (an unknown flag, a missing value) are thrown to `main` too, instead of Commander
      // exiting the process from inside the parser: the exit status is the same, and `main` can run in a test.
      .addCommand(indexCommand().exitOverride())
      .addCommand(serveCommand().exitOverride())
  );
}

/** This package's version: from the nearest package.json above this file (src/cli in the repository, dist/src/cli). */
function readVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (!existsSync(path)) continue;
    const json = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (json.name === "provledger" && json.version) return json.version;
  }
  return "unknown";
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its message (or the help); keep its exit code (0 for --help and --version).
      process.exitCode = error.exitCode;
      return;
    }
    const message = isProvledgerError(error) ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`provledger: ${message}\n`);
    process.exitCode = error instanceof CliError ? 2 : 1;
  }
}

if (require.main === module) void main();
