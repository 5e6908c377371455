import { expect } from "chai";
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { appendFileSync, createReadStream, truncateSync } from "node:fs";
import { rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { commitFile, fingerprintBytes, fingerprintFile, fingerprintStream } from "../../../src/sdk";
import { MiB, pattern, posixOnly, rejection, sha256Hex, thrown, useScratch } from "./helpers";

describe("SDK fingerprints", () => {
  const { fresh, scratch } = useScratch();

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
      thrown(() => fingerprintBytes(42 as unknown as string), "InvalidInput");
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
        "InvalidInput",
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
        "FileChanged",
      );
      expect(grown.message).to.include(growing);
      expect(grown.details).to.equal("fingerprint it once nothing writes to it");
      expect(grown.retryable).to.equal(true);
      const shrinking = join(dir, "shrinking.bin");
      await writeFile(shrinking, pattern(3 * MiB));
      await rejection(
        fingerprintFile(shrinking, { onProgress: (bytesRead) => bytesRead > 0 && truncateSync(shrinking, MiB + 10) }),
        "FileChanged",
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
      const missing = join(scratch(), "no-such-dir", "missing.csv");
      const error = await rejection(fingerprintFile(missing), "FileUnreadable");
      expect(error.path).to.equal(missing);
      expect(error.osCode).to.equal("ENOENT");
      expect(error.message).to.include(missing).and.include("does not exist");
      expect(error.shortMessage).to.include("does not exist");
      expect(error.details).to.include("check the path");
      expect(error.retryable).to.equal(false);
      await rejection(commitFile(missing), "FileUnreadable");
    });

    it("refuses a directory or a FIFO as a file, without blocking on the FIFO", async function () {
      const dir = await fresh("not-a-file");
      const error = await rejection(fingerprintFile(dir), "NotAFile");
      expect(error.message).to.include(dir).and.include("fingerprintDirectory");
      if (!posixOnly) return this.skip();
      const fifo = join(dir, "pipe");
      execFileSync("mkfifo", [fifo]);
      expect((await rejection(fingerprintFile(fifo), "NotAFile")).message).to.include("FIFO");
    });

    it("follows a symbolic link named as the file", async function () {
      if (!posixOnly) return this.skip();
      const dir = await fresh("file-link");
      await writeFile(join(dir, "target"), "content");
      await symlink("target", join(dir, "link"));
      expect(await fingerprintFile(join(dir, "link"))).to.equal(fingerprintBytes("content"));
    });
  });
});
