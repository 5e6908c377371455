/**
 * `npm run demo`: the three users' journey through the SDK client, in plain words.
 *
 * - A Guangdong public-data agency fingerprints a real file, anchors it, declares a revision and a derived summary
 *   with their classes, and grants a Hong Kong trader a use right (which Guangdong data customs must approve: internal
 *   data leaving CN-GD).
 * - The trader, before buying, checks the dataset's lineage (explainProvenance), its registration receipt against the
 *   chain (verifyReceiptOnline) and its own right (authorization); then offer, accept, customs' decision, delivery
 *   checked by fingerprint.
 * - An inspector replays the ledger-wide audit trail from the events, proves it complete against the ledger head,
 *   checks the record's own trail against its on-chain head, records a finding and freezes the record.
 *
 * Where it runs (PROVLEDGER_DEMO_LOCAL decides; README, Quickstart):
 * - the running local ledger of `npm start`: `<home>/deployment.json` and `<home>/accounts.json` (home =
 *   PROVLEDGER_HOME or ./.provledger), used when both exist and the node answers with the contracts in place
 *   (PROVLEDGER_DEMO_LOCAL=1 insists on it, as does `--local` when run with ts-node: `hardhat run`, hence
 *   `npm run demo`, takes no script arguments; the journey is then also checked against the query API);
 * - otherwise the Hardhat network of `hardhat run` (in-process by default, or `--network <name>`): a fresh deployment
 *   and consortium (PROVLEDGER_DEMO_LOCAL=0 forces this).
 *
 * Every run makes new files (a run nonce is in their contents), so it can run any number of times on one ledger.
 */
import { deploy, DeploymentResultType } from "@nomicfoundation/ignition-core";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  toHex,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import {
  Authorization,
  DataClass,
  Relation,
  Rule,
  Scope,
  buildRegistrationReceipt,
  closeFingerprintPool,
  codeName,
  createProvledgerClient,
  explainProvenance,
  fingerprintFile,
  fromEip1193,
  metadataHash,
  readTrailEntries,
  verifyCompleteTrail,
  verifyReceiptOnline,
  verifyTrailAnswer,
  type Eip1193Provider,
  type ProvenanceNode,
  type ProvledgerAddresses,
  type ProvledgerClient,
  type TrailAnswer,
} from "../src/sdk";
import { readDeploymentFile } from "../src/cli/deployment";
import { ProvledgerModule, createArtifactResolver, signingProvider, type JsonRpc } from "../src/deploy";
import {
  ANVIL_MNEMONIC,
  DEMO_ORGANIZATIONS,
  GOVERNANCE_ADDRESS_INDEX,
  localChain,
  type AccountsFile,
  type DemoRole,
} from "../src/node";

/** The demo's users; governance only onboards (in-process) and sets nothing else. */
export type Party = DemoRole;

export type Member = { account: LocalAccount; orgId: number; name: string; jurisdiction: string };

/** A ledger to run the journey on: how to reach it, the deployment, and the members' keys and organisations. */
export type DemoLedger = {
  /** For the opening line, e.g. "the local ledger at http://127.0.0.1:8545". */
  where: string;
  chainId: number;
  addresses: ProvledgerAddresses;
  deploymentBlock: bigint;
  members: Record<Party, Member>;
  /** A client acting as `account`. */
  connect(account: LocalAccount): Promise<ProvledgerClient>;
  /** The query API over this ledger's index, if one runs (npm start's). */
  apiUrl?: string;
};

export type JourneyOutcome = {
  fingerprints: { census: Hex; revision: Hex; summary: Hex };
  /** The grant's status when issued (pending customs across the border) and the trader's verdict after customs. */
  grantStatusAtIssue: number;
  authorizationBeforeTrade: number;
  receiptValid: boolean;
  lineage: string[];
  awaitingCustoms: boolean;
  ownerAfterTrade: number;
  deliveryMatches: boolean;
  trailComplete: boolean;
  ledgerSequence: bigint;
  recordTrail: { entries: number; head: Hex; onChainHead: Hex; onChainLength: bigint };
  authorizationAfterFreeze: number;
  /** The query API's trail answer for the record, checked against the chain (local ledger only). */
  apiTrail?: { valid: boolean; summary: string };
};

const PARTIES: readonly Party[] = ["agency", "trader", "inspector", "customs"];

function memberLabel(member: Member): string {
  return `${member.name} (${member.jurisdiction}, org ${member.orgId})`;
}

const short = (hex: string) => `${hex.slice(0, 10)}…`;

/** An error's first line, for one-line failures. */
function messageOf(error: unknown): string {
  const text =
    error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
  return text.split("\n")[0];
}

/** A hash of a text, for purposes, reasons and findings (their documents stay off chain). */
const hashText = (text: string): Hex => keccak256(toHex(text));

/**
 * The journey. `say` prints one step; `workDir` receives the files that are fingerprinted. Throws if any step does
 * not come out as the market rules say it must.
 */
export async function runJourney(
  ledger: DemoLedger,
  options: { say?: (line: string) => void; workDir: string; nonce?: string },
): Promise<JourneyOutcome> {
  const say = options.say ?? (() => undefined);
  const nonce = options.nonce ?? randomBytes(8).toString("hex");
  const { members } = ledger;
  const [agency, trader, inspector, customs] = await Promise.all(
    PARTIES.map((party) => ledger.connect(members[party].account)),
  );
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`the demo expected ${what}`);
  };

  // --- The agency: fingerprint real files, anchor them with their lineage and classes.
  say(`The agency, ${memberLabel(members.agency)}:`);
  const files = {
    census: join(options.workDir, "population-by-district-2026.csv"),
    revision: join(options.workDir, "population-by-district-2026-v2.csv"),
    summary: join(options.workDir, "population-summary-2026.csv"),
  };
  const rows = ["Yuexiu,1048000", "Tianhe,2241800", "Futian,1553200"];
  // The run nonce makes every run's files, hence fingerprints, new.
  writeFileSync(files.census, `# run ${nonce}\ndistrict,population\n${rows.join("\n")}\n`);
  writeFileSync(files.revision, `# run ${nonce}\ndistrict,population\n${[...rows, "Nanshan,1795800"].join("\n")}\n`);
  writeFileSync(files.summary, `# run ${nonce}\ndistricts,population\n4,6638800\n`);
  const census = await fingerprintFile(files.census);
  const revision = await fingerprintFile(files.revision);
  const summary = await fingerprintFile(files.summary);
  say(`- hashed ${files.census} (SHA-256 of its bytes): fingerprint ${census}`);

  const registered = await agency.register({
    fingerprint: census,
    dataClass: DataClass.INTERNAL,
    metadataHash: metadataHash({ title: "Population by district", year: 2026, run: nonce }),
    metadataURI: "https://data.gd.example.cn/population-2026.json",
  });
  say(
    `- anchored it on the ledger as internal data (block ${registered.blockNumber}); only the hash is on chain, ` +
      "never the data",
  );
  const revised = await agency.register({
    fingerprint: revision,
    dataClass: DataClass.INTERNAL,
    parents: [{ fingerprint: census, relation: Relation.REVISION_OF }],
  });
  const latest = await agency.latestVersion({ fingerprint: census });
  expect(latest.latest === revision && !latest.isLatest, "the first edition to be superseded by the revision");
  say(`- anchored a corrected edition ${short(revision)} as a revision of it: the first edition is now superseded`);
  await agency.register({
    fingerprint: summary,
    dataClass: DataClass.PUBLIC,
    parents: [{ fingerprint: revision, relation: Relation.DERIVED_FROM }],
  });
  say(`- anchored a public summary ${short(summary)} derived from the corrected edition`);

  const rule = await agency.classRule({ dataClass: DataClass.INTERNAL });
  say(
    `- the consortium's rule for internal data leaving ${members.agency.jurisdiction}: ${codeName("Rule", rule)}` +
      (rule === Rule.APPROVAL ? ` by the data customs of ${members.agency.jurisdiction}` : ""),
  );
  const purpose = `market evaluation by ${members.trader.name}, run ${nonce}`;
  const granted = await agency.issueGrant({
    fingerprint: revision,
    granteeOrg: members.trader.orgId,
    scopes: Scope.USE,
    purposeHash: hashText(purpose),
    expiresAt: Math.floor(Date.now() / 1000) + 30 * 24 * 3600,
  });
  const grantStatusAtIssue = Number(granted.event.args.status);
  say(
    `- granted ${members.trader.name} a use right on the corrected edition for 30 days (grant ` +
      `#${granted.event.args.grantId}): ${codeName("GrantStatus", grantStatusAtIssue)}`,
  );

  // --- Data customs decides the cross-border grant.
  say(`Data customs, ${memberLabel(members.customs)}:`);
  await customs.decideGrant({
    fingerprint: revision,
    granteeOrg: members.trader.orgId,
    grantId: granted.event.args.grantId,
    approve: true,
    decisionHash: hashText(`approved: ${purpose}`),
  });
  say(`- approved grant #${granted.event.args.grantId} for export to ${members.trader.jurisdiction}`);

  // --- The trader checks lineage, the registration and its own right before trading.
  say(`The trader, ${memberLabel(members.trader)}:`);
  const explained = await explainProvenance(trader.publicClient, trader.addresses, summary, {
    depth: 2,
    fromBlock: ledger.deploymentBlock,
  });
  const lineage = lineageLines(explained);
  say(`- read the summary's lineage from the chain:`);
  for (const line of lineage) say(`    ${line}`);
  expect(lineage.length === 3, "a lineage of three records (summary <- revision <- first edition)");

  const receipt = await buildRegistrationReceipt(trader.publicClient, {
    ledger: ledger.addresses.ledger,
    transactionHash: revised.transactionHash,
  });
  const checked = await verifyReceiptOnline(trader.publicClient, receipt, {
    ledger: ledger.addresses.ledger,
    authorization: { org: members.trader.orgId, scope: Scope.USE },
  });
  say(
    `- verified the corrected edition's registration receipt against the ledger: ` +
      `${checked.valid ? "valid" : "NOT valid"} (${checked.checks.filter((c) => c.ok).length} of ` +
      `${checked.checks.length} checks passed; owner ${checked.standing?.ownerName})`,
  );
  expect(checked.valid, `a valid receipt: ${checked.summary}`);
  const right = await trader.authorization({
    fingerprint: revision,
    org: members.trader.orgId,
    scope: Scope.USE,
  });
  say(
    `- asked the ledger "may we use it now?": ${codeName("Authorization", right.verdict)} ` +
      `(grant #${right.grantId})`,
  );
  expect(right.verdict === Authorization.GRANTED, "the trader's use right to be live after customs approved it");

  // --- The trade: offer, acceptance, customs, delivery.
  say(`The trade:`);
  const now = (await agency.publicClient.getBlock({ blockTag: "latest" })).timestamp;
  const offered = await agency.offerTransfer({
    fingerprint: revision,
    toOrg: members.trader.orgId,
    termsHash: hashText(`order ${nonce}: population-by-district-2026-v2, HKD 120,000`),
    expiresAt: now + 3600n,
  });
  const { offerId } = offered.event.args;
  say(`- ${members.agency.name} offered the corrected edition to ${members.trader.name} (offer #${offerId})`);
  const accepted = await trader.acceptOffer({ offerId });
  const awaitingCustoms = accepted.event.args.awaitingCustoms;
  say(
    `- ${members.trader.name} accepted it; ` +
      (awaitingCustoms ? `it waits for ${members.customs.name} (internal data leaving CN-GD)` : "ownership moved"),
  );
  expect(awaitingCustoms, "a cross-border sale of internal data to wait for customs");
  await customs.decideTransfer({ offerId, approve: true, decisionHash: hashText(`export approved, order ${nonce}`) });
  const owner = Number((await trader.getRecord({ fingerprint: revision })).ownerOrg);
  say(`- ${members.customs.name} approved the export; the record's owner is now org ${owner}`);
  expect(owner === members.trader.orgId, "the trader to own the record after customs approved");
  // What arrived is hashed by the buyer and compared on chain with what was sold.
  const delivered = join(options.workDir, "delivered.csv");
  writeFileSync(delivered, readFileSync(files.revision));
  const delivery = await trader.confirmDelivery({ offerId, receivedFingerprint: await fingerprintFile(delivered) });
  say(
    `- ${members.trader.name} hashed the file it received and reported it: ` +
      (delivery.event.args.matches ? "it is the dataset it bought" : "it is NOT the dataset it bought"),
  );

  // --- The inspector: replay, prove complete, find, freeze.
  say(`The inspector, ${memberLabel(members.inspector)}:`);
  const { entries, toBlock } = await readTrailEntries(inspector.publicClient, {
    addresses: ledger.addresses,
    fromBlock: ledger.deploymentBlock,
  });
  const checkpoint = await inspector.ledgerHead({ blockNumber: toBlock });
  const verdict = verifyCompleteTrail(entries, checkpoint);
  say(
    `- replayed all ${entries.length} audit-trail entries from the events alone and checked them against the ` +
      `ledger head at block ${toBlock}: ` +
      (verdict.complete ? `complete and unaltered (sequence ${checkpoint.ledgerSequence})` : `NOT complete`),
  );
  if (!verdict.complete) throw new Error(`the audit trail is not complete: ${verdict.reason}`);
  const own = entries.filter((entry) => entry.subject.toLowerCase() === revision.toLowerCase());
  const replayed = verdict.state.records.get(revision.toLowerCase() as Hex);
  const onChain = await inspector.trailHead({ fingerprint: revision, blockNumber: toBlock });
  say(
    `- the corrected edition's own trail: ${own.length} entries (` +
      own.map((entry) => actionName(entry.action)).join(", ") +
      `), replayed head ${short(replayed?.head ?? "0x")} = on-chain head ${short(onChain.head)}: ` +
      (replayed?.head === onChain.head && replayed.length === onChain.length ? "proven" : "MISMATCH"),
  );
  if (!replayed || replayed.head !== onChain.head)
    throw new Error("the demo expected the record's replayed trail head to equal the ledger's");
  await inspector.attachFinding({
    fingerprint: revision,
    findingHash: hashText(`finding ${nonce}: district totals differ from the 2025 yearbook`),
  });
  say(`- recorded a finding on it (the report's hash)`);
  const frozen = await inspector.freeze({ fingerprint: revision, reasonHash: hashText(`investigation ${nonce}`) });
  const after = await inspector.authorization({ fingerprint: revision, org: members.trader.orgId, scope: Scope.USE });
  say(`- froze it under investigation; may its owner use it now: ${codeName("Authorization", after.verdict)}`);
  expect(after.verdict === Authorization.RECORD_FROZEN, "a frozen record to be unusable");

  const outcome: JourneyOutcome = {
    fingerprints: { census, revision, summary },
    grantStatusAtIssue,
    authorizationBeforeTrade: right.verdict,
    receiptValid: checked.valid,
    lineage,
    awaitingCustoms,
    ownerAfterTrade: owner,
    deliveryMatches: delivery.event.args.matches,
    trailComplete: verdict.complete,
    ledgerSequence: checkpoint.ledgerSequence,
    recordTrail: { entries: own.length, head: replayed.head, onChainHead: onChain.head, onChainLength: onChain.length },
    authorizationAfterFreeze: after.verdict,
  };
  if (ledger.apiUrl) {
    outcome.apiTrail = await checkApiTrail(inspector, ledger.apiUrl, revision, frozen.blockNumber);
    say(`The query API (${ledger.apiUrl}), which the indexer fills from the chain:`);
    say(`- its answer for the record's trail, checked against the chain: ${outcome.apiTrail.summary}`);
  }
  return outcome;
}

const ACTION_NAMES: Record<number, string> = {
  1: "registered",
  2: "superseded",
  3: "withdrawn",
  5: "grant issued",
  6: "grant revoked",
  7: "grant decided",
  8: "offered",
  9: "offer cancelled",
  10: "accepted",
  11: "transfer decided",
  12: "ownership moved",
  13: "delivery reported",
  14: "finding",
  15: "frozen",
  16: "unfrozen",
};
const actionName = (action: number) => ACTION_NAMES[action] ?? `action ${action}`;

/** "summary (public, owner …) derived-from revision …", one line per record, child first. */
function lineageLines(node: ProvenanceNode, relation = "", indent = ""): string[] {
  if (!node.registered) return [`${indent}${relation}${node.fingerprint}: not on this ledger`];
  const line =
    `${indent}${relation}${short(node.fingerprint)}: ${node.dataClass}, owned by ${node.owner.name} ` +
    `(${node.owner.jurisdiction})` +
    (node.supersededBy ? `, superseded by ${short(node.supersededBy)}` : "") +
    (node.outstandingGrants.length > 0
      ? `, licences: ${node.outstandingGrants.map((g) => `#${g.grantId} ${g.scopeNames} to ${g.grantee.name} (${g.state})`).join("; ")}`
      : "");
  return [line, ...node.parents.flatMap((edge) => lineageLines(edge.parent, `${edge.relation} `, `${indent}  `))];
}

/** Polls the API's trail answer until its index has reached `block`, then verifies it against the chain. */
async function checkApiTrail(
  client: ProvledgerClient,
  apiUrl: string,
  fingerprint: Hex,
  block: bigint,
): Promise<{ valid: boolean; summary: string }> {
  const deadline = Date.now() + 30_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/v1/records/${fingerprint}/trail?limit=100`);
      if (response.ok) {
        const answer = (await response.json()) as TrailAnswer;
        if (BigInt(answer.at.block.number) >= block) {
          const verdict = await verifyTrailAnswer(client.publicClient, {
            ledger: client.addresses.ledger,
            fingerprint,
            answer,
          });
          return { valid: verdict.valid, summary: verdict.summary };
        }
        last = `indexed up to block ${answer.at.block.number}`;
      } else last = `HTTP ${response.status}`;
    } catch (error) {
      last = messageOf(error);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return { valid: false, summary: `the API did not catch up with block ${block} within 30 s (${last})` };
}

// --- Where to run ----------------------------------------------------------------------------------------------

/** `PROVLEDGER_HOME` or `./.provledger`. */
export function provledgerHome(): string {
  return resolve(process.env.PROVLEDGER_HOME ?? ".provledger");
}

/** Reads npm start's files; undefined if they are not there, an error naming the file if they are malformed. */
function readLocalFiles(
  home: string,
): { accounts: AccountsFile; deployment: ReturnType<typeof readDeploymentFile> } | undefined {
  const accountsPath = join(home, "accounts.json");
  const deploymentPath = join(home, "deployment.json");
  if (!existsSync(accountsPath) || !existsSync(deploymentPath)) return undefined;
  const deployment = readDeploymentFile(deploymentPath);
  let accounts: AccountsFile;
  try {
    accounts = JSON.parse(readFileSync(accountsPath, "utf8")) as AccountsFile;
  } catch (error) {
    throw new Error(`${accountsPath} is not JSON (${messageOf(error)}): restart npm start to rewrite it`);
  }
  for (const party of PARTIES) {
    const entry = accounts.accounts?.[party];
    if (!entry || typeof entry.privateKey !== "string" || !Number.isInteger(entry.orgId)) {
      throw new Error(`${accountsPath} has no ${party} with privateKey and orgId: restart npm start to rewrite it`);
    }
  }
  if (typeof accounts.rpcUrl !== "string") throw new Error(`${accountsPath} has no rpcUrl`);
  return { accounts, deployment };
}

/**
 * An EIP-1193 provider that refuses `eth_fillTransaction`. viem (2.57) fills a local account's transaction with it
 * when the node offers it, and anvil with zero fees answers a tip of 1 gwei above a fee cap of 0, which viem then
 * refuses ("The provided tip ... cannot be higher than the fee cap"); refused, viem fills the transaction itself from
 * eth_estimateGas and the fee methods, as on Besu, which has no eth_fillTransaction.
 */
export function withoutFillTransaction(provider: Eip1193Provider): Eip1193Provider {
  return {
    request(args) {
      if (args.method === "eth_fillTransaction") {
        return Promise.reject(
          Object.assign(new Error("the method eth_fillTransaction is not available"), { code: -32601 }),
        );
      }
      return provider.request(args);
    },
  };
}

/** A ledger whose members sign with local keys and talk to the node at `rpcUrl` (a zero-fee chain). */
export function urlLedger(params: Omit<DemoLedger, "connect"> & { rpcUrl: string }): DemoLedger {
  // npm start's chain: zero fees, set before viem fills the transaction (src/node localChain says why).
  const chain = { ...localChain(params.rpcUrl), id: params.chainId };
  const transport = http(params.rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const { rpcUrl, ...ledger } = params;
  void rpcUrl;
  return {
    ...ledger,
    connect: async (account) =>
      createProvledgerClient({
        publicClient: publicClient as PublicClient,
        walletClient: createWalletClient({ chain, transport, account, pollingInterval: 100 }),
        addresses: params.addresses,
        chainId: params.chainId,
      }),
  };
}

/**
 * The running local ledger of npm start, or why not: `{ unavailable }` when its files are missing or its node does
 * not answer with the contracts at the recorded addresses.
 */
export async function localLedger(home = provledgerHome()): Promise<DemoLedger | { unavailable: string }> {
  const files = readLocalFiles(home);
  if (!files) return { unavailable: `no ${join(home, "deployment.json")} and accounts.json (npm start writes them)` };
  const { accounts, deployment } = files;
  const probe = createPublicClient({ transport: http(accounts.rpcUrl, { retryCount: 0, timeout: 5_000 }) });
  try {
    const [chainId, code] = await Promise.all([
      probe.getChainId(),
      probe.getCode({ address: deployment.addresses.registry }),
    ]);
    if (chainId !== accounts.chainId) {
      return { unavailable: `the node at ${accounts.rpcUrl} serves chain ${chainId}, not ${accounts.chainId}` };
    }
    if (!code || code === "0x") {
      return { unavailable: `the node at ${accounts.rpcUrl} has no registry at ${deployment.addresses.registry}` };
    }
  } catch (error) {
    return { unavailable: `no node answers at ${accounts.rpcUrl} (${messageOf(error)})` };
  }
  const members = Object.fromEntries(
    PARTIES.map((party) => {
      const { privateKey, orgId, name, jurisdiction } = accounts.accounts[party];
      return [party, { account: privateKeyToAccount(privateKey), orgId, name, jurisdiction } satisfies Member];
    }),
  ) as Record<Party, Member>;
  return urlLedger({
    where: `the local ledger at ${accounts.rpcUrl} (${home})`,
    rpcUrl: accounts.rpcUrl,
    chainId: accounts.chainId,
    addresses: deployment.addresses,
    deploymentBlock: deployment.deploymentBlock ?? 0n,
    members,
    apiUrl: accounts.apiUrl,
  });
}

/**
 * Onboards the demo organisations (src/node's DEMO_ORGANIZATIONS, as npm start does) by `governor` (governance), with
 * anvil's default keys.
 */
export async function onboardDemoMembers(governor: ProvledgerClient): Promise<Record<Party, Member>> {
  const members = {} as Record<Party, Member>;
  for (const party of PARTIES) {
    const org = DEMO_ORGANIZATIONS[party];
    const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: org.addressIndex });
    const { event } = await governor.registerOrganization({
      name: org.name,
      jurisdiction: org.jurisdiction,
      roles: org.roles,
      metadataHash: hashText(org.name),
      operators: [account.address],
    });
    members[party] = { account, orgId: Number(event.args.orgId), name: org.name, jurisdiction: org.jurisdiction };
  }
  return members;
}

/** anvil's (and Hardhat's) first default account: the demo's governance and deployer. */
export const demoGovernance = (): LocalAccount =>
  mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: GOVERNANCE_ADDRESS_INDEX });

/**
 * A fresh deployment and consortium over an EIP-1193 provider (Hardhat's in-process network, or `--network <name>`):
 * the contracts deployed with the Ignition module, the demo organisations onboarded through the SDK client.
 */
export async function providerLedger(provider: Eip1193Provider, where: string): Promise<DemoLedger> {
  const node = withoutFillTransaction(provider);
  const chainId = Number(await node.request({ method: "eth_chainId" }));
  const governance = demoGovernance();
  const { addresses, deploymentBlock } = await deployOver(node, governance);
  const connect = (acting: LocalAccount) => fromEip1193(node, acting, addresses, { chainId, pollingInterval: 50 });
  const members = await onboardDemoMembers(await connect(governance));
  return { where, chainId, addresses, deploymentBlock, members, connect };
}

// --- main ------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const setting = process.env.PROVLEDGER_DEMO_LOCAL;
  if (setting !== undefined && !["0", "1", ""].includes(setting)) {
    throw new Error(
      `PROVLEDGER_DEMO_LOCAL must be 1 (the local ledger), 0 (a fresh chain) or unset (auto), got "${setting}"`,
    );
  }
  const insist = setting === "1" || process.argv.includes("--local");
  let ledger: DemoLedger | undefined;
  if (setting !== "0") {
    const local = await localLedger();
    if ("unavailable" in local) {
      if (insist) throw new Error(`the local ledger is not available: ${local.unavailable}; start it with npm start`);
      console.log(`Not using a local ledger: ${local.unavailable}.`);
    } else ledger = local;
  }
  ledger ??= await hardhatLedger();
  console.log(`Running the demo on ${ledger.where}, chain ${ledger.chainId}`);
  console.log(`  registry ${ledger.addresses.registry}`);
  console.log(`  ledger   ${ledger.addresses.ledger}`);
  console.log(`  rights   ${ledger.addresses.rights}\n`);
  const workDir = mkdtempSync(join(tmpdir(), "provledger-demo-"));
  try {
    await runJourney(ledger, { say: (line) => console.log(line), workDir });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await closeFingerprintPool();
  }
}

/** The Hardhat network `hardhat run` selected: a fresh deployment over its provider. */
async function hardhatLedger(): Promise<DemoLedger> {
  // Loaded only here: the local ledger needs no Hardhat runtime.
  const { default: hre } = await import("hardhat");
  const where =
    hre.network.name === "hardhat"
      ? "Hardhat's in-process chain (fresh)"
      : `Hardhat network "${hre.network.name}" (a fresh deployment)`;
  return providerLedger(hre.network.provider, where);
}

/**
 * The Ignition module npm start and consortium deployments use (src/deploy), run by ignition-core over `provider`
 * with an in-memory journal (a fresh chain each run: nothing to resume), signed by `governance`.
 */
async function deployOver(
  provider: Eip1193Provider,
  governance: LocalAccount,
): Promise<{ addresses: ProvledgerAddresses; deploymentBlock: bigint }> {
  const rpc: JsonRpc = (method, params) => provider.request({ method, params: params ?? [] });
  const result = await deploy({
    config: { requiredConfirmations: 1, blockPollingInterval: 50 },
    artifactResolver: createArtifactResolver(),
    provider: signingProvider(rpc, governance),
    ignitionModule: ProvledgerModule,
    deploymentParameters: { Provledger: { governanceDelay: 0 } },
    accounts: [governance.address],
    defaultSender: governance.address,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new Error(`Ignition could not deploy the contracts (${result.type}): ${JSON.stringify(result)}`);
  }
  const address = (name: string) => getAddress(result.contracts[`Provledger#${name}`].address);
  const addresses = {
    registry: address("OrganizationRegistry"),
    ledger: address("ProvenanceLedger"),
    rights: address("DataRights"),
  };
  // The registry's first event (its constructor grants governance) is in its deployment block.
  const [first] = (await provider.request({
    method: "eth_getLogs",
    params: [{ address: addresses.registry, fromBlock: "0x0", toBlock: "latest" }],
  })) as { blockNumber: Hex }[];
  return { addresses, deploymentBlock: first ? BigInt(first.blockNumber) : 0n };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`demo failed: ${messageOf(error)}`);
    process.exitCode = 1;
  });
}
