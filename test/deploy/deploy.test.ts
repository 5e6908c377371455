/**
 * Deployment with the Ignition modules (src/deploy) to an anvil set up as a QBFT consortium chain would be (Paris,
 * zero gas price and base fee, eth_gasPrice 0, chain id 2018 from configuration), then the indexer on PostgreSQL
 * following it to the head; a rerun with the same journal deploys nothing; the governance hand-over is begun when
 * governance differs; a journal left stale by a chain reset is moved aside and the contracts deployed anew.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import { createPublicClient, createWalletClient, http, keccak256, toHex, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readDeploymentFile } from "../../src/cli/deployment";
import {
  checkDeployed,
  deployProvledger,
  DeployError,
  writeDeploymentFile,
  type DeploymentInfo,
} from "../../src/deploy";
import { createIndexer, createStore } from "../../src/indexer";
import { anvilKey, GOVERNANCE_ADDRESS_INDEX, localChain } from "../../src/node";
import { anvilArgs, anvilBinary, anvilEnvironment } from "../../src/node/anvil";
import { createProvledgerClient, Role } from "../../src/sdk";
import { underCoverage } from "../helpers/coverage";
import { expectStoreMatchesViews } from "../helpers/views";

const PG = process.env.PROVLEDGER_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const CHAIN_ID = 2018;
// anvil's well-known test accounts, as the local ledger has them: its governance (here the deployer) and the next
// one (the governance handed over to).
const DEPLOYER_KEY = anvilKey(GOVERNANCE_ADDRESS_INDEX).privateKey;
const GOVERNANCE = anvilKey(GOVERNANCE_ADDRESS_INDEX + 1).address;
const deployer = privateKeyToAccount(DEPLOYER_KEY);
// The local ledger's zero-fee chain (fees set before viem fills a transaction) under the consortium's chain id.
const qbftChain = (url: string) => ({ ...localChain(url), id: CHAIN_ID });

type Node = { url: string; child: ChildProcess };

/**
 * anvil as a QBFT chain behaves for a deployment: automine (a block is final once mined), and the local ledger's
 * flags (Paris rules, no fees) with the consortium's chain id and no state file. (test/helpers/anvil.ts's startAnvil
 * fixes chain id 31337, hence this spawn.)
 */
function startQbftLikeAnvil(): Promise<Node> {
  const child = spawn(anvilBinary(), anvilArgs({ port: 0, chainId: CHAIN_ID }), {
    stdio: ["ignore", "pipe", "pipe"],
    env: anvilEnvironment(),
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => (child.kill("SIGKILL"), reject(new Error(`anvil did not start:\n${output}`))),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on ([\d.]+):(\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve({ url: `http://${listening[1]}:${listening[2]}`, child });
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`anvil exited (${code}):\n${output}`))));
  });
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

const blockNumber = async (url: string) => BigInt(await rpc<Hex>(url, "eth_blockNumber"));

async function dropSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema");
  const client = new pg.Client({ connectionString: url.split("?")[0] });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

describe("deploy: Ignition modules to a QBFT-like anvil, followed by the indexer on PostgreSQL", function () {
  this.timeout(180_000);
  let node: Node;
  let dir: string;
  let deploymentDir: string;
  let genesisSnapshot: Hex;
  let first: DeploymentInfo;
  const pgUrl = `${PG}?schema=deploy_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const silent = pino({ level: "silent" });
  const params = () => ({ rpcUrl: node.url, chainId: CHAIN_ID, deployer: DEPLOYER_KEY, deploymentDir, logger: silent });

  before(async function () {
    if (underCoverage()) this.skip();
    node = await startQbftLikeAnvil();
    dir = mkdtempSync(join(tmpdir(), "provledger-deploy-"));
    deploymentDir = join(dir, "ignition");
    genesisSnapshot = await rpc<Hex>(node.url, "evm_snapshot");
  });
  after(async () => {
    node?.child.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
    await dropSchema(pgUrl).catch(() => {});
  });

  it("refuses a node that serves another chain id than configured, before sending anything", async () => {
    const error = await deployProvledger({ ...params(), chainId: 1337 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeployError);
    expect((error as DeployError).code).to.equal("ChainMismatch");
    expect((error as Error).message).to.match(/serves chain 2018, not 1337/);
    expect(await blockNumber(node.url)).to.equal(0n);
  });

  it("deploys registry, ledger and rights module, bound and attached, at zero gas price", async () => {
    const balanceBefore = await rpc<Hex>(node.url, "eth_getBalance", [deployer.address, "latest"]);
    first = await deployProvledger({ ...params(), governanceDelay: 60 });
    expect(first.chainId).to.equal(CHAIN_ID);
    expect(first.redeployed).to.equal(undefined);
    expect(first.governance).to.equal(deployer.address);
    expect(first.pendingGovernance).to.equal(null);
    expect(first.governanceDelay).to.equal(60);
    expect(await checkDeployed(node.url, first)).to.equal(true);

    const client = createPublicClient({ chain: qbftChain(node.url), transport: http(node.url) });
    const registryAbi = [
      { type: "function", name: "ledger", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" },
    ] as const;
    const ledgerAbi = [
      { type: "function", name: "rightsModule", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" },
    ] as const;
    expect(
      await client.readContract({ address: first.addresses.registry, abi: registryAbi, functionName: "ledger" }),
    ).to.equal(first.addresses.ledger);
    expect(
      await client.readContract({ address: first.addresses.ledger, abi: ledgerAbi, functionName: "rightsModule" }),
    ).to.equal(first.addresses.rights);

    // The deployment block is the registry's: it has the registry's creation and nothing earlier has code.
    const registryCreated = await client.getCode({
      address: first.addresses.registry,
      blockNumber: first.deploymentBlock,
    });
    expect(registryCreated).to.not.equal(undefined);
    expect(
      await client.getCode({ address: first.addresses.registry, blockNumber: first.deploymentBlock - 1n }),
    ).to.equal(undefined);

    // Zero fees: every transaction paid 0 and the deployer's balance is unchanged.
    const journal = readFileSync(join(deploymentDir, "journal.jsonl"), "utf8").split("\n").filter(Boolean);
    const hashes = journal
      .map((line) => JSON.parse(line))
      .filter((m) => m.type === "TRANSACTION_CONFIRM")
      .map((m) => m.hash);
    expect(hashes).to.have.length(5);
    for (const hash of hashes) {
      const receipt = await client.getTransactionReceipt({ hash });
      expect(receipt.status).to.equal("success");
      expect(receipt.effectiveGasPrice).to.equal(0n);
    }
    expect(await rpc<Hex>(node.url, "eth_getBalance", [deployer.address, "latest"])).to.equal(balanceBefore);
  });

  it("writes the deployment file atomically in the format the indexer and API read", () => {
    const file = join(dir, "home", "deployment.json");
    writeDeploymentFile(file, first);
    expect(readdirSync(join(dir, "home"))).to.deep.equal(["deployment.json"]);
    expect(readDeploymentFile(file)).to.deep.equal({
      chainId: CHAIN_ID,
      deploymentBlock: first.deploymentBlock,
      addresses: first.addresses,
    });
  });

  it("is followed by the indexer on PostgreSQL to the head, the store equal to the contracts' views", async () => {
    const chain = qbftChain(node.url);
    const client = createPublicClient({ chain, transport: http(node.url), pollingInterval: 50 }) as PublicClient;
    const governance = createProvledgerClient({
      publicClient: client,
      walletClient: createWalletClient({ chain, transport: http(node.url), account: deployer, pollingInterval: 50 }),
      addresses: first.addresses,
      chainId: CHAIN_ID,
    });
    const operators = [
      privateKeyToAccount(`0x${"11".repeat(32)}`).address,
      privateKeyToAccount(`0x${"22".repeat(32)}`).address,
    ];
    const organisations = [
      { name: "Guangdong Public Data Agency", jurisdiction: "CN-GD", roles: Role.REGISTRAR, operator: operators[0]! },
      { name: "Hong Kong Data Exchange", jurisdiction: "HK", roles: Role.TRADER, operator: operators[1]! },
    ];
    for (const organisation of organisations) {
      // Through the SDK client as the local ledger onboards its consortium (src/node), at zero fees.
      const { transactionHash } = await governance.registerOrganization({
        name: organisation.name,
        jurisdiction: organisation.jurisdiction,
        roles: organisation.roles,
        metadataHash: keccak256(toHex(organisation.name)),
        operators: [organisation.operator],
      });
      const receipt = await client.getTransactionReceipt({ hash: transactionHash });
      expect(receipt.status).to.equal("success");
      expect(receipt.effectiveGasPrice).to.equal(0n);
    }
    const head = await blockNumber(node.url);
    const indexer = createIndexer({
      rpcUrl: node.url,
      addresses: first.addresses,
      deploymentBlock: first.deploymentBlock,
      chainId: CHAIN_ID,
      store: pgUrl,
      // QBFT: a mined block is final, so no confirmation depth.
      confirmations: 0,
      once: true,
      pollIntervalMs: 50,
      logger: silent,
    });
    await indexer.run();
    const status = indexer.status();
    expect(status.checkpoint?.blockNumber).to.equal(head);
    expect(status.checkpoint!.ledgerSequence > 0n, "membership changes are chained into the ledger").to.equal(true);
    const store = createStore(pgUrl);
    try {
      expect((await store.rows("organizations")).length).to.equal(2);
      await expectStoreMatchesViews(store, client as never, first.addresses, {
        fingerprints: [],
        roots: [],
        accounts: operators,
      });
    } finally {
      await store.close();
    }
  });

  it("deploys nothing on a rerun with the same journal", async () => {
    const before = await blockNumber(node.url);
    const again = await deployProvledger({ ...params(), governanceDelay: 60 });
    expect(again.addresses).to.deep.equal(first.addresses);
    expect(again.deploymentBlock).to.equal(first.deploymentBlock);
    expect(again.redeployed).to.equal(undefined);
    expect(await blockNumber(node.url)).to.equal(before);
  });

  it("refuses a rerun whose parameters contradict the journal, with a hint", async () => {
    const error = await deployProvledger({ ...params(), governanceDelay: 61 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DeployError);
    expect((error as DeployError).code).to.equal("IgnitionFailed");
    expect((error as DeployError).details).to.match(/same ones, or into a new deploymentDir/);
  });

  it("begins the governance hand-over when governance differs, extending the same deployment", async () => {
    const handedOver = await deployProvledger({ ...params(), governanceDelay: 60, governance: GOVERNANCE });
    expect(handedOver.addresses).to.deep.equal(first.addresses);
    expect(handedOver.governance, "the deployer stays governance until the hand-over is accepted").to.equal(
      deployer.address,
    );
    expect(handedOver.pendingGovernance).to.equal(GOVERNANCE);
  });

  it("moves a journal left stale by a chain reset aside and deploys anew", async () => {
    // Back to the genesis block: the chain a restarted node without its state would serve.
    expect(await rpc<boolean>(node.url, "evm_revert", [genesisSnapshot])).to.equal(true);
    expect(await blockNumber(node.url)).to.equal(0n);
    expect(await checkDeployed(node.url, first)).to.equal(false);

    const redeployed = await deployProvledger({ ...params(), governanceDelay: 60 });
    expect(redeployed.redeployed).to.equal("stale-journal");
    expect(await checkDeployed(node.url, redeployed)).to.equal(true);
    expect(redeployed.deploymentBlock).to.equal(1n);
    const aside = readdirSync(dir).filter((name) => name.startsWith("ignition.stale-"));
    expect(aside, "the stale journal is kept beside the new one").to.have.length(1);
    expect(existsSync(join(dir, aside[0]!, "journal.jsonl"))).to.equal(true);
    // And the fresh journal is good again: a rerun deploys nothing.
    const before = await blockNumber(node.url);
    expect((await deployProvledger({ ...params(), governanceDelay: 60 })).redeployed).to.equal(undefined);
    expect(await blockNumber(node.url)).to.equal(before);
  });
});
