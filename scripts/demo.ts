/**
 * `npm run demo`: the ledger's main job end to end on an in-process Hardhat chain. Onboards organisations in
 * Guangdong and Hong Kong, registers datasets with lineage and a revision, anchors a batch of 10,000 fingerprints,
 * relays a signed registration, grants a cross-border use right through data customs, sells a dataset, freezes one
 * under investigation, then proves from the events alone that the audit trail is complete.
 */
import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { decodeEventLog, type Hex } from "viem";
import { deployProvledger } from "./deploy";
import {
  isTrailEvent,
  trailEntryFromEvent,
  trailEventsAbi,
  verifyCompleteTrail,
  type DecodedEvent,
  Authorization,
  DataClass,
  Relation,
  Role,
  Scope,
} from "../src/sdk";
import { hashOf, jurisdiction, registration } from "../test/helpers/fixtures";
import { signRegistration } from "../test/helpers/signing";

const { ethers } = hre;

function step(text: string): void {
  console.log(`- ${text}`);
}

async function main(): Promise<void> {
  const [, bureau, bureauKey2, hkStats, relayer, exchange, gdCustoms, regulator] = await ethers.getSigners();
  const { registry, ledger, rights } = await deployProvledger(0);
  console.log(`Provledger on chain ${(await ethers.provider.getNetwork()).chainId}`);
  console.log(`  registry ${await registry.getAddress()}`);
  console.log(`  ledger   ${await ledger.getAddress()}`);
  console.log(`  rights   ${await rights.getAddress()}\n`);

  const orgs: [string, string, number, string[]][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, [bureau.address, bureauKey2.address]],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, [hkStats.address]],
    ["GD Data Exchange", "CN-GD", Role.TRADER, [exchange.address]],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, [gdCustoms.address]],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, [regulator.address]],
  ];
  for (const [name, code, roles, operators] of orgs) {
    await registry.registerOrganization(name, hashOf(name), jurisdiction(code), roles, operators);
  }
  const [HK_STATS, EXCHANGE] = [2, 3];
  step("onboarded the bureau (CN-GD, two keys), HK Statistics, an exchange, GD data customs and a regulator");

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
    const decoded = rights.interface.parseError((error as { data?: string }).data ?? "0x");
    const reason = Object.entries(Authorization).find(([, code]) => BigInt(code) === decoded?.args.reason)?.[0];
    step(`HK Statistics may not derive from the bureau's census without a grant: ${decoded?.name} (${reason})`);
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

  // Rights: a cross-border grant of internal data waits for GD customs.
  await rights.connect(bureau).issueGrant(censusV2.fingerprint, HK_STATS, Scope.USE | Scope.DERIVE, hashOf("study"), 0);
  const [pending] = await rights.authorization(censusV2.fingerprint, HK_STATS, Scope.DERIVE);
  const { grantId } = await rights.getGrant(censusV2.fingerprint, HK_STATS);
  await rights.connect(gdCustoms).decideGrant(censusV2.fingerprint, HK_STATS, grantId, true, hashOf("approved"));
  const derived = registration(hashOf("hk-census-study.csv"), {
    parents: [{ fingerprint: censusV2.fingerprint, relation: Relation.DERIVED_FROM }],
  });
  await ledger.connect(hkStats).register(derived);
  const [, grants] = await ledger.getParents(derived.fingerprint);
  step(
    `grant to HK Statistics was pending customs (verdict ${pending} = GrantPendingCustoms: ` +
      `${Number(pending) === Authorization.GRANT_PENDING_CUSTOMS}); after approval it derived a study relying on grant ${grants[0]}`,
  );

  // A domestic sale: offer, accept, delivery confirmed.
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3600);
  await rights.connect(bureau).offerTransfer(census.fingerprint, EXCHANGE, hashOf("order-77"), deadline);
  const [, offerId] = await rights.counts();
  await rights.connect(exchange).acceptOffer(offerId);
  await rights.connect(exchange).confirmDelivery(offerId, census.fingerprint);
  const census1 = await ledger.getRecord(census.fingerprint);
  step(`the exchange bought census v1 (owner now org ${census1.ownerOrg}) and confirmed delivery`);

  await rights.connect(regulator).freeze(censusV2.fingerprint, hashOf("complaint 2026-114"));
  const mayDerive = await rights.mayUse(censusV2.fingerprint, HK_STATS, Scope.DERIVE);
  step(`the regulator froze census v2 under investigation; HK Statistics may derive from it now: ${mayDerive}`);

  // One ledger-wide chain over the registry's governance entries and the ledger's and rights module's entries.
  const logs = await ethers.provider.getLogs({
    address: [await registry.getAddress(), await ledger.getAddress(), await rights.getAddress()],
    fromBlock: 0,
  });
  const abi = trailEventsAbi;
  const entries = [];
  for (const log of logs) {
    const event = decodeEventLog({ abi, topics: log.topics as [Hex], data: log.data as Hex });
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
