// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDerivationPolicy} from "./IDerivationPolicy.sol";
import {IMembershipErrors} from "./IMembershipErrors.sol";
import {IProvenanceLedger} from "./IProvenanceLedger.sol";
import {IRecordErrors} from "./IRecordErrors.sol";

/// @title Data rights: use grants, consented transfers, class rules with "data customs" approval, inspections
/// @notice The ledger's rights module. Every action here appends an entry to the record's trail on the ledger
///         (and so to the ledger-wide chain); its event carries the resulting stamp.
interface IDataRights is IMembershipErrors, IRecordErrors, IDerivationPolicy {
    /// @notice What a class requires when data crosses a jurisdiction boundary (a grant or a transfer).
    enum CrossBorderRule {
        /// No restriction.
        Free,
        /// A customs organisation of the exporting jurisdiction must approve.
        Approval,
        /// Never leaves its jurisdiction.
        Forbidden
    }

    /// @notice Life cycle of a use grant.
    enum GrantStatus {
        None,
        /// Cross-border grant of graded data waiting for the exporting jurisdiction's customs.
        PendingCustoms,
        /// In force until its expiry.
        Active,
        /// Revoked by the record's owner.
        Revoked,
        /// Refused by customs.
        Rejected
    }

    /// @notice Life cycle of a transfer offer.
    enum OfferStatus {
        None,
        /// Waiting for the recipient (until its expiry).
        Open,
        /// Withdrawn by the owner before acceptance.
        Cancelled,
        /// Accepted; a cross-border transfer waiting for the exporting jurisdiction's customs.
        AwaitingCustoms,
        /// Refused by customs; ownership did not move.
        Rejected,
        /// Ownership moved; the recipient has not confirmed delivery (yet).
        Completed,
        /// Ownership moved and the recipient confirmed that what it received hashes to the fingerprint.
        Delivered
    }

    /// @notice Why an organisation may or may not use a record in a scope now (`authorization`).
    enum Authorization {
        /// Allowed: the organisation owns the record.
        Owner,
        /// Allowed: a live grant covers the scope.
        Granted,
        RecordWithdrawn,
        RecordFrozen,
        /// The asking organisation is suspended or unknown.
        OrganizationInactive,
        /// The owner is suspended: its grants are not usable while it is.
        OwnerInactive,
        NoGrant,
        GrantPendingCustoms,
        GrantRevoked,
        GrantRejected,
        GrantExpired,
        ScopeNotGranted,
        /// The record's class may no longer leave the owner's jurisdiction (a rule changed after the grant).
        CrossBorderForbidden,
        /// The use now crosses a border that needs approval, and the customs of the owner's jurisdiction has not
        /// approved this grant (the rule tightened, or the record was sold abroad after the grant).
        CustomsApprovalMissing
    }

    /// @notice The current grant from a record's owner to one organisation.
    struct Grant {
        /// Ledger-wide grant serial number (from 1); what a derivation records.
        uint64 grantId;
        /// The owner that issued it.
        uint32 grantorOrg;
        /// `Scopes` bit set.
        uint8 scopes;
        GrantStatus status;
        /// Last block time at which it is valid; 0 for no expiry.
        uint40 expiresAt;
        uint40 issuedAt;
        /// The jurisdiction whose customs must approve (zero if no approval was needed).
        bytes8 exportJurisdiction;
        /// Hash of the authorised scenario (purpose) document.
        bytes32 purposeHash;
    }

    /// @notice A transfer offer.
    struct Offer {
        bytes32 fingerprint;
        uint32 fromOrg;
        uint32 toOrg;
        OfferStatus status;
        uint40 offeredAt;
        /// Last block time at which the recipient may accept.
        uint40 expiresAt;
        /// The jurisdiction whose customs must decide (zero unless the accepted transfer needs approval).
        bytes8 exportJurisdiction;
        /// Hash of the trade's terms (e.g. the exchange's contract or order reference).
        bytes32 termsHash;
        /// Block time of acceptance (0 before). Customs may decide until a party abandons the transfer, which
        /// either may do once `CUSTOMS_REVIEW_PERIOD` has passed since then.
        uint40 acceptedAt;
    }

    /// @notice `scopes` is empty or has bits outside `Scopes.ALL`.
    error InvalidScopes(uint8 scopes);
    /// @notice `rule` is not a `CrossBorderRule`.
    error UnknownCrossBorderRule(uint8 rule);
    /// @notice The expiry `expiresAt` is not after the current block time `time`.
    error ExpiryNotInFuture(uint40 expiresAt, uint256 time);
    /// @notice An owner cannot grant to or trade with itself (`org`).
    error SelfDealing(bytes32 fingerprint, uint32 org);
    /// @notice Organisation `org` (the grantee or recipient) is suspended or unknown.
    error CounterpartyNotActive(uint32 org);
    /// @notice `org` already holds grant `grantId` on `fingerprint` in status `status` (pending or live): revoke
    ///         it first.
    error GrantOutstanding(bytes32 fingerprint, uint32 org, uint64 grantId, GrantStatus status);
    /// @notice The grant of `fingerprint` to `org` is `status` and cannot be revoked.
    error GrantNotRevocable(bytes32 fingerprint, uint32 org, GrantStatus status);
    /// @notice The current grant of `fingerprint` to `org` is `currentGrantId`, not `grantId`.
    error GrantMismatch(bytes32 fingerprint, uint32 org, uint64 currentGrantId, uint64 grantId);
    /// @notice Grant `grantId` is `status`, not waiting for customs.
    error GrantNotPendingCustoms(uint64 grantId, GrantStatus status);
    /// @notice Class `dataClass` may not leave `fromJurisdiction` for `toJurisdiction`.
    error CrossBorderForbidden(bytes32 fingerprint, uint8 dataClass, bytes8 fromJurisdiction, bytes8 toJurisdiction);
    /// @notice Customs organisation `org` (jurisdiction `jurisdiction`) cannot decide for `required`.
    error NotCustomsOfJurisdiction(uint32 org, bytes8 jurisdiction, bytes8 required);
    /// @notice `fingerprint` has offer `offerId` open or waiting for customs; no new offer or grant until it ends.
    error RecordUnderOffer(bytes32 fingerprint, uint64 offerId);
    /// @notice No offer has id `offerId`.
    error UnknownOffer(uint64 offerId);
    /// @notice Organisation `org` is not the party of offer `offerId` that may do this.
    error NotOfferParty(uint64 offerId, uint32 org);
    /// @notice Offer `offerId` is `status`, not open.
    error OfferNotOpen(uint64 offerId, OfferStatus status);
    /// @notice Offer `offerId` waits for customs, whose review period runs until `reviewEndsAt`; only then may a
    ///         party abandon it.
    error CustomsReviewPending(uint64 offerId, uint40 reviewEndsAt);
    /// @notice Offer `offerId` expired at `expiresAt`.
    error OfferExpired(uint64 offerId, uint40 expiresAt);
    /// @notice Offer `offerId` is `status`, not waiting for customs.
    error OfferNotAwaitingCustoms(uint64 offerId, OfferStatus status);
    /// @notice Offer `offerId` is `status`: only a completed transfer awaits delivery confirmation.
    error DeliveryNotExpected(uint64 offerId, OfferStatus status);
    /// @notice `fingerprint` is not frozen.
    error RecordNotFrozen(bytes32 fingerprint);
    /// @notice Deriving from `parent` is not authorised for `org`: `reason` (and the grant looked at, if any).
    error DerivationRefused(bytes32 parent, uint32 org, Authorization reason, uint64 grantId);

    /// @notice The owner granted `granteeOrg` rights on `fingerprint`.
    /// @param fingerprint The record.
    /// @param granteeOrg The organisation receiving the rights.
    /// @param actor The owner's acting account.
    /// @param grantId The grant's serial number.
    /// @param grantorOrg The owner.
    /// @param scopes `Scopes` bit set.
    /// @param purposeHash Hash of the authorised scenario.
    /// @param expiresAt Last valid block time, 0 for none.
    /// @param status Active, or PendingCustoms for a cross-border grant of graded data.
    /// @param exportJurisdiction Whose customs must approve (zero if none).
    /// @param stamp Trail positions after this entry.
    event GrantIssued(
        bytes32 indexed fingerprint,
        uint32 indexed granteeOrg,
        address indexed actor,
        uint64 grantId,
        uint32 grantorOrg,
        uint8 scopes,
        bytes32 purposeHash,
        uint40 expiresAt,
        GrantStatus status,
        bytes8 exportJurisdiction,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice The owner revoked the grant of `fingerprint` to `granteeOrg`.
    /// @param fingerprint The record.
    /// @param granteeOrg The former grantee.
    /// @param actor The owner's acting account.
    /// @param grantId The revoked grant.
    /// @param ownerOrg The owner.
    /// @param reasonHash Hash of the reason document.
    /// @param stamp Trail positions after this entry.
    event GrantRevoked(
        bytes32 indexed fingerprint,
        uint32 indexed granteeOrg,
        address indexed actor,
        uint64 grantId,
        uint32 ownerOrg,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Customs decided on a cross-border grant.
    /// @param fingerprint The record.
    /// @param granteeOrg The grantee.
    /// @param actor The customs account.
    /// @param grantId The grant decided on.
    /// @param customsOrg The deciding customs organisation.
    /// @param approved Whether the grant is now Active (else Rejected).
    /// @param decisionHash Hash of the decision document.
    /// @param stamp Trail positions after this entry.
    event GrantDecided(
        bytes32 indexed fingerprint,
        uint32 indexed granteeOrg,
        address indexed actor,
        uint64 grantId,
        uint32 customsOrg,
        bool approved,
        bytes32 decisionHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice The owner offered `fingerprint` to `toOrg`.
    /// @param fingerprint The record.
    /// @param toOrg The recipient.
    /// @param actor The owner's acting account.
    /// @param offerId The offer's serial number.
    /// @param fromOrg The owner.
    /// @param termsHash Hash of the trade's terms.
    /// @param expiresAt Last block time at which it may be accepted.
    /// @param stamp Trail positions after this entry.
    event TransferOffered(
        bytes32 indexed fingerprint,
        uint32 indexed toOrg,
        address indexed actor,
        uint64 offerId,
        uint32 fromOrg,
        bytes32 termsHash,
        uint40 expiresAt,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice An open offer was cancelled by the owner, or a transfer left undecided by customs past its review
    ///         period was abandoned by either party.
    /// @param fingerprint The record.
    /// @param org The cancelling party.
    /// @param actor The cancelling account.
    /// @param offerId The offer.
    /// @param reasonHash Hash of the reason document.
    /// @param stamp Trail positions after this entry.
    event TransferCancelled(
        bytes32 indexed fingerprint,
        uint32 indexed org,
        address indexed actor,
        uint64 offerId,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice The recipient accepted an offer.
    /// @param fingerprint The record.
    /// @param toOrg The recipient.
    /// @param actor The recipient's acting account.
    /// @param offerId The offer.
    /// @param fromOrg The owner.
    /// @param awaitingCustoms Whether the transfer now waits for customs (else ownership moves at once).
    /// @param exportJurisdiction Whose customs must decide (zero if none).
    /// @param stamp Trail positions after this entry.
    event TransferAccepted(
        bytes32 indexed fingerprint,
        uint32 indexed toOrg,
        address indexed actor,
        uint64 offerId,
        uint32 fromOrg,
        bool awaitingCustoms,
        bytes8 exportJurisdiction,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Customs decided on an accepted cross-border transfer.
    /// @param fingerprint The record.
    /// @param customsOrg The deciding customs organisation.
    /// @param actor The customs account.
    /// @param offerId The offer.
    /// @param approved Whether ownership moves (else the transfer is Rejected).
    /// @param decisionHash Hash of the decision document.
    /// @param stamp Trail positions after this entry.
    event TransferDecided(
        bytes32 indexed fingerprint,
        uint32 indexed customsOrg,
        address indexed actor,
        uint64 offerId,
        bool approved,
        bytes32 decisionHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Ownership of `fingerprint` moved from `fromOrg` to `toOrg`. Outstanding grants survive.
    /// @param fingerprint The record.
    /// @param toOrg The new owner.
    /// @param actor The account whose action completed the transfer (recipient or customs).
    /// @param offerId The offer.
    /// @param fromOrg The previous owner.
    /// @param stamp Trail positions after this entry.
    event OwnershipTransferred(
        bytes32 indexed fingerprint,
        uint32 indexed toOrg,
        address indexed actor,
        uint64 offerId,
        uint32 fromOrg,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice The recipient reported what it received. `matches` is false when it does not hash to the
    ///         fingerprint; the transfer then stays unconfirmed.
    /// @param fingerprint The record.
    /// @param toOrg The recipient (new owner).
    /// @param actor The recipient's acting account.
    /// @param offerId The offer.
    /// @param receivedFingerprint The fingerprint of what was received, computed by the recipient.
    /// @param matches Whether it equals `fingerprint` (delivery confirmed).
    /// @param stamp Trail positions after this entry.
    event DeliveryReported(
        bytes32 indexed fingerprint,
        uint32 indexed toOrg,
        address indexed actor,
        uint64 offerId,
        bytes32 receivedFingerprint,
        bool matches,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice An inspector attached a finding to a record.
    /// @param fingerprint The record.
    /// @param inspectorOrg The inspector organisation.
    /// @param actor The inspector's account.
    /// @param findingHash Hash of the finding document.
    /// @param stamp Trail positions after this entry.
    event FindingAttached(
        bytes32 indexed fingerprint,
        uint32 indexed inspectorOrg,
        address indexed actor,
        bytes32 findingHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice An inspector froze a record: no grants, transfers or derivations until unfrozen.
    /// @param fingerprint The record.
    /// @param inspectorOrg The inspector organisation.
    /// @param actor The inspector's account.
    /// @param reasonHash Hash of the reason document.
    /// @param stamp Trail positions after this entry.
    event RecordFrozen(
        bytes32 indexed fingerprint,
        uint32 indexed inspectorOrg,
        address indexed actor,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice An inspector unfroze a record.
    /// @param fingerprint The record.
    /// @param inspectorOrg The inspector organisation.
    /// @param actor The inspector's account.
    /// @param reasonHash Hash of the reason document.
    /// @param stamp Trail positions after this entry.
    event RecordUnfrozen(
        bytes32 indexed fingerprint,
        uint32 indexed inspectorOrg,
        address indexed actor,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Governance changed a class's cross-border rule (a governance entry of the ledger-wide chain, subject
    ///         bytes32(uint256(dataClass))). The defaults set at deployment emit nothing: public Free, internal and
    ///         important Approval, core Forbidden.
    /// @param dataClass The class.
    /// @param actor The governance account.
    /// @param previousRule The rule before.
    /// @param rule The rule now.
    /// @param stamp Ledger-wide chain position of this entry.
    event ClassRuleChanged(
        uint8 indexed dataClass,
        address indexed actor,
        CrossBorderRule previousRule,
        CrossBorderRule rule,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Grants `granteeOrg` rights on a record of the caller's organisation (registrar role). A
    ///         cross-border grant of a class that needs approval is pending until the exporting customs decides;
    ///         one of a class that may not leave is refused. Refused on withdrawn, frozen or offered records.
    /// @param fingerprint The record.
    /// @param granteeOrg An active organisation other than the owner, with no pending or live grant on it.
    /// @param scopes `Scopes` bit set (use, derive, redistribute).
    /// @param purposeHash Hash of the authorised scenario.
    /// @param expiresAt Last valid block time (in the future), or 0 for none.
    /// @return grantId The grant's serial number.
    function issueGrant(
        bytes32 fingerprint,
        uint32 granteeOrg,
        uint8 scopes,
        bytes32 purposeHash,
        uint40 expiresAt
    ) external returns (uint64 grantId);

    /// @notice Revokes the grant of a record of the caller's organisation (any role: a buyer that only trades may
    ///         revoke what it inherited) to `granteeOrg`.
    /// @param fingerprint The record.
    /// @param granteeOrg The grantee.
    /// @param reasonHash Hash of the reason document.
    function revokeGrant(bytes32 fingerprint, uint32 granteeOrg, bytes32 reasonHash) external;

    /// @notice Approves or rejects a pending cross-border grant (customs role, of the exporting jurisdiction).
    /// @param fingerprint The record.
    /// @param granteeOrg The grantee.
    /// @param grantId The grant reviewed (must still be the current one).
    /// @param approve Whether to approve.
    /// @param decisionHash Hash of the decision document.
    function decideGrant(
        bytes32 fingerprint,
        uint32 granteeOrg,
        uint64 grantId,
        bool approve,
        bytes32 decisionHash
    ) external;

    /// @notice Offers a record of the caller's organisation (trader role) to `toOrg`. While the offer is open or
    ///         waiting for customs, no other offer or new grant is possible on the record.
    /// @param fingerprint The record (live, not frozen).
    /// @param toOrg An active trader organisation other than the owner.
    /// @param termsHash Hash of the trade's terms.
    /// @param expiresAt Last block time at which it may be accepted (in the future).
    /// @return offerId The offer's serial number.
    function offerTransfer(
        bytes32 fingerprint,
        uint32 toOrg,
        bytes32 termsHash,
        uint40 expiresAt
    ) external returns (uint64 offerId);

    /// @notice Cancels an open offer (the offering owner, trader role, while it still owns the record), expired
    ///         or not; or abandons an accepted transfer that customs left undecided for `CUSTOMS_REVIEW_PERIOD`
    ///         (either party, trader role). Ownership does not move.
    /// @param offerId The offer.
    /// @param reasonHash Hash of the reason document.
    function cancelOffer(uint64 offerId, bytes32 reasonHash) external;

    /// @notice Accepts an open, unexpired offer (the recipient, trader role). Ownership moves at once, unless the
    ///         transfer crosses a jurisdiction boundary with data whose class needs customs approval.
    /// @param offerId The offer.
    function acceptOffer(uint64 offerId) external;

    /// @notice Approves or rejects an accepted cross-border transfer (customs role, of the exporting
    ///         jurisdiction). Approval moves ownership.
    /// @param offerId The offer.
    /// @param approve Whether to approve.
    /// @param decisionHash Hash of the decision document.
    function decideTransfer(uint64 offerId, bool approve, bytes32 decisionHash) external;

    /// @notice The new owner (trader role) reports what it received for a completed transfer.
    /// @param offerId The offer.
    /// @param receivedFingerprint The fingerprint the recipient computed over what it received.
    function confirmDelivery(uint64 offerId, bytes32 receivedFingerprint) external;

    /// @notice Attaches a finding to a record (inspector role).
    /// @param fingerprint The record.
    /// @param findingHash Hash of the finding document.
    function attachFinding(bytes32 fingerprint, bytes32 findingHash) external;

    /// @notice Freezes a record (inspector role): no grants, transfers or derivations while frozen.
    /// @param fingerprint The record (not already frozen).
    /// @param reasonHash Hash of the reason document.
    function freeze(bytes32 fingerprint, bytes32 reasonHash) external;

    /// @notice Unfreezes a frozen record (inspector role).
    /// @param fingerprint The record.
    /// @param reasonHash Hash of the reason document.
    function unfreeze(bytes32 fingerprint, bytes32 reasonHash) external;

    /// @notice Sets a class's cross-border rule. Governance only.
    /// @param dataClass The class (0 public .. 3 core).
    /// @param rule A `CrossBorderRule` code.
    function setClassRule(uint8 dataClass, uint8 rule) external;

    /// @notice Whether `org` may exercise `scope` on `fingerprint` now, and why.
    /// @param fingerprint The record (reverts `UnknownRecord` if none).
    /// @param org The organisation asking.
    /// @param scope One or more `Scopes` bits, all required.
    /// @return verdict `Owner` or `Granted` when allowed; otherwise the first reason it is not.
    /// @return grantId The grant looked at (0 if none).
    function authorization(
        bytes32 fingerprint,
        uint32 org,
        uint8 scope
    ) external view returns (Authorization verdict, uint64 grantId);

    /// @notice Whether `org` may exercise `scope` on `fingerprint` now (expiry, revocation, customs, the
    ///         record's status and suspensions taken into account).
    /// @param fingerprint The record (reverts `UnknownRecord` if none).
    /// @param org The organisation asking.
    /// @param scope One or more `Scopes` bits, all required.
    /// @return Whether it may.
    function mayUse(bytes32 fingerprint, uint32 org, uint8 scope) external view returns (bool);

    /// @notice The current grant of `fingerprint` to `org` (status None if there was never one).
    /// @param fingerprint The record.
    /// @param org The grantee.
    /// @return The grant.
    function getGrant(bytes32 fingerprint, uint32 org) external view returns (Grant memory);

    /// @notice The offer `offerId`; reverts `UnknownOffer` if none.
    /// @param offerId The offer.
    /// @return The offer (an Open offer past `expiresAt` can no longer be accepted).
    function getOffer(uint64 offerId) external view returns (Offer memory);

    /// @notice The offer that currently locks `fingerprint` (open and unexpired, or waiting for customs), 0 if
    ///         none.
    /// @param fingerprint The record.
    /// @return offerId The offer, or 0.
    function pendingOffer(bytes32 fingerprint) external view returns (uint64 offerId);

    /// @notice The cross-border rule of `dataClass`.
    /// @param dataClass The class.
    /// @return The rule.
    function classRule(uint8 dataClass) external view returns (CrossBorderRule);

    /// @notice Grants and offers issued so far (serial numbers run from 1).
    /// @return grants Grants issued.
    /// @return offers Offers made.
    function counts() external view returns (uint64 grants, uint64 offers);

    /// @notice The ledger this module serves.
    /// @return The ledger's address.
    function ledger() external view returns (address);
}
