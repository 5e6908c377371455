/** Shared by the batch-tree tests: deterministic fingerprints, OpenZeppelin's tree as the oracle. */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { bytesToHex, concat, hexToBytes, keccak256, toHex, type Hex } from "viem";
import { buildBatchTree, verifyBatchProof, type BatchTree } from "../../../src/sdk";

export const ENCODING = ["bytes32"];

/** Deterministic, distinct fingerprints. */
export function fingerprints(n: number, salt = 0): Hex[] {
  return Array.from({ length: n }, (_, i) => keccak256(toHex(BigInt(salt) * 2n ** 32n + BigInt(i), { size: 32 })));
}

export function ozTree(values: readonly Hex[]): StandardMerkleTree<[Hex]> {
  return StandardMerkleTree.of(
    values.map((v): [Hex] => [v]),
    ENCODING,
  );
}

/** Root, dump (so every node and leaf position) and every proof, by index and by value, identical to OpenZeppelin's. */
export function expectSameAsOpenZeppelin(values: readonly Hex[]): BatchTree {
  const oz = ozTree(values);
  const ours = buildBatchTree(values);
  expect(ours.root).to.equal(oz.root);
  expect(ours.leafCount).to.equal(values.length);
  expect(ours.dump()).to.deep.equal(oz.dump());
  expect(buildBatchTree(hexToBytes(concat([...values]))).root).to.equal(oz.root);
  for (let i = 0; i < values.length; i++) {
    const proof = ours.proof(i);
    expect(proof).to.deep.equal(oz.getProof(i));
    expect(ours.proof(values[i])).to.deep.equal(oz.getProof([values[i]]));
    expect(ours.at(i)).to.equal(values[i]);
    expect(verifyBatchProof(ours.root, values[i], proof)).to.be.true;
    expect(StandardMerkleTree.verify(ours.root, ENCODING, [values[i]], proof)).to.be.true;
  }
  return ours;
}

export function flipByte(hex: Hex, byte = 31): Hex {
  const bytes = hexToBytes(hex);
  bytes[byte] ^= 0x01;
  return bytesToHex(bytes);
}
