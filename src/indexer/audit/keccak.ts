/**
 * keccak-256 over messages of any length, in a small hand-emitted WebAssembly module (the sponge: absorb whole 136-byte
 * blocks, one keccak-f[1600] permutation each, on 64-bit lanes).
 *
 * Why not viem's keccak256 (@noble/hashes): the audit hashes every stored event four times (its log, the digest, its
 * payload, its record entry, its ledger entry: ~10 permutations for a typical 500-byte log), and bench/audit.ts
 * measured noble at 9-17 µs per one-block hash on the 2-core machine (60 µs for 600 bytes), i.e. well over the 20 µs
 * per event the 1M-events-in-20-s target allows for everything. This module hashes one block in well under a
 * microsecond (bench/audit.ts prints both, same run). The SDK's own kernel (src/sdk/merkle/keccakKernel.ts) only
 * hashes 32- and 64-byte leaves and is not exported from the SDK's root; this is the same construction for any length.
 * Checked against viem's keccak256 for every length from 0 to 600 bytes by test/indexer/audit/keccak.test.ts.
 */
import { IndexerError } from "../errors";

/** The round-constant table sits at address 0; messages and digests go above. */
const HEAP_START = 256;
/** keccak-256's rate: 1088 bits. */
export const RATE = 136;

/**
 * A sponge over its own memory. Callers write a message into `heap` at some offset and call `hash(offset, length,
 * out)`: the padding is written in place (up to the end of the message's last block, so leave that room), and the
 * 32-byte digest lands at `out`.
 */
export type Sponge = {
  /** The module's memory as bytes (a Buffer, for its fast hex writes); replaced when `reserve` grows it. */
  heap: Buffer;
  /** Makes sure `heap` has at least `bytes` bytes; returns the (possibly new) heap. */
  reserve(bytes: number): Buffer;
  hash(offset: number, length: number, out: number): void;
  /** First free byte for callers' buffers. */
  readonly start: number;
};

type Exports = { absorb(src: number, blocks: number, dst: number): void };
type WebAssemblyApi = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
};

let compiled: object | undefined;

/** A new sponge with at least `bytes` bytes of memory. */
export function createSponge(bytes = 1 << 20): Sponge {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) {
    throw new IndexerError("InvalidConfig", "this JavaScript runtime has no WebAssembly", {
      details: "run the indexer on Node 20 or later",
    });
  }
  const memory = new wasm.Memory({ initial: Math.ceil((bytes + HEAP_START) / 65536) });
  compiled ??= new wasm.Module(moduleBytes());
  const { absorb } = new wasm.Instance(compiled, { e: { m: memory } }).exports as Exports;
  const sponge: Sponge = {
    heap: Buffer.from(memory.buffer),
    start: HEAP_START,
    reserve(size: number): Buffer {
      const needed = size + HEAP_START + RATE;
      if (memory.buffer.byteLength < needed) {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
        sponge.heap = Buffer.from(memory.buffer);
      }
      return sponge.heap;
    },
    hash(offset: number, length: number, out: number): void {
      const heap = sponge.heap;
      const blocks = Math.floor(length / RATE) + 1;
      const end = offset + blocks * RATE;
      heap.fill(0, offset + length, end);
      heap[offset + length] = 0x01;
      heap[end - 1] |= 0x80;
      absorb(offset, blocks, out);
    },
  };
  return sponge;
}

let shared: Sponge | undefined;
/** The process's sponge for one-off hashes (tests, the chain verifier). */
export function sharedSponge(): Sponge {
  shared ??= createSponge();
  return shared;
}

/** keccak256 of `bytes`, as bytes (a copy). */
export function keccak(bytes: Uint8Array): Uint8Array {
  const sponge = sharedSponge();
  const heap = sponge.reserve(bytes.length + 64);
  const at = sponge.start + 32;
  heap.set(bytes, at);
  sponge.hash(at, bytes.length, sponge.start);
  // A copy: Buffer#slice would be a view of the heap.
  return new Uint8Array(heap.subarray(sponge.start, sponge.start + 32));
}

// ---------------------------------------------------------------------------------------------------------------
// The module, emitted from the Keccak definition (FIPS 202)
// ---------------------------------------------------------------------------------------------------------------

function constants(): { rotation: number[]; roundConstants: bigint[] } {
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

const LOOP = 0x03;
const END = 0x0b;
const BR_IF = 0x0d;
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
const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const get = (local: number): number[] => [0x20, ...uleb(local)];
const set = (local: number): number[] => [0x21, ...uleb(local)];
const tee = (local: number): number[] => [0x22, ...uleb(local)];
const i32 = (value: number): number[] => [0x41, ...sleb(BigInt(value))];
const i64 = (value: bigint): number[] => [0x42, ...sleb(value)];
const load64 = (offset: number): number[] => [0x29, 3, ...uleb(offset)];
const store64 = (offset: number): number[] => [0x37, 3, ...uleb(offset)];
const [I32_LT_U, I32_ADD, I32_SUB, I32_SHL, I64_AND, I64_XOR, I64_ROTL] = [0x49, 0x6a, 0x6b, 0x74, 0x83, 0x85, 0x89];

/** absorb(src, blocks, dst): the state starts at zero, absorbs `blocks` padded 136-byte blocks, 32 bytes to dst. */
function absorbBody(rotation: readonly number[]): number[] {
  // Locals: 0 src, 1 blocks, 2 dst (params); 3-27 lanes; 28-32 column parities; 33 D; 34-58 B; 59 round.
  const lane = (i: number): number => 3 + i;
  const column = (x: number): number => 28 + x;
  const d = 33;
  const b = (i: number): number => 34 + i;
  const round = 59;
  const code: number[] = [LOOP, VOID];
  for (let i = 0; i < RATE / 8; i++) code.push(...get(lane(i)), ...get(0), ...load64(8 * i), I64_XOR, ...set(lane(i)));
  code.push(...i32(0), ...set(round), LOOP, VOID);
  for (let x = 0; x < 5; x++) {
    code.push(...get(lane(x)));
    for (let y = 1; y < 5; y++) code.push(...get(lane(x + 5 * y)), I64_XOR);
    code.push(...set(column(x)));
  }
  for (let x = 0; x < 5; x++) {
    code.push(...get(column((x + 4) % 5)), ...get(column((x + 1) % 5)), ...i64(1n), I64_ROTL, I64_XOR, ...set(d));
    for (let y = 0; y < 5; y++) code.push(...get(lane(x + 5 * y)), ...get(d), I64_XOR, ...set(lane(x + 5 * y)));
  }
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      const r = rotation[x + 5 * y];
      code.push(...get(lane(x + 5 * y)), ...(r === 0 ? [] : [...i64(BigInt(r)), I64_ROTL]));
      code.push(...set(b(y + 5 * ((2 * x + 3 * y) % 5))));
    }
  }
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      code.push(...get(b(x + 5 * y)), ...get(b(((x + 1) % 5) + 5 * y)), ...i64(-1n), I64_XOR);
      code.push(...get(b(((x + 2) % 5) + 5 * y)), I64_AND, I64_XOR, ...set(lane(x + 5 * y)));
    }
  }
  code.push(...get(lane(0)), ...get(round), ...i32(3), I32_SHL, ...load64(0), I64_XOR, ...set(lane(0)));
  code.push(...get(round), ...i32(1), I32_ADD, ...tee(round), ...i32(24), I32_LT_U, BR_IF, 0, END);
  code.push(...get(0), ...i32(RATE), I32_ADD, ...set(0));
  code.push(...get(1), ...i32(1), I32_SUB, ...tee(1), BR_IF, 0, END);
  for (let i = 0; i < 4; i++) code.push(...get(2), ...get(lane(i)), ...store64(8 * i));
  return [
    ...vector([
      [25 + 5 + 1 + 25, I64],
      [1, I32],
    ]),
    ...code,
    END,
  ];
}

function moduleBytes(): Uint8Array {
  const { rotation, roundConstants } = constants();
  const body = absorbBody(rotation);
  const table = roundConstants.flatMap((rc) =>
    Array.from({ length: 8 }, (_, i) => Number((rc >> BigInt(8 * i)) & 0xffn)),
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32]]), 0]])),
    ...section(2, vector([[...name("e"), ...name("m"), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name("absorb"), 0x00, 0]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
    ...section(11, vector([[0x00, ...i32(0), END, ...vector(table.map((byte) => [byte]))]])),
  ]);
}
