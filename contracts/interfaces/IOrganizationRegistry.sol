// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMembershipErrors} from "./IMembershipErrors.sol";
import {IProvenanceLedger} from "./IProvenanceLedger.sol";

/// @title Member organisations of the consortium, their roles, jurisdictions and operator accounts
/// @notice The consortium governance onboards organisations; each organisation acts through its operator accounts.
///         Every membership change decides rights verdicts, so each is chained into its ledger's ledger-wide chain
///         (a standalone governance entry; README, "Audit trail encoding") and its event ends with the stamp:
///         the registry must be bound to its ledger (`bindLedger`) before the first change.
interface IOrganizationRegistry is IMembershipErrors {
    /// @notice Membership status of an organisation.
    enum Status {
        None,
        Active,
        Suspended
    }

    /// @notice An organisation: the unit of identity that owns records and holds roles.
    struct Organization {
        /// Short human-readable name, e.g. "Open Data Bureau".
        string name;
        /// Hash of an off-chain profile document (licence, contacts, ...).
        bytes32 metadataHash;
        /// Jurisdiction code, ASCII left-aligned, e.g. "CN-GD", "HK", "MO".
        bytes8 jurisdiction;
        /// `Roles` bit set.
        uint8 roles;
        Status status;
        /// Number of operator accounts currently attached.
        uint32 operatorCount;
        /// Block time of onboarding.
        uint40 registeredAt;
    }

    /// @notice Organisation `orgId` does not exist.
    error UnknownOrganization(uint32 orgId);
    /// @notice `account` already operates for organisation `orgId`; an account serves one organisation.
    error AccountAlreadyMember(address account, uint32 orgId);
    /// @notice `account` is not an operator of organisation `orgId`.
    error NotOperatorOf(address account, uint32 orgId);
    /// @notice `roles` has bits outside `Roles.ALL`.
    error InvalidRoles(uint8 roles);
    /// @notice The jurisdiction code is empty.
    error EmptyJurisdiction();
    /// @notice The name is empty or longer than `maxLength` bytes.
    error InvalidName(uint256 length, uint256 maxLength);
    /// @notice More operator accounts in one call than `maxCount`.
    error TooManyOperators(uint256 count, uint256 maxCount);
    /// @notice The zero address cannot be an operator.
    error ZeroAddressOperator();
    /// @notice `caller` may not manage the operators of organisation `orgId`: only governance or an operator
    ///         of that active organisation may.
    error UnauthorizedOperatorManager(address caller, uint32 orgId);
    /// @notice The organisation is already in the requested status.
    error StatusUnchanged(uint32 orgId, Status status);
    /// @notice The registry is already bound to ledger `current`; the binding is made once.
    error LedgerAlreadyBound(address current);
    /// @notice No ledger is bound yet: governance calls `bindLedger` before any membership change.
    error LedgerNotBound();
    /// @notice `ledger` belongs to registry `itsRegistry`, not to this one.
    error LedgerOfOtherRegistry(address ledger, address itsRegistry);
    /// @notice `account` has no code: it cannot be a ledger.
    error NotALedger(address account);

    /// @notice The registry was bound to its ledger, into whose ledger-wide chain every later change goes.
    /// @param ledger The ledger.
    event LedgerBound(address indexed ledger);
    /// @notice A new organisation joined the consortium.
    /// @param orgId Its id.
    /// @param actor The governance account.
    /// @param name Its short name.
    /// @param metadataHash Hash of its off-chain profile.
    /// @param jurisdiction Its jurisdiction code.
    /// @param roles Its `Roles` bit set.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationRegistered(
        uint32 indexed orgId,
        address indexed actor,
        string name,
        bytes32 metadataHash,
        bytes8 jurisdiction,
        uint8 roles,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice Name or profile changed.
    /// @param orgId The organisation.
    /// @param actor The governance account.
    /// @param name The new name.
    /// @param metadataHash The new profile hash.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationProfileChanged(
        uint32 indexed orgId,
        address indexed actor,
        string name,
        bytes32 metadataHash,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice Jurisdiction changed (cross-border rules follow the new one from now on).
    /// @param orgId The organisation.
    /// @param actor The governance account.
    /// @param previousJurisdiction The code before.
    /// @param jurisdiction The code now.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationJurisdictionChanged(
        uint32 indexed orgId,
        address indexed actor,
        bytes8 previousJurisdiction,
        bytes8 jurisdiction,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice Role set changed.
    /// @param orgId The organisation.
    /// @param actor The governance account.
    /// @param previousRoles The `Roles` bit set before.
    /// @param roles The `Roles` bit set now.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationRolesChanged(
        uint32 indexed orgId,
        address indexed actor,
        uint8 previousRoles,
        uint8 roles,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice The organisation was suspended: its keys can change nothing until reinstated.
    /// @param orgId The organisation.
    /// @param actor The governance account.
    /// @param reasonHash Hash of the decision document.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationSuspended(
        uint32 indexed orgId,
        address indexed actor,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice The organisation was reinstated.
    /// @param orgId The organisation.
    /// @param actor The governance account.
    /// @param reasonHash Hash of the decision document.
    /// @param stamp Ledger-wide chain position of this entry.
    event OrganizationReinstated(
        uint32 indexed orgId,
        address indexed actor,
        bytes32 reasonHash,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice `account` now operates for `orgId`, added by `by` (the entry's actor).
    /// @param orgId The organisation.
    /// @param account The operator account.
    /// @param by Governance or an operator of the organisation.
    /// @param stamp Ledger-wide chain position of this entry.
    event OperatorAdded(
        uint32 indexed orgId,
        address indexed account,
        address indexed by,
        IProvenanceLedger.TrailStamp stamp
    );
    /// @notice `account` no longer operates for `orgId`, removed by `by` (the entry's actor).
    /// @param orgId The organisation.
    /// @param account The former operator account.
    /// @param by Governance or an operator of the organisation.
    /// @param stamp Ledger-wide chain position of this entry.
    event OperatorRemoved(
        uint32 indexed orgId,
        address indexed account,
        address indexed by,
        IProvenanceLedger.TrailStamp stamp
    );

    /// @notice Binds the registry to its ledger, once. Governance only. The ledger must name this registry.
    ///         Until bound, every membership change reverts `LedgerNotBound`.
    /// @param ledger_ The ledger deployed for this registry.
    function bindLedger(address ledger_) external;

    /// @notice The ledger this registry is bound to (zero until `bindLedger`).
    /// @return The ledger's address.
    function ledger() external view returns (address);

    /// @notice Onboards an organisation. Governance only.
    /// @param name Short name (1..64 bytes).
    /// @param metadataHash Hash of the off-chain profile.
    /// @param jurisdiction Non-empty jurisdiction code.
    /// @param roles `Roles` bit set.
    /// @param operators Initial operator accounts (each not yet in any organisation; at most 32).
    /// @return orgId The new organisation's id (sequential from 1).
    function registerOrganization(
        string calldata name,
        bytes32 metadataHash,
        bytes8 jurisdiction,
        uint8 roles,
        address[] calldata operators
    ) external returns (uint32 orgId);

    /// @notice Changes an organisation's name and profile hash. Governance only.
    /// @param orgId The organisation.
    /// @param name New short name (1..64 bytes).
    /// @param metadataHash New profile hash.
    function setOrganizationProfile(uint32 orgId, string calldata name, bytes32 metadataHash) external;

    /// @notice Changes an organisation's jurisdiction. Governance only.
    /// @param orgId The organisation.
    /// @param jurisdiction New non-empty jurisdiction code.
    function setOrganizationJurisdiction(uint32 orgId, bytes8 jurisdiction) external;

    /// @notice Replaces an organisation's role set. Governance only.
    /// @param orgId The organisation.
    /// @param roles New `Roles` bit set.
    function setOrganizationRoles(uint32 orgId, uint8 roles) external;

    /// @notice Suspends an organisation: its keys can change nothing; everything stays readable. Governance only.
    /// @param orgId The organisation.
    /// @param reasonHash Hash of the decision document.
    function suspendOrganization(uint32 orgId, bytes32 reasonHash) external;

    /// @notice Reinstates a suspended organisation. Governance only.
    /// @param orgId The organisation.
    /// @param reasonHash Hash of the decision document.
    function reinstateOrganization(uint32 orgId, bytes32 reasonHash) external;

    /// @notice Adds an operator account (e.g. a rotated key). Governance, or an operator of the same active
    ///         organisation.
    /// @param orgId The organisation.
    /// @param account The new operator account (not yet in any organisation).
    function addOperator(uint32 orgId, address account) external;

    /// @notice Removes an operator account. The organisation keeps everything it owns. Governance, or an
    ///         operator of the same active organisation.
    /// @param orgId The organisation.
    /// @param account The operator account to detach.
    function removeOperator(uint32 orgId, address account) external;

    /// @notice The organisation `orgId`. Reverts `UnknownOrganization` if there is none.
    /// @param orgId The organisation.
    /// @return The organisation's profile, roles, status and operator count.
    function organization(uint32 orgId) external view returns (Organization memory);

    /// @notice The organisation `account` operates for, 0 if none.
    /// @param account Any account.
    /// @return orgId The organisation, or 0.
    function organizationOf(address account) external view returns (uint32 orgId);

    /// @notice Number of organisations ever registered (ids run from 1 to this).
    /// @return The count.
    function organizationCount() external view returns (uint32);

    /// @notice Jurisdiction of `orgId` (zero if unknown).
    /// @param orgId The organisation.
    /// @return The jurisdiction code.
    function jurisdictionOf(uint32 orgId) external view returns (bytes8);

    /// @notice Status, jurisdiction and roles of `orgId` in one storage read (status None if unknown).
    /// @param orgId The organisation.
    /// @return status Its membership status.
    /// @return jurisdiction Its jurisdiction code.
    /// @return roles Its `Roles` bit set.
    function membership(uint32 orgId) external view returns (Status status, bytes8 jurisdiction, uint8 roles);

    /// @notice Whether `orgId` is active and holds every bit of `role`.
    /// @param orgId The organisation.
    /// @param role `Roles` bits to check.
    /// @return Whether it may act in that role now.
    function hasOrganizationRole(uint32 orgId, uint8 role) external view returns (bool);

    /// @notice The organisation of `account` if it is active and holds `role`; reverts with
    ///         `AccountNotMember`, `OrganizationNotActive` or `OrganizationLacksRole` otherwise.
    /// @param account The acting account.
    /// @param role `Roles` bits the action needs.
    /// @return orgId The account's organisation.
    function requireRole(address account, uint8 role) external view returns (uint32 orgId);

    /// @notice Reverts `NotGovernance` unless `account` is the consortium governance.
    /// @param account The acting account.
    function requireGovernance(address account) external view;
}
