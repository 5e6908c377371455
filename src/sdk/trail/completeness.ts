import { TrailMismatchError } from "../errors/trail";
import { replayTrail } from "./replay";
import type { CompletenessVerdict, LedgerCheckpoint, TrailEntry, TrailState } from "./types";
import { sameHex } from "../utils/hex";

/**
 * Proves that `entries` are the ledger's complete, unaltered history up to `checkpoint`: every claimed stamp
 * recomputes, and the final ledger head and sequence equal the checkpoint (so nothing was dropped at the end and no
 * forged suffix was re-stamped).
 */
export function verifyCompleteTrail(entries: Iterable<TrailEntry>, checkpoint: LedgerCheckpoint): CompletenessVerdict {
  let state: TrailState;
  try {
    state = replayTrail(entries);
  } catch (error) {
    if (error instanceof TrailMismatchError) return { complete: false, reason: error.message };
    throw error;
  }
  if (state.ledgerSequence !== checkpoint.ledgerSequence) {
    return {
      complete: false,
      reason: `history ends at sequence ${state.ledgerSequence} but the ledger is at ${checkpoint.ledgerSequence}`,
      state,
    };
  }
  if (!sameHex(state.ledgerHead, checkpoint.ledgerHead)) {
    return {
      complete: false,
      reason: `history recomputes to ledger head ${state.ledgerHead} but the ledger's head is ${checkpoint.ledgerHead}`,
      state,
    };
  }
  return { complete: true, state };
}
