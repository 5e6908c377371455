import { expect } from "chai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getAddress } from "viem";
import { DataClass, formatBlockTime, parseEnvelope, serializeEnvelope, signRegistration } from "../../../src/sdk";
import { CHAIN_ID, blockTime, h, publicClient, revert, world } from "./world";

describe("SDK client: signed submissions", () => {
  it("relays a registration signed by a key that never leaves its owner; the signer is the registrant", async () => {
    const { agency, outsider, accounts, org } = await world();
    const key = privateKeyToAccount(generatePrivateKey());
    await agency.addOperator({ orgId: org.agency, account: key.address });
    const registration = {
      fingerprint: h("signed-registration"),
      dataClass: DataClass.PUBLIC,
      metadataHash: h("signed-metadata"),
      metadataURI: "ipfs://signed",
    };
    const envelope = await agency.signRegistration({ registration, account: key });
    expect(envelope.signer).to.equal(key.address);
    expect(envelope.chainId).to.equal(BigInt(CHAIN_ID));
    expect(envelope.nonce).to.equal(0n);
    expect(envelope.deadline).to.equal(BigInt(await blockTime()) + 3600n);

    // The envelope travels as JSON to the relayer, an account of no organisation.
    const relayed = await outsider.registerBySig({
      registration,
      envelope: parseEnvelope(serializeEnvelope(envelope)),
    });
    expect(relayed.event.args.registrant).to.equal(key.address);
    expect(relayed.event.args.ownerOrg).to.equal(org.agency);
    const transaction = await publicClient.getTransaction({ hash: relayed.transactionHash });
    expect(getAddress(transaction.from)).to.equal(accounts.outsider);
    expect((await agency.getRecord({ fingerprint: registration.fingerprint })).registrant).to.equal(key.address);
    expect(await agency.nonces({ signer: key.address })).to.equal(1n);

    const replay = await revert(outsider.registerBySig({ registration, envelope }), "InvalidAccountNonce");
    expect(replay.message).to.equal(
      `this signature of ${key.address} was made for another nonce than its next one, 1: it was already relayed ` +
        "(a replay), or signed out of order; to submit again, have the signer sign with nonce 1",
    );
  });

  it("refuses expired, foreign-chain and tampered signatures with their own errors", async () => {
    const { agency, outsider, addresses, org } = await world();
    const key = privateKeyToAccount(generatePrivateKey());
    await agency.addOperator({ orgId: org.agency, account: key.address });
    const registration = { fingerprint: h("late"), dataClass: DataClass.PUBLIC };

    const deadline = BigInt(await blockTime()) - 1n;
    const expired = await agency.signRegistration({ registration, account: key, deadline });
    const error = await revert(outsider.registerBySig({ registration, envelope: expired }), "SignatureExpired");
    expect(error.params.deadline).to.equal(deadline);
    expect(error.message).to.equal(
      `the signature expired at ${formatBlockTime(deadline)} (its deadline) and the block time is ` +
        `${formatBlockTime(error.params.time)}: have the signer sign again with a later deadline`,
    );
    expect(error.message).to.match(/expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);

    const otherChain = await signRegistration({
      account: key,
      ledger: addresses.ledger,
      chainId: 1,
      org: org.agency,
      nonce: 0,
      deadline: new Date(Date.now() + 3_600_000 * 24 * 365),
      registration,
    });
    const chain = await revert(
      outsider.registerBySig({ registration, envelope: otherChain }),
      "SignatureForOtherChain",
    );
    expect(chain.message).to.equal(
      "the signature was made for chain 1, but this is chain 31337: have the signer sign again for chain 31337",
    );

    const valid = await agency.signRegistration({ registration, account: key });
    const tampered = await revert(
      outsider.registerBySig({ registration: { ...registration, dataClass: DataClass.CORE }, envelope: valid }),
      "InvalidSignature",
    );
    expect(tampered.message).to.include(`the signature is not ${key.address}'s signature over this submission`);
  });

  it("signs and relays a batch anchor", async () => {
    const { agency, outsider, org } = await world();
    const key = privateKeyToAccount(generatePrivateKey());
    await agency.addOperator({ orgId: org.agency, account: key.address });
    const batch = {
      root: h("signed-root"),
      leafCount: 10_000n,
      metadataHash: h("manifest"),
      metadataURI: "ipfs://m",
    };
    const envelope = await agency.signBatch({ batch, account: key, validFor: 600 });
    const relayed = await outsider.anchorBatchBySig({ batch, envelope });
    expect(relayed.event.args).to.include({ root: h("signed-root"), registrant: key.address, leafCount: 10_000n });
    expect((await agency.getBatch({ root: h("signed-root") })).registrant).to.equal(key.address);
  });
});
