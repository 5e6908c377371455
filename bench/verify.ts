/**
 * `npm run bench:verify`: offline verification of provenance receipts against the 1 ms per receipt target.
 *
 * Builds receipts on the in-process Hardhat network (plain registrations with parents, EIP-712 signed registrations,
 * and members of a 10,000-fingerprint batch, whose proofs are 13-14 steps), then times VERIFICATIONS offline
 * verifications of each kind, cycling through the receipts, and prints µs per receipt. For a same-run yardstick it
 * also times one keccak256 of 1 KB and one viem recoverTypedDataAddress (pure-JavaScript secp256k1), and prints each
 * kind's cost as a ratio to them, so that a slow or busy machine shows as such rather than as a regression. Signed
 * receipts are also timed with the pure-JavaScript signature backend (what runs where no libsecp256k1 binary loads),
 * for information.
 *
 * Exits non-zero if any kind, with the default backend, takes 1 ms or more per receipt, or if any verdict is not
 * valid. Environment: BENCH_VERIFICATIONS (default 10000).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import hre from "hardhat";
import {
  createPublicClient,
  custom,
  keccak256,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhatChain as hardhat } from "../test/helpers/viem";
import { deployProvledger } from "../scripts/deploy";
import {
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  nativeSecp256k1Available,
  verifyReceiptOffline,
  type OfflineOptions,
  type ProvenanceReceipt,
} from "../src/sdk";
import { DataClass, hashOf, jurisdiction, registration, Relation, Role } from "../test/helpers/fixtures";
import { signRegistration } from "../test/helpers/signing";

const TARGET_US = 1000;
const RECEIPTS_PER_KIND = 20;
const BATCH_LEAVES = 10_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const VERIFICATIONS = envInt("BENCH_VERIFICATIONS", 10_000);

/** µs per call of `run`, over `count` calls after a warm-up of a tenth as many. */
async function microseconds(count: number, run: (i: number) => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.max(1, Math.floor(count / 10)); i++) await run(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run(i);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

async function buildReceipts(client: PublicClient): Promise<Record<string, ProvenanceReceipt[]>> {
  const { registry, ledger } = await deployProvledger(0);
  const [, agency, relayer] = await hre.ethers.getSigners();
  await registry.registerOrganization("Open Data Bureau", hashOf("odb"), jurisdiction("CN-GD"), Role.REGISTRAR, [
    agency.address,
  ]);
  const ledgerAddress = (await ledger.getAddress()) as Address;
  const receiptOf = (hash: string) =>
    buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: hash as Hex });

  const plain: ProvenanceReceipt[] = [];
  const signed: ProvenanceReceipt[] = [];
  const uri = "ipfs://bafybeigdyrztexamplemetadata0000000";
  for (let i = 0; i < RECEIPTS_PER_KIND; i++) {
    // Up to three parents each, so that the payload encoding has arrays to walk.
    const parents = plain.slice(-3).map((r) => ({ fingerprint: r.fingerprint, relation: Relation.DERIVED_FROM }));
    const tx = await ledger
      .connect(agency)
      .register(registration(hashOf(`bench:plain:${i}`), { dataClass: DataClass.INTERNAL, metadataURI: uri, parents }));
    plain.push(await receiptOf(tx.hash));

    const reg = registration(hashOf(`bench:signed:${i}`), { metadataURI: uri, parents: parents.slice(0, 1) });
    const signedTx = await ledger.connect(relayer).registerBySig(reg, await signRegistration(ledger, agency, reg));
    signed.push(await receiptOf(signedTx.hash));
  }

  const fingerprints = Array.from({ length: BATCH_LEAVES }, (_, i) => hashOf(`bench:batch:${i}`));
  const tree = StandardMerkleTree.of(
    fingerprints.map((f) => [f]),
    ["bytes32"],
  );
  const anchored = await ledger.connect(agency).anchorBatch(tree.root, BATCH_LEAVES, hashOf("manifest"), uri);
  const members: ProvenanceReceipt[] = [];
  for (let i = 0; i < RECEIPTS_PER_KIND; i++) {
    const index = Math.floor((i * BATCH_LEAVES) / RECEIPTS_PER_KIND) + 7;
    members.push(
      await buildBatchMemberReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: anchored.hash as Hex,
        fingerprint: fingerprints[index] as Hex,
        proof: tree.getProof(index) as Hex[],
      }),
    );
  }
  return { registration: plain, "signed registration": signed, "batch member (10,000 leaves)": members };
}

async function baselines(): Promise<{ keccak: number; recover: number }> {
  const kilobyte = new Uint8Array(1024).map((_, i) => i & 0xff);
  const keccak = await microseconds(20_000, () => keccak256(kilobyte));
  // Hardhat's first default key: any key will do, only the recovery is timed.
  const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcb5e25e8f8b7a9a2f");
  const typed = {
    domain: { name: "Provledger", version: "1", chainId: 31337, verifyingContract: account.address },
    types: { Probe: [{ name: "value", type: "bytes32" }] },
    primaryType: "Probe",
    message: { value: keccak256("0x01") },
  } as const;
  const signature = await account.signTypedData(typed);
  const recover = await microseconds(300, () => recoverTypedDataAddress({ ...typed, signature }));
  return { keccak, recover };
}

async function main(): Promise<void> {
  const client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
  const kinds = await buildReceipts(client);
  const base = await baselines();
  const native = nativeSecp256k1Available();

  console.log(`Offline receipt verification, ${VERIFICATIONS} verifications per kind (node ${process.version})`);
  console.log(`signature backend: ${native ? "libsecp256k1 (npm secp256k1, native)" : "viem (pure JavaScript)"}`);
  console.log(
    `baseline: keccak256 of 1 KB ${base.keccak.toFixed(1)} µs; viem recoverTypedDataAddress ${base.recover.toFixed(0)} µs`,
  );
  console.log("");
  console.log(
    "| receipt kind | backend | µs per receipt | x keccak(1 KB) | x recoverTypedDataAddress | target | met |",
  );
  console.log("|---|---|---|---|---|---|---|");

  let failures = 0;
  let invalid = 0;
  const row = async (
    kind: string,
    receipts: ProvenanceReceipt[],
    options: OfflineOptions,
    count: number,
    gated: boolean,
  ) => {
    const us = await microseconds(count, async (i) => {
      const verdict = await verifyReceiptOffline(receipts[i % receipts.length], options);
      if (!verdict.valid) invalid++;
    });
    const met = us < TARGET_US;
    if (gated && !met) failures++;
    const backend = options.secp256k1 === "js" ? "viem (JS)" : native ? "native" : "viem (JS)";
    console.log(
      `| ${kind} | ${backend} | ${us.toFixed(1)} | ${(us / base.keccak).toFixed(1)} | ${(us / base.recover).toFixed(3)} | ` +
        `< ${TARGET_US} µs | ${gated ? (met ? "yes" : "NO") : "(info)"} |`,
    );
  };
  for (const [kind, receipts] of Object.entries(kinds)) await row(kind, receipts, {}, VERIFICATIONS, true);
  await row(
    "signed registration",
    kinds["signed registration"],
    { secp256k1: "js" },
    Math.min(VERIFICATIONS, 1000),
    false,
  );

  if (invalid > 0) {
    console.error(`${invalid} verifications were not valid: the benchmark's receipts should all verify`);
    process.exitCode = 1;
  }
  if (failures > 0) {
    console.error(`${failures} receipt kind(s) at or above the ${TARGET_US} µs target`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
