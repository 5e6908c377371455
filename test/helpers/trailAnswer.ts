/**
 * A record's trail answer, built from the chain's logs the way the query API builds it from its store
 * (`GET /v1/records/{fingerprint}/trail`, /tmp/api-spec.md): every trail event of the deployment up to a block,
 * through `trailEntryFromEvent`, kept when it is an entry of the record's trail, paged oldest first, each page with
 * the `at` anchor of that block. For tests of `verifyTrailAnswer` without a server.
 */
import { decodeEventLog, type Address, type Hex, type Log, type PublicClient } from "viem";
import {
  Action,
  isTrailEvent,
  provenanceLedgerAbi,
  trailEntryFromEvent,
  trailEventsAbi,
  type DecodedEvent,
  type ProvledgerAddresses,
  type TrailAnswer,
  type TrailAnswerEntry,
} from "../../src/sdk";

const ACTION_NAMES = new Map<number, string>(Object.entries(Action).map(([name, code]) => [code, name]));

/** Unix seconds as the API writes them for a person: `2026-12-02T03:04:05Z`. */
function timeIso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Every entry of `fingerprint`'s trail up to block `at`, in trail order, as the API's entries. */
export async function trailAnswerEntries(
  client: PublicClient,
  addresses: Pick<ProvledgerAddresses, "registry" | "ledger" | "rights">,
  fingerprint: Hex,
  at: bigint,
  fromBlock = 0n,
): Promise<TrailAnswerEntry[]> {
  const logs: Log[] = await client.getLogs({
    address: [addresses.registry, addresses.ledger, addresses.rights],
    fromBlock,
    toBlock: at,
  });
  logs.sort((a, b) => Number(a.blockNumber! - b.blockNumber!) || a.logIndex! - b.logIndex!);
  const times = new Map<bigint, bigint>();
  const entries: TrailAnswerEntry[] = [];
  for (const log of logs) {
    const event = decodeEventLog({
      abi: trailEventsAbi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
    }) as DecodedEvent;
    if (!isTrailEvent(event.eventName)) continue;
    if (!times.has(log.blockNumber!)) {
      times.set(log.blockNumber!, (await client.getBlock({ blockNumber: log.blockNumber! })).timestamp);
    }
    const time = times.get(log.blockNumber!)!;
    const entry = trailEntryFromEvent(event, time);
    if (entry.standalone || entry.subject.toLowerCase() !== fingerprint.toLowerCase()) continue;
    entries.push({
      position: Number(entry.stamp.recordLength),
      subject: entry.subject.toLowerCase() as Hex,
      action: entry.action,
      actionName: ACTION_NAMES.get(entry.action)!,
      actor: entry.actor.toLowerCase() as Address,
      time: time.toString(),
      timeIso: timeIso(time),
      payloadHash: entry.payloadHash,
      stamp: {
        recordHead: entry.stamp.recordHead,
        recordLength: entry.stamp.recordLength.toString(),
        ledgerSequence: entry.stamp.ledgerSequence.toString(),
        ledgerHead: entry.stamp.ledgerHead,
      },
      event: {
        name: event.eventName,
        blockNumber: log.blockNumber!.toString(),
        blockHash: log.blockHash!,
        logIndex: log.logIndex!,
        transactionHash: log.transactionHash!,
      },
    });
  }
  return entries;
}

/**
 * The answer's pages for `fingerprint` at block `at` (`pageSize` entries a page), as the API would send them: the
 * anchor from the block and the ledger head at it, the trail's length and head from the entries (the last one's).
 */
export async function trailAnswerPages(
  client: PublicClient,
  addresses: Pick<ProvledgerAddresses, "registry" | "ledger" | "rights">,
  fingerprint: Hex,
  at: bigint,
  pageSize = 100,
): Promise<TrailAnswer[]> {
  const entries = await trailAnswerEntries(client, addresses, fingerprint, at);
  const block = await client.getBlock({ blockNumber: at });
  const [ledgerHead, ledgerSequence] = await client.readContract({
    address: addresses.ledger,
    abi: provenanceLedgerAbi,
    functionName: "ledgerHead",
    blockNumber: at,
  });
  const anchor = {
    block: {
      number: at.toString(),
      hash: block.hash,
      timestamp: block.timestamp.toString(),
      timeIso: timeIso(block.timestamp),
    },
    ledgerSequence: ledgerSequence.toString(),
    ledgerHead,
    finalized: true,
  };
  const last = entries.at(-1);
  const data = {
    fingerprint: fingerprint.toLowerCase() as Hex,
    length: entries.length,
    head: last ? last.stamp.recordHead : (`0x${"0".repeat(64)}` as Hex),
  };
  const pages: TrailAnswer[] = [];
  for (let start = 0; start === 0 || start < entries.length; start += pageSize) {
    const more = start + pageSize < entries.length;
    pages.push({
      at: anchor,
      data: { ...data, entries: entries.slice(start, start + pageSize) },
      next: more ? Buffer.from(JSON.stringify({ after: start + pageSize })).toString("base64url") : null,
    });
  }
  return pages;
}
