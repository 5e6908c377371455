/**
 * The SDK as a new user gets it: `npm pack` (which builds dist/ through prepack), the tarball installed into a fresh
 * project under the system's temporary directory (it cannot see this repository's node_modules; its dependencies
 * come from the npm registry or npm's cache), and there:
 * - loaded with `import` (.mjs) and with `require` (.cjs): the same exports, one copy of the code (instanceof holds
 *   across the two), deep imports refused;
 * - a TypeScript consumer type-checked against the shipped declarations, strict and without skipLibCheck, as
 *   CommonJS (module commonjs), as ESM (module nodenext) and for bundlers (moduleResolution bundler);
 * - a round trip against a real JSON-RPC node (anvil, from the npm package @foundry-rs/anvil): the three contracts
 *   deployed and an organisation onboarded from here, then, in the project and with only the installed package, a
 *   file's fingerprint registered, its receipt built and verified offline and online, a signed registration
 *   relayed, and a directory fingerprinted on the package's worker threads.
 */
import { expect } from "chai";
import hre from "hardhat";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import type { Readable } from "node:stream";
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import {
  REPOSITORY,
  childEnvironment,
  createConsumer,
  installedVersion,
  packRepository,
  run,
  type Consumer,
} from "../../scripts/package-consumer";
import {
  Role,
  encodeJurisdiction,
  fingerprintDirectory,
  organizationRegistryAbi,
  provenanceLedgerAbi,
} from "../../src/sdk";
import ts from "typescript";
import { hardhatChain } from "../helpers/viem";

// ---------------------------------------------------------------------------------------------------------------------
// The consumer project's files (plain files in the project; kept here because every file under test/ is a test)

/** ESM: static imports of both entry points, and the same modules through require. */
const EXPORTS_MJS = `
import { createRequire } from "node:module";
import * as esm from "provledger";
import * as esmEthers from "provledger/ethers";
import { report } from "./report.cjs";
const require = createRequire(import.meta.url);
console.log(JSON.stringify(report({ esm, esmEthers, cjs: require("provledger"), cjsEthers: require("provledger/ethers"), require })));
`;

/** CommonJS: require of both entry points, and the same modules through import(). */
const EXPORTS_CJS = `
const { report } = require("./report.cjs");
(async () => {
  const cjs = require("provledger");
  const cjsEthers = require("provledger/ethers");
  const esm = await import("provledger");
  const esmEthers = await import("provledger/ethers");
  console.log(JSON.stringify(report({ esm, esmEthers, cjs, cjsEthers, require })));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/** What both entry scripts report about the modules they loaded. */
const REPORT_CJS = `
const names = (module) => Object.keys(module).filter((name) => name !== "default" && name !== "module.exports").sort();
const differing = (a, b) => names(a).filter((name) => a[name] !== b[name]);
function thrown(action) {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
function refusal(require, specifier) {
  try {
    require(specifier);
    return "loaded";
  } catch (error) {
    return error.code;
  }
}
exports.report = ({ esm, esmEthers, cjs, cjsEthers, require }) => {
  const fromEsm = thrown(() => esm.checkFingerprint("not a fingerprint"));
  const fromCjs = thrown(() => cjs.checkFingerprint("0x12"));
  const schemaPath = require.resolve("provledger/schemas/provenance-receipt.v1.schema.json");
  return {
    esm: names(esm),
    cjs: names(cjs),
    differing: differing(esm, cjs),
    ethers: { esm: names(esmEthers), cjs: names(cjsEthers), differing: differing(esmEthers, cjsEthers) },
    errors: {
      name: fromEsm.name,
      esmErrorIsCjsProvledgerError: fromEsm instanceof cjs.ProvledgerError,
      esmErrorIsEsmInvalidInputError: fromEsm instanceof esm.InvalidInputError,
      cjsErrorIsEsmProvledgerError: fromCjs instanceof esm.ProvledgerError,
      cjsErrorIsEsmInvalidInputError: fromCjs instanceof esm.InvalidInputError,
    },
    resolved: {
      sdk: require.resolve("provledger"),
      viem: require.resolve("viem"),
      schema: schemaPath,
    },
    schemaMatchesExport: JSON.stringify(require(schemaPath)) === JSON.stringify(esm.RECEIPT_SCHEMA),
    deepImport: refusal(require, "provledger/dist/src/sdk/abi/index.js"),
    sourceImport: refusal(require, "provledger/src/sdk/index.ts"),
  };
};
`;

/**
 * The round trip, with only the installed package and viem: register a file's fingerprint, build its receipt, verify
 * it offline and online; sign a registration and relay it; fingerprint a directory on worker threads. TypeScript,
 * type-checked with the consumers below, and run as the JavaScript that TypeScript's transpileModule makes of it.
 */
const ROUNDTRIP_MTS = `
import { createPublicClient, createWalletClient, http, type Address, type Hash } from "viem";
import {
  DataClass,
  buildRegistrationReceipt,
  createProvledgerClient,
  fingerprintBytes,
  fingerprintDirectory,
  fingerprintFile,
  isContractError,
  metadataHash,
  nativeSecp256k1Available,
  parseReceipt,
  stringifyReceipt,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type RegistrationInput,
} from "provledger";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}
const address = (name: string) => env(name) as Address;
const transport = http(env("RPC_URL"));
const ledger = address("LEDGER");
const addresses = { registry: address("REGISTRY"), ledger, rights: address("RIGHTS") };
const connect = (account: Address) =>
  createProvledgerClient({
    publicClient: createPublicClient({ transport, pollingInterval: 50 }),
    walletClient: createWalletClient({ transport, account }),
    addresses,
    chainId: 31337,
  });
const client = connect(address("OPERATOR"));

async function receiptOf(transactionHash: Hash) {
  const receipt = await buildRegistrationReceipt(client.publicClient, { ledger, transactionHash });
  const saved = stringifyReceipt(receipt);
  const offline = await verifyReceiptOffline(parseReceipt(saved));
  const online = await verifyReceiptOnline(client.publicClient, parseReceipt(saved), { ledger });
  return { receipt: JSON.parse(saved) as unknown, offline, online };
}

const fingerprint = await fingerprintFile(env("DATA_FILE"));
const registered = await client.register({
  fingerprint,
  dataClass: DataClass.INTERNAL,
  metadataHash: metadataHash({ title: "Population by district", year: 2026 }),
  metadataURI: "https://data.example.org/population-2026.json",
});

// The same fingerprint again: the revert, from the user's viem (its ES module build), decoded by name.
let duplicate: { name: string; alreadyRegistered: boolean; ownerOrg?: number; message: string } | undefined;
try {
  await client.register({ fingerprint, dataClass: DataClass.INTERNAL });
} catch (error) {
  duplicate = {
    name: (error as Error).name,
    alreadyRegistered: isContractError(error, "AlreadyRegistered"),
    ownerOrg: isContractError(error, "AlreadyRegistered") ? error.params.ownerOrg : undefined,
    message: (error as Error).message,
  };
}

const registration: RegistrationInput = { fingerprint: fingerprintBytes("Annual report 2026"), dataClass: DataClass.PUBLIC };
const envelope = await client.signRegistration({ registration });
const relayed = await connect(address("RELAYER")).registerBySig({ registration, envelope });

const threadIds = new Set<number>();
const directory = await fingerprintDirectory(env("DATA_DIR"), {
  concurrency: 2,
  onProgress: (progress) => threadIds.add(progress.threadId),
});

console.log(
  JSON.stringify(
    {
      fingerprint,
      event: registered.event.args,
      direct: await receiptOf(registered.transactionHash),
      duplicate,
      relayedEvent: relayed.event.args,
      relayed: await receiptOf(relayed.transactionHash),
      directory,
      threadIds: [...threadIds],
      nativeSecp256k1: nativeSecp256k1Available(),
    },
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
  ),
);
`;

/**
 * The TypeScript consumer: compiled only (tsc --noEmit). Its types must come from the package's declarations; the
 * `@ts-expect-error` lines fail the check if they degrade to `any`.
 */
const CONSUMER_TS = `
import { createPublicClient, createWalletClient, http, type Address, type Hex } from "viem";
import {
  DataClass,
  ProvledgerError,
  buildRegistrationReceipt,
  createProvledgerClient,
  fingerprintDirectory,
  fingerprintFile,
  isContractError,
  metadataHash,
  parseReceipt,
  stringifyReceipt,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type DirectoryManifest,
  type ProvenanceReceipt,
  type ProvledgerAddresses,
  type Verdict,
} from "provledger";

export async function registerFile(
  rpcUrl: string,
  operator: Address,
  addresses: ProvledgerAddresses,
  path: string,
): Promise<{ receipt: ProvenanceReceipt; offline: Verdict; online: Verdict; ownerOrg: number }> {
  const transport = http(rpcUrl);
  const client = createProvledgerClient({
    publicClient: createPublicClient({ transport }),
    walletClient: createWalletClient({ transport, account: operator }),
    addresses,
    chainId: 31337,
  });
  const fingerprint: Hex = await fingerprintFile(path);
  try {
    const { event, transactionHash } = await client.register({
      fingerprint,
      dataClass: DataClass.INTERNAL,
      metadataHash: metadataHash({ title: "Population by district" }),
    });
    const ownerOrg: number = event.args.ownerOrg;
    const registrant: Address = event.args.registrant;
    // @ts-expect-error: the event's arguments are typed from the ABI
    const unknownArgument: unknown = event.args.noSuchArgument;
    void registrant;
    void unknownArgument;
    const receipt = await buildRegistrationReceipt(client.publicClient, { ledger: addresses.ledger, transactionHash });
    const saved: string = stringifyReceipt(receipt);
    const offline = await verifyReceiptOffline(parseReceipt(saved));
    const online = await verifyReceiptOnline(client.publicClient, parseReceipt(saved), { ledger: addresses.ledger });
    return { receipt, offline, online, ownerOrg };
  } catch (error) {
    if (isContractError(error, "AlreadyRegistered")) {
      const registeredAt: number = error.params.registeredAt;
      throw new Error(\`registered at \${registeredAt}: \${error.message}\`);
    }
    // @ts-expect-error: error names are those of the contracts' ABIs
    if (isContractError(error, "NoSuchError")) throw error;
    if (error instanceof ProvledgerError) throw new Error(error.message);
    throw error;
  }
}

export function manifestRoot(dir: string): Promise<Hex> {
  return fingerprintDirectory(dir, { concurrency: 2 }).then((manifest: DirectoryManifest) => manifest.root);
}
`;

/** The ethers entry point's consumer (checked once ethers is installed: the root must not need it). */
const ETHERS_CONSUMER_TS = `
import { JsonRpcProvider } from "ethers";
import type { LocalAccount } from "viem";
import { ethersSignerToAccount, fromEthersSigner } from "provledger/ethers";
import type { ProvledgerAddresses } from "provledger";

export async function relayer(url: string, addresses: ProvledgerAddresses): Promise<LocalAccount> {
  const signer = await new JsonRpcProvider(url).getSigner(0);
  await fromEthersSigner(signer, addresses);
  return ethersSignerToAccount(signer);
}
`;

/** Strict, and without skipLibCheck: every declaration file the consumer reaches is checked, the package's too. */
function tsconfig(options: Record<string, unknown>, files: string[]): string {
  return JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "es2022",
        // viem's own declarations (through ox) name Web Crypto and WebAuthn types of the DOM library.
        lib: ["es2022", "dom"],
        types: ["node"],
        skipLibCheck: false,
        ...options,
      },
      files,
    },
    null,
    2,
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// anvil

interface Anvil {
  url: string;
  process: ChildProcessByStdio<null, Readable, Readable>;
  output: () => string;
}

/** The anvil binary of @foundry-rs/anvil for this platform (as its bin.mjs finds it), run without the wrapper. */
function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const binary = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${binary}`);
  } catch {
    const fallback = join(dirname(require.resolve("@foundry-rs/anvil/package.json")), "dist", binary);
    if (existsSync(fallback)) return fallback;
    throw new Error(
      `no anvil binary for ${process.platform}-${process.arch}: run npm ci (devDependency @foundry-rs/anvil)`,
    );
  }
}

/** An ephemeral anvil on a free port (--port 0; it says which), Paris rules as the contracts are compiled for. */
function startAnvil(): Promise<Anvil> {
  const child = spawn(
    anvilBinary(),
    ["--port", "0", "--host", "127.0.0.1", "--hardfork", "paris", "--chain-id", "31337"],
    {
      env: childEnvironment(),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`anvil did not listen within 30 s; its output:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const listening = /Listening on ([\d.]+):(\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolvePromise({ url: `http://${listening[1]}:${listening[2]}`, process: child, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`anvil could not start: ${error.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited (${code ?? signal}) before listening; its output:\n${output}`));
    });
  });
}

function stopAnvil(anvil: Anvil | undefined): Promise<void> {
  if (!anvil || anvil.process.exitCode !== null || anvil.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => anvil.process.kill("SIGKILL"), 5_000);
    anvil.process.once("exit", () => {
      clearTimeout(timer);
      resolvePromise();
    });
    anvil.process.kill("SIGTERM");
  });
}

interface Deployment {
  registry: Address;
  ledger: Address;
  rights: Address;
  operator: Address;
  relayer: Address;
}

/** scripts/deploy.ts's deployment from the compiled artifacts, and one registrar organisation (org 1). */
async function deploy(url: string): Promise<Deployment> {
  const transport = http(url);
  const publicClient = createPublicClient({ chain: hardhatChain, transport, pollingInterval: 50 });
  const [governance, operator, relayer] = await createWalletClient({ transport }).getAddresses();
  const wallet = createWalletClient({ chain: hardhatChain, transport, account: governance });
  const mined = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
  const deployContract = async (name: string, args: readonly unknown[]): Promise<Address> => {
    const artifact = await hre.artifacts.readArtifact(name);
    const hash = await wallet.deployContract({
      abi: artifact.abi as Abi,
      bytecode: artifact.bytecode as Hex,
      args,
      account: governance,
    });
    const { contractAddress } = await mined(hash);
    if (!contractAddress) throw new Error(`deploying ${name} created no contract`);
    return contractAddress;
  };
  const registry = await deployContract("OrganizationRegistry", [0, governance]);
  const ledger = await deployContract("ProvenanceLedger", [registry]);
  await mined(
    await wallet.writeContract({
      address: registry,
      abi: organizationRegistryAbi,
      functionName: "bindLedger",
      args: [ledger],
      account: governance,
    }),
  );
  const rights = await deployContract("DataRights", [ledger]);
  await mined(
    await wallet.writeContract({
      address: ledger,
      abi: provenanceLedgerAbi,
      functionName: "setRightsModule",
      args: [rights],
      account: governance,
    }),
  );
  await mined(
    await wallet.writeContract({
      address: registry,
      abi: organizationRegistryAbi,
      functionName: "registerOrganization",
      args: [
        "Open Data Bureau",
        keccak256(toHex("Open Data Bureau")),
        encodeJurisdiction("CN-GD"),
        Role.REGISTRAR,
        [operator],
      ],
      account: governance,
    }),
  );
  return { registry, ledger, rights, operator: getAddress(operator), relayer: getAddress(relayer) };
}

// ---------------------------------------------------------------------------------------------------------------------

/** What the child process printed last, as JSON; the whole output if it is not JSON. */
function lastJson<T>(stdout: string, what: string): T {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} did not end with a JSON line; it printed:\n${stdout}`);
  }
}

interface ExportsReport {
  esm: string[];
  cjs: string[];
  differing: string[];
  ethers: { esm: string[]; cjs: string[]; differing: string[] };
  errors: Record<string, boolean | string>;
  resolved: { sdk: string; viem: string; schema: string };
  schemaMatchesExport: boolean;
  deepImport: string;
  sourceImport: string;
}

interface Check {
  name: string;
  ok: boolean;
}
interface Verdict {
  valid: boolean;
  authentic: boolean;
  summary: string;
  checks: Check[];
}
interface ReceiptReport {
  receipt: { fingerprint: Hex; record: { ownerOrg: number; registrant: string }; submission: unknown };
  offline: Verdict;
  online: Verdict;
}
interface RoundTrip {
  fingerprint: Hex;
  event: { fingerprint: Hex; ownerOrg: number; registrant: Address };
  direct: ReceiptReport;
  duplicate?: { name: string; alreadyRegistered: boolean; ownerOrg?: number; message: string };
  relayedEvent: { fingerprint: Hex; ownerOrg: number; registrant: Address };
  relayed: ReceiptReport;
  directory: { root: Hex; fileCount: number; totalBytes: number; entries: { path: string; sha256: Hex }[] };
  threadIds: number[];
  nativeSecp256k1: boolean;
}

describe("The npm package, installed from its tarball into a fresh project", function () {
  this.timeout(10 * 60_000);

  let workspace: string;
  let consumer: Consumer | undefined;
  let anvil: Anvil | undefined;
  let packedFiles: string[];
  const timings: Record<string, number> = {};

  before(async function () {
    // Under solidity-coverage the artifacts are instrumented (too large to deploy), and this suite covers no contract.
    if ((hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    const started = Date.now();
    workspace = await mkdtemp(join(tmpdir(), "provledger-package-"));
    const packed = await packRepository(workspace);
    timings["npm pack (prepack: npm run build)"] = packed.ms;
    packedFiles = packed.files;
    // @types/node as this repository pins it; everything else comes with the package.
    const typesNode = `@types/node@${await installedVersion(REPOSITORY, "@types/node")}`;
    consumer = await createConsumer(packed.tarball, [typesNode]);
    timings["npm install"] = consumer.installMs;
    await writeFile(join(consumer.dir, "report.cjs"), REPORT_CJS);
    await writeFile(join(consumer.dir, "exports.mjs"), EXPORTS_MJS);
    await writeFile(join(consumer.dir, "exports.cjs"), EXPORTS_CJS);
    // Type annotations stripped, nothing else: the module runs as it is type-checked.
    const roundtrip = ts.transpileModule(ROUNDTRIP_MTS, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(consumer.dir, "roundtrip.mjs"), roundtrip.outputText);
    timings["before, in all"] = Date.now() - started;
  });

  after(async function () {
    await stopAnvil(anvil);
    await consumer?.remove();
    if (workspace) await rm(workspace, { recursive: true, force: true });
    if (Object.keys(timings).length === 0) return;
    console.log(
      "      timings: " +
        Object.entries(timings)
          .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`)
          .join(", "),
    );
  });

  it("ships the build, the schema and the README, and neither sources nor tests", function () {
    expect(packedFiles).to.include.members([
      "package.json",
      "README.md",
      "schemas/provenance-receipt.v1.schema.json",
      "dist/schemas/provenance-receipt.v1.schema.json",
      "dist/src/sdk/index.js",
      "dist/src/sdk/index.d.ts",
      "dist/src/sdk/index.mjs",
      "dist/src/sdk/index.d.mts",
      "dist/src/sdk/index.js.map",
      "dist/src/sdk/ethers.mjs",
      "dist/src/sdk/fingerprint/worker.js",
    ]);
    const unexpected = packedFiles.filter(
      (file) =>
        !/^(package\.json|README\.md|LICENSE|schemas\/[^/]+\.json|dist\/.+\.(js|mjs|d\.ts|d\.mts|js\.map|json))$/.test(
          file,
        ),
    );
    expect(unexpected, "files outside dist/ and schemas/").to.deep.equal([]);
    expect(packedFiles.filter((file) => /(^|\/)(test|bench|scripts|contracts)\//.test(file))).to.deep.equal([]);
  });

  it("loads with import and with require: the same exports, one copy of the code", async function () {
    const project = consumer!;
    const reports: ExportsReport[] = [];
    for (const script of ["exports.mjs", "exports.cjs"]) {
      reports.push(lastJson<ExportsReport>((await project.node([script])).stdout, script));
    }
    for (const report of reports) {
      expect(report.esm.length, "the root's exports").to.be.greaterThan(50);
      expect(report.esm).to.deep.equal(report.cjs);
      expect(report.esm).to.include.members(["createProvledgerClient", "ProvledgerError", "verifyReceiptOffline"]);
      expect(report.differing, "exports that are different objects in ESM and CommonJS").to.deep.equal([]);
      expect(report.ethers.esm).to.include.members(["fromEthersSigner", "ethersSignerToAccount"]);
      expect(report.ethers.esm).to.deep.equal(report.ethers.cjs);
      expect(report.ethers.differing).to.deep.equal([]);
      expect(report.errors).to.deep.equal({
        name: "InvalidInputError",
        esmErrorIsCjsProvledgerError: true,
        esmErrorIsEsmInvalidInputError: true,
        cjsErrorIsEsmProvledgerError: true,
        cjsErrorIsEsmInvalidInputError: true,
      });
      // Everything from the project's own node_modules, nothing from this repository.
      for (const path of Object.values(report.resolved)) {
        expect(path.startsWith(project.dir + sep), path).to.equal(true);
        expect(path.startsWith(REPOSITORY + sep), path).to.equal(false);
      }
      expect(report.schemaMatchesExport).to.equal(true);
      expect(report.deepImport).to.equal("ERR_PACKAGE_PATH_NOT_EXPORTED");
      expect(report.sourceImport).to.equal("ERR_PACKAGE_PATH_NOT_EXPORTED");
    }
    expect(reports[0]).to.deep.equal(reports[1]);
  });

  it("type-checks a strict TypeScript consumer without skipLibCheck: CommonJS, nodenext ESM, bundler", async function () {
    // Each check reads all of viem's declarations too (about 20 s of CPU): two at a time, for two cores.
    const project = consumer!;
    const tsc = require.resolve("typescript/bin/tsc");
    const check = async (dir: string, options: Record<string, unknown>, files: Record<string, string>) => {
      await mkdir(join(project.dir, dir));
      for (const [file, source] of Object.entries(files)) await writeFile(join(project.dir, dir, file), source);
      await writeFile(join(project.dir, dir, "tsconfig.json"), tsconfig(options, Object.keys(files)));
      const { ms } = await run(process.execPath, [tsc, "-p", dir], { cwd: project.dir, timeout: 6 * 60_000 });
      timings[`tsc ${dir}`] = ms;
    };
    // ethers is an optional peer dependency, not installed: the root's declarations must not need it.
    expect(existsSync(join(project.dir, "node_modules", "ethers"))).to.equal(false);
    await Promise.all([
      check("ts-commonjs", { module: "commonjs" }, { "consumer.ts": CONSUMER_TS }),
      check("ts-nodenext", { module: "nodenext" }, { "consumer.mts": CONSUMER_TS, "roundtrip.mts": ROUNDTRIP_MTS }),
    ]);
    // With ethers installed (the version this repository tests with), the ethers entry point too.
    const installed = await project.install(`ethers@${await installedVersion(REPOSITORY, "ethers")}`);
    timings["npm install ethers"] = installed.ms;
    await check(
      "ts-bundler",
      { module: "esnext", moduleResolution: "bundler" },
      { "consumer.ts": CONSUMER_TS, "ethers-consumer.ts": ETHERS_CONSUMER_TS },
    );
  });

  it("registers, builds and verifies receipts against anvil, and fingerprints a directory on worker threads", async function () {
    const project = consumer!;
    const chainStarted = Date.now();
    anvil = await startAnvil();
    const deployment = await deploy(anvil.url);
    timings["anvil and deployment"] = Date.now() - chainStarted;

    const data = join(project.dir, "data");
    const table = "district,population\nTianhe,2240000\nYuexiu,1040000\n";
    await mkdir(join(data, "files", "nested"), { recursive: true });
    await writeFile(join(data, "population.csv"), table);
    const files: Record<string, string | Buffer> = {
      "a.csv": table,
      "b.json": JSON.stringify({ title: "Population by district" }),
      "nested/c.bin": Buffer.alloc(300_000, 7),
      "nested/d.txt": "",
    };
    for (const [path, content] of Object.entries(files)) await writeFile(join(data, "files", path), content);

    const started = Date.now();
    let stdout: string;
    try {
      ({ stdout } = await project.node(
        ["roundtrip.mjs"],
        {
          RPC_URL: anvil.url,
          OPERATOR: deployment.operator,
          RELAYER: deployment.relayer,
          REGISTRY: deployment.registry,
          LEDGER: deployment.ledger,
          RIGHTS: deployment.rights,
          DATA_FILE: join(data, "population.csv"),
          DATA_DIR: join(data, "files"),
        },
        120_000,
      ));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- anvil's output (last lines)\n${anvil.output().slice(-4000)}`);
    }
    timings["round trip"] = Date.now() - started;
    const result = lastJson<RoundTrip>(stdout, "roundtrip.mjs");
    const lower = (value: string) => value.toLowerCase();

    expect(result.fingerprint).to.equal(`0x${createHash("sha256").update(table).digest("hex")}`);
    expect(result.event.fingerprint).to.equal(result.fingerprint);
    expect(result.event.ownerOrg).to.equal(1);
    expect(result.event.registrant).to.equal(deployment.operator);
    const { direct, relayed } = result;
    expect(direct.receipt.fingerprint).to.equal(result.fingerprint);
    expect(direct.receipt.record.ownerOrg).to.equal(1);
    expect(direct.receipt.submission).to.equal(null);
    expect(direct.offline.valid, direct.offline.summary).to.equal(true);
    expect(direct.online.valid, direct.online.summary).to.equal(true);
    expect(direct.online.authentic).to.equal(true);
    expect(direct.online.checks.filter((check) => !check.ok)).to.deep.equal([]);

    expect(result.duplicate, "registering the fingerprint again").to.include({
      name: "ContractRevertError",
      alreadyRegistered: true,
      ownerOrg: 1,
    });

    // Signed by the operator, sent by a relayer that is no member: the receipt carries the signature.
    expect(result.relayedEvent.registrant).to.equal(deployment.operator);
    expect(relayed.receipt.record.registrant).to.equal(lower(deployment.operator));
    expect(relayed.receipt.submission).to.include({ signer: lower(deployment.operator) });
    expect(relayed.offline.valid, relayed.offline.summary).to.equal(true);
    expect(relayed.offline.checks.find((check) => check.name === "signature")).to.include({ ok: true });
    expect(relayed.online.valid, relayed.online.summary).to.equal(true);
    // secp256k1 is an optional dependency with prebuilt binaries: installed, it is the one verifying.
    expect(result.nativeSecp256k1).to.equal(true);

    // The directory: hashed on the package's worker threads, the same manifest as this repository's sources give.
    const expected = await fingerprintDirectory(join(data, "files"), { concurrency: 2 });
    expect(result.directory.root).to.equal(expected.root);
    expect(result.directory.fileCount).to.equal(4);
    expect(result.directory.entries.map((entry) => entry.path)).to.deep.equal([
      "a.csv",
      "b.json",
      "nested/c.bin",
      "nested/d.txt",
    ]);
    expect(result.threadIds.length).to.be.greaterThan(0);
    expect(
      result.threadIds.every((id) => id > 0),
      `worker thread ids ${result.threadIds}`,
    ).to.equal(true);
    expect(result.directory.entries.find((entry) => entry.path === "nested/c.bin")!.sha256).to.equal(
      `0x${createHash("sha256")
        .update(await readFile(join(data, "files", "nested", "c.bin")))
        .digest("hex")}`,
    );
  });
});
