import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import {
  createPublicClient,
  custom,
  decodeEventLog,
  getAddress,
  hashTypedData,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { hardhatChain as hardhat } from "../helpers/viem";
import { deployProvledger } from "../../scripts/deploy";
import { provenanceLedgerAbi } from "../../src/sdk/abi";
import { Action, DataClass, Relation, Role, Scope } from "../../src/sdk/constants/codes";
import {
  RECEIPT_VERSION,
  ReceiptBuildError,
  ReceiptFormatError,
  batchPayloadHash,
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  parseReceipt,
  receiptProblems,
  registrationPayloadHash,
  stringifyReceipt,
  type ProvenanceReceipt,
  type RegistrationReceipt,
} from "../../src/sdk/receipt";
import { payloadHashOf, ZERO_HASH, type DecodedEvent } from "../../src/sdk/trail";
import { domainSeparator, submissionDigest, verifyReceiptOffline } from "../../src/sdk/verify";
import { registerTypes } from "../../src/sdk/signing";
import { hashOf, jurisdiction, registration } from "../helpers/fixtures";
import { signBatch, signRegistration } from "../helpers/signing";

/** The three contracts from scripts/deploy.ts, a CN-GD and a HK registrar that also trade, and a relayer. */
async function deployed() {
  const { registry, ledger, rights } = await deployProvledger(0);
  const [, agency, foreignAgency, relayer] = await hre.ethers.getSigners();
  await registry.registerOrganization(
    "Open Data Bureau",
    hashOf("odb"),
    jurisdiction("CN-GD"),
    Role.REGISTRAR | Role.TRADER,
    [agency.address],
  );
  await registry.registerOrganization("HK Statistics", hashOf("hks"), jurisdiction("HK"), Role.REGISTRAR, [
    foreignAgency.address,
  ]);
  const client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
  return {
    registry,
    ledger,
    rights,
    agency,
    foreignAgency,
    relayer,
    client,
    ledgerAddress: (await ledger.getAddress()) as Address,
    rightsAddress: (await rights.getAddress()) as Address,
  };
}

function setup() {
  return loadFixture(deployed);
}

const lower = (value: string): string => value.toLowerCase();

describe("SDK provenance receipts", () => {
  describe("buildRegistrationReceipt", () => {
    it("holds the event's fields, its place on chain and its trail position", async () => {
      const { ledger, rights, agency, foreignAgency, client, ledgerAddress, rightsAddress } = await setup();
      const a = hashOf("receipt:a");
      const c = hashOf("receipt:c");
      await ledger.connect(agency).register(registration(a, { dataClass: DataClass.PUBLIC }));
      await rights.connect(agency).issueGrant(a, 2, Scope.DERIVE, hashOf("purpose"), 0);
      const before = await ledger.ledgerHead();
      const tx = await ledger.connect(foreignAgency).register(
        registration(c, {
          metadataURI: "ipfs://bafy-ünïcødé-✓",
          parents: [{ fingerprint: a, relation: Relation.DERIVED_FROM }],
        }),
      );
      const mined = (await tx.wait())!;

      const receipt = await buildRegistrationReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
      });
      const stored = await ledger.getRecord(c);
      const block = (await hre.ethers.provider.getBlock(mined.blockNumber))!;
      expect(receipt).to.deep.equal({
        version: RECEIPT_VERSION,
        kind: "registration",
        chainId: "31337",
        ledger: lower(ledgerAddress),
        rights: lower(rightsAddress),
        fingerprint: c,
        record: {
          ownerOrg: 2,
          registrant: lower(foreignAgency.address),
          scheme: Number(stored.scheme),
          dataClass: Number(stored.dataClass),
          metadataHash: stored.metadataHash,
          metadataURI: "ipfs://bafy-ünïcødé-✓",
          parents: [{ fingerprint: a, relation: Relation.DERIVED_FROM, grantId: "1" }],
          registeredAt: String(block.timestamp),
          registeredBlock: String(mined.blockNumber),
        },
        transaction: {
          hash: tx.hash,
          blockNumber: String(mined.blockNumber),
          blockHash: mined.blockHash,
          logIndex: mined.logs.find((log) => lower(log.address) === lower(ledgerAddress))!.index,
        },
        trail: {
          entry: {
            action: Action.REGISTERED,
            actor: lower(foreignAgency.address),
            time: String(block.timestamp),
            payloadHash: receipt.trail.entry.payloadHash,
          },
          stamp: {
            recordHead: stored.trailHead,
            recordLength: "1",
            ledgerSequence: String(before.sequence + 1n),
            ledgerHead: (await ledger.ledgerHead()).head,
          },
          previousLedgerHead: before.head,
        },
        submission: null,
      });

      // The payload hash is the generic rule of trail.ts applied to the decoded event.
      const log = mined.logs.find((l) => lower(l.address) === lower(ledgerAddress))!;
      const event = decodeEventLog({ abi: provenanceLedgerAbi, data: log.data as Hex, topics: log.topics as [Hex] });
      expect(receipt.trail.entry.payloadHash).to.equal(payloadHashOf(event as unknown as DecodedEvent));

      expect(receiptProblems(receipt)).to.deep.equal([]);
      expect(parseReceipt(stringifyReceipt(receipt))).to.deep.equal(receipt);
      expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
    });

    it("reads the EIP-712 envelope of a relayed registerBySig from the calldata", async () => {
      const { ledger, agency, relayer, client, ledgerAddress } = await setup();
      const f = hashOf("receipt:signed");
      const reg = registration(f, { parents: [] });
      const envelope = await signRegistration(ledger, agency, reg);
      const tx = await ledger.connect(relayer).registerBySig(reg, envelope);

      const receipt = await buildRegistrationReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
      });
      expect(receipt.submission).to.deep.equal({
        signer: lower(agency.address),
        chainId: "31337",
        nonce: "0",
        deadline: envelope.deadline.toString(),
        signature: lower(envelope.signature),
      });
      expect(receipt.record.registrant).to.equal(lower(agency.address));

      // The digest the verifier recomputes by hand is viem's EIP-712 hash with the README's types, and the domain
      // separator is the ledger's own.
      expect(domainSeparator(31337n, ledgerAddress)).to.equal(await ledger.DOMAIN_SEPARATOR());
      const viemDigest = hashTypedData({
        domain: { name: "Provledger", version: "1", chainId: 31337, verifyingContract: ledgerAddress },
        types: registerTypes,
        primaryType: "Register",
        message: {
          signer: getAddress(agency.address),
          fingerprint: f as Hex,
          scheme: Number(reg.scheme),
          dataClass: Number(reg.dataClass),
          metadataHash: reg.metadataHash as Hex,
          metadataURI: String(reg.metadataURI),
          parents: [],
          chainId: 31337n,
          nonce: 0n,
          deadline: envelope.deadline,
        },
      });
      expect(submissionDigest(receipt)).to.equal(viemDigest);
      const verdict = await verifyReceiptOffline(receipt);
      expect(verdict.checks.find((c) => c.name === "signature")).to.include({ ok: true });
    });

    it("takes the previous ledger head from an earlier entry of the same block, even a rights module's", async () => {
      const { ledger, rights, agency, client, ledgerAddress } = await setup();
      const x = hashOf("receipt:same-block:x");
      const y = hashOf("receipt:same-block:y");
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        await ledger.connect(agency).register(registration(x, { dataClass: DataClass.PUBLIC }), { gasLimit: 500_000 });
        const grant = await rights.connect(agency).issueGrant(x, 2, Scope.USE, hashOf("p"), 0, { gasLimit: 500_000 });
        const second = await ledger.connect(agency).register(registration(y), { gasLimit: 500_000 });
        await hre.network.provider.send("evm_mine", []);
        const grantMined = (await grant.wait())!;
        const secondMined = (await second.wait())!;
        expect(secondMined.blockNumber).to.equal(grantMined.blockNumber);

        const receipt = await buildRegistrationReceipt(client, {
          ledger: ledgerAddress,
          transactionHash: second.hash as Hex,
        });
        const [head, sequence] = await ledger.ledgerHead();
        // Three entries in one block: the receipt's entry is the last, its predecessor the grant.
        expect(receipt.trail.stamp.ledgerSequence).to.equal(String(sequence));
        expect(receipt.trail.stamp.ledgerHead).to.equal(head);
        const grantStamp = (await rights.queryFilter(rights.filters.GrantIssued(x)))[0].args.stamp;
        expect(receipt.trail.previousLedgerHead).to.equal(grantStamp.ledgerHead);
        expect(receipt.trail.stamp.ledgerSequence).to.equal(String(grantStamp.ledgerSequence + 1n));
        expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("uses the zero head before the ledger's first entry", async () => {
      const { ledger, agency, client, ledgerAddress } = await setup();
      const tx = await ledger.connect(agency).register(registration(hashOf("receipt:first")));
      const receipt = await buildRegistrationReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
      });
      expect(receipt.trail.stamp.ledgerSequence).to.equal("1");
      expect(receipt.trail.previousLedgerHead).to.equal(ZERO_HASH);
      expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
    });

    it("refuses transactions that registered nothing, or not the fingerprint asked for", async () => {
      const { ledger, rights, agency, client, ledgerAddress } = await setup();
      const f = hashOf("receipt:refused");
      const registered = await ledger.connect(agency).register(registration(f, { dataClass: DataClass.PUBLIC }));
      const grant = await rights.connect(agency).issueGrant(f, 2, Scope.USE, hashOf("p"), 0);
      await expectBuildError(
        buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: grant.hash as Hex }),
        /logged no RecordRegistered event/,
      );
      await expectBuildError(
        buildRegistrationReceipt(client, {
          ledger: ledgerAddress,
          transactionHash: registered.hash as Hex,
          fingerprint: hashOf("other") as Hex,
        }),
        /no RecordRegistered event .* for 0x/,
      );
      await expectBuildError(
        buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: hashOf("no such tx") as Hex }),
        /transaction 0x[0-9a-f]{64} not found/,
      );
    });
  });

  describe("buildBatchMemberReceipt", () => {
    it("writes down a member's proof, the anchor and the signed envelope of anchorBatchBySig", async () => {
      const { ledger, agency, relayer, client, ledgerAddress } = await setup();
      const fingerprints = Array.from({ length: 50 }, (_, i) => hashOf(`receipt:batch:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const batch = { root: tree.root, leafCount: 50n, metadataHash: hashOf("manifest"), metadataURI: "ipfs://m" };
      const envelope = await signBatch(ledger, agency, batch);
      const tx = await ledger
        .connect(relayer)
        .anchorBatchBySig(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, envelope);
      const mined = (await tx.wait())!;

      const receipt = await buildBatchMemberReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
        fingerprint: fingerprints[7] as Hex,
        proof: tree.getProof(7) as Hex[],
      });
      const block = (await hre.ethers.provider.getBlock(mined.blockNumber))!;
      expect(receipt.kind).to.equal("batch-member");
      expect(receipt.fingerprint).to.equal(fingerprints[7]);
      // Exactly these fields: no position in the batch, which the sorted-pair proof does not commit to.
      expect(receipt.batch).to.deep.equal({
        root: tree.root,
        org: 1,
        registrant: lower(agency.address),
        leafCount: "50",
        metadataHash: batch.metadataHash,
        metadataURI: "ipfs://m",
        anchoredAt: String(block.timestamp),
        anchoredBlock: String(mined.blockNumber),
        proof: tree.getProof(7),
      });
      expect(receipt.trail.entry).to.deep.include({ action: Action.BATCH_ANCHORED, actor: lower(agency.address) });
      expect(receipt.trail.stamp.recordLength).to.equal("1");
      expect(receipt.submission).to.deep.include({
        signer: lower(agency.address),
        signature: lower(envelope.signature),
      });
      const verdict = await verifyReceiptOffline(receipt);
      expect(verdict.valid, verdict.summary).to.equal(true);
      // The format has no place for a position either: a receipt that claims one is malformed.
      expect(() => parseReceipt({ ...receipt, batch: { ...receipt.batch, leafIndex: 7 } })).to.throw(
        ReceiptFormatError,
        '/batch: unknown field "leafIndex"',
      );
    });

    it("refuses a proof that leads to no root the transaction anchored", async () => {
      const { ledger, agency, client, ledgerAddress } = await setup();
      const fingerprints = Array.from({ length: 8 }, (_, i) => hashOf(`receipt:small:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const tx = await ledger.connect(agency).anchorBatch(tree.root, 8, hashOf("m"), "");
      const request = {
        ledger: ledgerAddress,
        transactionHash: tx.hash as Hex,
        fingerprint: fingerprints[3] as Hex,
        proof: tree.getProof(3) as Hex[],
      };
      expect((await buildBatchMemberReceipt(client, request)).batch.root).to.equal(tree.root);
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, fingerprint: hashOf("not a member") as Hex }),
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, proof: request.proof.slice(0, -1) }),
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
      await expectBuildError(
        buildBatchMemberReceipt(client, { ...request, fingerprint: fingerprints[4] as Hex }),
        /which transaction 0x[0-9a-f]+ did not anchor/,
      );
    });
  });

  describe("payload hashes", () => {
    const hex32 = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((b) => `0x${Buffer.from(b).toString("hex")}` as Hex);
    const address = fc
      .uint8Array({ minLength: 20, maxLength: 20 })
      .map((b) => `0x${Buffer.from(b).toString("hex")}` as Address);
    const uri = fc.string({ unit: "binary", maxLength: 80 });

    it("the hand-rolled RecordRegistered encoding equals viem's abi.encode (trail.ts payloadHashOf)", () => {
      fc.assert(
        fc.property(
          hex32,
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          address,
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 255 }),
          hex32,
          uri,
          fc.array(fc.tuple(hex32, fc.integer({ min: 0, max: 255 }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })), {
            maxLength: 16,
          }),
          (fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI, links) => {
            const parents = links.map(([f, relation, grantId]) => ({
              fingerprint: f,
              relation,
              grantId: String(grantId),
            }));
            const expected = payloadHashOf({
              eventName: "RecordRegistered",
              args: {
                fingerprint,
                ownerOrg,
                registrant,
                scheme,
                dataClass,
                metadataHash,
                metadataURI,
                parents: links.map(([f, relation]) => ({ fingerprint: f, relation })),
                derivationGrants: links.map(([, , grantId]) => grantId),
              },
            });
            const fields = { fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI, parents };
            expect(registrationPayloadHash(fields)).to.equal(expected);
          },
        ),
        { numRuns: 300 },
      );
    });

    it("the hand-rolled BatchAnchored encoding equals viem's abi.encode", () => {
      fc.assert(
        fc.property(
          hex32,
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          address,
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          hex32,
          uri,
          (root, org, registrant, leafCount, metadataHash, metadataURI) => {
            const expected = payloadHashOf({
              eventName: "BatchAnchored",
              args: { root, org, registrant, leafCount, metadataHash, metadataURI },
            });
            const fields = { root, org, registrant, leafCount: String(leafCount), metadataHash, metadataURI };
            expect(batchPayloadHash(fields)).to.equal(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe("parseReceipt", () => {
    let sample: RegistrationReceipt;

    before(async () => {
      const { ledger, agency, client, ledgerAddress } = await setup();
      const tx = await ledger.connect(agency).register(
        registration(hashOf("receipt:parse"), {
          parents: [],
        }),
      );
      sample = await buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: tx.hash as Hex });
    });

    function edited(edit: (receipt: Record<string, unknown> & RegistrationReceipt) => void): unknown {
      const copy = structuredClone(sample) as Record<string, unknown> & RegistrationReceipt;
      edit(copy);
      return copy;
    }

    function problemsOf(value: unknown): string[] {
      try {
        parseReceipt(value);
      } catch (error) {
        expect(error).to.be.instanceOf(ReceiptFormatError);
        const formatError = error as ReceiptFormatError;
        expect(formatError.name).to.equal("ReceiptFormatError");
        expect(formatError.message).to.contain(formatError.problems[0]);
        return [...formatError.problems];
      }
      expect.fail("parseReceipt accepted a malformed receipt");
    }

    it("refuses a metadata URI with a lone surrogate, which UTF-8 encoders would silently turn into U+FFFD", () => {
      const problems = problemsOf(
        edited((r) => {
          r.record.metadataURI = "ipfs://\uD800";
        }),
      );
      expect(problems).to.deep.equal(["/record/metadataURI: contains a lone UTF-16 surrogate (not valid Unicode)"]);
      expect(() => parseReceipt(edited((r) => (r.record.metadataURI = "ipfs://\uFFFD")))).to.not.throw();
    });

    it("reads back what stringifyReceipt wrote, from text or from a value (copied)", () => {
      const text = stringifyReceipt(sample);
      expect(parseReceipt(text)).to.deep.equal(sample);
      const copy = parseReceipt(sample);
      expect(copy).to.deep.equal(sample);
      expect(copy).to.not.equal(sample);
    });

    it("says what is wrong, one problem per line, all at once", () => {
      expect(problemsOf("{ not json")[0]).to.match(/^not JSON: /);
      expect(problemsOf(edited((r) => (r.version = 2 as 1)))).to.deep.equal([
        "/version: unsupported receipt version 2: this reader understands version 1",
      ]);
      expect(problemsOf(edited((r) => delete (r.trail as Partial<typeof r.trail>).stamp))).to.deep.equal([
        '/trail: missing field "stamp"',
      ]);
      expect(problemsOf(edited((r) => (r.extra = true)))).to.deep.equal(['receipt: unknown field "extra"']);
      expect(problemsOf(edited((r) => (r.fingerprint = r.fingerprint.toUpperCase() as Hex)))).to.have.members([
        `/fingerprint: must be 32 bytes of lowercase hex (0x and 64 digits 0-9a-f), got "${sample.fingerprint.toUpperCase()}"`,
      ]);
      expect(problemsOf(edited((r) => (r.chainId = 31337 as unknown as string)))).to.deep.equal([
        "/chainId: must be of type string, got 31337",
      ]);
      expect(problemsOf(edited((r) => (r.record.registrant = "0x1234" as Address)))[0]).to.match(
        /^\/record\/registrant: must be an address in lowercase hex/,
      );
      expect(problemsOf(edited((r) => (r.kind = "attestation" as "registration")))[0]).to.equal(
        '/kind: must be one of "registration", "batch-member", got "attestation"',
      );
      expect(problemsOf(edited((r) => (r.batch = {})))).to.deep.equal([
        "/batch: not allowed in a receipt of this kind",
      ]);
      expect(problemsOf(edited((r) => delete (r as Partial<typeof r>).record))).to.deep.equal([
        'receipt: missing field "record"',
      ]);
      expect(problemsOf(edited((r) => (r.record.registeredBlock = "18446744073709551616")))).to.deep.equal([
        "/record/registeredBlock: 18446744073709551616 does not fit in a uint64",
      ]);
      expect(problemsOf(edited((r) => (r.record.registeredAt = "007")))[0]).to.match(
        /^\/record\/registeredAt: must be a non-negative integer written as a decimal string/,
      );
      expect(problemsOf(edited((r) => (r.record.metadataURI = "é".repeat(200))))).to.deep.equal([
        "/record/metadataURI: 400 bytes, longer than the ledger accepts (256)",
      ]);
      expect(problemsOf(edited((r) => (r.submission = { signer: r.record.registrant } as never))))
        .to.include('/submission: missing field "signature"')
        .and.to.include('/submission: missing field "nonce"');

      const many = problemsOf(
        edited((r) => {
          r.chainId = "-1";
          r.transaction.logIndex = -1;
          r.trail.entry.action = 300;
        }),
      );
      expect(many).to.have.length(3);
      expect(many.join("\n"))
        .to.contain("/chainId")
        .and.contain("/transaction/logIndex")
        .and.contain("/trail/entry/action");
    });

    it("refuses values that are not receipts at all", () => {
      expect(problemsOf(null)).to.deep.equal(["receipt: must be of type object, got null"]);
      expect(problemsOf([])).to.deep.equal(["receipt: must be of type object, got []"]);
      expect(problemsOf({})).to.include('receipt: missing field "version"');
    });
  });
});

async function expectBuildError(promise: Promise<ProvenanceReceipt>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ReceiptBuildError);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a ReceiptBuildError matching ${message}`);
}
