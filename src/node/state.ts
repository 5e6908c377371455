/**
 * anvil's state file and its last good copy.
 *
 * anvil (`--state <file>`) loads the file when it starts and rewrites it on every `--state-interval` tick and on
 * exit, in place (open with O_TRUNC, then write: no rename). A crash in the middle of a write leaves a truncated file,
 * and the next start fails with "failed to parse json file". So the file is parsed before each start and after each
 * tick; a copy that parsed is kept beside it (`state.good.json`, written atomically), and a start whose file does not
 * parse falls back to that copy (the bad file is moved aside, never deleted).
 */
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { LocalLedgerError } from "./errors";
import { asideName, writeFileAtomic } from "./files";

export type StateFiles = {
  /** The file anvil reads and rewrites (`--state`). */
  state: string;
  /** The last copy of it that parsed. */
  good: string;
};

export function stateFiles(chainDir: string): StateFiles {
  return { state: join(chainDir, "state.json"), good: join(chainDir, "state.good.json") };
}

/** What a state file holds, if it parses: the head block it restores. */
export type ParsedState = { text: string; block: number };

/** The state file parsed, or why it does not parse. A file anvil is writing right now may be incomplete. */
export function parseState(path: string): ParsedState | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { error: `cannot be read (${(error as NodeJS.ErrnoException).code})` };
  }
  try {
    const json = JSON.parse(text) as { block?: { number?: string }; best_block_number?: string | number };
    if (typeof json !== "object" || json === null || !("accounts" in json)) {
      return { error: "is JSON but not an anvil state dump (no accounts)" };
    }
    const block = Number(json.best_block_number ?? json.block?.number ?? 0);
    return { text, block };
  } catch (error) {
    return { error: `is not valid JSON (${(error as Error).message}; ${text.length} bytes)` };
  }
}

export type PreparedState = {
  /** Where the chain comes from: a new chain, the state file, or the last good copy (the state file was bad). */
  source: "new" | "state" | "good-copy";
  /** The head block the state restores (0 for a new chain). */
  block: number;
  /** Where the unreadable state file was moved, when it was. */
  movedAside?: string;
};

/**
 * Makes `state.json` loadable before anvil starts: keeps it if it parses (and refreshes the good copy from it), else
 * moves it aside and puts the last good copy in its place. Throws StateUnreadable if neither parses.
 */
export function prepareState(files: StateFiles, logger?: Logger): PreparedState {
  const good = existsSync(files.good) ? parseState(files.good) : undefined;
  if (!existsSync(files.state)) {
    if (good && "text" in good) {
      writeFileAtomic(files.state, good.text);
      logger?.warn(
        { stateFile: files.state, goodCopy: files.good, block: good.block },
        "the chain's state file is missing: restored it from the last good copy",
      );
      return { source: "good-copy", block: good.block };
    }
    return { source: "new", block: 0 };
  }
  const current = parseState(files.state);
  if ("text" in current) {
    writeFileAtomic(files.good, current.text);
    return { source: "state", block: current.block };
  }
  const movedAside = asideName(files.state, "corrupt", ".json");
  if (!good || !("text" in good)) {
    throw new LocalLedgerError(
      "StateUnreadable",
      `the chain's state file ${files.state} ${current.error}, and there is no good copy to fall back to` +
        (good ? ` (${files.good} ${good.error})` : ""),
      {
        details:
          "the node cannot restore this chain. Move the file aside (or the whole home folder) to start a new " +
          "chain; the index of the old chain is then moved aside on the next start",
      },
    );
  }
  renameSync(files.state, movedAside);
  writeFileAtomic(files.state, good.text);
  logger?.warn(
    { stateFile: files.state, reason: current.error, movedTo: movedAside, goodCopy: files.good, block: good.block },
    `the chain's state file ${current.error} (a crash while the node wrote it): recovered from the last good copy, ` +
      `block ${good.block}; blocks after it are lost and the indexer rolls back to match`,
  );
  return { source: "good-copy", block: good.block, movedAside };
}

/**
 * Refreshes the good copy from the state file if it changed since `last` and parses now (a file being written does
 * not parse: it is skipped until the next call). Returns the state file's stamp to pass next time.
 */
export function refreshGoodCopy(files: StateFiles, last?: string): string | undefined {
  let stamp: string;
  try {
    const stat = statSync(files.state);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return last;
  }
  if (stamp === last) return last;
  const parsed = parseState(files.state);
  if (!("text" in parsed)) return last;
  writeFileAtomic(files.good, parsed.text);
  return stamp;
}
