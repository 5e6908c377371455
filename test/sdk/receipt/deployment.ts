import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, custom, type Address, type PublicClient } from "viem";
import { deployProvledger } from "../../../scripts/deploy";
import { ReceiptBuildError, Role, type ProvenanceReceipt, type ReceiptBuildErrorCode } from "../../../src/sdk";
import { hashOf, jurisdiction } from "../../helpers/fixtures";
import { hardhatChain as hardhat } from "../../helpers/viem";

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

export function setup() {
  return loadFixture(deployed);
}

export const lower = (value: string): string => value.toLowerCase();

export async function expectBuildError(
  promise: Promise<ProvenanceReceipt>,
  code: ReceiptBuildErrorCode,
  message: RegExp,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ReceiptBuildError);
    expect((error as ReceiptBuildError).code).to.equal(code);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a ReceiptBuildError matching ${message}`);
}
