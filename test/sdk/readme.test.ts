/**
 * The code blocks of README.md's "SDK" section are the regions of this file marked `// README: <name>` ...
 * `// README: end` (the first block is this file's SDK imports, with the paths as seen from the repository root).
 * The first test checks they are identical; the second runs them against the in-process network.
 */
import { expect } from "chai";
import hre from "hardhat";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { deployProvledger } from "../../scripts/deploy";
import { Role, encodeJurisdiction, fingerprintBytes } from "../../src/sdk";
// README: imports
import { createPublicClient, createWalletClient, custom } from "viem";
import {
  DataClass,
  Relation,
  Scheme,
  buildRegistrationReceipt,
  createProvledgerClient,
  explainProvenance,
  fingerprintDirectory,
  fingerprintFile,
  formatExplanation,
  isContractError,
  isRetryableError,
  metadataHash,
  parseEnvelope,
  parseReceipt,
  prepareBatch,
  readTrailEntries,
  serializeEnvelope,
  stringifyReceipt,
  verifyCompleteTrail,
  verifyReceiptOffline,
  verifyReceiptOnline,
  writeBatchFiles,
} from "../../src/sdk";
import { fromEthersSigner } from "../../src/sdk/ethers";
// README: end

const README = join(__dirname, "..", "..", "README.md");

/** The marked regions of this file, dedented, by name, in order. */
function regions(): { name: string; code: string }[] {
  const lines = readFileSync(__filename, "utf8").split("\n");
  const found: { name: string; code: string }[] = [];
  let name: string | undefined;
  let body: string[] = [];
  for (const line of lines) {
    const marker = /^\s*\/\/ README: (.+)$/.exec(line);
    if (marker && marker[1] !== "end") {
      name = marker[1];
      body = [];
    } else if (marker && name !== undefined) {
      const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
      const code = body.map((l) => l.slice(indent)).join("\n");
      // As a user writes them: the package's entry points instead of this repository's paths.
      found.push({ name, code: code.replace(/"\.\.\/\.\.\/src\/sdk(\/ethers)?"/g, '"provledger$1"') });
      name = undefined;
    } else if (name !== undefined) {
      body.push(line);
    }
  }
  return found;
}

/** The ```ts blocks of the README's "## SDK" section. */
function readmeBlocks(): string[] {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf("\n## SDK\n");
  expect(start, 'README.md has a "## SDK" section').to.be.greaterThan(0);
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) => match[1]);
}

describe("README SDK snippets", () => {
  it("are the code this file runs", () => {
    expect(readmeBlocks()).to.deep.equal(regions().map((region) => region.code));
  });

  it("run against a fresh deployment", async () => {
    // What the README leaves to the reader: a provider, the deployment's addresses (as scripts/deploy.ts prints
    // them), an operator account of a registrar organisation, some data, a relayer and a way to tell the user.
    const provider = hre.network.provider;
    const contracts = await deployProvledger(0);
    const deployment = {
      organizationRegistry: (await contracts.registry.getAddress()) as Address,
      provenanceLedger: (await contracts.ledger.getAddress()) as Address,
      dataRights: (await contracts.rights.getAddress()) as Address,
    };
    const [governance, operatorSigner, relayerSigner] = await hre.ethers.getSigners();
    const operator = getAddress(operatorSigner.address);
    const profile = metadataHash({ name: "Open Data Bureau" });
    const onboarding = await contracts.registry
      .connect(governance)
      .registerOrganization("Open Data Bureau", profile, encodeJurisdiction("CN-GD"), Role.REGISTRAR, [operator]);
    await onboarding.wait();
    const work = await mkdtemp(join(tmpdir(), "provledger-readme-"));
    const csvPath = join(work, "population-2026.csv");
    const nextYearPath = join(work, "population-2027.csv");
    const releaseFolder = join(work, "release");
    const batchDirectory = join(work, "batch");
    await writeFile(csvPath, "district,population\nTianhe,2240000\nYuexiu,1040000\n");
    await writeFile(nextYearPath, "district,population\nTianhe,2260000\nYuexiu,1030000\n");
    await mkdir(join(releaseFolder, "maps"), { recursive: true });
    await writeFile(join(releaseFolder, "population-2026.csv"), "district,population\nTianhe,2240000\n");
    await writeFile(join(releaseFolder, "maps", "districts.geojson"), '{"type":"FeatureCollection","features":[]}');
    const report = "Annual report 2026";
    const notices: { message: string; ownerOrg: number }[] = [];
    const notify = (message: string, ownerOrg: number) => notices.push({ message, ownerOrg });
    const readings: Hex[] = Array.from({ length: 1000 }, (_, i) => keccak256(toHex(`reading ${i}`)));

    // README: connect
    const transport = custom(provider);
    const client = createProvledgerClient({
      publicClient: createPublicClient({ transport }),
      walletClient: createWalletClient({ transport, account: operator }),
      addresses: {
        registry: deployment.organizationRegistry,
        ledger: deployment.provenanceLedger,
        rights: deployment.dataRights,
      },
      chainId: 31337,
    });
    // README: end

    // README: fingerprint
    // SHA-256 of the file's bytes, streamed: any size, never read into memory whole.
    const fingerprint = await fingerprintFile(csvPath);
    // A folder: one root over every file's path, size and SHA-256, hashed on all cores.
    const manifest = await fingerprintDirectory(releaseFolder);
    // manifest.entries lists each file; manifest.root is what goes on chain (scheme MANIFEST_ROOT).
    // README: end

    expect(fingerprint).to.equal(fingerprintBytes(await readFile(csvPath)));
    expect(manifest.fileCount).to.equal(2);
    expect(manifest.entries.map((entry) => entry.path)).to.deep.equal([
      "maps/districts.geojson",
      "population-2026.csv",
    ]);

    // README: register
    const { event, transactionHash } = await client.register({
      fingerprint,
      dataClass: DataClass.INTERNAL,
      metadataHash: metadataHash({ title: "Population by district", year: 2026 }),
      metadataURI: "https://data.example.gov.cn/population-2026.json",
    });
    // event.args is typed from the ABI: fingerprint, ownerOrg, registrant, ..., stamp (the audit trail position).

    // The release folder is derived from the table.
    await client.register({
      fingerprint: manifest.root,
      scheme: Scheme.MANIFEST_ROOT,
      dataClass: DataClass.INTERNAL,
      parents: [{ fingerprint, relation: Relation.DERIVED_FROM }],
    });

    // Next year's edition revises the table; the earlier version is then superseded.
    await client.register({
      fingerprint: await fingerprintFile(nextYearPath),
      dataClass: DataClass.INTERNAL,
      parents: [{ fingerprint, relation: Relation.REVISION_OF }],
    });
    // README: end

    expect(event.args.ownerOrg).to.equal(1);
    expect(event.args.registrant).to.equal(operator);
    expect(transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect((await client.latestVersion({ fingerprint })).latest).to.equal(await fingerprintFile(nextYearPath));

    // README: sign and relay
    // The registrant: its wallet signs (or pass { account } for another key, e.g. a hardware wallet); nothing is sent.
    const registration = { fingerprint: fingerprintBytes(report), dataClass: DataClass.PUBLIC };
    const envelope = await client.signRegistration({ registration });
    const json = serializeEnvelope(envelope); // hand it to the relayer with the registration

    // The relayer (here with an ethers v6 signer) needs no membership; the signer is the registrant.
    const relayer = await fromEthersSigner(relayerSigner, client.addresses);
    const relayed = await relayer.registerBySig({ registration, envelope: parseEnvelope(json) });
    // README: end

    expect(relayed.event.args.registrant).to.equal(operator);
    expect(relayed.event.args.ownerOrg).to.equal(1);

    // README: anchor a batch
    // One root on chain for any number of fingerprints; the files prove each member later.
    const batch = prepareBatch(readings, { publisher: "Open Data Bureau", sensors: "air quality", day: "2026-11-25" });
    await client.anchorBatch({
      root: batch.tree.root,
      leafCount: batch.tree.leafCount,
      metadataHash: batch.metadataHash,
    });
    await writeBatchFiles(batchDirectory, batch); // manifest.json (the tree) and proofs.jsonl (one proof per member)
    const included = await client.verifyBatchInclusion({
      root: batch.tree.root,
      leaf: readings[42],
      proof: batch.tree.proof(42),
    });
    // README: end

    expect(included).to.equal(true);
    expect((await readdir(batchDirectory)).sort()).to.deep.equal(["manifest.json", "proofs.jsonl"]);

    // README: receipt
    // A portable proof of the registration, for whoever must check the dataset's provenance later.
    const receipt = await buildRegistrationReceipt(client.publicClient, {
      ledger: client.addresses.ledger,
      transactionHash,
    });
    const saved = stringifyReceipt(receipt);

    const offline = await verifyReceiptOffline(parseReceipt(saved)); // no node: payload, trail heads, signature
    // Online: against the ledger you trust (your deployment's), never an address taken from the receipt.
    const online = await verifyReceiptOnline(client.publicClient, parseReceipt(saved), {
      ledger: deployment.provenanceLedger,
    });
    if (!online.valid) notify(online.summary, receipt.record.ownerOrg);
    // README: end

    expect(offline.valid, offline.summary).to.equal(true);
    // The first registration was revised above, so it is authentic but no longer the latest version.
    expect(online.authentic, online.summary).to.equal(true);
    expect(online.valid).to.equal(false);
    expect(notices).to.have.length(1);
    notices.length = 0;

    // README: explain
    // Before a trade: who owns the release, what it derives from, its outstanding licences (they survive a sale),
    // inspection findings, freezes, transfers and customs decisions, read from the chain.
    const provenance = await explainProvenance(client.publicClient, client.addresses, manifest.root);
    const text = formatExplanation(provenance); // the same, as indented text for a person
    if (provenance.registered && provenance.frozen) notify(text, provenance.owner.id);
    // README: end

    expect(provenance.registered).to.equal(true);
    if (!provenance.registered) throw new Error("unreachable");
    expect(provenance.owner.name).to.equal("Open Data Bureau");
    expect(provenance.parents.map((edge) => edge.parent.fingerprint)).to.deep.equal([fingerprint]);
    expect(provenance.outstandingGrants).to.deep.equal([]);
    expect(text).to.include(manifest.root).and.include("Open Data Bureau");
    expect(notices).to.have.length(0);

    // README: replay a trail
    // An inspector proves the trail complete: every entry, replayed from the events, must end at the ledger's own
    // head read at the same block; a dropped, altered or reordered entry breaks the chain.
    const { entries, toBlock } = await readTrailEntries(client.publicClient, { addresses: client.addresses });
    const verdict = verifyCompleteTrail(entries, await client.ledgerHead({ blockNumber: toBlock }));
    if (!verdict.complete) notify(verdict.reason, 0);
    // One record's trail is its entries; their replayed head is the ledger's trailHead for the record.
    const history = entries.filter((entry) => entry.subject === fingerprint);
    // README: end

    expect(verdict.complete).to.equal(true);
    if (!verdict.complete) throw new Error("unreachable");
    const { head, length } = await client.trailHead({ fingerprint });
    expect(verdict.state.records.get(fingerprint)).to.deep.equal({ head, length });
    expect(BigInt(history.length)).to.equal(length);
    expect(notices).to.have.length(0);

    // README: typed error
    try {
      await client.register({ fingerprint, dataClass: DataClass.INTERNAL });
    } catch (error) {
      if (isRetryableError(error)) throw error; // a node or network fault: the caller may retry later
      if (!isContractError(error, "AlreadyRegistered")) throw error;
      // error.shortMessage: "fingerprint 0x… is already registered by CN-GD/Open Data Bureau (org 1) on
      // 2026-…T…Z (block time)"; error.details: "a fingerprint is registered once and never overwritten: if this
      // is a new version of that dataset, register the new version's fingerprint as a revision-of it"
      // error.params, typed from the ABI: { fingerprint, ownerOrg, registeredAt }
      notify(error.message, error.params.ownerOrg);
    }
    // README: end

    expect(notices).to.have.length(1);
    expect(notices[0].ownerOrg).to.equal(1);
    expect(notices[0].message).to.match(
      new RegExp(
        `^fingerprint ${fingerprint} is already registered by CN-GD/Open Data Bureau \\(org 1\\) on ` +
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(block time\\); a fingerprint is registered once and never " +
          "overwritten: if this is a new version of that dataset, register the new version's fingerprint as a " +
          "revision-of it$",
      ),
    );
    await rm(work, { recursive: true, force: true });
  });
});
