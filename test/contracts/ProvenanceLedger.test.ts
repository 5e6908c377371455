import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  Action,
  DataClass,
  Relation,
  Scheme,
  hashOf,
  ledgerFixture,
  registration,
  type Ledger,
} from "../helpers/fixtures";
import { signBatch, signRegistration } from "../helpers/signing";
import { ledgerEntry, recordEntry } from "../../src/sdk";
import { zeroHash, type Hex } from "viem";

/** The documented payload rule, written out by hand: keccak256(abi.encode(event parameters without the stamp)). */
function payload(types: string[], values: unknown[]): Hex {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(types, values)) as Hex;
}

const fp = (label: string | number) => hashOf(`fingerprint:${label}`);

async function blockTime(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

describe("ProvenanceLedger", () => {
  let ctx: Ledger;
  beforeEach(async () => {
    ctx = await ledgerFixture();
  });

  describe("register", () => {
    it("stores the record, starts its trail and the ledger chain, and emits everything an indexer needs", async () => {
      const { ledger, agency, orgIds } = ctx;
      const reg = registration(fp(1), { scheme: Scheme.SALTED_SHA256, dataClass: DataClass.IMPORTANT });
      // The fixture's onboarding already chained governance entries: the record's entry follows them.
      const [headBefore, sequenceBefore] = await ledger.ledgerHead();
      const tx = await ledger.connect(agency).register(reg);
      const receipt = (await tx.wait())!;
      const now = await blockTime();

      const payloadHash = payload(
        ["bytes32", "uint32", "address", "uint8", "uint8", "bytes32", "string", "tuple(bytes32,uint8)[]", "uint256[]"],
        [
          reg.fingerprint,
          orgIds.agency,
          agency.address,
          Scheme.SALTED_SHA256,
          DataClass.IMPORTANT,
          reg.metadataHash,
          reg.metadataURI,
          [],
          [],
        ],
      );
      const head = recordEntry(zeroHash, Action.REGISTERED, agency.address as Hex, now, payloadHash);
      const sequence = sequenceBefore + 1n;
      const globalHead = ledgerEntry(headBefore as Hex, sequence, reg.fingerprint as Hex, head);
      await expect(tx)
        .to.emit(ledger, "RecordRegistered")
        .withArgs(
          reg.fingerprint,
          orgIds.agency,
          agency.address,
          Scheme.SALTED_SHA256,
          DataClass.IMPORTANT,
          reg.metadataHash,
          reg.metadataURI,
          [],
          [],
          [head, 1n, sequence, globalHead],
        );

      const record = await ledger.getRecord(reg.fingerprint);
      expect(record.ownerOrg).to.equal(orgIds.agency);
      expect(record.registrant).to.equal(agency.address);
      expect(record.scheme).to.equal(Scheme.SALTED_SHA256);
      expect(record.dataClass).to.equal(DataClass.IMPORTANT);
      expect(record.withdrawn).to.equal(false);
      expect(record.frozen).to.equal(false);
      expect(record.metadataHash).to.equal(reg.metadataHash);
      expect(record.registeredAt).to.equal(now);
      expect(record.registeredBlock).to.equal(receipt.blockNumber);
      expect(record.trailHead).to.equal(head);
      expect(record.trailLength).to.equal(1n);
      expect(record.parentCount).to.equal(0n);
      expect(record.supersededBy).to.equal(zeroHash);
      expect(await ledger.trailHead(reg.fingerprint)).to.deep.equal([head, 1n]);
      expect(await ledger.ledgerHead()).to.deep.equal([globalHead, sequence]);
      expect(await ledger.exists(reg.fingerprint)).to.equal(true);
      expect(await ledger.latestVersion(reg.fingerprint)).to.deep.equal([reg.fingerprint, true]);
    });

    it("accepts every fingerprint scheme and data class", async () => {
      const { ledger, agency } = ctx;
      for (const scheme of Object.values(Scheme)) {
        for (const dataClass of Object.values(DataClass)) {
          const f = fp(`scheme${scheme}-class${dataClass}`);
          await ledger.connect(agency).register(registration(f, { scheme, dataClass }));
          const record = await ledger.getRecord(f);
          expect([record.scheme, record.dataClass]).to.deep.equal([BigInt(scheme), BigInt(dataClass)]);
        }
      }
    });

    it("refuses a fingerprint that exists, naming the owner and time, and overwrites nothing", async () => {
      const { ledger, agency, agencyKey2, orgIds } = ctx;
      const reg = registration(fp(1));
      await ledger.connect(agency).register(reg);
      const registeredAt = await blockTime();
      const before = await ledger.getRecord(reg.fingerprint);
      await expect(ledger.connect(agencyKey2).register({ ...reg, metadataHash: hashOf("other") }))
        .to.be.revertedWithCustomError(ledger, "AlreadyRegistered")
        .withArgs(reg.fingerprint, orgIds.agency, registeredAt);
      await expect(ledger.connect(ctx.foreignAgency).register(reg))
        .to.be.revertedWithCustomError(ledger, "AlreadyRegistered")
        .withArgs(reg.fingerprint, orgIds.agency, registeredAt);
      expect(await ledger.getRecord(reg.fingerprint)).to.deep.equal(before);
    });

    it("validates every field with its own error", async () => {
      const { ledger, agency } = ctx;
      const l = ledger.connect(agency);
      await expect(l.register(registration(zeroHash))).to.be.revertedWithCustomError(ledger, "ZeroFingerprint");
      await expect(l.register(registration(fp(1), { scheme: 3 })))
        .to.be.revertedWithCustomError(ledger, "UnknownFingerprintScheme")
        .withArgs(3);
      await expect(l.register(registration(fp(1), { dataClass: 4 })))
        .to.be.revertedWithCustomError(ledger, "UnknownDataClass")
        .withArgs(4);
      await expect(l.register(registration(fp(1), { metadataURI: "x".repeat(257) })))
        .to.be.revertedWithCustomError(ledger, "MetadataURITooLong")
        .withArgs(257, 256);
      await l.register(registration(fp(1), { metadataURI: "x".repeat(256) }));
      await l.register(registration(fp(2), { metadataURI: "" }));
    });
  });

  describe("lineage", () => {
    it("records derived-from parents of the same organisation with their relations", async () => {
      const { ledger, agency } = ctx;
      const l = ledger.connect(agency);
      await l.register(registration(fp("a")));
      await l.register(registration(fp("b")));
      const parents = [
        { fingerprint: fp("a"), relation: Relation.DERIVED_FROM },
        { fingerprint: fp("b"), relation: Relation.DERIVED_FROM },
      ];
      await expect(l.register(registration(fp("c"), { parents })))
        .to.emit(ledger, "RecordRegistered")
        .withArgs(
          fp("c"),
          1n,
          agency.address,
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          [
            [fp("a"), 0n],
            [fp("b"), 0n],
          ],
          [0n, 0n],
          anyValue,
        );
      const [links, grants] = await ledger.getParents(fp("c"));
      expect(links.map((p) => [p.fingerprint, p.relation])).to.deep.equal([
        [fp("a"), 0n],
        [fp("b"), 0n],
      ]);
      expect(grants).to.deep.equal([0n, 0n]);
      expect((await ledger.getRecord(fp("c"))).parentCount).to.equal(2n);
      // Deriving does not change the parents.
      expect(await ledger.latestVersion(fp("a"))).to.deep.equal([fp("a"), true]);
      expect((await ledger.getRecord(fp("a"))).trailLength).to.equal(1n);
    });

    it("supersedes a revised record, extends its trail, and answers which version is latest", async () => {
      const { ledger, agency, agencyKey2, orgIds } = ctx;
      const [, base] = await ledger.ledgerHead();
      await ledger.connect(agency).register(registration(fp("v1")));
      const v2 = registration(fp("v2"), { parents: [{ fingerprint: fp("v1"), relation: Relation.REVISION_OF }] });
      const tx = await ledger.connect(agencyKey2).register(v2);
      const now = await blockTime();
      const [v1HeadBefore] = [(await ledger.getRecord(fp("v1"))).trailHead];
      const [globalHead, sequence] = await ledger.ledgerHead();
      expect(sequence).to.equal(base + 3n); // v1 registered, v2 registered, v1 superseded
      const expectedV1Head = recordEntry(
        // v1's head after registration: recompute from its first entry.
        (await ledger.queryFilter(ledger.filters.RecordRegistered(fp("v1"))))[0].args.stamp.recordHead as Hex,
        Action.SUPERSEDED,
        agencyKey2.address as Hex,
        now,
        payload(["bytes32", "uint32", "address", "bytes32"], [fp("v1"), orgIds.agency, agencyKey2.address, fp("v2")]),
      );
      expect(v1HeadBefore).to.equal(expectedV1Head);
      await expect(tx)
        .to.emit(ledger, "RecordSuperseded")
        .withArgs(fp("v1"), orgIds.agency, agencyKey2.address, fp("v2"), [expectedV1Head, 2n, base + 3n, globalHead]);

      await ledger
        .connect(agency)
        .register(registration(fp("v3"), { parents: [{ fingerprint: fp("v2"), relation: Relation.REVISION_OF }] }));
      expect(await ledger.latestVersion(fp("v1"))).to.deep.equal([fp("v3"), false]);
      expect(await ledger.latestVersion(fp("v2"))).to.deep.equal([fp("v3"), false]);
      expect(await ledger.latestVersion(fp("v3"))).to.deep.equal([fp("v3"), true]);
      expect((await ledger.getRecord(fp("v1"))).supersededBy).to.equal(fp("v2"));
      expect((await ledger.getRecord(fp("v2"))).supersededBy).to.equal(fp("v3"));
      const [links] = await ledger.getParents(fp("v2"));
      expect(links[0].relation).to.equal(BigInt(Relation.REVISION_OF));
    });

    it("combines one revision-of parent with derived-from parents", async () => {
      const { ledger, agency } = ctx;
      const l = ledger.connect(agency);
      await l.register(registration(fp("v1")));
      await l.register(registration(fp("src")));
      await l.register(
        registration(fp("v2"), {
          parents: [
            { fingerprint: fp("src"), relation: Relation.DERIVED_FROM },
            { fingerprint: fp("v1"), relation: Relation.REVISION_OF },
          ],
        }),
      );
      const [links] = await ledger.getParents(fp("v2"));
      expect(links.map((p) => p.relation)).to.deep.equal([0n, 1n]);
      expect(await ledger.latestVersion(fp("v1"))).to.deep.equal([fp("v2"), false]);
    });

    it("refuses parents that are unregistered, repeated, of an unknown relation, or too many", async () => {
      const { ledger, agency } = ctx;
      const l = ledger.connect(agency);
      await l.register(registration(fp("p")));
      const link = (f: string, relation: number = Relation.DERIVED_FROM) => ({ fingerprint: f, relation });
      await expect(l.register(registration(fp("c"), { parents: [link(fp("missing"))] })))
        .to.be.revertedWithCustomError(ledger, "UnknownParent")
        .withArgs(fp("missing"));
      // A record cannot be its own parent: it does not exist yet, so lineage stays acyclic.
      await expect(l.register(registration(fp("c"), { parents: [link(fp("c"))] })))
        .to.be.revertedWithCustomError(ledger, "UnknownParent")
        .withArgs(fp("c"));
      await expect(l.register(registration(fp("c"), { parents: [link(fp("p")), link(fp("p"), 1)] })))
        .to.be.revertedWithCustomError(ledger, "DuplicateParent")
        .withArgs(fp("p"));
      await expect(l.register(registration(fp("c"), { parents: [link(fp("p"), 2)] })))
        .to.be.revertedWithCustomError(ledger, "UnknownRelation")
        .withArgs(2);

      const many = Array.from({ length: 17 }, (_, i) => fp(`many${i}`));
      for (const f of many) await l.register(registration(f));
      await expect(l.register(registration(fp("c"), { parents: many.map((f) => link(f)) })))
        .to.be.revertedWithCustomError(ledger, "TooManyParents")
        .withArgs(17, 16);
      await l.register(registration(fp("c"), { parents: many.slice(0, 16).map((f) => link(f)) }));
      expect((await ledger.getParents(fp("c")))[0]).to.have.length(16);
    });

    it("refuses a second revision-of parent, a revision of another organisation's record, and a fork", async () => {
      const { ledger, agency, foreignAgency, orgIds } = ctx;
      const l = ledger.connect(agency);
      await l.register(registration(fp("a")));
      await l.register(registration(fp("b")));
      await ledger.connect(foreignAgency).register(registration(fp("hk")));
      await expect(
        l.register(
          registration(fp("c"), {
            parents: [
              { fingerprint: fp("a"), relation: Relation.REVISION_OF },
              { fingerprint: fp("b"), relation: Relation.REVISION_OF },
            ],
          }),
        ),
      )
        .to.be.revertedWithCustomError(ledger, "MultipleRevisionParents")
        .withArgs(fp("a"), fp("b"));
      await expect(
        l.register(registration(fp("c"), { parents: [{ fingerprint: fp("hk"), relation: Relation.REVISION_OF }] })),
      )
        .to.be.revertedWithCustomError(ledger, "RevisionOfForeignRecord")
        .withArgs(fp("hk"), orgIds.foreignAgency, orgIds.agency);
      await l.register(registration(fp("a2"), { parents: [{ fingerprint: fp("a"), relation: Relation.REVISION_OF }] }));
      await expect(
        l.register(registration(fp("a2bis"), { parents: [{ fingerprint: fp("a"), relation: Relation.REVISION_OF }] })),
      )
        .to.be.revertedWithCustomError(ledger, "AlreadySuperseded")
        .withArgs(fp("a"), fp("a2"));
    });

    it("refuses deriving from another organisation's record until a rights module authorises it", async () => {
      const { ledger, registry, agency, foreignAgency, governance, orgIds } = ctx;
      await ledger.connect(foreignAgency).register(registration(fp("hk")));
      const derived = registration(fp("mine"), {
        parents: [{ fingerprint: fp("hk"), relation: Relation.DERIVED_FROM }],
      });
      await expect(ledger.connect(agency).register(derived))
        .to.be.revertedWithCustomError(ledger, "DerivationNotAuthorized")
        .withArgs(fp("hk"), orgIds.foreignAgency, orgIds.agency);

      const policy = await ethers.deployContract("MockDerivationPolicy");
      await expect(ledger.connect(governance).setRightsModule(await policy.getAddress()))
        .to.emit(ledger, "RightsModuleSet")
        .withArgs(await policy.getAddress());
      expect(await ledger.rightsModule()).to.equal(await policy.getAddress());
      expect(await ledger.registry()).to.equal(await registry.getAddress());
      // The module's own refusal reaches the caller unchanged.
      await expect(ledger.connect(agency).register(derived))
        .to.be.revertedWithCustomError(policy, "NoGrant")
        .withArgs(fp("hk"), orgIds.agency);
      await policy.setGrant(fp("hk"), orgIds.agency, 42n);
      await expect(ledger.connect(agency).register(derived))
        .to.emit(ledger, "RecordRegistered")
        .withArgs(
          fp("mine"),
          orgIds.agency,
          agency.address,
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          [[fp("hk"), 0n]],
          [42n],
          anyValue,
        );
      expect((await ledger.getParents(fp("mine")))[1]).to.deep.equal([42n]);
    });

    it("lets governance attach the rights module only once", async () => {
      const { ledger, governance } = ctx;
      const policy = await ethers.deployContract("MockDerivationPolicy");
      await ledger.connect(governance).setRightsModule(await policy.getAddress());
      await expect(ledger.connect(governance).setRightsModule(governance.address))
        .to.be.revertedWithCustomError(ledger, "RightsModuleAlreadySet")
        .withArgs(await policy.getAddress());
    });
  });

  describe("withdraw", () => {
    it("marks the record withdrawn, keeps it and its history readable, and extends its trail", async () => {
      const { ledger, agency, agencyKey2, orgIds } = ctx;
      await ledger.connect(agency).register(registration(fp(1)));
      const [headBefore] = await ledger.trailHead(fp(1));
      const reason = hashOf("licence expired");
      const tx = await ledger.connect(agencyKey2).withdraw(fp(1), reason);
      const now = await blockTime();
      const head = recordEntry(
        headBefore as Hex,
        Action.WITHDRAWN,
        agencyKey2.address as Hex,
        now,
        payload(["bytes32", "uint32", "address", "bytes32"], [fp(1), orgIds.agency, agencyKey2.address, reason]),
      );
      const [globalHead, sequence] = await ledger.ledgerHead();
      await expect(tx)
        .to.emit(ledger, "RecordWithdrawn")
        .withArgs(fp(1), orgIds.agency, agencyKey2.address, reason, [head, 2n, sequence, globalHead]);
      const record = await ledger.getRecord(fp(1));
      expect(record.withdrawn).to.equal(true);
      expect(record.trailHead).to.equal(head);
      expect(record.registrant).to.equal(agency.address);
      expect(await ledger.exists(fp(1))).to.equal(true);
    });

    it("refuses withdrawing twice, someone else's record, an unknown record, and deriving from a withdrawn one", async () => {
      const { ledger, agency, foreignAgency, orgIds } = ctx;
      await ledger.connect(agency).register(registration(fp(1)));
      await expect(ledger.connect(foreignAgency).withdraw(fp(1), zeroHash))
        .to.be.revertedWithCustomError(ledger, "NotRecordOwner")
        .withArgs(fp(1), orgIds.agency, orgIds.foreignAgency);
      await expect(ledger.connect(agency).withdraw(fp(2), zeroHash))
        .to.be.revertedWithCustomError(ledger, "UnknownRecord")
        .withArgs(fp(2));
      await ledger.connect(agency).withdraw(fp(1), zeroHash);
      await expect(ledger.connect(agency).withdraw(fp(1), zeroHash))
        .to.be.revertedWithCustomError(ledger, "RecordIsWithdrawn")
        .withArgs(fp(1));
      for (const relation of [Relation.DERIVED_FROM, Relation.REVISION_OF]) {
        await expect(
          ledger.connect(agency).register(registration(fp(3), { parents: [{ fingerprint: fp(1), relation }] })),
        )
          .to.be.revertedWithCustomError(ledger, "RecordIsWithdrawn")
          .withArgs(fp(1));
      }
    });
  });

  describe("batch anchoring", () => {
    const leaves = Array.from({ length: 100 }, (_, i) => hashOf(`leaf${i}`));
    const tree = StandardMerkleTree.of(
      leaves.map((l) => [l]),
      ["bytes32"],
    );

    it("anchors a StandardMerkleTree root and verifies inclusion proofs against it", async () => {
      const { ledger, agency, orgIds } = ctx;
      const meta = hashOf("manifest");
      const [headBefore, sequenceBefore] = await ledger.ledgerHead();
      const tx = await ledger.connect(agency).anchorBatch(tree.root, leaves.length, meta, "ipfs://manifest");
      const receipt = (await tx.wait())!;
      const now = await blockTime();
      const entry = recordEntry(
        zeroHash,
        Action.BATCH_ANCHORED,
        agency.address as Hex,
        now,
        payload(
          ["bytes32", "uint32", "address", "uint64", "bytes32", "string"],
          [tree.root, orgIds.agency, agency.address, leaves.length, meta, "ipfs://manifest"],
        ),
      );
      await expect(tx)
        .to.emit(ledger, "BatchAnchored")
        .withArgs(tree.root, orgIds.agency, agency.address, leaves.length, meta, "ipfs://manifest", [
          entry,
          1n,
          sequenceBefore + 1n,
          ledgerEntry(headBefore as Hex, sequenceBefore + 1n, tree.root as Hex, entry),
        ]);
      const batch = await ledger.getBatch(tree.root);
      expect([batch.org, batch.registrant, batch.leafCount, batch.metadataHash]).to.deep.equal([
        orgIds.agency,
        agency.address,
        100n,
        meta,
      ]);
      expect([batch.anchoredAt, batch.anchoredBlock]).to.deep.equal([now, BigInt(receipt.blockNumber)]);
      for (const [i, [leaf]] of tree.entries()) {
        if (i % 7 !== 0) continue;
        expect(await ledger.verifyBatchInclusion(tree.root, leaf, tree.getProof(i))).to.equal(true);
      }
      expect(await ledger.verifyBatchInclusion(tree.root, hashOf("not a leaf"), tree.getProof(0))).to.equal(false);
      expect(await ledger.verifyBatchInclusion(tree.root, leaves[1], tree.getProof(0))).to.equal(false);
    });

    it("verifies a one-leaf batch (empty proof)", async () => {
      const { ledger, agency } = ctx;
      const single = StandardMerkleTree.of([[leaves[0]]], ["bytes32"]);
      await ledger.connect(agency).anchorBatch(single.root, 1, zeroHash, "");
      expect(await ledger.verifyBatchInclusion(single.root, leaves[0], [])).to.equal(true);
    });

    it("refuses empty, repeated and unknown batches", async () => {
      const { ledger, agency, orgIds } = ctx;
      const l = ledger.connect(agency);
      await expect(l.anchorBatch(zeroHash, 5, zeroHash, ""))
        .to.be.revertedWithCustomError(ledger, "EmptyBatch")
        .withArgs(zeroHash, 5);
      await expect(l.anchorBatch(tree.root, 0, zeroHash, ""))
        .to.be.revertedWithCustomError(ledger, "EmptyBatch")
        .withArgs(tree.root, 0);
      await expect(l.anchorBatch(tree.root, 1, zeroHash, "u".repeat(257)))
        .to.be.revertedWithCustomError(ledger, "MetadataURITooLong")
        .withArgs(257, 256);
      await l.anchorBatch(tree.root, 100, zeroHash, "");
      const anchoredAt = await blockTime();
      await expect(ledger.connect(ctx.foreignAgency).anchorBatch(tree.root, 100, zeroHash, ""))
        .to.be.revertedWithCustomError(ledger, "BatchAlreadyAnchored")
        .withArgs(tree.root, orgIds.agency, anchoredAt);
      await expect(ledger.getBatch(hashOf("nope")))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(hashOf("nope"));
      await expect(ledger.verifyBatchInclusion(hashOf("nope"), leaves[0], []))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(hashOf("nope"));
    });
  });

  describe("signed submissions", () => {
    it("registers on behalf of the signer, relayed by anyone, naming the signer as registrant", async () => {
      const { ledger, agency, outsider, orgIds } = ctx;
      const reg = registration(fp(1));
      const envelope = await signRegistration(ledger, agency, reg);
      await expect(ledger.connect(outsider).registerBySig(reg, envelope))
        .to.emit(ledger, "RecordRegistered")
        .withArgs(fp(1), orgIds.agency, agency.address, anyValue, anyValue, anyValue, anyValue, [], [], anyValue);
      expect((await ledger.getRecord(fp(1))).registrant).to.equal(agency.address);
      expect(await ledger.nonces(agency.address)).to.equal(1n);
    });

    it("signs lineage too: a relayer cannot change the parents", async () => {
      const { ledger, agency, outsider } = ctx;
      await ledger.connect(agency).register(registration(fp("p")));
      const reg = registration(fp(1), { parents: [{ fingerprint: fp("p"), relation: Relation.REVISION_OF }] });
      const envelope = await signRegistration(ledger, agency, reg);
      await expect(
        ledger
          .connect(outsider)
          .registerBySig({ ...reg, parents: [{ fingerprint: fp("p"), relation: Relation.DERIVED_FROM }] }, envelope),
      )
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
      await ledger.connect(outsider).registerBySig(reg, envelope);
      expect(await ledger.latestVersion(fp("p"))).to.deep.equal([fp(1), false]);
    });

    it("refuses a replay, an expired deadline, another chain's signature and a tampered submission", async () => {
      const { ledger, agency, outsider } = ctx;
      const reg = registration(fp(1));
      const envelope = await signRegistration(ledger, agency, reg);
      await ledger.connect(outsider).registerBySig(reg, envelope);
      // Replay (also of a different registration signed with the used nonce).
      await expect(ledger.connect(outsider).registerBySig(reg, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidAccountNonce")
        .withArgs(agency.address, 1n);

      const reg2 = registration(fp(2));
      const now = await blockTime();
      const expired = await signRegistration(ledger, agency, reg2, { deadline: now });
      await time.increase(1);
      await expect(ledger.connect(outsider).registerBySig(reg2, expired))
        .to.be.revertedWithCustomError(ledger, "SignatureExpired")
        .withArgs(now, now + 2n);

      const otherChain = await signRegistration(ledger, agency, reg2, { chainId: 1n });
      await expect(ledger.connect(outsider).registerBySig(reg2, otherChain))
        .to.be.revertedWithCustomError(ledger, "SignatureForOtherChain")
        .withArgs(1n, 31337n);
      // Relabelling another chain's signature as this chain's does not help: the digest differs.
      await expect(ledger.connect(outsider).registerBySig(reg2, { ...otherChain, chainId: 31337n }))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);

      const good = await signRegistration(ledger, agency, reg2);
      await expect(ledger.connect(outsider).registerBySig({ ...reg2, dataClass: DataClass.PUBLIC }, good))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
      // Signed by another contract (or a copy at another address): refused.
      const otherDomain = await signRegistration(ledger, agency, reg2, {
        domain: { verifyingContract: await ctx.registry.getAddress() },
      });
      await expect(ledger.connect(outsider).registerBySig(reg2, otherDomain))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
      // Someone else's key claiming to be the registrar.
      const forged = await signRegistration(ledger, outsider, reg2, { signerAddress: agency.address });
      await expect(ledger.connect(outsider).registerBySig(reg2, forged))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
      await ledger.connect(outsider).registerBySig(reg2, good);
    });

    it("refuses signers outside an active registrar organisation", async () => {
      const { ledger, outsider, trader, suspended, orgIds } = ctx;
      const reg = registration(fp(1));
      await expect(ledger.registerBySig(reg, await signRegistration(ledger, outsider, reg)))
        .to.be.revertedWithCustomError(ledger, "AccountNotMember")
        .withArgs(outsider.address);
      await expect(ledger.registerBySig(reg, await signRegistration(ledger, suspended, reg)))
        .to.be.revertedWithCustomError(ledger, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
      await expect(ledger.registerBySig(reg, await signRegistration(ledger, trader, reg)))
        .to.be.revertedWithCustomError(ledger, "OrganizationLacksRole")
        .withArgs(orgIds.trader, 1);
    });

    it("accepts an ERC-1271 contract wallet (an organisation's multisig) as signer", async () => {
      const { ledger, registry, governance, outsider, trader } = ctx;
      // The wallet accepts signatures by `trader`'s key; the wallet itself is the registrar's operator.
      const wallet = await ethers.deployContract("MockERC1271Wallet", [trader.address]);
      const walletAddress = await wallet.getAddress();
      await registry.connect(governance).addOperator(1, walletAddress);
      const reg = registration(fp(1));
      const envelope = await signRegistration(ledger, trader, reg, { signerAddress: walletAddress });
      await ledger.connect(outsider).registerBySig(reg, envelope);
      expect((await ledger.getRecord(fp(1))).registrant).to.equal(walletAddress);
      expect(await ledger.nonces(walletAddress)).to.equal(1n);
      // A key the wallet does not accept.
      const reg2 = registration(fp(2));
      const rejected = await signRegistration(ledger, outsider, reg2, { signerAddress: walletAddress });
      await expect(ledger.registerBySig(reg2, rejected))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(walletAddress);
    });

    it("anchors a batch on behalf of the signer with the same protections", async () => {
      const { ledger, agency, outsider, orgIds } = ctx;
      const batch = { root: hashOf("root"), leafCount: 10_000n, metadataHash: hashOf("m"), metadataURI: "ipfs://m" };
      const envelope = await signBatch(ledger, agency, batch);
      const args = [batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI] as const;
      await expect(ledger.connect(outsider).anchorBatchBySig(...args, { ...envelope, nonce: 5n }))
        .to.be.revertedWithCustomError(ledger, "InvalidAccountNonce")
        .withArgs(agency.address, 0n);
      await expect(
        ledger.connect(outsider).anchorBatchBySig(batch.root, 9_999n, batch.metadataHash, "ipfs://m", envelope),
      )
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
      await expect(ledger.connect(outsider).anchorBatchBySig(...args, envelope))
        .to.emit(ledger, "BatchAnchored")
        .withArgs(batch.root, orgIds.agency, agency.address, 10_000n, batch.metadataHash, "ipfs://m", anyValue);
      await expect(ledger.connect(outsider).anchorBatchBySig(...args, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidAccountNonce")
        .withArgs(agency.address, 1n);
      const expired = await signBatch(ledger, agency, { ...batch, root: hashOf("r2") }, { deadline: 1n });
      await expect(ledger.anchorBatchBySig(hashOf("r2"), 10_000n, batch.metadataHash, "ipfs://m", expired))
        .to.be.revertedWithCustomError(ledger, "SignatureExpired")
        .withArgs(1n, anyValue);
      const otherChain = await signBatch(ledger, agency, { ...batch, root: hashOf("r2") }, { chainId: 5n });
      await expect(ledger.anchorBatchBySig(hashOf("r2"), 10_000n, batch.metadataHash, "ipfs://m", otherChain))
        .to.be.revertedWithCustomError(ledger, "SignatureForOtherChain")
        .withArgs(5n, 31337n);
      expect((await ledger.getBatch(batch.root)).registrant).to.equal(agency.address);
    });

    it("binds the signer's organisation: a signature made for org S fails once the key has moved to org A", async () => {
      const { ledger, registry, agency, agencyKey2, foreignAgency, outsider, orgIds } = ctx;
      const reg = registration(fp("moved"));
      const batch = { root: hashOf("moved root"), leafCount: 4n, metadataHash: hashOf("m"), metadataURI: "" };
      // Signed for the agency (S) while the key operates for it.
      const forS = await signRegistration(ledger, agencyKey2, reg);
      const batchForS = await signBatch(ledger, agencyKey2, batch);
      await registry.connect(agency).removeOperator(orgIds.agency, agencyKey2.address);
      await registry.connect(foreignAgency).addOperator(orgIds.foreignAgency, agencyKey2.address);
      await expect(ledger.connect(outsider).registerBySig(reg, forS))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agencyKey2.address);
      await expect(
        ledger
          .connect(outsider)
          .anchorBatchBySig(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, batchForS),
      )
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agencyKey2.address);
      // The same key, signing for its new organisation (A), registers for A.
      const forA = await signRegistration(ledger, agencyKey2, reg);
      await expect(ledger.connect(outsider).registerBySig(reg, forA))
        .to.emit(ledger, "RecordRegistered")
        .withArgs(
          fp("moved"),
          orgIds.foreignAgency,
          agencyKey2.address,
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          [],
          [],
          anyValue,
        );
    });

    it("publishes its EIP-712 domain", async () => {
      const { ledger } = ctx;
      const domain = {
        name: "Provledger",
        version: "1",
        chainId: 31337n,
        verifyingContract: await ledger.getAddress(),
      };
      expect(await ledger.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      const published = await ledger.eip712Domain();
      expect([published.name, published.version, published.chainId, published.verifyingContract]).to.deep.equal([
        domain.name,
        domain.version,
        domain.chainId,
        domain.verifyingContract,
      ]);
    });
  });

  describe("views of what does not exist", () => {
    it("reverts record and parent views for an unknown fingerprint and reports an empty trail", async () => {
      const { ledger } = ctx;
      for (const view of [ledger.getRecord, ledger.getParents, ledger.latestVersion]) {
        await expect(view(fp("none")))
          .to.be.revertedWithCustomError(ledger, "UnknownRecord")
          .withArgs(fp("none"));
      }
      expect(await ledger.exists(fp("none"))).to.equal(false);
      expect(await ledger.trailHead(fp("none"))).to.deep.equal([zeroHash, 0n]);
      const fresh = await ethers.deployContract("ProvenanceLedger", [await ctx.registry.getAddress()]);
      expect(await fresh.ledgerHead()).to.deep.equal([zeroHash, 0n]);
    });
  });
});
