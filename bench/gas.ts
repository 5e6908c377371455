/**
 * `npm run bench:gas`: gas of Provledger's operations against Ethereum Attestation Service 1.9.0, deployed from its
 * published artifacts on the same in-process Hardhat network, in one table with the ratio and the target.
 * A benchmark, not a test: it prints figures measured in this run and exits non-zero if a target is missed.
 */
import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { ContractTransactionResponse } from "ethers";
import { measureEasBaseline, MULTI_TIMESTAMP_ITEMS } from "./eas";
import { DataClass, hashOf, jurisdiction, registration, Relation, Role, Scope } from "../test/helpers/fixtures";
import { signRegistration } from "../test/helpers/signing";

const { ethers } = hre;
const BATCH_LEAVES = 10_000;

interface Row {
  operation: string;
  gas: number;
  /** Amount the gas is divided by for the ratio column (e.g. leaves per batch). */
  per?: number;
  easOperation: string;
  easGas: number;
  /** Upper bound on ratio (ours / EAS), or on gas per unit when `absolute`. */
  target?: { max: number; absolute?: string };
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

async function main(): Promise<void> {
  const eas = await measureEasBaseline(hre);
  const [governance, agency, relayer, hkAgency, customs] = await ethers.getSigners();

  const registry = await ethers.deployContract("OrganizationRegistry", [0, governance.address]);
  const ledger = await ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
  await registry.bindLedger(await ledger.getAddress());
  const rights = await ethers.deployContract("DataRights", [await ledger.getAddress()]);
  await ledger.setRightsModule(await rights.getAddress());
  await registry.registerOrganization("Open Data Bureau", hashOf("odb"), jurisdiction("CN-GD"), Role.ALL, [
    agency.address,
  ]);
  await registry.registerOrganization("HK Statistics", hashOf("hks"), jurisdiction("HK"), Role.ALL, [hkAgency.address]);
  await registry.registerOrganization("GD Data Customs", hashOf("gdc"), jurisdiction("CN-GD"), Role.CUSTOMS, [
    customs.address,
  ]);
  const asAgency = ledger.connect(agency);
  const uri = "ipfs://bafybeigdyrztexamplemetadata0000000";
  const reg = (label: string, parents: { fingerprint: string; relation: number }[] = []) =>
    registration(hashOf(label), { metadataURI: uri, parents });

  // Warm state, like the EAS side: the ledger chain and the signer's nonce already exist.
  await asAgency.register(reg("parent"));
  await asAgency.register(reg("version-1"));
  const first = reg("signed-warmup", [{ fingerprint: hashOf("parent"), relation: Relation.DERIVED_FROM }]);
  await ledger.connect(relayer).registerBySig(first, await signRegistration(ledger, agency, first));

  const noParent = await gasOf(asAgency.register(reg("plain")));
  const derived = await gasOf(
    asAgency.register(reg("derived", [{ fingerprint: hashOf("parent"), relation: Relation.DERIVED_FROM }])),
  );
  const revision = await gasOf(
    asAgency.register(reg("version-2", [{ fingerprint: hashOf("version-1"), relation: Relation.REVISION_OF }])),
  );
  const signedReg = reg("signed", [{ fingerprint: hashOf("parent"), relation: Relation.DERIVED_FROM }]);
  const signed = await gasOf(
    ledger.connect(relayer).registerBySig(signedReg, await signRegistration(ledger, agency, signedReg)),
  );
  const withdraw = await gasOf(asAgency.withdraw(hashOf("plain"), hashOf("reason")));

  const leaves = Array.from({ length: BATCH_LEAVES }, (_, i) => hashOf(`leaf${i}`));
  const tree = StandardMerkleTree.of(
    leaves.map((leaf) => [leaf]),
    ["bytes32"],
  );
  const batch = await gasOf(asAgency.anchorBatch(tree.root, BATCH_LEAVES, hashOf("manifest"), uri));

  // Rights: a warm grant first (the grant counter and the record's trail exist), then the measured ones.
  const HK = 2;
  const inAnHour = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3600);
  const asRights = rights.connect(agency);
  await asRights.issueGrant(hashOf("parent"), HK, Scope.USE, hashOf("purpose"), 0);
  const grant = await gasOf(
    asRights.issueGrant(hashOf("derived"), HK, Scope.USE | Scope.DERIVE, hashOf("purpose"), inAnHour),
  );
  const revoke = await gasOf(asRights.revokeGrant(hashOf("derived"), HK, hashOf("reason")));
  await asAgency.register(registration(hashOf("important"), { dataClass: DataClass.IMPORTANT, metadataURI: uri }));
  const offer = await gasOf(asRights.offerTransfer(hashOf("important"), HK, hashOf("terms"), inAnHour));
  const [, offerId] = await rights.counts();
  const accept = await gasOf(rights.connect(hkAgency).acceptOffer(offerId));
  const approve = await gasOf(rights.connect(customs).decideTransfer(offerId, true, hashOf("decision")));

  const attest = Number(eas.attestWithRefUid);
  const rows: Row[] = [
    {
      operation: "register, one derived-from parent",
      gas: derived,
      easOperation: "attest with refUID",
      easGas: attest,
      target: { max: 0.5 },
    },
    {
      operation: "register, one revision-of parent (*)",
      gas: revision,
      easOperation: "attest with refUID",
      easGas: attest,
    },
    { operation: "register, no parent", gas: noParent, easOperation: "attest with refUID", easGas: attest },
    {
      operation: "registerBySig, one parent (relayed)",
      gas: signed,
      easOperation: "attestByDelegation with refUID",
      easGas: Number(eas.attestByDelegationWithRefUid),
      target: { max: 0.5 },
    },
    { operation: "withdraw", gas: withdraw, easOperation: "revoke", easGas: Number(eas.revoke) },
    {
      operation: "issueGrant (use + derive, with expiry)",
      gas: grant,
      easOperation: "attest (grant schema)",
      easGas: Number(eas.attestGrant),
      target: { max: 0.5 },
    },
    {
      operation: "revokeGrant",
      gas: revoke,
      easOperation: "revoke",
      easGas: Number(eas.revoke),
      target: { max: 1 },
    },
    {
      operation: "cross-border transfer: offerTransfer",
      gas: offer,
      easOperation: "attest (grant schema)",
      easGas: Number(eas.attestGrant),
    },
    {
      operation: "cross-border transfer: acceptOffer",
      gas: accept,
      easOperation: "attest (grant schema)",
      easGas: Number(eas.attestGrant),
    },
    {
      operation: "cross-border transfer: decideTransfer (approve)",
      gas: approve,
      easOperation: "attest (grant schema)",
      easGas: Number(eas.attestGrant),
    },
    {
      operation: "cross-border transfer: offer + accept + approve",
      gas: offer + accept + approve,
      easOperation: "3 x attest (grant schema)",
      easGas: 3 * Number(eas.attestGrant),
    },
    {
      operation: `anchorBatch, per fingerprint (${BATCH_LEAVES.toLocaleString("en-US")} leaves)`,
      gas: batch,
      per: BATCH_LEAVES,
      easOperation: `multiTimestamp, per item (${MULTI_TIMESTAMP_ITEMS.toLocaleString("en-US")})`,
      easGas: eas.multiTimestampPerItem,
      target: { max: 100, absolute: "<= 100 gas/fp" },
    },
  ];

  const table = rows.map((row) => {
    const ours = row.gas / (row.per ?? 1);
    const ratio = ours / row.easGas;
    const met = row.target === undefined ? undefined : (row.target.absolute ? ours : ratio) <= row.target.max;
    return {
      operation: row.operation,
      gas: formatGas(ours),
      "EAS equivalent": row.easOperation,
      "EAS gas": formatGas(row.easGas),
      ratio: ratio.toFixed(3),
      target: row.target === undefined ? "-" : (row.target.absolute ?? `<= ${row.target.max} x EAS`),
      met: met === undefined ? "-" : met ? "yes" : "NO",
    };
  });
  printMarkdownTable(table);
  console.log(
    "\n(*) A revision also supersedes its parent: a second trail entry, a successor pointer and a second event, " +
      "which an EAS attestation with refUID does not do.",
  );
  console.log(`anchorBatch total: ${batch.toLocaleString("en-US")} gas for ${BATCH_LEAVES} leaves in one transaction.`);
  if (table.some((row) => row.met === "NO")) {
    console.error("\nA gas target was missed.");
    process.exitCode = 1;
  }
}

function formatGas(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(1);
}

function printMarkdownTable(rows: Record<string, string>[]): void {
  const headers = Object.keys(rows[0]);
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(headers.map((h) => row[h])));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
