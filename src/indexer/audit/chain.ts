/**
 * The per-range completeness check the runtime runs before it commits: every chained event's sequence number follows
 * the previous one, and its claimed ledger head recomputes from the previous head, its sequence, its subject and its
 * record head. Cheap (one keccak per event, no trail state): the record heads themselves are recomputed by the full
 * audit (audit.ts). The range's last head is then compared with the chain's own `ledgerHead()` by the runtime.
 */
import type { AbiEvent, Hex } from "viem";
import { ledgerEntry, provledgerAbi, type ProvledgerEvent } from "../../sdk";
import { IndexerError } from "../errors";
import type { StoredEvent } from "../types";

export type ChainPosition = { readonly sequence: bigint; readonly head: Hex };

export type ChainVerifier = {
  /** Checks one event (in ledger order); throws IndexerError SequenceGap or HeadMismatch at the first that fails. */
  push(event: StoredEvent, decoded: ProvledgerEvent): void;
  /** The position after the last event pushed. */
  state(): ChainPosition;
};

/** The name of each event's first parameter: an entry's subject (fingerprint, root, organisation or data class). */
const subjectParameter = new Map<string, string>(
  provledgerAbi
    .filter((item): item is AbiEvent & typeof item => item.type === "event")
    .map((item) => [item.name, (item as AbiEvent).inputs[0]?.name ?? ""]),
);

/** The entry's bytes32 subject: fingerprints and roots as they are, an id or a class as `bytes32(uint256(value))`. */
export function subjectOf(decoded: ProvledgerEvent): Hex {
  const value = (decoded.args as Record<string, unknown>)[subjectParameter.get(decoded.eventName) ?? ""];
  if (typeof value === "number" || typeof value === "bigint") {
    return `0x${BigInt(value).toString(16).padStart(64, "0")}` as Hex;
  }
  return value as Hex;
}

type Stamp = { recordHead: Hex; ledgerSequence: bigint; ledgerHead: Hex };

export function createChainVerifier(from: ChainPosition): ChainVerifier {
  let sequence = from.sequence;
  let head = from.head;
  return {
    push(event, decoded) {
      const stamp = (decoded.args as { stamp?: Stamp }).stamp;
      if (!stamp) return;
      const where = `block ${event.blockNumber}, log ${event.logIndex} (${event.eventName})`;
      if (stamp.ledgerSequence !== sequence + 1n) {
        const missing = stamp.ledgerSequence > sequence + 1n;
        throw new IndexerError(
          "SequenceGap",
          missing
            ? `ledger entry ${sequence + 1n} is missing: the next event, at ${where}, is entry ${stamp.ledgerSequence}`
            : `ledger entry ${stamp.ledgerSequence} at ${where} repeats or goes back (expected ${sequence + 1n})`,
          {
            details: "the node's logs are incomplete or out of order; nothing past the last checkpoint was indexed",
            blockNumber: event.blockNumber,
            ledgerSequence: sequence + 1n,
          },
        );
      }
      const expected = ledgerEntry(head, stamp.ledgerSequence, subjectOf(decoded), stamp.recordHead);
      if (expected.toLowerCase() !== stamp.ledgerHead.toLowerCase()) {
        throw new IndexerError(
          "HeadMismatch",
          `ledger entry ${stamp.ledgerSequence} at ${where} claims head ${stamp.ledgerHead}, but the previous head ` +
            `and its own fields recompute to ${expected}`,
          {
            details: "an event was altered or one before it is missing; nothing past the last checkpoint was indexed",
            blockNumber: event.blockNumber,
            ledgerSequence: stamp.ledgerSequence,
          },
        );
      }
      sequence = stamp.ledgerSequence;
      head = stamp.ledgerHead;
    },
    state: () => ({ sequence, head }),
  };
}
