/**
 * Batch anchoring: the Merkle tree over a batch of dataset fingerprints whose root the ledger anchors, with per-leaf
 * proofs and a manifest dump, identical to OpenZeppelin's `StandardMerkleTree.of(fingerprints.map((f) => [f]),
 * ["bytes32"])` (@openzeppelin/merkle-tree 1.0.x, default options) and fast enough for millions of leaves.
 *
 * The tree, exactly as that library builds it:
 * - leaf hash = keccak256(keccak256(fingerprint)): abi.encode of one bytes32 is its 32 bytes, so this is
 *   `keccak256(bytes.concat(keccak256(abi.encode(value))))`, what `MerkleProof.verify` expects on chain;
 * - the leaf hashes are sorted ascending by a stable sort (equal hashes keep input order), and the k-th smallest is
 *   stored at index 2n-2-k of a (2n-1)-node array;
 * - node i = keccak256(a ‖ b) of its children 2i+1 and 2i+2, the smaller (as bytes) first; the root is node 0;
 * - a proof is the sibling of each node on the path from the leaf up to (not including) the root.
 *
 * Duplicates are allowed, as in OpenZeppelin's library: each copy is its own leaf with its own proof, and
 * `proof(fingerprint)` proves the last copy in input order (the library's `leafLookup`). Fingerprints may be given in
 * upper or lower case; everything returned is lowercase 0x-hex.
 *
 * `dump()` is the library's "standard-v1" JSON (`StandardMerkleTree.load` accepts it); `loadBatchTree` reads one back
 * and recomputes every node from the fingerprints, so a manifest that was altered is refused.
 */
import { keccak256, type Hex } from "viem";

// ---------------------------------------------------------------------------------------------------------------------
// Public API

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

/** Every error this module throws on purpose. */
export class BatchTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchTreeError";
  }
}

/** A value that must be 32 bytes as 0x-prefixed hex (a fingerprint, a root or a proof node) is not. */
export class InvalidFingerprintError extends BatchTreeError {
  constructor(
    /** Where the value was, e.g. "fingerprints[3]" or "proof[0]". */
    readonly label: string,
    readonly value: unknown,
  ) {
    super(`${label} must be 32 bytes as 0x-prefixed hex (0x and 64 hex digits), got ${describe(value)}`);
    this.name = "InvalidFingerprintError";
  }
}

/** `proof` or `at` was asked for an index out of range, or `proof` for a fingerprint that is not in the tree. */
export class LeafNotFoundError extends BatchTreeError {
  constructor(readonly leaf: number | Hex) {
    super(
      typeof leaf === "number" ? `no fingerprint at index ${leaf}` : `fingerprint ${String(leaf)} is not in the tree`,
    );
    this.name = "LeafNotFoundError";
  }
}

/** `loadBatchTree` was given something that is not a valid standard-v1 ["bytes32"] dump. */
export class InvalidBatchDumpError extends BatchTreeError {
  constructor(message: string) {
    super(`invalid batch tree dump: ${message}`);
    this.name = "InvalidBatchDumpError";
  }
}

/**
 * Builds the tree over `fingerprints`: 0x-hex strings, or their bytes back to back (32 per fingerprint).
 * Throws InvalidFingerprintError for a malformed fingerprint, BatchTreeError for none or over MAX_BATCH_LEAVES.
 */
export function buildBatchTree(fingerprints: readonly Hex[] | Uint8Array): BatchTree {
  if (fingerprints instanceof Uint8Array) {
    if (fingerprints.length % 32 !== 0) {
      const index = Math.floor(fingerprints.length / 32);
      throw new InvalidFingerprintError(`fingerprints[${index}]`, fingerprints.subarray(index * 32));
    }
    const kernel = allocate(fingerprints.length / 32);
    kernel.values.set(fingerprints);
    return assemble(kernel).tree;
  }
  if (!Array.isArray(fingerprints)) throw new BatchTreeError("fingerprints must be an array of hex strings or bytes");
  const kernel = allocate(fingerprints.length);
  for (let i = 0; i < fingerprints.length; i++) {
    if (!writeBytes32(fingerprints[i], kernel.values, i * 32)) {
      throw new InvalidFingerprintError(`fingerprints[${i}]`, fingerprints[i]);
    }
  }
  return assemble(kernel).tree;
}

/**
 * Reads a dump back (from `dump()` or from OpenZeppelin's `StandardMerkleTree.dump()` with default options), after
 * rebuilding the tree from its fingerprints: throws InvalidBatchDumpError unless every node and leaf position matches.
 */
export function loadBatchTree(data: unknown): BatchTree {
  if (typeof data !== "object" || data === null) throw new InvalidBatchDumpError("not an object");
  const { format, leafEncoding, tree, values } = data as Partial<Record<keyof BatchTreeDump, unknown>>;
  if (format !== "standard-v1") throw new InvalidBatchDumpError(`format is ${describe(format)}, not "standard-v1"`);
  if (!Array.isArray(leafEncoding) || leafEncoding.length !== 1 || leafEncoding[0] !== "bytes32") {
    throw new InvalidBatchDumpError(`leafEncoding must be ["bytes32"], got ${describe(leafEncoding)}`);
  }
  if (!Array.isArray(values) || !Array.isArray(tree)) throw new InvalidBatchDumpError("tree and values must be arrays");
  const n = values.length;
  if (n === 0) throw new InvalidBatchDumpError("no values");
  if (tree.length !== 2 * n - 1) {
    throw new InvalidBatchDumpError(`tree has ${tree.length} nodes, ${n} values need ${2 * n - 1}`);
  }
  const kernel = allocate(n);
  for (let i = 0; i < n; i++) {
    const entry: unknown = values[i];
    const value = typeof entry === "object" && entry !== null ? (entry as { value?: unknown }).value : undefined;
    if (!Array.isArray(value) || value.length !== 1 || !writeBytes32(value[0], kernel.values, i * 32)) {
      throw new InvalidBatchDumpError(`values[${i}] must be { value: [bytes32 hex], treeIndex }`);
    }
  }
  const built = assemble(kernel);
  const node = new Uint8Array(32);
  for (let i = 0; i < tree.length; i++) {
    if (!writeBytes32(tree[i], node, 0)) throw new InvalidBatchDumpError(`tree[${i}] is not 32-byte hex`);
    if (compareBytes32(node, 0, kernel.nodes, i * 32) !== 0) {
      throw new InvalidBatchDumpError(`tree[${i}] differs from the node recomputed from the values`);
    }
  }
  for (let i = 0; i < n; i++) {
    const treeIndex = (values[i] as { treeIndex?: unknown }).treeIndex;
    if (treeIndex !== built.treeIndexOf[i]) {
      throw new InvalidBatchDumpError(
        `values[${i}].treeIndex is ${describe(treeIndex)}, expected ${built.treeIndexOf[i]} ` +
          "(only trees built with sorted leaves, the library's default, are supported)",
      );
    }
  }
  return built.tree;
}

/** Whether `proof` proves `fingerprint` under `root`. Throws InvalidFingerprintError if any of them is malformed. */
export function verifyBatchProof(root: Hex, fingerprint: Hex, proof: readonly Hex[]): boolean {
  const expected = parseBytes32("root", root);
  let node = leafHashBytes(parseBytes32("fingerprint", fingerprint));
  const pair = new Uint8Array(64);
  for (let i = 0; i < proof.length; i++) {
    const sibling = parseBytes32(`proof[${i}]`, proof[i]);
    const nodeFirst = compareBytes32(node, 0, sibling, 0) <= 0;
    pair.set(nodeFirst ? node : sibling, 0);
    pair.set(nodeFirst ? sibling : node, 32);
    node = keccak256(pair, "bytes");
  }
  return compareBytes32(node, 0, expected, 0) === 0;
}

/** The leaf hash of a fingerprint: keccak256(keccak256(fingerprint)), what `MerkleProof.verify` takes as `leaf`. */
export function batchLeafHash(fingerprint: Hex): Hex {
  return hex32(leafHashBytes(parseBytes32("fingerprint", fingerprint)), 0);
}

// ---------------------------------------------------------------------------------------------------------------------
// Building

/** A tree under construction: its fingerprints and nodes live in one WebAssembly memory while they are hashed. */
interface Kernel {
  n: number;
  /** n fingerprints, 32 bytes each, in input order. */
  values: Uint8Array;
  /** 2n-1 nodes, 32 bytes each, in the library's layout. */
  nodes: Uint8Array;
  exports: KernelExports;
  valuesAddress: number;
  nodesAddress: number;
}

/** The RC table sits at address 0; buffers start after it. */
const HEAP_START = 256;

function allocate(n: number): Kernel {
  if (n === 0) throw new BatchTreeError("a batch needs at least one fingerprint");
  if (n > MAX_BATCH_LEAVES) throw new BatchTreeError(`${n} fingerprints: at most ${MAX_BATCH_LEAVES} fit in one tree`);
  const valuesAddress = HEAP_START;
  const nodesAddress = valuesAddress + 32 * n;
  const end = nodesAddress + 32 * (2 * n - 1);
  const wasm = webAssembly();
  const memory = new wasm.Memory({ initial: Math.ceil(end / 65536) });
  const instance = new wasm.Instance(kernelModule(), { e: { m: memory } });
  return {
    n,
    values: new Uint8Array(memory.buffer, valuesAddress, 32 * n),
    nodes: new Uint8Array(memory.buffer, nodesAddress, 32 * (2 * n - 1)),
    exports: instance.exports as KernelExports,
    valuesAddress,
    nodesAddress,
  };
}

/** Hashes the leaves, sorts them into place and hashes the internal nodes (kernel.values must be filled). */
function assemble(kernel: Kernel): { tree: BatchTree; treeIndexOf: Uint32Array } {
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
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new LeafNotFoundError(index);
  };

  /** The input index of `fingerprint`'s last copy: binary search on the sorted leaf slots, then the run of equals. */
  const lookup = (fingerprint: Hex): number => {
    const hash = leafHashBytes(parseBytes32("fingerprint", fingerprint));
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

// ---------------------------------------------------------------------------------------------------------------------
// Bytes and hex

/** Compares 32 bytes at a[ao] and b[bo] as big-endian numbers (the library's order): negative, zero or positive. */
function compareBytes32(a: Uint8Array, ao: number, b: Uint8Array, bo: number): number {
  for (let k = 0; k < 32; k++) {
    const d = a[ao + k] - b[bo + k];
    if (d !== 0) return d;
  }
  return 0;
}

const NIBBLE = new Int8Array(256).fill(-1);
for (let d = 0; d < 10; d++) NIBBLE[48 + d] = d;
for (let d = 0; d < 6; d++) NIBBLE[65 + d] = NIBBLE[97 + d] = 10 + d;

/** Writes the 32 bytes of a "0x" + 64 hex digit string at out[offset]; false (out partly written) if it is not one. */
function writeBytes32(value: unknown, out: Uint8Array, offset: number): boolean {
  if (typeof value !== "string" || value.length !== 66 || value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 120) {
    return false;
  }
  // Bits above 0xff flag an invalid digit (NIBBLE is -1) or a character beyond Latin-1.
  let bad = 0;
  for (let k = 0, c = 2; k < 32; k++, c += 2) {
    const hi = value.charCodeAt(c);
    const lo = value.charCodeAt(c + 1);
    const h = NIBBLE[hi & 0xff];
    const l = NIBBLE[lo & 0xff];
    bad |= h | l | hi | lo;
    out[offset + k] = (h << 4) | l;
  }
  return (bad & ~0xff) === 0;
}

function parseBytes32(label: string, value: unknown): Uint8Array {
  const bytes = new Uint8Array(32);
  if (!writeBytes32(value, bytes, 0)) throw new InvalidFingerprintError(label, value);
  return bytes;
}

// Hex through one reused ASCII buffer and TextDecoder: concatenating 33 pieces per node built rope strings that
// made dump() 5-10x slower at 1M leaves.
const HEX_DIGITS = new TextEncoder().encode("0123456789abcdef");
const hexScratch = new Uint8Array(66);
hexScratch.set(new TextEncoder().encode("0x"));
const hexDecoder = new TextDecoder();

function hex32(bytes: Uint8Array, offset: number): Hex {
  for (let k = 0, c = 2; k < 32; k++, c += 2) {
    const byte = bytes[offset + k];
    hexScratch[c] = HEX_DIGITS[byte >> 4];
    hexScratch[c + 1] = HEX_DIGITS[byte & 15];
  }
  return hexDecoder.decode(hexScratch) as Hex;
}

function leafHashBytes(fingerprint: Uint8Array): Uint8Array {
  return keccak256(keccak256(fingerprint, "bytes"), "bytes");
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value !== "string")
    return Array.isArray(value) ? "an array" : `a ${value === null ? "null" : typeof value}`;
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `"${shown}" (${value.length} characters)`;
}

// ---------------------------------------------------------------------------------------------------------------------
// WebAssembly keccak kernel
//
// Why hand-emitted WebAssembly: hashing is the bottleneck (a 1M-leaf tree takes 3M keccak-f[1600] permutations, two
// per leaf and one per internal node) and the libraries are too slow for it. Measured per 32-byte keccak256 on the
// 2-core CI machine (node 20): @noble/hashes' keccak_256 (viem's keccak256) ~10 µs, i.e. ~30 s for the hashes alone;
// hash-wasm ~0.8 µs (~2.5 s, with a JS-to-WebAssembly round trip of init/update/digest per hash); an unrolled pure-JS
// permutation ~1.7-2.2 µs; this kernel, which runs whole loops of hashes inside WebAssembly on 64-bit lanes, ~0.4 µs
// (~1.2 s). Whole 1M-leaf builds: 3.2 s with hash-wasm, 1.7-1.9 s with this kernel.
// The module (~1.4 kB, plain WebAssembly 1.0) is emitted below from the Keccak definition (FIPS 202), not embedded as
// an opaque blob, and compiled once. Its output is checked against OpenZeppelin's library by test/sdk/merkle.test.ts.

interface KernelExports {
  /** dst[i] = keccak256(keccak256(src[i])) for n 32-byte values at src. */
  leaves(src: number, dst: number, n: number): void;
  /** For i from last down to first: node i = keccak256 of children 2i+1 and 2i+2, smaller first. */
  nodes(tree: number, first: number, last: number): void;
}

/** The part of the WebAssembly JS API used here (tsconfig's lib has no WebAssembly types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

function webAssembly(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) throw new BatchTreeError("this JavaScript runtime has no WebAssembly");
  return api;
}

let compiled: object | undefined;
function kernelModule(): object {
  compiled ??= new (webAssembly().Module)(kernelBytes());
  return compiled;
}

/** Keccak-f[1600] rho offsets by lane x + 5y, and the iota round constants, computed as FIPS 202 defines them. */
function keccakConstants(): { rotation: number[]; roundConstants: bigint[] } {
  const rotation = new Array<number>(25).fill(0);
  for (let t = 0, x = 1, y = 0; t < 24; t++) {
    rotation[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  const roundConstants: bigint[] = [];
  for (let round = 0, lfsr = 1; round < 24; round++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) {
      if (lfsr & 1) rc |= 1n << BigInt((1 << j) - 1);
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    }
    roundConstants.push(rc);
  }
  return { rotation, roundConstants };
}

const enum Op {
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  Call = 0x10,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I64Load = 0x29,
  I32Load8U = 0x2d,
  I64Store = 0x37,
  I32Const = 0x41,
  I64Const = 0x42,
  I32Ne = 0x47,
  I32LtU = 0x49,
  I32GtU = 0x4b,
  I32GeU = 0x4f,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Shl = 0x74,
  I64And = 0x83,
  I64Xor = 0x85,
  I64Rotl = 0x89,
}
const VOID = 0x40;
const I32 = 0x7f;
const I64 = 0x7e;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, value);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const utf8 = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const get = (local: number): number[] => [Op.LocalGet, ...uleb(local)];
const set = (local: number): number[] => [Op.LocalSet, ...uleb(local)];
const tee = (local: number): number[] => [Op.LocalTee, ...uleb(local)];
const i32 = (value: number): number[] => [Op.I32Const, ...sleb(BigInt(value))];
const i64 = (value: bigint): number[] => [Op.I64Const, ...sleb(value)];
const load64 = (offset: number): number[] => [Op.I64Load, 3, ...uleb(offset)];
const store64 = (offset: number): number[] => [Op.I64Store, 3, ...uleb(offset)];
const load8 = (offset: number): number[] => [Op.I32Load8U, 0, ...uleb(offset)];

/**
 * keccakf(out: i32, lane0..lane8: i64): keccak-256 of one block whose first nine lanes are given (input of up to 64
 * bytes with its 0x01 pad already in place; the final 0x80 pad bit, lane 16, is added here); writes the 32-byte
 * digest (lanes 0-3) at out.
 */
function keccakBody(rotation: readonly number[]): number[] {
  // Locals: 0 out; 1-9 lanes 0-8 (params); 10-25 lanes 9-24; 26-30 column parities C; 31 D; 32-56 B; 57 round.
  const lane = (i: number): number => (i <= 8 ? 1 + i : 10 + i - 9);
  const column = (x: number): number => 26 + x;
  const d = 31;
  const b = (i: number): number => 32 + i;
  const round = 57;
  const code: number[] = [...i64(0x8000000000000000n), ...set(lane(16)), Op.Loop, VOID];
  // theta
  for (let x = 0; x < 5; x++) {
    code.push(...get(lane(x)));
    for (let y = 1; y < 5; y++) code.push(...get(lane(x + 5 * y)), Op.I64Xor);
    code.push(...set(column(x)));
  }
  for (let x = 0; x < 5; x++) {
    code.push(...get(column((x + 4) % 5)), ...get(column((x + 1) % 5)), ...i64(1n), Op.I64Rotl, Op.I64Xor, ...set(d));
    for (let y = 0; y < 5; y++) code.push(...get(lane(x + 5 * y)), ...get(d), Op.I64Xor, ...set(lane(x + 5 * y)));
  }
  // rho and pi
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      const r = rotation[x + 5 * y];
      code.push(...get(lane(x + 5 * y)), ...(r === 0 ? [] : [...i64(BigInt(r)), Op.I64Rotl]));
      code.push(...set(b(y + 5 * ((2 * x + 3 * y) % 5))));
    }
  }
  // chi: a = b ^ (~b1 & b2)
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      code.push(...get(b(x + 5 * y)), ...get(b(((x + 1) % 5) + 5 * y)), ...i64(-1n), Op.I64Xor);
      code.push(...get(b(((x + 2) % 5) + 5 * y)), Op.I64And, Op.I64Xor, ...set(lane(x + 5 * y)));
    }
  }
  // iota, from the table at address 0; next round
  code.push(...get(lane(0)), ...get(round), ...i32(3), Op.I32Shl, ...load64(0), Op.I64Xor, ...set(lane(0)));
  code.push(...get(round), ...i32(1), Op.I32Add, ...tee(round), ...i32(24), Op.I32LtU, Op.BrIf, 0, Op.End);
  for (let i = 0; i < 4; i++) code.push(...get(0), ...get(lane(i)), ...store64(8 * i));
  return [
    ...vector([
      [16 + 5 + 1 + 25, I64],
      [1, I32],
    ]),
    ...code,
    Op.End,
  ];
}

/** leaves(src, dst, n): see KernelExports. */
function leavesBody(): number[] {
  // Locals: 0 src, 1 dst, 2 n (params); 3 end.
  const code: number[] = [];
  const hash32 = (from: number): void => {
    code.push(...get(1));
    for (let i = 0; i < 4; i++) code.push(...get(from), ...load64(8 * i));
    code.push(...i64(1n), ...i64(0n), ...i64(0n), ...i64(0n), ...i64(0n), Op.Call, 0);
  };
  code.push(...get(0), ...get(2), ...i32(5), Op.I32Shl, Op.I32Add, ...set(3));
  code.push(Op.Block, VOID, ...get(0), ...get(3), Op.I32GeU, Op.BrIf, 0, Op.Loop, VOID);
  hash32(0);
  hash32(1);
  code.push(...get(0), ...i32(32), Op.I32Add, ...tee(0), ...get(1), ...i32(32), Op.I32Add, ...set(1));
  code.push(...get(3), Op.I32LtU, Op.BrIf, 0, Op.End, Op.End);
  return [...vector([[1, I32]]), ...code, Op.End];
}

/** nodes(tree, first, last): see KernelExports. */
function nodesBody(): number[] {
  // Locals: 0 tree, 1 first, 2 last (params); 3 i; 4 left child address; 5 right; 6 byte index; 7, 8 bytes.
  const code: number[] = [...get(2), ...set(3), Op.Loop, VOID];
  code.push(...get(0), ...get(3), ...i32(6), Op.I32Shl, Op.I32Add, ...i32(32), Op.I32Add, ...tee(4));
  code.push(...i32(32), Op.I32Add, ...set(5), ...i32(0), ...set(6));
  // Find the first differing byte; if the left child's is larger, swap the two addresses.
  code.push(Op.Block, VOID, Op.Loop, VOID);
  code.push(...get(4), ...get(6), Op.I32Add, ...load8(0), ...tee(7));
  code.push(...get(5), ...get(6), Op.I32Add, ...load8(0), ...tee(8), Op.I32Ne, Op.If, VOID);
  code.push(...get(7), ...get(8), Op.I32GtU, Op.If, VOID, ...get(4), ...get(5), ...set(4), ...set(5), Op.End);
  code.push(Op.Br, 2, Op.End);
  code.push(...get(6), ...i32(1), Op.I32Add, ...tee(6), ...i32(32), Op.I32LtU, Op.BrIf, 0, Op.End, Op.End);
  code.push(...get(0), ...get(3), ...i32(5), Op.I32Shl, Op.I32Add);
  for (let i = 0; i < 4; i++) code.push(...get(4), ...load64(8 * i));
  for (let i = 0; i < 4; i++) code.push(...get(5), ...load64(8 * i));
  code.push(...i64(1n), Op.Call, 0);
  code.push(...get(3), ...get(1), Op.I32GtU, Op.If, VOID, ...get(3), ...i32(1), Op.I32Sub, ...set(3), Op.Br, 1, Op.End);
  code.push(Op.End);
  return [...vector([[6, I32]]), ...code, Op.End];
}

function kernelBytes(): Uint8Array {
  const keccakType = [0x60, ...vector([[I32], ...new Array<number[]>(9).fill([I64])]), 0];
  const threeI32 = [0x60, ...vector([[I32], [I32], [I32]]), 0];
  const { rotation, roundConstants } = keccakConstants();
  const functions = [keccakBody(rotation), leavesBody(), nodesBody()];
  const table = roundConstants.flatMap((rc) =>
    Array.from({ length: 8 }, (_, i) => Number((rc >> BigInt(8 * i)) & 0xffn)),
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([keccakType, threeI32])),
    ...section(2, vector([[...utf8("e"), ...utf8("m"), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0], [1], [1]])),
    ...section(
      7,
      vector([
        [...utf8("leaves"), 0x00, 1],
        [...utf8("nodes"), 0x00, 2],
      ]),
    ),
    ...section(10, vector(functions.map((body) => [...uleb(body.length), ...body]))),
    ...section(11, vector([[0x00, ...i32(0), Op.End, ...vector(table.map((byte) => [byte]))]])),
  ]);
}
