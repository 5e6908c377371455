/** OrganizationRegistry: organisations, their roles, jurisdictions, status and operator accounts. */
import { OrganizationStatus, type organizationRegistryAbi } from "../../../sdk";
import type { OrganizationRow } from "../state";
import type { ProjectionStore } from "../store";
import { ignore, requireOrganization, type HandlersOf } from "./common";

function updateOrganization(
  store: ProjectionStore,
  event: { eventName: string; args: { orgId: number } },
  changes: Partial<OrganizationRow>,
): void {
  const current = requireOrganization(store, event.args.orgId, event.eventName);
  store.put("organizations", current.id, { ...current, ...changes });
}

export const registryHandlers: HandlersOf<typeof organizationRegistryAbi> = {
  OrganizationRegistered: (store, { args }, time) =>
    store.put("organizations", args.orgId, {
      id: args.orgId,
      name: args.name,
      metadataHash: args.metadataHash,
      jurisdiction: args.jurisdiction,
      roles: args.roles,
      status: OrganizationStatus.ACTIVE,
      operatorCount: 0,
      registeredAt: time,
    }),
  OrganizationProfileChanged: (store, event) =>
    updateOrganization(store, event, { name: event.args.name, metadataHash: event.args.metadataHash }),
  OrganizationJurisdictionChanged: (store, event) =>
    updateOrganization(store, event, { jurisdiction: event.args.jurisdiction }),
  OrganizationRolesChanged: (store, event) => updateOrganization(store, event, { roles: event.args.roles }),
  OrganizationSuspended: (store, event) => updateOrganization(store, event, { status: OrganizationStatus.SUSPENDED }),
  OrganizationReinstated: (store, event) => updateOrganization(store, event, { status: OrganizationStatus.ACTIVE }),
  OperatorAdded: (store, event) => {
    const org = requireOrganization(store, event.args.orgId, event.eventName);
    store.put("organizations", org.id, { ...org, operatorCount: org.operatorCount + 1 });
    store.put("operators", event.args.account, org.id);
  },
  OperatorRemoved: (store, event) => {
    const org = requireOrganization(store, event.args.orgId, event.eventName);
    store.put("organizations", org.id, { ...org, operatorCount: org.operatorCount - 1 });
    store.delete("operators", event.args.account);
  },

  // The one-time binding to the ledger changes no projected state (the deployment's addresses are configuration).
  LedgerBound: ignore,

  // Governance is OpenZeppelin's AccessControlDefaultAdminRules. Who holds the admin role decides who may act, and
  // what governance does shows up as the events above; no rights verdict reads the role itself.
  RoleGranted: ignore,
  RoleRevoked: ignore,
  RoleAdminChanged: ignore,
  DefaultAdminTransferScheduled: ignore,
  DefaultAdminTransferCanceled: ignore,
  DefaultAdminDelayChangeScheduled: ignore,
  DefaultAdminDelayChangeCanceled: ignore,
};
