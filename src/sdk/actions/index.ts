/**
 * Every action as a plain function `action(client, parameters)`, for clients built from the core
 * (`createProvledgerCoreClient`) or tree-shaken bundles; `createProvledgerClient` binds them all as methods.
 */
export { verifyDeployment, type VerifyDeploymentParameters, type VerifyDeploymentReturnType } from "./verifyDeployment";
export { bindLedger, type BindLedgerParameters, type BindLedgerReturnType } from "./registry/bindLedger";
export {
  registerOrganization,
  type RegisterOrganizationParameters,
  type RegisterOrganizationReturnType,
} from "./registry/registerOrganization";
export {
  setOrganizationProfile,
  type SetOrganizationProfileParameters,
  type SetOrganizationProfileReturnType,
} from "./registry/setOrganizationProfile";
export {
  setOrganizationJurisdiction,
  type SetOrganizationJurisdictionParameters,
  type SetOrganizationJurisdictionReturnType,
} from "./registry/setOrganizationJurisdiction";
export {
  setOrganizationRoles,
  type SetOrganizationRolesParameters,
  type SetOrganizationRolesReturnType,
} from "./registry/setOrganizationRoles";
export {
  suspendOrganization,
  type SuspendOrganizationParameters,
  type SuspendOrganizationReturnType,
} from "./registry/suspendOrganization";
export {
  reinstateOrganization,
  type ReinstateOrganizationParameters,
  type ReinstateOrganizationReturnType,
} from "./registry/reinstateOrganization";
export { addOperator, type AddOperatorParameters, type AddOperatorReturnType } from "./registry/addOperator";
export {
  removeOperator,
  type RemoveOperatorParameters,
  type RemoveOperatorReturnType,
} from "./registry/removeOperator";
export {
  beginGovernanceTransfer,
  type BeginGovernanceTransferParameters,
  type BeginGovernanceTransferReturnType,
} from "./registry/beginGovernanceTransfer";
export { acceptGovernanceTransfer, type AcceptGovernanceTransferReturnType } from "./registry/acceptGovernanceTransfer";
export { cancelGovernanceTransfer, type CancelGovernanceTransferReturnType } from "./registry/cancelGovernanceTransfer";
export { organization, type OrganizationParameters, type OrganizationReturnType } from "./registry/organization";
export {
  organizationOf,
  type OrganizationOfParameters,
  type OrganizationOfReturnType,
} from "./registry/organizationOf";
export {
  organizationCount,
  type OrganizationCountParameters,
  type OrganizationCountReturnType,
} from "./registry/organizationCount";
export {
  jurisdictionOf,
  type JurisdictionOfParameters,
  type JurisdictionOfReturnType,
} from "./registry/jurisdictionOf";
export { membership, type MembershipParameters, type MembershipReturnType } from "./registry/membership";
export {
  hasOrganizationRole,
  type HasOrganizationRoleParameters,
  type HasOrganizationRoleReturnType,
} from "./registry/hasOrganizationRole";
export { requireRole, type RequireRoleParameters, type RequireRoleReturnType } from "./registry/requireRole";
export { governance, type GovernanceParameters, type GovernanceReturnType } from "./registry/governance";
export {
  pendingGovernance,
  type PendingGovernanceParameters,
  type PendingGovernanceReturnType,
} from "./registry/pendingGovernance";
export { register, type RegisterParameters, type RegisterReturnType } from "./ledger/register";
export { registerBySig, type RegisterBySigParameters, type RegisterBySigReturnType } from "./ledger/registerBySig";
export { withdraw, type WithdrawParameters, type WithdrawReturnType } from "./ledger/withdraw";
export { anchorBatch, type AnchorBatchParameters, type AnchorBatchReturnType } from "./ledger/anchorBatch";
export {
  anchorBatchBySig,
  type AnchorBatchBySigParameters,
  type AnchorBatchBySigReturnType,
} from "./ledger/anchorBatchBySig";
export {
  setRightsModule,
  type SetRightsModuleParameters,
  type SetRightsModuleReturnType,
} from "./ledger/setRightsModule";
export {
  signRegistration,
  type SignRegistrationParameters,
  type SignRegistrationReturnType,
} from "./ledger/signRegistration";
export { signBatch, type SignBatchParameters, type SignBatchReturnType } from "./ledger/signBatch";
export { exists, type ExistsParameters, type ExistsReturnType } from "./ledger/exists";
export { getRecord, type GetRecordParameters, type GetRecordReturnType } from "./ledger/getRecord";
export { recordStatus, type RecordStatusParameters, type RecordStatusReturnType } from "./ledger/recordStatus";
export { getParents, type GetParentsParameters, type GetParentsReturnType } from "./ledger/getParents";
export { trailHead, type TrailHeadParameters, type TrailHeadReturnType } from "./ledger/trailHead";
export { ledgerHead, type LedgerHeadParameters, type LedgerHeadReturnType } from "./ledger/ledgerHead";
export { latestVersion, type LatestVersionParameters, type LatestVersionReturnType } from "./ledger/latestVersion";
export { getBatch, type GetBatchParameters, type GetBatchReturnType } from "./ledger/getBatch";
export {
  verifyBatchInclusion,
  type VerifyBatchInclusionParameters,
  type VerifyBatchInclusionReturnType,
} from "./ledger/verifyBatchInclusion";
export { nonces, type NoncesParameters, type NoncesReturnType } from "./ledger/nonces";
export {
  domainSeparator,
  type DomainSeparatorParameters,
  type DomainSeparatorReturnType,
} from "./ledger/domainSeparator";
export { rightsModule, type RightsModuleParameters, type RightsModuleReturnType } from "./ledger/rightsModule";
export { issueGrant, type IssueGrantParameters, type IssueGrantReturnType } from "./rights/issueGrant";
export { revokeGrant, type RevokeGrantParameters, type RevokeGrantReturnType } from "./rights/revokeGrant";
export { decideGrant, type DecideGrantParameters, type DecideGrantReturnType } from "./rights/decideGrant";
export { offerTransfer, type OfferTransferParameters, type OfferTransferReturnType } from "./rights/offerTransfer";
export { cancelOffer, type CancelOfferParameters, type CancelOfferReturnType } from "./rights/cancelOffer";
export { acceptOffer, type AcceptOfferParameters, type AcceptOfferReturnType } from "./rights/acceptOffer";
export { decideTransfer, type DecideTransferParameters, type DecideTransferReturnType } from "./rights/decideTransfer";
export {
  confirmDelivery,
  type ConfirmDeliveryParameters,
  type ConfirmDeliveryReturnType,
} from "./rights/confirmDelivery";
export { attachFinding, type AttachFindingParameters, type AttachFindingReturnType } from "./rights/attachFinding";
export { freeze, type FreezeParameters, type FreezeReturnType } from "./rights/freeze";
export { unfreeze, type UnfreezeParameters, type UnfreezeReturnType } from "./rights/unfreeze";
export { setClassRule, type SetClassRuleParameters, type SetClassRuleReturnType } from "./rights/setClassRule";
export { authorization, type AuthorizationParameters, type AuthorizationReturnType } from "./rights/authorization";
export { mayUse, type MayUseParameters, type MayUseReturnType } from "./rights/mayUse";
export {
  derivationGrant,
  type DerivationGrantParameters,
  type DerivationGrantReturnType,
} from "./rights/derivationGrant";
export { getGrant, type GetGrantParameters, type GetGrantReturnType } from "./rights/getGrant";
export { getOffer, type GetOfferParameters, type GetOfferReturnType } from "./rights/getOffer";
export { pendingOffer, type PendingOfferParameters, type PendingOfferReturnType } from "./rights/pendingOffer";
export { classRule, type ClassRuleParameters, type ClassRuleReturnType } from "./rights/classRule";
export { counts, type CountsParameters, type CountsReturnType } from "./rights/counts";
export {
  customsReviewPeriod,
  type CustomsReviewPeriodParameters,
  type CustomsReviewPeriodReturnType,
} from "./rights/customsReviewPeriod";
