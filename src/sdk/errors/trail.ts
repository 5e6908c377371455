import type { Hex } from "viem";
import type { TrailEntry, TrailStamp } from "../trail/types";
import { ProvledgerError } from "./base";

/**
 * Replaying a trail found an entry whose recomputed head, length or sequence differs from what its event claims: an
 * entry before it is missing, reordered or altered. Never retryable: the same events replay the same way.
 */
export class TrailMismatchError extends ProvledgerError<"TrailMismatch"> {
  override name = "TrailMismatchError";

  constructor(
    /** The first entry that does not recompute. */
    readonly entry: TrailEntry,
    /** The stamp field that differs. */
    readonly field: keyof TrailStamp,
    /** What the replay computes. */
    readonly expected: Hex | bigint,
    /** What the event claims. */
    readonly claimed: Hex | bigint,
  ) {
    super(
      "TrailMismatch",
      `trail entry ${entry.stamp.ledgerSequence} (${entry.subject}, action ${entry.action}): ` +
        `${field} recomputes to ${expected} but the event claims ${claimed}; ` +
        `an entry before it is missing, reordered or altered`,
    );
  }
}

/** What is wrong with an event given to trail replay. */
export type TrailEventErrorCode =
  /** The event is not in the ABI it is read with. */
  | "UnknownEvent"
  /** The event does not append a trail entry (e.g. ClassRuleChanged). */
  | "NotATrailEvent"
  /** The event has neither an `actor` nor a `registrant` parameter. */
  | "NoActor";

/** An event cannot stand for a trail entry: pass only trail events (`isTrailEvent`), decoded with their ABI. */
export class TrailEventError extends ProvledgerError<TrailEventErrorCode> {
  override name = "TrailEventError";
  readonly eventName: string;

  constructor(code: TrailEventErrorCode, eventName: string, message: string) {
    super(code, message);
    this.eventName = eventName;
  }
}
