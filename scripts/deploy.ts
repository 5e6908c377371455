/**
 * Deploys the membership registry, the ledger and its rights module to the selected Hardhat network with the
 * Ignition modules (src/deploy/module.ts), binds the registry to the ledger and attaches the module:
 *
 *   GOVERNANCE=0x... GOVERNANCE_DELAY=259200 PROVLEDGER_DEPLOYMENT=deployment.json \
 *     npx hardhat run scripts/deploy.ts --network consortium
 *
 * On a network with a URL it runs `deployProvledger` (src/deploy): the journal is Ignition's own,
 * ignition/deployments/chain-<id> (shared with `npx hardhat ignition deploy`), so a rerun deploys nothing and a journal
 * left stale by a chain reset is moved aside and the contracts deployed anew. On the in-process `hardhat` network it
 * is a dry run through Hardhat's Ignition plugin (that chain ends with the script).
 *
 * The deploying account is the first governance (it must bind the ledger and attach the rights module); if GOVERNANCE
 * names another account, the two-step hand-over to it is begun, and that account accepts it after GOVERNANCE_DELAY
 * seconds (default 3 days) with `acceptDefaultAdminTransfer()` on the registry. With PROVLEDGER_DEPLOYMENT set, the
 * deployment file the indexer and API read (`--deployment`) is written there.
 */
import { join } from "node:path";
import hre from "hardhat";
import pino from "pino";
import type { Address, Hex, LocalAccount } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  DEFAULT_GOVERNANCE_DELAY,
  ProvledgerGovernanceModule,
  ProvledgerModule,
  deployProvledger as deployWithIgnition,
  writeDeploymentFile,
  type DeploymentInfo,
} from "../src/deploy";
import type { DataRights, OrganizationRegistry, ProvenanceLedger } from "../typechain-types";

export interface Deployment {
  registry: OrganizationRegistry;
  ledger: ProvenanceLedger;
  rights: DataRights;
}

export { DEFAULT_GOVERNANCE_DELAY };

/**
 * For tests on Hardhat's in-process network (typed ethers contracts back). Deploys the three contracts with the
 * first signer as governance: registry -> ledger -> registry.bindLedger ->
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

type NetworkAccounts = string[] | { mnemonic: string; path?: string; initialIndex?: number } | "remote" | undefined;

/** The deploying account of the network's configuration: its first key, or the first account of its mnemonic. */
function deployerOf(accounts: NetworkAccounts): Hex | LocalAccount {
  if (Array.isArray(accounts) && accounts[0]) return accounts[0] as Hex;
  if (accounts && typeof accounts === "object" && "mnemonic" in accounts) {
    const path = `${accounts.path ?? "m/44'/60'/0'/0"}/${accounts.initialIndex ?? 0}` as `m/44'/60'/${string}`;
    return mnemonicToAccount(accounts.mnemonic, { path });
  }
  throw new Error(`network ${hre.network.name} has no deployer key: set accounts (a private key) in hardhat.config.ts`);
}

function settings(): { governance: string | undefined; delay: number } {
  const governance = process.env.GOVERNANCE;
  if (governance !== undefined && !hre.ethers.isAddress(governance)) {
    throw new Error(`GOVERNANCE must be an address (0x followed by 40 hex digits), got "${governance}"`);
  }
  const delay = Number(process.env.GOVERNANCE_DELAY ?? DEFAULT_GOVERNANCE_DELAY);
  if (!Number.isInteger(delay) || delay < 0) {
    throw new Error(`GOVERNANCE_DELAY must be a whole number of seconds, got "${process.env.GOVERNANCE_DELAY}"`);
  }
  return { governance, delay };
}

/** The in-process network: Hardhat's Ignition plugin, read back through the registry. */
async function dryRun(governance: string | undefined, delay: number): Promise<DeploymentInfo> {
  const [deployer] = await hre.ethers.getSigners();
  const handOver = governance !== undefined && governance.toLowerCase() !== deployer.address.toLowerCase();
  const { registry, ledger, rights } = await hre.ignition.deploy(
    handOver ? ProvledgerGovernanceModule : ProvledgerModule,
    {
      parameters: {
        Provledger: { governanceDelay: delay },
        ...(handOver ? { ProvledgerGovernance: { governance } } : {}),
      },
    },
  );
  const registryContract = await hre.ethers.getContractAt("OrganizationRegistry", await registry.getAddress());
  // The registry's constructor grants governance its role: that log is in its deployment block.
  const [granted] = await registryContract.queryFilter(registryContract.filters.RoleGranted(), 0);
  const [pending] = await registryContract.pendingDefaultAdmin();
  return {
    chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
    deploymentBlock: BigInt(granted?.blockNumber ?? 0),
    addresses: {
      registry: (await registry.getAddress()) as Address,
      ledger: (await ledger.getAddress()) as Address,
      rights: (await rights.getAddress()) as Address,
    },
    governance: (await registryContract.defaultAdmin()) as Address,
    pendingGovernance: pending === hre.ethers.ZeroAddress ? null : (pending as Address),
    governanceDelay: Number(await registryContract.defaultAdminDelay()),
  };
}

async function main(): Promise<void> {
  const { governance, delay } = settings();
  let info: DeploymentInfo;
  const network = hre.network.config;
  if (!("url" in network)) {
    info = await dryRun(governance, delay);
  } else {
    const chainId = Number(await hre.network.provider.request({ method: "eth_chainId" }));
    info = await deployWithIgnition({
      rpcUrl: network.url,
      ...(network.chainId !== undefined ? { chainId: network.chainId } : {}),
      deployer: deployerOf(network.accounts as NetworkAccounts),
      deploymentDir: join(hre.config.paths.ignition, "deployments", `chain-${chainId}`),
      ...(governance !== undefined ? { governance: governance as Address } : {}),
      governanceDelay: delay,
      logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }),
    });
  }
  const file = process.env.PROVLEDGER_DEPLOYMENT;
  if (file) writeDeploymentFile(file, info);
  console.log(
    JSON.stringify({ network: hre.network.name, ...info, deploymentBlock: Number(info.deploymentBlock) }, null, 2),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
