/** Shared by the fingerprint tests: scratch directories, deterministic content, error assertions, the compiled SDK. */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import {
  FingerprintError,
  closeFingerprintPool,
  type FingerprintErrorCode,
  type ManifestEntry,
} from "../../../src/sdk";

export const SDK_DIR = join(__dirname, "..", "..", "..", "src", "sdk");
export const NODE_MODULES = join(__dirname, "..", "..", "..", "node_modules");
export const MiB = 1024 * 1024;
export const posixOnly = process.platform !== "win32";

export function sha256Hex(data: Uint8Array): Hex {
  return `0x${createHash("sha256").update(data).digest("hex")}`;
}

/** Runs `promise` and returns the FingerprintError it rejects with, checking its code. */
export async function rejection(promise: Promise<unknown>, code: FingerprintErrorCode): Promise<FingerprintError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FingerprintError);
    expect((error as FingerprintError).code, (error as Error).message).to.equal(code);
    return error as FingerprintError;
  }
  throw new Error(`expected a FingerprintError ${code}`);
}

export function thrown(action: () => unknown, code: FingerprintErrorCode): FingerprintError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(FingerprintError);
    expect((error as FingerprintError).code, (error as Error).message).to.equal(code);
    return error as FingerprintError;
  }
  throw new Error(`expected a FingerprintError ${code}`);
}

/** Deterministic bytes, so that failures reproduce. */
export function pattern(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Creates `files` (relative POSIX path -> content) under `root`, in the given order. */
export async function makeTree(root: string, files: [string, string | Uint8Array][]): Promise<void> {
  for (const [path, content] of files) {
    const absolute = join(root, ...path.split("/"));
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** A small dataset: nested directories, an empty file, names whose UTF-8 and UTF-16 orders differ. */
export const sampleTree: [string, string | Uint8Array][] = [
  ["README.md", "# dataset\n"],
  ["data/2024/part-0001.csv", "id,value\n1,2\n"],
  ["data/2024/part-0002.csv", pattern(70_000, 3)],
  ["data/2023/part-0001.csv", "id,value\n"],
  ["data-dictionary.json", '{"id":"integer"}'],
  ["empty.txt", ""],
  ["a/b/c/d/deep.bin", pattern(1234, 4)],
  ["\uff61half-width.txt", "x"],
  ["😀.txt", "y"],
  ["Été/naïve.txt", "z"],
];

/** The documented scheme-2 encoding, rebuilt from the spec rather than from the module's helpers. */
export function rootByHand(entries: ManifestEntry[]): Hex {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const leaves = sorted.map((entry): [Hex] => [
    keccak256(
      encodeAbiParameters(
        [{ type: "string" }, { type: "uint256" }, { type: "bytes32" }],
        [entry.path, BigInt(entry.size), entry.sha256],
      ),
    ),
  ]);
  return StandardMerkleTree.of(leaves, ["bytes32"]).root as Hex;
}

/**
 * A scratch directory for the enclosing describe: `fresh(name)` makes a new empty directory in it. Removed after the
 * tests (unlocking what they locked), with the hashing pool closed.
 */
export function useScratch(): { fresh: (name: string) => Promise<string>; scratch: () => string } {
  let scratch = "";
  let counter = 0;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "provledger-fingerprint-test-"));
  });
  after(async () => {
    await closeFingerprintPool();
    // Locked test files must be unlocked before they can be removed (when not root).
    await chmodTree(scratch).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  });
  return {
    scratch: () => scratch,
    fresh: async (name) => {
      const dir = join(scratch, `${name}-${counter++}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
  };
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(path);
    else if (entry.isFile()) await chmod(path, 0o644);
  }
}

/**
 * src/sdk transpiled to CommonJS JavaScript under `out`, folder for folder (as the package's dist/src/sdk is), for
 * running the SDK as compiled code in a child process; returns the path of the compiled fingerprint entry point.
 */
export async function compileSdk(out: string): Promise<string> {
  const transpileDirectory = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await transpileDirectory(path);
        continue;
      }
      if (!entry.name.endsWith(".ts")) continue;
      const { outputText } = ts.transpileModule(await readFile(path, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      const target = join(out, relative(SDK_DIR, path)).replace(/\.ts$/, ".js");
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }
  };
  await transpileDirectory(SDK_DIR);
  return join(out, "fingerprint", "index.js");
}
