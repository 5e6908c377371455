/**
 * Deploys the membership registry, the ledger and its rights module to the selected Hardhat network, binds the
 * registry to the ledger (every membership change is chained into the ledger-wide chain) and attaches the module.
 *
 *   GOVERNANCE=0x... GOVERNANCE_DELAY=259200 npx hardhat run scripts/deploy.ts --network <name>
 *
 * The deploying account is the first governance (it must bind the ledger and attach the rights module); if GOVERNANCE names another
 * account, the two-step hand-over to it is begun, and that account accepts it after GOVERNANCE_DELAY seconds
 * (default 3 days) with `acceptDefaultAdminTransfer()` on the registry.
 */
import hre from "hardhat";
import type { DataRights, OrganizationRegistry, ProvenanceLedger } from "../typechain-types";

export interface Deployment {
  registry: OrganizationRegistry;
  ledger: ProvenanceLedger;
  rights: DataRights;
}

export const DEFAULT_GOVERNANCE_DELAY = 3 * 24 * 3600;

/**
 * Deploys the three contracts with the first signer as governance: registry -> ledger -> registry.bindLedger ->
 * rights -> ledger.setRightsModule.
 */
export async function deployProvledger(governanceDelay: number): Promise<Deployment> {
  const [deployer] = await hre.ethers.getSigners();
  const registry = await hre.ethers.deployContract("OrganizationRegistry", [governanceDelay, deployer.address]);
  await registry.waitForDeployment();
  const ledger = await hre.ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
  await ledger.waitForDeployment();
  await (await registry.bindLedger(await ledger.getAddress())).wait();
  const rights = await hre.ethers.deployContract("DataRights", [await ledger.getAddress()]);
  await rights.waitForDeployment();
  await (await ledger.setRightsModule(await rights.getAddress())).wait();
  return { registry, ledger, rights };
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
  const { registry, ledger, rights } = await deployProvledger(delay);
  const handOver = governance.toLowerCase() !== deployer.address.toLowerCase();
  if (handOver) await (await registry.beginDefaultAdminTransfer(governance)).wait();
  const { chainId } = await hre.ethers.provider.getNetwork();
  console.log(
    JSON.stringify(
      {
        network: hre.network.name,
        chainId: Number(chainId),
        governance: deployer.address,
        pendingGovernance: handOver ? governance : null,
        governanceDelay: delay,
        organizationRegistry: await registry.getAddress(),
        provenanceLedger: await ledger.getAddress(),
        dataRights: await rights.getAddress(),
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
