/**
 * The batch leaf and pair rule, in one place (docs/fingerprints.md#batch-trees): leaf = keccak256(keccak256(
 * fingerprint)), parent = keccak256 of the two children, the smaller first. The tree (tree.ts) applies it in bulk on
 * the WebAssembly kernel; these functions walk one proof, for receipts and verifiers, with viem's keccak on purpose:
 * checking proofs with an implementation independent of the one that built them means a kernel bug shows as a
 * failed proof, never as a false one. A 14-step proof takes about 0.2 ms, well inside the 1 ms budget of an offline
 * receipt check.
 */
import { keccak256, type Hex } from "viem";
import { compareBytes32, hex32, parseBytes32 } from "./bytes";

/** The leaf hash of a fingerprint: keccak256(keccak256(fingerprint)), what `MerkleProof.verify` takes as `leaf`. */
export function batchLeafHash(fingerprint: Hex): Hex {
  return hex32(batchLeafHashBytes(parseBytes32("fingerprint", fingerprint)), 0);
}

/** The leaf hash of 32 fingerprint bytes, as bytes (for look-ups in a tree). */
export function batchLeafHashBytes(fingerprint: Uint8Array): Uint8Array {
  // abi.encode of one bytes32 is its 32 bytes.
  return keccak256(keccak256(fingerprint, "bytes"), "bytes");
}

/**
 * The root that `proof` (siblings from leaf to root, as StandardMerkleTree's `getProof` gives them) leads to from
 * `fingerprint`. Throws InvalidFingerprintError if the fingerprint or a sibling is not 32 bytes of hex.
 */
export function batchRootFromProof(fingerprint: Hex, proof: readonly Hex[]): Hex {
  return hex32(climb(fingerprint, proof), 0);
}

/** Whether `proof` proves `fingerprint` under `root`. Throws InvalidFingerprintError if any of them is malformed. */
export function verifyBatchProof(root: Hex, fingerprint: Hex, proof: readonly Hex[]): boolean {
  const expected = parseBytes32("root", root);
  return compareBytes32(climb(fingerprint, proof), 0, expected, 0) === 0;
}

function climb(fingerprint: Hex, proof: readonly Hex[]): Uint8Array {
  let node = batchLeafHashBytes(parseBytes32("fingerprint", fingerprint));
  const pair = new Uint8Array(64);
  for (let i = 0; i < proof.length; i++) {
    const sibling = parseBytes32(`proof[${i}]`, proof[i]);
    const nodeFirst = compareBytes32(node, 0, sibling, 0) <= 0;
    pair.set(nodeFirst ? node : sibling, 0);
    pair.set(nodeFirst ? sibling : node, 32);
    node = keccak256(pair, "bytes");
  }
  return node;
}
