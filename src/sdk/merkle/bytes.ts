/** 32-byte values between hex strings and bytes, without viem's general-purpose (and, at 1M leaves, slower) codecs. */
import type { Hex } from "viem";
import { InvalidFingerprintError } from "../errors/batch";

/** Compares 32 bytes at a[ao] and b[bo] as big-endian numbers (the library's order): negative, zero or positive. */
export function compareBytes32(a: Uint8Array, ao: number, b: Uint8Array, bo: number): number {
  for (let k = 0; k < 32; k++) {
    const d = a[ao + k] - b[bo + k];
    if (d !== 0) return d;
  }
  return 0;
}

const NIBBLE = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) NIBBLE[48 + d] = d;
for (let d = 0; d < 6; d++) NIBBLE[65 + d] = NIBBLE[97 + d] = 10 + d;

/** Writes the 32 bytes of a "0x" + 64 hex digit string at out[offset]; false (out partly written) if it is not one. */
export function writeBytes32(value: unknown, out: Uint8Array, offset: number): boolean {
  if (typeof value !== "string" || value.length !== 66 || value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 120) {
    return false;
  }
  // Bits above 0xff flag an invalid digit (NIBBLE is -1) or a character beyond Latin-1.
  let bad = 0;
  for (let k = 0, c = 2; k < 32; k++, c += 2) {
    const hi = value.charCodeAt(c);
    const lo = value.charCodeAt(c + 1);
    const h = NIBBLE[hi & 0xff];
    const l = NIBBLE[lo & 0xff];
    bad |= h | l | hi | lo;
    out[offset + k] = (h << 4) | l;
  }
  return (bad & ~0xff) === 0;
}

/** The 32 bytes of `value`, or InvalidFingerprintError naming it as `label`. */
export function parseBytes32(label: string, value: unknown): Uint8Array {
  const bytes = new Uint8Array(32);
  if (!writeBytes32(value, bytes, 0)) throw new InvalidFingerprintError(label, value);
  return bytes;
}

// Hex through one reused ASCII buffer and TextDecoder: concatenating 33 pieces per node built rope strings that
// made dump() 5-10x slower at 1M leaves.
const HEX_DIGITS = new TextEncoder().encode("0123456789abcdef");
const hexScratch = new Uint8Array(66);
hexScratch.set(new TextEncoder().encode("0x"));
const hexDecoder = new TextDecoder();

/** The 32 bytes at bytes[offset] as lowercase 0x-hex. */
export function hex32(bytes: Uint8Array, offset: number): Hex {
  for (let k = 0, c = 2; k < 32; k++, c += 2) {
    const byte = bytes[offset + k];
    hexScratch[c] = HEX_DIGITS[byte >> 4];
    hexScratch[c + 1] = HEX_DIGITS[byte & 15];
  }
  return hexDecoder.decode(hexScratch) as Hex;
}
