import type { Hex } from "viem";

/** A hash or address in lowercase: how receipts and explanations report them, and how maps key them. */
export function lowerHex<T extends Hex | string>(value: T): T {
  return value.toLowerCase() as T;
}

/** Whether two hex values (hashes, not addresses: use viem's isAddressEqual for those) are equal, case aside. */
export function sameHex(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
