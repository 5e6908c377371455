import { expect } from "chai";
import { ethers } from "hardhat";
import { decodeEventLog, type Address, type Hex } from "viem";
import { DataClass, GrantStatus, OfferStatus, Relation, Rule, Scope, provledgerAbi } from "../../../src/sdk";
import {
  applyEvent,
  createMemoryStore,
  seedProjection,
  tableNames,
  type MemoryProjectionStore,
  type ProvledgerEvent,
} from "../../../src/indexer/projection";
import { hashOf, jurisdiction, registration, rightsFixture, type LedgerWithRights } from "../../helpers/fixtures";

/** One of nearly every action, each of which must succeed. */
async function scenario(ctx: LedgerWithRights): Promise<{ records: Hex[]; root: Hex }> {
  const { registry, ledger, rights, governance, agency, agencyKey2, foreignAgency, trader, inspector, customs } = ctx;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => void (await (await tx).wait());
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  // Membership and governance.
  await send(registry.connect(governance).removeOperator(1, agencyKey2.address));
  await send(registry.connect(governance).addOperator(3, ctx.outsider.address));
  await send(registry.connect(governance).setOrganizationProfile(3, "GD Data Exchange Ltd", hashOf("profile")));
  await send(registry.connect(governance).setOrganizationJurisdiction(6, jurisdiction("MO")));
  await send(registry.connect(governance).reinstateOrganization(6, hashOf("reinstated")));
  await send(registry.connect(governance).grantRole(hashOf("auditor role"), ctx.outsider.address));
  await send(registry.connect(governance).revokeRole(hashOf("auditor role"), ctx.outsider.address));
  await send(registry.connect(governance).beginDefaultAdminTransfer(ctx.outsider.address));
  await send(registry.connect(governance).cancelDefaultAdminTransfer());
  await send(registry.connect(governance).changeDefaultAdminDelay(3600));
  await send(registry.connect(governance).rollbackDefaultAdminDelay());

  // Records, lineage, a new version, a batch.
  const [a, b, a2, c] = ["a", "b", "a2", "c"].map((label) => hashOf(`replay ${label}`) as Hex);
  await send(ledger.connect(agency).register(registration(a)));
  const derived = { parents: [{ fingerprint: a, relation: Relation.DERIVED_FROM }], dataClass: DataClass.PUBLIC };
  await send(ledger.connect(agency).register(registration(b, derived)));
  await send(ledger.connect(agency).register(registration(a2, { parents: [{ fingerprint: a, relation: 1 }] })));
  const root = hashOf("replay batch") as Hex;
  await send(ledger.connect(agency).anchorBatch(root, 3, hashOf("manifest"), "ipfs://bafy-replay-batch"));

  // A cross-border grant through customs, relied on by a derivation abroad; a grant revoked.
  await send(rights.connect(agency).issueGrant(a2, 2, Scope.USE | Scope.DERIVE, hashOf("purpose"), 0));
  const { grantId } = await rights.getGrant(a2, 2);
  await send(rights.connect(customs).decideGrant(a2, 2, grantId, true, hashOf("approved")));
  const fromAbroad = { parents: [{ fingerprint: a2, relation: Relation.DERIVED_FROM }] };
  await send(ledger.connect(foreignAgency).register(registration(c, fromAbroad)));
  await send(rights.connect(agency).issueGrant(b, 3, Scope.ALL, hashOf("purpose 2"), (await now()) + 1000n));
  await send(rights.connect(agency).revokeGrant(b, 3, hashOf("revoked")));
  await send(rights.connect(governance).setClassRule(DataClass.IMPORTANT, Rule.FORBIDDEN));

  // A sale delivered, a cross-border sale customs rejects, an offer cancelled.
  await send(rights.connect(agency).offerTransfer(b, 3, hashOf("terms"), (await now()) + 1000n));
  await send(rights.connect(trader).acceptOffer(1));
  await send(rights.connect(trader).confirmDelivery(1, b));
  await send(rights.connect(agency).offerTransfer(a2, 2, hashOf("terms 2"), (await now()) + 1000n));
  await send(rights.connect(foreignAgency).acceptOffer(2));
  await send(rights.connect(customs).decideTransfer(2, false, hashOf("rejected")));
  await send(rights.connect(agency).offerTransfer(a2, 3, hashOf("terms 3"), (await now()) + 1000n));
  await send(rights.connect(agency).cancelOffer(3, hashOf("cancelled")));

  // Inspections and a withdrawal.
  await send(rights.connect(inspector).attachFinding(a2, hashOf("finding 1")));
  await send(rights.connect(inspector).attachFinding(a2, hashOf("finding 2")));
  await send(rights.connect(inspector).freeze(a2, hashOf("frozen")));
  await send(rights.connect(inspector).unfreeze(a2, hashOf("unfrozen")));
  await send(rights.connect(inspector).freeze(b, hashOf("frozen b")));
  await send(ledger.connect(agency).withdraw(a, hashOf("withdrawn")));
  return { records: [a, b, a2, c], root };
}

/** Every log of the deployment, decoded and applied in order; the names seen. */
async function replay(ctx: LedgerWithRights): Promise<{ store: MemoryProjectionStore; seen: Set<string> }> {
  const address = [ctx.registry, ctx.ledger, ctx.rights].map((contract) => contract.target as string);
  const logs = (await ethers.provider.getLogs({ address, fromBlock: 0, toBlock: "latest" })).sort(
    (x, y) => x.blockNumber - y.blockNumber || x.index - y.index,
  );
  const store = createMemoryStore();
  // The default class rules are set without an event: the projection starts from them.
  seedProjection(store);
  const seen = new Set<string>();
  for (const log of logs) {
    const time = BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp);
    const event = decodeEventLog({ abi: provledgerAbi, topics: log.topics as [Hex], data: log.data as Hex });
    applyEvent(store, event as ProvledgerEvent, time);
    seen.add(event.eventName);
  }
  return { store, seen };
}

describe("projection: replayed from a chain's events, it agrees with every view of the contracts", () => {
  it("organisations, operators, records with lineage, batches, grants, offers and class rules", async () => {
    const ctx = await rightsFixture();
    const { records, root } = await scenario(ctx);
    const { store, seen } = await replay(ctx);
    const { registry, ledger, rights } = ctx;

    for (let id = 1; id <= Number(await registry.organizationCount()); id++) {
      const view = await registry.organization(id);
      expect(store.get("organizations", id), `organisation ${id}`).to.deep.equal({
        id,
        name: view.name,
        metadataHash: view.metadataHash,
        jurisdiction: view.jurisdiction,
        roles: Number(view.roles),
        status: Number(view.status),
        operatorCount: Number(view.operatorCount),
        registeredAt: view.registeredAt,
      });
    }
    const accounts = (await ethers.getSigners()).map((signer) => signer.address as Address);
    for (const account of accounts) {
      const orgId = Number(await registry.organizationOf(account));
      expect(store.get("operators", account) ?? 0, account).to.equal(orgId);
    }

    for (const fingerprint of records) {
      const view = await ledger.getRecord(fingerprint);
      const [parents, grants] = await ledger.getParents(fingerprint);
      const projected = store.get("records", fingerprint)!;
      expect(projected, fingerprint).to.deep.include({
        fingerprint,
        ownerOrg: Number(view.ownerOrg),
        registrant: view.registrant,
        scheme: Number(view.scheme),
        dataClass: Number(view.dataClass),
        metadataHash: view.metadataHash,
        registeredAt: view.registeredAt,
        withdrawn: view.withdrawn,
        frozen: view.frozen,
        supersededBy: view.supersededBy,
        trailHead: view.trailHead,
        trailLength: view.trailLength,
      });
      expect(projected.parents).to.deep.equal(
        parents.map((parent, i) => ({
          fingerprint: parent.fingerprint,
          relation: Number(parent.relation),
          grantId: grants[i],
        })),
      );
      for (let org = 1; org <= 8; org++) {
        const grant = await rights.getGrant(fingerprint, org);
        const row = store.get("grants", [fingerprint, org]);
        const expected =
          grant.status === 0n
            ? undefined
            : {
                grantId: grant.grantId,
                fingerprint,
                granteeOrg: org,
                grantorOrg: Number(grant.grantorOrg),
                scopes: Number(grant.scopes),
                status: Number(grant.status),
                expiresAt: grant.expiresAt,
                issuedAt: grant.issuedAt,
                exportJurisdiction: grant.exportJurisdiction,
                purposeHash: grant.purposeHash,
              };
        expect(row, `grant of ${fingerprint} to ${org}`).to.deep.equal(expected);
      }
    }
    const a2 = store.get("records", records[2])!;
    expect(a2.findings).to.deep.equal([hashOf("finding 1"), hashOf("finding 2")]);
    expect(store.get("records", records[3])!.parents[0].grantId).to.not.equal(0n);

    const batch = await ledger.getBatch(root);
    expect(store.get("batches", root)).to.deep.include({
      root,
      org: Number(batch.org),
      registrant: batch.registrant,
      leafCount: batch.leafCount,
      metadataHash: batch.metadataHash,
      metadataURI: "ipfs://bafy-replay-batch",
      anchoredAt: batch.anchoredAt,
      trailLength: 1n,
    });

    const [, offerCount] = await rights.counts();
    expect(store.offers.size).to.equal(Number(offerCount));
    for (const [offerId, row] of store.offers) {
      const view = await rights.getOffer(offerId as bigint);
      expect(row).to.deep.include({
        offerId,
        fingerprint: view.fingerprint,
        fromOrg: Number(view.fromOrg),
        toOrg: Number(view.toOrg),
        status: Number(view.status),
        offeredAt: view.offeredAt,
        expiresAt: view.expiresAt,
        exportJurisdiction: view.exportJurisdiction,
        termsHash: view.termsHash,
        acceptedAt: view.acceptedAt,
      });
    }
    expect([...store.offers.values()].map((offer) => offer.status)).to.deep.equal([
      OfferStatus.DELIVERED,
      OfferStatus.REJECTED,
      OfferStatus.CANCELLED,
    ]);
    expect(store.get("offers", 1n)!.deliveryReports).to.deep.equal([
      { receivedFingerprint: records[1], matches: true },
    ]);
    expect(store.get("grants", [records[2], 2])!.status).to.equal(GrantStatus.ACTIVE);

    for (let dataClass = 0; dataClass <= 3; dataClass++) {
      expect(store.get("classRules", dataClass)).to.equal(Number(await rights.classRule(dataClass)));
    }

    // Every table was filled, and nearly every event seen (RoleAdminChanged and EIP712DomainChanged need contract
    // changes to emit).
    for (const table of tableNames) expect(store[table].size, table).to.be.greaterThan(0);
    const never = provledgerAbi
      .filter((item) => item.type === "event" && !seen.has(item.name))
      .map((item) => (item as { name: string }).name);
    expect(never.sort()).to.deep.equal(["EIP712DomainChanged", "RoleAdminChanged"]);
  });
});
