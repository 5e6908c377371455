/**
 * Scheme 1 (docs/fingerprints.md#scheme-1-salted_sha256): keccak256(salt || sha256(content)) with a secret random
 * salt, so that outsiders holding a copy cannot confirm it was registered until the owner discloses the salt.
 */
import { randomBytes } from "node:crypto";
import { concat, keccak256, type Hex } from "viem";
import { FingerprintError } from "../errors/fingerprint";
import { expectBytes32 } from "./check";
import { fingerprintBytes, fingerprintFile, type FingerprintFileOptions } from "./sha256";

/** A salted fingerprint with what is needed to disclose it later. Keep `salt` secret until disclosure. */
export interface Commitment {
  /** keccak256(salt || contentSha256): what is registered on chain with scheme 1. */
  fingerprint: Hex;
  salt: Hex;
  contentSha256: Hex;
}

export interface CommitBytesOptions {
  /** The salt, 32 bytes; a fresh one from generateSalt() when left out. */
  salt?: Hex;
}

export interface CommitFileOptions extends FingerprintFileOptions, CommitBytesOptions {}

/** What an owner discloses: the salt and the content's SHA-256 or the content itself (or both, which must agree). */
export type Disclosure = { fingerprint: Hex; salt: Hex } & (
  { contentSha256: Hex; data?: Uint8Array | string } | { data: Uint8Array | string; contentSha256?: Hex }
);

/** A fresh random 32-byte salt from the OS's CSPRNG. */
export function generateSalt(): Hex {
  return `0x${randomBytes(32).toString("hex")}`;
}

/** keccak256(salt || contentSha256) (scheme 1); both arguments are 32 bytes. */
export function saltedFingerprint(contentSha256: Hex, salt: Hex): Hex {
  return keccak256(concat([expectBytes32("salt", salt), expectBytes32("contentSha256", contentSha256)]));
}

/** Commits to `data` under `salt` (a fresh one by default). */
export function commitBytes(data: Uint8Array | string, options: CommitBytesOptions = {}): Commitment {
  const contentSha256 = fingerprintBytes(data);
  const salt = options.salt === undefined ? generateSalt() : expectBytes32("salt", options.salt);
  return { fingerprint: saltedFingerprint(contentSha256, salt), salt, contentSha256 };
}

/** Commits to a file's content under `salt` (a fresh one by default). Errors as fingerprintFile. */
export async function commitFile(path: string, options: CommitFileOptions = {}): Promise<Commitment> {
  const salt = options.salt === undefined ? generateSalt() : expectBytes32("salt", options.salt);
  const contentSha256 = await fingerprintFile(path, { onProgress: options.onProgress });
  return { fingerprint: saltedFingerprint(contentSha256, salt), salt, contentSha256 };
}

/**
 * Whether a disclosure opens the commitment `fingerprint`. Malformed hex throws `InvalidHex` rather than returning
 * false, so that a typo is not mistaken for a forgery.
 */
export function verifyDisclosure(disclosure: Disclosure): boolean {
  const fingerprint = expectBytes32("fingerprint", disclosure.fingerprint);
  const salt = expectBytes32("salt", disclosure.salt);
  const { data, contentSha256: claimed } = disclosure;
  if (data === undefined && claimed === undefined) {
    throw new FingerprintError("InvalidInput", "a disclosure needs `contentSha256` or `data`", {
      details: "pass the content's SHA-256, the content itself, or both",
    });
  }
  const contentSha256 = data === undefined ? expectBytes32("contentSha256", claimed) : fingerprintBytes(data);
  if (claimed !== undefined && expectBytes32("contentSha256", claimed) !== contentSha256) return false;
  return saltedFingerprint(contentSha256, salt) === fingerprint;
}
