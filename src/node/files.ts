/** Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Writes `data` to `path` so that a crash leaves either the old file or the new one, never half of either. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  // The mode is set at creation, so a secret is never readable by others, not even briefly.
  const fd = openSync(temporary, "w", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** A name for a file moved aside: `<stem>.<label>-<UTC time><ext>`, e.g. `state.corrupt-2026-01-02T03-04-05Z.json`. */
export function asideName(path: string, label: string, extension: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  const stem = path.endsWith(extension) ? path.slice(0, -extension.length) : path;
  return `${stem}.${label}-${stamp}${extension}`;
}
