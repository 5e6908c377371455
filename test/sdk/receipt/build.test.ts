import { expect } from "chai";
import hre from "hardhat";
import { decodeEventLog, getAddress, hashTypedData, type Hex } from "viem";
import {
  Action,
  DataClass,
  ProvledgerError,
  RECEIPT_VERSION,
  ReceiptBuildError,
  Relation,
  Scope,
  buildRegistrationReceipt,
  domainSeparator,
  parseReceipt,
  payloadHashOf,
  provenanceLedgerAbi,
  receiptProblems,
  registerTypes,
  stringifyReceipt,
  submissionDigest,
  verifyReceiptOffline,
  type DecodedEvent,
} from "../../../src/sdk";
import { hashOf, registration } from "../../helpers/fixtures";
import { signRegistration } from "../../helpers/signing";
import { expectBuildError, lower, setup } from "./deployment";

describe("SDK provenance receipts: registrations", () => {
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
          org: 1,
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

    it("takes the previous ledger head from a governance entry of the registry in the same block", async () => {
      const { ledger, registry, agency, client, ledgerAddress } = await setup();
      const f = hashOf("receipt:after-governance");
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        // The registry chains membership changes into the same sequence: here an operator key rotation.
        const added = await registry.connect(agency).addOperator(1, hre.ethers.Wallet.createRandom().address, {
          gasLimit: 500_000,
        });
        const registered = await ledger.connect(agency).register(registration(f), { gasLimit: 500_000 });
        await hre.network.provider.send("evm_mine", []);
        const addedMined = (await added.wait())!;
        expect((await registered.wait())!.blockNumber).to.equal(addedMined.blockNumber);
        const receipt = await buildRegistrationReceipt(client, {
          ledger: ledgerAddress,
          transactionHash: registered.hash as Hex,
        });
        const operatorStamp = (await registry.queryFilter(registry.filters.OperatorAdded(1))).at(-1)!.args.stamp;
        expect(receipt.trail.previousLedgerHead).to.equal(operatorStamp.ledgerHead);
        expect(receipt.trail.stamp.ledgerSequence).to.equal(String(operatorStamp.ledgerSequence + 1n));
        expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("refuses transactions that registered nothing, or not the fingerprint asked for", async () => {
      const { ledger, rights, agency, client, ledgerAddress } = await setup();
      const f = hashOf("receipt:refused");
      const registered = await ledger.connect(agency).register(registration(f, { dataClass: DataClass.PUBLIC }));
      const grant = await rights.connect(agency).issueGrant(f, 2, Scope.USE, hashOf("p"), 0);
      await expectBuildError(
        buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: grant.hash as Hex }),
        "EventNotFound",
        /logged no RecordRegistered event/,
      );
      await expectBuildError(
        buildRegistrationReceipt(client, {
          ledger: ledgerAddress,
          transactionHash: registered.hash as Hex,
          fingerprint: hashOf("other") as Hex,
        }),
        "EventNotFound",
        /no RecordRegistered event .* for 0x/,
      );
      await expectBuildError(
        buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: hashOf("no such tx") as Hex }),
        "TransactionNotFound",
        /transaction 0x[0-9a-f]{64} not found/,
      );
      // Under the SDK's error root: the cause, then the fix; not retryable (the node answered).
      const error = (await buildRegistrationReceipt(client, {
        ledger: ledgerAddress,
        transactionHash: grant.hash as Hex,
      }).catch((e: unknown) => e)) as ReceiptBuildError;
      expect(error).to.be.instanceOf(ProvledgerError);
      expect(error).to.include({ name: "ReceiptBuildError", code: "EventNotFound", retryable: false });
      expect(error.docsPath).to.equal("docs/errors.md#receiptbuilderror");
      expect(error.details).to.equal(
        "pass the transaction that registered the record, and the ledger it registered it on",
      );
    });
  });
});
