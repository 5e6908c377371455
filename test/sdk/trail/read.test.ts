import { expect } from "chai";
import hre from "hardhat";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type Abi, type Address, type Hex, type PublicClient } from "viem";
import schemaRegistryArtifact from "@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json";
import {
  Action,
  InvalidInputError,
  Scope,
  TrailEventError,
  readTrailEntries,
  trailEventsAbi,
  verifyCompleteTrail,
} from "../../../src/sdk";
import { hashOf, registration, rightsFixture } from "../../helpers/fixtures";
import { trailEntriesFromChain } from "../../helpers/trailEvents";
import { hardhatChain } from "../../helpers/viem";

const client = createPublicClient({ chain: hardhatChain, transport: custom(hre.network.provider) }) as PublicClient;

async function history() {
  const ctx = await rightsFixture();
  const { ledger, rights, agency, foreignAgency, inspector, orgIds } = ctx;
  const fp = hashOf("read:record") as Hex;
  await ledger.connect(agency).register(registration(fp));
  await mine(5);
  await rights.connect(agency).issueGrant(fp, orgIds.foreignAgency, Scope.USE, hashOf("purpose"), 0);
  await ledger.connect(agency).anchorBatch(hashOf("read:batch"), 3, hashOf("manifest"), "");
  await mine(3);
  await rights.connect(inspector).attachFinding(fp, hashOf("finding"));
  await ledger.connect(foreignAgency).register(registration(hashOf("read:other")));
  const addresses = {
    registry: (await ctx.registry.getAddress()) as Address,
    ledger: (await ledger.getAddress()) as Address,
    rights: (await rights.getAddress()) as Address,
  };
  return { ctx, fp, addresses };
}

describe("SDK trail: reading from a node", () => {
  it("reads every trail entry in ledger order, in ranges of any size, and they prove complete", async () => {
    const { ctx, fp, addresses } = await history();
    const expected = await trailEntriesFromChain(trailEventsAbi as Abi, [
      addresses.registry,
      addresses.ledger,
      addresses.rights,
    ]);
    // The registry's governance entries (the fixture's onboarding) come first, in the same ledger-wide chain.
    expect(expected[0].action).to.equal(Action.ORGANIZATION_REGISTERED);
    const toBlock = await client.getBlockNumber();
    const [ledgerHead, ledgerSequence] = await ctx.ledger.ledgerHead({ blockTag: Number(toBlock) });
    for (const blockRange of [1n, 2n, 7n, 10_000n]) {
      const read = await readTrailEntries(client, { addresses, blockRange });
      expect(read.toBlock).to.equal(toBlock);
      expect(read.entries.map((e) => [e.subject, e.action, e.stamp.ledgerSequence])).to.deep.equal(
        expected.map((e) => [e.subject, e.action, e.stamp.ledgerSequence]),
      );
      expect(read.entries.map((e) => e.payloadHash)).to.deep.equal(expected.map((e) => e.payloadHash));
      for (const entry of read.entries) {
        const receipt = await client.getTransactionReceipt({ hash: entry.transactionHash });
        expect(receipt.blockNumber).to.equal(entry.blockNumber);
        expect(receipt.blockHash).to.equal(entry.blockHash);
      }
      const verdict = verifyCompleteTrail(read.entries, { ledgerHead: ledgerHead as Hex, ledgerSequence });
      expect(verdict.complete, blockRange.toString()).to.equal(true);
      const [head, length] = await ctx.ledger.trailHead(fp);
      expect(verdict.state!.records.get(fp)).to.deep.equal({ head, length });
    }
  });

  it("reads up to a given block, so that the checkpoint can be read at the same block", async () => {
    const { ctx, addresses } = await history();
    const before = await client.getBlockNumber();
    const [ledgerHead, ledgerSequence] = await ctx.ledger.ledgerHead({ blockTag: Number(before) });
    await ctx.ledger.connect(ctx.agency).register(registration(hashOf("read:later")));
    const read = await readTrailEntries(client, { addresses, toBlock: before });
    expect(read.toBlock).to.equal(before);
    expect(verifyCompleteTrail(read.entries, { ledgerHead: ledgerHead as Hex, ledgerSequence }).complete).to.equal(
      true,
    );
    const now = await readTrailEntries(client, { addresses });
    expect(now.entries.length).to.equal(read.entries.length + 1);
  });

  it("refuses a log of the deployment it cannot decode, and bad arguments, before reading", async () => {
    const { addresses } = await history();
    // A contract whose events are none of the deployment's (EAS's schema registry), read as the rights module.
    const [deployer] = await hre.ethers.getSigners();
    const schemas = await new hre.ethers.ContractFactory(
      schemaRegistryArtifact.abi,
      schemaRegistryArtifact.bytecode,
      deployer,
    ).deploy();
    await (
      (await schemas.getFunction("register")("uint256 x", hre.ethers.ZeroAddress, true)) as { wait(): Promise<unknown> }
    ).wait();
    const foreign = { ...addresses, rights: (await schemas.getAddress()) as Address };
    await expect(readTrailEntries(client, { addresses: foreign })).to.be.rejectedWith(TrailEventError, /upgrade/);
    await expect(readTrailEntries(client, { addresses, blockRange: 0n })).to.be.rejectedWith(
      InvalidInputError,
      "blockRange must be at least 1 block",
    );
    await expect(
      readTrailEntries(client, { addresses: { ...addresses, ledger: "0x12" as Address } }),
    ).to.be.rejectedWith(InvalidInputError, "addresses.ledger must be an address");
  });
});
