/**
 * Type-level tests of the handler table, checked by `tsc --noEmit` (npm run lint). Each `@ts-expect-error` must
 * meet an error: if the table's type stopped catching the mistake, tsc reports the directive unused. Nothing here
 * runs.
 */
import type { organizationRegistryAbi } from "../../../src/sdk";
import { handlers, type Handler, type HandlersOf, type ProjectionHandlers } from "../../../src/indexer/projection";

type RegistryHandlers = HandlersOf<typeof organizationRegistryAbi>;

export function typeChecks(
  withoutOne: Omit<ProjectionHandlers, "RoleAdminChanged">,
  registryWithoutOne: Omit<RegistryHandlers, "OperatorRemoved">,
  noop: Handler<"RoleGranted">,
) {
  // A table without a handler for one event does not compile.
  // @ts-expect-error Property 'RoleAdminChanged' is missing
  const incomplete: ProjectionHandlers = withoutOne;

  // Nor does a contract's table without one of its events.
  // @ts-expect-error Property 'OperatorRemoved' is missing
  const registry: RegistryHandlers = registryWithoutOne;

  // Nor a handler for an event no ABI has.
  // @ts-expect-error 'RecordBurned' does not exist in type 'ProjectionHandlers'
  const extra: ProjectionHandlers = { ...handlers, RecordBurned: noop };

  // Nor a handler that reads arguments its event does not carry.
  const wrong: ProjectionHandlers = {
    ...handlers,
    // @ts-expect-error OrganizationSuspended has no `fingerprint`
    OrganizationSuspended: (store, event) => store.get("records", event.args.fingerprint),
  };

  return [incomplete, registry, extra, wrong];
}
