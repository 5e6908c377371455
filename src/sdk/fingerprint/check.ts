/** Argument checks for fingerprints; their messages describe a value without echoing it (it may be a secret salt). */
import type { Hex } from "viem";
import { FingerprintError } from "../errors/fingerprint";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** What a bad argument is, for an error message. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

/**
 * Checks a 32-byte hex value and returns it in lowercase. The message describes the value without echoing it: a
 * mistyped salt is still mostly the secret.
 */
export function expectBytes32(name: string, value: unknown): Hex {
  if (typeof value === "string" && BYTES32.test(value)) return value.toLowerCase() as Hex;
  let got = kindOf(value);
  if (typeof value === "string") {
    got = `${value.length} characters`;
    if (!value.startsWith("0x")) got += ", without the 0x prefix";
    else if (!/^0x[0-9a-fA-F]*$/.test(value)) got += ", with non-hex characters";
    else got += `, ${value.length - 2} hex digits`;
  }
  throw new FingerprintError("InvalidHex", `${name} must be 32 bytes as 0x-prefixed hex, got ${got}`, {
    details: "write it as 0x followed by 64 hex digits (66 characters)",
  });
}

/** Content to hash: bytes as they are, a string as its UTF-8 bytes. */
export function toContentBytes(data: Uint8Array | string): Uint8Array {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof Uint8Array) return data;
  throw new FingerprintError("InvalidInput", `data must be a Uint8Array or a string, got ${kindOf(data)}`, {
    details: "pass the content's bytes, or text to hash as UTF-8",
  });
}
