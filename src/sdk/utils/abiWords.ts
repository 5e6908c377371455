/**
 * A small, allocation-light `abi.encode` for the fixed shapes the hot paths hash (receipt payloads, EIP-712 structs):
 * values become 64-digit hex words, which `encodeParts` joins into one buffer. viem's encodeAbiParameters is general
 * and validating, and costs several times more; offline receipt verification is budgeted at well under a millisecond.
 * Callers pass values that are already valid (a checked receipt): nothing here range-checks. The tests compare it
 * with viem's encoder on random inputs.
 */
import { keccak256, type Address, type Hex } from "viem";

/** A static value's encoding: one or more 32-byte words as hex digits, without 0x. */
export type AbiWords = string;

/** A dynamic value's encoding (length word, then content), placed after the heads and pointed to by an offset. */
export interface AbiTail {
  readonly tail: string;
}

/** bytes32 (or any 32-byte hash) as a word. */
export function bytes32Word(value: Hex): AbiWords {
  return value.slice(2).toLowerCase();
}

/** Any uintN (N <= 256) as a word. */
export function uintWord(value: bigint | number): AbiWords {
  return value.toString(16).padStart(64, "0");
}

/** An address as a word, left-padded with zeros. */
export function addressWord(address: Address): AbiWords {
  return address.slice(2).toLowerCase().padStart(64, "0");
}

/** `string` (UTF-8) as a dynamic value: its byte length, then its bytes padded to whole words. */
export function stringTail(value: string): AbiTail {
  const content = Buffer.from(value, "utf8").toString("hex");
  return { tail: uintWord(content.length / 2) + content.padEnd(Math.ceil(content.length / 64) * 64, "0") };
}

/** `T[]` of a static `T` as a dynamic value: the length, then each element's words (e.g. `(bytes32,uint8)[]`). */
export function staticArrayTail(elements: readonly AbiWords[]): AbiTail {
  return { tail: uintWord(elements.length) + elements.join("") };
}

/** abi.encode of a tuple, each part static words or a dynamic tail, in order. */
export function encodeParts(parts: readonly (AbiWords | AbiTail)[]): Uint8Array {
  let offset = 0;
  for (const part of parts) offset += typeof part === "string" ? part.length / 2 : 32;
  let head = "";
  let tails = "";
  for (const part of parts) {
    if (typeof part === "string") {
      head += part;
    } else {
      head += uintWord(offset);
      tails += part.tail;
      offset += part.tail.length / 2;
    }
  }
  return Buffer.from(head + tails, "hex");
}

/** keccak256(abi.encode(parts)). */
export function hashParts(parts: readonly (AbiWords | AbiTail)[]): Hex {
  return keccak256(encodeParts(parts));
}
