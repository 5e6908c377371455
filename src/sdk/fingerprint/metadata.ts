/**
 * Metadata hashes (docs/fingerprints.md#metadata-hash): keccak256 of a document's RFC 8785 (JSON Canonicalization
 * Scheme) text, so that any two spellings of the same JSON value hash alike.
 */
import canonicalize from "canonicalize";
import { keccak256, stringToBytes, type Hex } from "viem";
import { FingerprintError } from "../errors/fingerprint";
import { kindOf } from "./check";

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object members sorted by their UTF-16 code units,
 * no whitespace, ECMAScript number formatting, minimal string escapes. Members whose value is undefined are left out;
 * anything else that is not JSON (undefined elsewhere, NaN, Infinity, bigint, a Date or other class instance, a cycle,
 * a lone surrogate) throws FingerprintError `InvalidJson` naming its JSON pointer.
 */
export function canonicalJson(value: unknown): string {
  checkJson(value, "", new Set());
  const text = canonicalize(value);
  if (text === undefined) throw invalidJson("", "the value is not JSON");
  return text;
}

/** The on-chain `metadataHash`: keccak256 of the UTF-8 bytes of `canonicalJson(value)`. */
export function metadataHash(value: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson(value)));
}

function invalidJson(pointer: string, why: string): FingerprintError {
  return new FingerprintError("InvalidJson", `cannot canonicalize the value at ${pointer || "the top level"}: ${why}`, {
    details: "pass plain JSON: objects, arrays, strings, finite numbers, booleans and null",
  });
}

/** A lone UTF-16 surrogate: RFC 8785 (I-JSON) requires well-formed Unicode. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Rejects what RFC 8785 cannot represent, rather than let JSON rules silently turn it into null or drop it. */
function checkJson(value: unknown, pointer: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case "boolean":
      return;
    case "string":
      if (LONE_SURROGATE.test(value)) throw invalidJson(pointer, "the string holds a lone UTF-16 surrogate");
      return;
    case "number":
      if (!Number.isFinite(value)) throw invalidJson(pointer, `${value} is not a JSON number`);
      return;
    case "object":
      break;
    default:
      throw invalidJson(pointer, `${kindOf(value)} is not JSON`);
  }
  if (value === null) return;
  if (ancestors.has(value)) throw invalidJson(pointer, "the value contains itself");
  ancestors.add(value);
  if (Array.isArray(value)) {
    // A plain loop, not forEach: holes in a sparse array must be seen (and refused), not skipped.
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === undefined) throw invalidJson(`${pointer}/${index}`, "undefined or a hole is not JSON (use null)");
      checkJson(item, `${pointer}/${index}`, ancestors);
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw invalidJson(pointer, `a ${name} is not a plain object (convert it first, e.g. a Date to an ISO string)`);
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPointer = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (LONE_SURROGATE.test(key)) throw invalidJson(itemPointer, "the key holds a lone UTF-16 surrogate");
      // As JSON.stringify does: a member whose value is undefined is left out.
      if (item !== undefined) checkJson(item, itemPointer, ancestors);
    }
  }
  ancestors.delete(value);
}
