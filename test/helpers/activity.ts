/**
 * Real activity on a real node, for the indexer's end-to-end tests and benchmarks: a consortium (governance, two
 * registrar-traders in CN-GD and HK, a trader, an inspector, customs in both jurisdictions), random operations by the
 * right accounts (registrations with lineage, withdrawals, grants, transfers, inspections, suspensions, class rules,
 * operator changes, batches), and bulk registrations through `BulkRegistrar` (hundreds of chained events per
 * transaction). Operations the contracts refuse are skipped (viem's gas estimate reverts first, nothing is sent).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  toHex,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { anvilChain as foundry } from "./anvil";
import {
  DataClass,
  Role,
  dataRightsAbi,
  encodeJurisdiction,
  organizationRegistryAbi,
  provenanceLedgerAbi,
  type ProvledgerAddresses,
} from "../../src/sdk";
import { deployProvledger, type Deployment } from "./deploy";

const MNEMONIC = "test test test test test test test test test test test junk";

export type Actor = "governance" | "agency" | "foreignAgency" | "trader" | "inspector" | "customs" | "foreignCustoms";
const ACTORS: readonly Actor[] = [
  "governance",
  "agency",
  "foreignAgency",
  "trader",
  "inspector",
  "customs",
  "foreignCustoms",
];

export type Consortium = {
  url: string;
  publicClient: PublicClient;
  deployment: Deployment;
  addresses: ProvledgerAddresses;
  accounts: Record<Actor, Account> & { spare: Account };
  orgIds: Record<Exclude<Actor, "governance">, number>;
  wallet: WalletClient;
  /** Everything the activity created, so that tests can read each key's view back. */
  created: { fingerprints: Hex[]; roots: Hex[]; grants: [Hex, number][]; offers: bigint[] };
};

/** Sends one call and waits for it; returns false if the contracts refuse it (the estimate reverts). */
async function send(
  consortium: Consortium,
  from: Account,
  to: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<boolean> {
  let hash: Hex;
  try {
    hash = await consortium.wallet.writeContract({
      account: from,
      chain: foundry,
      address: to,
      abi,
      functionName,
      args,
    } as never);
  } catch (error) {
    if (/revert|execution reverted/i.test(String((error as Error).message))) return false;
    throw error;
  }
  const receipt = await consortium.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  return receipt.status === "success";
}

/** Deploys a deployment on the node at `url` and onboards the consortium. */
export async function setupConsortium(url: string): Promise<Consortium> {
  const publicClient = createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 50 });
  const accountList = Array.from({ length: 9 }, (_, i) => mnemonicToAccount(MNEMONIC, { addressIndex: i }));
  const accounts = Object.fromEntries(
    ACTORS.map((actor, i) => [actor, accountList[i]]),
  ) as unknown as Consortium["accounts"];
  accounts.spare = accountList[8];
  const wallet = createWalletClient({ chain: foundry, transport: http(url), account: accounts.governance });
  const deployment = await deployProvledger(wallet as never, publicClient as never);
  const consortium: Consortium = {
    url,
    publicClient: publicClient as PublicClient,
    deployment,
    addresses: deployment.addresses,
    accounts,
    orgIds: { agency: 1, foreignAgency: 2, trader: 3, inspector: 4, customs: 5, foreignCustoms: 6 },
    wallet,
    created: { fingerprints: [], roots: [], grants: [], offers: [] },
  };
  const orgs: [string, string, number, Actor][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, "agency"],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, "foreignAgency"],
    ["GD Data Exchange", "CN-GD", Role.TRADER, "trader"],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, "inspector"],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, "customs"],
    ["HK Customs", "HK", Role.CUSTOMS, "foreignCustoms"],
  ];
  for (const [name, code, roles, actor] of orgs) {
    const ok = await send(
      consortium,
      accounts.governance,
      deployment.addresses.registry,
      organizationRegistryAbi,
      "registerOrganization",
      [name, keccak256(toHex(name)), encodeJurisdiction(code), roles, [accounts[actor].address]],
    );
    if (!ok) throw new Error(`could not onboard ${name}`);
  }
  return consortium;
}

/** A small deterministic PRNG (mulberry32), so that a failing seed replays. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hashOf = (label: string) => keccak256(toHex(`provledger-activity:${label}`));

/** `steps` random operations; returns how many the contracts accepted. */
export async function randomActivity(consortium: Consortium, seed: number, steps: number): Promise<number> {
  const rng = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const { addresses, accounts, orgIds, created } = consortium;
  let accepted = 0;
  let counter = 0;
  const fresh = () => hashOf(`${seed}:${counter++}`);
  const registrars: ("agency" | "foreignAgency")[] = ["agency", "foreignAgency"];
  const ops: (() => Promise<boolean>)[] = [
    // register, sometimes derived from or revising an earlier record
    async () => {
      const who = pick(registrars);
      const fingerprint = fresh();
      const parents =
        created.fingerprints.length > 0 && rng() < 0.4
          ? [{ fingerprint: pick(created.fingerprints), relation: rng() < 0.5 ? 0 : 1 }]
          : [];
      const ok = await send(consortium, accounts[who], addresses.ledger, provenanceLedgerAbi, "register", [
        {
          fingerprint,
          scheme: 0,
          dataClass: pick([DataClass.PUBLIC, DataClass.INTERNAL, DataClass.IMPORTANT, DataClass.CORE]),
          metadataHash: hashOf(`meta:${fingerprint}`),
          metadataURI: rng() < 0.5 ? `ipfs://meta/${counter}` : "",
          parents,
        },
      ]);
      if (ok) created.fingerprints.push(fingerprint);
      return ok;
    },
    async () => {
      if (created.fingerprints.length === 0) return false;
      return send(consortium, accounts[pick(registrars)], addresses.ledger, provenanceLedgerAbi, "withdraw", [
        pick(created.fingerprints),
        fresh(),
      ]);
    },
    async () => {
      const root = fresh();
      const ok = await send(
        consortium,
        accounts[pick(registrars)],
        addresses.ledger,
        provenanceLedgerAbi,
        "anchorBatch",
        [root, BigInt(1 + Math.floor(rng() * 1000)), fresh(), "batch://x"],
      );
      if (ok) created.roots.push(root);
      return ok;
    },
    async () => {
      if (created.fingerprints.length === 0) return false;
      const fingerprint = pick(created.fingerprints);
      const grantee = pick([orgIds.trader, orgIds.agency, orgIds.foreignAgency]);
      const ok = await send(consortium, accounts[pick(registrars)], addresses.rights, dataRightsAbi, "issueGrant", [
        fingerprint,
        grantee,
        1 + Math.floor(rng() * 7),
        fresh(),
        0,
      ]);
      if (ok) created.grants.push([fingerprint, grantee]);
      return ok;
    },
    async () => {
      if (created.grants.length === 0) return false;
      const [fingerprint, grantee] = pick(created.grants);
      return send(consortium, accounts[pick(registrars)], addresses.rights, dataRightsAbi, "revokeGrant", [
        fingerprint,
        grantee,
        fresh(),
      ]);
    },
    async () => {
      if (created.grants.length === 0) return false;
      const [fingerprint, grantee] = pick(created.grants);
      return send(
        consortium,
        accounts[pick(["customs", "foreignCustoms"] as const)],
        addresses.rights,
        dataRightsAbi,
        "decideGrant",
        [fingerprint, grantee, BigInt(1 + Math.floor(rng() * 5)), rng() < 0.7, fresh()],
      );
    },
    async () => {
      if (created.fingerprints.length === 0) return false;
      const fingerprint = pick(created.fingerprints);
      const before = await readOfferCount(consortium);
      const ok = await send(consortium, accounts[pick(registrars)], addresses.rights, dataRightsAbi, "offerTransfer", [
        fingerprint,
        pick([orgIds.trader, orgIds.agency, orgIds.foreignAgency]),
        fresh(),
        0,
      ]);
      if (ok) created.offers.push(before + 1n);
      return ok;
    },
    async () => {
      if (created.offers.length === 0) return false;
      const who = pick(["trader", "agency", "foreignAgency"] as const);
      return send(consortium, accounts[who], addresses.rights, dataRightsAbi, "acceptOffer", [pick(created.offers)]);
    },
    async () => {
      if (created.offers.length === 0) return false;
      return send(
        consortium,
        accounts[pick(["customs", "foreignCustoms"] as const)],
        addresses.rights,
        dataRightsAbi,
        "decideTransfer",
        [pick(created.offers), rng() < 0.7, fresh()],
      );
    },
    async () => {
      if (created.offers.length === 0) return false;
      return send(consortium, accounts[pick(registrars)], addresses.rights, dataRightsAbi, "cancelOffer", [
        pick(created.offers),
        fresh(),
      ]);
    },
    async () => {
      if (created.fingerprints.length === 0) return false;
      const name = rng() < 0.5 ? "freeze" : rng() < 0.5 ? "unfreeze" : "attachFinding";
      return send(consortium, accounts.inspector, addresses.rights, dataRightsAbi, name, [
        pick(created.fingerprints),
        fresh(),
      ]);
    },
    async () => {
      const org = pick([orgIds.trader, orgIds.foreignAgency]);
      const name = rng() < 0.5 ? "suspendOrganization" : "reinstateOrganization";
      return send(consortium, accounts.governance, addresses.registry, organizationRegistryAbi, name, [org, fresh()]);
    },
    async () => {
      return send(consortium, accounts.governance, addresses.rights, dataRightsAbi, "setClassRule", [
        1 + Math.floor(rng() * 2),
        Math.floor(rng() * 3),
      ]);
    },
    async () => {
      const name = rng() < 0.5 ? "addOperator" : "removeOperator";
      return send(consortium, accounts.governance, addresses.registry, organizationRegistryAbi, name, [
        orgIds.trader,
        accounts.spare.address,
      ]);
    },
    async () => {
      return send(
        consortium,
        accounts.governance,
        addresses.registry,
        organizationRegistryAbi,
        "setOrganizationProfile",
        [orgIds.trader, `GD Data Exchange ${counter}`, fresh()],
      );
    },
  ];
  for (let step = 0; step < steps; step += 1) {
    // Registrations first and most often, so that the other operations have records to act on.
    const op = step < 3 || rng() < 0.3 ? ops[0] : pick(ops);
    if (await op()) accepted += 1;
  }
  return accepted;
}

async function readOfferCount(consortium: Consortium): Promise<bigint> {
  const [, offers] = (await consortium.publicClient.readContract({
    address: consortium.addresses.rights,
    abi: dataRightsAbi,
    functionName: "counts",
  })) as readonly [bigint, bigint];
  return offers;
}

/** Deploys `BulkRegistrar` and makes it an operator of the agency (once per consortium). */
export async function deployBulkRegistrar(consortium: Consortium): Promise<Address> {
  const artifact = JSON.parse(
    readFileSync(join(__dirname, "../../artifacts/contracts/test/BulkRegistrar.sol/BulkRegistrar.json"), "utf8"),
  ) as { abi: Abi; bytecode: Hex };
  const hash = await consortium.wallet.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [consortium.addresses.ledger],
    account: consortium.accounts.governance,
    chain: foundry,
  });
  const receipt = await consortium.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  const bulk = receipt.contractAddress!;
  const ok = await send(
    consortium,
    consortium.accounts.governance,
    consortium.addresses.registry,
    organizationRegistryAbi,
    "addOperator",
    [consortium.orgIds.agency, bulk],
  );
  if (!ok) throw new Error("could not make BulkRegistrar an operator of the agency");
  return bulk;
}

const bulkAbi = [
  {
    type: "function",
    name: "registerMany",
    stateMutability: "nonpayable",
    inputs: [
      { name: "seed", type: "bytes32" },
      { name: "count", type: "uint256" },
      { name: "revisions", type: "bool" },
    ],
    outputs: [],
  },
] as const;

/**
 * Registers `records` records through the bulk registrar, `perTransaction` at a time (every other one a revision:
 * 1.5 events per record). Transactions are sent without waiting for each other, then awaited.
 */
export async function bulkRegister(
  consortium: Consortium,
  bulk: Address,
  options: { records: number; perTransaction?: number; label?: string },
): Promise<void> {
  const perTransaction = options.perTransaction ?? 200;
  const hashes: Hex[] = [];
  for (let done = 0, call = 0; done < options.records; done += perTransaction, call += 1) {
    const count = Math.min(perTransaction, options.records - done);
    const seed = keccak256(
      encodeAbiParameters([{ type: "string" }, { type: "uint256" }], [options.label ?? "bulk", BigInt(call)]),
    );
    hashes.push(
      await consortium.wallet.writeContract({
        address: bulk,
        abi: bulkAbi,
        functionName: "registerMany",
        args: [seed, BigInt(count), true],
        account: consortium.accounts.governance,
        chain: foundry,
        gas: BigInt(count) * 250_000n + 100_000n,
      }),
    );
  }
  for (const hash of hashes) {
    const receipt = await consortium.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`bulk registration ${hash} reverted`);
  }
}
