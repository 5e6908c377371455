/**
 * A large, valid Provledger history for the query API's benchmark (bench/api.ts), committed through the store's own
 * write path (`commitRange`, as the indexer's backfill does), so that the projection and the query tables
 * (record_trail, event_orgs, lineage_edges) are exactly what the indexer would have written.
 *
 * Every event is a real Provledger event: encoded with viem from the SDK's ABI, stamped as the contracts stamp it
 * (payload hash, record head, ledger head: the same hashes as the SDK's payloadHashOf, recordEntry and ledgerEntry,
 * checked against them on the first events), and only where the contracts would allow it (a grant or offer of a
 * record that exists, a customs decision of something pending, an ownership transfer after an accepted offer). The
 * history has the shapes the benchmark needs:
 *   - `orgs` organisations with operators; `busyOrgs` of them named by about half of all events (activity exports);
 *   - one lineage DAG of `lineageNodes` records reaching `lineageDepth` levels below its root (each node derived
 *     from one or two nodes of the level above, cross-organisation derivations relying on a derive grant);
 *   - `hotRecords` records with trails of `hotTrail` entries (trail pages deep into a long trail);
 *   - the rest: records with grants, customs decisions, offers, transfers, deliveries, findings, freezes,
 *     withdrawals, revisions, batches, governance changes and a few unchained events, until `events` in all.
 * The generator is deterministic in its parameters (mulberry32, `seed`): the same parameters give the same store.
 *
 * Seeding a SQLite store is cached under .bench-cache/, keyed by the parameters and the sources that decide its
 * content (this file, the store's code): see `cachedSqliteStore`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeAbiParameters, toHex, zeroHash, type AbiEvent, type AbiParameter, type Address, type Hex } from "viem";
import {
  DataClass,
  GrantStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
  STANDALONE_EVENTS,
  TRAIL_ACTIONS,
  contractAbis,
  isTrailEvent,
  ledgerEntry,
  payloadHashOf,
  provledgerAbi,
  recordEntry,
  type ContractRole,
  type ProvledgerAddresses,
  type ProvledgerEvent,
} from "../src/sdk";
import { toStoredEvent } from "../src/indexer/events";
import { nextDigest } from "../src/indexer/audit";
import { keccak } from "../src/indexer/audit/keccak";
import type { BlockRef, RangeCommit, StoreIdentity, StoredEvent } from "../src/indexer/types";
import { createStore, type IndexerStore } from "../src/indexer/store";
import { encodeEvent } from "../test/indexer/store/fixtures";
import { random } from "../test/indexer/audit/history";

/** What the generated history looks like (every field is part of the cache key). */
export type SeedParameters = {
  /** Events in all. */
  readonly events: number;
  readonly orgs: number;
  /** Organisations named by about half of the events. */
  readonly busyOrgs: number;
  /** Records in the big lineage DAG, its root included. */
  readonly lineageNodes: number;
  /** Levels below the lineage root. */
  readonly lineageDepth: number;
  readonly hotRecords: number;
  /** Trail entries of each hot record. */
  readonly hotTrail: number;
  /** Events per `commitRange` (rounded up to a block boundary). */
  readonly range: number;
  readonly seed: number;
};

export const defaultSeedParameters: SeedParameters = {
  events: 1_000_000,
  orgs: 200,
  busyOrgs: 5,
  lineageNodes: 10_000,
  lineageDepth: 50,
  hotRecords: 20,
  hotTrail: 10_000,
  range: 10_000,
  seed: 9,
};

/** What the benchmark needs to know about the seeded store: keys to ask for, and what answers to expect. */
export type SeedManifest = {
  readonly parameters: SeedParameters;
  readonly eventCount: number;
  readonly blockCount: number;
  readonly lastBlock: string;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly recordCount: number;
  /** Up to 20,000 fingerprints of registered records, chosen uniformly (random keys for record lookups). */
  readonly sampleRecords: Hex[];
  readonly hot: { fingerprint: Hex; trailLength: number }[];
  readonly lineage: { root: Hex; depth: number; nodes: number; deepest: Hex[] };
  /** The busy organisations and how many events name each (event_orgs rows). */
  readonly busyOrgs: { org: number; events: number }[];
  readonly seconds?: number;
};

export const addresses: ProvledgerAddresses = {
  registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  ledger: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  rights: "0x9fe46736679d2d9a24c1f0a4bb4d1dbb6ba14c0a",
};

export const identity: StoreIdentity = {
  schemaVersion: 1,
  chainId: 31337,
  addresses,
  deploymentBlock: 1n,
  deploymentBlockHash: `0x${"d0".repeat(32)}`,
};

const FIRST_BLOCK = 2n;
const FIRST_TIME = 1_800_000_000n;

const word = (value: bigint | number): string => BigInt(value).toString(16).padStart(64, "0");
const hexOf = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString("hex")}`;
const hashOf = (label: string): Hex => hexOf(keccak(Buffer.from(label)));
const jurisdiction = (code: string): Hex => toHex(code, { size: 8 });
const noJurisdiction: Hex = `0x${"00".repeat(8)}`;

type EventInfo = { item: AbiEvent; inputs: readonly AbiParameter[]; address: Address; subject: string };
const infos = new Map<string, EventInfo>();

function infoOf(name: string): EventInfo {
  let info = infos.get(name);
  if (info) return info;
  const item = provledgerAbi.find((i) => i.type === "event" && i.name === name) as AbiEvent | undefined;
  if (!item) throw new Error(`no event ${name} in the SDK's ABI`);
  const role = (Object.entries(contractAbis) as [ContractRole, readonly { type: string; name?: string }[]][]).find(
    ([, abi]) => abi.some((i) => i.type === "event" && i.name === name),
  )![0];
  info = {
    item,
    inputs: item.inputs.filter((i) => i.name !== "stamp") as AbiParameter[],
    address: addresses[role],
    subject: item.inputs[0]?.name ?? "",
  };
  infos.set(name, info);
  return info;
}

/**
 * The history as ranges to commit, generated lazily (1M events do not fit comfortably in memory at once). The last
 * value is the manifest.
 */
export function* generateHistory(
  parameters: SeedParameters = defaultSeedParameters,
): Generator<RangeCommit, SeedManifest> {
  const p = parameters;
  if (p.lineageNodes + p.hotRecords * p.hotTrail > p.events * 0.9) {
    throw new Error(
      `the lineage (${p.lineageNodes}) and the hot trails (${p.hotRecords} x ${p.hotTrail}) leave too few of the ` +
        `${p.events} events for the rest: raise --events or lower them`,
    );
  }
  const next = random(p.seed);
  const pick = (n: number) => Math.floor(next() * n);

  // Organisations: ids 1..orgs; 1-3 customs, 4-6 inspectors; a fifth of them outside CN-GD (cross-border).
  const operator = (org: number): Address => `0x${hashOf(`operator ${org}`).slice(26)}` as Address;
  const orgJurisdiction = (org: number) => (org % 5 === 0 ? (org % 10 === 0 ? "HK" : "MO") : "CN-GD");
  const customsOrg = (org: number) => 1 + (org % 3);
  const inspectorOrg = () => 4 + pick(3);
  const busy = Array.from({ length: p.busyOrgs }, (_, i) => 7 + i);
  const busyCount = new Map(busy.map((org) => [org, 0]));
  const pickOrg = (except?: number): number => {
    for (;;) {
      const org = next() < 0.5 && busy.length > 0 ? busy[pick(busy.length)]! : 1 + pick(p.orgs);
      if (org !== except) return org;
    }
  };

  // Records: index -> state. Trail heads of records only (standalone entries keep none).
  const fingerprints: Hex[] = [];
  const owner: number[] = [];
  const dataClass: number[] = [];
  const heads: Hex[] = [];
  const lengths: number[] = [];
  const withdrawn: boolean[] = [];
  const frozen: boolean[] = [];
  const superseded: boolean[] = [];
  /** Per record, the grantee orgs with a grant (the contract keeps one per grantee). */
  const grants = new Map<string, { grantId: bigint; status: number }>();
  const grantList: { record: number; org: number }[] = [];
  const pendingGrants: { record: number; org: number }[] = [];
  type Offer = { id: bigint; record: number; from: number; to: number; crossBorder: boolean };
  const openOffers: Offer[] = [];
  const awaitingCustoms: Offer[] = [];
  const completed: Offer[] = [];
  let grantIds = 0n;
  let offerIds = 0n;

  // Chain position.
  let sequence = 0n;
  let ledgerHead: Hex = zeroHash;
  let digest: Hex = zeroHash;
  let blockNumber = FIRST_BLOCK - 1n;
  let time = FIRST_TIME;
  let parentHash: Hex = identity.deploymentBlockHash;
  let left = 0;
  let logIndex = 0;
  let total = 0;
  let checked = 0;
  let rangeEvents: StoredEvent[] = [];
  let rangeBlocks: BlockRef[] = [];
  let blockCount = 0;
  const ready: RangeCommit[] = [];

  const newBlock = () => {
    blockNumber += 1n + BigInt(pick(2));
    time += 2n + BigInt(pick(10));
    const block = { number: blockNumber, hash: hashOf(`block ${blockNumber}`), parentHash, timestamp: time };
    parentHash = block.hash;
    blockCount += 1;
    if (rangeEvents.length >= p.range) flush();
    rangeBlocks.push(block);
    left = 1 + pick(16);
    logIndex = pick(3);
  };

  const flush = () => {
    if (rangeBlocks.length === 0) return;
    const last = rangeBlocks[rangeBlocks.length - 1]!;
    ready.push({
      fromBlock: rangeBlocks[0]!.number,
      toBlock: last.number,
      blocks: rangeBlocks,
      events: rangeEvents,
      checkpoint: {
        blockNumber: last.number,
        blockHash: last.hash,
        ledgerSequence: sequence,
        ledgerHead,
        eventCount: BigInt(total),
        digest,
      },
    });
    rangeEvents = [];
    rangeBlocks = [];
  };

  /** Emits one event: stamps it (if chained) as the contracts do, encodes it, puts it in the current block. */
  const emit = (eventName: string, args: Record<string, unknown>, record?: number): void => {
    if (left === 0) newBlock();
    left -= 1;
    const info = infoOf(eventName);
    let full = args;
    if (isTrailEvent(eventName)) {
      const subjectValue = args[info.subject];
      const subject: Hex =
        typeof subjectValue === "number" ? (`0x${word(subjectValue)}` as Hex) : (subjectValue as Hex);
      const standalone = STANDALONE_EVENTS.has(eventName);
      const previous = standalone || record === undefined ? zeroHash : (heads[record] ?? zeroHash);
      const length = standalone || record === undefined ? 1 : (lengths[record] ?? 0) + 1;
      const payload = keccak(
        Buffer.from(
          encodeAbiParameters(
            info.inputs,
            info.inputs.map((i) => args[i.name!]),
          ).slice(2),
          "hex",
        ),
      );
      const actor = (args.actor ?? args.registrant ?? args.by) as Address;
      const action = TRAIL_ACTIONS[eventName];
      const recordHead = hexOf(
        keccak(
          Buffer.from(
            previous.slice(2) + word(action) + word(BigInt(actor)) + word(time) + Buffer.from(payload).toString("hex"),
            "hex",
          ),
        ),
      );
      sequence += 1n;
      const nextHead = hexOf(
        keccak(Buffer.from(ledgerHead.slice(2) + word(sequence) + subject.slice(2) + recordHead.slice(2), "hex")),
      );
      if (checked < 300) {
        // The fast path must compute what the SDK computes (and the contracts: see test/sdk/trail).
        checked += 1;
        const sdkPayload = payloadHashOf({ eventName, args } as never);
        const sdkHead = recordEntry(previous, action, actor, time, sdkPayload);
        const sdkLedger = ledgerEntry(ledgerHead, sequence, subject, sdkHead);
        if (sdkPayload !== hexOf(payload) || sdkHead !== recordHead || sdkLedger !== nextHead) {
          throw new Error(`the seed's stamp of ${eventName} differs from the SDK's: fix bench/seed.ts`);
        }
      }
      ledgerHead = nextHead;
      if (!standalone && record !== undefined) {
        heads[record] = recordHead;
        lengths[record] = length;
      }
      full = {
        ...args,
        stamp: { recordHead, recordLength: BigInt(length), ledgerSequence: sequence, ledgerHead: nextHead },
      };
    }
    const event = { eventName, args: full } as unknown as ProvledgerEvent;
    const block = rangeBlocks[rangeBlocks.length - 1]!;
    const stored = toStoredEvent(
      {
        blockNumber: block.number,
        blockHash: block.hash,
        logIndex,
        transactionHash: hashOf(`tx ${total}`),
        transactionIndex: logIndex,
        address: info.address,
        ...encodeEvent(event),
      },
      event,
    );
    logIndex += 1 + pick(2);
    digest = nextDigest(digest, stored);
    rangeEvents.push(stored);
    total += 1;
    // Organisations the event names (as event_orgs counts them: distinct uint32 arguments).
    const named = new Set<number>();
    for (const input of info.inputs) if (input.type === "uint32") named.add(Number(args[input.name!]));
    for (const org of named) if (busyCount.has(org)) busyCount.set(org, busyCount.get(org)! + 1);
  };

  // --- events, kind by kind ---------------------------------------------------------------------------------------

  const register = (org: number, cls: number, parents: { record: number; relation: number; grantId: bigint }[]) => {
    const index = fingerprints.length;
    const fingerprint = hashOf(`record ${p.seed} ${index}`);
    fingerprints.push(fingerprint);
    owner.push(org);
    dataClass.push(cls);
    withdrawn.push(false);
    frozen.push(false);
    superseded.push(false);
    emit(
      "RecordRegistered",
      {
        fingerprint,
        ownerOrg: org,
        registrant: operator(org),
        scheme: index % 7 === 0 ? Scheme.MANIFEST_ROOT : Scheme.SHA256,
        dataClass: cls,
        metadataHash: hashOf(`metadata ${index}`),
        metadataURI: `ipfs://bafybeig${index.toString(36)}/metadata.json`,
        parents: parents.map((parent) => ({ fingerprint: fingerprints[parent.record]!, relation: parent.relation })),
        derivationGrants: parents.map((parent) => parent.grantId),
      },
      index,
    );
    return index;
  };

  const grant = (record: number, grantee: number, scopes: number): bigint => {
    grantIds += 1n;
    const crossBorder = orgJurisdiction(grantee) !== orgJurisdiction(owner[record]!);
    const status =
      crossBorder && dataClass[record]! >= DataClass.INTERNAL ? GrantStatus.PENDING_CUSTOMS : GrantStatus.ACTIVE;
    const key = `${record}:${grantee}`;
    if (!grants.has(key)) grantList.push({ record, org: grantee });
    grants.set(key, { grantId: grantIds, status });
    if (status === GrantStatus.PENDING_CUSTOMS) pendingGrants.push({ record, org: grantee });
    const expiring = next() < 0.2;
    emit(
      "GrantIssued",
      {
        fingerprint: fingerprints[record]!,
        granteeOrg: grantee,
        actor: operator(owner[record]!),
        grantId: grantIds,
        grantorOrg: owner[record]!,
        scopes,
        purposeHash: hashOf(`purpose ${grantIds}`),
        // Some expire during the history, most outlast it (0: no expiry).
        expiresAt: expiring ? Number(time) + 3600 * (1 + pick(24 * 30)) : 0,
        status,
        exportJurisdiction:
          status === GrantStatus.PENDING_CUSTOMS ? jurisdiction(orgJurisdiction(grantee)) : noJurisdiction,
      },
      record,
    );
    return grantIds;
  };

  const live = (record: number) => !withdrawn[record];
  const anyRecord = (): number => {
    for (;;) {
      const record = pick(fingerprints.length);
      if (live(record)) return record;
    }
  };

  const takeRandom = <T>(list: T[]): T | undefined => {
    if (list.length === 0) return undefined;
    const at = pick(list.length);
    const item = list[at]!;
    list[at] = list[list.length - 1]!;
    list.pop();
    return item;
  };

  const revoke = (record: number, org: number) => {
    const key = `${record}:${org}`;
    const current = grants.get(key);
    if (!current || current.status !== GrantStatus.ACTIVE) return false;
    grants.set(key, { ...current, status: GrantStatus.REVOKED });
    emit(
      "GrantRevoked",
      {
        fingerprint: fingerprints[record]!,
        granteeOrg: org,
        actor: operator(owner[record]!),
        grantId: current.grantId,
        ownerOrg: owner[record]!,
        reasonHash: hashOf(`revoked ${current.grantId}`),
      },
      record,
    );
    return true;
  };

  const offer = (record: number): void => {
    offerIds += 1n;
    const from = owner[record]!;
    const to = pickOrg(from);
    const crossBorder = orgJurisdiction(to) !== orgJurisdiction(from);
    openOffers.push({ id: offerIds, record, from, to, crossBorder });
    emit(
      "TransferOffered",
      {
        fingerprint: fingerprints[record]!,
        toOrg: to,
        actor: operator(from),
        offerId: offerIds,
        fromOrg: from,
        termsHash: hashOf(`terms ${offerIds}`),
        expiresAt: Number(time) + 86_400 * 365,
      },
      record,
    );
  };

  const transfer = (o: Offer) => {
    emit(
      "OwnershipTransferred",
      { fingerprint: fingerprints[o.record]!, toOrg: o.to, actor: operator(o.to), offerId: o.id, fromOrg: o.from },
      o.record,
    );
    owner[o.record] = o.to;
    completed.push(o);
  };

  const accept = (o: Offer) => {
    if (owner[o.record] !== o.from || withdrawn[o.record]) return;
    const customs = o.crossBorder && dataClass[o.record]! >= DataClass.INTERNAL;
    emit(
      "TransferAccepted",
      {
        fingerprint: fingerprints[o.record]!,
        toOrg: o.to,
        actor: operator(o.to),
        offerId: o.id,
        fromOrg: o.from,
        awaitingCustoms: customs,
        exportJurisdiction: customs ? jurisdiction(orgJurisdiction(o.to)) : noJurisdiction,
      },
      o.record,
    );
    if (customs) awaitingCustoms.push(o);
    else transfer(o);
  };

  const finding = (record: number) =>
    emit(
      "FindingAttached",
      {
        fingerprint: fingerprints[record]!,
        inspectorOrg: inspectorOrg(),
        actor: operator(5),
        findingHash: hashOf(`finding ${total}`),
      },
      record,
    );

  // 1. Organisations, their operators, the class rules.
  for (let org = 1; org <= p.orgs; org++) {
    const roles = org <= 3 ? Role.CUSTOMS | Role.TRADER : org <= 6 ? Role.INSPECTOR : Role.REGISTRAR | Role.TRADER;
    emit("OrganizationRegistered", {
      orgId: org,
      actor: operator(0),
      name: `Organisation ${org}`,
      metadataHash: hashOf(`org ${org}`),
      jurisdiction: jurisdiction(orgJurisdiction(org)),
      roles,
    });
    emit("OperatorAdded", { orgId: org, account: operator(org), by: operator(0) });
  }
  emit("ClassRuleChanged", {
    dataClass: DataClass.IMPORTANT,
    actor: operator(0),
    previousRule: Rule.APPROVAL,
    rule: Rule.APPROVAL,
  });

  // 2. The lineage DAG: the root, then `lineageDepth` levels; a cross-organisation derivation relies on a grant.
  const root = register(pickOrg(), DataClass.PUBLIC, []);
  let level = [root];
  const perLevel = Math.ceil((p.lineageNodes - 1) / p.lineageDepth);
  let made = 1;
  const derivers = new Map<string, bigint>();
  for (let depth = 1; depth <= p.lineageDepth; depth++) {
    const size = Math.min(perLevel, p.lineageNodes - made - (p.lineageDepth - depth));
    const nextLevel: number[] = [];
    for (let i = 0; i < size; i++) {
      const org = pickOrg();
      const parents = new Set([level[pick(level.length)]!]);
      if (next() < 0.5) parents.add(level[pick(level.length)]!);
      const links = [...parents].map((parent) => {
        let grantId = 0n;
        if (owner[parent] !== org) {
          const key = `${parent}:${org}`;
          grantId = derivers.get(key) ?? grant(parent, org, Scope.USE | Scope.DERIVE);
          derivers.set(key, grantId);
        }
        return { record: parent, relation: Relation.DERIVED_FROM, grantId };
      });
      nextLevel.push(register(org, DataClass.PUBLIC, links));
    }
    made += size;
    level = nextLevel;
  }
  const deepest = level.slice(0, 50).map((record) => fingerprints[record]!);
  const lineageNodes = made;
  yield* ready.splice(0);

  // 3. Hot records (registered now, their trails grow among everything else), then the rest.
  const hot = Array.from({ length: p.hotRecords }, () => register(pickOrg(), DataClass.INTERNAL, []));
  let hotLeft = p.hotRecords * (p.hotTrail - 1);
  const hotEvent = () => {
    // Bulk events may land on hot records too: those already long enough are done.
    const open = hot.filter((r) => lengths[r]! < p.hotTrail);
    if (open.length === 0) {
      hotLeft = 0;
      return;
    }
    const record = open[pick(open.length)]!;
    hotLeft -= 1;
    const roll = next();
    if (roll < 0.02) return finding(record);
    if (roll < 0.03 && openOffers.length < 100_000) return offer(record);
    const org = pickOrg(owner[record]);
    const current = grants.get(`${record}:${org}`);
    if (current?.status === GrantStatus.ACTIVE && roll < 0.6) {
      if (revoke(record, org)) return;
    }
    if (current?.status === GrantStatus.PENDING_CUSTOMS) {
      grants.set(`${record}:${org}`, { ...current, status: GrantStatus.ACTIVE });
      return emit(
        "GrantDecided",
        {
          fingerprint: fingerprints[record]!,
          granteeOrg: org,
          actor: operator(customsOrg(org)),
          grantId: current.grantId,
          customsOrg: customsOrg(org),
          approved: true,
          decisionHash: hashOf(`decision ${current.grantId}`),
        },
        record,
      );
    }
    grant(record, org, 1 + pick(7));
  };

  while (total < p.events) {
    if (hotLeft > 0 && next() < hotLeft / (p.events - total)) {
      hotEvent();
      continue;
    }
    const roll = next();
    if (roll < 0.25 || fingerprints.length < 100) {
      // A new record; some derive from or revise an earlier one.
      const org = pickOrg();
      const cls = [DataClass.PUBLIC, DataClass.PUBLIC, DataClass.INTERNAL, DataClass.IMPORTANT, DataClass.CORE][
        pick(5)
      ]!;
      const shape = next();
      const parent = anyRecord();
      // Deriving needs the owner's grant: of a public record (an active one at once), or within the owner.
      if (shape < 0.1 && (owner[parent] === org || dataClass[parent] === DataClass.PUBLIC)) {
        const grantId = owner[parent] === org ? 0n : grant(parent, org, Scope.USE | Scope.DERIVE);
        register(org, cls, [{ record: parent, relation: Relation.DERIVED_FROM, grantId }]);
      } else if (shape < 0.15) {
        const previous = anyRecord();
        if (superseded[previous] || frozen[previous]) continue;
        const successor = register(owner[previous]!, dataClass[previous]!, [
          { record: previous, relation: Relation.REVISION_OF, grantId: 0n },
        ]);
        superseded[previous] = true;
        emit(
          "RecordSuperseded",
          {
            fingerprint: fingerprints[previous]!,
            ownerOrg: owner[previous]!,
            actor: operator(owner[previous]!),
            successor: fingerprints[successor]!,
          },
          previous,
        );
      } else register(org, cls, []);
    } else if (roll < 0.4) {
      const record = anyRecord();
      grant(record, pickOrg(owner[record]), 1 + pick(7));
    } else if (roll < 0.45) {
      const pending = takeRandom(pendingGrants);
      if (!pending) continue;
      const key = `${pending.record}:${pending.org}`;
      const current = grants.get(key)!;
      if (current.status !== GrantStatus.PENDING_CUSTOMS) continue;
      const approved = next() < 0.8;
      grants.set(key, { ...current, status: approved ? GrantStatus.ACTIVE : GrantStatus.REJECTED });
      emit(
        "GrantDecided",
        {
          fingerprint: fingerprints[pending.record]!,
          granteeOrg: pending.org,
          actor: operator(customsOrg(pending.org)),
          grantId: current.grantId,
          customsOrg: customsOrg(pending.org),
          approved,
          decisionHash: hashOf(`decision ${current.grantId}`),
        },
        pending.record,
      );
    } else if (roll < 0.5) {
      if (grantList.length === 0) continue;
      const { record, org } = grantList[pick(grantList.length)]!;
      if (!live(record)) continue;
      revoke(record, org);
    } else if (roll < 0.6) {
      offer(anyRecord());
    } else if (roll < 0.66) {
      const o = takeRandom(openOffers);
      if (o) accept(o);
    } else if (roll < 0.68) {
      const o = takeRandom(openOffers);
      if (!o || withdrawn[o.record]) continue;
      emit(
        "TransferCancelled",
        {
          fingerprint: fingerprints[o.record]!,
          org: o.from,
          actor: operator(o.from),
          offerId: o.id,
          reasonHash: hashOf(`cancelled ${o.id}`),
        },
        o.record,
      );
    } else if (roll < 0.71) {
      const o = takeRandom(awaitingCustoms);
      if (!o || withdrawn[o.record]) continue;
      const approved = next() < 0.85;
      emit(
        "TransferDecided",
        {
          fingerprint: fingerprints[o.record]!,
          customsOrg: customsOrg(o.to),
          actor: operator(customsOrg(o.to)),
          offerId: o.id,
          approved,
          decisionHash: hashOf(`transfer decision ${o.id}`),
        },
        o.record,
      );
      if (approved) transfer(o);
    } else if (roll < 0.74) {
      const o = takeRandom(completed);
      if (!o || withdrawn[o.record]) continue;
      emit(
        "DeliveryReported",
        {
          fingerprint: fingerprints[o.record]!,
          toOrg: o.to,
          actor: operator(o.to),
          offerId: o.id,
          receivedFingerprint: fingerprints[o.record]!,
          matches: next() < 0.95,
        },
        o.record,
      );
    } else if (roll < 0.85) {
      finding(anyRecord());
    } else if (roll < 0.88) {
      const record = anyRecord();
      const name = frozen[record] ? "RecordUnfrozen" : "RecordFrozen";
      frozen[record] = !frozen[record];
      emit(
        name,
        {
          fingerprint: fingerprints[record]!,
          inspectorOrg: inspectorOrg(),
          actor: operator(5),
          reasonHash: hashOf(`${name} ${total}`),
        },
        record,
      );
    } else if (roll < 0.89) {
      const record = anyRecord();
      if (hot.includes(record) || record < lineageNodes) continue;
      withdrawn[record] = true;
      emit(
        "RecordWithdrawn",
        {
          fingerprint: fingerprints[record]!,
          ownerOrg: owner[record]!,
          actor: operator(owner[record]!),
          reasonHash: hashOf(`withdrawn ${record}`),
        },
        record,
      );
    } else if (roll < 0.95) {
      const org = pickOrg();
      emit("BatchAnchored", {
        root: hashOf(`batch ${total}`),
        org,
        registrant: operator(org),
        leafCount: BigInt(1 + pick(100_000)),
        metadataHash: hashOf(`manifest ${total}`),
        metadataURI: `ipfs://bafybatch${total.toString(36)}`,
      });
    } else if (roll < 0.985) {
      const org = pickOrg();
      emit("OrganizationProfileChanged", {
        orgId: org,
        name: `Organisation ${org} (${total.toString(36)})`,
        metadataHash: hashOf(`profile ${total}`),
        actor: operator(0),
      });
    } else if (roll < 0.99) {
      const org = 7 + pick(p.orgs - 6);
      emit("OrganizationSuspended", { orgId: org, reasonHash: hashOf(`suspended ${total}`), actor: operator(0) });
      emit("OrganizationReinstated", { orgId: org, reasonHash: hashOf(`reinstated ${total}`), actor: operator(0) });
    } else {
      // Unchained events the projection ignores: the API must still page over them.
      emit("RoleGranted", { role: hashOf(`role ${pick(4)}`), account: operator(pickOrg()), sender: operator(0) });
    }
    if (ready.length > 0) yield* ready.splice(0);
  }
  flush();
  yield* ready.splice(0);

  const sample: Hex[] = [];
  const step = Math.max(1, Math.floor(fingerprints.length / 20_000));
  for (let i = 0; i < fingerprints.length && sample.length < 20_000; i += step) sample.push(fingerprints[i]!);
  return {
    parameters: p,
    eventCount: total,
    blockCount,
    lastBlock: blockNumber.toString(),
    firstTime: (FIRST_TIME + 2n).toString(),
    lastTime: time.toString(),
    recordCount: fingerprints.length,
    sampleRecords: sample,
    hot: hot.map((record) => ({ fingerprint: fingerprints[record]!, trailLength: lengths[record]! })),
    lineage: { root: fingerprints[root]!, depth: p.lineageDepth, nodes: lineageNodes, deepest },
    busyOrgs: busy.map((org) => ({ org, events: busyCount.get(org)! })),
  };
}

export type SeedProgress = (committed: number, total: number, seconds: number) => void;

/** Commits the generated history into a migrated, empty store through `commitRange`; returns the manifest. */
export async function seedStore(
  store: IndexerStore,
  parameters: SeedParameters = defaultSeedParameters,
  progress?: SeedProgress,
): Promise<SeedManifest> {
  await store.migrate();
  if (await store.checkpoint()) {
    throw new Error(`the store ${store.description} is not empty: seed a new one`);
  }
  await store.writeIdentity(identity);
  const started = performance.now();
  const history = generateHistory(parameters);
  for (;;) {
    const step = history.next();
    if (step.done) return { ...step.value, seconds: (performance.now() - started) / 1000 };
    await store.commitRange(step.value);
    progress?.(Number(step.value.checkpoint.eventCount), parameters.events, (performance.now() - started) / 1000);
  }
}

/** The files whose content decides what a seeded store holds: a change to any of them makes a new cache entry. */
function sourcesKey(): string {
  const hash = createHash("sha256");
  const files = [
    __filename,
    join(__dirname, "../test/indexer/store/fixtures.ts"),
    ...readdirSync(join(__dirname, "../src/indexer/store"))
      .sort()
      .map((name) => join(__dirname, "../src/indexer/store", name)),
  ];
  for (const file of files) if (file.endsWith(".ts")) hash.update(readFileSync(file));
  return hash.digest("hex");
}

export type CachedStore = { path: string; manifest: SeedManifest; cached: boolean };

/**
 * A seeded SQLite store under `.bench-cache/`, keyed by the parameters and the sources (seeding 1M events takes
 * minutes; a cached file is reused as is). A partial file from an interrupted run is never used: the store is seeded
 * under a temporary name and renamed when complete.
 */
export async function cachedSqliteStore(
  parameters: SeedParameters = defaultSeedParameters,
  options: { dir?: string; fresh?: boolean; progress?: SeedProgress } = {},
): Promise<CachedStore> {
  const dir = options.dir ?? join(__dirname, "../.bench-cache");
  mkdirSync(dir, { recursive: true });
  const key = createHash("sha256").update(JSON.stringify(parameters)).update(sourcesKey()).digest("hex").slice(0, 16);
  const path = join(dir, `api-${key}.sqlite`);
  const manifestPath = join(dir, `api-${key}.json`);
  if (!options.fresh && existsSync(path) && existsSync(manifestPath)) {
    return { path, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) as SeedManifest, cached: true };
  }
  const partial = `${path}.partial`;
  for (const suffix of ["", "-wal", "-shm", ".lock"]) rmSync(partial + suffix, { force: true });
  const store = createStore(partial);
  let manifest: SeedManifest;
  try {
    manifest = await seedStore(store, parameters, options.progress);
  } finally {
    await store.close();
  }
  // Closing the last connection checkpoints the WAL into the file; move what is left, if anything, with it.
  rmSync(`${partial}.lock`, { force: true });
  for (const suffix of ["-wal", "-shm"]) if (existsSync(partial + suffix)) renameSync(partial + suffix, path + suffix);
  renameSync(partial, path);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { path, manifest, cached: false };
}
