import { expect } from "chai";
import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, createReadStream, truncateSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { threadId } from "node:worker_threads";
import ts from "typescript";
import { concat, encodeAbiParameters, keccak256, stringToBytes, type Hex } from "viem";
import { Scheme } from "../../src/sdk/constants/codes";
import {
  FingerprintError,
  canonicalJson,
  closeFingerprintPool,
  commitBytes,
  commitFile,
  fingerprintBytes,
  fingerprintDirectory,
  fingerprintFile,
  fingerprintPoolSize,
  fingerprintStream,
  generateSalt,
  manifestLeaf,
  manifestRoot,
  metadataHash,
  saltedFingerprint,
  verifyDisclosure,
  type DirectoryProgress,
  type FingerprintErrorCode,
  type ManifestEntry,
} from "../../src/sdk/fingerprint";

const SDK_DIR = join(__dirname, "..", "..", "src", "sdk");
const NODE_MODULES = join(__dirname, "..", "..", "node_modules");
const MiB = 1024 * 1024;
const posixOnly = process.platform !== "win32";

function sha256Hex(data: Uint8Array): Hex {
  return `0x${createHash("sha256").update(data).digest("hex")}`;
}

/** Runs `promise` and returns the FingerprintError it rejects with, checking its code. */
async function rejection(promise: Promise<unknown>, code: FingerprintErrorCode): Promise<FingerprintError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FingerprintError);
    expect((error as FingerprintError).code, (error as Error).message).to.equal(code);
    return error as FingerprintError;
  }
  throw new Error(`expected a FingerprintError ${code}`);
}

function thrown(action: () => unknown, code: FingerprintErrorCode): FingerprintError {
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
function pattern(length: number, seed = 1): Buffer {
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
async function makeTree(root: string, files: [string, string | Uint8Array][]): Promise<void> {
  for (const [path, content] of files) {
    const absolute = join(root, ...path.split("/"));
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** The documented scheme-2 encoding, rebuilt from the spec rather than from the module's helpers. */
function rootByHand(entries: ManifestEntry[]): Hex {
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

describe("SDK fingerprints", () => {
  let scratch: string;
  let counter = 0;
  const fresh = async (name: string): Promise<string> => {
    const dir = join(scratch, `${name}-${counter++}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "provledger-fingerprint-test-"));
  });

  after(async () => {
    await closeFingerprintPool();
    // Locked test files must be unlocked before they can be removed (when not root).
    await chmodTree(scratch).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  });

  async function chmodTree(dir: string): Promise<void> {
    await chmod(dir, 0o755);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await chmodTree(path);
      else if (entry.isFile()) await chmod(path, 0o644);
    }
  }

  describe("scheme 0: SHA-256 of the content", () => {
    // FIPS 180-2 / NIST CAVP examples.
    const vectors: [string, string][] = [
      ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      [
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      ],
      ["a".repeat(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
    ];

    it("matches the FIPS 180-2 test vectors, as 0x-prefixed lowercase hex", () => {
      for (const [input, digest] of vectors) {
        expect(fingerprintBytes(input)).to.equal(`0x${digest}`);
        expect(fingerprintBytes(new TextEncoder().encode(input))).to.equal(`0x${digest}`);
      }
    });

    it("hashes a string as UTF-8 text, even one that looks like hex", () => {
      expect(fingerprintBytes("0xabcd")).to.equal(sha256Hex(Buffer.from("0xabcd", "utf8")));
      expect(fingerprintBytes("é€😀")).to.equal(sha256Hex(Buffer.from("é€😀", "utf8")));
      thrown(() => fingerprintBytes(42 as unknown as string), "INVALID_INPUT");
    });

    it("gives the same digest for a file, its bytes and its stream, across chunk boundaries", async () => {
      const dir = await fresh("sizes");
      for (const size of [0, 1, 55, 56, 64, MiB - 1, MiB, MiB + 1, 2 * MiB + 3]) {
        const content = pattern(size, size + 7);
        const path = join(dir, `f${size}`);
        await writeFile(path, content);
        const expected = sha256Hex(content);
        expect(fingerprintBytes(content), `bytes ${size}`).to.equal(expected);
        expect(await fingerprintFile(path), `file ${size}`).to.equal(expected);
        expect(await fingerprintStream(createReadStream(path)), `stream ${size}`).to.equal(expected);
      }
    });

    it("hashes a stream the same however it is chunked", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), async (chunks) => {
          const whole = Buffer.concat(chunks);
          async function* generate(): AsyncGenerator<Uint8Array> {
            yield* chunks;
          }
          expect(await fingerprintStream(generate())).to.equal(fingerprintBytes(whole));
          expect(await fingerprintStream(Readable.from(chunks.map((chunk) => Buffer.from(chunk))))).to.equal(
            fingerprintBytes(whole),
          );
        }),
        { numRuns: 50 },
      );
    });

    it("refuses a stream decoded to text", async () => {
      const dir = await fresh("text-stream");
      await writeFile(join(dir, "a.txt"), "hello");
      const error = await rejection(
        fingerprintStream(createReadStream(join(dir, "a.txt"), { encoding: "utf8" })),
        "INVALID_INPUT",
      );
      expect(error.message).to.include("setEncoding");
    });

    it("reports progress monotonically, from 0 up to the total", async () => {
      const dir = await fresh("progress");
      const content = pattern(3 * MiB + 12_345);
      const path = join(dir, "data.bin");
      await writeFile(path, content);
      const calls: [number, number][] = [];
      await fingerprintFile(path, { onProgress: (bytesRead, totalBytes) => calls.push([bytesRead, totalBytes]) });
      expect(calls[0]).to.deep.equal([0, content.length]);
      expect(calls.at(-1)).to.deep.equal([content.length, content.length]);
      for (let i = 1; i < calls.length; i++) {
        expect(calls[i][0]).to.be.greaterThan(calls[i - 1][0]);
        expect(calls[i][1]).to.equal(content.length);
      }

      const streamCalls: [number, number | undefined][] = [];
      await fingerprintStream(createReadStream(path), {
        totalBytes: content.length,
        onProgress: (bytesRead, totalBytes) => streamCalls.push([bytesRead, totalBytes]),
      });
      expect(streamCalls[0]).to.deep.equal([0, content.length]);
      expect(streamCalls.at(-1)).to.deep.equal([content.length, content.length]);
      for (let i = 1; i < streamCalls.length; i++) expect(streamCalls[i][0]).to.be.at.least(streamCalls[i - 1][0]);

      const empty = join(dir, "empty");
      await writeFile(empty, "");
      const emptyCalls: [number, number][] = [];
      await fingerprintFile(empty, { onProgress: (bytesRead, totalBytes) => emptyCalls.push([bytesRead, totalBytes]) });
      expect(emptyCalls).to.deep.equal([[0, 0]]);
    });

    it("lets an error thrown by onProgress through and closes the file", async () => {
      const dir = await fresh("progress-throws");
      await writeFile(join(dir, "a"), pattern(3 * MiB));
      let calls = 0;
      const failing = fingerprintFile(join(dir, "a"), {
        onProgress: () => {
          if (++calls === 2) throw new RangeError("stop");
        },
      });
      try {
        await failing;
        expect.fail("should have thrown");
      } catch (error) {
        expect(error).to.be.instanceOf(RangeError);
      }
    });

    it("notices a file that grows or shrinks while it is hashed", async () => {
      const dir = await fresh("changing");
      const growing = join(dir, "growing.log");
      await writeFile(growing, pattern(3 * MiB));
      const grown = await rejection(
        fingerprintFile(growing, { onProgress: (bytesRead) => bytesRead > 0 && appendFileSync(growing, "more\n") }),
        "FILE_CHANGED",
      );
      expect(grown.message).to.include(growing).and.include("To fix");
      const shrinking = join(dir, "shrinking.bin");
      await writeFile(shrinking, pattern(3 * MiB));
      await rejection(
        fingerprintFile(shrinking, { onProgress: (bytesRead) => bytesRead > 0 && truncateSync(shrinking, MiB + 10) }),
        "FILE_CHANGED",
      );
    });

    it("streams a 20 MB file in chunks of at most 1 MiB", async () => {
      const dir = await fresh("large");
      const path = join(dir, "large.bin");
      const content = pattern(20 * 1000 * 1000 + 17, 99);
      await writeFile(path, content);
      const steps: number[] = [];
      let previous = 0;
      const digest = await fingerprintFile(path, {
        onProgress: (bytesRead) => {
          steps.push(bytesRead - previous);
          previous = bytesRead;
        },
      });
      expect(digest).to.equal(sha256Hex(content));
      expect(Math.max(...steps)).to.be.at.most(MiB);
      expect(steps.length).to.be.greaterThan(20);
      expect(await fingerprintStream(createReadStream(path))).to.equal(digest);
      await rm(path);
    });

    it("names the path, the OS reason and the fix for a missing file", async () => {
      const missing = join(scratch, "no-such-dir", "missing.csv");
      const error = await rejection(fingerprintFile(missing), "FILE_UNREADABLE");
      expect(error.path).to.equal(missing);
      expect(error.osCode).to.equal("ENOENT");
      expect(error.message).to.include(missing).and.include("does not exist").and.include("To fix");
      await rejection(commitFile(missing), "FILE_UNREADABLE");
    });

    it("refuses a directory or a FIFO as a file, without blocking on the FIFO", async function () {
      const dir = await fresh("not-a-file");
      const error = await rejection(fingerprintFile(dir), "NOT_A_FILE");
      expect(error.message).to.include(dir).and.include("fingerprintDirectory");
      if (!posixOnly) return this.skip();
      const fifo = join(dir, "pipe");
      execFileSync("mkfifo", [fifo]);
      expect((await rejection(fingerprintFile(fifo), "NOT_A_FILE")).message).to.include("FIFO");
    });

    it("follows a symbolic link named as the file", async function () {
      if (!posixOnly) return this.skip();
      const dir = await fresh("file-link");
      await writeFile(join(dir, "target"), "content");
      await symlink("target", join(dir, "link"));
      expect(await fingerprintFile(join(dir, "link"))).to.equal(fingerprintBytes("content"));
    });
  });

  describe("scheme 1: salted commitments", () => {
    it("is keccak256(salt || sha256(content))", () => {
      const salt = generateSalt();
      const content = "quarterly export";
      const commitment = commitBytes(content, { salt });
      expect(commitment.salt).to.equal(salt);
      expect(commitment.contentSha256).to.equal(fingerprintBytes(content));
      expect(commitment.fingerprint).to.equal(keccak256(concat([salt, fingerprintBytes(content)])));
      expect(saltedFingerprint(commitment.contentSha256, salt)).to.equal(commitment.fingerprint);
    });

    it("draws a fresh 32-byte salt each time", () => {
      const salts = new Set(Array.from({ length: 20 }, generateSalt));
      expect(salts.size).to.equal(20);
      for (const salt of salts) expect(salt).to.match(/^0x[0-9a-f]{64}$/);
      expect(commitBytes("x").fingerprint).to.not.equal(commitBytes("x").fingerprint);
    });

    it("round-trips a disclosure, and fails with a wrong salt or content", () => {
      const commitment = commitBytes(pattern(1000));
      expect(verifyDisclosure(commitment)).to.be.true;
      expect(verifyDisclosure({ ...commitment, data: pattern(1000) })).to.be.true;
      expect(verifyDisclosure({ fingerprint: commitment.fingerprint, salt: commitment.salt, data: pattern(1000) })).to
        .be.true;
      expect(verifyDisclosure({ ...commitment, salt: generateSalt() })).to.be.false;
      expect(verifyDisclosure({ ...commitment, contentSha256: fingerprintBytes("other") })).to.be.false;
      expect(verifyDisclosure({ ...commitment, data: pattern(1000, 2) })).to.be.false;
      // Uppercase hex is the same value.
      expect(verifyDisclosure({ ...commitment, salt: `0x${commitment.salt.slice(2).toUpperCase()}` })).to.be.true;
      thrown(
        () => verifyDisclosure({ fingerprint: commitment.fingerprint, salt: commitment.salt } as never),
        "INVALID_INPUT",
      );
    });

    it("commits to a file as to its bytes", async () => {
      const dir = await fresh("commit-file");
      const content = pattern(5000);
      await writeFile(join(dir, "a"), content);
      const salt = generateSalt();
      expect(await commitFile(join(dir, "a"), { salt })).to.deep.equal(commitBytes(content, { salt }));
      const random = await commitFile(join(dir, "a"));
      expect(random.contentSha256).to.equal(fingerprintBytes(content));
      expect(verifyDisclosure({ ...random, data: content })).to.be.true;
    });

    it("says what was expected of malformed hex", () => {
      const sha = fingerprintBytes("x");
      const cases: [string, string][] = [
        ["0x1234", "4 hex digits"],
        [`0x${"ab".repeat(33)}`, "66 hex digits"],
        [`0x${"zz".repeat(32)}`, "non-hex"],
        ["ab".repeat(32), "0x prefix"],
        ["", "0x prefix"],
      ];
      for (const [salt, why] of cases) {
        const error = thrown(() => saltedFingerprint(sha, salt as Hex), "INVALID_HEX");
        expect(error.message).to.include("salt must be 32 bytes as 0x-prefixed hex").and.include(why);
        thrown(() => commitBytes("x", { salt: salt as Hex }), "INVALID_HEX");
        thrown(() => verifyDisclosure({ fingerprint: sha, salt: salt as Hex, contentSha256: sha }), "INVALID_HEX");
      }
      expect(thrown(() => saltedFingerprint("0x12" as Hex, sha), "INVALID_HEX").message).to.include("contentSha256");
      // A mistyped salt is still mostly the secret: it is not echoed.
      const almost = generateSalt().slice(0, 65) as Hex;
      expect(thrown(() => commitBytes("x", { salt: almost }), "INVALID_HEX").message).to.not.include(almost.slice(2));
      thrown(() => saltedFingerprint(undefined as unknown as Hex, sha), "INVALID_HEX");
    });
  });

  describe("metadata: RFC 8785 canonical JSON", () => {
    it("serializes the RFC 8785 section 3.2.2 example", () => {
      const input = JSON.parse(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
          '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
          '"literals": [null, true, false]}',
      );
      expect(canonicalJson(input)).to.equal(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it("sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)", () => {
      const input = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
      };
      expect(canonicalJson(input)).to.equal(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
      expect(canonicalJson({ b: { z: 1, a: [3, { y: 1, x: 2 }] }, a: null })).to.equal(
        '{"a":null,"b":{"a":[3,{"x":2,"y":1}],"z":1}}',
      );
    });

    it("formats numbers as RFC 8785 appendix B does", () => {
      const fromBits = (bits: string): number => {
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, BigInt(`0x${bits}`));
        return view.getFloat64(0);
      };
      const cases: [string, string][] = [
        ["0000000000000000", "0"],
        ["8000000000000000", "0"],
        ["0000000000000001", "5e-324"],
        ["8000000000000001", "-5e-324"],
        ["7fefffffffffffff", "1.7976931348623157e+308"],
        ["ffefffffffffffff", "-1.7976931348623157e+308"],
        ["4340000000000000", "9007199254740992"],
        ["c340000000000000", "-9007199254740992"],
        ["4430000000000000", "295147905179352830000"],
        ["44b52d02c7e14af5", "9.999999999999997e+22"],
        ["44b52d02c7e14af6", "1e+23"],
        ["44b52d02c7e14af7", "1.0000000000000001e+23"],
        ["444b1ae4d6e2ef4e", "999999999999999700000"],
        ["444b1ae4d6e2ef4f", "999999999999999900000"],
        ["444b1ae4d6e2ef50", "1e+21"],
        ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
        ["3eb0c6f7a0b5ed8d", "0.000001"],
        ["41b3de4355555553", "333333333.3333332"],
        ["41b3de4355555554", "333333333.33333325"],
        ["41b3de4355555555", "333333333.3333333"],
        ["41b3de4355555556", "333333333.3333334"],
        ["41b3de4355555557", "333333333.33333343"],
        ["becbf647612f3696", "-0.0000033333333333333333"],
        ["43143ff3c1cb0959", "1424953923781206.2"],
      ];
      for (const [bits, text] of cases) expect(canonicalJson(fromBits(bits)), bits).to.equal(text);
      for (const bits of ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]) {
        thrown(() => canonicalJson(fromBits(bits)), "INVALID_JSON");
      }
    });

    it("keeps non-ASCII text literal and escapes only what JSON requires", () => {
      expect(canonicalJson({ name: "Zürich – 東京 😀", control: "\u0000\u001f\u007f\u2028" })).to.equal(
        '{"control":"\\u0000\\u001f\u007f\u2028","name":"Zürich – 東京 😀"}',
      );
    });

    it("refuses what RFC 8785 cannot represent, naming where it is", () => {
      const cases: unknown[] = [
        undefined,
        Number.NaN,
        10n,
        () => 1,
        Symbol("s"),
        [1, undefined],
        { when: new Date(0) },
        { bad: "\ud800" },
        { ["\udfff"]: 1 },
      ];
      const sparse: number[] = [1];
      sparse[2] = 3;
      cases.push(sparse);
      for (const value of cases) thrown(() => canonicalJson(value), "INVALID_JSON");
      expect(thrown(() => canonicalJson({ a: [{ "b/c": Infinity }] }), "INVALID_JSON").message).to.include("/a/0/b~1c");
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      thrown(() => canonicalJson(cyclic), "INVALID_JSON");
      // A shared (not cyclic) object is fine.
      const shared = { x: 1 };
      expect(canonicalJson({ a: shared, b: shared })).to.equal('{"a":{"x":1},"b":{"x":1}}');
      // As JSON.stringify: members whose value is undefined are left out.
      expect(canonicalJson({ a: undefined, b: 1 })).to.equal('{"b":1}');
      expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 2, a: 1 }))).to.equal('{"a":1,"b":2}');
    });

    it("is idempotent over arbitrary JSON", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = canonicalJson(value);
          expect(canonicalJson(JSON.parse(text))).to.equal(text);
        }),
        { numRuns: 200 },
      );
    });

    it("hashes the UTF-8 canonical text with keccak256, whatever the key order", () => {
      const document = { title: "Port calls 2024", licence: "CC-BY-4.0", tags: ["ais", "ports"], rows: 1_200_000 };
      const reordered = { rows: 1_200_000, tags: ["ais", "ports"], licence: "CC-BY-4.0", title: "Port calls 2024" };
      expect(metadataHash(document)).to.equal(keccak256(stringToBytes(canonicalJson(document))));
      expect(metadataHash(reordered)).to.equal(metadataHash(document));
      expect(metadataHash({ ...document, rows: 1_200_001 })).to.not.equal(metadataHash(document));
      expect(metadataHash({})).to.equal(keccak256(stringToBytes("{}")));
    });
  });

  describe("scheme 2: directory manifests", () => {
    const tree: [string, string | Uint8Array][] = [
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

    it("lists every regular file with its relative POSIX path, size and SHA-256, sorted by UTF-8 bytes", async () => {
      const dir = await fresh("manifest");
      await makeTree(dir, tree);
      const manifest = await fingerprintDirectory(dir);
      expect(manifest.scheme).to.equal(Scheme.MANIFEST_ROOT);
      expect(manifest.fileCount).to.equal(tree.length);
      expect(manifest.skipped).to.deep.equal([]);
      const expected = tree
        .map(([path, content]) => {
          const bytes = typeof content === "string" ? Buffer.from(content) : content;
          return { path, size: bytes.length, sha256: sha256Hex(bytes) };
        })
        .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
      expect(manifest.entries).to.deep.equal(expected);
      expect(manifest.totalBytes).to.equal(expected.reduce((sum, entry) => sum + entry.size, 0));
      // UTF-8 byte order, not JavaScript's UTF-16 order: U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80).
      const paths = manifest.entries.map((entry) => entry.path);
      expect(paths.indexOf("\uff61half-width.txt")).to.be.lessThan(paths.indexOf("😀.txt"));
      expect([...paths].sort()).to.not.deep.equal(paths);
      // "-" (0x2d) sorts before "/" (0x2f): the whole path is compared, not each segment.
      expect(paths.indexOf("data-dictionary.json")).to.be.lessThan(paths.indexOf("data/2023/part-0001.csv"));
      for (const entry of manifest.entries) {
        expect(entry.path).to.not.include("\\");
        expect(await fingerprintFile(join(dir, ...entry.path.split("/")))).to.equal(entry.sha256);
      }
    });

    it("has the root of a StandardMerkleTree over the documented leaves", async () => {
      const dir = await fresh("by-hand");
      await makeTree(dir, tree);
      const manifest = await fingerprintDirectory(dir);
      expect(manifest.root).to.equal(rootByHand(manifest.entries));
      expect(manifest.root).to.match(/^0x[0-9a-f]{64}$/);
      const shuffled = [...manifest.entries].reverse();
      expect(manifestRoot(shuffled)).to.equal(manifest.root);
      // Every entry's leaf proves inclusion against the root.
      const standard = StandardMerkleTree.of(
        manifest.entries.map((entry): [Hex] => [manifestLeaf(entry)]),
        ["bytes32"],
      );
      for (const [index, [leaf]] of standard.entries()) {
        expect(StandardMerkleTree.verify(manifest.root, ["bytes32"], [leaf], standard.getProof(index))).to.be.true;
      }
      // A single-file directory: the root is the leaf's hash.
      const single = await fresh("single");
      await makeTree(single, [["only.txt", "alone"]]);
      const one = await fingerprintDirectory(single);
      expect(one.root).to.equal(rootByHand(one.entries));
    });

    it("is deterministic: the same root twice and whatever the creation order", async () => {
      const first = await fresh("order-a");
      const second = await fresh("order-b");
      await makeTree(first, tree);
      await makeTree(second, [...tree].reverse());
      const a = await fingerprintDirectory(first);
      const again = await fingerprintDirectory(first, { concurrency: 1 });
      const b = await fingerprintDirectory(second, { concurrency: 3 });
      expect(again).to.deep.equal(a);
      expect(b).to.deep.equal(a);
    });

    it("changes the root when one byte, a name or a file set changes", async () => {
      const dir = await fresh("changes");
      await makeTree(dir, tree);
      const before = await fingerprintDirectory(dir);
      const { root } = before;

      const content = Buffer.from(pattern(70_000, 3));
      content[40_000] ^= 1;
      await writeFile(join(dir, "data", "2024", "part-0002.csv"), content);
      const flipped = await fingerprintDirectory(dir);
      expect(flipped.root).to.not.equal(root);
      const changed = flipped.entries.filter((entry, i) => entry.sha256 !== before.entries[i].sha256);
      expect(changed.map((entry) => entry.path)).to.deep.equal(["data/2024/part-0002.csv"]);

      await writeFile(join(dir, "data", "2024", "part-0002.csv"), pattern(70_000, 3));
      expect((await fingerprintDirectory(dir)).root).to.equal(root);

      await writeFile(join(dir, "data", "2024", "part-0003.csv"), "");
      expect((await fingerprintDirectory(dir)).root).to.not.equal(root);
      await rm(join(dir, "data", "2024", "part-0003.csv"));

      // An empty directory leaves no trace.
      await mkdir(join(dir, "empty-dir"));
      expect((await fingerprintDirectory(dir)).root).to.equal(root);

      const renamed = await fresh("renamed");
      await makeTree(
        renamed,
        tree.map(([path, data]) => [path === "empty.txt" ? "Empty.txt" : path, data]),
      );
      expect((await fingerprintDirectory(renamed)).root).to.not.equal(root);
    });

    it("reports directory progress up to the totals", async () => {
      const dir = await fresh("dir-progress");
      await makeTree(dir, [...tree, ["big/large.bin", pattern(17 * MiB, 5)]]);
      const updates: DirectoryProgress[] = [];
      const manifest = await fingerprintDirectory(dir, { onProgress: (progress) => updates.push(progress) });
      const last = updates.at(-1) as DirectoryProgress;
      expect(last.filesHashed).to.equal(manifest.fileCount);
      expect(last.totalFiles).to.equal(manifest.fileCount);
      expect(last.bytesHashed).to.equal(manifest.totalBytes);
      expect(last.totalBytes).to.equal(manifest.totalBytes);
      for (let i = 1; i < updates.length; i++) {
        expect(updates[i].bytesHashed).to.be.at.least(updates[i - 1].bytesHashed);
        expect(updates[i].filesHashed).to.be.at.least(updates[i - 1].filesHashed);
      }
      // The large file reports progress while it is being hashed, not only at its end.
      expect(updates.filter((update) => update.path === "big/large.bin").length).to.be.greaterThan(2);
    });

    it("lets an error thrown by onProgress through, during a file and after one", async () => {
      const dir = await fresh("dir-progress-throws");
      await makeTree(dir, [
        ["large.bin", pattern(20 * MiB, 6)],
        ["small.txt", "x"],
      ]);
      for (const when of ["during", "after"]) {
        const failing = fingerprintDirectory(dir, {
          concurrency: 1,
          onProgress: (progress) => {
            if (when === "during" ? progress.filesHashed === 0 : progress.filesHashed === 1) {
              throw new RangeError(when);
            }
          },
        });
        try {
          await failing;
          expect.fail("should have thrown");
        } catch (error) {
          expect(error).to.be.instanceOf(RangeError);
          expect((error as Error).message).to.equal(when);
        }
      }
      expect((await fingerprintDirectory(dir)).fileCount).to.equal(2);
    });

    it("hashes on worker threads, at most `concurrency` at once", async () => {
      const dir = await fresh("workers");
      await makeTree(
        dir,
        Array.from({ length: 24 }, (_, i): [string, Uint8Array] => [`f${i}.bin`, pattern(50_000, i + 1)]),
      );
      await closeFingerprintPool();
      expect(fingerprintPoolSize()).to.equal(0);
      const threadsUsed = async (concurrency: number): Promise<Set<number>> => {
        const ids = new Set<number>();
        await fingerprintDirectory(dir, { concurrency, onProgress: (progress) => ids.add(progress.threadId) });
        return ids;
      };
      const one = await threadsUsed(1);
      expect(one.size).to.equal(1);
      expect(one.has(threadId)).to.be.false; // not the main thread
      expect(fingerprintPoolSize()).to.equal(1);
      const three = await threadsUsed(3);
      expect(three.size).to.equal(3);
      expect(three.has(threadId)).to.be.false;
      expect(fingerprintPoolSize()).to.equal(3);
      // Fewer files than workers: no more threads than files.
      await closeFingerprintPool();
      const small = await fresh("two-files");
      await makeTree(small, [
        ["a", "1"],
        ["b", "2"],
      ]);
      await fingerprintDirectory(small, { concurrency: 8 });
      expect(fingerprintPoolSize()).to.equal(2);
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        await rejection(fingerprintDirectory(dir, { concurrency }), "INVALID_INPUT");
      }
    });

    it("fails with WORKER_FAILED when the pool is closed under it", async () => {
      const dir = await fresh("closed");
      await makeTree(
        dir,
        Array.from({ length: 40 }, (_, i): [string, Uint8Array] => [`f${i}.bin`, pattern(20_000, i + 1)]),
      );
      let closing: Promise<void> | undefined;
      const error = await rejection(
        fingerprintDirectory(dir, {
          concurrency: 2,
          onProgress: () => {
            closing ??= closeFingerprintPool();
          },
        }),
        "WORKER_FAILED",
      );
      expect(error.message).to.include("closeFingerprintPool");
      await closing;
      // The pool starts again on the next call.
      expect((await fingerprintDirectory(dir)).fileCount).to.equal(40);
    });

    it("runs its workers from compiled JavaScript too, and lets the process exit", async function () {
      this.timeout(60_000);
      const out = await fresh("compiled");
      for (const name of await readdir(SDK_DIR)) {
        if (!name.endsWith(".ts")) continue;
        const { outputText } = ts.transpileModule(await readFile(join(SDK_DIR, name), "utf8"), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        await writeFile(join(out, name.replace(/\.ts$/, ".js")), outputText);
      }
      const dir = await fresh("compiled-data");
      await makeTree(dir, tree);
      const script = `
        const fp = require(${JSON.stringify(join(out, "fingerprint.js"))});
        const ids = new Set();
        fp.fingerprintDirectory(${JSON.stringify(dir)}, { concurrency: 2, onProgress: (p) => ids.add(p.threadId) })
          .then((m) => console.log(JSON.stringify({ root: m.root, threads: ids.size, pool: fp.fingerprintPoolSize() })));
      `;
      const child = spawnSync(process.execPath, ["-e", script], {
        env: { ...process.env, NODE_PATH: NODE_MODULES, NODE_OPTIONS: "" },
        encoding: "utf8",
        timeout: 50_000,
      });
      expect(child.status, child.stderr).to.equal(0);
      const result = JSON.parse(child.stdout) as { root: Hex; threads: number; pool: number };
      expect(result.root).to.equal((await fingerprintDirectory(dir)).root);
      expect(result.threads).to.equal(2);
      expect(result.pool).to.equal(2);
    });

    it("refuses a missing directory, a file, and a directory without files", async () => {
      const missing = join(scratch, "missing-dir");
      const error = await rejection(fingerprintDirectory(missing), "DIRECTORY_UNREADABLE");
      expect(error.message).to.include(missing).and.include("ENOENT").and.include("To fix");
      const dir = await fresh("kinds");
      await writeFile(join(dir, "file.txt"), "x");
      expect((await rejection(fingerprintDirectory(join(dir, "file.txt")), "NOT_A_DIRECTORY")).message).to.include(
        "fingerprintFile",
      );
      const empty = await fresh("empty");
      await mkdir(join(empty, "a", "b"), { recursive: true });
      await rejection(fingerprintDirectory(empty), "EMPTY_DIRECTORY");
      thrown(() => manifestRoot([]), "INVALID_INPUT");
    });

    it("does not follow links inside: refuses them by default, or skips and lists them", async function () {
      if (!posixOnly) return this.skip();
      const dir = await fresh("links");
      await makeTree(dir, tree);
      const plain = await fingerprintDirectory(dir);
      const outside = await fresh("outside");
      await writeFile(join(outside, "secret.txt"), "not published");
      await symlink(join(outside, "secret.txt"), join(dir, "data", "link-to-file"));
      await symlink(outside, join(dir, "link-to-dir"));
      await symlink("nowhere", join(dir, "dangling"));
      execFileSync("mkfifo", [join(dir, "data", "pipe")]);

      const error = await rejection(fingerprintDirectory(dir), "NON_REGULAR_FILE");
      expect(error.message)
        .to.include("data/link-to-file (symlink)")
        .and.include("link-to-dir (symlink)")
        .and.include("dangling (symlink)")
        .and.include("data/pipe (fifo)")
        .and.include('nonRegularFiles: "skip"');

      const skipped = await fingerprintDirectory(dir, { nonRegularFiles: "skip" });
      expect(skipped.root).to.equal(plain.root);
      expect(skipped.skipped).to.deep.equal([
        { path: "dangling", type: "symlink" },
        { path: "data/link-to-file", type: "symlink" },
        { path: "data/pipe", type: "fifo" },
        { path: "link-to-dir", type: "symlink" },
      ]);
      await rejection(fingerprintDirectory(dir, { nonRegularFiles: "follow" as "skip" }), "INVALID_INPUT");

      // The directory named may itself be a link.
      await symlink(dir, join(outside, "dataset"));
      expect((await fingerprintDirectory(join(outside, "dataset"), { nonRegularFiles: "skip" })).root).to.equal(
        plain.root,
      );
    });

    it("refuses a file name that is not UTF-8", async function () {
      if (process.platform !== "linux") return this.skip();
      const dir = await fresh("latin1");
      await writeFile(Buffer.concat([Buffer.from(join(dir, "caf")), Buffer.from([0xe9]), Buffer.from(".csv")]), "x");
      const error = await rejection(fingerprintDirectory(dir), "INVALID_FILE_NAME");
      expect(error.message).to.include("636166e92e637376").and.include("UTF-8");
    });

    it("checks the entries it is given", () => {
      const sha256 = fingerprintBytes("x");
      const bad: ManifestEntry[][] = [
        [{ path: "/abs", size: 1, sha256 }],
        [{ path: "a//b", size: 1, sha256 }],
        [{ path: "a/../b", size: 1, sha256 }],
        [{ path: "./a", size: 1, sha256 }],
        [{ path: "a", size: -1, sha256 }],
        [{ path: "a", size: 1.5, sha256 }],
        [
          { path: "a", size: 1, sha256 },
          { path: "a", size: 1, sha256 },
        ],
      ];
      for (const entries of bad) thrown(() => manifestRoot(entries), "INVALID_INPUT");
      thrown(() => manifestRoot([{ path: "a", size: 1, sha256: "0x12" }]), "INVALID_HEX");
    });

    it("names the path and the fix for files and directories it may not read", async function () {
      if (!posixOnly) return this.skip();
      this.timeout(60_000);
      // Root reads everything, so the checks run in a child process as `nobody` when this one is root.
      const asNobody = process.getuid?.() === 0;
      await chmod(scratch, 0o755);
      const out = await fresh("compiled-locked");
      for (const name of await readdir(SDK_DIR)) {
        if (!name.endsWith(".ts")) continue;
        const { outputText } = ts.transpileModule(await readFile(join(SDK_DIR, name), "utf8"), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        await writeFile(join(out, name.replace(/\.ts$/, ".js")), outputText);
      }
      const lockedFileDir = await fresh("locked-file");
      await makeTree(lockedFileDir, [
        ["ok.txt", "fine"],
        ["sub/locked.csv", "secret"],
      ]);
      const lockedFile = join(lockedFileDir, "sub", "locked.csv");
      await chmod(lockedFile, 0o000);
      const lockedSubdirRoot = await fresh("locked-subdir");
      await makeTree(lockedSubdirRoot, [
        ["ok.txt", "fine"],
        ["private/a.txt", "a"],
      ]);
      await chmod(join(lockedSubdirRoot, "private"), 0o000);

      const script = `
        const fp = require(${JSON.stringify(join(out, "fingerprint.js"))});
        const outcome = (promise) => promise.then(
          () => ({ ok: true }),
          (e) => ({ code: e.code, osCode: e.osCode, path: e.path, message: e.message }),
        );
        Promise.all([
          outcome(fp.fingerprintFile(${JSON.stringify(lockedFile)})),
          outcome(fp.fingerprintDirectory(${JSON.stringify(lockedFileDir)})),
          outcome(fp.fingerprintDirectory(${JSON.stringify(lockedSubdirRoot)})),
        ]).then((results) => console.log(JSON.stringify(results)));
      `;
      const child = spawnSync(process.execPath, ["-e", script], {
        env: { ...process.env, NODE_PATH: NODE_MODULES, NODE_OPTIONS: "" },
        encoding: "utf8",
        timeout: 50_000,
        cwd: tmpdir(),
        ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
      });
      if (child.status !== 0 && asNobody && /EACCES|Cannot find module/.test(child.stderr)) {
        // The checkout is not readable by `nobody` on this machine.
        return this.skip();
      }
      expect(child.status, child.stderr).to.equal(0);
      type Outcome = { ok?: true; code?: string; osCode?: string; path?: string; message?: string };
      const [file, fileInDirectory, subdirectory] = JSON.parse(child.stdout) as Outcome[];
      for (const outcome of [file, fileInDirectory]) {
        expect(outcome.code).to.equal("FILE_UNREADABLE");
        expect(outcome.osCode).to.equal("EACCES");
        expect(outcome.path).to.equal(lockedFile);
        expect(outcome.message).to.include(lockedFile).and.include("permission denied").and.include("chmod");
      }
      expect(subdirectory.code).to.equal("DIRECTORY_UNREADABLE");
      expect(subdirectory.path).to.equal(join(lockedSubdirRoot, "private"));
      expect(subdirectory.message).to.include("permission denied").and.include("To fix");
    });
  });
});
