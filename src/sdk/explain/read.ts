/**
 * Reading one explanation's facts from the chain, each once: the contracts' views at the explained block, and the
 * ledger's and the rights module's events about each fingerprint (one eth_getLogs per record, filtered on the indexed
 * fingerprint, which every record event carries as its first topic).
 */
import {
  decodeEventLog,
  isAddressEqual,
  numberToHex,
  type Address,
  type DecodeEventLogReturnType,
  type Hex,
  type PublicClient,
} from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import { OrganizationStatus } from "../constants/codes";
import type { ProvledgerAddresses } from "../types/deployment";
import { decodeJurisdiction } from "../utils/jurisdiction";
import type { CustomsDecision, GrantInfo, OrganizationInfo } from "./types";
import { lowerHex } from "../utils/hex";

export type RightsEvent = DecodeEventLogReturnType<typeof dataRightsAbi>;
export type LedgerEvent = DecodeEventLogReturnType<typeof provenanceLedgerAbi>;

/** An event with where it was logged. */
export interface Logged<E> {
  event: E;
  block: number;
  time: number;
  transactionHash: Hex;
}

export interface RecordFacts {
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

/**
 * Caches shared by one explanation: every record, grant table, organisation and block time is read once. Every read
 * is pinned to one block, so that views and events tell the same moment even while the chain moves on.
 */
export interface Reader {
  client: PublicClient;
  contracts: ProvledgerAddresses;
  fromBlock: bigint;
  /** The block explained (the latest when the explanation started). */
  block: bigint;
  /** Its time, against which expiries are judged. */
  now: number;
  records: Map<Hex, Promise<RecordFacts | null>>;
  grants: Map<Hex, Promise<Map<bigint, GrantInfo>>>;
  organizations: Map<number, Promise<OrganizationInfo>>;
  blockTimes: Map<bigint, Promise<number>>;
}

export async function createReader(
  client: PublicClient,
  contracts: ProvledgerAddresses,
  fromBlock: bigint,
): Promise<Reader> {
  const latest = await client.getBlock({ blockTag: "latest" });
  return {
    client,
    contracts,
    fromBlock,
    block: latest.number,
    now: Number(latest.timestamp),
    records: new Map(),
    grants: new Map(),
    organizations: new Map(),
    blockTimes: new Map([[latest.number, Promise.resolve(Number(latest.timestamp))]]),
  };
}

function blockTime(reader: Reader, block: bigint): Promise<number> {
  let time = reader.blockTimes.get(block);
  if (!time) {
    time = reader.client.getBlock({ blockNumber: block }).then((b) => Number(b.timestamp));
    reader.blockTimes.set(block, time);
  }
  return time;
}

/**
 * An organisation's name, jurisdiction and status. Read here rather than through utils/lookup.ts's `Lookup`, whose
 * `org` gives a sentence label ("CN-GD/Open Data Bureau (org 1)"), not these fields; a failed read still explains.
 */
export function organization(reader: Reader, id: number): Promise<OrganizationInfo> {
  let info = reader.organizations.get(id);
  if (!info) {
    info = reader.client
      .readContract({
        address: reader.contracts.registry,
        abi: organizationRegistryAbi,
        functionName: "organization",
        args: [id],
        blockNumber: reader.block,
      })
      .then(
        (org): OrganizationInfo => ({
          id,
          name: org.name,
          jurisdiction: decodeJurisdiction(org.jurisdiction) ?? "",
          status: org.status === OrganizationStatus.ACTIVE ? "active" : "suspended",
        }),
        (): OrganizationInfo => ({ id, name: `organisation ${id}`, jurisdiction: "?", status: "unknown" }),
      );
    reader.organizations.set(id, info);
  }
  return info;
}

/** A customs decision logged by `logged` (GrantDecided or TransferDecided). */
export async function customsDecision(
  reader: Reader,
  logged: Logged<RightsEvent>,
  decision: { customsOrg: number; approved: boolean; decisionHash: Hex; actor: Address },
): Promise<CustomsDecision> {
  return {
    customs: await organization(reader, decision.customsOrg),
    approved: decision.approved,
    decisionHash: lowerHex(decision.decisionHash),
    time: logged.time,
    block: logged.block,
    actor: lowerHex(decision.actor),
  };
}

/**
 * Every ledger and rights event about `fingerprint` from `fromBlock` to the explained block, in chain order. Each
 * such event indexes the fingerprint as its first topic; viem's getLogs filters by arguments for one event at a time
 * only, so this asks eth_getLogs directly for all of them at once.
 */
async function eventsAbout(
  reader: Reader,
  fingerprint: Hex,
): Promise<{ ledgerEvents: Logged<LedgerEvent>[]; rightsEvents: Logged<RightsEvent>[] }> {
  const { ledger, rights } = reader.contracts;
  const logs = await reader.client.request({
    method: "eth_getLogs",
    params: [
      {
        address: [ledger, rights],
        topics: [null, fingerprint],
        fromBlock: numberToHex(reader.fromBlock),
        toBlock: numberToHex(reader.block),
      },
    ],
  });
  const ordered = logs
    .filter((log) => log.blockNumber !== null && log.transactionHash !== null)
    .sort((a, b) => Number(BigInt(a.blockNumber!) - BigInt(b.blockNumber!)) || Number(a.logIndex) - Number(b.logIndex));
  // The block times at once, not one round trip after another.
  const times = await Promise.all(ordered.map((log) => blockTime(reader, BigInt(log.blockNumber!))));
  const ledgerEvents: Logged<LedgerEvent>[] = [];
  const rightsEvents: Logged<RightsEvent>[] = [];
  ordered.forEach((log, i) => {
    const topics = log.topics as [Hex, ...Hex[]];
    const where = { block: Number(BigInt(log.blockNumber!)), time: times[i], transactionHash: log.transactionHash! };
    try {
      if (isAddressEqual(log.address, ledger)) {
        ledgerEvents.push({ event: decodeEventLog({ abi: provenanceLedgerAbi, data: log.data, topics }), ...where });
      } else {
        rightsEvents.push({ event: decodeEventLog({ abi: dataRightsAbi, data: log.data, topics }), ...where });
      }
    } catch {
      // Another event whose first topic happens to equal the fingerprint: not ours.
    }
  });
  return { ledgerEvents, rightsEvents };
}

async function readRecord(reader: Reader, fingerprint: Hex): Promise<RecordFacts | null> {
  const { client, contracts } = reader;
  const at = { address: contracts.ledger, abi: provenanceLedgerAbi, blockNumber: reader.block } as const;
  const exists = await client.readContract({ ...at, functionName: "exists", args: [fingerprint] });
  if (!exists) return null;
  const [record, [latest], [parents, grants], events] = await Promise.all([
    client.readContract({ ...at, functionName: "getRecord", args: [fingerprint] }),
    client.readContract({ ...at, functionName: "latestVersion", args: [fingerprint] }),
    client.readContract({ ...at, functionName: "getParents", args: [fingerprint] }),
    eventsAbout(reader, fingerprint),
  ]);
  return {
    fingerprint,
    record,
    latest: lowerHex(latest),
    parents: parents.map((p, i) => ({
      fingerprint: lowerHex(p.fingerprint),
      relation: p.relation,
      grantId: grants[i] ?? 0n,
    })),
    ...events,
  };
}

/** The record's views and events, read once per explanation; null if the ledger does not know it. */
export function facts(reader: Reader, fingerprint: Hex): Promise<RecordFacts | null> {
  const key = lowerHex(fingerprint);
  let found = reader.records.get(key);
  if (!found) {
    found = readRecord(reader, key);
    reader.records.set(key, found);
  }
  return found;
}
