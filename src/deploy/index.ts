/**
 * Deploying Provledger with Hardhat Ignition, programmatically (no Hardhat runtime): the modules in ./module, an
 * EIP-1193 provider over the node's JSON-RPC URL that signs with the deployer's key locally, and the contracts'
 * artifacts from Hardhat's artifacts/ (compiled on demand). The same journal (`deploymentDir`) makes a rerun deploy
 * nothing; a journal whose blocks or contracts are not on the chain (the chain was reset: Ignition would answer
 * "Nothing new to deploy" over empty addresses) is moved aside and the deployment redone.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { deploy, DeploymentResultType, type DeploymentResult } from "@nomicfoundation/ignition-core";
import type pino from "pino";
import {
  createPublicClient,
  getAddress,
  http,
  isAddress,
  isHex,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { organizationRegistryAbi } from "../sdk";
import { createArtifactResolver } from "./artifacts";
import { DeployError } from "./errors";
import { DEFAULT_GOVERNANCE_DELAY, ProvledgerGovernanceModule, ProvledgerModule } from "./module";
import { jsonRpc, signingProvider, type JsonRpc } from "./provider";

export { DeployError, type DeployErrorCode } from "./errors";
export { DEFAULT_GOVERNANCE_DELAY, ProvledgerGovernanceModule, ProvledgerModule } from "./module";
export { createArtifactResolver, projectRoot, CONTRACTS, type ContractName } from "./artifacts";
export { jsonRpc, signingProvider, RpcError, type JsonRpc } from "./provider";

export type DeploymentInfo = {
  chainId: number;
  /** The block of the registry's deployment: the first block an indexer reads. */
  deploymentBlock: bigint;
  addresses: { registry: Address; ledger: Address; rights: Address };
  /** The registry's default admin now. */
  governance: Address;
  /** The account a begun hand-over is waiting for (it accepts after `governanceDelay` seconds), or null. */
  pendingGovernance: Address | null;
  governanceDelay: number;
  /** Set when a stale Ignition journal was moved aside and the contracts deployed anew. */
  redeployed?: "stale-journal" | undefined;
};

export type DeployParams = {
  rpcUrl: string;
  /** Refuse to deploy if the node's chain id differs. */
  chainId?: number;
  /** The deploying account: a private key (0x + 64 hex digits) or a viem LocalAccount (e.g. from a keystore). */
  deployer: Hex | LocalAccount;
  /** Ignition's journal and deployed_addresses.json live here (created if missing). */
  deploymentDir: string;
  /** The governance to hand the registry over to; default: the deployer (no hand-over). */
  governance?: Address;
  /** Seconds a governance hand-over waits (the registry's default admin delay). Default 3 days. */
  governanceDelay?: number;
  /** Blocks a transaction waits for. Default 1: QBFT (and anvil) blocks are final once mined. */
  requiredConfirmations?: number;
  logger?: pino.Logger;
  /** Ignition's polling interval, ms. Default 200. */
  pollingIntervalMs?: number;
};

const REGISTRY_FUTURE = "Provledger#OrganizationRegistry";
const FUTURES = {
  registry: REGISTRY_FUTURE,
  ledger: "Provledger#ProvenanceLedger",
  rights: "Provledger#DataRights",
} as const;

function toAccount(deployer: DeployParams["deployer"]): LocalAccount {
  if (typeof deployer !== "string") return deployer;
  if (!isHex(deployer) || deployer.length !== 66) {
    throw new DeployError("InvalidParameter", "the deployer key must be 0x followed by 64 hex digits", {
      details: "pass the private key of the deploying account, or a viem LocalAccount",
    });
  }
  return privateKeyToAccount(deployer);
}

function checkParams(params: DeployParams): void {
  if (params.governance !== undefined && !isAddress(params.governance, { strict: false })) {
    throw new DeployError("InvalidParameter", `governance must be an address, got "${params.governance}"`, {
      details: "0x followed by 40 hex digits",
    });
  }
  const delay = params.governanceDelay;
  if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay >= 2 ** 48)) {
    throw new DeployError("InvalidParameter", `governanceDelay must be a whole number of seconds, got ${delay}`);
  }
  const confirmations = params.requiredConfirmations;
  if (confirmations !== undefined && (!Number.isInteger(confirmations) || confirmations < 1)) {
    throw new DeployError(
      "InvalidParameter",
      `requiredConfirmations must be a whole number >= 1, got ${confirmations}`,
    );
  }
}

type JournalConfirm = { futureId: string; hash: string; blockNumber: number; blockHash: string };

/** The confirmed transactions the journal records (Ignition's write-ahead log, one JSON message a line). */
function readJournal(deploymentDir: string): JournalConfirm[] {
  const file = join(deploymentDir, "journal.jsonl");
  if (!existsSync(file)) return [];
  const confirms: JournalConfirm[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let message: {
      type?: string;
      futureId?: string;
      hash?: string;
      receipt?: { blockNumber?: number; blockHash?: string };
    };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue; // a torn last line (a crash mid-write): Ignition itself ignores it too
    }
    if (message.type === "TRANSACTION_CONFIRM" && message.receipt?.blockHash && message.futureId && message.hash) {
      confirms.push({
        futureId: message.futureId,
        hash: message.hash,
        blockNumber: Number(message.receipt.blockNumber),
        blockHash: message.receipt.blockHash,
      });
    }
  }
  return confirms;
}

function readDeployedAddresses(deploymentDir: string): Record<string, string> {
  const file = join(deploymentDir, "deployed_addresses.json");
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

async function hasCode(rpc: JsonRpc, address: string): Promise<boolean> {
  const code = (await rpc("eth_getCode", [address, "latest"])) as string;
  return typeof code === "string" && code !== "0x" && code !== "0x0";
}

/**
 * Why the journal in `deploymentDir` does not describe this chain (a block it confirmed is gone or has another hash,
 * or a contract it deployed has no code), or undefined if it does (or there is none).
 */
async function staleReason(rpc: JsonRpc, deploymentDir: string): Promise<string | undefined> {
  for (const confirm of readJournal(deploymentDir)) {
    const block = (await rpc("eth_getBlockByNumber", [`0x${confirm.blockNumber.toString(16)}`, false])) as {
      hash?: string;
    } | null;
    if (!block || block.hash?.toLowerCase() !== confirm.blockHash.toLowerCase()) {
      return `block ${confirm.blockNumber} of ${confirm.futureId}'s transaction ${confirm.hash} is not on this chain`;
    }
  }
  for (const [futureId, address] of Object.entries(readDeployedAddresses(deploymentDir))) {
    if (!(await hasCode(rpc, address))) return `${futureId} at ${address} has no code`;
  }
  return undefined;
}

function describeFailure(
  result: Exclude<DeploymentResult, { type: DeploymentResultType.SUCCESSFUL_DEPLOYMENT }>,
): string {
  if (result.type === DeploymentResultType.EXECUTION_ERROR) {
    const parts = [
      ...result.failed.map((f) => `${f.futureId}: ${f.error}`),
      ...result.timedOut.map((f) => `${f.futureId}: timed out`),
      ...result.held.map((f) => `${f.futureId}: held (${f.reason})`),
    ];
    return parts.join("; ") || "execution failed";
  }
  return Object.entries(result.errors)
    .map(([future, errors]) => `${future}: ${errors.join(", ")}`)
    .join("; ");
}

const HINTS: Record<string, string> = {
  [DeploymentResultType.RECONCILIATION_ERROR]:
    "the parameters differ from the journal's deployment: deploy with the same ones, or into a new deploymentDir",
  [DeploymentResultType.PREVIOUS_RUN_ERROR]:
    "a previous run left a failed transaction in the journal: inspect it (npx hardhat ignition status) or use a new deploymentDir",
  [DeploymentResultType.VALIDATION_ERROR]: "check the parameters (governance address, delay) and the artifacts",
  [DeploymentResultType.EXECUTION_ERROR]:
    "check that the deployer is allowed to send (the node's accounts allowlist), is funded or the chain has zero fees",
};

/**
 * Deploys (or resumes, or confirms) the Provledger contracts with Ignition and returns the deployment as the chain
 * shows it. Begins the governance hand-over when `governance` differs from the deployer.
 */
export async function deployProvledger(params: DeployParams): Promise<DeploymentInfo> {
  checkParams(params);
  const account = toAccount(params.deployer);
  const log = params.logger;
  const rpc = jsonRpc(params.rpcUrl);
  let chainId: number;
  try {
    chainId = Number(BigInt((await rpc("eth_chainId")) as string));
  } catch (error) {
    throw new DeployError("RpcFailed", `cannot reach the node at ${params.rpcUrl}`, {
      details: (error as Error).message,
      cause: error,
    });
  }
  if (params.chainId !== undefined && params.chainId !== chainId) {
    throw new DeployError(
      "ChainMismatch",
      `the node at ${params.rpcUrl} serves chain ${chainId}, not ${params.chainId}`,
      {
        details: "point rpcUrl at the consortium's node, or correct the configured chain id",
      },
    );
  }

  let redeployed: DeploymentInfo["redeployed"];
  const stale = await staleReason(rpc, params.deploymentDir);
  if (stale !== undefined) {
    // Moved aside rather than deleted: a journal is the record of what was sent.
    const aside = `${params.deploymentDir}.stale-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(params.deploymentDir, aside);
    redeployed = "stale-journal";
    log?.warn(
      { reason: stale, movedTo: aside },
      "the Ignition journal does not match this chain (reset?): deploying anew",
    );
  }
  mkdirSync(params.deploymentDir, { recursive: true });

  const governance = params.governance === undefined ? account.address : getAddress(params.governance);
  const handOver = governance.toLowerCase() !== account.address.toLowerCase();
  const governanceDelay = params.governanceDelay ?? DEFAULT_GOVERNANCE_DELAY;
  log?.info(
    { chainId, deployer: account.address, handOver, deploymentDir: params.deploymentDir },
    "deploying Provledger with Ignition",
  );

  let result: DeploymentResult;
  try {
    result = await deploy({
      config: {
        requiredConfirmations: params.requiredConfirmations ?? 1,
        blockPollingInterval: params.pollingIntervalMs ?? 200,
      },
      artifactResolver: createArtifactResolver(),
      provider: signingProvider(rpc, account),
      deploymentDir: params.deploymentDir,
      ignitionModule: handOver ? ProvledgerGovernanceModule : ProvledgerModule,
      deploymentParameters: {
        Provledger: { governanceDelay },
        ...(handOver ? { ProvledgerGovernance: { governance } } : {}),
      },
      accounts: [account.address],
      defaultSender: account.address,
    });
  } catch (error) {
    if (error instanceof DeployError) throw error;
    throw new DeployError("IgnitionFailed", `Ignition could not deploy: ${(error as Error).message}`, {
      details: `the journal is in ${params.deploymentDir}`,
      cause: error,
    });
  }
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new DeployError("IgnitionFailed", `Ignition deployment failed (${result.type}): ${describeFailure(result)}`, {
      details: HINTS[result.type],
    });
  }
  const addressOf = (role: keyof typeof FUTURES): Address => {
    const deployed = result.contracts[FUTURES[role]];
    if (!deployed) throw new DeployError("IgnitionFailed", `Ignition reported no ${FUTURES[role]}`);
    return getAddress(deployed.address);
  };
  const addresses = { registry: addressOf("registry"), ledger: addressOf("ledger"), rights: addressOf("rights") };
  const registryConfirm = readJournal(params.deploymentDir).find((c) => c.futureId === REGISTRY_FUTURE);
  if (!registryConfirm) throw new DeployError("IgnitionFailed", `the journal records no confirmed ${REGISTRY_FUTURE}`);

  const client = createPublicClient({ transport: http(params.rpcUrl) }) as PublicClient;
  const [admin, [pending], delay] = await Promise.all([
    client.readContract({ address: addresses.registry, abi: organizationRegistryAbi, functionName: "defaultAdmin" }),
    client.readContract({
      address: addresses.registry,
      abi: organizationRegistryAbi,
      functionName: "pendingDefaultAdmin",
    }),
    client.readContract({
      address: addresses.registry,
      abi: organizationRegistryAbi,
      functionName: "defaultAdminDelay",
    }),
  ]);
  const info: DeploymentInfo = {
    chainId,
    deploymentBlock: BigInt(registryConfirm.blockNumber),
    addresses,
    governance: getAddress(admin),
    pendingGovernance: /^0x0{40}$/i.test(pending) ? null : getAddress(pending),
    governanceDelay: Number(delay),
    ...(redeployed ? { redeployed } : {}),
  };
  log?.info({ ...info, deploymentBlock: info.deploymentBlock.toString() }, "Provledger deployed");
  return info;
}

/**
 * Writes the deployment file `provledger index|serve --deployment` reads (src/cli/deployment.ts), atomically: a
 * temporary file in the same folder, flushed, then renamed over the target.
 */
export function writeDeploymentFile(path: string, info: DeploymentInfo): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = {
    chainId: info.chainId,
    deploymentBlock: Number(info.deploymentBlock),
    addresses: info.addresses,
    governance: info.governance,
    pendingGovernance: info.pendingGovernance,
    governanceDelay: info.governanceDelay,
  };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  const fd = openSync(temporary, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** Whether all three contracts have code at their addresses on the node at `rpcUrl`. */
export async function checkDeployed(rpcUrl: string, info: Pick<DeploymentInfo, "addresses">): Promise<boolean> {
  const rpc = jsonRpc(rpcUrl);
  const { registry, ledger, rights } = info.addresses;
  const found = await Promise.all([registry, ledger, rights].map((address) => hasCode(rpc, address)));
  return found.every(Boolean);
}
