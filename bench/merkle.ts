/**
 * `npm run bench:merkle` (`npx ts-node bench/merkle.ts`, no Hardhat): builds the batch tree over 1,000,000 random
 * fingerprints with the SDK's buildBatchTree (src/sdk/merkle/) and with @openzeppelin/merkle-tree's
 * `StandardMerkleTree.of` in the same run, checks that the roots (and a sample of proofs) are identical, and prints
 * both times and their ratio against the target (OpenZeppelin's time / ours >= 30). Exits non-zero if anything differs or the target is missed.
 * OpenZeppelin's build takes minutes at this size. BENCH_LEAVES=<n> runs another size, for a quick look only: the
 * target is set for 1,000,000 leaves.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import type { Hex } from "viem";
import { buildBatchTree, type BatchTree } from "../src/sdk";

const LEAVES = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const TARGET_RATIO = 30;
const OUR_RUNS = 3;
const SAMPLED_PROOFS = 100;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

function main(): number {
  if (!Number.isInteger(LEAVES) || LEAVES < 1) throw new Error(`BENCH_LEAVES must be a positive integer`);
  console.log(
    `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${LEAVES} leaves`,
  );
  const bytes = randomBytes(32 * LEAVES);
  const fingerprints = Array.from(
    { length: LEAVES },
    (_, i) => `0x${bytes.toString("hex", 32 * i, 32 * i + 32)}` as Hex,
  );

  // Warm both up on a small tree first, so that neither pays one-off compilation inside its measurement.
  const warmUp = fingerprints.slice(0, 1000);
  buildBatchTree(warmUp);
  StandardMerkleTree.of(
    warmUp.map((f) => [f]),
    ["bytes32"],
  );

  // Ours: median of a few runs from the same hex strings OpenZeppelin gets (parsing included).
  const ourTimes: number[] = [];
  let ours: BatchTree | undefined;
  for (let run = 0; run < OUR_RUNS; run++) {
    ours = undefined; // let the previous tree go before building the next
    const measured = time(() => buildBatchTree(fingerprints));
    ours = measured.result;
    ourTimes.push(measured.ms);
  }
  const ourMs = [...ourTimes].sort((a, b) => a - b)[Math.floor(OUR_RUNS / 2)];
  console.log(`ours, from hex strings:  ${seconds(ourMs)} (median of ${ourTimes.map(seconds).join(", ")})`);
  const fromBytes = time(() => buildBatchTree(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
  console.log(`ours, from bytes:        ${seconds(fromBytes.ms)}`);
  const dumped = time(() => ours!.dump());
  console.log(`ours, dump():            ${seconds(dumped.ms)}`);

  const values = fingerprints.map((f) => [f]);
  const oz = time(() => StandardMerkleTree.of(values, ["bytes32"]));
  console.log(`OpenZeppelin .of():      ${seconds(oz.ms)}`);

  let failed = false;
  if (ours!.root !== oz.result.root || fromBytes.result.root !== oz.result.root) {
    console.error(
      `ROOTS DIFFER: ours ${ours!.root}, from bytes ${fromBytes.result.root}, OpenZeppelin ${oz.result.root}`,
    );
    failed = true;
  } else {
    console.log(`roots identical:         ${ours!.root}`);
  }
  const step = Math.max(1, Math.floor(LEAVES / SAMPLED_PROOFS));
  for (let i = 0; i < LEAVES; i += step) {
    if (ours!.proof(i).join() !== oz.result.getProof(i).join()) {
      console.error(`PROOFS DIFFER at leaf ${i}`);
      failed = true;
      break;
    }
  }
  if (!failed) console.log(`proofs identical:        every ${step}th leaf`);

  const ratio = oz.ms / ourMs;
  const met = ratio >= TARGET_RATIO;
  console.log(
    `ratio (OpenZeppelin / ours): ${ratio.toFixed(1)}x, target >= ${TARGET_RATIO}x: ${met ? "met" : "MISSED"}`,
  );
  return failed || !met ? 1 : 0;
}

process.exitCode = main();
