/** The projection's errors (docs/errors.md#projectionerror, #invalidscopeserror). */
import { ProvledgerError, Scope } from "../../sdk";

export type ProjectionErrorCode =
  "UnknownEvent" | "MissingOrganization" | "MissingRecord" | "MissingGrant" | "MissingOffer";

/**
 * The events do not fit the projection: an event it has no handler for (`UnknownEvent`: decoded from a newer
 * version of the contracts), or one that changes something never created (`Missing*`: events missing, out of order
 * or from another deployment), or a question about a record it never saw. Never retryable: applying the same events
 * again fails again.
 */
export class ProjectionError extends ProvledgerError<ProjectionErrorCode> {
  override name = "ProjectionError";
  /** The event being applied, or "authorize". */
  readonly eventName: string;

  constructor(code: ProjectionErrorCode, eventName: string, message: string) {
    super(code, message);
    this.eventName = eventName;
  }
}

const scopeBits = Object.entries(Scope)
  .filter(([name]) => name !== "ALL")
  .map(([name, bit]) => `${name} ${bit}`)
  .join(", ");

/** The scope asked about is empty or has bits outside Scope.ALL (the contract reverts InvalidScopes). */
export class InvalidScopesError extends ProvledgerError<"InvalidScopes"> {
  override name = "InvalidScopesError";
  readonly scope: number;

  constructor(scope: number) {
    super("InvalidScopes", `scope ${scope} is not a non-empty set of Scope bits; combine ${scopeBits}`);
    this.scope = scope;
  }
}
