/** Argument checks: each returns the value normalised, or throws InvalidInputError naming the field (nothing sent). */
import { getAddress, isAddress, isHex, zeroHash, type Address, type Hex } from "viem";
import { InvalidInputError } from "../errors/input";
import type { ProvledgerAddresses } from "../types/deployment";

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** A 32-byte hash, 0x followed by 64 hex digits; returned lowercase. */
export function checkBytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !BYTES32.test(value)) {
    const bytes = typeof value === "string" && isHex(value) ? ` (${(value.length - 2) / 2} bytes)` : "";
    throw new InvalidInputError(field, value, `must be 32 bytes of hex: 0x followed by 64 hex digits${bytes}`);
  }
  return value.toLowerCase() as Hex;
}

/** A dataset fingerprint: a non-zero bytes32. */
export function checkFingerprint(value: unknown, field = "fingerprint"): Hex {
  const fingerprint = checkBytes32(value, field);
  if (/^0x0{64}$/.test(fingerprint)) {
    throw new InvalidInputError(
      field,
      value,
      "is zero, which is never a dataset's hash: pass the fingerprint computed over the data (fingerprintFile, fingerprintBytes)",
    );
  }
  return fingerprint;
}

/** An optional hash field; zero when left out. */
export function checkOptionalBytes32(value: unknown, field: string): Hex {
  return value === undefined ? zeroHash : checkBytes32(value, field);
}

/** An account or contract address; mixed-case addresses must carry a valid EIP-55 checksum. */
export function checkAddress(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidInputError(field, value, "must be an address: 0x followed by 40 hex digits");
  }
  if (!isAddress(value)) {
    throw new InvalidInputError(field, value, "has an invalid EIP-55 checksum: copy the address again");
  }
  return getAddress(value);
}

/** An unsigned integer of `bits` bits, as a number (for bits <= 48, as viem types them). */
export function checkUint(value: unknown, bits: number, field: string): number {
  return Number(checkBigUint(value, bits, field));
}

/** An unsigned integer of `bits` bits, as a bigint. */
export function checkBigUint(value: unknown, bits: number, field: string): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  const integer =
    typeof value === "bigint" ? value : typeof value === "number" && Number.isInteger(value) ? BigInt(value) : null;
  if (integer === null || integer < 0n || integer > max) {
    throw new InvalidInputError(field, value, `must be a whole number from 0 to ${max} (uint${bits})`);
  }
  return integer;
}

/** An organisation id: 1 or more (uint32). */
export function checkOrgId(value: unknown, field: string): number {
  const id = checkUint(value, 32, field);
  if (id === 0) throw new InvalidInputError(field, value, "must be an organisation id, from 1");
  return id;
}

/** A point in time as block seconds: a Date, or seconds since 1970 as number or bigint. */
export function checkTime(value: unknown, bits: number, field: string): bigint {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputError(field, value, "is an invalid Date");
    return checkBigUint(Math.floor(value.getTime() / 1000), bits, field);
  }
  return checkBigUint(value, bits, field);
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw new InvalidInputError(field, value, "must be true or false");
  return value;
}

export function checkString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new InvalidInputError(field, value, "must be a string");
  return value;
}

/** Arbitrary bytes as even-length hex (a signature). */
export function checkBytes(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length % 2 !== 0) {
    throw new InvalidInputError(field, value, "must be bytes as hex: 0x followed by an even number of hex digits");
  }
  return value as Hex;
}

/** A deployment's three addresses, each checked. */
export function checkAddresses(addresses: ProvledgerAddresses): ProvledgerAddresses {
  if (typeof addresses !== "object" || addresses === null) {
    throw new InvalidInputError("addresses", addresses, "must be { registry, ledger, rights }");
  }
  return {
    registry: checkAddress(addresses.registry, "addresses.registry"),
    ledger: checkAddress(addresses.ledger, "addresses.ledger"),
    rights: checkAddress(addresses.rights, "addresses.rights"),
  };
}
