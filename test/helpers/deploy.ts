/**
 * A full Provledger deployment with viem, from the Hardhat artifacts: registry -> ledger -> registry.bindLedger ->
 * rights -> ledger.setRightsModule, each transaction waited for. For tests that run against a real node (anvil) rather
 * than Hardhat's in-process network; the artifacts are read with fs, so no Hardhat runtime is needed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  keccak256,
  toHex,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import {
  encodeJurisdiction,
  organizationRegistryAbi,
  provenanceLedgerAbi,
  type ProvledgerAddresses,
} from "../../src/sdk";

export type Deployment = { addresses: ProvledgerAddresses; deploymentBlock: bigint; chainId: number };

const ROOT = join(__dirname, "..", "..");
type ContractName = "OrganizationRegistry" | "ProvenanceLedger" | "DataRights";

function artifactPath(name: ContractName): string {
  return join(ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
}

/** The compiled ABI and creation bytecode of a contract; compiles the contracts once if the artifacts are missing. */
export function readArtifact(name: ContractName): { abi: Abi; bytecode: Hex } {
  if (!existsSync(artifactPath(name))) {
    execFileSync("npx", ["hardhat", "compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  }
  const artifact = JSON.parse(readFileSync(artifactPath(name), "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: artifact.abi, bytecode: artifact.bytecode };
}

function walletAccount(wallet: WalletClient): { account: Account; chain: Chain } {
  if (!wallet.account || !wallet.chain)
    throw new Error("deployProvledger needs a wallet client with an account and a chain");
  return { account: wallet.account, chain: wallet.chain };
}

async function mined(publicClient: PublicClient, hash: Hex, what: string): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error(`${what} reverted (transaction ${hash})`);
  return receipt;
}

/**
 * Deploys the registry (with the wallet's account as governance), the ledger, binds the registry to the ledger,
 * deploys the rights module and attaches it. `deploymentBlock` is the block of the registry's deployment, the first
 * block an indexer must read.
 */
export async function deployProvledger(
  wallet: WalletClient,
  publicClient: PublicClient,
  options: { governanceDelay?: number } = {},
): Promise<Deployment> {
  const { account, chain } = walletAccount(wallet);
  const deploy = async (name: ContractName, args: readonly unknown[]): Promise<TransactionReceipt> => {
    const { abi, bytecode } = readArtifact(name);
    const hash = await wallet.deployContract({ abi, bytecode, args, account, chain });
    const receipt = await mined(publicClient, hash, `deploying ${name}`);
    if (!receipt.contractAddress) throw new Error(`deploying ${name} created no contract`);
    return receipt;
  };
  const registryReceipt = await deploy("OrganizationRegistry", [options.governanceDelay ?? 0, account.address]);
  const registry = registryReceipt.contractAddress as Address;
  const ledger = (await deploy("ProvenanceLedger", [registry])).contractAddress as Address;
  await mined(
    publicClient,
    await wallet.writeContract({
      address: registry,
      abi: organizationRegistryAbi,
      functionName: "bindLedger",
      args: [ledger],
      account,
      chain,
    }),
    "registry.bindLedger",
  );
  const rights = (await deploy("DataRights", [ledger])).contractAddress as Address;
  await mined(
    publicClient,
    await wallet.writeContract({
      address: ledger,
      abi: provenanceLedgerAbi,
      functionName: "setRightsModule",
      args: [rights],
      account,
      chain,
    }),
    "ledger.setRightsModule",
  );
  return {
    addresses: { registry, ledger, rights },
    deploymentBlock: registryReceipt.blockNumber,
    chainId: await publicClient.getChainId(),
  };
}

export type Onboarding = {
  name: string;
  /** ISO 3166 code, e.g. "CN-GD". */
  jurisdiction: string;
  /** A `Role` bit set. */
  roles: number;
  operators: readonly Address[];
};

/**
 * Registers an organisation (by the wallet's account, which must be governance) with its operators; returns its id
 * and the receipt. The profile hash is keccak256 of the name.
 */
export async function onboard(
  wallet: WalletClient,
  publicClient: PublicClient,
  registry: Address,
  organization: Onboarding,
): Promise<{ orgId: number; receipt: TransactionReceipt }> {
  const { account, chain } = walletAccount(wallet);
  const hash = await wallet.writeContract({
    address: registry,
    abi: organizationRegistryAbi,
    functionName: "registerOrganization",
    args: [
      organization.name,
      keccak256(toHex(organization.name)),
      encodeJurisdiction(organization.jurisdiction),
      organization.roles,
      [...organization.operators],
    ],
    account,
    chain,
  });
  const receipt = await mined(publicClient, hash, `registering ${organization.name}`);
  const orgId = await publicClient.readContract({
    address: registry,
    abi: organizationRegistryAbi,
    functionName: "organizationCount",
  });
  return { orgId: Number(orgId), receipt };
}
