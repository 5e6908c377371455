import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FingerprintError, ProvledgerError, isRetryableError, type FingerprintErrorCode } from "../../../src/sdk";

/** Every code; the type below fails to compile if one is missing. */
const CODES = [
  "FileUnreadable",
  "NotAFile",
  "FileChanged",
  "DirectoryUnreadable",
  "NotADirectory",
  "EmptyDirectory",
  "NonRegularFile",
  "InvalidFileName",
  "InvalidHex",
  "InvalidInput",
  "InvalidJson",
  "WorkerFailed",
] as const satisfies readonly FingerprintErrorCode[];
const everyCode: Exclude<FingerprintErrorCode, (typeof CODES)[number]> extends never ? true : false = true;

/** The text of a `## Name` section of docs/errors.md, up to the next `## `. */
function docsSection(name: string): string {
  const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "errors.md"), "utf8");
  const start = docs.indexOf(`\n## ${name}\n`);
  expect(start, `docs/errors.md has a section ${name}`).to.be.greaterThan(0);
  const end = docs.indexOf("\n## ", start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

describe("SDK fingerprints: FingerprintError", () => {
  it("is a ProvledgerError named after its class, with PascalCase codes each documented", () => {
    expect(everyCode).to.equal(true);
    const section = docsSection("FingerprintError");
    for (const code of CODES) {
      const error = new FingerprintError(code, "something failed", { details: "do something else" });
      expect(error).to.be.instanceOf(ProvledgerError);
      expect(error.name).to.equal("FingerprintError");
      expect(error.code).to.match(/^[A-Z][A-Za-z]+$/);
      expect(error.docsPath).to.equal("docs/errors.md#fingerprinterror");
      expect(error.message).to.equal("something failed; do something else");
      expect(section, code).to.include(`\`${code}\``);
    }
  });

  it("is retryable only where the same call may succeed later", () => {
    const retryable = (code: FingerprintErrorCode, osCode?: string): boolean =>
      isRetryableError(new FingerprintError(code, "x", { details: "y", osCode }));
    expect(retryable("FileChanged")).to.equal(true);
    expect(retryable("WorkerFailed")).to.equal(true);
    expect(retryable("FileUnreadable", "EMFILE")).to.equal(true);
    expect(retryable("DirectoryUnreadable", "EAGAIN")).to.equal(true);
    expect(retryable("FileUnreadable", "ENOENT")).to.equal(false);
    expect(retryable("FileUnreadable", "EACCES")).to.equal(false);
    expect(retryable("FileUnreadable")).to.equal(false);
    for (const code of ["NotAFile", "EmptyDirectory", "NonRegularFile", "InvalidHex", "InvalidJson"] as const) {
      expect(retryable(code), code).to.equal(false);
    }
    expect(new FingerprintError("WorkerFailed", "x", { retryable: false }).retryable).to.equal(false);
  });

  it("keeps the path and the system's code", () => {
    const error = new FingerprintError("FileUnreadable", "cannot read file /data/a.csv: permission denied (EACCES)", {
      details: "grant read access",
      path: "/data/a.csv",
      osCode: "EACCES",
    });
    expect(error.path).to.equal("/data/a.csv");
    expect(error.osCode).to.equal("EACCES");
    expect(error.shortMessage).to.equal("cannot read file /data/a.csv: permission denied (EACCES)");
    expect(error.details).to.equal("grant read access");
  });
});
