/**
 * Deploys the membership registry and the ledger to the selected Hardhat network.
 *
 *   GOVERNANCE=0x... GOVERNANCE_DELAY=259200 npx hardhat run scripts/deploy.ts --network <name>
 *
 * GOVERNANCE defaults to the deploying account; GOVERNANCE_DELAY (seconds a governance hand-over waits) to 3 days.
 */
import hre from "hardhat";
import type { OrganizationRegistry, ProvenanceLedger } from "../typechain-types";

export interface Deployment {
  registry: OrganizationRegistry;
  ledger: ProvenanceLedger;
}

export const DEFAULT_GOVERNANCE_DELAY = 3 * 24 * 3600;

export async function deployProvledger(governance: string, governanceDelay: number): Promise<Deployment> {
  const registry = await hre.ethers.deployContract("OrganizationRegistry", [governanceDelay, governance]);
  await registry.waitForDeployment();
  const ledger = await hre.ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
  await ledger.waitForDeployment();
  return { registry, ledger };
}

async function main(): Promise<void> {
  const [deployer] = await hre.ethers.getSigners();
  const governance = process.env.GOVERNANCE ?? deployer.address;
  if (!hre.ethers.isAddress(governance)) {
    throw new Error(`GOVERNANCE must be an address (0x followed by 40 hex digits), got "${governance}"`);
  }
  const delay = Number(process.env.GOVERNANCE_DELAY ?? DEFAULT_GOVERNANCE_DELAY);
  if (!Number.isInteger(delay) || delay < 0) {
    throw new Error(`GOVERNANCE_DELAY must be a whole number of seconds, got "${process.env.GOVERNANCE_DELAY}"`);
  }
  const { registry, ledger } = await deployProvledger(governance, delay);
  const { chainId } = await hre.ethers.provider.getNetwork();
  console.log(
    JSON.stringify(
      {
        network: hre.network.name,
        chainId: Number(chainId),
        governance,
        governanceDelay: delay,
        organizationRegistry: await registry.getAddress(),
        provenanceLedger: await ledger.getAddress(),
      },
      null,
      2,
    ),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
