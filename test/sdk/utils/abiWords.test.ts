import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, encodeAbiParameters, keccak256, zeroHash, type AbiParameter, type Address, type Hex } from "viem";
import {
  addressWord,
  bytes32Word,
  encodeParts,
  hashParts,
  staticArrayTail,
  stringTail,
  uintWord,
  type AbiTail,
  type AbiWords,
} from "../../../src/sdk/utils/abiWords";

/** One parameter: its ABI type, its value for viem, and its encoding by abiWords. */
interface Parameter {
  type: AbiParameter;
  value: unknown;
  part: AbiWords | AbiTail;
}

const hex = (length: number) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((b) => `0x${Buffer.from(b).toString("hex")}` as Hex);
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });

const parameter: fc.Arbitrary<Parameter> = fc.oneof(
  hex(32).map((v) => ({ type: { type: "bytes32" }, value: v, part: bytes32Word(v) })),
  fc.integer({ min: 0, max: 255 }).map((v) => ({ type: { type: "uint8" }, value: v, part: uintWord(v) })),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((v) => ({ type: { type: "uint32" }, value: v, part: uintWord(v) })),
  uint(64).map((v) => ({ type: { type: "uint64" }, value: v, part: uintWord(v) })),
  uint(256).map((v) => ({ type: { type: "uint256" }, value: v, part: uintWord(v) })),
  hex(20).map((v) => ({ type: { type: "address" }, value: v, part: addressWord(v as Address) })),
  // Mixed-case input too: receipts are lowercase, but the encoder must not depend on it.
  hex(20).map((v) => {
    const mixed = `0x${v.slice(2).toUpperCase()}` as Address;
    return { type: { type: "address" }, value: v, part: addressWord(mixed) };
  }),
  fc
    .string({ unit: "binary", maxLength: 100 })
    .map((v) => ({ type: { type: "string" }, value: v, part: stringTail(v) })),
  fc.array(uint(256), { maxLength: 6 }).map((v) => ({
    type: { type: "uint256[]" },
    value: v,
    part: staticArrayTail(v.map(uintWord)),
  })),
  fc.array(fc.tuple(hex(32), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((v) => ({
    type: {
      type: "tuple[]",
      components: [
        { name: "fingerprint", type: "bytes32" },
        { name: "relation", type: "uint8" },
      ],
    },
    value: v.map(([fingerprint, relation]) => ({ fingerprint, relation })),
    part: staticArrayTail(v.map(([fingerprint, relation]) => bytes32Word(fingerprint) + uintWord(relation))),
  })),
);

describe("SDK utils: abiWords", () => {
  it("encodes every tuple of its shapes exactly as viem's encodeAbiParameters (property)", () => {
    fc.assert(
      fc.property(fc.array(parameter, { maxLength: 10 }), (parameters) => {
        const expected = encodeAbiParameters(
          parameters.map((p) => p.type),
          parameters.map((p) => p.value),
        );
        expect(bytesToHex(encodeParts(parameters.map((p) => p.part)))).to.equal(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("hashes what it encodes", () => {
    const types = [{ type: "uint8" }, { type: "string" }, { type: "bytes32" }] as const;
    const expected = keccak256(encodeAbiParameters(types, [1, "é", zeroHash]));
    expect(hashParts([uintWord(1), stringTail("é"), bytes32Word(zeroHash)])).to.equal(expected);
  });
});
