/**
 * The query API tells the truth: on a random scenario run on anvil (plus a scripted market, test/helpers/api.ts),
 * indexed into SQLite and PostgreSQL, every route's answer equals what the contracts' own views (and the node's logs)
 * say at the block the answer names (`at.block.number`): records, trails, lineage, organisations, authorisations for
 * every (record, organisation, scope), events, the status anchor and verdicts. Then the store is tampered with by SQL
 * (a trail row's payload hash edited, a row backdated, a row deleted), and the SDK's `verifyTrailAnswer` refuses the
 * answer the API now gives, naming the entry, while the untampered answer verifies.
 *
 * Differences are collected per route and reported together (route, field, expected, got), so that one failing run
 * says everything that is wrong.
 */
import { expect } from "chai";
import { decodeEventLog, zeroHash, type AbiEvent, type Address, type Hex, type PublicClient } from "viem";
import { eventAbiFor } from "../../src/indexer/events";
import {
  Authorization,
  GrantStatus,
  OfferStatus,
  dataRightsAbi,
  organizationRegistryAbi,
  provenanceLedgerAbi,
  provledgerAbi,
  recordEntry,
  trailEntryFromEvent,
  verifyTrailAnswer,
  type TrailAnswer,
} from "../../src/sdk";
import { createViewReader, startApiFixture, type ApiFixture, type ApiStore, type ViewReader } from "../helpers/api";
import { underCoverage } from "../helpers/coverage";

const DIALECTS = ["sqlite", "postgres"] as const;
/** The registry's events that change an organisation's profile, jurisdiction, roles or status. */
const GOVERNANCE_EVENTS = [
  "OrganizationRegistered",
  "OrganizationProfileChanged",
  "OrganizationJurisdictionChanged",
  "OrganizationRolesChanged",
  "OrganizationSuspended",
  "OrganizationReinstated",
];
const SCOPES = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The API's wire form, loosely: bigints and numbers as decimal strings, hex lower case, keys sorted (the wire types
 * are the OpenAPI test's to check; this one checks values).
 */
function canon(value: unknown): unknown {
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(canon);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, canon(inner)]),
    );
  }
  return value;
}
const text = (value: unknown) => JSON.stringify(canon(value));
const lower = (hex: string) => hex.toLowerCase() as Hex;
const byJson = (a: unknown, b: unknown) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);

/** Differences found on one route: `same(where, expected, got)`; `assert()` fails with all of them. */
class Differences {
  readonly found: string[] = [];
  constructor(private readonly route: string) {}
  same(where: string, expected: unknown, got: unknown): boolean {
    if (text(expected) === text(got)) return true;
    this.found.push(`${where}: expected ${text(expected)}, got ${text(got)}`);
    return false;
  }
  fail(where: string, why: string): void {
    this.found.push(`${where}: ${why}`);
  }
  assert(): void {
    const shown = this.found.slice(0, 25).join("\n  ");
    const more = this.found.length > 25 ? `\n  ... and ${this.found.length - 25} more` : "";
    expect(
      this.found,
      `${this.route}: ${this.found.length} differences from the chain:\n  ${shown}${more}`,
    ).to.have.length(0);
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Anchor = { block: { number: string; hash: Hex; timestamp: string }; ledgerSequence: string; ledgerHead: Hex };
type Envelope = { at: Anchor; data: Json; next?: string | null };

type ChainLog = {
  name: string;
  args: Record<string, unknown>;
  address: Address;
  blockNumber: bigint;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
  topics: Hex[];
  data: Hex;
  time: bigint;
};

type RecordView = {
  ownerOrg: number;
  registrant: Address;
  scheme: number;
  dataClass: number;
  withdrawn: boolean;
  frozen: boolean;
  metadataHash: Hex;
  registeredAt: number | bigint;
  trailHead: Hex;
  trailLength: bigint;
  supersededBy: Hex;
};
type GrantView = {
  grantId: bigint;
  grantorOrg: number;
  scopes: number;
  status: number;
  expiresAt: number | bigint;
  issuedAt: number | bigint;
  exportJurisdiction: Hex;
  purposeHash: Hex;
};
type OfferView = {
  fingerprint: Hex;
  fromOrg: number;
  toOrg: number;
  status: number;
  offeredAt: number | bigint;
  expiresAt: number | bigint;
  acceptedAt: number | bigint;
  exportJurisdiction: Hex;
  termsHash: Hex;
};
type Link = { fingerprint: Hex; relation: "derived-from" | "revision-of"; grantId: bigint };
type RecordTruth = {
  fingerprint: Hex;
  view: RecordView;
  latest: Hex;
  trail: { head: Hex; length: bigint };
  parents: Link[];
  children: (Link & { child: Hex })[];
  grants: Map<number, GrantView>;
  pendingOffer: bigint;
};
type OrgTruth = {
  id: number;
  view: {
    name: string;
    metadataHash: Hex;
    jurisdiction: Hex;
    roles: number;
    status: number;
    operatorCount: number;
    registeredAt: number | bigint;
  };
  membership: readonly [number, Hex, number];
  operators: Address[];
};
/** Everything the chain says at one block. */
type Truth = {
  block: { number: bigint; hash: Hex; timestamp: bigint };
  ledgerHead: Hex;
  ledgerSequence: bigint;
  logs: ChainLog[];
  records: Map<Hex, RecordTruth>;
  organizations: OrgTruth[];
  offers: (OfferView & { offerId: bigint })[];
};

/** Whether the log's first argument (every record event's) is the record `fingerprint`. */
const ofRecord = (log: ChainLog, fingerprint: Hex) =>
  typeof log.args.fingerprint === "string" && lower(log.args.fingerprint) === fingerprint;

const relationName = (relation: number) => (relation === 1 ? "revision-of" : "derived-from");

/** The record status the API must derive: the first of withdrawn, frozen, superseded that applies, else current. */
function statusOf(view: RecordView): string {
  if (view.withdrawn) return "withdrawn";
  if (view.frozen) return "frozen";
  if (view.supersededBy !== zeroHash) return "superseded";
  return "current";
}

/** Every value of `args` that the ABI types `uint32` (every organisation id a Provledger event names). */
function orgsNamed(event: AbiEvent, args: Record<string, unknown>): Set<number> {
  const orgs = new Set<number>();
  for (const input of event.inputs) if (input.type === "uint32") orgs.add(Number(args[input.name!]));
  return orgs;
}

/** Reads the chain's truth at `blockNumber`: the logs up to it and every view the routes answer from. */
async function readTruth(
  fixture: ApiFixture,
  read: ViewReader,
  blockNumber: bigint,
  fingerprints: readonly Hex[],
): Promise<Truth> {
  const { client, consortium, accounts } = fixture;
  const { addresses } = consortium;
  const block = await client.getBlock({ blockNumber });
  const [ledgerHead, ledgerSequence] = await read<[Hex, bigint]>(
    addresses.ledger,
    provenanceLedgerAbi,
    "ledgerHead",
    [],
    blockNumber,
  );
  const raw = await client.getLogs({
    address: [addresses.registry, addresses.ledger, addresses.rights],
    fromBlock: consortium.deployment.deploymentBlock,
    toBlock: blockNumber,
  });
  const times = new Map<bigint, bigint>();
  for (const number of new Set(raw.map((log) => log.blockNumber!))) {
    times.set(number, (await client.getBlock({ blockNumber: number })).timestamp);
  }
  const logs: ChainLog[] = raw.map((log) => {
    const decoded = decodeEventLog({ abi: provledgerAbi, topics: log.topics, data: log.data, strict: true });
    return {
      name: decoded.eventName,
      args: decoded.args as unknown as Record<string, unknown>,
      address: lower(log.address) as Address,
      blockNumber: log.blockNumber!,
      blockHash: lower(log.blockHash!),
      logIndex: log.logIndex!,
      transactionHash: lower(log.transactionHash!),
      topics: log.topics.map(lower),
      data: lower(log.data),
      time: times.get(log.blockNumber!)!,
    };
  });

  const organizationCount = Number(
    await read<number>(addresses.registry, organizationRegistryAbi, "organizationCount", [], blockNumber),
  );
  const ids = Array.from({ length: organizationCount }, (_, i) => i + 1);
  const memberOf = new Map<Address, number>();
  await Promise.all(
    accounts.map(async (account) =>
      memberOf.set(
        lower(account) as Address,
        Number(
          await read<number>(addresses.registry, organizationRegistryAbi, "organizationOf", [account], blockNumber),
        ),
      ),
    ),
  );
  const organizations = await Promise.all(
    ids.map(async (id) => ({
      id,
      view: await read<OrgTruth["view"]>(
        addresses.registry,
        organizationRegistryAbi,
        "organization",
        [id],
        blockNumber,
      ),
      membership: await read<OrgTruth["membership"]>(
        addresses.registry,
        organizationRegistryAbi,
        "membership",
        [id],
        blockNumber,
      ),
      operators: [...memberOf].filter(([, org]) => org === id).map(([account]) => account),
    })),
  );

  const [, offerCount] = await read<[bigint, bigint]>(addresses.rights, dataRightsAbi, "counts", [], blockNumber);
  const offers = await Promise.all(
    Array.from({ length: Number(offerCount) }, async (_, i) => ({
      offerId: BigInt(i + 1),
      ...(await read<OfferView>(addresses.rights, dataRightsAbi, "getOffer", [BigInt(i + 1)], blockNumber)),
    })),
  );

  const records = new Map<Hex, RecordTruth>();
  await Promise.all(
    fingerprints.map(async (fingerprint) => {
      const [view, [latest], [head, length], [parents, derivationGrants], pendingOffer, grants] = await Promise.all([
        read<RecordView>(addresses.ledger, provenanceLedgerAbi, "getRecord", [fingerprint], blockNumber),
        read<[Hex, boolean]>(addresses.ledger, provenanceLedgerAbi, "latestVersion", [fingerprint], blockNumber),
        read<[Hex, bigint]>(addresses.ledger, provenanceLedgerAbi, "trailHead", [fingerprint], blockNumber),
        read<[{ fingerprint: Hex; relation: number }[], bigint[]]>(
          addresses.ledger,
          provenanceLedgerAbi,
          "getParents",
          [fingerprint],
          blockNumber,
        ),
        read<bigint>(addresses.rights, dataRightsAbi, "pendingOffer", [fingerprint], blockNumber),
        Promise.all(
          ids.map((org) =>
            read<GrantView>(addresses.rights, dataRightsAbi, "getGrant", [fingerprint, org], blockNumber),
          ),
        ),
      ]);
      records.set(lower(fingerprint), {
        fingerprint: lower(fingerprint),
        view,
        latest: lower(latest),
        trail: { head: lower(head), length: BigInt(length) },
        parents: parents.map((parent, i) => ({
          fingerprint: lower(parent.fingerprint),
          relation: relationName(Number(parent.relation)),
          grantId: derivationGrants[i],
        })),
        children: [],
        grants: new Map(ids.map((org, i) => [org, grants[i]])),
        pendingOffer: BigInt(pendingOffer),
      });
    }),
  );
  for (const record of records.values()) {
    for (const parent of record.parents) {
      records
        .get(parent.fingerprint)
        ?.children.push({ ...parent, fingerprint: record.fingerprint, child: record.fingerprint });
    }
  }
  return {
    block: { number: block.number, hash: lower(block.hash), timestamp: block.timestamp },
    ledgerHead: lower(ledgerHead),
    ledgerSequence,
    logs,
    records,
    organizations,
    offers,
  };
}

/** Runs `fn` over `items` with at most `width` at a time. */
async function pool<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

describe("server: every answer equals the contracts' views at the answer's block", function () {
  this.timeout(180_000);
  let fixture: ApiFixture;
  let read: ViewReader;
  let fingerprints: Hex[];
  const truths = new Map<bigint, Promise<Truth>>();

  before(async function () {
    if (underCoverage()) this.skip();
    fixture = await startApiFixture({ dialects: DIALECTS });
    read = createViewReader(fixture.client);
    fingerprints = fixture.consortium.created.fingerprints.map(lower);
  });
  after(async () => {
    await fixture?.close();
  });

  /** The chain's truth at the block an answer names (read once per block). */
  function truthAt(at: Anchor): Promise<Truth> {
    const number = BigInt(at.block.number);
    let truth = truths.get(number);
    if (!truth) {
      truth = readTruth(fixture, read, number, fingerprints);
      truths.set(number, truth);
    }
    return truth;
  }

  /** GET that must answer 200 with an envelope; checks the anchor against the chain and returns the truth at it. */
  async function answerOf(
    store: ApiStore,
    path: string,
    diff: Differences,
  ): Promise<{ body: Envelope; truth: Truth } | undefined> {
    const response = await store.get<Envelope>(path);
    if (response.status !== 200 || !response.body?.at) {
      diff.fail(`GET ${path}`, `status ${response.status}: ${response.text.slice(0, 300)}`);
      return undefined;
    }
    const { at } = response.body;
    const truth = await truthAt(at);
    diff.same(`GET ${path} at.block.number (the indexed head)`, fixture.head, at.block.number);
    diff.same(`GET ${path} at.block.hash`, truth.block.hash, at.block.hash);
    diff.same(`GET ${path} at.block.timestamp`, truth.block.timestamp, at.block.timestamp);
    diff.same(`GET ${path} at.ledgerSequence (ledgerHead())`, truth.ledgerSequence, at.ledgerSequence);
    diff.same(`GET ${path} at.ledgerHead (ledgerHead())`, truth.ledgerHead, at.ledgerHead);
    return { body: response.body, truth };
  }

  /** Every page of a paged route, following `next`; each page's anchor checked. */
  async function pagesOf(store: ApiStore, path: string, diff: Differences): Promise<Envelope[] | undefined> {
    const pages: Envelope[] = [];
    let cursor: string | null | undefined;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page = await answerOf(
        store,
        cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path,
        diff,
      );
      if (!page) return undefined;
      pages.push(page.body);
      cursor = page.body.next;
      if (pages.length > 10_000) throw new Error(`${path}: more than 10,000 pages; the cursor does not advance`);
    } while (cursor);
    return pages;
  }

  it("the scenario has what the routes must show", async () => {
    const truth = await truthAt({ block: { number: fixture.head.toString() } } as Anchor);
    const names = new Set(truth.logs.map((log) => log.name));
    for (const name of ["RecordSuperseded", "GrantDecided", "TransferDecided", "DeliveryReported", "RecordFrozen"]) {
      expect(names, name).to.include(name);
    }
    const statuses = new Set([...truth.records.values()].map((record) => statusOf(record.view)));
    expect([...statuses]).to.include.members(["current", "superseded", "withdrawn"]);
    const grantStatuses = new Set(
      [...truth.records.values()].flatMap((record) => [...record.grants.values()].map((grant) => Number(grant.status))),
    );
    expect([...grantStatuses]).to.include.members([
      GrantStatus.PENDING_CUSTOMS,
      GrantStatus.ACTIVE,
      GrantStatus.REVOKED,
      GrantStatus.REJECTED,
    ]);
    const offerStatuses = new Set(truth.offers.map((offer) => Number(offer.status)));
    expect([...offerStatuses]).to.include.members([
      OfferStatus.OPEN,
      OfferStatus.CANCELLED,
      OfferStatus.REJECTED,
      OfferStatus.COMPLETED,
      OfferStatus.DELIVERED,
    ]);
    expect([...truth.records.values()].some((record) => record.pendingOffer !== 0n)).to.equal(true);
    expect(Math.max(...[...truth.records.values()].map((record) => Number(record.trail.length)))).to.be.at.least(8);
  });

  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      const store = () => fixture.store(dialect);

      it("GET /v1/records/{fingerprint}: standing, owner, versions, lineage, grants, offers, decisions, findings", async () => {
        const diff = new Differences(`${dialect} GET /v1/records/{fingerprint}`);
        await pool(fingerprints, 16, async (fingerprint) => {
          const path = `/v1/records/${fingerprint}`;
          const result = await answerOf(store(), path, diff);
          if (!result) return;
          const { body, truth } = result;
          const data = body.data;
          const record = truth.records.get(fingerprint)!;
          const { view } = record;
          const now = truth.block.timestamp;
          const where = (field: string) => `${path} ${field}`;
          diff.same(where("fingerprint"), fingerprint, data.fingerprint);
          diff.same(where("status"), statusOf(view), data.status);
          diff.same(where("withdrawn"), view.withdrawn, data.withdrawn);
          diff.same(where("frozen"), view.frozen, data.frozen);
          diff.same(
            where("supersededBy"),
            view.supersededBy === zeroHash ? null : view.supersededBy,
            data.supersededBy,
          );
          diff.same(where("latestVersion (latestVersion())"), record.latest, data.latestVersion);
          diff.same(where("owner.org"), view.ownerOrg, data.owner?.org);
          const owner = truth.organizations.find((org) => org.id === Number(view.ownerOrg));
          diff.same(where("owner.name"), owner?.view.name ?? null, data.owner?.name);
          diff.same(where("registrant"), view.registrant, data.registrant);
          diff.same(where("scheme"), view.scheme, data.scheme);
          diff.same(where("dataClass"), view.dataClass, data.dataClass);
          diff.same(where("metadataHash"), view.metadataHash, data.metadataHash);
          diff.same(where("registeredAt"), view.registeredAt, data.registeredAt);
          const registered = truth.logs.find((log) => log.name === "RecordRegistered" && ofRecord(log, fingerprint));
          diff.same(where("metadataURI (RecordRegistered)"), registered?.args.metadataURI, data.metadataURI);
          diff.same(where("trail.length (trailHead())"), record.trail.length, data.trail?.length);
          diff.same(where("trail.head (trailHead())"), record.trail.head, data.trail?.head);

          // The revision chain: back through the records the views say this one superseded, forward through
          // supersededBy, oldest first.
          const versions: Hex[] = [fingerprint];
          for (;;) {
            const previous = [...truth.records.values()].find((r) => lower(r.view.supersededBy) === versions[0]);
            if (!previous) break;
            versions.unshift(previous.fingerprint);
          }
          for (let next = lower(view.supersededBy); next !== zeroHash;) {
            versions.push(next);
            next = lower(truth.records.get(next)!.view.supersededBy);
          }
          diff.same(where("versions"), versions, data.versions);
          diff.same(where("latestVersion is the last version"), versions[versions.length - 1], data.latestVersion);
          diff.same(where("parents (getParents())"), record.parents, data.parents);
          diff.same(
            where("children (records whose getParents() name it)"),
            record.children
              .map(({ fingerprint: child, relation, grantId }) => ({ fingerprint: child, relation, grantId }))
              .sort(byJson),
            [...(data.children ?? [])].sort(byJson),
          );

          // Outstanding grants, as the contract's _isOutstanding: waiting for customs, or active and not expired.
          const outstanding = [...record.grants]
            .filter(([, grant]) => {
              const status = Number(grant.status);
              const expired = BigInt(grant.expiresAt) !== 0n && now > BigInt(grant.expiresAt);
              return status === GrantStatus.PENDING_CUSTOMS || (status === GrantStatus.ACTIVE && !expired);
            })
            .map(([granteeOrg, grant]) => ({
              grantId: grant.grantId,
              granteeOrg,
              grantorOrg: grant.grantorOrg,
              scopes: grant.scopes,
              status: grant.status,
              expiresAt: grant.expiresAt,
              issuedAt: grant.issuedAt,
              exportJurisdiction: grant.exportJurisdiction,
              purposeHash: grant.purposeHash,
            }));
          const grantKeys = Object.keys(outstanding[0] ?? { grantId: 0 });
          const pick = (value: Json, keys: string[]) => Object.fromEntries(keys.map((key) => [key, value[key]]));
          diff.same(
            where("grants (getGrant() per organisation, outstanding)"),
            outstanding.sort(byJson),
            (data.grants ?? []).map((grant: Json) => pick(grant, grantKeys)).sort(byJson),
          );

          const offers = truth.offers
            .filter((offer) => lower(offer.fingerprint) === fingerprint)
            .map((offer) => ({
              offerId: offer.offerId,
              fromOrg: offer.fromOrg,
              toOrg: offer.toOrg,
              status: offer.status,
              offeredAt: offer.offeredAt,
              expiresAt: offer.expiresAt,
              acceptedAt: offer.acceptedAt,
              exportJurisdiction: offer.exportJurisdiction,
              termsHash: offer.termsHash,
              deliveryReports: truth.logs
                .filter((log) => log.name === "DeliveryReported" && log.args.offerId === offer.offerId)
                .map((log) => ({ receivedFingerprint: log.args.receivedFingerprint, matches: log.args.matches })),
            }));
          const offerKeys = Object.keys(offers[0] ?? { offerId: 0 });
          diff.same(
            where("offers (getOffer())"),
            offers,
            (data.offers ?? []).map((offer: Json) => pick(offer, offerKeys)),
          );
          // pendingOffer(): the offer that locks the record, by the contract's rule, among the answer's offers.
          const pending = (data.offers ?? []).filter(
            (offer: Json) =>
              Number(offer.status) === OfferStatus.AWAITING_CUSTOMS ||
              (Number(offer.status) === OfferStatus.OPEN && now <= BigInt(offer.expiresAt)),
          );
          diff.same(
            where("offers: the pending one (pendingOffer())"),
            record.pendingOffer === 0n ? [] : [record.pendingOffer],
            pending.map((offer: Json) => offer.offerId),
          );

          const decisions = truth.logs
            .filter(
              (log) => (log.name === "GrantDecided" || log.name === "TransferDecided") && ofRecord(log, fingerprint),
            )
            .map((log) => ({
              kind: log.name === "GrantDecided" ? "grant" : "transfer",
              id: log.name === "GrantDecided" ? log.args.grantId : log.args.offerId,
              customsOrg: log.args.customsOrg,
              approved: log.args.approved,
              decisionHash: log.args.decisionHash,
              blockNumber: log.blockNumber,
              transactionHash: log.transactionHash,
              time: log.time,
            }));
          const decisionKeys = Object.keys(decisions[0] ?? { kind: 0 });
          diff.same(
            where("customsDecisions (GrantDecided/TransferDecided logs)"),
            decisions,
            (data.customsDecisions ?? []).map((decision: Json) => pick(decision, decisionKeys)),
          );
          diff.same(
            where("findings (FindingAttached logs)"),
            truth.logs
              .filter((log) => log.name === "FindingAttached" && ofRecord(log, fingerprint))
              .map((log) => log.args.findingHash),
            data.findings,
          );
        });
        const missing = await store().get(`/v1/records/0x${"ab".repeat(32)}`);
        diff.same("GET /v1/records/<unregistered> status", 404, missing.status);
        diff.same("GET /v1/records/<unregistered> error.code", "UnknownRecord", (missing.body as Json)?.error?.code);
        diff.assert();
      });

      it("GET /v1/records/{fingerprint}/trail: every page; the entries recompute to trailHead() and are the chain's logs", async () => {
        const diff = new Differences(`${dialect} GET /v1/records/{fingerprint}/trail`);
        await pool(fingerprints, 8, async (fingerprint) => {
          const path = `/v1/records/${fingerprint}/trail?limit=3`;
          const pages = await pagesOf(store(), path, diff);
          if (!pages) return;
          const truth = await truthAt(pages[0].at);
          const record = truth.records.get(fingerprint)!;
          const entries = pages.flatMap((page) => page.data.entries as Json[]);
          pages.forEach((page, i) => {
            diff.same(`${path} page ${i + 1} fingerprint`, fingerprint, page.data.fingerprint);
            diff.same(`${path} page ${i + 1} length (trailHead())`, record.trail.length, page.data.length);
            diff.same(`${path} page ${i + 1} head (trailHead())`, record.trail.head, page.data.head);
            diff.same(`${path} page ${i + 1} at.block.number`, pages[0].at.block.number, page.at.block.number);
          });
          diff.same(`${path} entries (every page)`, record.trail.length, entries.length);
          let head: Hex = zeroHash;
          entries.forEach((entry, i) => {
            const at = `${path} entry ${i + 1}`;
            diff.same(`${at} position`, i + 1, entry.position);
            head = recordEntry(head, Number(entry.action), entry.actor, BigInt(entry.time), entry.payloadHash);
            diff.same(`${at} stamp.recordHead (recomputed)`, head, entry.stamp?.recordHead);
            diff.same(`${at} stamp.recordLength`, i + 1, entry.stamp?.recordLength);
            const log = truth.logs.find(
              (candidate) =>
                candidate.blockNumber === BigInt(entry.event?.blockNumber ?? -1) &&
                candidate.logIndex === Number(entry.event?.logIndex),
            );
            if (!log) return diff.fail(`${at} event`, `no log of the deployment at ${text(entry.event)}`);
            diff.same(`${at} event.name`, log.name, entry.event.name);
            diff.same(`${at} event.blockHash`, log.blockHash, entry.event.blockHash);
            diff.same(`${at} event.transactionHash`, log.transactionHash, entry.event.transactionHash);
            const expected = trailEntryFromEvent({ eventName: log.name, args: log.args }, log.time);
            diff.same(
              `${at} (trailEntryFromEvent of the chain's log)`,
              {
                subject: expected.subject,
                action: expected.action,
                actor: expected.actor,
                time: expected.time,
                payloadHash: expected.payloadHash,
                stamp: expected.stamp,
              },
              {
                subject: entry.subject,
                action: entry.action,
                actor: entry.actor,
                time: entry.time,
                payloadHash: entry.payloadHash,
                stamp: entry.stamp,
              },
            );
          });
          diff.same(`${path} the entries' recomputed head (trailHead())`, record.trail.head, head);
          const verdict = await verifyTrailAnswer(fixture.client as PublicClient, {
            ledger: fixture.consortium.addresses.ledger,
            answer: pages as unknown as TrailAnswer[],
            fingerprint,
          });
          if (!verdict.valid) diff.fail(`${path} verifyTrailAnswer`, verdict.summary);
        });
        diff.assert();
      });

      it("GET /v1/records/{fingerprint}/lineage: up, down and both agree with getParents() at every level", async () => {
        const diff = new Differences(`${dialect} GET /v1/records/{fingerprint}/lineage`);
        await pool(fingerprints, 8, async (root) => {
          for (const direction of ["up", "down", "both"] as const) {
            const path = `/v1/records/${root}/lineage?direction=${direction}&depth=100`;
            const result = await answerOf(store(), path, diff);
            if (!result) continue;
            const { body, truth } = result;
            // BFS over the views: parents from getParents(), children from the records whose getParents() name one.
            const levels = new Map<Hex, number>([[root, 0]]);
            const edges: Json[] = [];
            const walk = (sign: -1 | 1) => {
              let frontier = [root];
              for (let level = 1; frontier.length > 0; level++) {
                const next: Hex[] = [];
                for (const node of frontier) {
                  const record = truth.records.get(node)!;
                  const links =
                    sign < 0
                      ? record.parents.map((p) => ({
                          child: node,
                          parent: p.fingerprint,
                          relation: p.relation,
                          grantId: p.grantId,
                        }))
                      : record.children.map((c) => ({
                          child: c.child,
                          parent: node,
                          relation: c.relation,
                          grantId: c.grantId,
                        }));
                  for (const link of links) {
                    edges.push(link);
                    const other = sign < 0 ? link.parent : link.child;
                    if (!levels.has(other)) {
                      levels.set(other, sign * level);
                      next.push(other);
                    }
                  }
                }
                frontier = next;
              }
            };
            if (direction !== "down") walk(-1);
            if (direction !== "up") walk(1);
            const nodes = [...levels].map(([fingerprint, level]) => {
              const { view } = truth.records.get(fingerprint)!;
              return {
                fingerprint,
                level,
                ownerOrg: view.ownerOrg,
                dataClass: view.dataClass,
                status: statusOf(view),
                registeredAt: view.registeredAt,
              };
            });
            const data = body.data;
            diff.same(`${path} root`, root, data.root);
            diff.same(
              `${path} nodes`,
              nodes.sort(byJson),
              (data.nodes ?? [])
                .map((node: Json) => ({
                  fingerprint: node.fingerprint,
                  level: node.level,
                  ownerOrg: node.ownerOrg,
                  dataClass: node.dataClass,
                  status: node.status,
                  registeredAt: node.registeredAt,
                }))
                .sort(byJson),
            );
            diff.same(
              `${path} edges`,
              edges.sort(byJson),
              (data.edges ?? [])
                .map((edge: Json) => ({
                  child: edge.child,
                  parent: edge.parent,
                  relation: edge.relation,
                  grantId: edge.grantId,
                }))
                .sort(byJson),
            );
            diff.same(`${path} truncated`, false, data.truncated);
            // One level: truncated exactly when a node at that level has further edges that way.
            if (direction === "up") {
              const shallow = `/v1/records/${root}/lineage?direction=up&depth=1`;
              const one = await answerOf(store(), shallow, diff);
              const record = truth.records.get(root)!;
              const further = record.parents.some((p) => truth.records.get(p.fingerprint)!.parents.length > 0);
              diff.same(`${shallow} truncated`, further, one?.body.data.truncated);
              diff.same(`${shallow} truncatedBy`, further ? "depth" : null, one?.body.data.truncatedBy);
              diff.same(
                `${shallow} nodes`,
                1 + new Set(record.parents.map((p) => p.fingerprint)).size,
                one?.body.data.nodes?.length,
              );
            }
          }
        });
        diff.assert();
      });

      it(`GET /v1/authorizations: ${dialect === "sqlite" ? "every" : "a third of the"} (record, organisation, scope) equals authorization() (verdict and grantId)`, async () => {
        const diff = new Differences(`${dialect} GET /v1/authorizations`);
        const truth = await truthAt({ block: { number: fixture.head.toString() } } as Anchor);
        // Every triple on SQLite. On PostgreSQL (the same projection code over rows decoded from the other
        // dialect) every (record, organisation) pair with two or three of the scopes, in rotation: a third of the
        // requests, which keeps the file within its time budget on a 2-core machine.
        const triples = fingerprints
          .flatMap((record, i) =>
            truth.organizations.flatMap((org) =>
              SCOPES.map((scope) => ({ record, org: org.id, scope, sample: (i + org.id + scope) % 3 === 0 })),
            ),
          )
          .filter((triple) => dialect === "sqlite" || triple.sample);
        const verdicts = new Map<number, number>();
        // The views first, all at once (JSON-RPC batches of 200), so that the API requests do not wait on the node.
        const authorization = (record: Hex, org: number, scope: number, block: bigint) =>
          read<[number, bigint]>(
            fixture.consortium.addresses.rights,
            dataRightsAbi,
            "authorization",
            [record, org, scope],
            block,
          );
        await Promise.all(triples.map(({ record, org, scope }) => authorization(record, org, scope, fixture.head)));
        await pool(triples, 16, async ({ record, org, scope }) => {
          const path = `/v1/authorizations?record=${record}&org=${org}&scope=${scope}`;
          const result = await answerOf(store(), path, diff);
          if (!result) return;
          const [verdict, grantId] = await authorization(record, org, scope, BigInt(result.body.at.block.number));
          verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
          const data = result.body.data;
          diff.same(`${path} verdict`, verdict, data.verdict);
          diff.same(`${path} grantId`, grantId, data.grantId);
          diff.same(
            `${path} allowed`,
            verdict === Authorization.OWNER || verdict === Authorization.GRANTED,
            data.allowed,
          );
          diff.same(`${path} record`, record, data.record);
          diff.same(`${path} org`, org, data.org);
        });
        // The scenario reaches most verdicts (else this test would prove little).
        expect(verdicts.size, `verdicts seen: ${text([...verdicts])}`).to.be.at.least(12);
        diff.assert();
      });

      it("GET /v1/organizations/{orgId}: profile, membership and operators equal organization(), membership(), organizationOf()", async () => {
        const diff = new Differences(`${dialect} GET /v1/organizations/{orgId}`);
        const head = await truthAt({ block: { number: fixture.head.toString() } } as Anchor);
        for (const { id } of head.organizations) {
          const path = `/v1/organizations/${id}`;
          const result = await answerOf(store(), path, diff);
          if (!result) continue;
          const org = result.truth.organizations.find((candidate) => candidate.id === id)!;
          const data = result.body.data;
          diff.same(`${path} id`, id, data.id);
          diff.same(`${path} name`, org.view.name, data.name);
          diff.same(`${path} metadataHash`, org.view.metadataHash, data.metadataHash);
          diff.same(`${path} jurisdiction.raw`, org.view.jurisdiction, data.jurisdiction?.raw);
          diff.same(`${path} roles.bits`, org.view.roles, data.roles?.bits);
          diff.same(`${path} status`, org.view.status, data.status);
          diff.same(`${path} registeredAt`, org.view.registeredAt, data.registeredAt);
          diff.same(`${path} membership() status`, org.membership[0], data.status);
          diff.same(`${path} membership() jurisdiction`, org.membership[1], data.jurisdiction?.raw);
          diff.same(`${path} membership() roles`, org.membership[2], data.roles?.bits);
          diff.same(
            `${path} operators (organizationOf())`,
            [...org.operators].sort(),
            [...(data.operators ?? [])].map(lower).sort(),
          );
          diff.same(`${path} operators.length (operatorCount)`, org.view.operatorCount, data.operators?.length);
          // The status history: the registry's governance events naming it, each with membership() at its block.
          const governance = result.truth.logs.filter(
            (log) => GOVERNANCE_EVENTS.includes(log.name) && Number(log.args.orgId) === id,
          );
          const history = (data.statusHistory ?? []) as Json[];
          diff.same(
            `${path} statusHistory (governance logs naming it)`,
            governance.map((log) => [log.name, log.blockNumber, log.transactionHash, log.time]),
            history.map((entry) => [entry.event, entry.blockNumber, entry.transactionHash, entry.time]),
          );
          for (const entry of history) {
            const [status, jurisdiction, roles] = await read<readonly [number, Hex, number]>(
              fixture.consortium.addresses.registry,
              organizationRegistryAbi,
              "membership",
              [id],
              BigInt(entry.blockNumber),
            );
            diff.same(
              `${path} statusHistory at block ${entry.blockNumber} (membership() there)`,
              { status, jurisdiction, roles },
              { status: entry.status, jurisdiction: entry.jurisdiction?.raw, roles: entry.roles },
            );
          }

          const owned = await pagesOf(store(), `/v1/organizations/${id}/records?limit=4`, diff);
          if (owned) {
            const expected = [...result.truth.records.values()]
              .filter((record) => Number(record.view.ownerOrg) === id)
              .map((record) => record.fingerprint)
              .sort();
            const answered = owned.flatMap((page) => (page.data.records ?? page.data) as Json[]);
            diff.same(
              `/v1/organizations/${id}/records (getRecord().ownerOrg)`,
              expected,
              answered.map((record) => lower(record.fingerprint)).sort(),
            );
            for (const record of answered) {
              const truth = result.truth.records.get(lower(record.fingerprint));
              if (!truth) continue;
              const at = `/v1/organizations/${id}/records ${record.fingerprint}`;
              diff.same(
                at,
                {
                  status: statusOf(truth.view),
                  dataClass: truth.view.dataClass,
                  metadataHash: truth.view.metadataHash,
                  registeredAt: truth.view.registeredAt,
                  trail: truth.trail,
                },
                {
                  status: record.status,
                  dataClass: record.dataClass,
                  metadataHash: record.metadataHash,
                  registeredAt: record.registeredAt,
                  trail: record.trail,
                },
              );
            }
          }
          for (const side of ["given", "received"] as const) {
            const grants = await pagesOf(store(), `/v1/organizations/${id}/grants?side=${side}&limit=3`, diff);
            if (!grants) continue;
            const expected = [...result.truth.records.values()]
              .flatMap((record) => [...record.grants].map(([grantee, grant]) => ({ record, grantee, grant })))
              .filter(
                ({ grantee, grant }) =>
                  Number(grant.status) !== GrantStatus.NONE &&
                  (side === "given" ? Number(grant.grantorOrg) === id : grantee === id),
              )
              .map(({ record, grantee, grant }) => ({
                fingerprint: record.fingerprint,
                grantId: grant.grantId,
                granteeOrg: grantee,
                grantorOrg: grant.grantorOrg,
                scopes: grant.scopes,
                status: grant.status,
                expiresAt: grant.expiresAt,
                issuedAt: grant.issuedAt,
                exportJurisdiction: grant.exportJurisdiction,
                purposeHash: grant.purposeHash,
              }))
              .sort(byJson);
            const keys = Object.keys(expected[0] ?? { grantId: 0 });
            const got = grants
              .flatMap((page) => (page.data.grants ?? page.data) as Json[])
              .map((grant) => Object.fromEntries(keys.map((key) => [key, grant[key]])))
              .sort(byJson);
            diff.same(`/v1/organizations/${id}/grants?side=${side} (getGrant())`, expected, got);
          }
          const activity = await pagesOf(store(), `/v1/organizations/${id}/activity?limit=50`, diff);
          if (activity) {
            const expected = result.truth.logs
              .filter((log) => orgsNamed(eventAbiFor(log.topics[0])![0], log.args).has(id))
              .map((log) => `${log.blockNumber}:${log.logIndex}:${log.name}`);
            const got = activity
              .flatMap((page) => (page.data.events ?? page.data) as Json[])
              .map((event) => `${event.blockNumber}:${event.logIndex}:${event.name}`);
            diff.same(`/v1/organizations/${id}/activity (logs naming it)`, expected, got);
          }
        }
        const unknown = await store().get(`/v1/organizations/${head.organizations.length + 1}`);
        diff.same("GET /v1/organizations/<unregistered> status", 404, unknown.status);
        diff.assert();
      });

      it("GET /v1/events: every kind's events are the chain's logs of that kind (getLogs), with their arguments", async () => {
        const diff = new Differences(`${dialect} GET /v1/events`);
        const head = await truthAt({ block: { number: fixture.head.toString() } } as Anchor);
        const kinds = [...new Set(provledgerAbi.filter((item) => item.type === "event").map((item) => item.name))];
        let total = 0;
        for (const kind of kinds) {
          const path = `/v1/events?kind=${kind}&limit=20`;
          const pages = await pagesOf(store(), path, diff);
          if (!pages) continue;
          const truth = await truthAt(pages[0].at);
          const logs = truth.logs.filter((log) => log.name === kind);
          const events = pages.flatMap((page) => (page.data.events ?? page.data) as Json[]);
          total += events.length;
          diff.same(`${path} count (getLogs)`, logs.length, events.length);
          logs.forEach((log, i) => {
            const event = events[i];
            if (!event) return;
            const at = `${path} event ${i + 1}`;
            diff.same(
              `${at} position`,
              [log.blockNumber, log.logIndex, log.blockHash, log.transactionHash, log.address, log.time],
              [event.blockNumber, event.logIndex, event.blockHash, event.transactionHash, event.address, event.time],
            );
            const { stamp, ...args } = log.args;
            const { stamp: answeredStamp, ...answeredArgs } = (event.args ?? {}) as Json;
            diff.same(`${at} args`, args, answeredArgs);
            diff.same(`${at} stamp`, stamp ?? null, event.stamp ?? answeredStamp ?? null);
          });
        }
        diff.same("/v1/events: all kinds together (getLogs)", head.logs.length, total);
        // Filters: by organisation, and by block range.
        for (const org of [1, 3]) {
          const path = `/v1/events?org=${org}&limit=100`;
          const pages = await pagesOf(store(), path, diff);
          if (!pages) continue;
          const expected = head.logs
            .filter((log) => orgsNamed(eventAbiFor(log.topics[0])![0], log.args).has(org))
            .map((log) => `${log.blockNumber}:${log.logIndex}`);
          const got = pages
            .flatMap((page) => (page.data.events ?? page.data) as Json[])
            .map((e) => `${e.blockNumber}:${e.logIndex}`);
          diff.same(`${path} (logs naming it)`, expected, got);
        }
        const middle = head.logs[Math.floor(head.logs.length / 2)].blockNumber;
        const range = `/v1/events?fromBlock=${middle}&toBlock=${middle + 5n}&limit=100`;
        const ranged = await pagesOf(store(), range, diff);
        if (ranged) {
          const got = ranged
            .flatMap((page) => (page.data.events ?? page.data) as Json[])
            .map((e) => `${e.blockNumber}:${e.logIndex}`);
          const inclusive = head.logs.filter((log) => log.blockNumber >= middle && log.blockNumber <= middle + 5n);
          const halfOpen = inclusive.filter((log) => log.blockNumber < middle + 5n);
          const asKeys = (logs: ChainLog[]) => logs.map((log) => `${log.blockNumber}:${log.logIndex}`);
          if (text(got) !== text(asKeys(halfOpen)))
            diff.same(`${range} (getLogs over the range)`, asKeys(inclusive), got);
        }
        diff.assert();
      });

      it("GET /status: the anchor is ledgerHead() at its block; the indexer's figures are the chain's", async () => {
        const diff = new Differences(`${dialect} GET /status`);
        const result = await answerOf(store(), "/status", diff);
        if (result) {
          const { body, truth } = result;
          const indexer = body.data?.indexer ?? (body as Json).indexer ?? {};
          diff.same("/status indexer.chainId", fixture.consortium.deployment.chainId, indexer.chainId);
          diff.same("/status indexer.eventCount (getLogs)", truth.logs.length, indexer.eventCount);
          diff.same(
            "/status indexer.deploymentBlock",
            fixture.consortium.deployment.deploymentBlock,
            indexer.deploymentBlock,
          );
        }
        diff.assert();
      });

      it("GET /v1/verdicts/{fingerprint}: the record's standing is the views'", async () => {
        const diff = new Differences(`${dialect} GET /v1/verdicts/{fingerprint}`);
        await pool(fingerprints, 16, async (fingerprint) => {
          const path = `/v1/verdicts/${fingerprint}`;
          const result = await answerOf(store(), path, diff);
          if (!result) return;
          const record = result.truth.records.get(fingerprint)!;
          const data = result.body.data;
          const standing = data.standing ?? data.record ?? data;
          diff.same(`${path} status`, statusOf(record.view), standing.status);
          diff.same(`${path} withdrawn`, record.view.withdrawn, standing.withdrawn);
          diff.same(`${path} frozen`, record.view.frozen, standing.frozen);
          diff.same(`${path} latestVersion`, record.latest, standing.latestVersion);
          if (standing.ownerOrg !== undefined || standing.owner !== undefined) {
            diff.same(`${path} owner`, record.view.ownerOrg, standing.ownerOrg ?? standing.owner?.org);
          }
        });
        diff.assert();
      });
    });
  }

  describe("a tampered store: the SDK's check of the trail answer fails and names the entry", () => {
    /** The record with the longest trail, and the entry in its middle (with its event's position in the store). */
    async function target() {
      const truth = await truthAt({ block: { number: fixture.head.toString() } } as Anchor);
      const record = [...truth.records.values()].sort((a, b) => Number(b.trail.length - a.trail.length))[0];
      const position = Math.ceil(Number(record.trail.length) / 2);
      return { record, position };
    }

    async function trailAnswer(store: ApiStore, fingerprint: Hex): Promise<{ pages: Envelope[]; entries: Json[] }> {
      const pages: Envelope[] = [];
      let cursor: string | null | undefined;
      do {
        const response = await store.get<Envelope>(
          `/v1/records/${fingerprint}/trail?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        expect(response.status, response.text).to.equal(200);
        pages.push(response.body);
        cursor = response.body.next;
      } while (cursor);
      return { pages, entries: pages.flatMap((page) => page.data.entries as Json[]) };
    }

    const check = (fingerprint: Hex, pages: Envelope[]) =>
      verifyTrailAnswer(fixture.client as PublicClient, {
        ledger: fixture.consortium.addresses.ledger,
        answer: pages as unknown as TrailAnswer[],
        fingerprint,
      });

    for (const dialect of DIALECTS) {
      it(`${dialect}: an edited, a backdated and a deleted trail row are each caught at their entry`, async () => {
        const store = fixture.store(dialect);
        const { record, position } = await target();
        const clean = await trailAnswer(store, record.fingerprint);
        const untampered = await check(record.fingerprint, clean.pages);
        expect(untampered.valid, untampered.summary).to.equal(true);
        expect(untampered.complete).to.equal(true);

        const entry = clean.entries[position - 1];
        const where = `block_number = ${entry.event.blockNumber} AND log_index = ${entry.event.logIndex}`;

        // 1. The trail row's payload hash edited (another valid-looking hash): caught at its entry's record head.
        await store.exec(`UPDATE record_trail SET payload_hash = '0x${"5a".repeat(32)}' WHERE ${where}`);
        try {
          const afterEdit = await check(record.fingerprint, (await trailAnswer(store, record.fingerprint)).pages);
          expect(afterEdit.valid, afterEdit.summary).to.equal(false);
          expect(afterEdit.firstBadEntry, afterEdit.summary).to.include({ position, field: "recordHead" });
        } finally {
          await store.exec(`UPDATE record_trail SET payload_hash = '${entry.payloadHash}' WHERE ${where}`);
        }
        expect((await check(record.fingerprint, (await trailAnswer(store, record.fingerprint)).pages)).valid).to.equal(
          true,
        );

        // 2. The trail row backdated (its time an hour earlier), then restored.
        await store.exec(`UPDATE record_trail SET time = time - 3600 WHERE ${where}`);
        try {
          const afterBackdate = await check(record.fingerprint, (await trailAnswer(store, record.fingerprint)).pages);
          expect(afterBackdate.valid, afterBackdate.summary).to.equal(false);
          expect(afterBackdate.firstBadEntry?.position, afterBackdate.summary).to.equal(position);
          expect(afterBackdate.summary).to.match(new RegExp(`\\b${position}\\b`));
        } finally {
          await store.exec(`UPDATE record_trail SET time = time + 3600 WHERE ${where}`);
        }

        // 3. The trail row deleted (the event left in place), then restored.
        await store.exec(`CREATE TABLE t1_saved_trail AS SELECT * FROM record_trail WHERE ${where}`);
        try {
          await store.exec(`DELETE FROM record_trail WHERE ${where}`);
          const afterTrailDelete = await check(
            record.fingerprint,
            (await trailAnswer(store, record.fingerprint)).pages,
          );
          expect(afterTrailDelete.valid, afterTrailDelete.summary).to.equal(false);
          expect(afterTrailDelete.firstBadEntry?.position, afterTrailDelete.summary).to.equal(position);
        } finally {
          await store.exec(`INSERT INTO record_trail SELECT * FROM t1_saved_trail`);
          await store.exec(`DROP TABLE t1_saved_trail`);
        }
        const restored = await check(record.fingerprint, (await trailAnswer(store, record.fingerprint)).pages);
        expect(restored.valid, restored.summary).to.equal(true);
      });
    }
  });
});
