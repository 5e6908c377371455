/**
 * The actions of the registry (organisations, operators, governance), bound as client methods:
 * `core.extend(registryActions)`.
 */
import { bindLedger, type BindLedgerParameters, type BindLedgerReturnType } from "../../actions/registry/bindLedger";
import {
  registerOrganization,
  type RegisterOrganizationParameters,
  type RegisterOrganizationReturnType,
} from "../../actions/registry/registerOrganization";
import {
  setOrganizationProfile,
  type SetOrganizationProfileParameters,
  type SetOrganizationProfileReturnType,
} from "../../actions/registry/setOrganizationProfile";
import {
  setOrganizationJurisdiction,
  type SetOrganizationJurisdictionParameters,
  type SetOrganizationJurisdictionReturnType,
} from "../../actions/registry/setOrganizationJurisdiction";
import {
  setOrganizationRoles,
  type SetOrganizationRolesParameters,
  type SetOrganizationRolesReturnType,
} from "../../actions/registry/setOrganizationRoles";
import {
  suspendOrganization,
  type SuspendOrganizationParameters,
  type SuspendOrganizationReturnType,
} from "../../actions/registry/suspendOrganization";
import {
  reinstateOrganization,
  type ReinstateOrganizationParameters,
  type ReinstateOrganizationReturnType,
} from "../../actions/registry/reinstateOrganization";
import {
  addOperator,
  type AddOperatorParameters,
  type AddOperatorReturnType,
} from "../../actions/registry/addOperator";
import {
  removeOperator,
  type RemoveOperatorParameters,
  type RemoveOperatorReturnType,
} from "../../actions/registry/removeOperator";
import {
  beginGovernanceTransfer,
  type BeginGovernanceTransferParameters,
  type BeginGovernanceTransferReturnType,
} from "../../actions/registry/beginGovernanceTransfer";
import {
  acceptGovernanceTransfer,
  type AcceptGovernanceTransferReturnType,
} from "../../actions/registry/acceptGovernanceTransfer";
import {
  cancelGovernanceTransfer,
  type CancelGovernanceTransferReturnType,
} from "../../actions/registry/cancelGovernanceTransfer";
import {
  organization,
  type OrganizationParameters,
  type OrganizationReturnType,
} from "../../actions/registry/organization";
import {
  organizationOf,
  type OrganizationOfParameters,
  type OrganizationOfReturnType,
} from "../../actions/registry/organizationOf";
import {
  organizationCount,
  type OrganizationCountParameters,
  type OrganizationCountReturnType,
} from "../../actions/registry/organizationCount";
import {
  jurisdictionOf,
  type JurisdictionOfParameters,
  type JurisdictionOfReturnType,
} from "../../actions/registry/jurisdictionOf";
import { membership, type MembershipParameters, type MembershipReturnType } from "../../actions/registry/membership";
import {
  hasOrganizationRole,
  type HasOrganizationRoleParameters,
  type HasOrganizationRoleReturnType,
} from "../../actions/registry/hasOrganizationRole";
import {
  requireRole,
  type RequireRoleParameters,
  type RequireRoleReturnType,
} from "../../actions/registry/requireRole";
import { governance, type GovernanceParameters, type GovernanceReturnType } from "../../actions/registry/governance";
import {
  pendingGovernance,
  type PendingGovernanceParameters,
  type PendingGovernanceReturnType,
} from "../../actions/registry/pendingGovernance";
import type { ProvledgerCoreClient } from "../types";

export interface RegistryActions {
  /** Binds the registry to its ledger, once (governance); membership changes need it. */
  bindLedger(parameters: BindLedgerParameters): Promise<BindLedgerReturnType>;
  /** Onboards an organisation (governance). Its id is in `event.args.orgId`. */
  registerOrganization(parameters: RegisterOrganizationParameters): Promise<RegisterOrganizationReturnType>;
  /** Renames an organisation and replaces its profile hash (governance). */
  setOrganizationProfile(parameters: SetOrganizationProfileParameters): Promise<SetOrganizationProfileReturnType>;
  /** Moves an organisation to another jurisdiction, e.g. "HK" (governance). */
  setOrganizationJurisdiction(
    parameters: SetOrganizationJurisdictionParameters,
  ): Promise<SetOrganizationJurisdictionReturnType>;
  /** Replaces an organisation's `Role` bit set (governance). */
  setOrganizationRoles(parameters: SetOrganizationRolesParameters): Promise<SetOrganizationRolesReturnType>;
  /** Suspends an organisation: its keys can change nothing until reinstated (governance). */
  suspendOrganization(parameters: SuspendOrganizationParameters): Promise<SuspendOrganizationReturnType>;
  /** Reinstates a suspended organisation (governance). */
  reinstateOrganization(parameters: ReinstateOrganizationParameters): Promise<ReinstateOrganizationReturnType>;
  /** Adds an operator account (governance, or an operator of the same active organisation). */
  addOperator(parameters: AddOperatorParameters): Promise<AddOperatorReturnType>;
  /** Removes an operator account (governance, or an operator of the same active organisation). */
  removeOperator(parameters: RemoveOperatorParameters): Promise<RemoveOperatorReturnType>;
  /** Begins handing governance over to `newGovernance`, who accepts after the delay (governance). */
  beginGovernanceTransfer(parameters: BeginGovernanceTransferParameters): Promise<BeginGovernanceTransferReturnType>;
  /** Accepts a governance hand-over once its delay has passed (the new governance account). */
  acceptGovernanceTransfer(): Promise<AcceptGovernanceTransferReturnType>;
  /** Cancels a pending governance hand-over (governance). */
  cancelGovernanceTransfer(): Promise<CancelGovernanceTransferReturnType>;
  /** An organisation's profile, roles, status and operator count. */
  organization(parameters: OrganizationParameters): Promise<OrganizationReturnType>;
  /** The organisation an account operates for, 0 if none. */
  organizationOf(parameters: OrganizationOfParameters): Promise<OrganizationOfReturnType>;
  /** How many organisations have been onboarded (their ids run from 1). */
  organizationCount(parameters?: OrganizationCountParameters): Promise<OrganizationCountReturnType>;
  /** An organisation's jurisdiction as its bytes8 code (`decodeJurisdiction` makes it text). */
  jurisdictionOf(parameters: JurisdictionOfParameters): Promise<JurisdictionOfReturnType>;
  /** What the contracts check of an organisation: its status, jurisdiction and roles. */
  membership(parameters: MembershipParameters): Promise<MembershipReturnType>;
  /** Whether an organisation holds a role. */
  hasOrganizationRole(parameters: HasOrganizationRoleParameters): Promise<HasOrganizationRoleReturnType>;
  /** The account's organisation if it may act in `role` now; throws the membership error that says why not. */
  requireRole(parameters: RequireRoleParameters): Promise<RequireRoleReturnType>;
  /** The consortium governance account. */
  governance(parameters?: GovernanceParameters): Promise<GovernanceReturnType>;
  /** The account a governance hand-over is pending to (zero if none) and when it may accept. */
  pendingGovernance(parameters?: PendingGovernanceParameters): Promise<PendingGovernanceReturnType>;
}

export function registryActions(client: ProvledgerCoreClient): RegistryActions {
  return {
    bindLedger: (parameters) => bindLedger(client, parameters),
    registerOrganization: (parameters) => registerOrganization(client, parameters),
    setOrganizationProfile: (parameters) => setOrganizationProfile(client, parameters),
    setOrganizationJurisdiction: (parameters) => setOrganizationJurisdiction(client, parameters),
    setOrganizationRoles: (parameters) => setOrganizationRoles(client, parameters),
    suspendOrganization: (parameters) => suspendOrganization(client, parameters),
    reinstateOrganization: (parameters) => reinstateOrganization(client, parameters),
    addOperator: (parameters) => addOperator(client, parameters),
    removeOperator: (parameters) => removeOperator(client, parameters),
    beginGovernanceTransfer: (parameters) => beginGovernanceTransfer(client, parameters),
    acceptGovernanceTransfer: () => acceptGovernanceTransfer(client),
    cancelGovernanceTransfer: () => cancelGovernanceTransfer(client),
    organization: (parameters) => organization(client, parameters),
    organizationOf: (parameters) => organizationOf(client, parameters),
    organizationCount: (parameters) => organizationCount(client, parameters),
    jurisdictionOf: (parameters) => jurisdictionOf(client, parameters),
    membership: (parameters) => membership(client, parameters),
    hasOrganizationRole: (parameters) => hasOrganizationRole(client, parameters),
    requireRole: (parameters) => requireRole(client, parameters),
    governance: (parameters) => governance(client, parameters),
    pendingGovernance: (parameters) => pendingGovernance(client, parameters),
  };
}
