import { ethers } from "hardhat";
import { decodeEventLog, type Abi, type Hex } from "viem";
import { isTrailEvent, trailEntryFromEvent, type DecodedEvent, type TrailEntry } from "../../src/sdk";

export interface LoggedEntry extends TrailEntry {
  blockNumber: number;
  logIndex: number;
}

/** Every trail entry logged by the contracts at `addresses` (with their merged `abi`), in ledger order. */
export async function trailEntriesFromChain(abi: Abi, addresses: string[]): Promise<LoggedEntry[]> {
  const logs = (await ethers.provider.getLogs({ address: addresses, fromBlock: 0, toBlock: "latest" })).sort(
    (a, b) => a.blockNumber - b.blockNumber || a.index - b.index,
  );
  const times = new Map<number, bigint>();
  const entries: LoggedEntry[] = [];
  for (const log of logs) {
    const decoded = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data as Hex });
    if (!isTrailEvent(decoded.eventName)) continue;
    if (!times.has(log.blockNumber)) {
      times.set(log.blockNumber, BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp));
    }
    entries.push({
      ...trailEntryFromEvent(decoded as unknown as DecodedEvent, times.get(log.blockNumber)!, abi),
      blockNumber: log.blockNumber,
      logIndex: log.index,
    });
  }
  return entries;
}
