/** What every handler file shares: the handler types, and reads that fail loudly when the events do not fit. */
import type { Abi, ContractEventName, Hex } from "viem";
import type { ProvledgerEvent, ProvledgerEventName } from "../../../sdk";
import { ProjectionError } from "../errors";
import type { GrantRow, OfferRow, OrganizationRow, RecordRow } from "../state";
import type { ProjectionStore } from "../store";

/** Applies one decoded event to the store. `time` is its block's timestamp. */
export type Handler<E extends ProvledgerEventName> = (
  store: ProjectionStore,
  event: ProvledgerEvent<E>,
  time: bigint,
) => void;

/** One handler for every event of `abi`: a table that leaves one out fails to compile. */
export type HandlersOf<abi extends Abi> = { [E in ContractEventName<abi> & ProvledgerEventName]: Handler<E> };

/** One handler for every event of the three contracts. */
export type ProjectionHandlers = { [E in ProvledgerEventName]: Handler<E> };

/** For an event that changes nothing the projection keeps (each use says why). */
export const ignore = (): void => {};

/** A trail stamp, as every ledger and rights event carries it. */
type Stamp = { readonly recordHead: Hex; readonly recordLength: bigint };

/** The record's (or batch's) trail position that the event claims (checked separately by the SDK's `replayTrail`). */
export function trailAt(stamp: Stamp): { trailHead: Hex; trailLength: bigint } {
  return { trailHead: stamp.recordHead, trailLength: stamp.recordLength };
}

const hint = "apply every event of one deployment, in (block, log index) order, from its deployment block";

export function requireOrganization(store: ProjectionStore, id: number, eventName: string): OrganizationRow {
  const found = store.get("organizations", id);
  if (found) return found;
  throw new ProjectionError(
    "MissingOrganization",
    eventName,
    `${eventName} changes organisation ${id}, which the projection never saw registered; ${hint}`,
  );
}

export function requireRecord(store: ProjectionStore, fingerprint: Hex, eventName: string): RecordRow {
  const found = store.get("records", fingerprint);
  if (found) return found;
  throw new ProjectionError(
    "MissingRecord",
    eventName,
    `${eventName} changes record ${fingerprint}, which the projection never saw registered; ${hint}`,
  );
}

export function requireGrant(store: ProjectionStore, fingerprint: Hex, org: number, eventName: string): GrantRow {
  const found = store.get("grants", [fingerprint, org]);
  if (found) return found;
  throw new ProjectionError(
    "MissingGrant",
    eventName,
    `${eventName} changes the grant of ${fingerprint} to organisation ${org}, which the projection never saw ` +
      `issued; ${hint}`,
  );
}

export function requireOffer(store: ProjectionStore, offerId: bigint, eventName: string): OfferRow {
  const found = store.get("offers", offerId);
  if (found) return found;
  throw new ProjectionError(
    "MissingOffer",
    eventName,
    `${eventName} changes offer ${offerId}, which the projection never saw made; ${hint}`,
  );
}

/** Moves a record to the trail position the event claims, with `changes`. */
export function updateRecord(
  store: ProjectionStore,
  event: { eventName: string; args: { fingerprint: Hex; stamp: Stamp } },
  changes: Partial<RecordRow> = {},
): void {
  const { fingerprint, stamp } = event.args;
  const current = requireRecord(store, fingerprint, event.eventName);
  store.put("records", current.fingerprint, { ...current, ...changes, ...trailAt(stamp) });
}
