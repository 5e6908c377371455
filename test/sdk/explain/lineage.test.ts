import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import type { Hex } from "viem";
import {
  DataClass,
  InvalidInputError,
  Relation,
  Role,
  Scope,
  decodeJurisdiction,
  explainProvenance,
  formatExplanation,
} from "../../../src/sdk";
import { hashOf, jurisdiction, registration } from "../../helpers/fixtures";
import { deployExplained, registered } from "./fixtures";

const A = hashOf("explain:a") as Hex;
const B = hashOf("explain:b") as Hex;
const C = hashOf("explain:c") as Hex;
const V1 = hashOf("explain:v1") as Hex;
const V2 = hashOf("explain:v2") as Hex;

/**
 * A three-level lineage C -> B -> A across a border:
 * - A: Open Data Bureau (CN-GD) registers an internal dataset and grants HK Statistics the right to derive from it;
 *   the grant crosses a border with graded data, so GD Data Customs approves it;
 * - B: HK Statistics derives B from A under that grant, then sells B to the Open Data Bureau; the sale exports
 *   internal data from HK, so HK Customs approves it; the buyer confirms delivery;
 * - C: HK Statistics derives C from B (its own record at the time, no grant needed);
 * - finally the Market Regulator freezes A.
 */
async function lineage() {
  const { registry, ledger, rights, client, contracts } = await deployExplained();
  const [, odb, hks, gdCustoms, hkCustoms, regulator] = await hre.ethers.getSigners();
  const orgs: [string, string, number, string][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, odb.address],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, hks.address],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, gdCustoms.address],
    ["HK Customs", "HK", Role.CUSTOMS, hkCustoms.address],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, regulator.address],
  ];
  for (const [name, code, roles, operator] of orgs) {
    await registry.registerOrganization(name, hashOf(name), jurisdiction(code), roles, [operator]);
  }

  await ledger.connect(odb).register(registration(A, { dataClass: DataClass.INTERNAL, metadataURI: "ipfs://a" }));
  const expiry = (await hre.ethers.provider.getBlock("latest"))!.timestamp + 365 * 24 * 3600;
  await rights.connect(odb).issueGrant(A, 2, Scope.USE | Scope.DERIVE, hashOf("purpose:census-study"), expiry);
  await rights.connect(gdCustoms).decideGrant(A, 2, 1, true, hashOf("decision:grant"));

  await ledger
    .connect(hks)
    .register(
      registration(B, { parents: [{ fingerprint: A, relation: Relation.DERIVED_FROM }], metadataURI: "ipfs://b" }),
    );
  await ledger
    .connect(hks)
    .register(
      registration(C, { parents: [{ fingerprint: B, relation: Relation.DERIVED_FROM }], metadataURI: "ipfs://c" }),
    );

  const offerExpiry = (await hre.ethers.provider.getBlock("latest"))!.timestamp + 3600;
  await rights.connect(hks).offerTransfer(B, 1, hashOf("terms:order-42"), offerExpiry);
  await rights.connect(odb).acceptOffer(1);
  await rights.connect(hkCustoms).decideTransfer(1, true, hashOf("decision:transfer"));
  await rights.connect(odb).confirmDelivery(1, B);

  await rights.connect(regulator).freeze(A, hashOf("investigation"));

  // A revision, then the new version withdrawn.
  await ledger.connect(odb).register(registration(V1, { metadataURI: "ipfs://v1" }));
  await ledger
    .connect(odb)
    .register(registration(V2, { parents: [{ fingerprint: V1, relation: Relation.REVISION_OF }] }));
  await ledger.connect(odb).withdraw(V2, hashOf("withdrawn: superseded by a corrected census"));

  return { client, contracts, ledger };
}

const odbInfo = { id: 1, name: "Open Data Bureau", jurisdiction: "CN-GD", status: "active" };
const hksInfo = { id: 2, name: "HK Statistics", jurisdiction: "HK", status: "active" };

describe("SDK provenance explanation: lineage", () => {
  it("explains a three-level lineage with owners, the grant relied on, the transfer and customs decisions", async () => {
    const { client, contracts } = await loadFixture(lineage);
    const tree = registered(await explainProvenance(client, contracts, C, { depth: 5 }));

    expect(tree).to.deep.include({
      fingerprint: C,
      owner: hksInfo,
      registeredBy: hksInfo,
      dataClass: "internal",
      scheme: "sha256",
      metadataURI: "ipfs://c",
      withdrawn: false,
      frozen: false,
      supersededBy: null,
      latestVersion: C,
      truncated: false,
    });
    expect(tree.transfers).to.deep.equal([]);
    expect(tree.parents).to.have.length(1);
    expect(tree.parents[0]).to.deep.include({ relation: "derived-from", grant: null });

    const b = registered(tree.parents[0].parent);
    expect(b).to.deep.include({ fingerprint: B, owner: odbInfo, registeredBy: hksInfo, metadataURI: "ipfs://b" });
    expect(b.transfers).to.have.length(1);
    const transfer = b.transfers[0];
    expect(transfer).to.deep.include({
      offerId: "1",
      from: hksInfo,
      to: odbInfo,
      termsHash: hashOf("terms:order-42"),
      exportJurisdiction: "HK",
      state: "delivered",
      cancelled: null,
    });
    expect(transfer.acceptedAt).to.be.a("number");
    expect(transfer.ownershipTransferredAt).to.be.a("number");
    expect(transfer.customsDecisions).to.have.length(1);
    expect(transfer.customsDecisions[0]).to.deep.include({
      customs: { id: 4, name: "HK Customs", jurisdiction: "HK", status: "active" },
      approved: true,
      decisionHash: hashOf("decision:transfer"),
    });
    expect(transfer.deliveries).to.deep.equal([
      { receivedFingerprint: B, matches: true, time: transfer.deliveries[0].time },
    ]);

    const edge = b.parents[0];
    expect(edge.relation).to.equal("derived-from");
    expect(edge.grant).to.deep.include({
      grantId: "1",
      fingerprint: A,
      grantor: odbInfo,
      grantee: hksInfo,
      scopes: Scope.USE | Scope.DERIVE,
      scopeNames: "use+derive",
      purposeHash: hashOf("purpose:census-study"),
      exportJurisdiction: "CN-GD",
      revoked: null,
      state: "active",
    });
    expect(edge.grant!.expiresAt).to.be.a("number");
    expect(edge.grant!.customsDecisions.map((d) => [d.customs.name, d.approved])).to.deep.equal([
      ["GD Data Customs", true],
    ]);

    const a = registered(edge.parent);
    expect(a).to.deep.include({ fingerprint: A, owner: odbInfo, frozen: true, truncated: false, parents: [] });
    expect(a.registeredAt).to.be.at.most(b.registeredAt);
  });

  it("flags superseded and withdrawn records and follows revision-of links", async () => {
    const { client, contracts } = await loadFixture(lineage);
    const v2 = registered(await explainProvenance(client, contracts, V2));
    expect(v2).to.deep.include({ withdrawn: true, frozen: false, supersededBy: null, latestVersion: V2 });
    expect(v2.parents).to.have.length(1);
    expect(v2.parents[0]).to.deep.include({ relation: "revision-of", grant: null });
    expect(registered(v2.parents[0].parent)).to.deep.include({ fingerprint: V1, supersededBy: V2, latestVersion: V2 });
    const text = formatExplanation(v2);
    expect(text.split("\n")[0]).to.equal(`${V2} [internal, sha256] WITHDRAWN`);
    expect(text).to.contain(`└─ revision-of\n   ${V1} [internal, sha256] SUPERSEDED by ${V2} (latest ${V2})\n`);
  });

  it("stops at the chosen depth and says so", async () => {
    const { client, contracts } = await loadFixture(lineage);
    const alone = registered(await explainProvenance(client, contracts, C, { depth: 0 }));
    expect(alone).to.deep.include({ truncated: true, parents: [] });
    const one = registered(await explainProvenance(client, contracts, C, { depth: 1 }));
    expect(registered(one.parents[0].parent)).to.deep.include({ fingerprint: B, truncated: true, parents: [] });
    expect(formatExplanation(alone)).to.contain("parents: not shown (depth reached)");
    await explainProvenance(client, contracts, C, { depth: -1 }).then(
      () => expect.fail("a negative depth was accepted"),
      (error: Error) => expect(error).to.be.instanceOf(InvalidInputError).and.include({ field: "depth" }),
    );
  });

  it("says when a fingerprint is not registered", async () => {
    const { client, contracts } = await loadFixture(lineage);
    const unknown = hashOf("explain:unknown") as Hex;
    expect(await explainProvenance(client, contracts, unknown)).to.deep.equal({
      fingerprint: unknown,
      registered: false,
    });
    expect(formatExplanation({ fingerprint: unknown, registered: false })).to.equal(
      `${unknown}: not registered on this ledger\n`,
    );
  });

  it("renders a readable text tree", async () => {
    const { client, contracts } = await loadFixture(lineage);
    const text = formatExplanation(await explainProvenance(client, contracts, C));
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).to.equal(`${C} [internal, sha256]`);
    expect(lines).to.include("│  owner: HK Statistics (#2, HK)");
    expect(text).to.match(/^└─ derived-from\n {3}0x[0-9a-f]{64} \[internal, sha256\]\n/m);
    expect(text).to.contain(
      "   └─ derived-from under grant #1: use+derive from Open Data Bureau (#1, CN-GD) to HK Statistics (#2, HK), " +
        "now active\n      · issued ",
    );
    expect(text).to.match(
      /\n {6}· customs: GD Data Customs \(#3, CN-GD\) approved at \S+ \(decision 0x[0-9a-f]{64}\)\n/,
    );
    expect(text).to.contain("transfer #1: HK Statistics (#2, HK) -> Open Data Bureau (#1, CN-GD), delivered; offered ");
    expect(text).to.contain("  customs of HK: HK Customs (#4, HK) approved at ");
    expect(text).to.contain("  delivery reported ");
    expect(text).to.contain(`${A} [internal, sha256] FROZEN`);
    expect(text).to.not.match(/ +$/m);
  });

  it("decodes jurisdiction codes to ASCII (and zero to none)", () => {
    expect(decodeJurisdiction(jurisdiction("CN-GD") as Hex)).to.equal("CN-GD");
    expect(decodeJurisdiction(jurisdiction("MO") as Hex)).to.equal("MO");
    expect(decodeJurisdiction(jurisdiction("") as Hex)).to.equal(null);
  });
});
