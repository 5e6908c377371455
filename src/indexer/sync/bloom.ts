/**
 * The 2048-bit logs bloom of the yellow paper (section 4.3.1): an entry sets three bits, each taken from a pair of
 * bytes of its keccak256 (bytes 0-1, 2-3, 4-5), low 11 bits, counted from the bloom's last byte. A block's bloom holds
 * every log's address and topics, so a clear bit proves the block has no log of that address; a set one only that it
 * may (false positives grow with the number of logs in the block).
 */
import { hexToBytes, keccak256, type Address, type Hex } from "viem";

const BLOOM_BYTES = 256;

/** Whether `bloom` (256 bytes as hex) may contain `value` (an address or a topic). */
export function bloomMayContain(bloom: Hex, value: Hex): boolean {
  const bits = hexToBytes(bloom);
  if (bits.length !== BLOOM_BYTES) return true;
  const hash = hexToBytes(keccak256(value));
  for (let pair = 0; pair < 6; pair += 2) {
    const bit = ((hash[pair]! << 8) | hash[pair + 1]!) & 2047;
    const byte = bits[BLOOM_BYTES - 1 - (bit >> 3)]!;
    if ((byte & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/** Whether `bloom` is well-formed (256 bytes), so that a clear bit can be trusted. */
export function isBloom(bloom: Hex): boolean {
  return /^0x[0-9a-fA-F]{512}$/.test(bloom);
}

/** Whether a block with this bloom may hold a log of one of `addresses`. */
export function bloomMayHaveLogsOf(bloom: Hex, addresses: readonly Address[]): boolean {
  return !isBloom(bloom) || addresses.some((address) => bloomMayContain(bloom, address.toLowerCase() as Hex));
}
