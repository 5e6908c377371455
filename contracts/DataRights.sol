// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDataRights} from "./interfaces/IDataRights.sol";
import {IDerivationPolicy} from "./interfaces/IDerivationPolicy.sol";
import {IOrganizationRegistry} from "./interfaces/IOrganizationRegistry.sol";
import {IProvenanceLedger} from "./interfaces/IProvenanceLedger.sol";
import {DataClasses, Roles, Scopes, TrailActions} from "./libraries/Codes.sol";

/// @title Provledger's rights module: use grants, consented transfers, data customs and inspections
/// @notice Attached once to the ledger by governance. Records, owners, freezes and trails live in the ledger; this
///         contract keeps grants, offers and class rules, and appends every action to the record's trail there.
///         Outstanding grants survive a change of ownership: the new owner inherits them (it saw them before
///         accepting, and no grant can be issued while an offer is pending) and may revoke them.
contract DataRights is IDataRights {
    /// @notice How long customs has to decide on an accepted cross-border transfer before either party may abandon
    ///         it (so an undecided transfer cannot lock a record for ever).
    uint40 public constant CUSTOMS_REVIEW_PERIOD = 30 days;

    IProvenanceLedger private immutable _ledger;
    IOrganizationRegistry private immutable _registry;

    mapping(bytes32 fingerprint => mapping(uint32 grantee => Grant)) private _grants;
    mapping(uint64 offerId => Offer) private _offers;
    /// The offer that may lock a record (open, or waiting for customs); stale once that offer ended or expired.
    mapping(bytes32 fingerprint => uint64 offerId) private _lockingOffer;

    uint64 private _grantCount;
    uint64 private _offerCount;
    /// One byte per class (class c at bits 8c..8c+7): its CrossBorderRule.
    uint32 private _classRules;

    /// @notice Deploys the rights module for `ledger_`, with the default class rules: public free, internal and
    ///         important cross-border only with customs approval, core never leaves its jurisdiction. They are set
    ///         silently (no event): the module is not yet attached, so it cannot chain a governance entry; readers
    ///         start from these documented defaults (the SDK's DEFAULT_CLASS_RULES) and apply ClassRuleChanged.
    /// @param ledger_ The ledger to serve (governance then attaches this module with `setRightsModule`).
    constructor(IProvenanceLedger ledger_) {
        _ledger = ledger_;
        _registry = IOrganizationRegistry(ledger_.registry());
        _classRules =
            (uint32(uint8(CrossBorderRule.Free)) << (8 * DataClasses.PUBLIC)) |
            (uint32(uint8(CrossBorderRule.Approval)) << (8 * DataClasses.INTERNAL)) |
            (uint32(uint8(CrossBorderRule.Approval)) << (8 * DataClasses.IMPORTANT)) |
            (uint32(uint8(CrossBorderRule.Forbidden)) << (8 * DataClasses.CORE));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Use grants
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataRights
    function issueGrant(
        bytes32 fingerprint,
        uint32 granteeOrg,
        uint8 scopes,
        bytes32 purposeHash,
        uint40 expiresAt
    ) external returns (uint64 grantId) {
        (uint32 owner, uint8 dataClass) = _requireLiveOwner(fingerprint, Roles.REGISTRAR);
        _checkScopes(scopes);
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt, block.timestamp);
        if (granteeOrg == owner) revert SelfDealing(fingerprint, owner);
        _requireNotUnderOffer(fingerprint);
        Grant storage grant = _grants[fingerprint][granteeOrg];
        if (_isOutstanding(grant)) revert GrantOutstanding(fingerprint, granteeOrg, grant.grantId, grant.status);
        (bool needsApproval, bytes8 exportJurisdiction) = _crossBorder(
            fingerprint,
            dataClass,
            _jurisdictionOf(owner),
            _activeCounterparty(granteeOrg, 0)
        );

        grantId = ++_grantCount;
        grant.grantId = grantId;
        grant.grantorOrg = owner;
        grant.scopes = scopes;
        grant.status = needsApproval ? GrantStatus.PendingCustoms : GrantStatus.Active;
        grant.expiresAt = expiresAt;
        grant.issuedAt = uint40(block.timestamp);
        grant.exportJurisdiction = exportJurisdiction;
        grant.purposeHash = purposeHash;
        _emitGrantIssued(fingerprint, granteeOrg, grant);
    }

    /// @inheritdoc IDataRights
    function revokeGrant(bytes32 fingerprint, uint32 granteeOrg, bytes32 reasonHash) external {
        // Any role: revoking only narrows what others may do, and a buyer that only trades must be able to.
        uint32 owner = _requireOwner(fingerprint, 0);
        Grant storage grant = _grants[fingerprint][granteeOrg];
        if (grant.status != GrantStatus.Active && grant.status != GrantStatus.PendingCustoms) {
            revert GrantNotRevocable(fingerprint, granteeOrg, grant.status);
        }
        grant.status = GrantStatus.Revoked;
        uint64 grantId = grant.grantId;
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.GRANT_REVOKED,
            abi.encode(fingerprint, granteeOrg, msg.sender, grantId, owner, reasonHash)
        );
        emit GrantRevoked(fingerprint, granteeOrg, msg.sender, grantId, owner, reasonHash, stamp);
    }

    /// @inheritdoc IDataRights
    function decideGrant(
        bytes32 fingerprint,
        uint32 granteeOrg,
        uint64 grantId,
        bool approve,
        bytes32 decisionHash
    ) external {
        Grant storage grant = _grants[fingerprint][granteeOrg];
        if (grant.grantId != grantId) revert GrantMismatch(fingerprint, granteeOrg, grant.grantId, grantId);
        if (grant.status != GrantStatus.PendingCustoms) revert GrantNotPendingCustoms(grantId, grant.status);
        uint32 customsOrg = _requireCustomsOf(grant.exportJurisdiction);
        if (approve) _requireApprovable(fingerprint, granteeOrg, customsOrg, grant.exportJurisdiction);
        grant.status = approve ? GrantStatus.Active : GrantStatus.Rejected;
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.GRANT_DECIDED,
            abi.encode(fingerprint, granteeOrg, msg.sender, grantId, customsOrg, approve, decisionHash)
        );
        emit GrantDecided(fingerprint, granteeOrg, msg.sender, grantId, customsOrg, approve, decisionHash, stamp);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transfers
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataRights
    function offerTransfer(
        bytes32 fingerprint,
        uint32 toOrg,
        bytes32 termsHash,
        uint40 expiresAt
    ) external returns (uint64 offerId) {
        (uint32 owner, uint8 dataClass) = _requireLiveOwner(fingerprint, Roles.TRADER);
        if (toOrg == owner) revert SelfDealing(fingerprint, owner);
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt, block.timestamp);
        _requireNotUnderOffer(fingerprint);
        // Refuse early what customs could never approve (the rule is checked again at acceptance).
        _crossBorder(fingerprint, dataClass, _jurisdictionOf(owner), _activeCounterparty(toOrg, Roles.TRADER));

        offerId = ++_offerCount;
        Offer storage offer = _offers[offerId];
        offer.fingerprint = fingerprint;
        offer.fromOrg = owner;
        offer.toOrg = toOrg;
        offer.status = OfferStatus.Open;
        offer.offeredAt = uint40(block.timestamp);
        offer.expiresAt = expiresAt;
        offer.termsHash = termsHash;
        _lockingOffer[fingerprint] = offerId;

        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.TRANSFER_OFFERED,
            abi.encode(fingerprint, toOrg, msg.sender, offerId, owner, termsHash, expiresAt)
        );
        emit TransferOffered(fingerprint, toOrg, msg.sender, offerId, owner, termsHash, expiresAt, stamp);
    }

    /// @inheritdoc IDataRights
    function cancelOffer(uint64 offerId, bytes32 reasonHash) external {
        uint32 org = _registry.requireRole(msg.sender, Roles.TRADER);
        Offer storage offer = _existingOffer(offerId);
        bytes32 fingerprint = offer.fingerprint;
        OfferStatus status = offer.status;
        if (status == OfferStatus.Open) {
            if (org != offer.fromOrg) revert NotOfferParty(offerId, org);
            // An expired offer may have been overtaken by a sale through a later one: only the owner cancels.
            (uint32 owner, , , ) = _ledger.recordStatus(fingerprint);
            if (owner != org) revert NotRecordOwner(fingerprint, owner, org);
        } else if (status == OfferStatus.AwaitingCustoms) {
            if (org != offer.fromOrg && org != offer.toOrg) revert NotOfferParty(offerId, org);
            uint40 reviewEndsAt = offer.acceptedAt + CUSTOMS_REVIEW_PERIOD;
            if (block.timestamp <= reviewEndsAt) revert CustomsReviewPending(offerId, reviewEndsAt);
        } else {
            revert OfferNotOpen(offerId, status);
        }
        offer.status = OfferStatus.Cancelled;
        _release(fingerprint, offerId);
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.TRANSFER_CANCELLED,
            abi.encode(fingerprint, org, msg.sender, offerId, reasonHash)
        );
        emit TransferCancelled(fingerprint, org, msg.sender, offerId, reasonHash, stamp);
    }

    /// @inheritdoc IDataRights
    function acceptOffer(uint64 offerId) external {
        uint32 org = _registry.requireRole(msg.sender, Roles.TRADER);
        Offer storage offer = _existingOffer(offerId);
        if (org != offer.toOrg) revert NotOfferParty(offerId, org);
        if (offer.status != OfferStatus.Open) revert OfferNotOpen(offerId, offer.status);
        if (block.timestamp > offer.expiresAt) revert OfferExpired(offerId, offer.expiresAt);
        // The offer locked the record, so its owner is still `fromOrg`.
        (bool needsApproval, bytes8 exportJurisdiction) = _clearance(offer.fingerprint, org);
        offer.status = needsApproval ? OfferStatus.AwaitingCustoms : OfferStatus.Completed;
        offer.exportJurisdiction = exportJurisdiction;
        offer.acceptedAt = uint40(block.timestamp);
        _emitAccepted(offer, offerId, needsApproval);
        if (!needsApproval) _completeTransfer(offer, offerId);
    }

    /// @inheritdoc IDataRights
    function decideTransfer(uint64 offerId, bool approve, bytes32 decisionHash) external {
        Offer storage offer = _existingOffer(offerId);
        if (offer.status != OfferStatus.AwaitingCustoms) revert OfferNotAwaitingCustoms(offerId, offer.status);
        uint32 customsOrg = _requireCustomsOf(offer.exportJurisdiction);
        bytes32 fingerprint = offer.fingerprint;
        if (approve) _requireApprovable(fingerprint, offer.toOrg, customsOrg, offer.exportJurisdiction);
        offer.status = approve ? OfferStatus.Completed : OfferStatus.Rejected;
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.TRANSFER_DECIDED,
            abi.encode(fingerprint, customsOrg, msg.sender, offerId, approve, decisionHash)
        );
        emit TransferDecided(fingerprint, customsOrg, msg.sender, offerId, approve, decisionHash, stamp);
        if (approve) {
            _completeTransfer(offer, offerId);
        } else {
            _release(fingerprint, offerId);
        }
    }

    /// @inheritdoc IDataRights
    function confirmDelivery(uint64 offerId, bytes32 receivedFingerprint) external {
        uint32 org = _registry.requireRole(msg.sender, Roles.TRADER);
        Offer storage offer = _existingOffer(offerId);
        if (org != offer.toOrg) revert NotOfferParty(offerId, org);
        if (offer.status != OfferStatus.Completed) revert DeliveryNotExpected(offerId, offer.status);
        bytes32 fingerprint = offer.fingerprint;
        bool matches = receivedFingerprint == fingerprint;
        if (matches) offer.status = OfferStatus.Delivered;
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.DELIVERY_REPORTED,
            abi.encode(fingerprint, org, msg.sender, offerId, receivedFingerprint, matches)
        );
        emit DeliveryReported(fingerprint, org, msg.sender, offerId, receivedFingerprint, matches, stamp);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Inspections
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataRights
    function attachFinding(bytes32 fingerprint, bytes32 findingHash) external {
        uint32 org = _registry.requireRole(msg.sender, Roles.INSPECTOR);
        IProvenanceLedger.TrailStamp memory stamp = _append(
            fingerprint,
            TrailActions.FINDING_ATTACHED,
            abi.encode(fingerprint, org, msg.sender, findingHash)
        );
        emit FindingAttached(fingerprint, org, msg.sender, findingHash, stamp);
    }

    /// @inheritdoc IDataRights
    function freeze(bytes32 fingerprint, bytes32 reasonHash) external {
        (uint32 org, IProvenanceLedger.TrailStamp memory stamp) = _changeFreeze(fingerprint, true, reasonHash);
        emit RecordFrozen(fingerprint, org, msg.sender, reasonHash, stamp);
    }

    /// @inheritdoc IDataRights
    function unfreeze(bytes32 fingerprint, bytes32 reasonHash) external {
        (uint32 org, IProvenanceLedger.TrailStamp memory stamp) = _changeFreeze(fingerprint, false, reasonHash);
        emit RecordUnfrozen(fingerprint, org, msg.sender, reasonHash, stamp);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataRights
    function setClassRule(uint8 dataClass, uint8 rule) external {
        _registry.requireGovernance(msg.sender);
        if (dataClass > DataClasses.MAX) revert UnknownDataClass(dataClass);
        if (rule > uint8(type(CrossBorderRule).max)) revert UnknownCrossBorderRule(rule);
        _setClassRule(dataClass, CrossBorderRule(rule));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataRights
    function authorization(
        bytes32 fingerprint,
        uint32 org,
        uint8 scope
    ) public view returns (Authorization verdict, uint64 grantId) {
        _checkScopes(scope);
        (uint32 owner, uint8 dataClass, bool withdrawn, bool frozen) = _ledger.recordStatus(fingerprint);
        if (withdrawn) return (Authorization.RecordWithdrawn, 0);
        if (frozen) return (Authorization.RecordFrozen, 0);
        (IOrganizationRegistry.Status orgStatus, bytes8 orgJurisdiction, ) = _registry.membership(org);
        if (orgStatus != IOrganizationRegistry.Status.Active) return (Authorization.OrganizationInactive, 0);
        if (org == owner) return (Authorization.Owner, 0);
        (IOrganizationRegistry.Status ownerStatus, bytes8 ownerJurisdiction, ) = _registry.membership(owner);
        if (ownerStatus != IOrganizationRegistry.Status.Active) return (Authorization.OwnerInactive, 0);
        Grant storage grant = _grants[fingerprint][org];
        grantId = grant.grantId;
        verdict = _grantVerdict(grant, scope);
        // Today's rules and jurisdictions apply to every grant, also one issued before a rule tightened or a sale.
        if (verdict == Authorization.Granted && ownerJurisdiction != orgJurisdiction) {
            CrossBorderRule rule = _ruleOf(dataClass);
            if (rule == CrossBorderRule.Forbidden) return (Authorization.CrossBorderForbidden, grantId);
            if (rule == CrossBorderRule.Approval && grant.exportJurisdiction != ownerJurisdiction) {
                return (Authorization.CustomsApprovalMissing, grantId);
            }
        }
    }

    /// @inheritdoc IDataRights
    function mayUse(bytes32 fingerprint, uint32 org, uint8 scope) external view returns (bool) {
        (Authorization verdict, ) = authorization(fingerprint, org, scope);
        return verdict == Authorization.Owner || verdict == Authorization.Granted;
    }

    /// @inheritdoc IDerivationPolicy
    function derivationGrant(bytes32 parent, uint32 childOrg) external view returns (uint256) {
        (Authorization verdict, uint64 grantId) = authorization(parent, childOrg, Scopes.DERIVE);
        if (verdict == Authorization.Owner) return 0;
        if (verdict != Authorization.Granted) revert DerivationRefused(parent, childOrg, verdict, grantId);
        return grantId;
    }

    /// @inheritdoc IDataRights
    function getGrant(bytes32 fingerprint, uint32 org) external view returns (Grant memory) {
        return _grants[fingerprint][org];
    }

    /// @inheritdoc IDataRights
    function getOffer(uint64 offerId) external view returns (Offer memory) {
        return _existingOffer(offerId);
    }

    /// @inheritdoc IDataRights
    function pendingOffer(bytes32 fingerprint) public view returns (uint64 offerId) {
        offerId = _lockingOffer[fingerprint];
        if (offerId == 0) return 0;
        Offer storage offer = _offers[offerId];
        bool pending =
            offer.status == OfferStatus.AwaitingCustoms ||
                (offer.status == OfferStatus.Open && block.timestamp <= offer.expiresAt);
        return pending ? offerId : 0;
    }

    /// @inheritdoc IDataRights
    function classRule(uint8 dataClass) external view returns (CrossBorderRule) {
        if (dataClass > DataClasses.MAX) revert UnknownDataClass(dataClass);
        return _ruleOf(dataClass);
    }

    /// @inheritdoc IDataRights
    function counts() external view returns (uint64 grants, uint64 offers) {
        return (_grantCount, _offerCount);
    }

    /// @inheritdoc IDataRights
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// The caller's organisation must hold `role` and own the record.
    function _requireOwner(bytes32 fingerprint, uint8 role) private view returns (uint32 owner) {
        uint32 org = _registry.requireRole(msg.sender, role);
        (owner, , , ) = _ledger.recordStatus(fingerprint);
        if (owner != org) revert NotRecordOwner(fingerprint, owner, org);
    }

    /// The caller's organisation must hold `role` and own the record, and the record must be live.
    function _requireLiveOwner(bytes32 fingerprint, uint8 role) private view returns (uint32 owner, uint8 dataClass) {
        uint32 org = _registry.requireRole(msg.sender, role);
        bool withdrawn;
        bool frozen;
        (owner, dataClass, withdrawn, frozen) = _ledger.recordStatus(fingerprint);
        if (owner != org) revert NotRecordOwner(fingerprint, owner, org);
        _requireLive(fingerprint, withdrawn, frozen);
    }

    function _requireLive(bytes32 fingerprint, bool withdrawn, bool frozen) private pure {
        if (withdrawn) revert RecordIsWithdrawn(fingerprint);
        if (frozen) revert RecordIsFrozen(fingerprint);
    }

    /// The caller must be a customs organisation of `jurisdiction`.
    function _requireCustomsOf(bytes8 jurisdiction) private view returns (uint32 customsOrg) {
        customsOrg = _registry.requireRole(msg.sender, Roles.CUSTOMS);
        bytes8 own = _jurisdictionOf(customsOrg);
        if (own != jurisdiction) revert NotCustomsOfJurisdiction(customsOrg, own, jurisdiction);
    }

    /// Before data moves from the record's owner to `toOrg` (an accepted transfer, or a customs approval that makes a
    /// grant or transfer live): the record must be live, both organisations active (a suspended one can neither give
    /// nor receive), and the class allowed to cross, with or without approval, under today's rules.
    function _clearance(
        bytes32 fingerprint,
        uint32 toOrg
    ) private view returns (bool needsApproval, bytes8 exportJurisdiction) {
        (uint32 owner, uint8 dataClass, bool withdrawn, bool frozen) = _ledger.recordStatus(fingerprint);
        _requireLive(fingerprint, withdrawn, frozen);
        return _crossBorder(fingerprint, dataClass, _activeCounterparty(owner, 0), _activeCounterparty(toOrg, 0));
    }

    /// Whether a flow of `dataClass` from `fromJurisdiction` to `toJurisdiction` needs customs approval (and whose);
    /// reverts if the class may not leave.
    function _crossBorder(
        bytes32 fingerprint,
        uint8 dataClass,
        bytes8 fromJurisdiction,
        bytes8 toJurisdiction
    ) private view returns (bool needsApproval, bytes8 exportJurisdiction) {
        if (fromJurisdiction == toJurisdiction) return (false, bytes8(0));
        CrossBorderRule rule = _ruleOf(dataClass);
        if (rule == CrossBorderRule.Forbidden) {
            revert CrossBorderForbidden(fingerprint, dataClass, fromJurisdiction, toJurisdiction);
        }
        if (rule == CrossBorderRule.Approval) return (true, fromJurisdiction);
        return (false, bytes8(0));
    }

    /// A customs approval must still be possible, and still be this customs' to give: the record may have been sold,
    /// or its owner moved, to another jurisdiction while the grant or transfer waited.
    function _requireApprovable(bytes32 fingerprint, uint32 toOrg, uint32 customsOrg, bytes8 reviewed) private view {
        (bool needsApproval, bytes8 exportJurisdiction) = _clearance(fingerprint, toOrg);
        if (needsApproval && exportJurisdiction != reviewed) {
            revert NotCustomsOfJurisdiction(customsOrg, reviewed, exportJurisdiction);
        }
    }

    /// The jurisdiction of `org`, which must be active and hold `role` (0 for any).
    function _activeCounterparty(uint32 org, uint8 role) private view returns (bytes8 jurisdiction) {
        (IOrganizationRegistry.Status status, bytes8 code, uint8 roles) = _registry.membership(org);
        if (status != IOrganizationRegistry.Status.Active) revert CounterpartyNotActive(org);
        if (roles & role != role) revert OrganizationLacksRole(org, role);
        return code;
    }

    function _jurisdictionOf(uint32 org) private view returns (bytes8 jurisdiction) {
        (, jurisdiction, ) = _registry.membership(org);
    }

    function _requireNotUnderOffer(bytes32 fingerprint) private view {
        uint64 offerId = pendingOffer(fingerprint);
        if (offerId != 0) revert RecordUnderOffer(fingerprint, offerId);
    }

    /// Pending, or active and not expired: a new grant to the same organisation would silently replace it.
    function _isOutstanding(Grant storage grant) private view returns (bool) {
        GrantStatus status = grant.status;
        return status == GrantStatus.PendingCustoms || (status == GrantStatus.Active && !_expired(grant.expiresAt));
    }

    function _grantVerdict(Grant storage grant, uint8 scope) private view returns (Authorization) {
        GrantStatus status = grant.status;
        if (status == GrantStatus.None) return Authorization.NoGrant;
        if (status == GrantStatus.PendingCustoms) return Authorization.GrantPendingCustoms;
        if (status == GrantStatus.Revoked) return Authorization.GrantRevoked;
        if (status == GrantStatus.Rejected) return Authorization.GrantRejected;
        if (_expired(grant.expiresAt)) return Authorization.GrantExpired;
        if (grant.scopes & scope != scope) return Authorization.ScopeNotGranted;
        return Authorization.Granted;
    }

    function _expired(uint40 expiresAt) private view returns (bool) {
        return expiresAt != 0 && block.timestamp > expiresAt;
    }

    function _checkScopes(uint8 scopes) private pure {
        if (scopes == 0 || scopes & ~Scopes.ALL != 0) revert InvalidScopes(scopes);
    }

    function _ruleOf(uint8 dataClass) private view returns (CrossBorderRule) {
        return CrossBorderRule(uint8(_classRules >> (8 * uint256(dataClass))));
    }

    /// An inspector freezes or unfreezes; both events have the same parameters, so the same payload encoding.
    function _changeFreeze(
        bytes32 fingerprint,
        bool freezing,
        bytes32 reasonHash
    ) private returns (uint32 org, IProvenanceLedger.TrailStamp memory stamp) {
        org = _registry.requireRole(msg.sender, Roles.INSPECTOR);
        (, , , bool frozen) = _ledger.recordStatus(fingerprint);
        if (freezing && frozen) revert RecordIsFrozen(fingerprint);
        if (!freezing && !frozen) revert RecordNotFrozen(fingerprint);
        stamp = _ledger.setFrozen(
            fingerprint,
            freezing,
            msg.sender,
            keccak256(abi.encode(fingerprint, org, msg.sender, reasonHash))
        );
    }

    function _setClassRule(uint8 dataClass, CrossBorderRule rule) private {
        CrossBorderRule previous = _ruleOf(dataClass);
        uint32 shift = 8 * uint32(dataClass);
        _classRules = (_classRules & ~(uint32(0xff) << shift)) | (uint32(uint8(rule)) << shift);
        // A class rule decides rights verdicts: chained into the ledger-wide chain, subject bytes32(dataClass).
        IProvenanceLedger.TrailStamp memory stamp = _ledger.appendGovernanceEntry(
            bytes32(uint256(dataClass)),
            TrailActions.CLASS_RULE_CHANGED,
            msg.sender,
            keccak256(abi.encode(dataClass, msg.sender, previous, rule))
        );
        emit ClassRuleChanged(dataClass, msg.sender, previous, rule, stamp);
    }

    function _existingOffer(uint64 offerId) private view returns (Offer storage offer) {
        offer = _offers[offerId];
        if (offer.status == OfferStatus.None) revert UnknownOffer(offerId);
    }

    function _release(bytes32 fingerprint, uint64 offerId) private {
        if (_lockingOffer[fingerprint] == offerId) delete _lockingOffer[fingerprint];
    }

    function _completeTransfer(Offer storage offer, uint64 offerId) private {
        bytes32 fingerprint = offer.fingerprint;
        uint32 fromOrg = offer.fromOrg;
        uint32 toOrg = offer.toOrg;
        _release(fingerprint, offerId);
        IProvenanceLedger.TrailStamp memory stamp = _ledger.transferRecord(
            fingerprint,
            toOrg,
            msg.sender,
            keccak256(abi.encode(fingerprint, toOrg, msg.sender, offerId, fromOrg))
        );
        emit OwnershipTransferred(fingerprint, toOrg, msg.sender, offerId, fromOrg, stamp);
    }

    /// Appends a rights entry for the caller; `parameters` is the ABI encoding of the event's parameters without
    /// the stamp, whose hash is the entry's payload hash.
    function _append(
        bytes32 fingerprint,
        uint8 action,
        bytes memory parameters
    ) private returns (IProvenanceLedger.TrailStamp memory) {
        return _ledger.appendRightsEntry(fingerprint, action, msg.sender, keccak256(parameters));
    }

    function _emitAccepted(Offer storage offer, uint64 offerId, bool awaitingCustoms) private {
        IProvenanceLedger.TrailStamp memory stamp = _append(
            offer.fingerprint,
            TrailActions.TRANSFER_ACCEPTED,
            abi.encode(
                offer.fingerprint,
                offer.toOrg,
                msg.sender,
                offerId,
                offer.fromOrg,
                awaitingCustoms,
                offer.exportJurisdiction
            )
        );
        emit TransferAccepted(
            offer.fingerprint,
            offer.toOrg,
            msg.sender,
            offerId,
            offer.fromOrg,
            awaitingCustoms,
            offer.exportJurisdiction,
            stamp
        );
    }

    function _emitGrantIssued(bytes32 fingerprint, uint32 granteeOrg, Grant storage grant) private {
        Grant memory g = grant;
        // Two static halves concatenated equal one abi.encode of all ten parameters (stack depth).
        bytes32 payloadHash = keccak256(
            bytes.concat(
                abi.encode(fingerprint, granteeOrg, msg.sender, g.grantId, g.grantorOrg),
                abi.encode(g.scopes, g.purposeHash, g.expiresAt, g.status, g.exportJurisdiction)
            )
        );
        IProvenanceLedger.TrailStamp memory stamp = _ledger.appendRightsEntry(
            fingerprint,
            TrailActions.GRANT_ISSUED,
            msg.sender,
            payloadHash
        );
        emit GrantIssued(
            fingerprint,
            granteeOrg,
            msg.sender,
            g.grantId,
            g.grantorOrg,
            g.scopes,
            g.purposeHash,
            g.expiresAt,
            g.status,
            g.exportJurisdiction,
            stamp
        );
    }
}
