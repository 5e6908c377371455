/**
 * The audit replay: recomputes every record's trail head, the ledger-wide head and the digest from the stored raw logs
 * alone (the decoded columns are not trusted: they are compared with their log), and reports the first divergence
 * with its sequence number, block and record. It finds deleted rows (a gap in the sequence, or an end short of the
 * chain's head), edited rows (a log or a column that no longer recomputes), inserted rows (a repeated or unexpected
 * sequence number) and reordered rows (positions out of order, or entries that no longer chain).
 */
import { zeroHash, type Hex } from "viem";
import {
  emptyTrailState,
  isTrailEvent,
  replayTrail,
  trailEntryFromEvent,
  TrailMismatchError,
  type DecodedEvent,
  type ProvledgerEvent,
} from "../../sdk";
import { decodeLog } from "../events";
import type { IndexerStore } from "../store/types";
import type { Checkpoint, StoredEvent } from "../types";
import { subjectOf } from "./chain";
import { nextDigest } from "./digest";

export type DivergenceKind = "gap" | "duplicate" | "order" | "edited" | "head" | "digest";

export type Divergence = {
  readonly kind: DivergenceKind;
  readonly message: string;
  readonly sequence?: bigint;
  readonly blockNumber?: bigint;
  readonly logIndex?: number;
  /** The record (fingerprint, batch root, or organisation / class word) whose trail diverged. */
  readonly record?: Hex;
};

export type AuditReport = {
  readonly ok: boolean;
  readonly eventCount: bigint;
  readonly ledgerSequence: bigint;
  readonly ledgerHead: Hex;
  readonly digest: Hex;
  readonly records: number;
  readonly divergence?: Divergence;
};

export type AuditOptions = {
  /** The chain's own `ledgerHead()` (at the checkpoint's block): the replay must end exactly there. */
  expected?: { ledgerSequence: bigint; ledgerHead: Hex };
  /** The stored checkpoint: its digest, sequence and head must equal the recomputed ones. */
  checkpoint?: Checkpoint;
  /** Block time of each block with events (the trail entries hash it). */
  blockTime: (blockNumber: bigint) => bigint | undefined;
};

type Pages = AsyncIterable<readonly StoredEvent[]> | Iterable<readonly StoredEvent[]>;

export async function auditEvents(pages: Pages, options: AuditOptions): Promise<AuditReport> {
  const state = emptyTrailState();
  let digest: Hex = zeroHash;
  let count = 0n;
  let last: { blockNumber: bigint; logIndex: number } | undefined;
  const report = (divergence?: Divergence): AuditReport => ({
    ok: divergence === undefined,
    eventCount: count,
    ledgerSequence: state.ledgerSequence,
    ledgerHead: state.ledgerHead,
    digest,
    records: state.records.size,
    divergence,
  });

  for await (const page of pages) {
    for (const event of page) {
      const at = { blockNumber: event.blockNumber, logIndex: event.logIndex };
      const where = `block ${event.blockNumber}, log ${event.logIndex}`;
      if (
        last &&
        (event.blockNumber < last.blockNumber ||
          (event.blockNumber === last.blockNumber && event.logIndex <= last.logIndex))
      ) {
        return report({
          kind: "order",
          message: `the event at ${where} is out of order (after block ${last.blockNumber}, log ${last.logIndex})`,
          ...at,
        });
      }
      last = at;
      let decoded: ProvledgerEvent;
      try {
        decoded = decodeLog(event);
      } catch (error) {
        return report({
          kind: "edited",
          message: `the log at ${where} no longer decodes: ${(error as Error).message}`,
          ...at,
        });
      }
      const stamp = (decoded.args as { stamp?: { ledgerSequence: bigint; ledgerHead: Hex } }).stamp;
      const columns =
        decoded.eventName === event.eventName &&
        (stamp
          ? event.ledgerSequence === stamp.ledgerSequence &&
            event.ledgerHead?.toLowerCase() === stamp.ledgerHead.toLowerCase()
          : event.ledgerSequence === null && event.ledgerHead === null);
      if (!columns) {
        return report({
          kind: "edited",
          message: `the stored columns of the event at ${where} (${event.eventName}, sequence ${event.ledgerSequence}) disagree with its log (${decoded.eventName}, sequence ${stamp?.ledgerSequence ?? "none"})`,
          sequence: stamp?.ledgerSequence ?? event.ledgerSequence ?? undefined,
          ...at,
        });
      }
      digest = nextDigest(digest, event);
      count += 1n;
      if (!stamp || !isTrailEvent(decoded.eventName)) continue;
      const expectedSequence = state.ledgerSequence + 1n;
      const record = subjectOf(decoded);
      if (stamp.ledgerSequence > expectedSequence) {
        return report({
          kind: "gap",
          message: `ledger entry ${expectedSequence} is missing: the event at ${where} is entry ${stamp.ledgerSequence}`,
          sequence: expectedSequence,
          ...at,
        });
      }
      if (stamp.ledgerSequence < expectedSequence) {
        return report({
          kind: "duplicate",
          message: `ledger entry ${stamp.ledgerSequence} at ${where} was already replayed (expected ${expectedSequence}): an inserted or repeated row`,
          sequence: stamp.ledgerSequence,
          record,
          ...at,
        });
      }
      const time = options.blockTime(event.blockNumber);
      if (time === undefined) {
        return report({
          kind: "edited",
          message: `block ${event.blockNumber} of the event at ${where} is not stored`,
          sequence: expectedSequence,
          ...at,
        });
      }
      try {
        replayTrail([trailEntryFromEvent(decoded as unknown as DecodedEvent, time)], state);
      } catch (error) {
        if (!(error instanceof TrailMismatchError)) throw error;
        return report({
          kind: "edited",
          message: `ledger entry ${expectedSequence} at ${where} of ${record} does not recompute: ${error.field} is ${String(error.claimed)}, the replay gives ${String(error.expected)} (the entry or one before it in this record's trail was altered, reordered or removed)`,
          sequence: expectedSequence,
          record,
          ...at,
        });
      }
    }
  }

  const { expected, checkpoint } = options;
  if (
    expected &&
    (expected.ledgerSequence !== state.ledgerSequence ||
      expected.ledgerHead.toLowerCase() !== state.ledgerHead.toLowerCase())
  ) {
    return report({
      kind: expected.ledgerSequence > state.ledgerSequence ? "gap" : "head",
      message: `the stored events end at entry ${state.ledgerSequence} (head ${state.ledgerHead}), but the chain is at entry ${expected.ledgerSequence} (head ${expected.ledgerHead})`,
      sequence: state.ledgerSequence + 1n,
    });
  }
  if (checkpoint) {
    if (
      checkpoint.ledgerSequence !== state.ledgerSequence ||
      checkpoint.ledgerHead.toLowerCase() !== state.ledgerHead.toLowerCase()
    ) {
      return report({
        kind: "head",
        message: `the checkpoint claims entry ${checkpoint.ledgerSequence} (head ${checkpoint.ledgerHead}), the stored events replay to entry ${state.ledgerSequence} (head ${state.ledgerHead})`,
        sequence: state.ledgerSequence,
        blockNumber: checkpoint.blockNumber,
      });
    }
    if (checkpoint.digest.toLowerCase() !== digest.toLowerCase() || checkpoint.eventCount !== count) {
      return report({
        kind: "digest",
        message: `the checkpoint's digest ${checkpoint.digest} over ${checkpoint.eventCount} events differs from the stored events' ${digest} over ${count}: an unchained event was added, removed or altered`,
        blockNumber: checkpoint.blockNumber,
      });
    }
  }
  return report();
}

/**
 * Audits a store: its events and blocks against its checkpoint, and, when `expected` is given (the chain's
 * `ledgerHead()` read at the checkpoint's block hash), against the chain.
 */
export async function auditStore(
  store: IndexerStore,
  options: { expected?: { ledgerSequence: bigint; ledgerHead: Hex }; pageSize?: number } = {},
): Promise<AuditReport> {
  const times = new Map<bigint, bigint>();
  for (let from = 0n; ;) {
    const page = await store.blocks(from, 10_000);
    for (const block of page) times.set(block.number, block.timestamp);
    if (page.length < 10_000) break;
    from = page[page.length - 1].number + 1n;
  }
  const checkpoint = await store.checkpoint();
  return auditEvents(store.events({ pageSize: options.pageSize ?? 10_000 }), {
    expected: options.expected,
    checkpoint,
    blockTime: (number) => times.get(number),
  });
}
