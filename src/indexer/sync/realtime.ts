/**
 * `createRealtimeSync`: polls the node's head and turns it into `block | reorg | finalize` events, as Ponder's
 * realtime sync does, for the indexer to apply in order.
 *
 * - Every height is reported, in order: a head that jumped by 50 yields 50 blocks.
 * - A block whose parent is not our tip, or a block at our height with another hash, means the chain we followed
 *   was replaced: walk the node's chain back by parent hash, comparing with our blocks (the in-memory tail, then
 *   `localBlock`), to the common ancestor, and report `reorg { ancestor, depth }` before the new chain's blocks.
 * - A head that went down is not by itself a reorg (Ponder #2221): if the node's block at its head is ours, the node
 *   merely lags (a restart, a load balancer's other backend), and we wait for it.
 * - `finalize` names the block `confirmations` below the tip each time the tip advances.
 */
import type { Hex } from "viem";
import type { BlockRef, RawLog } from "../types";
import { SyncError } from "./errors";
import { toBlockRef } from "./logs";
import { sleep } from "./rpc";
import type { RealtimeEvent, RealtimeSyncOptions } from "./types";

export type RealtimeSync = {
  /** The events, once: iterate it with `for await`. Ends after `stop()`; throws when the node fails for good. */
  readonly events: AsyncIterable<RealtimeEvent>;
  /** Ends `events` after the step in progress (a sleep between polls ends at once). */
  stop(): void;
};

/** Heights fetched at once when the head ran ahead. */
const WINDOW = 8;

/** Consecutive heights without a local block a reorg walk crosses before it gives up. */
const MAX_UNKNOWN_WALK = 10_000;

export function createRealtimeSync(options: RealtimeSyncOptions): RealtimeSync {
  const { rpc, addresses } = options;
  const confirmations = BigInt(options.confirmations);
  const abort = new AbortController();
  const stopped = () => abort.signal.aborted;

  /**
   * The blocks we know above the finalized one, ascending, the tip last. Sparse where it came from the store (a
   * backfilled range keeps only the blocks holding logs and its last block); contiguous from the first live block on.
   */
  let chain: BlockRef[] = options.tail.map(toBlockRef);
  checkAscending(chain);
  let byNumber = new Map(chain.map((block) => [block.number, block]));
  let lastFinalized: bigint | undefined;

  const tip = (): BlockRef | undefined => chain[chain.length - 1];

  function keep(blocks: BlockRef[]): void {
    chain = blocks;
    byNumber = new Map(chain.map((block) => [block.number, block]));
  }

  async function localAt(number: bigint): Promise<BlockRef | undefined> {
    const known = byNumber.get(number);
    if (known) return known;
    const last = tip();
    if (last && number > last.number) return undefined;
    return options.localBlock(number);
  }

  function* accept(block: BlockRef, logs: readonly RawLog[]): Generator<RealtimeEvent> {
    chain.push(block);
    byNumber.set(block.number, block);
    yield { type: "block", block, logs };
    const final = block.number - confirmations;
    if (final < 0n || (lastFinalized !== undefined && final <= lastFinalized)) return;
    // Below the first live block the tail is sparse and was final already (backfill commits final ranges only).
    const finalBlock = byNumber.get(final);
    if (!finalBlock) return;
    lastFinalized = final;
    yield { type: "finalize", block: finalBlock };
    // Keep the finalized block itself: it is the floor a reorg walk compares against.
    keep(chain.filter((entry) => entry.number >= final));
  }

  /**
   * The node's `block` conflicts with our chain at its height or at its parent's. Walks the node's chain back by
   * parent hash to the highest block we know that is on it; undefined if the node changed its mind during the walk
   * (poll again). Heights we hold no block for (gaps of a backfilled tail) are walked over: rolling back to a lower
   * known block is safe, the blocks in between held no logs of ours.
   */
  async function findAncestor(block: BlockRef): Promise<BlockRef | undefined> {
    let parentHash: Hex = block.parentHash;
    let unknown = 0;
    for (let number = block.number - 1n; number >= 0n; number--) {
      const local = await localAt(number);
      if (local && local.hash.toLowerCase() === parentHash.toLowerCase()) return local;
      unknown = local ? 0 : unknown + 1;
      if (unknown > MAX_UNKNOWN_WALK) break;
      const remote = await rpc.blockByHash(parentHash);
      if (!remote) return undefined;
      parentHash = remote.parentHash;
    }
    throw new SyncError(
      "UnknownAncestor",
      `the chain was reorganised below block ${block.number}, and no block the indexer stored is on the new chain`,
      {
        details:
          "the reorganisation is deeper than the blocks kept for rollback (the finalized block was replaced, or the " +
          "node serves another chain); re-index from the deployment block",
      },
    );
  }

  async function* reorgTo(block: BlockRef): AsyncGenerator<RealtimeEvent> {
    const before = tip();
    const ancestor = await findAncestor(block);
    if (!ancestor || !before) return;
    const depth = Number(before.number - ancestor.number);
    const index = chain.findIndex((entry) => entry.number === ancestor.number);
    keep(
      index >= 0 ? chain.slice(0, index + 1) : [...chain.filter((entry) => entry.number < ancestor.number), ancestor],
    );
    if (lastFinalized !== undefined && lastFinalized > ancestor.number) lastFinalized = ancestor.number;
    yield { type: "reorg", ancestor, depth };
  }

  /** One poll: every new height in order, or a reorg; returns whether it made progress (then poll again at once). */
  async function* poll(): AsyncGenerator<RealtimeEvent, boolean> {
    const head = await rpc.blockNumber();
    const current = tip();
    if (!current) {
      // Nothing indexed yet: start at `startBlock` (the runtime's deployment block), else at the head.
      const start = options.startBlock ?? head;
      if (head < start) return false;
      const block = await rpc.blockByNumber(start);
      yield* accept(toBlockRef(block), await rpc.getLogsByBlockHash({ addresses, block }));
      return true;
    }
    if (head <= current.number) {
      // The same height or lower: a lagging node if its block there is ours, else the chain was replaced.
      // Without a block of ours at that height (a gap of the tail) there is nothing to compare: wait for the node.
      const local = await localAt(head);
      if (!local) return false;
      const remote = await rpc.blockByNumber(head);
      if (local.hash.toLowerCase() === remote.hash.toLowerCase()) return false;
      yield* reorgTo(toBlockRef(remote));
      return true;
    }
    for (let from = current.number + 1n; from <= head && !stopped(); from += BigInt(WINDOW)) {
      const numbers: bigint[] = [];
      for (let number = from; number <= head && numbers.length < WINDOW; number++) numbers.push(number);
      const fetched = numbers.map(async (number) => {
        const block = await rpc.blockByNumber(number);
        const logs = rpc.getLogsByBlockHash({ addresses, block });
        logs.catch(() => {}); // awaited below, or dropped with a replaced block
        return { block, logs };
      });
      for (const pending of fetched) pending.catch(() => {});
      // Logs are fetched ahead, but only used once their block is known to extend our chain.
      for (const pending of fetched) {
        const { block, logs } = await pending;
        const last = tip()!;
        if (block.parentHash.toLowerCase() !== last.hash.toLowerCase()) {
          yield* reorgTo(toBlockRef(block));
          return true;
        }
        let blockLogs: RawLog[];
        try {
          blockLogs = await logs;
        } catch (error) {
          // "unknown block": it was replaced after we read it. Poll again; the next poll sees the reorg.
          if (!(await rpc.blockByHash(block.hash))) return true;
          throw error;
        }
        yield* accept(toBlockRef(block), blockLogs);
        if (stopped()) return true;
      }
    }
    return true;
  }

  async function* run(): AsyncGenerator<RealtimeEvent> {
    while (!stopped()) {
      const progressed = yield* poll();
      if (!progressed && !stopped()) await sleep(options.pollIntervalMs, abort.signal);
    }
  }

  return {
    events: run(),
    stop: () => abort.abort(),
  };
}

function checkAscending(chain: readonly BlockRef[]): void {
  for (let index = 1; index < chain.length; index++) {
    const previous = chain[index - 1]!;
    const block = chain[index]!;
    const adjacentMismatch =
      block.number === previous.number + 1n && block.parentHash.toLowerCase() !== previous.hash.toLowerCase();
    if (block.number <= previous.number || adjacentMismatch) {
      throw new SyncError(
        "InvalidConfig",
        `the tail is not a chain: block ${block.number} after block ${previous.number}`,
        {
          details:
            "pass the stored blocks above the finalized one, ascending, each adjacent pair linked by parent hash",
        },
      );
    }
  }
}
