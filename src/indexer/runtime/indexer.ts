/**
 * The indexer: follows one deployment over JSON-RPC into a store, proving each range complete before it commits it.
 *
 *   lock -> identity checks -> resume (re-check the checkpoint's block) -> backfill to head - confirmations ->
 *   realtime (block | reorg | finalize) until stopped
 *
 * Every range, historical or one live block, goes through `indexRange`: decode, check the ledger-wide chain event by
 * event (contiguous sequence numbers, each head recomputed), extend the digest, read the chain's own `ledgerHead()` at
 * the range's last block *by hash* (EIP-1898) and compare, then commit events, projection and checkpoint in one
 * transaction. A gap or a mismatch is refetched once; if it persists the indexer halts naming the sequence number and
 * block, and never commits past it.
 */
import { decodeFunctionResult, encodeFunctionData, isAddressEqual, zeroHash, type Address, type Hex } from "viem";
import type { Logger } from "pino";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../../sdk";
import { createChainVerifier, nextDigest } from "../audit";
import { IndexerError } from "../errors";
import { decodeLog, toStoredEvent } from "../events";
import { createStore } from "../store";
import type { IndexerStore, WriterLock } from "../store/types";
import { createRealtimeSync, createRpc, fetchLogs, SyncError } from "../sync";
import type { FetchedRange } from "../sync/types";
import type { BlockRef, Checkpoint, RawLog, StoreIdentity, StoredEvent } from "../types";
import { prefetch } from "./prefetch";
import { resolveOptions, type IndexerOptions, type ResolvedOptions } from "./options";

/** The schema of the deployment identity this code writes (the store's migrations version its tables). */
const IDENTITY_VERSION = 1;

export type IndexerPhase = "starting" | "waiting-for-lock" | "backfill" | "live" | "stopped" | "halted";

export type IndexerStatus = {
  readonly phase: IndexerPhase;
  /** The last committed checkpoint. */
  readonly checkpoint?: Checkpoint;
  /** The node's head at the last poll. */
  readonly head?: bigint;
  readonly reorgs: number;
  /** The error the indexer halted on. */
  readonly error?: Error;
};

export type Indexer = {
  /** Runs until `stop()` (resolves) or a halt (rejects with the IndexerError, StoreError or RPC error). */
  run(): Promise<void>;
  /** Stops after the range being committed, if any; resolves when stopped and the store is closed. */
  stop(): Promise<void>;
  status(): IndexerStatus;
  /** Called after every committed range (for tests, metrics and the API). */
  onCheckpoint(listener: (checkpoint: Checkpoint) => void): () => void;
};

/** How many recent checkpoints to keep in memory, so a reorg's rollback target is known without a rescan. */
const RECENT_CHECKPOINTS = 1_024;

export function createIndexer(input: IndexerOptions): Indexer {
  const options = resolveOptions(input);
  const log = options.logger;
  const rpc = createRpc({ url: options.rpcUrl, ...options.rpc, onRetry: (info) => onRetry(log, info) });
  const addresses: Address[] = [options.addresses.registry, options.addresses.ledger, options.addresses.rights];
  const abort = new AbortController();
  const listeners = new Set<(checkpoint: Checkpoint) => void>();
  const recent = new Map<bigint, Checkpoint>();

  let store: IndexerStore | undefined;
  let lock: WriterLock | undefined;
  let checkpoint: Checkpoint | undefined;
  let status: { phase: IndexerPhase; head?: bigint; reorgs: number; error?: Error } = { phase: "starting", reorgs: 0 };
  let running: Promise<void> | undefined;
  let stopRealtime: (() => void) | undefined;

  const stopped = () => abort.signal.aborted;

  async function run(): Promise<void> {
    try {
      const opened = typeof options.store === "string" ? await createStore(options.store) : options.store;
      store = opened;
      await opened.migrate();
      status = { ...status, phase: "waiting-for-lock" };
      lock = await opened.acquireWriterLock({
        signal: abort.signal,
        onWait: () => log?.warn({ store: opened.description }, "another indexer writes to this store; waiting"),
      });
      if (stopped()) return;
      await checkIdentity(opened);
      checkpoint = await opened.checkpoint();
      if (checkpoint) remember(checkpoint);
      await resume(opened);
      status = { ...status, phase: "backfill" };
      await backfill(opened);
      if (options.once || stopped()) return;
      status = { ...status, phase: "live" };
      await follow(opened);
    } catch (error) {
      if (stopped() && isAbort(error)) return;
      status = { ...status, phase: "halted", error: error as Error };
      log?.error({ err: error }, "indexer halted");
      throw error;
    } finally {
      if (status.phase !== "halted") status = { ...status, phase: "stopped" };
      await lock?.release().catch(() => {});
      if (typeof options.store === "string") await store?.close().catch(() => {});
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Identity: the right chain, the right contracts, the right database
  // -----------------------------------------------------------------------------------------------------------

  async function checkIdentity(store: IndexerStore): Promise<void> {
    const chainId = await rpc.chainId();
    if (options.chainId !== undefined && chainId !== options.chainId) {
      throw new IndexerError(
        "ChainMismatch",
        `the node at ${rpc.url} serves chain ${chainId}, not chain ${options.chainId}`,
        { details: "point --rpc-url at a node of the deployment's chain, or correct --chain-id" },
      );
    }
    const deployment = await rpc.blockByNumber(options.deploymentBlock).catch((error: unknown) => {
      throw new IndexerError(
        "NotThisDeployment",
        `the node has no block ${options.deploymentBlock} (the deployment block)`,
        { details: "check --deployment-block, or wait for the node to sync", cause: error },
      );
    });
    await checkContracts(await rpc.blockNumber());
    const identity: StoreIdentity = {
      schemaVersion: IDENTITY_VERSION,
      chainId,
      addresses: options.addresses,
      deploymentBlock: options.deploymentBlock,
      deploymentBlockHash: deployment.hash,
    };
    const stored = await store.identity();
    if (!stored) {
      await store.writeIdentity(identity);
      log?.info({ chainId, ...options.addresses, deploymentBlock: options.deploymentBlock }, "new index");
      return;
    }
    if (stored.chainId !== chainId) {
      throw new IndexerError(
        "ChainMismatch",
        `the store ${store.description} indexes chain ${stored.chainId}, but the node serves chain ${chainId}`,
        { details: "use a store made for this chain (or a new one), or the node of its chain" },
      );
    }
    const sameDeployment =
      stored.deploymentBlock === options.deploymentBlock &&
      (["registry", "ledger", "rights"] as const).every((role) =>
        isAddressEqual(stored.addresses[role], options.addresses[role]),
      );
    if (!sameDeployment) {
      throw new IndexerError(
        "OtherDeployment",
        `the store ${store.description} indexes another deployment (registry ${stored.addresses.registry}, ledger ` +
          `${stored.addresses.ledger}, rights ${stored.addresses.rights}, from block ${stored.deploymentBlock})`,
        { details: "give each deployment its own store, or correct the addresses and deployment block" },
      );
    }
    if (stored.deploymentBlockHash.toLowerCase() !== deployment.hash.toLowerCase()) {
      throw new IndexerError(
        "ChainReset",
        `block ${options.deploymentBlock} is ${deployment.hash} on the node, but ${stored.deploymentBlockHash} in ` +
          `the store: the chain was reset (a new development node?)`,
        { details: "index the new chain into a new store (delete the old one if it was a development ledger)" },
      );
    }
  }

  /** Each address holds its contract of one deployment, as the contracts themselves say. */
  async function checkContracts(blockNumber: bigint): Promise<void> {
    const block = await rpc.blockByNumber(blockNumber);
    for (const role of ["registry", "ledger", "rights"] as const) {
      const code = await rpc.getCode({ address: options.addresses[role], blockHash: block.hash });
      if (code === "0x") {
        throw new IndexerError("NotThisDeployment", `no contract at ${options.addresses[role]} (the ${role} address)`, {
          details: "check the deployment addresses (a deployment file from another chain?)",
        });
      }
    }
    const view = async <T>(address: Address, abi: readonly unknown[], functionName: string): Promise<T> => {
      const data = encodeFunctionData({ abi: abi as never, functionName } as never);
      const result = await rpc.call({ to: address, data, blockHash: block.hash });
      try {
        return decodeFunctionResult({ abi: abi as never, functionName, data: result } as never) as T;
      } catch (error) {
        throw new IndexerError(
          "NotThisDeployment",
          `${address} does not answer ${functionName}() as a Provledger contract does`,
          { details: "check the deployment addresses", cause: error },
        );
      }
    };
    const wrong = (what: string) =>
      new IndexerError("NotThisDeployment", `the addresses are not one deployment: ${what}`, {
        details: "take all three addresses from the same deployment file",
      });
    const ledgerRegistry = await view<Address>(options.addresses.ledger, provenanceLedgerAbi, "registry");
    if (!isAddressEqual(ledgerRegistry, options.addresses.registry)) {
      throw wrong(`the ledger's registry is ${ledgerRegistry}, not ${options.addresses.registry}`);
    }
    const rightsLedger = await view<Address>(options.addresses.rights, dataRightsAbi, "ledger");
    if (!isAddressEqual(rightsLedger, options.addresses.ledger)) {
      throw wrong(`the rights module serves ledger ${rightsLedger}, not ${options.addresses.ledger}`);
    }
    const ledgerRights = await view<Address>(options.addresses.ledger, provenanceLedgerAbi, "rightsModule");
    if (BigInt(ledgerRights) !== 0n && !isAddressEqual(ledgerRights, options.addresses.rights)) {
      throw wrong(`the ledger's rights module is ${ledgerRights}, not ${options.addresses.rights}`);
    }
    if (organizationRegistryAbi.some((item) => item.type === "function" && item.name === ("ledger" as string))) {
      const registryLedger = await view<Address>(options.addresses.registry, organizationRegistryAbi, "ledger");
      if (!isAddressEqual(registryLedger, options.addresses.ledger) && BigInt(registryLedger) !== 0n) {
        throw wrong(`the registry is bound to ledger ${registryLedger}, not ${options.addresses.ledger}`);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Resume: the checkpoint's block must still be on the chain
  // -----------------------------------------------------------------------------------------------------------

  async function resume(store: IndexerStore): Promise<void> {
    if (!checkpoint) return;
    log?.info(
      { block: checkpoint.blockNumber, ledgerSequence: checkpoint.ledgerSequence, events: checkpoint.eventCount },
      "resuming from checkpoint",
    );
    for (;;) {
      const head = await rpc.blockNumber();
      if (head >= checkpoint.blockNumber) break;
      // A node that restarted may lag behind what was indexed: not a reorg until its hash at our height differs.
      log?.warn({ head, checkpoint: checkpoint.blockNumber }, "the node is behind the checkpoint; waiting for it");
      await sleep(options.pollIntervalMs, abort.signal);
    }
    const onChain = await rpc.blockByNumber(checkpoint.blockNumber);
    if (sameHash(onChain.hash, checkpoint.blockHash)) return;
    const ancestor = await findAncestor(store, checkpoint.blockNumber - 1n);
    await rollback(store, ancestor, Number(checkpoint.blockNumber - ancestor.number), "while stopped");
  }

  /** The highest stored block at or below `from` that is still on the node's chain. */
  async function findAncestor(store: IndexerStore, from: bigint): Promise<BlockRef> {
    for (let number = from; number >= options.deploymentBlock; number -= 1n) {
      const local = await store.block(number);
      if (!local) continue;
      const remote = await rpc.blockByNumber(number);
      if (sameHash(remote.hash, local.hash)) return local;
    }
    throw new IndexerError(
      "ChainReset",
      `no indexed block is on the node's chain any more, down to the deployment block ${options.deploymentBlock}`,
      { details: "the chain was replaced: index it into a new store" },
    );
  }

  // -----------------------------------------------------------------------------------------------------------
  // Backfill
  // -----------------------------------------------------------------------------------------------------------

  async function backfill(store: IndexerStore): Promise<void> {
    for (;;) {
      const head = await rpc.blockNumber();
      status = { ...status, head };
      const target = head - BigInt(options.confirmations);
      const from = checkpoint ? checkpoint.blockNumber + 1n : options.deploymentBlock;
      if (target < from) return;
      const started = Date.now();
      const startEvents = checkpoint?.eventCount ?? 0n;
      let lastLog = 0;
      log?.info({ from, to: target, head }, "backfill");
      const ranges = prefetch(
        fetchLogs(rpc, {
          addresses,
          fromBlock: from,
          toBlock: target,
          range: { initialRange: options.initialBlockRange, maxRange: options.maxBlockRange },
        }),
        2,
      );
      for await (const range of ranges) {
        if (stopped()) return;
        await indexRange(store, range, undefined);
        if (Date.now() - lastLog > 2_000 || range.toBlock === target) {
          lastLog = Date.now();
          const seconds = (Date.now() - started) / 1000;
          const done = Number(range.toBlock - from + 1n);
          const total = Number(target - from + 1n);
          const events = Number((checkpoint?.eventCount ?? 0n) - startEvents);
          log?.info(
            {
              block: range.toBlock,
              target,
              percent: Math.round((1000 * done) / total) / 10,
              events,
              eventsPerSecond: Math.round(events / Math.max(seconds, 0.001)),
              etaSeconds: done > 0 ? Math.round((seconds * (total - done)) / done) : undefined,
              ledgerSequence: checkpoint?.ledgerSequence,
            },
            "backfill progress",
          );
        }
      }
      // The head moved on while we fetched: go again until within `confirmations` of it.
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Realtime
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Follows the head. A live block replaced while it was being indexed (its hash no longer known to the node when its
   * ledger head is read) is not a halt: the realtime sync is started again from the store, and finds the reorg.
   */
  async function follow(store: IndexerStore): Promise<void> {
    for (let restarts = 0; ; restarts++) {
      try {
        return await followOnce(store);
      } catch (error) {
        if (stopped() || !(error instanceof SyncError) || !replacedBlock(error) || restarts >= 10) throw error;
        log?.warn({ err: error }, "a block was replaced while it was indexed; following again from the store");
      }
    }
  }

  async function followOnce(store: IndexerStore): Promise<void> {
    const last = checkpoint ? await store.block(checkpoint.blockNumber) : undefined;
    const tailFrom = (checkpoint?.blockNumber ?? options.deploymentBlock) - BigInt(options.confirmations);
    const tail = last ? await store.blocks(tailFrom > 0n ? tailFrom : 0n) : [];
    const realtime = createRealtimeSync({
      rpc,
      addresses,
      tail,
      confirmations: options.confirmations,
      pollIntervalMs: options.pollIntervalMs,
      startBlock: checkpoint ? undefined : options.deploymentBlock,
      localBlock: (number) => store.block(number),
    });
    stopRealtime = () => realtime.stop();
    if (stopped()) realtime.stop();
    log?.info({ block: checkpoint?.blockNumber, pollIntervalMs: options.pollIntervalMs }, "following the head");
    for await (const event of realtime.events) {
      if (stopped()) break;
      if (event.type === "block") {
        const range: FetchedRange = {
          fromBlock: event.block.number,
          toBlock: event.block.number,
          logs: event.logs,
          blocks: [event.block],
          last: event.block,
        };
        await indexRange(store, range, options.confirmations > 0 ? event.block.number : undefined);
        status = { ...status, head: event.block.number };
        if (event.logs.length > 0) {
          log?.info(
            { block: event.block.number, events: event.logs.length, ledgerSequence: checkpoint?.ledgerSequence },
            "indexed block",
          );
        }
      } else if (event.type === "reorg") {
        await rollback(store, event.ancestor, event.depth, "live");
      } else {
        await store.finalize(event.block.number);
      }
    }
  }

  async function rollback(store: IndexerStore, ancestor: BlockRef, depth: number, when: string): Promise<void> {
    if (depth > options.confirmations && !options.allowDeepReorg) {
      throw new IndexerError(
        "DeepReorg",
        `the chain was reorganised ${when} below indexed blocks: rolling back to the common ancestor, block ` +
          `${ancestor.number}, would undo ${depth} indexed blocks, deeper than the confirmation depth ` +
          `${options.confirmations}`,
        {
          details:
            "blocks the indexer treated as final were replaced; on a consortium chain this needs investigating. " +
            "For a development ledger, restart with --allow-deep-reorg to roll back and re-index",
          blockNumber: ancestor.number,
        },
      );
    }
    const target = recent.get(ancestor.number) ?? (await checkpointAt(store, ancestor));
    await store.rollback(ancestor, target);
    for (const number of [...recent.keys()]) if (number > ancestor.number) recent.delete(number);
    checkpoint = target;
    remember(target);
    status = { ...status, reorgs: status.reorgs + 1 };
    log?.warn(
      { depth, ancestor: ancestor.number, ancestorHash: ancestor.hash, ledgerSequence: target.ledgerSequence, when },
      "reorg: rolled back to the common ancestor",
    );
  }

  /** The checkpoint as it was after `block`, recomputed from the stored events (digest included). */
  async function checkpointAt(store: IndexerStore, block: BlockRef): Promise<Checkpoint> {
    let digest: Hex = zeroHash;
    let eventCount = 0n;
    let ledgerSequence = 0n;
    let ledgerHead: Hex = zeroHash;
    for await (const page of store.events({ pageSize: 5_000 })) {
      for (const event of page) {
        if (event.blockNumber > block.number) return { ...done() };
        digest = nextDigest(digest, event);
        eventCount += 1n;
        if (event.ledgerSequence !== null) {
          ledgerSequence = event.ledgerSequence;
          ledgerHead = event.ledgerHead!;
        }
      }
    }
    return done();
    function done(): Checkpoint {
      return { blockNumber: block.number, blockHash: block.hash, ledgerSequence, ledgerHead, eventCount, digest };
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // One range: verify, then commit with its checkpoint
  // -----------------------------------------------------------------------------------------------------------

  async function indexRange(store: IndexerStore, range: FetchedRange, unfinalizedFrom: bigint | undefined) {
    let attempt = 0;
    for (;;) {
      try {
        const started = performance.now();
        const verified = await verifyRange(range);
        const verifiedAt = performance.now();
        await store.commitRange({
          fromBlock: range.fromBlock,
          toBlock: range.toBlock,
          blocks: range.blocks,
          events: verified.events,
          checkpoint: verified.checkpoint,
          unfinalizedFrom,
        });
        log?.debug(
          {
            from: range.fromBlock,
            to: range.toBlock,
            events: verified.events.length,
            verifyMs: Math.round(verifiedAt - started),
            commitMs: Math.round(performance.now() - verifiedAt),
          },
          "committed range",
        );
        checkpoint = verified.checkpoint;
        remember(checkpoint);
        for (const listener of listeners) listener(checkpoint);
        return;
      } catch (error) {
        const completeness =
          error instanceof IndexerError && (error.code === "SequenceGap" || error.code === "HeadMismatch");
        if (!completeness || attempt > 0) throw error;
        attempt += 1;
        log?.warn(
          { err: error, from: range.fromBlock, to: range.toBlock },
          "the node's reply failed the completeness check; fetching the range again",
        );
        range = await refetch(range);
      }
    }
  }

  async function verifyRange(range: FetchedRange): Promise<{ events: StoredEvent[]; checkpoint: Checkpoint }> {
    const previous = checkpoint;
    const verifier = createChainVerifier({
      sequence: previous?.ledgerSequence ?? 0n,
      head: previous?.ledgerHead ?? zeroHash,
    });
    // The chain's word on the range, asked first: the node answers while this thread decodes and checks the logs.
    const onChainHead = ledgerHeadAt(range.last);
    onChainHead.catch(() => {});
    let digest = previous?.digest ?? zeroHash;
    const events: StoredEvent[] = [];
    for (const log of range.logs) {
      const decoded = decodeLog(log);
      const stored = toStoredEvent(log, decoded);
      verifier.push(stored, decoded);
      digest = nextDigest(digest, stored);
      events.push(stored);
    }
    const state = verifier.state();
    const onChain = await onChainHead;
    if (onChain.sequence !== state.sequence || !sameHash(onChain.head, state.head)) {
      const missing = state.sequence + 1n;
      const block = onChain.sequence > state.sequence ? await locateSequence(missing, range) : range.last.number;
      throw new IndexerError(
        onChain.sequence > state.sequence ? "SequenceGap" : "HeadMismatch",
        onChain.sequence > state.sequence
          ? `ledger entry ${missing} (in block ${block}) is missing from the node's logs: the chain is at sequence ` +
              `${onChain.sequence} after block ${range.last.number}, the logs reach ${state.sequence}`
          : `the logs up to block ${range.last.number} recompute to ledger head ${state.head} at sequence ` +
              `${state.sequence}, but the chain's ledgerHead() there is ${onChain.head} at sequence ${onChain.sequence}`,
        {
          details: "the node served an incomplete or altered history; nothing past the last checkpoint was indexed",
          blockNumber: block,
          ledgerSequence: onChain.sequence > state.sequence ? missing : state.sequence,
        },
      );
    }
    return {
      events,
      checkpoint: {
        blockNumber: range.last.number,
        blockHash: range.last.hash,
        ledgerSequence: state.sequence,
        ledgerHead: state.head,
        eventCount: (previous?.eventCount ?? 0n) + BigInt(events.length),
        digest,
      },
    };
  }

  /** `ledgerHead()` at the block with this hash: the chain's own word on how far the ledger-wide chain reached. */
  async function ledgerHeadAt(block: BlockRef): Promise<{ head: Hex; sequence: bigint }> {
    const data = encodeFunctionData({ abi: provenanceLedgerAbi, functionName: "ledgerHead" });
    const result = await rpc.call({ to: options.addresses.ledger, data, blockHash: block.hash });
    // Before the ledger's own deployment block (the registry comes first) there is no code: nothing chained yet.
    if (result === "0x") return { head: zeroHash, sequence: 0n };
    const [head, sequence] = decodeFunctionResult({
      abi: provenanceLedgerAbi,
      functionName: "ledgerHead",
      data: result,
    });
    return { head, sequence };
  }

  /** The first block in the range whose state holds ledger entry `sequence` (binary search over `ledgerHead()`). */
  async function locateSequence(sequence: bigint, range: FetchedRange): Promise<bigint> {
    let low = range.fromBlock;
    let high = range.last.number;
    while (low < high) {
      const middle = (low + high) / 2n;
      const block = await rpc.blockByNumber(middle);
      if ((await ledgerHeadAt(block)).sequence >= sequence) high = middle;
      else low = middle + 1n;
    }
    return low;
  }

  /**
   * The same range fetched again (a fault the first time may not repeat): every piece `fetchLogs` yields, merged, so
   * that a node that refuses the whole span still gives all of it.
   */
  async function refetch(range: FetchedRange): Promise<FetchedRange> {
    const logs: RawLog[] = [];
    const blocks = new Map<bigint, BlockRef>();
    const span = range.toBlock - range.fromBlock + 1n;
    for await (const piece of fetchLogs(rpc, {
      addresses,
      fromBlock: range.fromBlock,
      toBlock: range.toBlock,
      range: { initialRange: span, maxRange: span },
    })) {
      logs.push(...piece.logs);
      for (const block of piece.blocks) blocks.set(block.number, block);
    }
    blocks.set(range.last.number, range.last);
    return { ...range, logs, blocks: [...blocks.values()].sort((x, y) => (x.number < y.number ? -1 : 1)) };
  }

  function remember(value: Checkpoint): void {
    recent.set(value.blockNumber, value);
    if (recent.size > RECENT_CHECKPOINTS) recent.delete(recent.keys().next().value!);
  }

  return {
    run() {
      running ??= run();
      return running;
    },
    async stop() {
      abort.abort();
      stopRealtime?.();
      await running?.catch(() => {});
    },
    status: () => ({ ...status, checkpoint }),
    onCheckpoint(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A node's answer that the block named by hash is not (or no longer) on its chain. */
function replacedBlock(error: SyncError): boolean {
  // anvil answers -32001 "Resource not found" for a replaced hash; geth-style nodes "unknown block" / "header not found".
  return (
    error.code === "BlockNotFound" ||
    error.rpcCode === -32001 ||
    /unknown block|header not found|not canonical|resource not found/i.test(error.message)
  );
}

function sameHash(a: Hex, b: Hex): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.message.includes("aborted"));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
      },
      { once: true },
    );
  });
}

function onRetry(
  log: Logger | undefined,
  info: { method: string; attempt: number; delayMs: number; error: unknown },
): void {
  log?.warn(
    {
      method: info.method,
      attempt: info.attempt,
      delayMs: info.delayMs,
      error: String((info.error as Error)?.message ?? info.error).split("\n")[0],
    },
    "RPC request failed; retrying",
  );
}

export type { ResolvedOptions };
