import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { concat, keccak256, type Hex } from "viem";
import {
  commitBytes,
  commitFile,
  fingerprintBytes,
  generateSalt,
  saltedFingerprint,
  verifyDisclosure,
} from "../../../src/sdk";
import { pattern, thrown, useScratch } from "./helpers";

describe("SDK fingerprints", () => {
  const { fresh } = useScratch();

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
        "InvalidInput",
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
        const error = thrown(() => saltedFingerprint(sha, salt as Hex), "InvalidHex");
        expect(error.message).to.include("salt must be 32 bytes as 0x-prefixed hex").and.include(why);
        thrown(() => commitBytes("x", { salt: salt as Hex }), "InvalidHex");
        thrown(() => verifyDisclosure({ fingerprint: sha, salt: salt as Hex, contentSha256: sha }), "InvalidHex");
      }
      expect(thrown(() => saltedFingerprint("0x12" as Hex, sha), "InvalidHex").message).to.include("contentSha256");
      // A mistyped salt is still mostly the secret: it is not echoed.
      const almost = generateSalt().slice(0, 65) as Hex;
      expect(thrown(() => commitBytes("x", { salt: almost }), "InvalidHex").message).to.not.include(almost.slice(2));
      thrown(() => saltedFingerprint(undefined as unknown as Hex, sha), "InvalidHex");
    });
  });
});
