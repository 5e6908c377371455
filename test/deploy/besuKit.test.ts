/**
 * The Besu QBFT kit: extraData byte for byte against Besu's documented examples, node keys as Besu derives them, the
 * genesis / node configuration / permissioning files' shape, and bad input refused with one line, exit 2 and
 * nothing written.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { fromRlp, getAddress, keccak256, type Address, type Hex } from "viem";
import { createBesuKit, nodeKey, qbftExtraData, runBesuKit, sortValidators } from "../../src/deploy/besu";

// From hyperledger/besu-docs @faacf3564faeacd29f784abba519c692919b9815,
// docs/private-networks/how-to/configure/consensus/qbft.md, "Generate extra data": the 4 initial validators of
// toEncode.json and the RLP that `besu rlp encode --type=QBFT_EXTRA_DATA` gives for them.
const DOCS_VALIDATORS: Address[] = [
  "0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb",
  "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70",
  "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de",
  "0xab5e7f4061c605820d3744227eed91ff8e2c8908",
];
const DOCS_EXTRA_DATA: Hex =
  "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854944592c8e45706cc08b8f44b11e43cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc7094c5327f96ee02d7bcbc1bf1236b8c15148971e1de94ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0";
// Same page, the "Block header validator selection" genesis example's extraData; its validators as listed in it.
const GENESIS_EXAMPLE_VALIDATORS: Address[] = [
  "0x64a702e6263b7297a96638cac6ae65e6541f4169",
  "0x3923390ad55e90c237593b3b0e401f3b08a03185",
  "0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692",
  "0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78",
];
const GENESIS_EXAMPLE_EXTRA_DATA: Hex =
  "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0";

// Hardhat's / anvil's first test account: a widely published key, public key and address.
const TEST_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const TEST_PUBLIC_KEY: Hex =
  "0x8318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed753547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5";
const OPERATORS: Address[] = [
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
];

function run(argv: string[]): { status: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const status = runBesuKit(argv, { log: (line) => out.push(line), error: (line) => err.push(line) });
  return { status, out, err };
}

describe("deploy: the Besu QBFT network kit", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "provledger-besu-kit-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("extraData", () => {
    it("equals Besu's documented 4-validator QBFT extraData byte for byte", () => {
      expect(qbftExtraData(DOCS_VALIDATORS)).to.equal(DOCS_EXTRA_DATA);
      expect(qbftExtraData(GENESIS_EXAMPLE_VALIDATORS)).to.equal(GENESIS_EXAMPLE_EXTRA_DATA);
    });

    it("takes checksummed addresses alike, keeps the order given, and sorts ascending on request", () => {
      expect(qbftExtraData(DOCS_VALIDATORS.map((a) => getAddress(a)))).to.equal(DOCS_EXTRA_DATA);
      expect(qbftExtraData([...DOCS_VALIDATORS].reverse())).to.not.equal(DOCS_EXTRA_DATA);
      expect(sortValidators(DOCS_VALIDATORS)).to.deep.equal([
        DOCS_VALIDATORS[1],
        DOCS_VALIDATORS[0],
        DOCS_VALIDATORS[3],
        DOCS_VALIDATORS[2],
      ]);
    });
  });

  it("derives a node key as Besu does: key.pub without the 0x04 prefix, address = keccak256(pub)[12:]", () => {
    const key = nodeKey(TEST_KEY);
    expect(key.publicKey).to.equal(TEST_PUBLIC_KEY);
    expect(key.address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(`0x${keccak256(key.publicKey).slice(-40)}`).to.equal(key.address.toLowerCase());
    const fresh = [nodeKey(), nodeKey()];
    expect(fresh[0]!.privateKey).to.not.equal(fresh[1]!.privateKey);
  });

  it("writes genesis, keys, node configurations and permissioning for 4 validators", () => {
    const out = join(dir, "net");
    const result = run([
      "--validators",
      "4",
      "--out",
      out,
      "--chain-id",
      "2018",
      "--block-period",
      "3",
      "--epoch-length",
      "1000",
      "--gas-limit",
      "0x2000000",
      "--contract-size-limit",
      "49152",
      "--operators",
      OPERATORS.join(","),
    ]);
    expect(result.err, result.err.join("\n")).to.deep.equal([]);
    expect(result.status).to.equal(0);

    const genesis = JSON.parse(readFileSync(join(out, "genesis.json"), "utf8"));
    expect(genesis.config).to.include({ chainId: 2018, londonBlock: 0, zeroBaseFee: true, contractSizeLimit: 49152 });
    expect(genesis.config.qbft).to.deep.equal({ blockperiodseconds: 3, epochlength: 1000, requesttimeoutseconds: 6 });
    expect(genesis).to.include({ gasLimit: "0x2000000", difficulty: "0x1" });
    expect(genesis.mixHash).to.equal("0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365");

    const network = JSON.parse(readFileSync(join(out, "network.json"), "utf8"));
    const nodes = network.validators as { name: string; address: Address; enode: string; p2pPort: number }[];
    expect(nodes.map((node) => node.name)).to.deep.equal(["node-1", "node-2", "node-3", "node-4"]);
    // extraData = RLP([vanity, validators ascending, [], round 0, []]) of exactly these nodes.
    const [vanity, validators, votes, round, seals] = fromRlp(genesis.extraData, "hex") as [
      Hex,
      Hex[],
      Hex[],
      Hex,
      Hex[],
    ];
    expect(vanity).to.equal(`0x${"00".repeat(32)}`);
    expect(validators).to.deep.equal(sortValidators(nodes.map((node) => node.address)).map((a) => a.toLowerCase()));
    expect([votes, round, seals]).to.deep.equal([[], "0x", []]);

    const permissions = parse(readFileSync(join(out, "permissions_config.toml"), "utf8"));
    expect(permissions["accounts-allowlist"]).to.deep.equal(OPERATORS.map((a) => a.toLowerCase()));
    expect(permissions["nodes-allowlist"]).to.deep.equal(nodes.map((node) => node.enode));

    for (const node of nodes) {
      const folder = join(out, node.name);
      const privateKey = readFileSync(join(folder, "key"), "utf8") as Hex;
      expect(statSync(join(folder, "key")).mode & 0o777).to.equal(0o600);
      const key = nodeKey(privateKey);
      expect(key.address).to.equal(node.address);
      expect(readFileSync(join(folder, "key.pub"), "utf8")).to.equal(key.publicKey);
      expect(node.enode).to.equal(`enode://${key.publicKey.slice(2)}@127.0.0.1:${node.p2pPort}`);
      expect(readFileSync(join(folder, "genesis.json"), "utf8")).to.equal(
        readFileSync(join(out, "genesis.json"), "utf8"),
      );
      expect(readFileSync(join(folder, "permissions_config.toml"), "utf8")).to.equal(
        readFileSync(join(out, "permissions_config.toml"), "utf8"),
      );
      const config = parse(readFileSync(join(folder, "config.toml"), "utf8"));
      expect(config).to.include({
        "min-gas-price": 0,
        "genesis-file": "genesis.json",
        "node-private-key-file": "key",
        "rpc-http-enabled": true,
        "rpc-ws-enabled": true,
        "p2p-port": node.p2pPort,
        "permissions-accounts-config-file-enabled": true,
        "permissions-accounts-config-file": "permissions_config.toml",
        "permissions-nodes-config-file-enabled": true,
        "permissions-nodes-config-file": "permissions_config.toml",
      });
      expect(config["rpc-http-api"]).to.include.members(["ETH", "NET", "WEB3", "QBFT", "TXPOOL"]);
      expect(config["rpc-http-api"]).to.not.include.members(["ADMIN"]);
      expect(config.bootnodes).to.deep.equal(nodes.filter((other) => other !== node).map((other) => other.enode));
    }
    const ports = nodes.map((node) => node.p2pPort);
    expect(new Set(ports).size, "nodes on one host get distinct ports").to.equal(4);
  });

  it("puts one node per host with --hosts, and leaves the accounts allowlist off without --operators", () => {
    const kit = createBesuKit({
      validators: 5,
      hosts: ["10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15"],
    });
    expect(kit.nodes.map((node) => node.enode.split("@")[1])).to.deep.equal(
      ["10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15"].map((host) => `${host}:30303`),
    );
    expect(kit.nodes[2]!.rpcUrl).to.equal("http://10.0.0.13:8545");
    const config = parse(kit.files.get("node-1/config.toml")!);
    expect(config).to.not.have.property("permissions-accounts-config-file-enabled");
    expect(parse(kit.files.get("permissions_config.toml")!)).to.not.have.property("accounts-allowlist");
    const [, validators] = fromRlp(kit.genesis.extraData as Hex, "hex") as [Hex, Hex[]];
    expect(validators).to.have.length(5);
  });

  describe("bad input: one line, exit 2, nothing written", () => {
    const cases: [string, string[], RegExp][] = [
      ["3 validators", ["--validators", "3"], /--validators must be a whole number >= 4, got 3/],
      ["no validators", [], /--validators is required/],
      ["a fractional count", ["--validators", "4.5"], /--validators must be a whole number/],
      ["an unknown flag", ["--validators", "4", "--bogus", "1"], /Unknown option '--bogus'/],
      ["a bad operator", ["--validators", "4", "--operators", "0x1234"], /--operators: "0x1234" is not an address/],
      ["a bad gas limit", ["--validators", "4", "--gas-limit", "lots"], /--gas-limit must be a whole number/],
      ["a tiny gas limit", ["--validators", "4", "--gas-limit", "100"], /--gas-limit must be from 21000/],
      [
        "a short request timeout",
        ["--validators", "4", "--block-period", "5", "--request-timeout", "2"],
        /--request-timeout/,
      ],
      [
        "a zero block period",
        ["--validators", "4", "--block-period", "0"],
        /--block-period must be a whole number from 1/,
      ],
      ["hosts that do not match", ["--validators", "4", "--hosts", "10.0.0.1,10.0.0.2"], /--hosts names 2 hosts for 4/],
      ["a host name", ["--validators", "4", "--hosts", "node.example"], /is not an IPv4 address/],
    ];
    for (const [what, argv, message] of cases) {
      it(`refuses ${what}`, () => {
        const out = join(dir, `bad-${what.replace(/\W+/g, "-")}`);
        const result = run([...argv, "--out", out]);
        expect(result.status).to.equal(2);
        expect(result.err).to.have.length(1);
        expect(result.err[0]).to.match(message);
        expect(result.err[0]).to.not.include("\n");
        expect(readdirSync(dir).filter((name) => name.includes(out.split("/").pop()!))).to.deep.equal([]);
      });
    }

    it("refuses an --out that is not empty and leaves it untouched", () => {
      const out = join(dir, "taken");
      run(["--validators", "4", "--out", out]);
      const before = readFileSync(join(out, "node-1", "key"), "utf8");
      const result = run(["--validators", "4", "--out", out]);
      expect(result.status).to.equal(2);
      expect(result.err[0]).to.match(/--out .* exists and is not empty/);
      expect(readFileSync(join(out, "node-1", "key"), "utf8")).to.equal(before);
      expect(readdirSync(dir).filter((name) => name.includes("partial"))).to.deep.equal([]);
    });

    it("exits 2 from the command line too (scripts/besu-kit.ts)", () => {
      const out = join(dir, "cli");
      writeFileSync(join(dir, "marker"), "");
      const child = spawnSync(
        process.execPath,
        [
          require.resolve("ts-node/dist/bin.js"),
          "--transpile-only",
          join(__dirname, "..", "..", "scripts", "besu-kit.ts"),
          "--validators",
          "2",
          "--out",
          out,
        ],
        { encoding: "utf8" },
      );
      expect(child.status).to.equal(2);
      expect(child.stderr.trim().split("\n")).to.have.length(1);
      expect(child.stderr).to.match(/--validators must be a whole number >= 4, got 2/);
      expect(readdirSync(dir)).to.not.include("cli");
    });
  });
});
