import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  BatchTreeError,
  InvalidBatchDumpError,
  InvalidFingerprintError,
  LeafNotFoundError,
  ProvledgerError,
  buildBatchTree,
  loadBatchTree,
  type BatchTreeErrorCode,
} from "../../../src/sdk";
import { fingerprints } from "./helpers";

function caught(action: () => unknown): BatchTreeError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(BatchTreeError).and.instanceOf(ProvledgerError);
    return error as BatchTreeError;
  }
  throw new Error("expected a BatchTreeError");
}

describe("SDK batch Merkle tree: errors", () => {
  it("are ProvledgerErrors named after their class, with documented PascalCase codes, never retryable", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "errors.md"), "utf8");
    const tree = buildBatchTree(fingerprints(4));
    const cases: [BatchTreeError, string, BatchTreeErrorCode][] = [
      [caught(() => buildBatchTree([])), "BatchTreeError", "EmptyBatch"],
      [caught(() => buildBatchTree("0x12" as never)), "BatchTreeError", "NotAnArray"],
      [caught(() => buildBatchTree(["0x12"])), "InvalidFingerprintError", "InvalidFingerprint"],
      [caught(() => tree.proof(9)), "LeafNotFoundError", "LeafNotFound"],
      [caught(() => loadBatchTree({})), "InvalidBatchDumpError", "InvalidBatchDump"],
    ];
    for (const [error, name, code] of cases) {
      expect(error.name).to.equal(name);
      expect(error.constructor.name).to.equal(name);
      expect(error.code).to.equal(code);
      expect(error.retryable).to.equal(false);
      expect(error.details, name).to.be.a("string");
      expect(error.docsPath).to.equal(`docs/errors.md#${name.toLowerCase()}`);
      expect(docs).to.match(new RegExp(`^#+ ${name}$`, "m"));
      expect(docs).to.include(`\`${code}\``);
    }
    expect(cases[2][0]).to.be.instanceOf(InvalidFingerprintError);
    expect(cases[3][0]).to.be.instanceOf(LeafNotFoundError);
    expect(cases[3][0].message).to.equal("no fingerprint at index 9; pass an index from 0 to 3");
    expect(cases[4][0]).to.be.instanceOf(InvalidBatchDumpError);
    for (const code of ["TooManyLeaves", "NoWebAssembly"]) expect(docs).to.include(`\`${code}\``);
  });
});
