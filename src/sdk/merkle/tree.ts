/**
 * The batch tree: OpenZeppelin's `StandardMerkleTree.of(fingerprints.map((f) => [f]), ["bytes32"])`
 * (@openzeppelin/merkle-tree 1.0.x, default options), built fast enough for millions of leaves. The layout, leaf
 * order, duplicates and proofs are specified in docs/fingerprints.md#batch-trees.
 */
import type { Hex } from "viem";
import { BatchTreeError, InvalidFingerprintError, LeafNotFoundError } from "../errors/batch";
import { compareBytes32, hex32, parseBytes32, writeBytes32 } from "./bytes";
import { createKernel, HEAP_START, type KernelExports } from "./keccakKernel";
import { batchLeafHashBytes } from "./proof";

/** The standard-v1 dump of `StandardMerkleTree` with leaf encoding ["bytes32"]. */
export interface BatchTreeDump {
  format: "standard-v1";
  leafEncoding: ["bytes32"];
  /** Every node, root first, in the library's array layout. */
  tree: Hex[];
  /** The fingerprints in input order, each with the index of its leaf in `tree`. */
  values: { value: [Hex]; treeIndex: number }[];
}

export interface BatchTree {
  /** The root to anchor. */
  readonly root: Hex;
  /** Number of fingerprints (duplicates included). */
  readonly leafCount: number;
  /** The fingerprint at an input position. */
  at(index: number): Hex;
  /** Proof of the fingerprint at an input position, or of a fingerprint (its last copy): siblings, leaf to root. */
  proof(indexOrFingerprint: number | Hex): Hex[];
  /** OpenZeppelin-compatible manifest (see BatchTreeDump). Converts every node to hex: ~2M strings at 1M leaves. */
  dump(): BatchTreeDump;
}

/** Most fingerprints in one tree: its nodes and fingerprints then take 1.5 GiB (96 bytes per leaf). */
export const MAX_BATCH_LEAVES = 2 ** 24;

/**
 * Builds the tree over `fingerprints`: 0x-hex strings (either case), or their bytes back to back (32 per
 * fingerprint). Throws InvalidFingerprintError for a malformed fingerprint, BatchTreeError for none
 * (`EmptyBatch`) or over MAX_BATCH_LEAVES (`TooManyLeaves`).
 */
export function buildBatchTree(fingerprints: readonly Hex[] | Uint8Array): BatchTree {
  if (fingerprints instanceof Uint8Array) {
    if (fingerprints.length % 32 !== 0) {
      const index = Math.floor(fingerprints.length / 32);
      throw new InvalidFingerprintError(`fingerprints[${index}]`, fingerprints.subarray(index * 32));
    }
    const kernel = allocateTree(fingerprints.length / 32);
    kernel.values.set(fingerprints);
    return assembleTree(kernel).tree;
  }
  if (!Array.isArray(fingerprints)) {
    throw new BatchTreeError("NotAnArray", "fingerprints must be an array of hex strings or bytes", {
      details: "pass an array of 0x-hex fingerprints, or their bytes back to back in one Uint8Array",
    });
  }
  const kernel = allocateTree(fingerprints.length);
  for (let i = 0; i < fingerprints.length; i++) {
    if (!writeBytes32(fingerprints[i], kernel.values, i * 32)) {
      throw new InvalidFingerprintError(`fingerprints[${i}]`, fingerprints[i]);
    }
  }
  return assembleTree(kernel).tree;
}

/** A tree under construction: its fingerprints and nodes live in one WebAssembly memory while they are hashed. */
export interface TreeKernel {
  n: number;
  /** n fingerprints, 32 bytes each, in input order. */
  values: Uint8Array;
  /** 2n-1 nodes, 32 bytes each, in the library's layout. */
  nodes: Uint8Array;
  exports: KernelExports;
  valuesAddress: number;
  nodesAddress: number;
}

/** A kernel with room for n fingerprints and their 2n-1 nodes; fill `values`, then call assembleTree. */
export function allocateTree(n: number): TreeKernel {
  if (n === 0) {
    throw new BatchTreeError("EmptyBatch", "a batch needs at least one fingerprint", {
      details: "pass one fingerprint or more",
    });
  }
  if (n > MAX_BATCH_LEAVES) {
    throw new BatchTreeError("TooManyLeaves", `${n} fingerprints: at most ${MAX_BATCH_LEAVES} fit in one tree`, {
      details: "split them into several batches",
    });
  }
  const valuesAddress = HEAP_START;
  const nodesAddress = valuesAddress + 32 * n;
  // Not destructured: a local named `exports` would shadow the CommonJS one the compiled module exports through.
  const kernel = createKernel(nodesAddress + 32 * (2 * n - 1));
  return {
    n,
    values: new Uint8Array(kernel.buffer, valuesAddress, 32 * n),
    nodes: new Uint8Array(kernel.buffer, nodesAddress, 32 * (2 * n - 1)),
    exports: kernel.exports,
    valuesAddress,
    nodesAddress,
  };
}

/** Hashes the leaves, sorts them into place and hashes the internal nodes (kernel.values must be filled). */
export function assembleTree(kernel: TreeKernel): { tree: BatchTree; treeIndexOf: Uint32Array } {
  const { n, nodes } = kernel;
  const last = 2 * n - 2;
  // Leaf hashes go to the leaf slots in input order first, then are copied out, ranked and put back in place.
  kernel.exports.leaves(kernel.valuesAddress, kernel.nodesAddress + 32 * (n - 1), n);
  const hashes = nodes.slice(32 * (n - 1));
  const order = rankLeaves(hashes, n);
  const from = new Int32Array(hashes.buffer);
  const to = new Int32Array(nodes.buffer, nodes.byteOffset, nodes.length / 4);
  const treeIndexOf = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const value = order[k];
    const s = value * 8;
    const d = (last - k) * 8;
    for (let j = 0; j < 8; j++) to[d + j] = from[s + j];
    treeIndexOf[value] = last - k;
  }
  if (n > 1) kernel.exports.nodes(kernel.nodesAddress, 0, n - 2);
  // A small tree is copied out so that its WebAssembly memory can go: each memory reserves ~10 GB of address space,
  // which ran out with ~13,000 trees alive at once. A large one keeps it (RAM runs out first) and skips the copy
  // (~60 ms at 1M leaves).
  const copy = n < 65_536;
  const tree = batchTree(
    n,
    copy ? kernel.values.slice() : kernel.values,
    copy ? nodes.slice() : nodes,
    order,
    treeIndexOf,
  );
  return { tree, treeIndexOf };
}

/**
 * Ranks n 32-byte hashes ascending, ties in input order (the library sorts with Array.prototype.sort, which is
 * stable): returns order, where order[k] is the input index of the k-th smallest.
 * A stable counting sort on the leading bits spreads keccak outputs into buckets of one or two, then an insertion sort
 * finishes each bucket; a bucket that is large (duplicates, or crafted values) gets a comparison sort instead.
 * Measured: ~0.15 s at 1M leaves. The library's sort (two hex-to-BigInt conversions per comparison) is a quarter of
 * its time (5.6 s of 22 s at 200k leaves; leaf hashing is half, internal nodes a fifth).
 */
function rankLeaves(hashes: Uint8Array, n: number): Uint32Array {
  const bits = Math.min(20, Math.max(1, Math.ceil(Math.log2(n))));
  const shift = 24 - bits;
  const keys = new Uint32Array(n);
  const starts = new Uint32Array((1 << bits) + 1);
  for (let i = 0, o = 0; i < n; i++, o += 32) {
    const key = ((hashes[o] << 16) | (hashes[o + 1] << 8) | hashes[o + 2]) >>> shift;
    keys[i] = key;
    starts[key + 1]++;
  }
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const order = new Uint32Array(n);
  const next = starts.slice(0, -1);
  for (let i = 0; i < n; i++) order[next[keys[i]]++] = i;

  const compare = (a: number, b: number): number => compareBytes32(hashes, a * 32, hashes, b * 32) || a - b;
  for (let b = 0; b + 1 < starts.length; b++) {
    const lo = starts[b];
    const hi = starts[b + 1];
    if (hi - lo > 32) {
      order.subarray(lo, hi).sort(compare);
      continue;
    }
    for (let i = lo + 1; i < hi; i++) {
      const v = order[i];
      let j = i - 1;
      while (j >= lo && compareBytes32(hashes, v * 32, hashes, order[j] * 32) < 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }
  return order;
}

function batchTree(
  n: number,
  values: Uint8Array,
  nodes: Uint8Array,
  order: Uint32Array,
  treeIndexOf: Uint32Array,
): BatchTree {
  const last = 2 * n - 2;
  const root = hex32(nodes, 0);

  const checkIndex = (index: number): void => {
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new LeafNotFoundError(index, n);
  };

  /** The input index of `fingerprint`'s last copy: binary search on the sorted leaf slots, then the run of equals. */
  const lookup = (fingerprint: Hex): number => {
    const hash = batchLeafHashBytes(parseBytes32("fingerprint", fingerprint));
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes32(nodes, (last - mid) * 32, hash, 0) < 0) lo = mid + 1;
      else hi = mid;
    }
    let found = -1;
    for (let k = lo; k < n && compareBytes32(nodes, (last - k) * 32, hash, 0) === 0; k++) found = order[k];
    if (found < 0) throw new LeafNotFoundError(fingerprint);
    return found;
  };

  return {
    root,
    leafCount: n,
    at(index) {
      checkIndex(index);
      return hex32(values, index * 32);
    },
    proof(indexOrFingerprint) {
      let index: number;
      if (typeof indexOrFingerprint === "number") {
        checkIndex(indexOrFingerprint);
        index = indexOrFingerprint;
      } else {
        index = lookup(indexOrFingerprint);
      }
      const proof: Hex[] = [];
      for (let i = treeIndexOf[index]; i > 0; i = (i - 1) >>> 1) {
        proof.push(hex32(nodes, (i % 2 === 1 ? i + 1 : i - 1) * 32)); // sibling: odd i is a left child
      }
      return proof;
    },
    dump() {
      const tree = new Array<Hex>(2 * n - 1);
      for (let i = 0; i < tree.length; i++) tree[i] = hex32(nodes, i * 32);
      const dumped = new Array<BatchTreeDump["values"][number]>(n);
      for (let i = 0; i < n; i++) dumped[i] = { value: [hex32(values, i * 32)], treeIndex: treeIndexOf[i] };
      return { format: "standard-v1", leafEncoding: ["bytes32"], tree, values: dumped };
    },
  };
}
