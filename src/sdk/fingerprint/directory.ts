/**
 * fingerprintDirectory: a directory's manifest and scheme-2 root (docs/fingerprints.md#scheme-2-manifest_root), its
 * files hashed in parallel on the worker pool (pool.ts).
 */
import { lstat, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Scheme } from "../constants/codes";
import { FingerprintError } from "../errors/fingerprint";
import { preview } from "../utils/preview";
import { directoryUnreadable, fileUnreadable } from "./fileErrors";
import {
  manifestRoot,
  sortByPath,
  type DirectoryManifest,
  type NonRegularFileType,
  type SkippedEntry,
} from "./manifest";
import { acquireWorker, hashOnWorker, loadWorkerScript, releaseWorker, type HashResult } from "./pool";

export interface DirectoryProgress {
  filesHashed: number;
  totalFiles: number;
  /** Never decreases. Ends at `totalBytes` unless files changed size since they were listed. */
  bytesHashed: number;
  /** The sum of the file sizes when the directory was listed. */
  totalBytes: number;
  /** The file this update is about. */
  path: string;
  /** The worker thread hashing it (worker_threads threadId), for diagnostics. */
  threadId: number;
}

export interface FingerprintDirectoryOptions {
  /** Files hashed at once, each on its own worker thread. Default: os.availableParallelism(). */
  concurrency?: number;
  onProgress?: (progress: DirectoryProgress) => void;
  /** What to do with symbolic links, FIFOs, sockets and devices inside the directory. Default "error". */
  nonRegularFiles?: "error" | "skip";
}

/** Files queued on one worker at a time. */
const PIPELINE_DEPTH = 3;

/**
 * The manifest and scheme-2 root of every regular file under `dir`. Files are hashed in parallel on worker threads,
 * `concurrency` at a time, largest first so that no core idles at the end. Throws FingerprintError:
 * `DirectoryUnreadable`, `NotADirectory`, `EmptyDirectory` (no regular file at all), `NonRegularFile` (links or special
 * files inside, unless skipped), `InvalidFileName`, and the file errors of fingerprintFile. On the first error no
 * further file is started; files already being hashed run to their end.
 */
export async function fingerprintDirectory(
  dir: string,
  options: FingerprintDirectoryOptions = {},
): Promise<DirectoryManifest> {
  const { onProgress, nonRegularFiles = "error" } = options;
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new FingerprintError("InvalidInput", `concurrency must be a positive integer, got ${concurrency}`, {
      details: "leave it out for one worker per core",
    });
  }
  if (nonRegularFiles !== "error" && nonRegularFiles !== "skip") {
    throw new FingerprintError(
      "InvalidInput",
      `nonRegularFiles must be "error" or "skip", got ${preview(nonRegularFiles)}`,
      { details: 'pass "skip" to leave links and special files out, or leave it out to refuse them' },
    );
  }
  if (typeof dir !== "string" || dir === "") {
    throw new FingerprintError("InvalidInput", `dir must be a non-empty string, got ${preview(dir)}`, {
      details: "pass the path of the directory to fingerprint",
    });
  }
  const root = resolve(dir);
  try {
    if (!(await stat(root)).isDirectory()) {
      throw new FingerprintError("NotADirectory", `cannot fingerprint ${root} as a directory: it is not one`, {
        details: "use fingerprintFile for a single file",
        path: root,
      });
    }
  } catch (error) {
    if (error instanceof FingerprintError) throw error;
    throw directoryUnreadable(root, error);
  }

  const { files, nonRegular } = await listDirectory(root);
  const skipped = sortByPath(nonRegular);
  if (skipped.length > 0 && nonRegularFiles === "error") {
    const shown = skipped.slice(0, 10).map((entry) => `${entry.path} (${entry.type})`);
    const more = skipped.length > shown.length ? `, and ${skipped.length - shown.length} more` : "";
    throw new FingerprintError(
      "NonRegularFile",
      `${root} holds ${skipped.length} symbolic link(s) or special file(s), which a manifest cannot cover: ` +
        `${shown.join(", ")}${more}`,
      {
        details:
          'replace links by copies of their targets or remove them, or pass { nonRegularFiles: "skip" } to leave ' +
          "them out",
        path: root,
      },
    );
  }
  if (files.length === 0) {
    throw new FingerprintError(
      "EmptyDirectory",
      `${root} holds no regular file (at any depth), so there is nothing to fingerprint`,
      { details: "check the path", path: root },
    );
  }

  await loadWorkerScript();
  const hashed = await hashFiles(files, concurrency, onProgress);
  const entries = sortByPath(
    files.map(({ path }) => {
      const { size, sha256 } = hashed.get(path) as HashResult;
      return { path, size, sha256 };
    }),
  );
  return {
    scheme: Scheme.MANIFEST_ROOT,
    root: manifestRoot(entries),
    entries,
    fileCount: entries.length,
    totalBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
    skipped,
  };
}

interface ListedFile {
  path: string;
  absolute: string;
  size: number;
}

/** Hashes `files` on `concurrency` workers; the results by manifest path. */
async function hashFiles(
  files: readonly ListedFile[],
  concurrency: number,
  onProgress: FingerprintDirectoryOptions["onProgress"],
): Promise<Map<string, HashResult>> {
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  // Largest first, so that the last files to finish are small ones and no worker idles long at the end.
  const queue = [...files].sort((a, b) => b.size - a.size);
  let queued = 0;
  const hashed = new Map<string, HashResult>();
  let bytesHashed = 0;
  let failed = false;
  const report = (path: string, threadId: number): void => {
    if (!failed) {
      onProgress?.({ filesHashed: hashed.size, totalFiles: files.length, bytesHashed, totalBytes, path, threadId });
    }
  };
  // One lane per worker. A lane keeps PIPELINE_DEPTH files queued on its worker, so that the worker starts the next
  // file as soon as it finishes one instead of idling while its answer and the next request cross threads.
  const lane = async (): Promise<void> => {
    const pooled = await acquireWorker(concurrency);
    const inFlight = new Set<Promise<void>>();
    try {
      while (!failed && (queued < queue.length || inFlight.size > 0)) {
        while (!failed && queued < queue.length && inFlight.size < PIPELINE_DEPTH) {
          const { path, absolute } = queue[queued++];
          let counted = 0;
          const onBytes = (bytes: number, threadId: number): void => {
            counted += bytes;
            bytesHashed += bytes;
            report(path, threadId);
          };
          const done: Promise<void> = hashOnWorker(pooled, absolute, onBytes)
            .then((result) => {
              bytesHashed += result.size - counted;
              hashed.set(path, result);
              report(path, result.threadId);
            })
            .finally(() => inFlight.delete(done));
          inFlight.add(done);
        }
        if (inFlight.size > 0) await Promise.race(inFlight);
      }
    } finally {
      releaseWorker(pooled);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, lane));
  } catch (error) {
    failed = true;
    throw error;
  }
  return hashed;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Lists the regular files under `root` without following links; sizes come from lstat. */
async function listDirectory(root: string): Promise<{ files: ListedFile[]; nonRegular: SkippedEntry[] }> {
  const files: ListedFile[] = [];
  const nonRegular: SkippedEntry[] = [];
  const pending: { absolute: string; path: string }[] = [{ absolute: root, path: "" }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const directory = next;
    let dirents;
    try {
      dirents = await readdir(directory.absolute, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      throw directoryUnreadable(directory.absolute, error);
    }
    const found = await Promise.all(
      dirents.map(async (dirent) => {
        let name: string;
        try {
          name = utf8Strict.decode(dirent.name);
        } catch {
          const shown = join(directory.absolute, dirent.name.toString("utf8"));
          throw new FingerprintError(
            "InvalidFileName",
            `the name of ${shown} is not valid UTF-8 (bytes ${dirent.name.toString("hex")}), so it has no manifest path`,
            { details: "rename it (e.g. with convmv to UTF-8)", path: shown },
          );
        }
        const absolute = join(directory.absolute, name);
        const path = directory.path === "" ? name : `${directory.path}/${name}`;
        if (dirent.isDirectory()) return { kind: "directory" as const, absolute, path };
        if (!dirent.isFile()) return { kind: "other" as const, path, type: nonRegularType(dirent) };
        try {
          const stats = await lstat(absolute);
          // Re-checked: the entry may have changed since it was listed.
          if (!stats.isFile()) return { kind: "other" as const, path, type: nonRegularType(stats) };
          return { kind: "file" as const, absolute, path, size: stats.size };
        } catch (error) {
          throw fileUnreadable(absolute, error);
        }
      }),
    );
    for (const item of found) {
      if (item.kind === "directory") pending.push({ absolute: item.absolute, path: item.path });
      else if (item.kind === "file") files.push({ absolute: item.absolute, path: item.path, size: item.size });
      else nonRegular.push({ path: item.path, type: item.type });
    }
  }
  return { files, nonRegular };
}

function nonRegularType(entry: {
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): NonRegularFileType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice()) return "block-device";
  if (entry.isCharacterDevice()) return "character-device";
  return "unknown";
}
