import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";
import { DataClass, Relation, Scheme } from "../../../src/sdk";
import { AGENCY, HK_AGENCY, clientFor, h, publicClient, revert, world } from "./world";

describe("SDK client: ledger", () => {
  it("registers a dataset, returns the decoded event and reads the record, its trail and versions", async () => {
    const { agency, accounts, org } = await world();
    const fingerprint = h("population-2026");
    const result = await agency.register({
      fingerprint,
      scheme: Scheme.SHA256,
      dataClass: DataClass.INTERNAL,
      metadataHash: h("metadata"),
      metadataURI: "ipfs://population-2026",
    });
    expect(result.event.eventName).to.equal("RecordRegistered");
    expect(result.event.args.fingerprint).to.equal(fingerprint);
    expect(result.event.args.ownerOrg).to.equal(org.agency);
    expect(result.event.args.registrant).to.equal(accounts.agency);
    expect(result.event.args.metadataURI).to.equal("ipfs://population-2026");
    expect(result.event.args.stamp.recordLength).to.equal(1n);
    const receipt = await publicClient.getTransactionReceipt({ hash: result.transactionHash });
    expect(receipt.blockNumber).to.equal(result.blockNumber);
    expect(receipt.blockHash).to.equal(result.blockHash);
    expect(receipt.logs.map((log) => log.logIndex)).to.include(result.logIndex);
    expect(result.events.map((event) => event.eventName)).to.deep.equal(["RecordRegistered"]);

    const record = await agency.getRecord({ fingerprint });
    expect(record).to.include({ ownerOrg: org.agency, registrant: accounts.agency, dataClass: DataClass.INTERNAL });
    expect(record.registeredBlock).to.equal(result.blockNumber);
    expect(await agency.exists({ fingerprint })).to.equal(true);
    expect(await agency.exists({ fingerprint: h("nothing") })).to.equal(false);
    expect(await agency.recordStatus({ fingerprint })).to.deep.equal({
      ownerOrg: org.agency,
      dataClass: DataClass.INTERNAL,
      withdrawn: false,
      frozen: false,
    });
    expect(await agency.trailHead({ fingerprint })).to.deep.equal({
      head: result.event.args.stamp.recordHead,
      length: 1n,
    });
    expect(await agency.ledgerHead()).to.deep.equal({
      ledgerHead: result.event.args.stamp.ledgerHead,
      ledgerSequence: result.event.args.stamp.ledgerSequence,
    });

    const revision = await agency.register({
      fingerprint: h("population-2026-v2"),
      dataClass: DataClass.INTERNAL,
      parents: [{ fingerprint, relation: Relation.REVISION_OF }],
    });
    expect(revision.events.map((event) => event.eventName)).to.deep.equal(["RecordRegistered", "RecordSuperseded"]);
    expect(await agency.latestVersion({ fingerprint })).to.deep.equal({
      latest: h("population-2026-v2"),
      isLatest: false,
    });
    const { parents, derivationGrants } = await agency.getParents({ fingerprint: h("population-2026-v2") });
    expect(parents).to.deep.equal([{ fingerprint, relation: Relation.REVISION_OF }]);
    expect(derivationGrants).to.deep.equal([0n]);

    const superseded = await revert(
      agency.register({
        fingerprint: h("population-2026-v2b"),
        dataClass: DataClass.INTERNAL,
        parents: [{ fingerprint, relation: Relation.REVISION_OF }],
      }),
      "AlreadySuperseded",
    );
    expect(superseded.message).to.equal(
      `${fingerprint} was already superseded by ${h("population-2026-v2")}: revise the latest version instead ` +
        "(latestVersion tells which it is)",
    );
  });

  it("refuses a second registration with the owner's name and the ISO date, before sending anything", async () => {
    const { agency } = await world();
    const fingerprint = h("registered-once");
    await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
    const { registeredAt } = await agency.getRecord({ fingerprint });
    const blockBefore = await publicClient.getBlockNumber();

    const error = await revert(agency.register({ fingerprint, dataClass: DataClass.PUBLIC }), "AlreadyRegistered");
    const iso = new Date(registeredAt * 1000).toISOString().replace(".000Z", "Z");
    expect(error.message).to.equal(
      `fingerprint ${fingerprint} is already registered by ${AGENCY} on ${iso} (block time); a fingerprint is ` +
        "registered once and never overwritten: if this is a new version of that dataset, register the new " +
        "version's fingerprint as a revision-of it",
    );
    expect(error.code).to.equal("AlreadyRegistered");
    expect(error.action).to.equal("register");
    expect(error.args).to.deep.equal([fingerprint, 1, registeredAt]);
    expect(error.params).to.deep.equal({ fingerprint, ownerOrg: 1, registeredAt });
    expect(await publicClient.getBlockNumber()).to.equal(blockBefore);
  });

  it("names both organisations when a non-owner withdraws, and withdraws for the owner", async () => {
    const { agency, hk } = await world();
    const fingerprint = h("to-withdraw");
    await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
    const error = await revert(hk.withdraw({ fingerprint, reasonHash: h("mine?") }), "NotRecordOwner");
    expect(error.message).to.equal(
      `record ${fingerprint} is owned by ${AGENCY}, not by ${HK_AGENCY}: only an operator of the owning ` +
        "organisation may do this",
    );
    const withdrawn = await agency.withdraw({ fingerprint, reasonHash: h("superseded by a new survey") });
    expect(withdrawn.event.args.reasonHash).to.equal(h("superseded by a new survey"));
    expect((await agency.getRecord({ fingerprint })).withdrawn).to.equal(true);
    const again = await revert(agency.withdraw({ fingerprint }), "RecordIsWithdrawn");
    expect(again.message).to.include(`record ${fingerprint} was withdrawn by its owner`);
  });

  it("says which role an organisation lacks", async () => {
    const { exchange, accounts, addresses } = await world();
    const error = await revert(
      exchange.register({ fingerprint: h("not-mine"), dataClass: DataClass.PUBLIC }),
      "OrganizationLacksRole",
    );
    expect(error.message).to.equal(
      "CN-GD/GD Data Exchange (org 3) does not hold the registrar role this action needs (it holds: trader): send " +
        "from an operator of an organisation with that role, or ask governance to grant the role " +
        "(setOrganizationRoles)",
    );
    const outsider = clientFor(accounts.outsider, addresses);
    const notMember = await revert(outsider.register({ fingerprint: h("x"), dataClass: 0 }), "AccountNotMember");
    expect(notMember.message).to.include(`account ${accounts.outsider} is not an operator of any organisation`);
  });

  it("anchors a batch and proves inclusion", async () => {
    const { agency, org } = await world();
    const fingerprints = Array.from({ length: 100 }, (_, i) => h(`batch-leaf-${i}`));
    const tree = StandardMerkleTree.of(
      fingerprints.map((fingerprint) => [fingerprint]),
      ["bytes32"],
    );
    const root = tree.root as Hex;
    const anchored = await agency.anchorBatch({
      root,
      leafCount: fingerprints.length,
      metadataHash: h("manifest"),
      metadataURI: "ipfs://manifest",
    });
    expect(anchored.event.args).to.include({ root, org: org.agency, leafCount: 100n });
    const batch = await agency.getBatch({ root });
    expect(batch.leafCount).to.equal(100n);
    expect(batch.anchoredBlock).to.equal(anchored.blockNumber);
    const proof = tree.getProof([fingerprints[42]]) as Hex[];
    expect(await agency.verifyBatchInclusion({ root, leaf: fingerprints[42], proof })).to.equal(true);
    expect(await agency.verifyBatchInclusion({ root, leaf: h("not in it"), proof })).to.equal(false);

    const twice = await revert(agency.anchorBatch({ root, leafCount: 100 }), "BatchAlreadyAnchored");
    expect(twice.message).to.match(
      new RegExp(`^batch root ${root} was already anchored by CN-GD/Open Data Bureau \\(org 1\\) on \\d{4}-`),
    );
    const unknown = await revert(agency.getBatch({ root: h("no batch") }), "UnknownBatch");
    expect(unknown.message).to.equal(
      `no batch is anchored under root ${h("no batch")}: check the root, or anchor the batch first`,
    );
  });

  it("reads every view as of a past block", async () => {
    const { agency, org } = await world();
    const fingerprint = h("as-of");
    const before = await publicClient.getBlockNumber();
    const checkpoint = await agency.ledgerHead();
    const registered = await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
    expect(registered.blockNumber).to.be.greaterThan(before);

    expect(await agency.exists({ fingerprint, blockNumber: before })).to.equal(false);
    expect(await agency.exists({ fingerprint, blockNumber: registered.blockNumber })).to.equal(true);
    expect(await agency.ledgerHead({ blockNumber: before })).to.deep.equal(checkpoint);
    expect((await agency.recordStatus({ fingerprint, blockNumber: registered.blockNumber })).ownerOrg).to.equal(
      org.agency,
    );
    const unknown = await revert(agency.getRecord({ fingerprint, blockNumber: before }), "UnknownRecord");
    expect(unknown.params.fingerprint).to.equal(fingerprint);
    expect(await agency.organizationCount({ blockNumber: before })).to.equal(6);
  });
});
