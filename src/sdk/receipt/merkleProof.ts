/**
 * The batch leaf and pair rule of OpenZeppelin's StandardMerkleTree (bytes32 leaves), as the ledger's
 * verifyBatchInclusion checks it. Kept apart so that it can give way to src/sdk/merkle's single definition.
 */
import { hexToBytes, keccak256, type Hex } from "viem";

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** leaf = keccak256(bytes.concat(keccak256(abi.encode(fingerprint)))); abi.encode of one bytes32 is its 32 bytes. */
export function batchLeafHash(fingerprint: Hex): Uint8Array {
  return keccak256(keccak256(hexToBytes(fingerprint), "bytes"), "bytes");
}

/** The root a StandardMerkleTree proof leads to from `fingerprint`: each step hashes the sorted pair. */
export function batchRootFromProof(fingerprint: Hex, proof: readonly Hex[]): Hex {
  let node = batchLeafHash(fingerprint);
  const pair = new Uint8Array(64);
  for (const siblingHex of proof) {
    const sibling = hexToBytes(siblingHex);
    const [first, second] = compareBytes(node, sibling) <= 0 ? [node, sibling] : [sibling, node];
    pair.set(first, 0);
    pair.set(second, 32);
    node = keccak256(pair, "bytes");
  }
  return `0x${Buffer.from(node).toString("hex")}`;
}
