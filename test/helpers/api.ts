/**
 * One random Provledger scenario on a real node, indexed into real stores, served by the real query API: for the
 * server's end-to-end tests. `startApiFixture` starts anvil, deploys the contracts and onboards the consortium
 * (test/helpers/activity.ts), runs `steps` random operations, indexes the chain to its head with the runtime
 * (`createIndexer({ once: true })`) into a fresh SQLite file and, if asked, a fresh PostgreSQL schema, and starts one
 * API server (`createServer`, port 0) over each store. The chain is idle afterwards, so every answer reflects the same
 * block: the one the indexer stopped at.
 *
 * Each store keeps its raw-SQL escape hatch (test/indexer/store/harness.ts), so a test can tamper with the rows the
 * API reads; the next request sees the change (the API holds no cache).
 */
import pino from "pino";
import {
  createPublicClient,
  createTestClient,
  http,
  keccak256,
  toHex,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { createIndexer } from "../../src/indexer";
import { createServer, type ProvledgerServer } from "../../src/server";
import {
  DataClass,
  OrganizationStatus,
  Relation,
  Rule,
  Scope,
  dataRightsAbi,
  organizationRegistryAbi,
  provenanceLedgerAbi,
} from "../../src/sdk";
import { randomActivity, setupConsortium, type Consortium } from "./activity";
import { anvilChain, startAnvil, type Anvil } from "./anvil";
import { postgresHarness, sqliteHarness, type Harness, type HarnessFactory } from "../indexer/store/harness";

export type StoreDialect = "sqlite" | "postgres";

/** One HTTP answer of the API: the status, the headers and the parsed JSON body (undefined if it is not JSON). */
export type ApiResponse<T = unknown> = {
  status: number;
  headers: Headers;
  body: T;
  text: string;
};

/** One indexed store and the API server that reads it. */
export type ApiStore = {
  readonly dialect: StoreDialect;
  /** The store's URL (a SQLite path or a `postgres://...?schema=` URL). */
  readonly storeUrl: string;
  /** The API's base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly server: ProvledgerServer;
  /** Runs raw SQL against the store's database, outside the indexer and the API (for tampering). */
  exec(statement: string): Promise<void>;
  /** GET `path` (e.g. `/v1/records/0x..`) from this store's API. */
  get<T = unknown>(path: string): Promise<ApiResponse<T>>;
};

export type ApiFixture = {
  readonly anvil: Anvil;
  readonly consortium: Consortium;
  /**
   * A public client on the node with JSON-RPC batching: many view reads (one per record, organisation and scope) go out
   * in few HTTP requests.
   */
  readonly client: PublicClient;
  /** The block every store was indexed to. */
  readonly head: bigint;
  /** Every account the scenario used (the consortium's operators, governance and the spare). */
  readonly accounts: readonly Address[];
  readonly stores: readonly ApiStore[];
  store(dialect: StoreDialect): ApiStore;
  /** Stops the servers and anvil, removes the SQLite files and drops the PostgreSQL schemas. */
  close(): Promise<void>;
};

export type ApiFixtureOptions = {
  /** The random activity's seed (a failing seed replays). Default 9. */
  seed?: number;
  /** Random operations to attempt. Default 80. */
  steps?: number;
  /** The stores to index into and serve. Default: SQLite only. */
  dialects?: readonly StoreDialect[];
  /** Run `marketActivity` after the random operations. Default true. */
  market?: boolean;
};

/** GETs `path` from the API at `base`, parsing JSON bodies (every answer of the API is JSON, errors included). */
export async function getJson<T = unknown>(base: string, path: string): Promise<ApiResponse<T>> {
  const response = await fetch(new URL(path, base));
  const text = await response.text();
  let body: T | undefined;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** Starts anvil, runs a random scenario, indexes it into each dialect's store and serves each (see the file comment). */
export async function startApiFixture(options: ApiFixtureOptions = {}): Promise<ApiFixture> {
  const dialects = options.dialects ?? ["sqlite"];
  const factories: Partial<Record<StoreDialect, HarnessFactory>> = {};
  const stores: ApiStore[] = [];
  const anvil = await startAnvil();
  const close = async () => {
    for (const store of stores) await store.server.close().catch(() => {});
    await anvil.stop();
    for (const factory of Object.values(factories)) await factory.cleanup().catch(() => {});
  };
  try {
    const consortium = await setupConsortium(anvil.url);
    await randomActivity(consortium, options.seed ?? 9, options.steps ?? 80);
    if (options.market ?? true) await marketActivity(consortium);
    const client = createPublicClient({
      chain: anvilChain,
      transport: http(anvil.url, { batch: { batchSize: 200, wait: 0 } }),
    }) as PublicClient;
    const head = await client.getBlockNumber({ cacheTime: 0 });

    for (const dialect of dialects) {
      const factory = (factories[dialect] ??= dialect === "sqlite" ? sqliteHarness() : postgresHarness());
      const harness: Harness = factory.create();
      const indexer = createIndexer({
        rpcUrl: consortium.url,
        addresses: consortium.addresses,
        deploymentBlock: consortium.deployment.deploymentBlock,
        chainId: consortium.deployment.chainId,
        store: harness.url,
        once: true,
        logger: pino({ level: "silent" }),
      });
      await indexer.run();
      const indexed = indexer.status().checkpoint?.blockNumber;
      if (indexed !== head) {
        throw new Error(`the ${dialect} indexer stopped at block ${indexed}, not at the chain's head ${head}`);
      }
      const server = await createServer({ store: harness.url, port: 0, logger: false });
      const url = await server.listen();
      stores.push({
        dialect,
        storeUrl: harness.url,
        url,
        server,
        exec: (statement) => harness.exec(statement),
        get: (path) => getJson(url, path),
      });
    }

    const accounts = Object.values(consortium.accounts).map((account) => account.address as Address);
    return {
      anvil,
      consortium,
      client,
      head,
      accounts,
      stores,
      store(dialect) {
        const store = stores.find((candidate) => candidate.dialect === dialect);
        if (!store) throw new Error(`the fixture serves no ${dialect} store; pass it in options.dialects`);
        return store;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The contracts' views at a given block, each call made once per block (the answers of many routes ask the same
 * view): `read(address, abi, functionName, args, blockNumber)`.
 */
export type ViewReader = <T>(
  address: Address,
  abi: Abi | readonly unknown[],
  functionName: string,
  args: readonly unknown[],
  blockNumber: bigint,
) => Promise<T>;

const replacer = (_key: string, value: unknown) => (typeof value === "bigint" ? `${value}n` : value);

export function createViewReader(client: PublicClient): ViewReader {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(
    address: Address,
    abi: Abi | readonly unknown[],
    functionName: string,
    args: readonly unknown[],
    blockNumber: bigint,
  ): Promise<T> => {
    const key = JSON.stringify([address.toLowerCase(), functionName, args, blockNumber], replacer);
    let pending = cache.get(key);
    if (!pending) {
      pending = client.readContract({ address, abi: abi as Abi, functionName, args, blockNumber } as never);
      cache.set(key, pending);
    }
    return pending as Promise<T>;
  };
}

/** Lower-cases hex strings anywhere in a value and turns bigints into decimal strings: the API's wire format. */
export function wire<T>(value: T): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, wire(inner)]));
  }
  return value;
}

/**
 * A scripted market on top of the random activity, which rarely gets a grant through and never an offer (its offers
 * expire at 0): every grant status (active, pending customs, approved, rejected, revoked, expired), every offer
 * outcome (completed and delivered, approved by customs, cancelled, expired while open, still open), a revision chain
 * of three versions, a cross-border derivation under a grant, a finding, a freeze, a withdrawal, and a long trail.
 * Ends with a clock jump (so that some grants and offers have expired at the head), class rules tightened and the
 * trader suspended (verdicts only today's rules give). Every
 * step must succeed: a revert throws, naming the step.
 */
export async function marketActivity(consortium: Consortium): Promise<void> {
  const { accounts, addresses, orgIds, created, publicClient } = consortium;
  let counter = 0;
  const fresh = (label: string) => keccak256(toHex(`provledger-market:${label}:${counter++}`));
  const send = async (from: Account, address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const hash = await consortium.wallet.writeContract({
      account: from,
      chain: anvilChain,
      address,
      abi,
      functionName,
      args,
    } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`market step ${functionName} reverted (${hash})`);
  };
  const now = async () => (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
  const ledger = (from: Account, name: string, args: readonly unknown[]) =>
    send(from, addresses.ledger, provenanceLedgerAbi as Abi, name, args);
  const rights = (from: Account, name: string, args: readonly unknown[]) =>
    send(from, addresses.rights, dataRightsAbi as Abi, name, args);
  const registry = (name: string, args: readonly unknown[]) =>
    send(accounts.governance, addresses.registry, organizationRegistryAbi as Abi, name, args);
  const register = async (
    from: Account,
    dataClass: number,
    parents: { fingerprint: Hex; relation: number }[] = [],
  ): Promise<Hex> => {
    const fingerprint = fresh("record");
    await ledger(from, "register", [
      {
        fingerprint,
        scheme: 0,
        dataClass,
        metadataHash: fresh("meta"),
        metadataURI: `ipfs://market/${counter}`,
        parents,
      },
    ]);
    created.fingerprints.push(fingerprint);
    return fingerprint;
  };
  const grantIdOf = async (fingerprint: Hex, org: number) =>
    (
      (await publicClient.readContract({
        address: addresses.rights,
        abi: dataRightsAbi,
        functionName: "getGrant",
        args: [fingerprint, org],
      })) as { grantId: bigint }
    ).grantId;
  const offer = async (from: Account, fingerprint: Hex, toOrg: number, ttl: bigint): Promise<bigint> => {
    await rights(from, "offerTransfer", [fingerprint, toOrg, fresh("terms"), (await now()) + ttl]);
    const [, count] = (await publicClient.readContract({
      address: addresses.rights,
      abi: dataRightsAbi,
      functionName: "counts",
    })) as readonly [bigint, bigint];
    created.offers.push(count);
    return count;
  };

  // The random activity may have suspended the trader or the foreign agency, and tightened or loosened class rules.
  for (const org of [orgIds.trader, orgIds.foreignAgency]) {
    const [status] = (await publicClient.readContract({
      address: addresses.registry,
      abi: organizationRegistryAbi,
      functionName: "membership",
      args: [org],
    })) as readonly [number, Hex, number];
    if (status !== OrganizationStatus.ACTIVE) await registry("reinstateOrganization", [org, fresh("reinstate")]);
  }
  await rights(accounts.governance, "setClassRule", [DataClass.INTERNAL, Rule.APPROVAL]);
  await rights(accounts.governance, "setClassRule", [DataClass.IMPORTANT, Rule.APPROVAL]);

  const agency = accounts.agency;
  // Grants: active at home, pending customs abroad then approved, rejected, revoked, expiring.
  const source = await register(agency, DataClass.INTERNAL);
  await rights(agency, "issueGrant", [source, orgIds.trader, Scope.USE | Scope.DERIVE, fresh("purpose"), 0]);
  await rights(agency, "issueGrant", [source, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, fresh("purpose"), 0]);
  const approved = await grantIdOf(source, orgIds.foreignAgency);
  await rights(accounts.customs, "decideGrant", [source, orgIds.foreignAgency, approved, true, fresh("decision")]);
  // A cross-border derivation under that grant, and a revision chain of three versions.
  const derived = await register(accounts.foreignAgency, DataClass.PUBLIC, [
    { fingerprint: source, relation: Relation.DERIVED_FROM },
  ]);
  await rights(accounts.foreignAgency, "issueGrant", [
    derived,
    orgIds.agency,
    Scope.USE | Scope.DERIVE,
    fresh("purpose"),
    0,
  ]);
  const second = await register(agency, DataClass.INTERNAL, [{ fingerprint: source, relation: Relation.REVISION_OF }]);
  const third = await register(agency, DataClass.IMPORTANT, [
    { fingerprint: second, relation: Relation.REVISION_OF },
    { fingerprint: derived, relation: Relation.DERIVED_FROM },
  ]);
  await rights(agency, "issueGrant", [third, orgIds.foreignAgency, Scope.USE, fresh("purpose"), 0]);
  await rights(accounts.customs, "decideGrant", [
    third,
    orgIds.foreignAgency,
    await grantIdOf(third, orgIds.foreignAgency),
    false,
    fresh("decision"),
  ]);
  await rights(agency, "issueGrant", [third, orgIds.trader, Scope.ALL, fresh("purpose"), 0]);
  const open = await register(agency, DataClass.PUBLIC);
  await rights(agency, "issueGrant", [open, orgIds.trader, Scope.USE, fresh("purpose"), (await now()) + 100n]);
  await rights(agency, "issueGrant", [open, orgIds.foreignAgency, Scope.ALL, fresh("purpose"), 0]);
  await rights(agency, "revokeGrant", [open, orgIds.foreignAgency, fresh("revoke")]);
  await rights(agency, "issueGrant", [source, orgIds.inspector, Scope.USE, fresh("purpose"), 0]);
  await rights(accounts.inspector, "attachFinding", [third, fresh("finding")]);
  await rights(accounts.inspector, "freeze", [derived, fresh("freeze")]);
  await rights(accounts.inspector, "unfreeze", [derived, fresh("unfreeze")]);

  // Offers: completed and delivered at home; accepted abroad and approved by customs; cancelled; open then expired.
  const sold = await register(agency, DataClass.PUBLIC);
  const home = await offer(agency, sold, orgIds.trader, 10_000n);
  await rights(accounts.trader, "acceptOffer", [home]);
  await rights(accounts.trader, "confirmDelivery", [home, sold]);
  const exported = await register(agency, DataClass.INTERNAL);
  const abroad = await offer(agency, exported, orgIds.foreignAgency, 10_000n);
  await rights(accounts.foreignAgency, "acceptOffer", [abroad]);
  await rights(accounts.customs, "decideTransfer", [abroad, true, fresh("decision")]);
  const refused = await register(agency, DataClass.IMPORTANT);
  const rejectedOffer = await offer(agency, refused, orgIds.foreignAgency, 10_000n);
  await rights(accounts.foreignAgency, "acceptOffer", [rejectedOffer]);
  await rights(accounts.customs, "decideTransfer", [rejectedOffer, false, fresh("decision")]);
  const cancelled = await offer(agency, open, orgIds.trader, 10_000n);
  await rights(agency, "cancelOffer", [cancelled, fresh("cancel")]);
  const expiring = await register(agency, DataClass.PUBLIC);
  await offer(agency, expiring, orgIds.trader, 50n);
  await offer(agency, refused, orgIds.trader, 100_000n);
  // Waiting for customs with an expiry that passes while it waits (the contract still counts it outstanding).
  const waiting = await register(agency, DataClass.INTERNAL);
  await rights(agency, "issueGrant", [
    waiting,
    orgIds.foreignAgency,
    Scope.USE,
    fresh("purpose"),
    (await now()) + 100n,
  ]);
  // Approved abroad while the class could leave with approval; forbidden at the end.
  const strict = await register(agency, DataClass.IMPORTANT);
  await rights(agency, "issueGrant", [strict, orgIds.foreignAgency, Scope.USE, fresh("purpose"), 0]);
  await rights(accounts.customs, "decideGrant", [
    strict,
    orgIds.foreignAgency,
    await grantIdOf(strict, orgIds.foreignAgency),
    true,
    fresh("decision"),
  ]);
  const gone = await register(agency, DataClass.CORE);
  await ledger(agency, "withdraw", [gone, fresh("withdraw")]);

  // A long trail on the first record.
  for (let i = 0; i < 4; i++) await rights(accounts.inspector, "attachFinding", [source, fresh("finding")]);

  // Past the expiring grant and offer, then one more transaction so that the head block is the clock's.
  const testClient = createTestClient({ chain: anvilChain, mode: "anvil", transport: http(consortium.url) });
  await testClient.increaseTime({ seconds: 1_000 });
  await rights(accounts.inspector, "attachFinding", [source, fresh("finding")]);
  // Rules and memberships changed after the grants: verdicts that only today's rules give (cross-border forbidden,
  // customs approval missing) and an inactive organisation on either side.
  await rights(accounts.governance, "setClassRule", [DataClass.IMPORTANT, Rule.FORBIDDEN]);
  await rights(accounts.governance, "setClassRule", [DataClass.PUBLIC, Rule.APPROVAL]);
  await registry("suspendOrganization", [orgIds.trader, fresh("suspend")]);
}

/** The zero bytes32. */
export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
