/**
 * "Where does this dataset come from, and on what authority?": a record's lineage as a tree, to a chosen depth,
 * with each record's owners (organisation id, name, jurisdiction), registration, status flags (withdrawn, superseded,
 * frozen), transfers with their customs decisions and deliveries, and for each cross-organisation derivation the
 * grant it relied on (grantor, grantee, scopes, purpose, expiry, customs decisions, revocation).
 *
 * Read from the contracts' views (record, parents, latest version, organisations) and from the ledger's and the
 * rights module's events for each fingerprint (one eth_getLogs per record, filtered on the indexed fingerprint,
 * which every record event carries as its first topic). Nothing here is trusted more than the node it reads from:
 * receipts and trail replay (trail.ts) are the tamper-evident parts.
 */
import {
  decodeEventLog,
  hexToString,
  numberToHex,
  type Address,
  type DecodeEventLogReturnType,
  type Hex,
  type PublicClient,
} from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import { DataClass, OrganizationStatus, Relation, Scheme } from "../constants/codes";
import { scopeNames } from "../verify";

// ---------------------------------------------------------------------------------------------------------------------
// The tree

export interface OrganizationInfo {
  id: number;
  name: string;
  /** ASCII jurisdiction code, e.g. "CN-GD", "HK". */
  jurisdiction: string;
  status: "active" | "suspended" | "unknown";
}

/** A customs organisation's decision on a cross-border grant or transfer. */
export interface CustomsDecision {
  customs: OrganizationInfo;
  approved: boolean;
  decisionHash: Hex;
  /** Block time, unix seconds. */
  time: number;
  block: number;
  actor: Address;
}

export type GrantState = "pending customs" | "active" | "expired" | "revoked" | "rejected";

/** A use grant on a record, as its events tell it. */
export interface GrantInfo {
  grantId: string;
  /** The record granted on. */
  fingerprint: Hex;
  grantor: OrganizationInfo;
  grantee: OrganizationInfo;
  /** Scope bit set and its words (e.g. "use+derive"). */
  scopes: number;
  scopeNames: string;
  purposeHash: Hex;
  /** Last valid block time (unix seconds), null for no expiry. */
  expiresAt: number | null;
  issuedAt: number;
  issuedBlock: number;
  issuedBy: Address;
  /** The jurisdiction whose customs had to approve, null if none. */
  exportJurisdiction: string | null;
  customsDecisions: CustomsDecision[];
  revoked: { time: number; block: number; actor: Address; reasonHash: Hex } | null;
  /** Its state now (expiry judged against the latest block's time). */
  state: GrantState;
}

export type TransferState =
  "open" | "expired" | "cancelled" | "awaiting customs" | "rejected" | "completed" | "delivered";

/** A transfer (trade) of a record, as its events tell it. */
export interface TransferInfo {
  offerId: string;
  from: OrganizationInfo;
  to: OrganizationInfo;
  termsHash: Hex;
  offeredAt: number;
  offerExpiresAt: number;
  acceptedAt: number | null;
  /** The jurisdiction whose customs had to decide, null if none. */
  exportJurisdiction: string | null;
  customsDecisions: CustomsDecision[];
  /** Block time ownership moved, null if it did not. */
  ownershipTransferredAt: number | null;
  deliveries: { receivedFingerprint: Hex; matches: boolean; time: number }[];
  cancelled: { time: number; actor: Address; reasonHash: Hex } | null;
  state: TransferState;
}

/** How a record relates to one of its parents, and the grant a cross-organisation derivation relied on. */
export interface ProvenanceEdge {
  relation: "derived-from" | "revision-of";
  /** The grant relied on (null when none was needed: same organisation, or a revision). */
  grant: GrantInfo | null;
  parent: ProvenanceNode;
}

export interface RegisteredNode {
  fingerprint: Hex;
  registered: true;
  /** Owner now. */
  owner: OrganizationInfo;
  /** Owner at registration. */
  registeredBy: OrganizationInfo;
  registrant: Address;
  scheme: string;
  dataClass: string;
  metadataHash: Hex;
  metadataURI: string;
  registeredAt: number;
  registeredBlock: number;
  transactionHash: Hex | null;
  withdrawn: boolean;
  frozen: boolean;
  supersededBy: Hex | null;
  latestVersion: Hex;
  transfers: TransferInfo[];
  parents: ProvenanceEdge[];
  /** The record has parents that were not expanded because the depth was reached. */
  truncated: boolean;
}

/** A fingerprint the ledger does not know. */
export interface UnknownNode {
  fingerprint: Hex;
  registered: false;
}

export type ProvenanceNode = RegisteredNode | UnknownNode;

export interface ProvledgerContracts {
  ledger: Address;
  rights: Address;
  registry: Address;
}

export interface ExplainOptions {
  /** Levels of parents to expand (0: the record alone). Default 3. */
  depth?: number;
  /** First block to read events from. Default 0. */
  fromBlock?: bigint;
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading

type RightsEvent = DecodeEventLogReturnType<typeof dataRightsAbi>;
type LedgerEvent = DecodeEventLogReturnType<typeof provenanceLedgerAbi>;

interface Logged<E> {
  event: E;
  block: number;
  time: number;
  transactionHash: Hex;
}

interface RecordFacts {
  fingerprint: Hex;
  record: {
    ownerOrg: number;
    registrant: Address;
    scheme: number;
    dataClass: number;
    withdrawn: boolean;
    frozen: boolean;
    metadataHash: Hex;
    registeredAt: number;
    registeredBlock: bigint;
    supersededBy: Hex;
  };
  latest: Hex;
  parents: { fingerprint: Hex; relation: number; grantId: bigint }[];
  ledgerEvents: Logged<LedgerEvent>[];
  rightsEvents: Logged<RightsEvent>[];
}

/** Caches shared by one explanation: every record, organisation and block time is read once. */
interface Reader {
  client: PublicClient;
  contracts: ProvledgerContracts;
  fromBlock: bigint;
  now: number;
  records: Map<string, Promise<RecordFacts | null>>;
  organizations: Map<number, Promise<OrganizationInfo>>;
  blockTimes: Map<bigint, Promise<number>>;
}

const ZERO_32: Hex = `0x${"00".repeat(32)}`;
const ZERO_8: Hex = `0x${"00".repeat(8)}`;

function lower<T extends string>(value: T): T {
  return value.toLowerCase() as T;
}

/** A bytes8 jurisdiction code as ASCII ("CN-GD"); null for zero. */
export function jurisdictionText(code: Hex): string {
  return hexToString(code).replace(/\0+$/, "");
}

function optionalJurisdiction(code: Hex): string | null {
  return lower(code) === ZERO_8 ? null : jurisdictionText(code);
}

function blockTime(reader: Reader, block: bigint): Promise<number> {
  let time = reader.blockTimes.get(block);
  if (!time) {
    time = reader.client.getBlock({ blockNumber: block }).then((b) => Number(b.timestamp));
    reader.blockTimes.set(block, time);
  }
  return time;
}

function organization(reader: Reader, id: number): Promise<OrganizationInfo> {
  let info = reader.organizations.get(id);
  if (!info) {
    info = reader.client
      .readContract({
        address: reader.contracts.registry,
        abi: organizationRegistryAbi,
        functionName: "organization",
        args: [id],
      })
      .then(
        (org): OrganizationInfo => ({
          id,
          name: org.name,
          jurisdiction: jurisdictionText(org.jurisdiction),
          status: org.status === OrganizationStatus.ACTIVE ? "active" : "suspended",
        }),
        (): OrganizationInfo => ({ id, name: `organisation ${id}`, jurisdiction: "?", status: "unknown" }),
      );
    reader.organizations.set(id, info);
  }
  return info;
}

/**
 * Every ledger and rights event about `fingerprint`, in chain order. Each such event indexes the fingerprint as its
 * first topic; viem's getLogs filters by arguments for one event at a time only, so this asks eth_getLogs directly
 * for all of them at once.
 */
async function eventsAbout(
  reader: Reader,
  fingerprint: Hex,
): Promise<{ ledgerEvents: Logged<LedgerEvent>[]; rightsEvents: Logged<RightsEvent>[] }> {
  const { ledger, rights } = reader.contracts;
  const logs = await reader.client.request({
    method: "eth_getLogs",
    params: [{ address: [ledger, rights], topics: [null, fingerprint], fromBlock: numberToHex(reader.fromBlock) }],
  });
  const ledgerEvents: Logged<LedgerEvent>[] = [];
  const rightsEvents: Logged<RightsEvent>[] = [];
  const ordered = [...logs].sort(
    (a, b) =>
      Number(BigInt(a.blockNumber ?? 0) - BigInt(b.blockNumber ?? 0)) || Number(a.logIndex) - Number(b.logIndex),
  );
  for (const log of ordered) {
    if (log.blockNumber === null || log.transactionHash === null) continue;
    const block = BigInt(log.blockNumber);
    const topics = log.topics as [Hex, ...Hex[]];
    const where = { block: Number(block), time: await blockTime(reader, block), transactionHash: log.transactionHash };
    try {
      if (lower(log.address) === lower(ledger)) {
        ledgerEvents.push({ event: decodeEventLog({ abi: provenanceLedgerAbi, data: log.data, topics }), ...where });
      } else {
        rightsEvents.push({ event: decodeEventLog({ abi: dataRightsAbi, data: log.data, topics }), ...where });
      }
    } catch {
      // Another event whose first topic happens to equal the fingerprint: not ours.
    }
  }
  return { ledgerEvents, rightsEvents };
}

async function readRecord(reader: Reader, fingerprint: Hex): Promise<RecordFacts | null> {
  const { client, contracts } = reader;
  const exists = await client.readContract({
    address: contracts.ledger,
    abi: provenanceLedgerAbi,
    functionName: "exists",
    args: [fingerprint],
  });
  if (!exists) return null;
  const [record, [latest], [parents, grants], events] = await Promise.all([
    client.readContract({
      address: contracts.ledger,
      abi: provenanceLedgerAbi,
      functionName: "getRecord",
      args: [fingerprint],
    }),
    client.readContract({
      address: contracts.ledger,
      abi: provenanceLedgerAbi,
      functionName: "latestVersion",
      args: [fingerprint],
    }),
    client.readContract({
      address: contracts.ledger,
      abi: provenanceLedgerAbi,
      functionName: "getParents",
      args: [fingerprint],
    }),
    eventsAbout(reader, fingerprint),
  ]);
  return {
    fingerprint,
    record,
    latest: lower(latest),
    parents: parents.map((p, i) => ({
      fingerprint: lower(p.fingerprint),
      relation: p.relation,
      grantId: grants[i] ?? 0n,
    })),
    ...events,
  };
}

function facts(reader: Reader, fingerprint: Hex): Promise<RecordFacts | null> {
  const key = lower(fingerprint);
  let found = reader.records.get(key);
  if (!found) {
    found = readRecord(reader, key);
    reader.records.set(key, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------------
// Grants and transfers from events

async function decision(
  reader: Reader,
  logged: Logged<RightsEvent>,
  customsOrg: number,
  approved: boolean,
  decisionHash: Hex,
  actor: Address,
): Promise<CustomsDecision> {
  return {
    customs: await organization(reader, customsOrg),
    approved,
    decisionHash: lower(decisionHash),
    time: logged.time,
    block: logged.block,
    actor: lower(actor),
  };
}

/** The grants issued on a record, by grant id, with their decisions and revocations. */
async function grantsOf(reader: Reader, record: RecordFacts): Promise<Map<bigint, GrantInfo>> {
  const grants = new Map<bigint, GrantInfo>();
  for (const logged of record.rightsEvents) {
    const { event } = logged;
    if (event.eventName === "GrantIssued") {
      const a = event.args;
      grants.set(a.grantId, {
        grantId: a.grantId.toString(),
        fingerprint: record.fingerprint,
        grantor: await organization(reader, a.grantorOrg),
        grantee: await organization(reader, a.granteeOrg),
        scopes: a.scopes,
        scopeNames: scopeNames(a.scopes),
        purposeHash: lower(a.purposeHash),
        expiresAt: a.expiresAt === 0 ? null : a.expiresAt,
        issuedAt: logged.time,
        issuedBlock: logged.block,
        issuedBy: lower(a.actor),
        exportJurisdiction: optionalJurisdiction(a.exportJurisdiction),
        customsDecisions: [],
        revoked: null,
        state: a.status === 1 ? "pending customs" : "active",
      });
    } else if (event.eventName === "GrantDecided") {
      const grant = grants.get(event.args.grantId);
      if (!grant) continue;
      const a = event.args;
      grant.customsDecisions.push(await decision(reader, logged, a.customsOrg, a.approved, a.decisionHash, a.actor));
      grant.state = a.approved ? "active" : "rejected";
    } else if (event.eventName === "GrantRevoked") {
      const grant = grants.get(event.args.grantId);
      if (!grant) continue;
      const a = event.args;
      grant.revoked = {
        time: logged.time,
        block: logged.block,
        actor: lower(a.actor),
        reasonHash: lower(a.reasonHash),
      };
      grant.state = "revoked";
    }
  }
  for (const grant of grants.values()) {
    if (grant.state === "active" && grant.expiresAt !== null && grant.expiresAt < reader.now) grant.state = "expired";
  }
  return grants;
}

async function transfersOf(reader: Reader, record: RecordFacts): Promise<TransferInfo[]> {
  const offers = new Map<bigint, TransferInfo>();
  for (const logged of record.rightsEvents) {
    const { event } = logged;
    switch (event.eventName) {
      case "TransferOffered": {
        const a = event.args;
        offers.set(a.offerId, {
          offerId: a.offerId.toString(),
          from: await organization(reader, a.fromOrg),
          to: await organization(reader, a.toOrg),
          termsHash: lower(a.termsHash),
          offeredAt: logged.time,
          offerExpiresAt: a.expiresAt,
          acceptedAt: null,
          exportJurisdiction: null,
          customsDecisions: [],
          ownershipTransferredAt: null,
          deliveries: [],
          cancelled: null,
          state: "open",
        });
        break;
      }
      case "TransferAccepted": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        offer.acceptedAt = logged.time;
        offer.exportJurisdiction = optionalJurisdiction(event.args.exportJurisdiction);
        offer.state = event.args.awaitingCustoms ? "awaiting customs" : "completed";
        break;
      }
      case "TransferDecided": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        const a = event.args;
        offer.customsDecisions.push(await decision(reader, logged, a.customsOrg, a.approved, a.decisionHash, a.actor));
        offer.state = a.approved ? "completed" : "rejected";
        break;
      }
      case "OwnershipTransferred": {
        const offer = offers.get(event.args.offerId);
        if (offer) offer.ownershipTransferredAt = logged.time;
        break;
      }
      case "TransferCancelled": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        offer.cancelled = {
          time: logged.time,
          actor: lower(event.args.actor),
          reasonHash: lower(event.args.reasonHash),
        };
        offer.state = "cancelled";
        break;
      }
      case "DeliveryReported": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        const { receivedFingerprint, matches } = event.args;
        offer.deliveries.push({ receivedFingerprint: lower(receivedFingerprint), matches, time: logged.time });
        if (matches) offer.state = "delivered";
        break;
      }
      default:
        break;
    }
  }
  for (const offer of offers.values()) {
    if (offer.state === "open" && offer.offerExpiresAt < reader.now) offer.state = "expired";
  }
  return [...offers.values()];
}

// ---------------------------------------------------------------------------------------------------------------------
// Assembling the tree

const SCHEME_NAMES: Record<number, string> = {
  [Scheme.SHA256]: "sha256",
  [Scheme.SALTED_SHA256]: "salted-sha256",
  [Scheme.MANIFEST_ROOT]: "manifest-root",
};
const CLASS_NAMES: Record<number, string> = {
  [DataClass.PUBLIC]: "public",
  [DataClass.INTERNAL]: "internal",
  [DataClass.IMPORTANT]: "important",
  [DataClass.CORE]: "core",
};

async function node(reader: Reader, fingerprint: Hex, depth: number): Promise<ProvenanceNode> {
  const found = await facts(reader, fingerprint);
  if (!found) return { fingerprint: lower(fingerprint), registered: false };
  const { record } = found;
  const registration = found.ledgerEvents.find(
    (e): e is Logged<Extract<LedgerEvent, { eventName: "RecordRegistered" }>> =>
      e.event.eventName === "RecordRegistered",
  );
  const parents: ProvenanceEdge[] = [];
  if (depth > 0) {
    for (const link of found.parents) {
      const parent = await node(reader, link.fingerprint, depth - 1);
      let grant: GrantInfo | null = null;
      if (link.grantId !== 0n) {
        const parentFacts = await facts(reader, link.fingerprint);
        grant = parentFacts ? ((await grantsOf(reader, parentFacts)).get(link.grantId) ?? null) : null;
      }
      parents.push({
        relation: link.relation === Relation.REVISION_OF ? "revision-of" : "derived-from",
        grant,
        parent,
      });
    }
  }
  return {
    fingerprint: found.fingerprint,
    registered: true,
    owner: await organization(reader, record.ownerOrg),
    registeredBy: await organization(reader, registration?.event.args.ownerOrg ?? record.ownerOrg),
    registrant: lower(record.registrant),
    scheme: SCHEME_NAMES[record.scheme] ?? `scheme ${record.scheme}`,
    dataClass: CLASS_NAMES[record.dataClass] ?? `class ${record.dataClass}`,
    metadataHash: lower(record.metadataHash),
    metadataURI: registration?.event.args.metadataURI ?? "",
    registeredAt: record.registeredAt,
    registeredBlock: Number(record.registeredBlock),
    transactionHash: registration ? lower(registration.transactionHash) : null,
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    supersededBy: lower(record.supersededBy) === ZERO_32 ? null : lower(record.supersededBy),
    latestVersion: found.latest,
    transfers: await transfersOf(reader, found),
    parents,
    truncated: depth === 0 && found.parents.length > 0,
  };
}

/**
 * The provenance of `fingerprint`: its record and, `depth` levels up, its parents', with owners, grants relied on,
 * transfers and customs decisions. Read from `contracts` through `client`.
 */
export async function explainProvenance(
  client: PublicClient,
  contracts: ProvledgerContracts,
  fingerprint: Hex,
  options: ExplainOptions = {},
): Promise<ProvenanceNode> {
  const depth = options.depth ?? 3;
  if (!Number.isInteger(depth) || depth < 0) throw new RangeError(`depth must be a non-negative integer, got ${depth}`);
  const latest = await client.getBlock({ blockTag: "latest" });
  const reader: Reader = {
    client,
    contracts,
    fromBlock: options.fromBlock ?? 0n,
    now: Number(latest.timestamp),
    records: new Map(),
    organizations: new Map(),
    blockTimes: new Map(),
  };
  return node(reader, fingerprint, depth);
}

// ---------------------------------------------------------------------------------------------------------------------
// Text

function when(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

function org(info: OrganizationInfo): string {
  const suspended = info.status === "active" ? "" : `, ${info.status}`;
  return `${info.name} (#${info.id}, ${info.jurisdiction}${suspended})`;
}

function decisionText(d: CustomsDecision): string {
  return `${org(d.customs)} ${d.approved ? "approved" : "rejected"} at ${when(d.time)} (decision ${d.decisionHash})`;
}

/** The grant a derivation relied on: a summary for the branch line, then its details. */
function grantLines(grant: GrantInfo): [string, ...string[]] {
  const expiry = grant.expiresAt === null ? "no expiry" : `expires ${when(grant.expiresAt)}`;
  const lines: [string, ...string[]] = [
    `grant #${grant.grantId}: ${grant.scopeNames} from ${org(grant.grantor)} to ${org(grant.grantee)}, now ${grant.state}`,
    `· issued ${when(grant.issuedAt)}, ${expiry}, purpose ${grant.purposeHash}`,
  ];
  for (const d of grant.customsDecisions) lines.push(`· customs: ${decisionText(d)}`);
  if (grant.revoked) lines.push(`· revoked ${when(grant.revoked.time)} (reason ${grant.revoked.reasonHash})`);
  return lines;
}

function transferText(t: TransferInfo): string[] {
  const lines = [`transfer #${t.offerId}: ${org(t.from)} -> ${org(t.to)}, ${t.state}; offered ${when(t.offeredAt)}`];
  if (t.acceptedAt !== null) lines.push(`  accepted ${when(t.acceptedAt)}`);
  for (const d of t.customsDecisions)
    lines.push(`  customs${t.exportJurisdiction ? ` of ${t.exportJurisdiction}` : ""}: ${decisionText(d)}`);
  if (t.ownershipTransferredAt !== null) lines.push(`  ownership moved ${when(t.ownershipTransferredAt)}`);
  for (const d of t.deliveries) {
    lines.push(
      `  delivery reported ${when(d.time)}: ${d.matches ? "matches the fingerprint" : `MISMATCH (${d.receivedFingerprint})`}`,
    );
  }
  if (t.cancelled) lines.push(`  cancelled ${when(t.cancelled.time)}`);
  return lines;
}

function nodeLines(tree: ProvenanceNode): string[] {
  if (!tree.registered) return [`${tree.fingerprint}: not registered on this ledger`];
  const flags = [
    tree.withdrawn ? "WITHDRAWN" : "",
    tree.frozen ? "FROZEN" : "",
    tree.supersededBy ? `SUPERSEDED by ${tree.supersededBy} (latest ${tree.latestVersion})` : "",
  ].filter(Boolean);
  const lines = [
    `${tree.fingerprint} [${tree.dataClass}, ${tree.scheme}]${flags.length > 0 ? ` ${flags.join(", ")}` : ""}`,
    `owner: ${org(tree.owner)}`,
    `registered ${when(tree.registeredAt)} (block ${tree.registeredBlock}) by ${org(tree.registeredBy)}, account ${tree.registrant}`,
  ];
  if (tree.metadataURI) lines.push(`metadata: ${tree.metadataURI} (${tree.metadataHash})`);
  for (const t of tree.transfers) lines.push(...transferText(t));
  if (tree.truncated) lines.push("parents: not shown (depth reached)");
  return lines;
}

/**
 * The tree as indented text: each record's header line (fingerprint, class, scheme, status flags), its details
 * below, then one branch per parent naming the relation and the grant relied on, with the parent under it.
 */
export function formatExplanation(tree: ProvenanceNode): string {
  const out: string[] = [];
  const walk = (current: ProvenanceNode, prefix: string): void => {
    const [header, ...details] = nodeLines(current);
    const edges = current.registered ? current.parents : [];
    out.push(`${prefix}${header}`);
    for (const line of details) out.push(`${prefix}${edges.length > 0 ? "│  " : "   "}${line}`);
    edges.forEach((edge, i) => {
      const last = i === edges.length - 1;
      const childPrefix = `${prefix}${last ? "   " : "│  "}`;
      const [grantSummary, ...grantDetails] = edge.grant ? grantLines(edge.grant) : [""];
      out.push(`${prefix}${last ? "└─ " : "├─ "}${edge.relation}${edge.grant ? ` under ${grantSummary}` : ""}`);
      for (const line of grantDetails) out.push(`${childPrefix}${line}`);
      walk(edge.parent, childPrefix);
    });
  };
  walk(tree, "");
  return `${out.map((line) => line.trimEnd()).join("\n")}\n`;
}
