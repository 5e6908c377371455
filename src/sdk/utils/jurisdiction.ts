/**
 * The one codec of jurisdiction codes. The contracts store a code ("CN-GD", "HK", at most 8 ASCII characters)
 * left-aligned in a bytes8, zero-padded; zero means none.
 */
import { hexToString, isHex, stringToHex, type Hex } from "viem";
import { InvalidInputError } from "../errors/input";

/** A jurisdiction code as the contracts store it; a bytes8 hex value passes through (lowercase). */
export function encodeJurisdiction(code: string, field = "jurisdiction"): Hex {
  if (typeof code === "string" && isHex(code) && code.length === 18) return code.toLowerCase() as Hex;
  if (typeof code !== "string" || !/^[\x21-\x7e]{1,8}$/.test(code)) {
    throw new InvalidInputError(field, code, "must be 1 to 8 printable ASCII characters, such as CN-GD, HK or MO");
  }
  return stringToHex(code, { size: 8 });
}

/** A bytes8 code as text ("CN-GD"); null for zero; a code that is not printable ASCII stays hex. */
export function decodeJurisdiction(code: Hex): string | null {
  const trimmed = code.toLowerCase().replace(/(00)+$/, "");
  if (trimmed === "0x") return null;
  const text = hexToString(trimmed as Hex);
  return /^[\x20-\x7e]+$/.test(text) ? text : code.toLowerCase();
}

/** A bytes8 code for a sentence: its text, or "(no jurisdiction)". */
export function jurisdictionLabel(code: Hex): string {
  return decodeJurisdiction(code) ?? "(no jurisdiction)";
}
