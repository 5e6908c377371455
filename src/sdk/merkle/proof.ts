/**
 * The batch leaf and pair rule, in one place (docs/fingerprints.md#batch-trees): leaf = keccak256(keccak256(
 * fingerprint)), parent = keccak256 of the two children, the smaller first. The tree (tree.ts) applies it in bulk;
 * these functions walk one proof, for receipts and verifiers.
 */
import type { Hex } from "viem";
import { compareBytes32, hex32, parseBytes32, writeBytes32 } from "./bytes";
import { InvalidFingerprintError } from "../errors/batch";
import { createKernel, HEAP_START, type KernelExports } from "./keccakKernel";

/** The leaf hash of a fingerprint: keccak256(keccak256(fingerprint)), what `MerkleProof.verify` takes as `leaf`. */
export function batchLeafHash(fingerprint: Hex): Hex {
  return hex32(batchLeafHashBytes(parseBytes32("fingerprint", fingerprint)), 0);
}

/** The leaf hash of 32 fingerprint bytes, as bytes (for look-ups in a tree). */
export function batchLeafHashBytes(fingerprint: Uint8Array): Uint8Array {
  const kernel = proofKernel();
  kernel.memory.set(fingerprint, NODE);
  kernel.exports.leaves(NODE, NODE, 1);
  return kernel.memory.slice(NODE, NODE + 32);
}

/**
 * The root that `proof` (siblings from leaf to root, as StandardMerkleTree's `getProof` gives them) leads to from
 * `fingerprint`. Throws InvalidFingerprintError if the fingerprint or a sibling is not 32 bytes of hex.
 */
export function batchRootFromProof(fingerprint: Hex, proof: readonly Hex[]): Hex {
  const kernel = proofKernel();
  climbFromLeaf(kernel, fingerprint, proof);
  return hex32(kernel.memory, NODE);
}

/** Whether `proof` proves `fingerprint` under `root`. Throws InvalidFingerprintError if any of them is malformed. */
export function verifyBatchProof(root: Hex, fingerprint: Hex, proof: readonly Hex[]): boolean {
  const expected = parseBytes32("root", root);
  const kernel = proofKernel();
  climbFromLeaf(kernel, fingerprint, proof);
  return compareBytes32(kernel.memory, NODE, expected, 0) === 0;
}

// One small kernel instance for every proof: a proof is a few dozen hashes, so the bytes go straight from the hex
// strings into its memory and the root comes out as hex once. keccak256 through viem costs ~10 µs a hash; the kernel
// ~0.4 µs.

/** Where the node climbing the proof sits; the siblings follow it. */
const NODE = HEAP_START;
const SIBLINGS = NODE + 32;
/** One 64 KiB page: siblings are hashed in chunks of this many. */
const CHUNK = Math.floor((65536 - SIBLINGS) / 32);

interface ProofKernel {
  memory: Uint8Array;
  exports: KernelExports;
}

let kernelInstance: ProofKernel | undefined;

function proofKernel(): ProofKernel {
  if (kernelInstance === undefined) {
    const kernel = createKernel(65536);
    kernelInstance = { memory: new Uint8Array(kernel.buffer), exports: kernel.exports };
  }
  return kernelInstance;
}

/** Leaves the root that `proof` leads to from `fingerprint` at NODE. */
function climbFromLeaf(kernel: ProofKernel, fingerprint: Hex, proof: readonly Hex[]): void {
  const { memory } = kernel;
  if (!writeBytes32(fingerprint, memory, NODE)) throw new InvalidFingerprintError("fingerprint", fingerprint);
  kernel.exports.leaves(NODE, NODE, 1);
  for (let start = 0; start < proof.length; start += CHUNK) {
    const end = Math.min(proof.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      if (!writeBytes32(proof[i], memory, SIBLINGS + 32 * (i - start))) {
        throw new InvalidFingerprintError(`proof[${i}]`, proof[i]);
      }
    }
    kernel.exports.climb(NODE, SIBLINGS, end - start);
  }
}
