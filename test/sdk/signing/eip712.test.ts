import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, getAddress, hashDomain, type Address } from "viem";
import hre from "hardhat";
import { deployProvledger } from "../../../scripts/deploy";
import { EIP712_NAME, EIP712_VERSION, ledgerDomain, provenanceLedgerAbi } from "../../../src/sdk";
// Internal: the type hashes are what the contract must agree with, not part of the public surface.
import {
  ANCHOR_BATCH_TYPEHASH,
  PARENT_LINK_TYPEHASH,
  REGISTER_TYPEHASH,
  domainTypes,
} from "../../../src/sdk/constants/eip712";

const publicClient = createPublicClient({ transport: custom(hre.network.provider, { retryCount: 0 }) });

async function deployLedger(): Promise<Address> {
  const { ledger } = await deployProvledger(0);
  return getAddress(await ledger.getAddress());
}

describe("SDK signing: the EIP-712 definition", () => {
  it("has the ledger's type hashes", async () => {
    const address = await loadFixture(deployLedger);
    const read = (functionName: "REGISTER_TYPEHASH" | "ANCHOR_BATCH_TYPEHASH" | "PARENT_LINK_TYPEHASH") =>
      publicClient.readContract({ address, abi: provenanceLedgerAbi, functionName });
    expect(await read("REGISTER_TYPEHASH")).to.equal(REGISTER_TYPEHASH);
    expect(await read("ANCHOR_BATCH_TYPEHASH")).to.equal(ANCHOR_BATCH_TYPEHASH);
    expect(await read("PARENT_LINK_TYPEHASH")).to.equal(PARENT_LINK_TYPEHASH);
  });

  it("has the ledger's domain: name, version, chain, contract and separator", async () => {
    const address = await loadFixture(deployLedger);
    const chainId = await publicClient.getChainId();
    const [, name, version, domainChainId, verifyingContract] = await publicClient.readContract({
      address,
      abi: provenanceLedgerAbi,
      functionName: "eip712Domain",
    });
    expect({ name, version, chainId: domainChainId, verifyingContract }).to.deep.equal(ledgerDomain(address, chainId));
    expect([name, version]).to.deep.equal([EIP712_NAME, EIP712_VERSION]);
    const separator = await publicClient.readContract({
      address,
      abi: provenanceLedgerAbi,
      functionName: "DOMAIN_SEPARATOR",
    });
    expect(separator).to.equal(hashDomain({ domain: ledgerDomain(address, chainId), types: domainTypes }));
  });
});
