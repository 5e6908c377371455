/**
 * `npm run demo`: the ledger's main job end to end on an in-process Hardhat chain. Onboards three organisations,
 * registers datasets with lineage and a revision, anchors a batch of 10,000 fingerprints, relays a signed
 * registration, withdraws a record, then proves from the events alone that the audit trail is complete.
 */
import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { decodeEventLog, type Hex } from "viem";
import { deployProvledger } from "./deploy";
import { provenanceLedgerAbi } from "../src/sdk/abi";
import { isTrailEvent, trailEntryFromEvent, verifyCompleteTrail, type DecodedEvent } from "../src/sdk/trail";
import { hashOf, jurisdiction, registration, Relation, Role, DataClass } from "../test/helpers/fixtures";
import { signRegistration } from "../test/helpers/signing";

const { ethers } = hre;

function step(text: string): void {
  console.log(`- ${text}`);
}

async function main(): Promise<void> {
  const [governance, bureau, bureauKey2, hkStats, relayer] = await ethers.getSigners();
  const { registry, ledger } = await deployProvledger(governance.address, 0);
  console.log(`Provledger on chain ${(await ethers.provider.getNetwork()).chainId}`);
  console.log(`  registry ${await registry.getAddress()}\n  ledger   ${await ledger.getAddress()}\n`);

  await registry.registerOrganization("Open Data Bureau", hashOf("odb"), jurisdiction("CN-GD"), Role.REGISTRAR, [
    bureau.address,
    bureauKey2.address,
  ]);
  await registry.registerOrganization("HK Statistics", hashOf("hks"), jurisdiction("HK"), Role.REGISTRAR, [
    hkStats.address,
  ]);
  step("onboarded Open Data Bureau (CN-GD, two keys) and HK Statistics (HK)");

  const census = registration(hashOf("census-2026.csv"), { dataClass: DataClass.INTERNAL });
  await ledger.connect(bureau).register(census);
  const summary = registration(hashOf("census-summary.csv"), {
    dataClass: DataClass.PUBLIC,
    parents: [{ fingerprint: census.fingerprint, relation: Relation.DERIVED_FROM }],
  });
  await ledger.connect(bureau).register(summary);
  const censusV2 = registration(hashOf("census-2026-v2.csv"), {
    parents: [{ fingerprint: census.fingerprint, relation: Relation.REVISION_OF }],
  });
  await ledger.connect(bureauKey2).register(censusV2);
  const [latest] = await ledger.latestVersion(census.fingerprint);
  step(
    `registered census, a summary derived from it, and census v2; latest version of census is v2: ${latest === censusV2.fingerprint}`,
  );

  try {
    await ledger.connect(hkStats).register(
      registration(hashOf("hk-copy.csv"), {
        parents: [{ fingerprint: census.fingerprint, relation: Relation.DERIVED_FROM }],
      }),
    );
  } catch (error) {
    const decoded = ledger.interface.parseError((error as { data?: string }).data ?? "0x");
    step(`HK Statistics may not derive from the bureau's census without a grant: ${decoded?.name}`);
  }

  const leaves = Array.from({ length: 10_000 }, (_, i) => hashOf(`sensor-reading-${i}`));
  const tree = StandardMerkleTree.of(
    leaves.map((leaf) => [leaf]),
    ["bytes32"],
  );
  const receipt = await (
    await ledger.connect(bureau).anchorBatch(tree.root, leaves.length, hashOf("manifest"), "")
  ).wait();
  const included = await ledger.verifyBatchInclusion(tree.root, leaves[4242], tree.getProof(4242));
  step(
    `anchored 10,000 fingerprints under one root for ${receipt!.gasUsed} gas; leaf 4242 proven included: ${included}`,
  );

  const signed = registration(hashOf("signed-upload.parquet"));
  await ledger.connect(relayer).registerBySig(signed, await signRegistration(ledger, hkStats, signed));
  const signedRecord = await ledger.getRecord(signed.fingerprint);
  step(`a relayer submitted HK Statistics' EIP-712 signed registration; registrant: ${signedRecord.registrant}`);

  await ledger.connect(bureau).withdraw(summary.fingerprint, hashOf("superseded by v2 tables"));
  step("the bureau withdrew the summary; it stays readable, marked withdrawn");

  const logs = await ethers.provider.getLogs({ address: await ledger.getAddress(), fromBlock: 0 });
  const entries = [];
  for (const log of logs) {
    const event = decodeEventLog({ abi: provenanceLedgerAbi, topics: log.topics as [Hex], data: log.data as Hex });
    if (!isTrailEvent(event.eventName)) continue;
    const time = BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp);
    entries.push(trailEntryFromEvent(event as unknown as DecodedEvent, time));
  }
  const [ledgerHead, ledgerSequence] = await ledger.ledgerHead();
  const verdict = verifyCompleteTrail(entries, { ledgerHead: ledgerHead as Hex, ledgerSequence });
  step(
    `replayed ${entries.length} trail entries from the events alone: ` +
      (verdict.complete ? `complete, ledger head ${ledgerHead}` : `NOT complete: ${verdict.reason}`),
  );
  if (!verdict.complete) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
