/**
 * The types the indexer's parts pass to one another: what sync fetches (blocks, logs), what the store keeps (events,
 * blocks, checkpoints, the deployment's identity) and what each range commits. Each part's own interface is in its
 * folder (`sync/`, `store/`); this file is what they share, so that none of them imports another's internals.
 */
import type { Address, Hex } from "viem";
import type { ProvledgerAddresses } from "../sdk";

/** A block the indexer has seen: enough to check ancestry and to time the events in it. */
export type BlockRef = {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  /** Block time, seconds. */
  readonly timestamp: bigint;
};

/**
 * One log of the deployment exactly as the node returned it (topics and data undecoded): the store keeps this form, so
 * that the projection, the audit and the digest are recomputed from what the chain said, not from a decoding of it.
 */
export type RawLog = {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  /** The emitting contract, lower case. */
  readonly address: Address;
  readonly topics: readonly Hex[];
  readonly data: Hex;
};

/**
 * A stored event: its raw log, the event's name, and the ledger-wide position it claims (every chained event carries a
 * `TrailStamp`; the few unchained ones, such as `RightsModuleSet`, have null here).
 */
export type StoredEvent = RawLog & {
  readonly eventName: string;
  readonly ledgerSequence: bigint | null;
  readonly ledgerHead: Hex | null;
};

/**
 * What the indexer has proven up to a block, written in the same transaction as the events it covers. `ledgerSequence`
 * and `ledgerHead` are the last stamp at or before `blockNumber` (0 and zeroHash before the first); `digest` chains
 * every stored event (see `audit/digest.ts`), so that two stores compare by one hash.
 */
export type Checkpoint = {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly ledgerSequence: bigint;
  readonly ledgerHead: Hex;
  readonly eventCount: bigint;
  readonly digest: Hex;
};

/** Which deployment a database indexes. A store refuses to open for another one. */
export type StoreIdentity = {
  readonly schemaVersion: number;
  readonly chainId: number;
  readonly addresses: ProvledgerAddresses;
  readonly deploymentBlock: bigint;
  /** The deployment block's hash: a chain that was reset (a new dev node) has another one here. */
  readonly deploymentBlockHash: Hex;
};

/**
 * One contiguous block range to commit: its events in (block, log index) order, the blocks they are in plus the
 * range's last block (whose hash the checkpoint names), and the checkpoint after it. `unfinalizedFrom` is the first
 * block of the range that may still be reorganised (rows written by blocks from it on are journaled for rollback);
 * undefined when the whole range is final.
 */
export type RangeCommit = {
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  readonly blocks: readonly BlockRef[];
  readonly events: readonly StoredEvent[];
  readonly checkpoint: Checkpoint;
  readonly unfinalizedFrom?: bigint;
};
