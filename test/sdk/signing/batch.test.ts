import { expect } from "chai";
import { keccak256, recoverTypedDataAddress, stringToHex, zeroHash, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { InvalidInputError, anchorBatchBySigArgs, batchTypedData, signBatch, toBatch } from "../../../src/sdk";

const ledger = privateKeyToAccount(generatePrivateKey()).address;
const root = keccak256(stringToHex("provledger-signing-test:root"));

describe("SDK signing: batch anchors", () => {
  it("signs a batch anchor that recovers to its signer", async () => {
    const key = privateKeyToAccount(generatePrivateKey());
    const batch = { root, leafCount: 10_000, metadataURI: "ipfs://m" };
    const envelope = await signBatch({
      account: key,
      ledger,
      chainId: 31337,
      org: 2,
      nonce: 3,
      deadline: 1_900_000_000,
      batch,
    });
    expect(envelope).to.deep.include({ signer: key.address, chainId: 31337n, nonce: 3n, deadline: 1_900_000_000n });
    const typedData = batchTypedData({
      ledger,
      chainId: 31337,
      org: 2,
      nonce: 3,
      deadline: 1_900_000_000,
      signer: key.address,
      batch,
    });
    expect(typedData.message).to.deep.include({ org: 2, root, leafCount: 10_000n, metadataHash: zeroHash });
    expect(await recoverTypedDataAddress({ ...typedData, signature: envelope.signature })).to.equal(key.address);
    // A deadline may be a Date: its whole seconds.
    const dated = batchTypedData({
      ledger,
      chainId: 1,
      org: 2,
      nonce: 0,
      deadline: new Date(1_900_000_000_500),
      signer: key.address,
      batch,
    });
    expect(dated.message.deadline).to.equal(1_900_000_000n);
  });

  it("checks a batch and orders anchorBatchBySig's arguments", () => {
    expect(toBatch({ root, leafCount: 2 })).to.deep.equal({
      root,
      leafCount: 2n,
      metadataHash: zeroHash,
      metadataURI: "",
    });
    expect(() => toBatch({ root, leafCount: -1 })).to.throw(InvalidInputError, "leafCount must be a whole number");
    expect(() => toBatch({ root: "0x12" as Hex, leafCount: 1 })).to.throw(InvalidInputError, "root must be 32 bytes");
    const envelope = { signer: ledger, chainId: 1n, nonce: 0n, deadline: 2n, signature: "0xabcd" as Hex };
    expect(anchorBatchBySigArgs({ batch: { root, leafCount: 5, metadataURI: "u" }, envelope })).to.deep.equal([
      root,
      5n,
      zeroHash,
      "u",
      envelope,
    ]);
  });
});
