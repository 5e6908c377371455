/** FingerprintErrors for the file system: the path, the OS's reason in words, and what to do about it. */
import { isAbsolute } from "node:path";
import { FingerprintError } from "../errors/fingerprint";

function describeOsError(path: string, error: unknown): { osCode?: string; reason: string; fix: string } {
  const osCode = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (osCode) {
    case "ENOENT":
      return {
        osCode,
        reason: "it does not exist",
        fix: isAbsolute(path)
          ? "check the path"
          : `check the path (it is relative to the current directory, ${process.cwd()})`,
      };
    case "EACCES":
    case "EPERM":
      return {
        osCode,
        reason: "permission denied",
        fix: "grant read access to the user running this process (e.g. chmod u+r, or u+rx for a directory), or run as a user who has it",
      };
    case "ENOTDIR":
      return { osCode, reason: "a component of the path is not a directory", fix: "check the path" };
    case "ELOOP":
      return { osCode, reason: "too many levels of symbolic links", fix: "check the links on the path" };
    case "EMFILE":
    case "ENFILE":
      return {
        osCode,
        reason: "too many open files",
        fix: "lower `concurrency` or raise the open-file limit (ulimit -n), or retry when fewer files are open",
      };
    default:
      return {
        osCode,
        reason: error instanceof Error ? error.message : String(error),
        fix: "check that the path is readable by this process",
      };
  }
}

export function fileUnreadable(path: string, error: unknown): FingerprintError {
  const { osCode, reason, fix } = describeOsError(path, error);
  const code = osCode ? ` (${osCode})` : "";
  return new FingerprintError("FileUnreadable", `cannot read file ${path}: ${reason}${code}`, {
    details: fix,
    path,
    osCode,
    cause: error,
  });
}

export function directoryUnreadable(path: string, error: unknown): FingerprintError {
  const { osCode, reason, fix } = describeOsError(path, error);
  const code = osCode ? ` (${osCode})` : "";
  return new FingerprintError("DirectoryUnreadable", `cannot list directory ${path}: ${reason}${code}`, {
    details: fix,
    path,
    osCode,
    cause: error,
  });
}

/** `what` is "a directory", "a FIFO", ...: see fileKind. */
export function notAFile(path: string, what: string): FingerprintError {
  return new FingerprintError("NotAFile", `cannot fingerprint ${path}: it is ${what}, not a regular file`, {
    details: what === "a directory" ? "use fingerprintDirectory for a directory" : "pass a regular file",
    path,
  });
}

export function fileChanged(path: string, detail: string): FingerprintError {
  return new FingerprintError("FileChanged", `file ${path} changed while it was being hashed: ${detail}`, {
    details: "fingerprint it once nothing writes to it",
    path,
  });
}

/** What a non-regular file is, in words, for notAFile. */
export function fileKind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  return "a device or other special file";
}
