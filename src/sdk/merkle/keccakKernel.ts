/**
 * A keccak-256 kernel in hand-emitted WebAssembly: whole loops of 32- and 64-byte hashes run inside WebAssembly on
 * 64-bit lanes.
 *
 * Why: hashing is the bottleneck (a 1M-leaf tree takes 3M keccak-f[1600] permutations, two per leaf and one per
 * internal node) and the libraries are too slow for it. Measured per 32-byte keccak256 on the 2-core CI machine
 * (node 20): @noble/hashes' keccak_256 (viem's keccak256) ~10 µs, i.e. ~30 s for the hashes alone; hash-wasm ~0.8 µs
 * (~2.5 s, with a JS-to-WebAssembly round trip of init/update/digest per hash); an unrolled pure-JS permutation
 * ~1.7-2.2 µs; this kernel ~0.4 µs (~1.2 s). Whole 1M-leaf builds: 3.2 s with hash-wasm, 1.7-1.9 s with this kernel.
 * The module (~1.5 kB, plain WebAssembly 1.0) is emitted below from the Keccak definition (FIPS 202), not embedded as
 * an opaque blob, and compiled once. Its output is checked against OpenZeppelin's library by test/sdk/merkle/.
 */
import { BatchTreeError } from "../errors/batch";

/** What the module exports; addresses are byte offsets into its memory, every value 32 bytes. */
export interface KernelExports {
  /** dst[i] = keccak256(keccak256(src[i])) for n 32-byte values at src. */
  leaves(src: number, dst: number, n: number): void;
  /** For i from last down to first: node i = keccak256 of children 2i+1 and 2i+2, smaller first. */
  nodes(tree: number, first: number, last: number): void;
}

/** The module's round-constant table sits at address 0; buffers start here. */
export const HEAP_START = 256;

/** A kernel instance over a fresh memory of at least `bytes` bytes (HEAP_START included). */
export function createKernel(bytes: number): { buffer: ArrayBuffer; exports: KernelExports } {
  const wasm = webAssembly();
  const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) });
  const instance = new wasm.Instance(kernelModule(), { e: { m: memory } });
  return { buffer: memory.buffer, exports: instance.exports as KernelExports };
}

/** The part of the WebAssembly JS API used here (tsconfig's lib has no WebAssembly types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

function webAssembly(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) {
    throw new BatchTreeError("NoWebAssembly", "this JavaScript runtime has no WebAssembly", {
      details: "run on Node 20 or later, or a runtime with WebAssembly 1.0",
    });
  }
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
