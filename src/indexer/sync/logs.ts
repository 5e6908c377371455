/**
 * `fetchLogs`: a block range's logs in adaptive `eth_getLogs` ranges, as Ponder's historical sync does. The range
 * grows by `growth` after each success (up to `maxRange`), halves when the node refuses it as too large or times
 * out, and adopts the range a refusal suggests ("this block range should work: [0x.., 0x..]"). Each yielded range
 * carries the blocks its logs are in and its last block, fetched by number and checked against the logs' hashes,
 * so that the checkpoint names a block hash the logs agree with.
 */
import type { Address, Hex } from "viem";
import type { BlockRef, RawLog } from "../types";
import { SyncError } from "./errors";
import type { FetchedRange, IndexerRpc, LogRangeOptions } from "./types";

/** The adaptive range as it stands: pass the same object to successive calls to keep what was learned. */
export type LogRangeState = {
  /** Blocks in the next `eth_getLogs` request. */
  size: bigint;
  /** Times the range was shrunk (refusals and timeouts), for metrics. */
  shrinks: number;
};

export type FetchLogsOptions = {
  addresses: readonly Address[];
  fromBlock: bigint;
  toBlock: bigint;
  range?: LogRangeOptions;
  state?: LogRangeState;
  /** Blocks fetched at once for a range. Default 8. */
  blockConcurrency?: number;
};

/** How often a range whose logs and blocks disagree (a reorg while fetching) is fetched again before giving up. */
const CONSISTENCY_ATTEMPTS = 3;

export function createLogRangeState(range: LogRangeOptions = {}): LogRangeState {
  return { size: range.initialRange ?? 500n, shrinks: 0 };
}

export async function* fetchLogs(rpc: IndexerRpc, options: FetchLogsOptions): AsyncGenerator<FetchedRange> {
  const maxRange = options.range?.maxRange ?? 10_000n;
  const growth = options.range?.growth ?? 1.5;
  const state = options.state ?? createLogRangeState(options.range);
  if (maxRange < 1n || state.size < 1n || !(growth >= 1)) {
    throw new SyncError(
      "InvalidConfig",
      `log ranges need 1 <= initial range (${state.size}) and max range (${maxRange}), growth >= 1 (${growth})`,
    );
  }
  if (state.size > maxRange) state.size = maxRange;
  const concurrency = options.blockConcurrency ?? 8;

  let cursor = options.fromBlock;
  while (cursor <= options.toBlock) {
    const end = min(options.toBlock, cursor + state.size - 1n);
    let logs: RawLog[];
    try {
      logs = await rpc.getLogs({ addresses: options.addresses, fromBlock: cursor, toBlock: end });
    } catch (error) {
      const shrunk = shrink(error, cursor, end);
      if (shrunk === undefined) throw error;
      state.size = shrunk;
      state.shrinks += 1;
      continue;
    }
    yield await withBlocks(rpc, options, cursor, end, logs, concurrency);
    cursor = end + 1n;
    const grown = BigInt(Math.floor(Number(state.size) * growth));
    state.size = min(maxRange, grown > state.size ? grown : state.size + (growth > 1 ? 1n : 0n));
  }
}

/** The next range size after `error` on [from, to], or undefined if the error is not about the range's size. */
function shrink(error: unknown, from: bigint, to: bigint): bigint | undefined {
  if (!(error instanceof SyncError) || (error.code !== "RangeTooLarge" && error.code !== "Timeout")) return undefined;
  const size = to - from + 1n;
  if (size <= 1n) return undefined;
  if (error.code === "RangeTooLarge") {
    const suggested = suggestedRange(`${error.shortMessage} ${error.details ?? ""}`);
    if (suggested && suggested.from === from && suggested.to >= from && suggested.to < to) {
      return suggested.to - from + 1n;
    }
    const limit = suggestedLimit(`${error.shortMessage} ${error.details ?? ""}`);
    if (limit !== undefined && limit >= 1n && limit < size) return limit;
  }
  return size / 2n;
}

/**
 * A range the node's refusal names: Alchemy's "this block range should work: [0x1, 0x2]", QuickNode's and others'
 * "retry with the range 123-456", Infura's "Try with this block range [0x1, 0x2]".
 */
export function suggestedRange(text: string): { from: bigint; to: bigint } | undefined {
  const hex = /\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]/.exec(text);
  if (hex) return { from: BigInt(hex[1]!), to: BigInt(hex[2]!) };
  const decimal = /range\s+(\d+)\s*-\s*(\d+)/i.exec(text);
  if (decimal) return { from: BigInt(decimal[1]!), to: BigInt(decimal[2]!) };
  return undefined;
}

/** A largest range the refusal states: "up to a 2K block range", "block range is limited to 1000", "ranges over 10000 blocks". */
export function suggestedLimit(text: string): bigint | undefined {
  const match =
    /up to a (\d+)(k?) block range/i.exec(text) ??
    /(?:block range|range)[^\d]{0,32}?(?:limit(?:ed)?|maximum|max)[^\d]{0,16}(\d+)(k?)/i.exec(text) ??
    /ranges over (\d+)(k?) blocks/i.exec(text) ??
    /max(?:imum)? block range[^\d]{0,8}(\d+)(k?)/i.exec(text);
  if (!match) return undefined;
  return BigInt(match[1]!) * (match[2] ? 1000n : 1n);
}

/** The range with its blocks: those holding logs, plus the last; each checked against the logs' block hashes. */
async function withBlocks(
  rpc: IndexerRpc,
  options: FetchLogsOptions,
  from: bigint,
  to: bigint,
  logs: RawLog[],
  concurrency: number,
): Promise<FetchedRange> {
  for (let attempt = 1; ; attempt++) {
    const wanted = new Map<bigint, Hex>();
    for (const log of logs) wanted.set(log.blockNumber, log.blockHash);
    const numbers = [...new Set([...wanted.keys(), to])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const blocks = await mapBounded(numbers, concurrency, async (number) =>
      toBlockRef(await rpc.blockByNumber(number)),
    );
    const stale = blocks.find((block) => {
      const hash = wanted.get(block.number);
      return hash !== undefined && hash.toLowerCase() !== block.hash.toLowerCase();
    });
    if (!stale) return { fromBlock: from, toBlock: to, logs, blocks, last: blocks[blocks.length - 1]! };
    // The chain moved between the logs and the blocks (a reorg inside the range): ask for both again.
    if (attempt >= CONSISTENCY_ATTEMPTS) {
      throw new SyncError(
        "InvalidReply",
        `the logs of block ${stale.number} name hash ${wanted.get(stale.number)}, the block by number is ${stale.hash}`,
        {
          details: `the range [${from}, ${to}] kept changing while it was fetched (${attempt} tries): a reorganisation below the confirmation depth, or an inconsistent node`,
          method: "eth_getLogs",
          retryable: true,
        },
      );
    }
    logs = await rpc.getLogs({ addresses: options.addresses, fromBlock: from, toBlock: to });
  }
}

export function toBlockRef(block: BlockRef): BlockRef {
  return { number: block.number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
