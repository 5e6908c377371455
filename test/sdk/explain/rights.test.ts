import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import type { Hex } from "viem";
import {
  DataClass,
  GrantStatus,
  Role,
  Scope,
  explainProvenance,
  formatExplanation,
  type RegisteredNode,
} from "../../../src/sdk";
import { hashOf, jurisdiction, registration } from "../../helpers/fixtures";
import { deployExplained, registered } from "./fixtures";

const D = hashOf("explain:licensed") as Hex;

/**
 * A record with licences, sold: the Open Data Bureau (CN-GD) registers an internal dataset D and grants
 * - HK Statistics (HK) use+derive: cross-border graded data, so it waits for GD Data Customs (grant 1, outstanding);
 * - GD Analytics (CN-GD) use, no expiry (grant 2, outstanding);
 * - Macau Lab (MO) use, then revokes it (grant 3);
 * - GD Archive (CN-GD) use for one minute, which passes (grant 4, expired).
 * The Market Regulator attaches a finding; the bureau sells D to Shenzhen Exchange Member (CN-GD, no customs); the
 * regulator then freezes D. The contract keeps grants 1 and 2 through the sale (DataRights: "Outstanding grants
 * survive a change of ownership").
 */
async function licensedAndSold() {
  const { registry, ledger, rights, client, contracts } = await deployExplained();
  const [, odb, hks, analytics, macau, archive, gdCustoms, regulator, buyer] = await hre.ethers.getSigners();
  const orgs: [string, string, number, string][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, odb.address],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, hks.address],
    ["GD Analytics", "CN-GD", Role.REGISTRAR, analytics.address],
    ["Macau Lab", "MO", Role.REGISTRAR, macau.address],
    ["GD Archive", "CN-GD", Role.REGISTRAR, archive.address],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, gdCustoms.address],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, regulator.address],
    ["Shenzhen Exchange Member", "CN-GD", Role.TRADER, buyer.address],
  ];
  for (const [name, code, roles, operator] of orgs) {
    await registry.registerOrganization(name, hashOf(name), jurisdiction(code), roles, [operator]);
  }
  const [HKS, ANALYTICS, MACAU, ARCHIVE, BUYER] = [2, 3, 4, 5, 8];

  await ledger.connect(odb).register(registration(D, { dataClass: DataClass.INTERNAL, metadataURI: "ipfs://d" }));
  const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  const year = now + 365 * 24 * 3600;
  await rights.connect(odb).issueGrant(D, HKS, Scope.USE | Scope.DERIVE, hashOf("purpose:hk-study"), year);
  await rights.connect(odb).issueGrant(D, ANALYTICS, Scope.USE, hashOf("purpose:dashboard"), 0);
  await rights.connect(odb).issueGrant(D, MACAU, Scope.USE, hashOf("purpose:macau"), 0);
  await rights.connect(odb).revokeGrant(D, MACAU, hashOf("revoked: purpose withdrawn"));
  await rights.connect(odb).issueGrant(D, ARCHIVE, Scope.USE, hashOf("purpose:archive"), now + 60);
  const finding = await (await rights.connect(regulator).attachFinding(D, hashOf("finding:audit-2026"))).wait();
  await time.increase(120);

  const offerExpiry = (await hre.ethers.provider.getBlock("latest"))!.timestamp + 3600;
  await rights.connect(odb).offerTransfer(D, BUYER, hashOf("terms:order-7"), offerExpiry);
  await rights.connect(buyer).acceptOffer(1);
  const freeze = await (await rights.connect(regulator).freeze(D, hashOf("freeze:investigation"))).wait();

  return { client, contracts, rights, buyer, finding: finding!, freeze: freeze!, grantees: { HKS, ANALYTICS } };
}

const odbInfo = { id: 1, name: "Open Data Bureau", jurisdiction: "CN-GD", status: "active" };
const regulatorInfo = { id: 7, name: "Market Regulator", jurisdiction: "CN-GD", status: "active" };

describe("SDK provenance explanation: licences, findings and freezes a buyer takes over", () => {
  it("lists exactly the grants that survive the sale, with their states, as the contract keeps them", async () => {
    const { client, contracts, rights, grantees } = await loadFixture(licensedAndSold);
    const tree = registered(await explainProvenance(client, contracts, D));
    expect(tree.owner).to.deep.equal({
      id: 8,
      name: "Shenzhen Exchange Member",
      jurisdiction: "CN-GD",
      status: "active",
    });
    expect(tree.registeredBy).to.deep.equal(odbInfo);
    expect(tree.transfers.map((t) => [t.offerId, t.state])).to.deep.equal([["1", "completed"]]);

    expect(tree.outstandingGrants.map((g) => [g.grantId, g.grantee.name, g.scopeNames, g.state])).to.deep.equal([
      ["1", "HK Statistics", "use+derive", "pending customs"],
      ["2", "GD Analytics", "use", "active"],
    ]);
    const [pending, active] = tree.outstandingGrants;
    expect(pending).to.deep.include({
      fingerprint: D,
      grantor: odbInfo,
      exportJurisdiction: "CN-GD",
      purposeHash: hashOf("purpose:hk-study"),
      customsDecisions: [],
      revoked: null,
    });
    expect(pending.expiresAt).to.be.a("number");
    expect(active).to.deep.include({ grantor: odbInfo, exportJurisdiction: null, expiresAt: null, revoked: null });

    // The contract's own view of the same grants, after the sale.
    expect((await rights.getGrant(D, grantees.HKS)).status).to.equal(BigInt(GrantStatus.PENDING_CUSTOMS));
    expect((await rights.getGrant(D, grantees.ANALYTICS)).status).to.equal(BigInt(GrantStatus.ACTIVE));
  });

  it("lists the findings and the freeze in force, with inspector, hash, time, block and transaction", async () => {
    const { client, contracts, finding, freeze } = await loadFixture(licensedAndSold);
    const tree = registered(await explainProvenance(client, contracts, D));
    const findingBlock = (await hre.ethers.provider.getBlock(finding.blockNumber))!;
    expect(tree.findings).to.deep.equal([
      {
        inspector: regulatorInfo,
        actor: finding.from.toLowerCase(),
        findingHash: hashOf("finding:audit-2026"),
        time: findingBlock.timestamp,
        block: finding.blockNumber,
        transactionHash: finding.hash,
      },
    ]);
    expect(tree.frozen).to.equal(true);
    expect(tree.freeze).to.deep.include({
      inspector: regulatorInfo,
      reasonHash: hashOf("freeze:investigation"),
      block: freeze.blockNumber,
      transactionHash: freeze.hash,
    });
  });

  it("drops a grant the new owner revokes, and no longer shows a freeze once it is lifted", async () => {
    const { client, contracts, rights, buyer, grantees } = await loadFixture(licensedAndSold);
    const [, , , , , , , regulator] = await hre.ethers.getSigners();
    await rights.connect(buyer).revokeGrant(D, grantees.ANALYTICS, hashOf("revoked by the buyer"));
    await rights.connect(regulator).unfreeze(D, hashOf("investigation closed"));
    const tree = registered(await explainProvenance(client, contracts, D));
    expect(tree.outstandingGrants.map((g) => g.grantId)).to.deep.equal(["1"]);
    expect(tree).to.deep.include({ frozen: false, freeze: null });
    expect(tree.findings).to.have.length(1);
  });

  it("shows the outstanding grants, the finding and the freeze in the text", async () => {
    const { client, contracts } = await loadFixture(licensedAndSold);
    const tree = registered(await explainProvenance(client, contracts, D));
    const lines = formatExplanation(tree).trimEnd().split("\n");
    expect(lines[0]).to.equal(`${D} [internal, sha256] FROZEN`);
    expect(lines).to.include(
      "   outstanding grant #1: use+derive from Open Data Bureau (#1, CN-GD) to HK Statistics (#2, HK), " +
        "now pending customs",
    );
    expect(lines).to.include("     · awaiting the customs of CN-GD");
    expect(lines).to.include(
      "   outstanding grant #2: use from Open Data Bureau (#1, CN-GD) to GD Analytics (#3, CN-GD), now active",
    );
    expect(lines.filter((line) => line.includes("outstanding grant"))).to.have.length(2);
    expect(lines.find((line) => line.startsWith("   finding by "))).to.match(
      new RegExp(
        `^ {3}finding by Market Regulator \\(#7, CN-GD\\) at \\S+Z \\(block \\d+, tx 0x[0-9a-f]{64}\\): ` +
          `${hashOf("finding:audit-2026")}$`,
      ),
    );
    expect(lines.find((line) => line.startsWith("   frozen by "))).to.match(
      new RegExp(`^ {3}frozen by Market Regulator \\(#7, CN-GD\\) at .*, reason ${hashOf("freeze:investigation")}$`),
    );
    expect(lines).to.include(
      "   transfer #1: Open Data Bureau (#1, CN-GD) -> Shenzhen Exchange Member (#8, CN-GD), completed; offered " +
        lines.find((line) => line.startsWith("   transfer #1"))!.split("offered ")[1],
    );
  });

  it("marks a grant the owner itself holds as moot while it owns the record", async () => {
    const { client, contracts } = await loadFixture(licensedAndSold);
    const tree = registered(await explainProvenance(client, contracts, D));
    const held: RegisteredNode = { ...tree, owner: tree.outstandingGrants[1].grantee };
    expect(formatExplanation(held)).to.contain(
      "outstanding grant #2: use from Open Data Bureau (#1, CN-GD) to GD Analytics (#3, CN-GD), now active\n" +
        "     · issued ",
    );
    expect(formatExplanation(held)).to.contain("     · held by the owner now: moot while it owns the record\n");
    expect(formatExplanation(tree)).to.not.contain("moot");
  });
});
