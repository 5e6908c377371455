/** The handler table over every event of the three contracts, and the reducer that dispatches through it. */
import type { ProvledgerEvent, ProvledgerEventName } from "../../sdk";
import { ProjectionError } from "./errors";
import type { Handler, ProjectionHandlers } from "./handlers/common";
import { ledgerHandlers } from "./handlers/ledger";
import { registryHandlers } from "./handlers/registry";
import { rightsHandlers } from "./handlers/rights";
import type { ProjectionStore } from "./store";

export const handlers: Readonly<ProjectionHandlers> = Object.freeze({
  ...registryHandlers,
  ...ledgerHandlers,
  ...rightsHandlers,
});

/**
 * Applies one event, in ledger order (block number, log index); `time` is its block's timestamp. An event no handler
 * knows (decoded with the ABIs of a newer contract version) throws instead of being dropped: the projection would
 * silently go wrong.
 */
export function applyEvent(store: ProjectionStore, event: ProvledgerEvent, time: bigint): void {
  const name: string = event.eventName;
  if (!Object.hasOwn(handlers, name)) {
    throw new ProjectionError(
      "UnknownEvent",
      name,
      `event ${name} has no handler in the projection; the contracts are newer than this indexer: upgrade it ` +
        `before indexing further`,
    );
  }
  (handlers[name as ProvledgerEventName] as Handler<ProvledgerEventName>)(store, event, time);
}
