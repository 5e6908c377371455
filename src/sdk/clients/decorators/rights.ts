/**
 * The actions of the rights module (grants, transfers, customs, inspections), bound as client methods:
 * `core.extend(rightsActions)`.
 */
import { issueGrant, type IssueGrantParameters, type IssueGrantReturnType } from "../../actions/rights/issueGrant";
import { revokeGrant, type RevokeGrantParameters, type RevokeGrantReturnType } from "../../actions/rights/revokeGrant";
import { decideGrant, type DecideGrantParameters, type DecideGrantReturnType } from "../../actions/rights/decideGrant";
import {
  offerTransfer,
  type OfferTransferParameters,
  type OfferTransferReturnType,
} from "../../actions/rights/offerTransfer";
import { cancelOffer, type CancelOfferParameters, type CancelOfferReturnType } from "../../actions/rights/cancelOffer";
import { acceptOffer, type AcceptOfferParameters, type AcceptOfferReturnType } from "../../actions/rights/acceptOffer";
import {
  decideTransfer,
  type DecideTransferParameters,
  type DecideTransferReturnType,
} from "../../actions/rights/decideTransfer";
import {
  confirmDelivery,
  type ConfirmDeliveryParameters,
  type ConfirmDeliveryReturnType,
} from "../../actions/rights/confirmDelivery";
import {
  attachFinding,
  type AttachFindingParameters,
  type AttachFindingReturnType,
} from "../../actions/rights/attachFinding";
import { freeze, type FreezeParameters, type FreezeReturnType } from "../../actions/rights/freeze";
import { unfreeze, type UnfreezeParameters, type UnfreezeReturnType } from "../../actions/rights/unfreeze";
import {
  setClassRule,
  type SetClassRuleParameters,
  type SetClassRuleReturnType,
} from "../../actions/rights/setClassRule";
import {
  authorization,
  type AuthorizationParameters,
  type AuthorizationReturnType,
} from "../../actions/rights/authorization";
import { mayUse, type MayUseParameters, type MayUseReturnType } from "../../actions/rights/mayUse";
import {
  derivationGrant,
  type DerivationGrantParameters,
  type DerivationGrantReturnType,
} from "../../actions/rights/derivationGrant";
import { getGrant, type GetGrantParameters, type GetGrantReturnType } from "../../actions/rights/getGrant";
import { getOffer, type GetOfferParameters, type GetOfferReturnType } from "../../actions/rights/getOffer";
import {
  pendingOffer,
  type PendingOfferParameters,
  type PendingOfferReturnType,
} from "../../actions/rights/pendingOffer";
import { classRule, type ClassRuleParameters, type ClassRuleReturnType } from "../../actions/rights/classRule";
import { counts, type CountsParameters, type CountsReturnType } from "../../actions/rights/counts";
import {
  customsReviewPeriod,
  type CustomsReviewPeriodParameters,
  type CustomsReviewPeriodReturnType,
} from "../../actions/rights/customsReviewPeriod";
import type { ProvledgerCoreClient } from "../types";

export interface RightsActions {
  /** Grants `granteeOrg` scopes on a record of the acting organisation (registrar role). Id: `event.args.grantId`. */
  issueGrant(parameters: IssueGrantParameters): Promise<IssueGrantReturnType>;
  /** Revokes the grant of a record of the acting organisation to `granteeOrg`. */
  revokeGrant(parameters: RevokeGrantParameters): Promise<RevokeGrantReturnType>;
  /** Approves or rejects a cross-border grant (customs of the exporting jurisdiction). */
  decideGrant(parameters: DecideGrantParameters): Promise<DecideGrantReturnType>;
  /** Offers a record of the acting organisation to `toOrg` (trader role). Id: `event.args.offerId`. */
  offerTransfer(parameters: OfferTransferParameters): Promise<OfferTransferReturnType>;
  /** Cancels an open offer (the owner), or abandons a transfer customs left undecided (either party). */
  cancelOffer(parameters: CancelOfferParameters): Promise<CancelOfferReturnType>;
  /** Accepts an offer (recipient, trader role); `events` also holds OwnershipTransferred unless customs decides. */
  acceptOffer(parameters: AcceptOfferParameters): Promise<AcceptOfferReturnType>;
  /** Approves or rejects an accepted cross-border transfer (customs of the exporting jurisdiction). */
  decideTransfer(parameters: DecideTransferParameters): Promise<DecideTransferReturnType>;
  /** Reports the fingerprint of what the new owner received (trader role); `event.args.matches` says if it is it. */
  confirmDelivery(parameters: ConfirmDeliveryParameters): Promise<ConfirmDeliveryReturnType>;
  /** Attaches a finding to a record (inspector role). */
  attachFinding(parameters: AttachFindingParameters): Promise<AttachFindingReturnType>;
  /** Freezes a record (inspector role): no grants, transfers or derivations until it is unfrozen. */
  freeze(parameters: FreezeParameters): Promise<FreezeReturnType>;
  /** Unfreezes a record (inspector role). */
  unfreeze(parameters: UnfreezeParameters): Promise<UnfreezeReturnType>;
  /** Sets a data class's cross-border `Rule` (governance). */
  setClassRule(parameters: SetClassRuleParameters): Promise<SetClassRuleReturnType>;
  /** Whether `org` may exercise `scope` on a record now, and why: `verdict` is an `Authorization` code. */
  authorization(parameters: AuthorizationParameters): Promise<AuthorizationReturnType>;
  /** Whether `org` may exercise `scope` on a record now (`authorization` says why). */
  mayUse(parameters: MayUseParameters): Promise<MayUseReturnType>;
  /** The grant a derivation of `parent` by `org` would rely on (0 for the owner); throws DerivationRefused if none. */
  derivationGrant(parameters: DerivationGrantParameters): Promise<DerivationGrantReturnType>;
  /** The grant of a record to `org`: its id, grantor, scopes, status, expiry and purpose. */
  getGrant(parameters: GetGrantParameters): Promise<GetGrantReturnType>;
  /** A transfer offer: the record, both parties, its status and times; throws UnknownOffer for an unknown id. */
  getOffer(parameters: GetOfferParameters): Promise<GetOfferReturnType>;
  /** The offer locking a record (open and unexpired, or waiting for customs), 0n if none. */
  pendingOffer(parameters: PendingOfferParameters): Promise<PendingOfferReturnType>;
  /** A data class's cross-border `Rule`. */
  classRule(parameters: ClassRuleParameters): Promise<ClassRuleReturnType>;
  /** Grants and offers issued so far. */
  counts(parameters?: CountsParameters): Promise<CountsReturnType>;
  /** Seconds customs has to decide an accepted cross-border transfer before a party may abandon it. */
  customsReviewPeriod(parameters?: CustomsReviewPeriodParameters): Promise<CustomsReviewPeriodReturnType>;
}

export function rightsActions(client: ProvledgerCoreClient): RightsActions {
  return {
    issueGrant: (parameters) => issueGrant(client, parameters),
    revokeGrant: (parameters) => revokeGrant(client, parameters),
    decideGrant: (parameters) => decideGrant(client, parameters),
    offerTransfer: (parameters) => offerTransfer(client, parameters),
    cancelOffer: (parameters) => cancelOffer(client, parameters),
    acceptOffer: (parameters) => acceptOffer(client, parameters),
    decideTransfer: (parameters) => decideTransfer(client, parameters),
    confirmDelivery: (parameters) => confirmDelivery(client, parameters),
    attachFinding: (parameters) => attachFinding(client, parameters),
    freeze: (parameters) => freeze(client, parameters),
    unfreeze: (parameters) => unfreeze(client, parameters),
    setClassRule: (parameters) => setClassRule(client, parameters),
    authorization: (parameters) => authorization(client, parameters),
    mayUse: (parameters) => mayUse(client, parameters),
    derivationGrant: (parameters) => derivationGrant(client, parameters),
    getGrant: (parameters) => getGrant(client, parameters),
    getOffer: (parameters) => getOffer(client, parameters),
    pendingOffer: (parameters) => pendingOffer(client, parameters),
    classRule: (parameters) => classRule(client, parameters),
    counts: (parameters) => counts(client, parameters),
    customsReviewPeriod: (parameters) => customsReviewPeriod(client, parameters),
  };
}
