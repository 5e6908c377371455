// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IDerivationPolicy} from "./interfaces/IDerivationPolicy.sol";
import {IOrganizationRegistry} from "./interfaces/IOrganizationRegistry.sol";
import {IProvenanceLedger} from "./interfaces/IProvenanceLedger.sol";
import {AuditTrail} from "./libraries/AuditTrail.sol";
import {DataClasses, Relations, Roles, Schemes, TrailActions} from "./libraries/Codes.sol";

/// @title Provledger's ledger core: dataset records, lineage, per-record audit trails and batch anchors
/// @notice Records are keyed by fingerprint and never overwritten. Every state change of a record extends its
///         hash-chained trail and the ledger-wide chain; events carry both heads so that an off-chain reader can
///         prove it holds the complete history. See README, "Audit trail encoding".
contract ProvenanceLedger is IProvenanceLedger, EIP712, Nonces {
    /// @notice Most parents a record may declare.
    uint256 public constant MAX_PARENTS = 16;
    /// @notice Longest metadata URI, in bytes.
    uint256 public constant MAX_URI_LENGTH = 256;

    /// @notice EIP-712 type of one parent link.
    bytes32 public constant PARENT_LINK_TYPEHASH = keccak256("ParentLink(bytes32 fingerprint,uint8 relation)");
    /// @notice EIP-712 type of a signed registration.
    bytes32 public constant REGISTER_TYPEHASH = keccak256(
        "Register(address signer,uint32 org,bytes32 fingerprint,uint8 scheme,uint8 dataClass,bytes32 metadataHash,"
        "string metadataURI,ParentLink[] parents,uint256 chainId,uint256 nonce,uint256 deadline)"
        "ParentLink(bytes32 fingerprint,uint8 relation)"
    );
    /// @notice EIP-712 type of a signed batch anchor.
    bytes32 public constant ANCHOR_BATCH_TYPEHASH = keccak256(
        "AnchorBatch(address signer,uint32 org,bytes32 root,uint64 leafCount,bytes32 metadataHash,string metadataURI,"
        "uint256 chainId,uint256 nonce,uint256 deadline)"
    );

    uint8 private constant FLAG_WITHDRAWN = 1;
    uint8 private constant FLAG_FROZEN = 2;

    /// Packed into four slots. Slot 0 holds everything a lineage check reads and the trail length, so that
    /// advancing a trail touches slot 0 (already warm) and the head slot only.
    struct StoredRecord {
        address registrant;
        uint32 ownerOrg;
        uint40 trailLength;
        uint8 scheme;
        uint8 dataClass;
        uint8 flags;
        bytes32 metadataHash;
        bytes32 trailHead;
        uint40 registeredAt;
        uint64 registeredBlock;
        uint8 parentCount;
        /// Bit i set: parent i is revision-of.
        uint16 revisionMask;
    }

    struct StoredBatch {
        address registrant;
        uint32 org;
        uint40 anchoredAt;
        uint64 leafCount;
        uint64 anchoredBlock;
        bytes32 metadataHash;
    }

    IOrganizationRegistry private immutable _registry;

    mapping(bytes32 fingerprint => StoredRecord) private _records;
    mapping(bytes32 child => mapping(uint256 index => bytes32 parent)) private _parents;
    mapping(bytes32 child => mapping(uint256 index => uint256 grantId)) private _derivationGrants;
    mapping(bytes32 fingerprint => bytes32 successor) private _supersededBy;
    mapping(bytes32 root => StoredBatch) private _batches;

    bytes32 private _ledgerHead;
    uint64 private _ledgerSequence;
    address private _rightsModule;

    /// @notice Deploys the ledger bound to a membership registry.
    /// @param registry_ The consortium's membership registry.
    constructor(IOrganizationRegistry registry_) EIP712("Provledger", "1") {
        _registry = registry_;
    }

    modifier onlyRightsModule() {
        if (msg.sender != _rightsModule) revert NotRightsModule(msg.sender);
        _;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Registration
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceLedger
    function register(Registration calldata registration) external returns (TrailStamp memory) {
        uint32 org = _registry.requireRole(msg.sender, Roles.REGISTRAR);
        return _register(registration, org, msg.sender);
    }

    /// @inheritdoc IProvenanceLedger
    function registerBySig(
        Registration calldata registration,
        SignedEnvelope calldata envelope
    ) external returns (TrailStamp memory) {
        // The organisation the signer acts for is signed too: a key moved to another organisation cannot replay it.
        uint32 org = _registry.requireRole(envelope.signer, Roles.REGISTRAR);
        _verifyEnvelope(envelope, _registrationStructHash(registration, envelope, org));
        return _register(registration, org, envelope.signer);
    }

    /// @inheritdoc IProvenanceLedger
    function withdraw(bytes32 fingerprint, bytes32 reasonHash) external returns (TrailStamp memory stamp) {
        uint32 org = _registry.requireRole(msg.sender, Roles.REGISTRAR);
        StoredRecord storage record = _existingRecord(fingerprint);
        uint32 ownerOrg = record.ownerOrg;
        if (ownerOrg != org) revert NotRecordOwner(fingerprint, ownerOrg, org);
        _requireLive(fingerprint, record.flags);
        record.flags |= FLAG_WITHDRAWN;
        bytes32 payloadHash = keccak256(abi.encode(fingerprint, ownerOrg, msg.sender, reasonHash));
        stamp = _advance(fingerprint, record, TrailActions.WITHDRAWN, msg.sender, payloadHash);
        emit RecordWithdrawn(fingerprint, ownerOrg, msg.sender, reasonHash, stamp);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Batch anchoring
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceLedger
    function anchorBatch(
        bytes32 root,
        uint64 leafCount,
        bytes32 metadataHash,
        string calldata metadataURI
    ) external returns (TrailStamp memory) {
        uint32 org = _registry.requireRole(msg.sender, Roles.REGISTRAR);
        return _anchorBatch(root, leafCount, metadataHash, metadataURI, org, msg.sender);
    }

    /// @inheritdoc IProvenanceLedger
    function anchorBatchBySig(
        bytes32 root,
        uint64 leafCount,
        bytes32 metadataHash,
        string calldata metadataURI,
        SignedEnvelope calldata envelope
    ) external returns (TrailStamp memory) {
        uint32 org = _registry.requireRole(envelope.signer, Roles.REGISTRAR);
        bytes32 structHash = keccak256(
            bytes.concat(
                abi.encode(ANCHOR_BATCH_TYPEHASH, envelope.signer, org, root, leafCount, metadataHash),
                abi.encode(keccak256(bytes(metadataURI)), envelope.chainId, envelope.nonce, envelope.deadline)
            )
        );
        _verifyEnvelope(envelope, structHash);
        return _anchorBatch(root, leafCount, metadataHash, metadataURI, org, envelope.signer);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceLedger
    function setRightsModule(address module) external {
        _registry.requireGovernance(msg.sender);
        if (_rightsModule != address(0)) revert RightsModuleAlreadySet(_rightsModule);
        _rightsModule = module;
        emit RightsModuleSet(module);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rights module hooks
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceLedger
    function appendRightsEntry(
        bytes32 fingerprint,
        uint8 action,
        address actor,
        bytes32 payloadHash
    ) external onlyRightsModule returns (TrailStamp memory) {
        return _advance(fingerprint, _existingRecord(fingerprint), action, actor, payloadHash);
    }

    /// @inheritdoc IProvenanceLedger
    function appendGovernanceEntry(
        bytes32 subject,
        uint8 action,
        address actor,
        bytes32 payloadHash
    ) external returns (TrailStamp memory) {
        if (msg.sender != address(_registry) && msg.sender != _rightsModule) revert NotGovernanceSource(msg.sender);
        // Governance changes have no stored trail: each is a standalone one-entry trail on the ledger-wide chain.
        bytes32 entry = AuditTrail.recordEntry(bytes32(0), action, actor, uint64(block.timestamp), payloadHash);
        return _advanceLedger(subject, entry, 1);
    }

    /// @inheritdoc IProvenanceLedger
    function transferRecord(
        bytes32 fingerprint,
        uint32 newOwnerOrg,
        address actor,
        bytes32 payloadHash
    ) external onlyRightsModule returns (TrailStamp memory) {
        StoredRecord storage record = _existingRecord(fingerprint);
        _requireLive(fingerprint, record.flags);
        record.ownerOrg = newOwnerOrg;
        return _advance(fingerprint, record, TrailActions.OWNERSHIP_TRANSFERRED, actor, payloadHash);
    }

    /// @inheritdoc IProvenanceLedger
    function setFrozen(
        bytes32 fingerprint,
        bool frozen,
        address actor,
        bytes32 payloadHash
    ) external onlyRightsModule returns (TrailStamp memory) {
        StoredRecord storage record = _existingRecord(fingerprint);
        if (frozen) {
            record.flags |= FLAG_FROZEN;
        } else {
            record.flags &= ~FLAG_FROZEN;
        }
        return _advance(fingerprint, record, frozen ? TrailActions.FROZEN : TrailActions.UNFROZEN, actor, payloadHash);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IProvenanceLedger
    function exists(bytes32 fingerprint) external view returns (bool) {
        return _records[fingerprint].registrant != address(0);
    }

    /// @inheritdoc IProvenanceLedger
    function getRecord(bytes32 fingerprint) external view returns (DatasetRecord memory view_) {
        StoredRecord storage record = _existingRecord(fingerprint);
        view_.ownerOrg = record.ownerOrg;
        view_.registrant = record.registrant;
        view_.scheme = record.scheme;
        view_.dataClass = record.dataClass;
        view_.withdrawn = record.flags & FLAG_WITHDRAWN != 0;
        view_.frozen = record.flags & FLAG_FROZEN != 0;
        view_.metadataHash = record.metadataHash;
        view_.registeredAt = record.registeredAt;
        view_.registeredBlock = record.registeredBlock;
        view_.trailHead = record.trailHead;
        view_.trailLength = record.trailLength;
        view_.parentCount = record.parentCount;
        view_.supersededBy = _supersededBy[fingerprint];
    }

    /// @inheritdoc IProvenanceLedger
    function recordStatus(
        bytes32 fingerprint
    ) external view returns (uint32 ownerOrg, uint8 dataClass, bool withdrawn, bool frozen) {
        StoredRecord storage record = _existingRecord(fingerprint);
        uint8 flags = record.flags;
        return (record.ownerOrg, record.dataClass, flags & FLAG_WITHDRAWN != 0, flags & FLAG_FROZEN != 0);
    }

    /// @inheritdoc IProvenanceLedger
    function getParents(
        bytes32 fingerprint
    ) external view returns (ParentLink[] memory parents, uint256[] memory derivationGrants) {
        StoredRecord storage record = _existingRecord(fingerprint);
        uint256 count = record.parentCount;
        uint16 revisionMask = record.revisionMask;
        parents = new ParentLink[](count);
        derivationGrants = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            parents[i] = ParentLink(
                _parents[fingerprint][i],
                (revisionMask >> i) & 1 == 1 ? Relations.REVISION_OF : Relations.DERIVED_FROM
            );
            derivationGrants[i] = _derivationGrants[fingerprint][i];
        }
    }

    /// @inheritdoc IProvenanceLedger
    function trailHead(bytes32 fingerprint) external view returns (bytes32 head, uint64 trailLength) {
        StoredRecord storage record = _records[fingerprint];
        return (record.trailHead, record.trailLength);
    }

    /// @inheritdoc IProvenanceLedger
    function ledgerHead() external view returns (bytes32 head, uint64 sequence) {
        return (_ledgerHead, _ledgerSequence);
    }

    /// @inheritdoc IProvenanceLedger
    function latestVersion(bytes32 fingerprint) external view returns (bytes32 latest, bool isLatest) {
        _existingRecord(fingerprint);
        latest = fingerprint;
        // A view, so following the version chain is fine: each link was one paid registration.
        for (bytes32 next = _supersededBy[latest]; next != bytes32(0); next = _supersededBy[latest]) {
            latest = next;
        }
        isLatest = latest == fingerprint;
    }

    /// @inheritdoc IProvenanceLedger
    function getBatch(bytes32 root) external view returns (BatchAnchor memory) {
        StoredBatch storage batch = _existingBatch(root);
        return
            BatchAnchor(
                batch.org,
                batch.registrant,
                batch.leafCount,
                batch.metadataHash,
                batch.anchoredAt,
                batch.anchoredBlock
            );
    }

    /// @inheritdoc IProvenanceLedger
    function verifyBatchInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        _existingBatch(root);
        // StandardMerkleTree leaf encoding for a single bytes32 value: double-hashed against second preimages.
        bytes32 leafHash = keccak256(bytes.concat(keccak256(abi.encode(leaf))));
        return MerkleProof.verifyCalldata(proof, root, leafHash);
    }

    /// @inheritdoc IProvenanceLedger
    function nonces(address signer) public view override(IProvenanceLedger, Nonces) returns (uint256) {
        return super.nonces(signer);
    }

    /// @inheritdoc IProvenanceLedger
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IProvenanceLedger
    function rightsModule() external view returns (address) {
        return _rightsModule;
    }

    /// @notice The EIP-712 domain separator of this ledger on this chain.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    function _register(
        Registration calldata registration,
        uint32 org,
        address registrant
    ) private returns (TrailStamp memory stamp) {
        bytes32 fingerprint = registration.fingerprint;
        _checkRegistrationFields(registration);
        StoredRecord storage record = _records[fingerprint];
        if (record.registrant != address(0))
            revert AlreadyRegistered(fingerprint, record.ownerOrg, record.registeredAt);

        (uint16 revisionMask, bytes32 revised, uint256[] memory grants) = _linkParents(
            fingerprint,
            registration.parents,
            org
        );
        _storeRecord(record, registration, org, registrant, revisionMask);
        stamp = _advance(
            fingerprint,
            record,
            TrailActions.REGISTERED,
            registrant,
            _registrationPayloadHash(registration, org, registrant, grants)
        );
        _emitRegistered(registration, org, registrant, grants, stamp);
        if (revised != bytes32(0)) _supersede(revised, fingerprint, org, registrant);
    }

    function _storeRecord(
        StoredRecord storage record,
        Registration calldata registration,
        uint32 org,
        address registrant,
        uint16 revisionMask
    ) private {
        record.registrant = registrant;
        record.ownerOrg = org;
        record.registeredAt = uint40(block.timestamp);
        record.scheme = registration.scheme;
        record.dataClass = registration.dataClass;
        record.metadataHash = registration.metadataHash;
        record.registeredBlock = uint64(block.number);
        record.parentCount = uint8(registration.parents.length);
        record.revisionMask = revisionMask;
    }

    /// The payload rule of every trail entry: its event's parameters, ABI-encoded, without the stamp.
    function _registrationPayloadHash(
        Registration calldata registration,
        uint32 org,
        address registrant,
        uint256[] memory grants
    ) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    registration.fingerprint,
                    org,
                    registrant,
                    registration.scheme,
                    registration.dataClass,
                    registration.metadataHash,
                    registration.metadataURI,
                    registration.parents,
                    grants
                )
            );
    }

    function _emitRegistered(
        Registration calldata registration,
        uint32 org,
        address registrant,
        uint256[] memory grants,
        TrailStamp memory stamp
    ) private {
        emit RecordRegistered(
            registration.fingerprint,
            org,
            registrant,
            registration.scheme,
            registration.dataClass,
            registration.metadataHash,
            registration.metadataURI,
            registration.parents,
            grants,
            stamp
        );
    }

    /// The revised parent now points at its successor; that is a state change of the parent, on its trail.
    function _supersede(bytes32 revised, bytes32 successor, uint32 org, address actor) private {
        _supersededBy[revised] = successor;
        TrailStamp memory stamp = _advance(
            revised,
            _records[revised],
            TrailActions.SUPERSEDED,
            actor,
            keccak256(abi.encode(revised, org, actor, successor))
        );
        emit RecordSuperseded(revised, org, actor, successor, stamp);
    }

    function _checkRegistrationFields(Registration calldata registration) private pure {
        if (registration.fingerprint == bytes32(0)) revert ZeroFingerprint();
        if (registration.scheme > Schemes.MAX) revert UnknownFingerprintScheme(registration.scheme);
        if (registration.dataClass > DataClasses.MAX) revert UnknownDataClass(registration.dataClass);
        uint256 uriLength = bytes(registration.metadataURI).length;
        if (uriLength > MAX_URI_LENGTH) revert MetadataURITooLong(uriLength, MAX_URI_LENGTH);
        uint256 parentCount = registration.parents.length;
        if (parentCount > MAX_PARENTS) revert TooManyParents(parentCount, MAX_PARENTS);
    }

    /// Validates and stores the parents (bounded by MAX_PARENTS). Returns the revision bit mask, the revised
    /// parent (zero if none) and the grant relied on for each parent.
    function _linkParents(
        bytes32 fingerprint,
        ParentLink[] calldata parents,
        uint32 org
    ) private returns (uint16 revisionMask, bytes32 revised, uint256[] memory grants) {
        uint256 count = parents.length;
        grants = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            ParentLink calldata link = parents[i];
            for (uint256 j = 0; j < i; ++j) {
                if (parents[j].fingerprint == link.fingerprint) revert DuplicateParent(link.fingerprint);
            }
            uint256 grantId = _checkParent(link, org);
            if (link.relation == Relations.REVISION_OF) {
                if (revised != bytes32(0)) revert MultipleRevisionParents(revised, link.fingerprint);
                revised = link.fingerprint;
                revisionMask |= uint16(1 << i);
            }
            if (grantId != 0) {
                grants[i] = grantId;
                _derivationGrants[fingerprint][i] = grantId;
            }
            _parents[fingerprint][i] = link.fingerprint;
        }
    }

    /// A parent must exist and be live. A revision must be of the organisation's own latest version; a
    /// derivation from another organisation's record returns the grant that authorises it.
    function _checkParent(ParentLink calldata link, uint32 org) private view returns (uint256 grantId) {
        bytes32 parentFingerprint = link.fingerprint;
        StoredRecord storage parent = _records[parentFingerprint];
        if (parent.registrant == address(0)) revert UnknownParent(parentFingerprint);
        _requireLive(parentFingerprint, parent.flags);
        uint32 parentOwner = parent.ownerOrg;
        if (link.relation == Relations.REVISION_OF) {
            if (parentOwner != org) revert RevisionOfForeignRecord(parentFingerprint, parentOwner, org);
            bytes32 successor = _supersededBy[parentFingerprint];
            if (successor != bytes32(0)) revert AlreadySuperseded(parentFingerprint, successor);
        } else if (link.relation == Relations.DERIVED_FROM) {
            if (parentOwner != org) grantId = _derivationGrant(parentFingerprint, parentOwner, org);
        } else {
            revert UnknownRelation(link.relation);
        }
    }

    /// Cross-organisation derivation needs the parent owner's authorisation, which the rights module holds.
    function _derivationGrant(bytes32 parent, uint32 parentOwner, uint32 org) private view returns (uint256) {
        address module = _rightsModule;
        if (module == address(0)) revert DerivationNotAuthorized(parent, parentOwner, org);
        return IDerivationPolicy(module).derivationGrant(parent, org);
    }

    function _anchorBatch(
        bytes32 root,
        uint64 leafCount,
        bytes32 metadataHash,
        string calldata metadataURI,
        uint32 org,
        address registrant
    ) private returns (TrailStamp memory stamp) {
        if (root == bytes32(0) || leafCount == 0) revert EmptyBatch(root, leafCount);
        uint256 uriLength = bytes(metadataURI).length;
        if (uriLength > MAX_URI_LENGTH) revert MetadataURITooLong(uriLength, MAX_URI_LENGTH);
        StoredBatch storage batch = _batches[root];
        if (batch.anchoredAt != 0) revert BatchAlreadyAnchored(root, batch.org, batch.anchoredAt);
        batch.registrant = registrant;
        batch.org = org;
        batch.anchoredAt = uint40(block.timestamp);
        batch.leafCount = leafCount;
        batch.anchoredBlock = uint64(block.number);
        batch.metadataHash = metadataHash;

        // A batch is immutable, so its trail is the single anchoring entry; only the ledger-wide chain is stored.
        bytes32 payloadHash = keccak256(abi.encode(root, org, registrant, leafCount, metadataHash, metadataURI));
        bytes32 entry = AuditTrail.recordEntry(
            bytes32(0),
            TrailActions.BATCH_ANCHORED,
            registrant,
            uint64(block.timestamp),
            payloadHash
        );
        stamp = _advanceLedger(root, entry, 1);
        emit BatchAnchored(root, org, registrant, leafCount, metadataHash, metadataURI, stamp);
    }

    /// Appends one entry to the record's trail and to the ledger-wide chain.
    function _advance(
        bytes32 fingerprint,
        StoredRecord storage record,
        uint8 action,
        address actor,
        bytes32 payloadHash
    ) private returns (TrailStamp memory) {
        bytes32 head = AuditTrail.recordEntry(record.trailHead, action, actor, uint64(block.timestamp), payloadHash);
        uint40 length = record.trailLength + 1;
        record.trailHead = head;
        record.trailLength = length;
        return _advanceLedger(fingerprint, head, length);
    }

    function _advanceLedger(
        bytes32 subject,
        bytes32 recordHead,
        uint64 recordLength
    ) private returns (TrailStamp memory stamp) {
        uint64 sequence = _ledgerSequence + 1;
        bytes32 head = AuditTrail.ledgerEntry(_ledgerHead, sequence, subject, recordHead);
        _ledgerSequence = sequence;
        _ledgerHead = head;
        stamp = TrailStamp(recordHead, recordLength, sequence, head);
    }

    function _registrationStructHash(
        Registration calldata registration,
        SignedEnvelope calldata envelope,
        uint32 org
    ) private pure returns (bytes32) {
        ParentLink[] calldata parents = registration.parents;
        bytes32[] memory parentHashes = new bytes32[](parents.length);
        for (uint256 i = 0; i < parents.length; ++i) {
            parentHashes[i] = keccak256(abi.encode(PARENT_LINK_TYPEHASH, parents[i].fingerprint, parents[i].relation));
        }
        // Two abi.encode halves concatenated equal one abi.encode of all the static fields (stack depth).
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        REGISTER_TYPEHASH,
                        envelope.signer,
                        org,
                        registration.fingerprint,
                        registration.scheme,
                        registration.dataClass,
                        registration.metadataHash
                    ),
                    abi.encode(
                        keccak256(bytes(registration.metadataURI)),
                        keccak256(abi.encodePacked(parentHashes)),
                        envelope.chainId,
                        envelope.nonce,
                        envelope.deadline
                    )
                )
            );
    }

    /// Checks chain, deadline, nonce and signature, in that order, each with its own error.
    function _verifyEnvelope(SignedEnvelope calldata envelope, bytes32 structHash) private {
        if (envelope.chainId != block.chainid) revert SignatureForOtherChain(envelope.chainId, block.chainid);
        if (block.timestamp > envelope.deadline) revert SignatureExpired(envelope.deadline, block.timestamp);
        _useCheckedNonce(envelope.signer, envelope.nonce);
        if (!SignatureChecker.isValidSignatureNow(envelope.signer, _hashTypedDataV4(structHash), envelope.signature)) {
            revert InvalidSignature(envelope.signer);
        }
    }

    function _requireLive(bytes32 fingerprint, uint8 flags) private pure {
        if (flags & FLAG_WITHDRAWN != 0) revert RecordIsWithdrawn(fingerprint);
        if (flags & FLAG_FROZEN != 0) revert RecordIsFrozen(fingerprint);
    }

    function _existingRecord(bytes32 fingerprint) private view returns (StoredRecord storage record) {
        record = _records[fingerprint];
        if (record.registrant == address(0)) revert UnknownRecord(fingerprint);
    }

    function _existingBatch(bytes32 root) private view returns (StoredBatch storage batch) {
        batch = _batches[root];
        if (batch.anchoredAt == 0) revert UnknownBatch(root);
    }
}
