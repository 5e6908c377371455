import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, custom, type Address, type Hex, type PublicClient } from "viem";
import {
  Check,
  Role,
  Scope,
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type ProvenanceReceipt,
} from "../../../src/sdk";
import { hashOf, jurisdiction, registration } from "../../helpers/fixtures";
import { hardhatChain as hardhat } from "../../helpers/viem";
import { check, deployed, register, setup } from "./deployment";

describe("SDK receipt verification: offline and online", () => {
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
    expect(verdict.onChain).to.equal(false);
    expect(verdict.summary).to.match(/^INVALID: NOT ON CHAIN: registration of /);
  });

  it("a receipt of a block the chain no longer reaches (lost in a crash) is not on chain", async () => {
    const ctx = await setup();
    const snapshot = await hre.network.provider.send("evm_snapshot", []);
    const { receipt } = await register(ctx, "verify:lost");
    await hre.network.provider.send("evm_revert", [snapshot]);
    const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(verdict).to.deep.include({ valid: false, authentic: false, onChain: false });
    expect(check(verdict, Check.BLOCK).detail).to.match(
      /^block \d+ is not on the node's chain \(its head is block \d+\)$/,
    );
    expect(verdict.summary).to.match(/^INVALID: NOT ON CHAIN: /);
  });

  it("a valid receipt is on chain; a node that cannot be read leaves it undecided, not 'not on chain'", async () => {
    const ctx = await setup();
    const { receipt } = await register(ctx, "verify:on-chain");
    const verdict = await verifyReceiptOnline(ctx.client, receipt, { ledger: ctx.ledgerAddress });
    expect(verdict).to.deep.include({ valid: true, onChain: true });
    expect((await verifyReceiptOffline(receipt)).onChain).to.equal(undefined);
    const broken = createPublicClient({
      chain: hardhat,
      transport: custom(
        {
          request: async (args: { method: string; params?: unknown }) => {
            if (args.method === "eth_getBlockByNumber") throw new Error("connection reset");
            return hre.network.provider.request(args as never);
          },
        },
        { retryCount: 0 },
      ),
    }) as PublicClient;
    const undecided = await verifyReceiptOnline(broken, receipt, { ledger: ctx.ledgerAddress });
    expect(undecided.valid).to.equal(false);
    expect(undecided.onChain).to.equal(undefined);
    expect(check(undecided, Check.BLOCK).detail).to.match(/^could not be checked: /);
    expect(undecided.summary).not.to.include("NOT ON CHAIN");
  });

  it("a receipt from before the rights module was attached says so, and keeps verifying after", async () => {
    const [governance, agency] = await hre.ethers.getSigners();
    const registry = await hre.ethers.deployContract("OrganizationRegistry", [0, governance.address]);
    const ledger = await hre.ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
    await registry.bindLedger(await ledger.getAddress());
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
});
