// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMembershipErrors} from "./IMembershipErrors.sol";
import {IRecordErrors} from "./IRecordErrors.sol";

/// @title Dataset fingerprints, lineage, tamper-evident per-record trails and batch anchors
/// @notice Records are keyed by fingerprint and never overwritten; every change extends hash-chained trails.
interface IProvenanceLedger is IMembershipErrors, IRecordErrors {
    /// @notice One declared parent of a record.
    struct ParentLink {
        bytes32 fingerprint;
        /// `Relations` code: 0 derived-from, 1 revision-of.
        uint8 relation;
    }

    /// @notice What a registrant submits to register a dataset.
    struct Registration {
        bytes32 fingerprint;
        /// `Schemes` code.
        uint8 scheme;
        /// `DataClasses` code: 0 public, 1 internal, 2 important, 3 core.
        uint8 dataClass;
        /// Hash of the dataset's metadata document (e.g. its RFC 8785 canonical JSON).
        bytes32 metadataHash;
        /// Optional short URI of the metadata (emitted, not stored).
        string metadataURI;
        ParentLink[] parents;
    }

    /// @notice The relay envelope of an EIP-712 signed submission.
    struct SignedEnvelope {
        /// The signing account (an EOA, or an ERC-1271 contract wallet such as a multisig).
        address signer;
        /// Chain the signer signed for (also bound by the EIP-712 domain).
        uint256 chainId;
        /// The signer's next nonce (`nonces(signer)`).
        uint256 nonce;
        /// Last block time at which the signature may be used.
        uint256 deadline;
        bytes signature;
    }

    /// @notice Trail positions after a state change, carried by every event that changes a record.
    struct TrailStamp {
        /// The record's (or batch's) trail head after this entry.
        bytes32 recordHead;
        /// Entries in that trail after this one.
        uint64 recordLength;
        /// Ledger-wide sequence number of this entry (first entry is 1).
        uint64 ledgerSequence;
        /// Ledger-wide head after this entry.
        bytes32 ledgerHead;
    }

    /// @notice A dataset record as stored.
    struct DatasetRecord {
        uint32 ownerOrg;
        /// The account that registered it (the signer, for signed submissions).
        address registrant;
        uint8 scheme;
        uint8 dataClass;
        bool withdrawn;
        bool frozen;
        bytes32 metadataHash;
        uint40 registeredAt;
        uint64 registeredBlock;
        bytes32 trailHead;
        uint64 trailLength;
        uint8 parentCount;
        /// The newer version that superseded this one, zero if it is the latest.
        bytes32 supersededBy;
    }

    /// @notice A batch anchor: one Merkle root covering many fingerprints.
    struct BatchAnchor {
        uint32 org;
        address registrant;
        uint64 leafCount;
        bytes32 metadataHash;
        uint40 anchoredAt;
        uint64 anchoredBlock;
    }

    /// @notice The fingerprint is zero.
    error ZeroFingerprint();
    /// @notice `scheme` is not a defined `Schemes` code.
    error UnknownFingerprintScheme(uint8 scheme);
    /// @notice `relation` is not a defined `Relations` code.
    error UnknownRelation(uint8 relation);
    /// @notice The metadata URI is `length` bytes, more than `maxLength`.
    error MetadataURITooLong(uint256 length, uint256 maxLength);
    /// @notice `count` parents declared, more than `maxCount`.
    error TooManyParents(uint256 count, uint256 maxCount);
    /// @notice `fingerprint` is already registered, by `ownerOrg` at block time `registeredAt`. Nothing is ever
    ///         overwritten.
    error AlreadyRegistered(bytes32 fingerprint, uint32 ownerOrg, uint40 registeredAt);
    /// @notice Parent `parent` is not registered: parents must exist first (this keeps lineage acyclic).
    error UnknownParent(bytes32 parent);
    /// @notice `parent` is listed more than once.
    error DuplicateParent(bytes32 parent);
    /// @notice More than one revision-of parent: a record revises at most one earlier version.
    error MultipleRevisionParents(bytes32 first, bytes32 second);
    /// @notice Revision-of parent `parent` belongs to `ownerOrg`, not to the registering `org`.
    error RevisionOfForeignRecord(bytes32 parent, uint32 ownerOrg, uint32 org);
    /// @notice `parent` was already superseded by `successor`: revise the latest version instead.
    error AlreadySuperseded(bytes32 parent, bytes32 successor);
    /// @notice Deriving from `parent`, owned by `ownerOrg`, needs that owner's authorisation for `org`.
    error DerivationNotAuthorized(bytes32 parent, uint32 ownerOrg, uint32 org);
    /// @notice The batch root is zero or the leaf count is zero.
    error EmptyBatch(bytes32 root, uint64 leafCount);
    /// @notice `root` was already anchored by `org` at block time `anchoredAt`.
    error BatchAlreadyAnchored(bytes32 root, uint32 org, uint40 anchoredAt);
    /// @notice No batch has root `root`.
    error UnknownBatch(bytes32 root);
    /// @notice The signature was made for chain `signedChainId`; this is chain `chainId`.
    error SignatureForOtherChain(uint256 signedChainId, uint256 chainId);
    /// @notice The signature's deadline `deadline` has passed (block time `time`).
    error SignatureExpired(uint256 deadline, uint256 time);
    /// @notice The signature is not a valid signature of `signer` over this submission.
    error InvalidSignature(address signer);
    /// @notice `caller` is not the rights module.
    error NotRightsModule(address caller);
    /// @notice The rights module is already set to `current`.
    error RightsModuleAlreadySet(address current);
    /// @notice `caller` may not append governance entries: only this ledger's registry and rights module may.
    error NotGovernanceSource(address caller);

    /// @notice A dataset was registered. `derivationGrants[i]` is the grant relied on for `parents[i]`
    ///         (0 when no grant was needed).
    /// @param fingerprint The record's key.
    /// @param ownerOrg The owning organisation.
    /// @param registrant The registering account (the signer, for signed submissions).
    /// @param scheme `Schemes` code.
    /// @param dataClass `DataClasses` code.
    /// @param metadataHash Hash of the metadata document.
    /// @param metadataURI Optional short URI of the metadata.
    /// @param parents Declared parents, in order.
    /// @param derivationGrants Grant relied on per parent (0 if none was needed).
    /// @param stamp Trail positions after this entry.
    event RecordRegistered(
        bytes32 indexed fingerprint,
        uint32 indexed ownerOrg,
        address indexed registrant,
        uint8 scheme,
        uint8 dataClass,
        bytes32 metadataHash,
        string metadataURI,
        ParentLink[] parents,
        uint256[] derivationGrants,
        TrailStamp stamp
    );
    /// @notice `fingerprint` was superseded by its new version `successor`.
    /// @param fingerprint The earlier version.
    /// @param ownerOrg Its owning organisation.
    /// @param actor The account that registered the new version.
    /// @param successor The new version.
    /// @param stamp Trail positions after this entry (on the earlier version's trail).
    event RecordSuperseded(
        bytes32 indexed fingerprint,
        uint32 indexed ownerOrg,
        address indexed actor,
        bytes32 successor,
        TrailStamp stamp
    );
    /// @notice `fingerprint` was withdrawn by its owner. It stays on the ledger with its history.
    /// @param fingerprint The record.
    /// @param ownerOrg Its owning organisation.
    /// @param actor The withdrawing account.
    /// @param reasonHash Hash of the reason document.
    /// @param stamp Trail positions after this entry.
    event RecordWithdrawn(
        bytes32 indexed fingerprint,
        uint32 indexed ownerOrg,
        address indexed actor,
        bytes32 reasonHash,
        TrailStamp stamp
    );
    /// @notice A Merkle root covering `leafCount` fingerprints was anchored.
    /// @param root The tree's root.
    /// @param org The anchoring organisation.
    /// @param registrant The anchoring account (the signer, for signed submissions).
    /// @param leafCount Fingerprints in the tree.
    /// @param metadataHash Hash of the batch manifest.
    /// @param metadataURI Optional short URI of the manifest.
    /// @param stamp The batch's one-entry trail head and the ledger-wide position.
    event BatchAnchored(
        bytes32 indexed root,
        uint32 indexed org,
        address indexed registrant,
        uint64 leafCount,
        bytes32 metadataHash,
        string metadataURI,
        TrailStamp stamp
    );
    /// @notice Governance attached the rights module (grants, transfers, customs, inspections).
    /// @param module The module's address.
    event RightsModuleSet(address indexed module);

    /// @notice Registers a dataset fingerprint owned by the caller's organisation (registrar role).
    /// @param registration The record's fields and its parents.
    /// @return stamp The record's trail position after registration.
    function register(Registration calldata registration) external returns (TrailStamp memory stamp);

    /// @notice Registers a dataset on behalf of `envelope.signer`, who signed it with EIP-712; anyone may relay.
    /// @param registration As for `register`.
    /// @param envelope Signer, chain id, nonce, deadline and signature.
    /// @return stamp The record's trail position after registration.
    function registerBySig(
        Registration calldata registration,
        SignedEnvelope calldata envelope
    ) external returns (TrailStamp memory stamp);

    /// @notice Withdraws a record of the caller's organisation (registrar role). It stays readable, marked.
    /// @param fingerprint The record.
    /// @param reasonHash Hash of the reason document.
    /// @return stamp The record's trail position after withdrawal.
    function withdraw(bytes32 fingerprint, bytes32 reasonHash) external returns (TrailStamp memory stamp);

    /// @notice Anchors a Merkle root (OpenZeppelin StandardMerkleTree over bytes32 values) for the caller's
    ///         organisation (registrar role).
    /// @param root The tree's root.
    /// @param leafCount Number of fingerprints in the tree.
    /// @param metadataHash Hash of the batch manifest.
    /// @param metadataURI Optional short URI of the manifest (emitted, not stored).
    /// @return stamp The batch's one-entry trail and the ledger-wide position.
    function anchorBatch(
        bytes32 root,
        uint64 leafCount,
        bytes32 metadataHash,
        string calldata metadataURI
    ) external returns (TrailStamp memory stamp);

    /// @notice Anchors a batch on behalf of `envelope.signer`, who signed it with EIP-712; anyone may relay.
    /// @param root As for `anchorBatch`.
    /// @param leafCount As for `anchorBatch`.
    /// @param metadataHash As for `anchorBatch`.
    /// @param metadataURI As for `anchorBatch`.
    /// @param envelope Signer, chain id, nonce, deadline and signature.
    /// @return stamp The batch's one-entry trail and the ledger-wide position.
    function anchorBatchBySig(
        bytes32 root,
        uint64 leafCount,
        bytes32 metadataHash,
        string calldata metadataURI,
        SignedEnvelope calldata envelope
    ) external returns (TrailStamp memory stamp);

    /// @notice Attaches the rights module once. Governance only.
    /// @param module The rights module (implements `IDerivationPolicy`).
    function setRightsModule(address module) external;

    /// @notice Appends a rights action (grant, transfer, customs decision, finding) to a record's trail. Rights
    ///         module only; the module emits the event that carries the returned stamp.
    /// @param fingerprint The record.
    /// @param action `TrailActions` code.
    /// @param actor The acting account.
    /// @param payloadHash keccak256 of the module event's parameters without its stamp.
    /// @return stamp The record's trail position after the entry.
    function appendRightsEntry(
        bytes32 fingerprint,
        uint8 action,
        address actor,
        bytes32 payloadHash
    ) external returns (TrailStamp memory stamp);

    /// @notice Appends a governance entry (an organisation's or a class rule's change) to the ledger-wide chain.
    ///         Registry and rights module only; the caller emits the event that carries the returned stamp. The
    ///         entry is a standalone one-entry trail, like a batch: recordHead = recordEntry(0, action, actor, time,
    ///         payloadHash), recordLength 1, then the ledger-wide step with `subject`.
    /// @param subject bytes32(uint256(orgId)) for organisation changes, bytes32(uint256(dataClass)) for class rules
    ///        (the event type, not the subject, says which kind of entry it is).
    /// @param action `TrailActions` code (17..25).
    /// @param actor The acting account.
    /// @param payloadHash keccak256 of the event's parameters without the stamp, ABI-encoded in order.
    /// @return stamp Trail positions after this entry.
    function appendGovernanceEntry(
        bytes32 subject,
        uint8 action,
        address actor,
        bytes32 payloadHash
    ) external returns (TrailStamp memory stamp);

    /// @notice Moves a live record to its new owner after a consented (and, if needed, approved) transfer, and
    ///         appends the OWNERSHIP_TRANSFERRED entry. Rights module only.
    /// @param fingerprint The record.
    /// @param newOwnerOrg The buying organisation.
    /// @param actor The acting account.
    /// @param payloadHash keccak256 of the module event's parameters without its stamp.
    /// @return stamp The record's trail position after the entry.
    function transferRecord(
        bytes32 fingerprint,
        uint32 newOwnerOrg,
        address actor,
        bytes32 payloadHash
    ) external returns (TrailStamp memory stamp);

    /// @notice Freezes or unfreezes a record and appends the FROZEN or UNFROZEN entry. Rights module only.
    /// @param fingerprint The record.
    /// @param frozen The new state.
    /// @param actor The acting inspector account.
    /// @param payloadHash keccak256 of the module event's parameters without its stamp.
    /// @return stamp The record's trail position after the entry.
    function setFrozen(
        bytes32 fingerprint,
        bool frozen,
        address actor,
        bytes32 payloadHash
    ) external returns (TrailStamp memory stamp);

    /// @notice What a rights decision needs of a record, in one storage read; reverts `UnknownRecord` if none.
    /// @param fingerprint The record.
    /// @return ownerOrg The owning organisation.
    /// @return dataClass Its `DataClasses` code.
    /// @return withdrawn Whether it was withdrawn.
    /// @return frozen Whether an inspector froze it.
    function recordStatus(
        bytes32 fingerprint
    ) external view returns (uint32 ownerOrg, uint8 dataClass, bool withdrawn, bool frozen);

    /// @notice Whether `fingerprint` is registered.
    /// @param fingerprint The record's key.
    /// @return Whether a record exists (withdrawn records still exist).
    function exists(bytes32 fingerprint) external view returns (bool);

    /// @notice The record of `fingerprint`; reverts `UnknownRecord` if none.
    /// @param fingerprint The record's key.
    /// @return The record's fields, status and trail position.
    function getRecord(bytes32 fingerprint) external view returns (DatasetRecord memory);

    /// @notice The declared parents of `fingerprint` and the grant each derivation relied on.
    /// @param fingerprint The record's key.
    /// @return parents The parents, in declaration order.
    /// @return derivationGrants Grant relied on per parent (0 if none was needed).
    function getParents(
        bytes32 fingerprint
    ) external view returns (ParentLink[] memory parents, uint256[] memory derivationGrants);

    /// @notice The record's trail head and its number of entries.
    /// @param fingerprint The record's key.
    /// @return head The trail head (zero if unknown).
    /// @return trailLength Entries in the trail (zero if unknown).
    function trailHead(bytes32 fingerprint) external view returns (bytes32 head, uint64 trailLength);

    /// @notice The ledger-wide head and sequence number (0 and 0 before the first entry).
    /// @return head The ledger-wide head.
    /// @return sequence Entries so far.
    function ledgerHead() external view returns (bytes32 head, uint64 sequence);

    /// @notice The latest version of the record (following revision-of links forward).
    /// @param fingerprint Any version.
    /// @return latest The latest version's fingerprint (`fingerprint` itself if not superseded).
    /// @return isLatest Whether `fingerprint` is the latest version.
    function latestVersion(bytes32 fingerprint) external view returns (bytes32 latest, bool isLatest);

    /// @notice The batch anchored under `root`; reverts `UnknownBatch` if none.
    /// @param root The tree's root.
    /// @return The anchor's organisation, registrant, size, manifest hash and time.
    function getBatch(bytes32 root) external view returns (BatchAnchor memory);

    /// @notice Whether `leaf` is in the anchored batch `root`, by its StandardMerkleTree inclusion proof.
    /// @param root An anchored root (reverts `UnknownBatch` otherwise).
    /// @param leaf The fingerprint.
    /// @param proof Its StandardMerkleTree proof.
    /// @return Whether the proof places `leaf` under `root`.
    function verifyBatchInclusion(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice The next nonce `signer` must sign.
    /// @param signer The signing account.
    /// @return The nonce.
    function nonces(address signer) external view returns (uint256);

    /// @notice The membership registry this ledger asks.
    /// @return The registry's address.
    function registry() external view returns (address);

    /// @notice The rights module (zero until attached).
    /// @return The module's address.
    function rightsModule() external view returns (address);
}
