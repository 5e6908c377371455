import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, custom, type Address, type Hex, type PublicClient } from "viem";
import { deployProvledger } from "../../../scripts/deploy";
import { Role, buildRegistrationReceipt, type Verdict } from "../../../src/sdk";
import { hashOf, jurisdiction, registration } from "../../helpers/fixtures";
import { hardhatChain as hardhat } from "../../helpers/viem";

/**
 * Orgs: 1 Open Data Bureau (CN-GD, registrar + trader), 2 HK Statistics (HK, registrar + trader), 3 Market Regulator
 * (CN-GD, inspector), 4 GD Data Exchange (CN-GD, trader).
 */
export async function deployed() {
  const { registry, ledger, rights } = await deployProvledger(0);
  const [governance, agency, foreignAgency, inspector, exchange, relayer, walletOwner] = await hre.ethers.getSigners();
  const orgs: [string, string, number, string][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, agency.address],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, foreignAgency.address],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, inspector.address],
    ["GD Data Exchange", "CN-GD", Role.TRADER, exchange.address],
  ];
  for (const [name, code, roles, operator] of orgs) {
    await registry.registerOrganization(name, hashOf(name), jurisdiction(code), roles, [operator]);
  }
  const client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
  return {
    registry,
    ledger,
    rights,
    governance,
    agency,
    foreignAgency,
    inspector,
    exchange,
    relayer,
    walletOwner,
    client,
    ledgerAddress: (await ledger.getAddress()) as Address,
  };
}

export type Deployed = Awaited<ReturnType<typeof deployed>>;

export function setup(): Promise<Deployed> {
  return loadFixture(deployed);
}

export async function register(ctx: Deployed, label: string, overrides: Parameters<typeof registration>[1] = {}) {
  const fingerprint = hashOf(label) as Hex;
  const tx = await ctx.ledger.connect(ctx.agency).register(registration(fingerprint, overrides));
  const receipt = await buildRegistrationReceipt(ctx.client, {
    ledger: ctx.ledgerAddress,
    transactionHash: tx.hash as Hex,
  });
  return { fingerprint, receipt };
}

export function check(verdict: Verdict, name: string) {
  const found = verdict.checks.find((c) => c.name === name);
  expect(found, `check "${name}" in ${JSON.stringify(verdict.checks)}`).to.not.equal(undefined);
  return found!;
}
