/**
 * `npm start` as a user runs it: scripts/start.ts in a process of its own (ts-node), a home folder in a temp dir, free
 * ports, a real anvil. First start from an empty home, a query, Ctrl-C (SIGINT), start again: the same chain, contracts
 * and answers, nothing deployed or onboarded again. Then the crashes: kill -9 of the whole stack (the script and its
 * anvil) at a random moment while registrations are sent, and a state file truncated mid-write whose last good copy is
 * older than the index; each time the next start comes up and the index agrees with the chain (the API's /status
 * ledger head is the chain's ledgerHead() at that block), and a receipt of a transaction the chain lost fails
 * verification.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createPublicClient, createWalletClient, http, keccak256, toHex, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  Check,
  DataClass,
  buildRegistrationReceipt,
  createProvledgerClient,
  provenanceLedgerAbi,
  verifyReceiptOnline,
  type ProvenanceReceipt,
} from "../../src/sdk";
import { localChain, type AccountsFile } from "../../src/node";

const ROOT = join(__dirname, "..", "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Ready = {
  rpcUrl: string;
  apiUrl: string;
  readyMs: number;
  newChain: boolean;
  deployment: "recorded" | "deployed";
  chainSource: "new" | "state" | "good-copy";
  registry: Hex;
  ledger: Hex;
  rights: Hex;
};

type Started = {
  child: ChildProcess;
  ready: Ready;
  /** From spawn to the ready line, ms (process start and module loading included). */
  wallMs: number;
  output(): string;
  exit: Promise<number | null>;
};

function start(home: string, rpcPort: number, apiPort: number): Promise<Started> {
  const began = performance.now();
  const child = spawn(process.execPath, [TS_NODE, "--transpile-only", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PROVLEDGER_HOME: home,
      PROVLEDGER_RPC_PORT: String(rpcPort),
      PROVLEDGER_API_PORT: String(apiPort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`npm start was not ready within 90 s; its output:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      for (const line of output.split("\n")) {
        if (!line.includes('"local ledger ready"')) continue;
        // The summary for people follows the ready line.
        if (!output.includes("npm start again brings the same chain back")) return;
        clearTimeout(timer);
        child.stdout?.removeListener("data", onData);
        child.stdout?.on("data", (more: Buffer) => (output += more.toString("utf8")));
        resolve({
          child,
          ready: JSON.parse(line) as Ready,
          wallMs: Math.round(performance.now() - began),
          output: () => output,
          exit,
        });
        return;
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready; its output:\n${output}`));
    });
  });
}

/** kill -9 of the whole stack: the script and its node (in a process group of its own, so named by its pid file). */
function killStack(home: string, started: Started): number {
  const { pid } = JSON.parse(readFileSync(join(home, "chain", "anvil.pid"), "utf8")) as { pid: number };
  started.child.kill("SIGKILL");
  process.kill(pid, "SIGKILL");
  return pid;
}

async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} is still running`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON answers, read by field
type Json = any;

async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

function clients(ready: Ready, accounts: AccountsFile) {
  const chain = localChain(ready.rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(ready.rpcUrl), pollingInterval: 50, cacheTime: 0 });
  const walletClient = createWalletClient({
    chain,
    transport: http(ready.rpcUrl),
    account: privateKeyToAccount(accounts.accounts.agency.privateKey),
    pollingInterval: 50,
    cacheTime: 0,
  });
  const addresses = { registry: ready.registry, ledger: ready.ledger, rights: ready.rights };
  const agency = createProvledgerClient({
    publicClient: publicClient as PublicClient,
    walletClient,
    addresses,
    chainId: 31337,
  });
  return { publicClient: publicClient as PublicClient, agency };
}

/** The index agrees with the chain: the API's anchor block is the chain's, and so is the ledger head there. */
async function expectIndexAgreesWithChain(ready: Ready, publicClient: PublicClient): Promise<bigint> {
  const { body: status } = await getJson(`${ready.apiUrl}/status`);
  const at = status.at as { block: { number: string; hash: Hex }; ledgerSequence: string; ledgerHead: Hex };
  const blockNumber = BigInt(at.block.number);
  const block = await publicClient.getBlock({ blockNumber });
  expect(at.block.hash, "the indexed block is the chain's").to.equal(block.hash);
  const [head, sequence] = await publicClient.readContract({
    address: ready.ledger,
    abi: provenanceLedgerAbi,
    functionName: "ledgerHead",
    blockNumber,
  });
  expect(at.ledgerHead, "the API's ledger head is the chain's at that block").to.equal(head.toLowerCase());
  expect(at.ledgerSequence).to.equal(String(sequence));
  // And nothing newer on the chain is missing from the index (the indexer is live and caught up).
  const [, chainSequence] = await publicClient.readContract({
    address: ready.ledger,
    abi: provenanceLedgerAbi,
    functionName: "ledgerHead",
  });
  expect(String(chainSequence), "the index holds every ledger entry of the chain").to.equal(at.ledgerSequence);
  return blockNumber;
}

const fingerprint = (label: string) => keccak256(toHex(`provledger-local-ledger-test:${label}`));

describe("npm start: the local ledger", function () {
  this.timeout(240_000);
  let home: string;
  let rpcPort: number;
  let apiPort: number;
  let running: Started | undefined;
  const timings: Record<string, number> = {};

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "provledger-home-"));
    rpcPort = await freePort();
    apiPort = await freePort();
  });

  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill("SIGINT");
      await running.exit;
    }
    running = undefined;
  });

  after(() => {
    rmSync(home, { recursive: true, force: true });
    if (process.env.PROVLEDGER_TIMINGS) console.log(timings);
  });

  it("starts from an empty home, answers, stops on SIGINT and comes back with the same chain and answers", async () => {
    running = await start(home, rpcPort, apiPort);
    const first = running.ready;
    timings.firstStartWallMs = running.wallMs;
    timings.firstStartReadyMs = first.readyMs;
    expect(first.newChain).to.equal(true);
    expect(first.deployment).to.equal("deployed");
    expect(first.rpcUrl).to.equal(`http://127.0.0.1:${rpcPort}`);
    expect(running.output()).to.include("Provledger local ledger ready").and.include(`${first.apiUrl}/openapi.json`);

    const accountsPath = join(home, "accounts.json");
    expect(statSync(accountsPath).mode & 0o777, "accounts.json is the owner's only").to.equal(0o600);
    const accounts = JSON.parse(readFileSync(accountsPath, "utf8")) as AccountsFile;
    expect(accounts.chainId).to.equal(31337);
    expect(accounts.rpcUrl).to.equal(first.rpcUrl);
    expect(accounts.apiUrl).to.equal(first.apiUrl);
    expect(accounts.note).to.match(/development only/);
    expect(Object.keys(accounts.accounts)).to.have.members(["governance", "agency", "trader", "inspector", "customs"]);
    expect(accounts.accounts.agency).to.include({ jurisdiction: "CN-GD", name: "Guangdong Public Data Agency" });
    expect(accounts.accounts.trader.jurisdiction).to.equal("HK");
    expect(accounts.accounts.customs).to.include({ jurisdiction: "CN-GD", name: "Guangdong Data Customs" });
    const deploymentFile = JSON.parse(readFileSync(join(home, "deployment.json"), "utf8"));
    expect(deploymentFile.addresses.ledger).to.equal(first.ledger);

    // The organisation's answer, and a record registered through the SDK client with the agency's key.
    const organization = await getJson(`${first.apiUrl}/v1/organizations/${accounts.accounts.agency.orgId}`);
    expect(organization.status).to.equal(200);
    expect(organization.body.data.name).to.equal("Guangdong Public Data Agency");
    const { publicClient, agency } = clients(first, accounts);
    const record = fingerprint("census-2026.csv");
    await agency.register({ fingerprint: record, dataClass: DataClass.INTERNAL });
    let recordAnswer: { status: number; body: Json } = { status: 0, body: undefined };
    for (let i = 0; i < 100 && recordAnswer.status !== 200; i++) {
      recordAnswer = await getJson(`${first.apiUrl}/v1/records/${record}`);
      if (recordAnswer.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recordAnswer.status, JSON.stringify(recordAnswer.body)).to.equal(200);
    const chainId = await publicClient.getChainId();

    running.child.kill("SIGINT");
    expect(await running.exit, "Ctrl-C exits 0").to.equal(0);
    expect(running.output()).to.include("node stopped; its state is written");
    expect(running.output(), "the demo's command for this home").to.include(
      `PROVLEDGER_HOME=${home} PROVLEDGER_DEMO_LOCAL=1 npm run demo`,
    );

    running = await start(home, rpcPort, apiPort);
    const second = running.ready;
    timings.restartWallMs = running.wallMs;
    timings.restartReadyMs = second.readyMs;
    expect(second.newChain).to.equal(false);
    expect(second.chainSource).to.equal("state");
    expect(second.deployment, "no redeploy").to.equal("recorded");
    expect({ registry: second.registry, ledger: second.ledger, rights: second.rights }).to.deep.equal({
      registry: first.registry,
      ledger: first.ledger,
      rights: first.rights,
    });
    expect(running.output(), "no redeploy").not.to.include("deploying Provledger");
    expect(running.output(), "no re-seed").not.to.include("organisation onboarded");
    expect(running.output()).to.include("resuming from checkpoint");
    const again = clients(second, accounts);
    expect(await again.publicClient.getChainId()).to.equal(chainId);
    const recordAgain = await getJson(`${second.apiUrl}/v1/records/${record}`);
    expect(recordAgain.status).to.equal(200);
    expect(recordAgain.body.data, "the same record answer").to.deep.equal(recordAnswer.body.data);
    await expectIndexAgreesWithChain(second, again.publicClient);
  });

  // Known failing, issue 10 open: after a kill -9 (or a state file restored from the last good copy) anvil comes back
  // at a block whose logs it no longer serves (CI: "ledger entry 84 (in block 85) is missing from the node's logs";
  // "BlockOutOfRangeError: block height is 91 but requested was 88"), and the indexer halts on the gap, as it must.
  // The local ledger has to restore a state whose history is whole (or roll the index back to what the node serves)
  // before these run again.
  it("comes up after a kill -9 of the whole stack at random moments, with the index agreeing with the chain", async function () {
    // Two kills per CI run, each at its own moment; PROVLEDGER_KILL_ROUNDS=20 for a longer run by hand.
    const rounds = Number(process.env.PROVLEDGER_KILL_ROUNDS ?? 2);
    this.timeout(240_000 * rounds);
    running = await start(home, rpcPort, apiPort);
    const accounts = JSON.parse(readFileSync(join(home, "accounts.json"), "utf8")) as AccountsFile;
    for (let round = 0; round < rounds; round++) {
      const { agency } = clients(running.ready, accounts);
      // Registrations one after the other until the kill, which comes 0-1,500 ms after the first one is mined.
      const killAfter = Math.floor(Math.random() * 1_500);
      let mined = 0;
      let killed = false;
      let lastError: unknown;
      let first: () => void = () => {};
      const firstMined = new Promise<void>((resolve) => (first = resolve));
      const load = (async () => {
        while (!killed) {
          const label = `random-kill-${Date.now()}-${mined}`;
          await agency.register({ fingerprint: fingerprint(label), dataClass: DataClass.PUBLIC }).then(
            () => (mined++, first()),
            (error: unknown) => (lastError = error),
          );
        }
      })();
      await Promise.race([
        firstMined,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no registration was mined in 20 s: ${String(lastError)}`)), 20_000),
        ),
      ]);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      const anvilPid = killStack(home, running);
      killed = true;
      await running.exit;
      await gone(anvilPid);
      await load;
      expect(mined, "registrations were mined until the stack was killed").to.be.greaterThan(0);

      running = await start(home, rpcPort, apiPort);
      expect(running.ready.deployment).to.equal("recorded");
      await expectIndexAgreesWithChain(running.ready, clients(running.ready, accounts).publicClient);
      timings[`killRound${round}RestartWallMs`] = running.wallMs;
      timings[`killRound${round}RestartReadyMs`] = running.ready.readyMs;
    }
  });

  it("recovers from a state file truncated mid-write with the last good copy, rolls the index back, and a lost receipt fails verification", async () => {
    // The good copy as it is now; registrations follow, are indexed, and then the chain loses them: the crash comes
    // while the node rewrites its state file, and the good copy is older than the index (as after any crash that
    // strikes before the copy was refreshed).
    running = await start(home, rpcPort, apiPort);
    const accounts = JSON.parse(readFileSync(join(home, "accounts.json"), "utf8")) as AccountsFile;
    const { agency, publicClient } = clients(running.ready, accounts);
    const goodBefore = join(home, "good-before.json");
    copyFileSync(join(home, "chain", "state.good.json"), goodBefore);
    const lost = fingerprint("registered-then-lost");
    const { transactionHash } = await agency.register({ fingerprint: lost, dataClass: DataClass.PUBLIC });
    const receipt: ProvenanceReceipt = await buildRegistrationReceipt(publicClient, {
      ledger: running.ready.ledger,
      transactionHash,
    });
    const before = await verifyReceiptOnline(publicClient, receipt, { ledger: running.ready.ledger });
    expect(before.valid, before.summary).to.equal(true);
    for (let i = 0; i < 100; i++) {
      if ((await getJson(`${running.ready.apiUrl}/v1/records/${lost}`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await getJson(`${running.ready.apiUrl}/v1/records/${lost}`)).status, "indexed before the crash").to.equal(
      200,
    );
    const anvilPid = killStack(home, running);
    await running.exit;
    await gone(anvilPid);
    const stateFile = join(home, "chain", "state.json");
    truncateSync(stateFile, Math.floor(statSync(stateFile).size / 2));
    copyFileSync(goodBefore, join(home, "chain", "state.good.json"));

    running = await start(home, rpcPort, apiPort);
    const ready = running.ready;
    expect(ready.chainSource).to.equal("good-copy");
    expect(running.output()).to.include("recovered from the last good copy");
    expect(running.output()).to.include("lost its last blocks");
    expect(running.output()).to.include("reorg: rolled back to the common ancestor");
    const client = clients(ready, accounts).publicClient;
    await expectIndexAgreesWithChain(ready, client);
    expect((await getJson(`${ready.apiUrl}/v1/records/${lost}`)).status, "the lost record left the index").to.equal(
      404,
    );
    // The receipt of the lost registration no longer verifies: its block is not the chain's, its event is gone.
    const after = await verifyReceiptOnline(client, receipt, { ledger: ready.ledger });
    expect(after.valid).to.equal(false);
    expect(after.authentic).to.equal(false);
    const failed = after.checks.filter((check) => !check.ok).map((check) => check.name);
    expect(failed).to.include.members([Check.BLOCK, Check.EVENT, Check.RECORD_EXISTS]);
    expect(after.onChain).to.equal(false);
    expect(after.summary).to.match(/^INVALID: NOT ON CHAIN: /);

    running.child.kill("SIGINT");
    expect(await running.exit).to.equal(0);
  });
});
