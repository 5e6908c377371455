import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { createPublicClient, custom, recoverAddress, type Address, type Hex, type PublicClient } from "viem";
import { hardhatChain as hardhat } from "../helpers/viem";
import { deployProvledger } from "../../scripts/deploy";
import { Authorization, DataClass, Relation, Role, Scope } from "../../src/sdk/constants/codes";
import {
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  type ProvenanceReceipt,
  type RegistrationReceipt,
} from "../../src/sdk/receipt";
import {
  Check,
  nativeSecp256k1Available,
  submissionDigest,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type Verdict,
} from "../../src/sdk/verify";
import { hashOf, jurisdiction, registration } from "../helpers/fixtures";
import { signRegistration } from "../helpers/signing";

/**
 * Orgs: 1 Open Data Bureau (CN-GD, registrar + trader), 2 HK Statistics (HK, registrar + trader), 3 Market Regulator
 * (CN-GD, inspector), 4 GD Data Exchange (CN-GD, trader).
 */
async function deployed() {
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

type Deployed = Awaited<ReturnType<typeof deployed>>;

function setup(): Promise<Deployed> {
  return loadFixture(deployed);
}

async function register(ctx: Deployed, label: string, overrides: Parameters<typeof registration>[1] = {}) {
  const fingerprint = hashOf(label) as Hex;
  const tx = await ctx.ledger.connect(ctx.agency).register(registration(fingerprint, overrides));
  const receipt = await buildRegistrationReceipt(ctx.client, {
    ledger: ctx.ledgerAddress,
    transactionHash: tx.hash as Hex,
  });
  return { fingerprint, receipt };
}

function check(verdict: Verdict, name: string) {
  const found = verdict.checks.find((c) => c.name === name);
  expect(found, `check "${name}" in ${JSON.stringify(verdict.checks)}`).to.not.equal(undefined);
  return found!;
}

describe("SDK receipt verification", () => {
  it("refuses a receipt from another deployment, however valid it is there: the trusted ledger decides", async () => {
    const ctx = await setup();
    // A look-alike deployment (anyone who can deploy can make one) with its own organisations and a record.
    const lookalike = await deployed();
    const { receipt } = await register(lookalike, "verify:lookalike");
    const there = await verifyReceiptOnline(lookalike.client, receipt, { ledger: lookalike.ledgerAddress });
    expect(there.valid, there.summary).to.equal(true);

    const here = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(here.valid).to.equal(false);
    expect(here.authentic).to.equal(false);
    expect(check(here, Check.DEPLOYMENT)).to.deep.include({ ok: false });
    expect(check(here, Check.DEPLOYMENT).detail).to.equal(
      `the receipt names ledger ${receipt.ledger}, not the trusted ledger ${ctx.ledgerAddress.toLowerCase()}`,
    );
  });

  it("a fresh registration verifies offline and online, every check named and passed", async () => {
    const ctx = await setup();
    const { receipt } = await register(ctx, "verify:fresh");

    const offline = await verifyReceiptOffline(receipt);
    expect(offline.valid, offline.summary).to.equal(true);
    expect(offline.authentic).to.equal(true);
    expect(offline.checks.map((c) => c.name)).to.deep.equal([
      Check.FORMAT,
      Check.ENTRY_FIELDS,
      Check.PAYLOAD_HASH,
      Check.RECORD_HEAD,
      Check.LEDGER_HEAD,
      Check.SIGNATURE,
    ]);
    expect(offline.summary).to.match(/^VALID OFFLINE: registration of 0x[0-9a-f]{6}…[0-9a-f]{4} by org 1/);

    const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(online.valid, online.summary).to.equal(true);
    expect(online.checks.map((c) => c.name)).to.include.members([
      Check.CHAIN_ID,
      Check.BLOCK,
      Check.EVENT,
      Check.TRAIL_POSITION,
      Check.SUBMISSION,
      Check.RIGHTS_MODULE,
      Check.RECORD_EXISTS,
      Check.NOT_WITHDRAWN,
      Check.LATEST_VERSION,
      Check.NOT_FROZEN,
      Check.OWNER,
      Check.GRANTS,
    ]);
    expect(online.standing).to.deep.include({ exists: true, withdrawn: false, frozen: false, supersededBy: null });
    expect(online.summary).to.match(/^VALID: registration .* all \d+ checks passed against the chain\.$/);
  });

  it("a signed registration's receipt carries the signature, which verifies offline and online", async () => {
    const ctx = await setup();
    const fingerprint = hashOf("verify:signed");
    const reg = registration(fingerprint);
    const envelope = await signRegistration(ctx.ledger, ctx.agency, reg);
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    expect(receipt.submission?.signature).to.equal(envelope.signature.toLowerCase());

    const backends: ("js" | "native")[] = nativeSecp256k1Available() ? ["js", "native"] : ["js"];
    for (const secp256k1 of backends) {
      const offline = await verifyReceiptOffline(receipt, { secp256k1 });
      expect(check(offline, Check.SIGNATURE).detail).to.match(/EIP-712 signature of 0x[0-9a-f]{40}/);
      expect(offline.valid, offline.summary).to.equal(true);
    }
    const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(online.valid, online.summary).to.equal(true);
    expect(check(online, Check.SUBMISSION).detail).to.equal("the transaction's calldata carries this envelope");
  });

  it("refuses a malleated (high-s) signature that plain ecrecover would still accept", async () => {
    const ctx = await setup();
    const reg = registration(hashOf("verify:malleable"));
    const envelope = await signRegistration(ctx.ledger, ctx.agency, reg);
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    const signature = receipt.submission!.signature;
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = parseInt(signature.slice(130), 16);
    const malleated =
      `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
    // Same signer by the curve's symmetry: only the low-s rule (OpenZeppelin's, the ledger's) tells them apart.
    expect((await recoverAddress({ hash: submissionDigest(receipt)!, signature: malleated })).toLowerCase()).to.equal(
      ctx.agency.address.toLowerCase(),
    );
    const tampered: RegistrationReceipt = { ...receipt, submission: { ...receipt.submission!, signature: malleated } };
    const offline = await verifyReceiptOffline(tampered);
    expect(offline.valid).to.equal(false);
    expect(check(offline, Check.SIGNATURE).detail).to.match(/upper half of the curve order/);
  });

  it("an ERC-1271 wallet's signature cannot be checked offline, and verifies online", async () => {
    const ctx = await setup();
    const wallet = await hre.ethers.deployContract("MockERC1271Wallet", [ctx.walletOwner.address]);
    const walletAddress = await wallet.getAddress();
    await ctx.registry.connect(ctx.governance).addOperator(1, walletAddress);
    const reg = registration(hashOf("verify:erc1271"));
    const envelope = await signRegistration(ctx.ledger, ctx.walletOwner, reg, { signerAddress: walletAddress });
    const tx = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
    const receipt = await buildRegistrationReceipt(ctx.client, {
      ledger: ctx.ledgerAddress,
      transactionHash: tx.hash as Hex,
    });
    expect(receipt.record.registrant).to.equal(walletAddress.toLowerCase());

    const offline = await verifyReceiptOffline(receipt);
    expect(offline.valid).to.equal(false);
    expect(check(offline, Check.SIGNATURE).detail).to.match(/ERC-1271 wallet's\? verify online/);
    const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(online.valid, online.summary).to.equal(true);
    expect(check(online, Check.SIGNATURE).detail).to.match(
      /^signer 0x[0-9a-f]{40} is a contract wallet \(ERC-1271\); the ledger verified its signature when it accepted/,
    );
  });

  it("a batch of 10,000: every 100th member's receipt verifies offline, online and on chain", async function () {
    this.timeout(300_000);
    const ctx = await setup();
    const fingerprints = Array.from({ length: 10_000 }, (_, i) => hashOf(`verify:batch:${i}`));
    const tree = StandardMerkleTree.of(
      fingerprints.map((f) => [f]),
      ["bytes32"],
    );
    const tx = await ctx.ledger.connect(ctx.agency).anchorBatch(tree.root, 10_000, hashOf("manifest"), "ipfs://batch");
    let verified = 0;
    for (let i = 0; i < fingerprints.length; i += 100) {
      const receipt = await buildBatchMemberReceipt(ctx.client, {
        ledger: ctx.ledgerAddress,
        transactionHash: tx.hash as Hex,
        fingerprint: fingerprints[i] as Hex,
        proof: tree.getProof(i) as Hex[],
      });
      const offline = await verifyReceiptOffline(receipt);
      expect(offline.valid, offline.summary).to.equal(true);
      const online = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
      expect(online.valid, online.summary).to.equal(true);
      expect(check(online, Check.ONCHAIN_INCLUSION).ok).to.equal(true);
      expect(
        await ctx.ledger.verifyBatchInclusion(receipt.batch.root, receipt.fingerprint, receipt.batch.proof),
      ).to.equal(true);
      verified++;
    }
    expect(verified).to.equal(100);
  });

  describe("the record's standing today", () => {
    it("reports a withdrawn record: authentic, but not in good standing", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:withdrawn");
      await ctx.ledger.connect(ctx.agency).withdraw(fingerprint, hashOf("reason"));
      const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({ withdrawn: true });
      expect(verdict.checks.filter((c) => !c.ok).map((c) => c.name)).to.deep.equal([Check.NOT_WITHDRAWN]);
      expect(verdict.summary).to.match(/^AUTHENTIC BUT NOT IN GOOD STANDING: .*not withdrawn: the owner withdrew/);
      // Offline knows nothing of today: the receipt itself is still consistent.
      expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
    });

    it("reports a superseded record and its latest version", async () => {
      const ctx = await setup();
      const v1 = await register(ctx, "verify:v1");
      const v2 = await register(ctx, "verify:v2", {
        parents: [{ fingerprint: v1.fingerprint, relation: Relation.REVISION_OF }],
      });
      const v3 = await register(ctx, "verify:v3", {
        parents: [{ fingerprint: v2.fingerprint, relation: Relation.REVISION_OF }],
      });
      const verdict = await verifyReceiptOnline(ctx.client, v1.receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({ supersededBy: v2.fingerprint, latestVersion: v3.fingerprint });
      expect(check(verdict, Check.LATEST_VERSION)).to.deep.equal({
        name: Check.LATEST_VERSION,
        ok: false,
        detail: `superseded by ${v2.fingerprint}; the latest version is ${v3.fingerprint}`,
      });
      expect((await verifyReceiptOnline(ctx.client, v3.receipt, { ledger: ctx.ledgerAddress })).valid).to.equal(true);
    });

    it("reports a frozen record, and the current owner after a transfer", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:frozen", { dataClass: DataClass.PUBLIC });
      const latest = await hre.ethers.provider.getBlock("latest");
      await ctx.rights.connect(ctx.agency).offerTransfer(fingerprint, 4, hashOf("terms"), latest!.timestamp + 3600);
      await ctx.rights.connect(ctx.exchange).acceptOffer(1);
      await ctx.rights.connect(ctx.inspector).freeze(fingerprint, hashOf("investigation"));
      const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
      expect(verdict).to.deep.include({ valid: false, authentic: true });
      expect(verdict.standing).to.deep.include({ frozen: true, ownerOrg: 4, ownerName: "GD Data Exchange" });
      expect(check(verdict, Check.NOT_FROZEN).ok).to.equal(false);
      expect(check(verdict, Check.OWNER)).to.include({
        ok: true,
        detail: "now owned by org 4 (GD Data Exchange); org 1 registered it",
      });
    });

    it("answers whether an organisation may use the record, and lists its grants", async () => {
      const ctx = await setup();
      const { fingerprint, receipt } = await register(ctx, "verify:rights", { dataClass: DataClass.PUBLIC });
      await ctx.rights.connect(ctx.agency).issueGrant(fingerprint, 2, Scope.USE | Scope.DERIVE, hashOf("purpose"), 0);
      const granted = await verifyReceiptOnline(ctx.client, receipt, {
        ledger: ctx.ledgerAddress,
        authorization: { org: 2 },
      });
      expect(granted.valid, granted.summary).to.equal(true);
      expect(check(granted, Check.AUTHORIZATION).detail).to.equal("org 2, scope derive: granted (grant 1)");
      expect(check(granted, Check.GRANTS).detail).to.equal("org 2: grant 1 use+derive, active");

      const refused = await verifyReceiptOnline(ctx.client, receipt, {
        ledger: ctx.ledgerAddress,
        authorization: { org: 4, scope: Scope.USE },
      });
      expect(refused).to.deep.include({ valid: false, authentic: true });
      expect(check(refused, Check.AUTHORIZATION)).to.include({ ok: false, detail: "org 4, scope use: no grant" });
      expect(Authorization.NO_GRANT).to.equal(6);
    });
  });

  it("a receipt whose block left the canonical chain fails online", async () => {
    const ctx = await setup();
    const snapshot = await hre.network.provider.send("evm_snapshot", []);
    const { receipt } = await register(ctx, "verify:reorged");
    await hre.network.provider.send("evm_revert", [snapshot]);
    await ctx.ledger.connect(ctx.agency).register(registration(hashOf("verify:other-history")));
    expect((await verifyReceiptOffline(receipt)).valid).to.equal(true);
    const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(verdict).to.deep.include({ valid: false, authentic: false });
    expect(check(verdict, Check.BLOCK).detail).to.match(/^block \d+ is 0x[0-9a-f]{64} on the node's chain, not 0x/);
    expect(check(verdict, Check.EVENT).detail).to.match(/not found/);
  });

  it("a receipt from before the rights module was attached says so, and keeps verifying after", async () => {
    const [governance, agency] = await hre.ethers.getSigners();
    const registry = await hre.ethers.deployContract("OrganizationRegistry", [0, governance.address]);
    const ledger = await hre.ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
    await registry.registerOrganization("Open Data Bureau", hashOf("odb"), jurisdiction("CN-GD"), Role.REGISTRAR, [
      agency.address,
    ]);
    const client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
    const ledgerAddress = (await ledger.getAddress()) as Address;
    const tx = await ledger.connect(agency).register(registration(hashOf("verify:before-rights")));
    const receipt = await buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: tx.hash as Hex });
    expect(receipt.rights).to.equal(null);
    expect((await verifyReceiptOnline(client, receipt, { ledger: ledgerAddress })).valid).to.equal(true);

    const rights = await hre.ethers.deployContract("DataRights", [ledgerAddress]);
    await ledger.connect(governance).setRightsModule(await rights.getAddress());
    const after = await verifyReceiptOnline(client, receipt, {
      ledger: ledgerAddress,
      authorization: { org: 1, scope: Scope.USE },
    });
    expect(after.valid, after.summary).to.equal(true);
    expect(check(after, Check.RIGHTS_MODULE).detail).to.match(/^the ledger had no rights module at block \d+$/);
    expect(check(after, Check.AUTHORIZATION).detail).to.equal("org 1, scope use: owner");
    expect(
      (await buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: tx.hash as Hex })).rights,
    ).to.equal(null);
  });

  it("a malformed value gets a verdict, not an exception", async () => {
    const ctx = await setup();
    for (const value of [null, 42, "receipt", {}, { version: 2 }]) {
      const offline = await verifyReceiptOffline(value as unknown as ProvenanceReceipt);
      const online = await verifyReceiptOnline(ctx.client, value as unknown as ProvenanceReceipt, {
        ledger: ctx.ledgerAddress,
      });
      for (const verdict of [offline, online]) {
        expect(verdict).to.deep.include({ valid: false, authentic: false });
        expect(verdict.checks.map((c) => c.name)).to.deep.equal([Check.FORMAT]);
        expect(verdict.summary).to.match(/^INVALID: receipt; 1 of 1 checks failed: format: /);
      }
    }
  });

  describe("tampering", () => {
    type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
    type Path = (string | number)[];

    /** Every path in a JSON value: leaves and containers (containers get structural edits). */
    function paths(value: Json, prefix: Path = []): Path[] {
      if (value === null || typeof value !== "object") return [prefix];
      const children = Array.isArray(value)
        ? value.flatMap((item, i) => paths(item, [...prefix, i]))
        : Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]));
      return [prefix, ...children];
    }

    function get(value: Json, path: Path): Json {
      return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key], value);
    }

    function set(value: Json, path: Path, next: Json | undefined): void {
      const parent = get(value, path.slice(0, -1)) as Record<string | number, Json>;
      const key = path[path.length - 1];
      if (next === undefined) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else parent[key] = next;
    }

    /** A different value at `path`, of the same kind where possible: what a forger would try. */
    function mutated(original: Json, choice: number, delta: number, position: number): Json | undefined {
      if (typeof original === "string" && /^0x[0-9a-f]+$/.test(original)) {
        const i = 2 + (position % (original.length - 2));
        const digit = ((parseInt(original[i], 16) + 1 + (delta % 15)) % 16).toString(16);
        return original.slice(0, i) + digit + original.slice(i + 1);
      }
      if (typeof original === "string" && /^\d+$/.test(original)) {
        const value = BigInt(original);
        return String(choice % 2 === 0 || value < BigInt(delta) ? value + BigInt(delta) : value - BigInt(delta));
      }
      if (typeof original === "string") return choice % 2 === 0 ? `${original}x` : original.slice(0, -1) || "x";
      if (typeof original === "number")
        return choice % 2 === 0 || original < delta ? original + delta : original - delta;
      if (original === null) return choice % 2 === 0 ? "0x00" : { signer: "0x00" };
      if (Array.isArray(original)) {
        if (original.length === 0) return ["0x" + "11".repeat(32)];
        const copy = structuredClone(original);
        if (choice % 3 === 0) copy.splice(position % copy.length, 1);
        else if (choice % 3 === 1) copy.push(structuredClone(copy[position % copy.length]));
        else copy.reverse();
        return copy;
      }
      if (typeof original === "object") {
        const keys = Object.keys(original);
        const copy = structuredClone(original);
        if (choice % 2 === 0 && keys.length > 0) delete copy[keys[position % keys.length]];
        else copy.extra = "0x00";
        return copy;
      }
      return undefined;
    }

    let receipts: ProvenanceReceipt[];
    let client: PublicClient;
    let ledger: Address;

    before(async () => {
      const ctx = await setup();
      client = ctx.client;
      ledger = ctx.ledgerAddress;
      // A signed registration by HK of a record derived from CN-GD's public dataset under a grant, and from its own.
      const a = hashOf("tamper:a");
      const b = hashOf("tamper:b");
      await ctx.ledger.connect(ctx.agency).register(registration(a, { dataClass: DataClass.PUBLIC }));
      await ctx.ledger.connect(ctx.foreignAgency).register(registration(b));
      await ctx.rights.connect(ctx.agency).issueGrant(a, 2, Scope.DERIVE, hashOf("purpose"), 0);
      const reg = registration(hashOf("tamper:c"), {
        metadataURI: "ipfs://tamper",
        parents: [
          { fingerprint: a, relation: Relation.DERIVED_FROM },
          { fingerprint: b, relation: Relation.DERIVED_FROM },
        ],
      });
      const envelope = await signRegistration(ctx.ledger, ctx.foreignAgency, reg);
      const signed = await ctx.ledger.connect(ctx.relayer).registerBySig(reg, envelope);
      const plain = await register(ctx, "tamper:plain");
      const fingerprints = Array.from({ length: 64 }, (_, i) => hashOf(`tamper:batch:${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((f) => [f]),
        ["bytes32"],
      );
      const anchored = await ctx.ledger.connect(ctx.agency).anchorBatch(tree.root, 64, hashOf("manifest"), "ipfs://m");
      receipts = [
        await buildRegistrationReceipt(client, { ledger: ctx.ledgerAddress, transactionHash: signed.hash as Hex }),
        plain.receipt,
        await buildBatchMemberReceipt(client, {
          ledger: ctx.ledgerAddress,
          transactionHash: anchored.hash as Hex,
          fingerprint: fingerprints[21] as Hex,
          proof: tree.getProof(21) as Hex[],
        }),
      ];
      for (const receipt of receipts) {
        const verdict = await verifyReceiptOnline(client, receipt, { ledger: ctx.ledgerAddress });
        expect(verdict.valid, verdict.summary).to.equal(true);
      }
    });

    /** Offline first (cheap); only a receipt that passes offline needs the chain to expose it. */
    async function combined(receipt: ProvenanceReceipt): Promise<{ offline: Verdict; online?: Verdict }> {
      const offline = await verifyReceiptOffline(receipt);
      return offline.valid ? { offline, online: await verifyReceiptOnline(client, receipt, { ledger }) } : { offline };
    }

    it("changing any field of a receipt makes it fail verification (property)", async function () {
      this.timeout(600_000);
      // Every path of every receipt, batch fields included, with no exclusions: one example each, then random ones.
      const allPaths = receipts.map((receipt) => paths(receipt as unknown as Json).filter((p) => p.length > 0));
      const examples = allPaths.flatMap((list, which) =>
        list.map((_, i): [number, number, number, number, number] => [which, i, i, 1 + (i % 7), i]),
      );
      const RANDOM_RUNS = 400;
      const caught = new Map<string, number>();
      const tampered = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: receipts.length - 1 }),
          fc.nat(),
          fc.nat(),
          fc.integer({ min: 1, max: 1000 }),
          fc.nat(),
          async (which, pathChoice, choice, delta, position) => {
            const original = receipts[which] as unknown as Json;
            const all = allPaths[which];
            const path = all[pathChoice % all.length];
            const next = mutated(get(original, path), choice, delta, position);
            const forged = structuredClone(original);
            set(forged, path, next);
            const what = `${receipts[which].kind} ${path.join("/")} -> ${JSON.stringify(next)}`;
            expect(JSON.stringify(forged), `${what}: the mutation changed nothing`).to.not.equal(
              JSON.stringify(original),
            );

            const { offline, online } = await combined(forged as unknown as ProvenanceReceipt);
            const verdict = online ?? offline;
            expect(verdict.valid, `${what}: ${verdict.summary}`).to.equal(false);
            expect(verdict.authentic, `${what}: ${verdict.summary}`).to.equal(false);
            const where = online ? "online" : "offline";
            caught.set(where, (caught.get(where) ?? 0) + 1);
            tampered.add(`${which}:${path.join("/")}`);
          },
        ),
        { numRuns: examples.length + RANDOM_RUNS, examples },
      );
      // Every field path was tampered with, including each batch field (and none is left out as unprovable).
      expect(tampered.size).to.equal(examples.length);
      expect([...tampered]).to.include.members(["2:batch", "2:batch/root", "2:batch/proof", "2:batch/proof/0"]);
      // Both halves earned their keep: some tampering only the chain exposes (e.g. the block hash).
      expect(caught.get("offline") ?? 0).to.be.greaterThan(0);
      expect(caught.get("online") ?? 0).to.be.greaterThan(0);
    });

    it("every leaf field, changed once each, is caught", async function () {
      this.timeout(600_000);
      for (const receipt of receipts) {
        const original = receipt as unknown as Json;
        for (const path of paths(original).filter((p) => p.length > 0)) {
          const value = get(original, path);
          if (value !== null && typeof value === "object") continue;
          const tampered = structuredClone(original);
          set(tampered, path, mutated(value, 0, 1, 3));
          const { offline, online } = await combined(tampered as unknown as ProvenanceReceipt);
          expect((online ?? offline).authentic, `${receipt.kind} ${path.join("/")}`).to.equal(false);
        }
      }
    });
  });
});
