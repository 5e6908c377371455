/**
 * Reading a deployment's audit trail from a node: the registry's, the ledger's and the rights module's logs, in bounded block
 * ranges (nodes cap `eth_getLogs`), decoded and turned into trail entries in ledger order. For a long-lived chain the
 * indexer keeps this copy instead; this is for one-off checks and small deployments.
 */
import { decodeEventLog, type Address, type Hash, type Hex, type Log, type PublicClient } from "viem";
import { trailEventsAbi } from "../abi";
import { InvalidInputError } from "../errors/input";
import { TrailEventError } from "../errors/trail";
import { decodeProvledgerError } from "../utils/decodeProvledgerError";
import { checkAddress, checkBigUint } from "../utils/check";
import { lowerHex } from "../utils/hex";
import type { ProvledgerAddresses } from "../types/deployment";
import { isTrailEvent, trailEntryFromEvent } from "./entry";
import type { DecodedEvent, TrailEntry } from "./types";

export interface ReadTrailEntriesParameters {
  /** The deployment's registry, ledger and rights module (a client's `addresses` will do). */
  addresses: Pick<ProvledgerAddresses, "registry" | "ledger" | "rights">;
  /** First block to read (default 0; the deployment block is enough). */
  fromBlock?: bigint;
  /** Last block to read (default: the latest block when the call starts). Read the checkpoint at the same block. */
  toBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 10,000). */
  blockRange?: bigint;
}

/** A trail entry with where its event was logged. */
export interface LoggedTrailEntry extends TrailEntry {
  blockNumber: bigint;
  blockHash: Hash;
  transactionHash: Hash;
  logIndex: number;
}

export type ReadTrailEntriesReturnType = { entries: LoggedTrailEntry[]; toBlock: bigint };

/**
 * Every trail entry of a deployment up to `toBlock`, in ledger order, and the block read up to. Check them with
 * `verifyCompleteTrail(entries, await client.ledgerHead({ blockNumber: toBlock }))`.
 *
 * @example
 * const { entries, toBlock } = await readTrailEntries(client.publicClient, { addresses: client.addresses });
 * const verdict = verifyCompleteTrail(entries, await client.ledgerHead({ blockNumber: toBlock }));
 */
export async function readTrailEntries(
  client: PublicClient,
  params: ReadTrailEntriesParameters,
): Promise<ReadTrailEntriesReturnType> {
  const addresses: Address[] = [
    checkAddress(params.addresses?.registry, "addresses.registry"),
    checkAddress(params.addresses?.ledger, "addresses.ledger"),
    checkAddress(params.addresses?.rights, "addresses.rights"),
  ];
  const fromBlock = checkBigUint(params.fromBlock ?? 0n, 64, "fromBlock");
  const blockRange = checkBigUint(params.blockRange ?? 10_000n, 64, "blockRange");
  if (blockRange === 0n) throw new InvalidInputError("blockRange", blockRange, "must be at least 1 block");
  const request = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw await decodeProvledgerError(error, { action: "readTrailEntries" });
    }
  };
  const toBlock =
    params.toBlock === undefined
      ? await request(() => client.getBlockNumber({ cacheTime: 0 }))
      : checkBigUint(params.toBlock, 64, "toBlock");
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += blockRange) {
    const end = start + blockRange - 1n < toBlock ? start + blockRange - 1n : toBlock;
    logs.push(...(await request(() => client.getLogs({ address: addresses, fromBlock: start, toBlock: end }))));
  }
  logs.sort((a, b) => Number(a.blockNumber! - b.blockNumber!) || a.logIndex! - b.logIndex!);
  const trailLogs: { log: Log; event: DecodedEvent }[] = [];
  for (const log of logs) {
    let event: DecodedEvent;
    try {
      event = decodeEventLog({
        abi: trailEventsAbi,
        topics: log.topics as [Hex, ...Hex[]],
        data: log.data,
      }) as DecodedEvent;
    } catch {
      // A log of the registry, the ledger or the rights module this SDK cannot decode: a newer contract version. Skipping it could
      // hide a trail entry, so refuse.
      throw new TrailEventError(
        "UnknownEvent",
        log.topics[0] ?? "(anonymous)",
        `the log ${log.logIndex} of transaction ${log.transactionHash} (block ${log.blockNumber}) is no event this ` +
          "SDK knows: the contracts are newer than the SDK; upgrade the SDK",
      );
    }
    if (isTrailEvent(event.eventName)) trailLogs.push({ log, event });
  }
  // Each block's time once, all blocks at the same time.
  const blockHashes = [...new Set(trailLogs.map(({ log }) => lowerHex(log.blockHash!)))];
  const blocks = await Promise.all(blockHashes.map((blockHash) => request(() => client.getBlock({ blockHash }))));
  const timeOf = new Map(blockHashes.map((blockHash, i) => [blockHash, blocks[i].timestamp]));
  const entries: LoggedTrailEntry[] = trailLogs.map(({ log, event }) => ({
    ...trailEntryFromEvent(event, timeOf.get(lowerHex(log.blockHash!))!),
    blockNumber: log.blockNumber!,
    blockHash: log.blockHash!,
    transactionHash: log.transactionHash!,
    logIndex: log.logIndex!,
  }));
  return { entries, toBlock };
}
