// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IOrganizationRegistry} from "./interfaces/IOrganizationRegistry.sol";
import {IProvenanceLedger} from "./interfaces/IProvenanceLedger.sol";
import {Roles, TrailActions} from "./libraries/Codes.sol";

/// @title Consortium membership: organisations, their roles, jurisdictions and operator accounts
/// @notice Governance is the single `DEFAULT_ADMIN_ROLE` holder of OpenZeppelin's
///         AccessControlDefaultAdminRules: handing it over is two-step (begin, wait the delay, accept) and can
///         be cancelled, so a typo or a lost key cannot orphan the consortium. Every membership change is a
///         governance entry of the bound ledger's ledger-wide chain (`appendGovernanceEntry`, subject
///         bytes32(uint256(orgId))) and its event ends with the returned stamp; payloadHash = keccak256 of the
///         event's other parameters, ABI-encoded in declaration order.
contract OrganizationRegistry is AccessControlDefaultAdminRules, IOrganizationRegistry {
    /// @notice Longest organisation name, in bytes.
    uint256 public constant MAX_NAME_LENGTH = 64;
    /// @notice Most operator accounts one `registerOrganization` call may attach.
    uint256 public constant MAX_OPERATORS_PER_CALL = 32;

    mapping(uint32 orgId => Organization) private _organizations;
    mapping(address account => uint32 orgId) private _organizationOf;
    uint32 private _organizationCount;
    IProvenanceLedger private _ledger;

    /// @notice Deploys the registry with its first governance account.
    /// @param initialDelay Seconds a governance hand-over must wait between begin and accept.
    /// @param initialGovernance The consortium's governance account (ideally a multisig).
    constructor(
        uint48 initialDelay,
        address initialGovernance
    ) AccessControlDefaultAdminRules(initialDelay, initialGovernance) {}

    modifier onlyGovernance() {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) revert NotGovernance(msg.sender);
        _;
    }

    /// @inheritdoc IOrganizationRegistry
    function bindLedger(address ledger_) external onlyGovernance {
        address current = address(_ledger);
        if (current != address(0)) revert LedgerAlreadyBound(current);
        if (ledger_.code.length == 0) revert NotALedger(ledger_);
        address itsRegistry = IProvenanceLedger(ledger_).registry();
        if (itsRegistry != address(this)) revert LedgerOfOtherRegistry(ledger_, itsRegistry);
        _ledger = IProvenanceLedger(ledger_);
        emit LedgerBound(ledger_);
    }

    /// @inheritdoc IOrganizationRegistry
    function registerOrganization(
        string calldata name,
        bytes32 metadataHash,
        bytes8 jurisdiction,
        uint8 roles,
        address[] calldata operators
    ) external onlyGovernance returns (uint32 orgId) {
        _checkName(name);
        _checkJurisdiction(jurisdiction);
        _checkRoles(roles);
        if (operators.length > MAX_OPERATORS_PER_CALL) {
            revert TooManyOperators(operators.length, MAX_OPERATORS_PER_CALL);
        }
        orgId = ++_organizationCount;
        Organization storage org = _organizations[orgId];
        org.name = name;
        org.metadataHash = metadataHash;
        org.jurisdiction = jurisdiction;
        org.roles = roles;
        org.status = Status.Active;
        org.registeredAt = uint40(block.timestamp);
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.ORGANIZATION_REGISTERED,
            abi.encode(orgId, msg.sender, name, metadataHash, jurisdiction, roles)
        );
        emit OrganizationRegistered(orgId, msg.sender, name, metadataHash, jurisdiction, roles, stamp);
        for (uint256 i = 0; i < operators.length; ++i) {
            _addOperator(orgId, org, operators[i]);
        }
    }

    /// @inheritdoc IOrganizationRegistry
    function setOrganizationProfile(uint32 orgId, string calldata name, bytes32 metadataHash) external onlyGovernance {
        Organization storage org = _existing(orgId);
        _checkName(name);
        org.name = name;
        org.metadataHash = metadataHash;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.ORGANIZATION_PROFILE_CHANGED,
            abi.encode(orgId, msg.sender, name, metadataHash)
        );
        emit OrganizationProfileChanged(orgId, msg.sender, name, metadataHash, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function setOrganizationJurisdiction(uint32 orgId, bytes8 jurisdiction) external onlyGovernance {
        Organization storage org = _existing(orgId);
        _checkJurisdiction(jurisdiction);
        bytes8 previous = org.jurisdiction;
        org.jurisdiction = jurisdiction;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.JURISDICTION_CHANGED,
            abi.encode(orgId, msg.sender, previous, jurisdiction)
        );
        emit OrganizationJurisdictionChanged(orgId, msg.sender, previous, jurisdiction, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function setOrganizationRoles(uint32 orgId, uint8 roles) external onlyGovernance {
        Organization storage org = _existing(orgId);
        _checkRoles(roles);
        uint8 previous = org.roles;
        org.roles = roles;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.ROLES_CHANGED,
            abi.encode(orgId, msg.sender, previous, roles)
        );
        emit OrganizationRolesChanged(orgId, msg.sender, previous, roles, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function suspendOrganization(uint32 orgId, bytes32 reasonHash) external onlyGovernance {
        Organization storage org = _existing(orgId);
        if (org.status == Status.Suspended) revert StatusUnchanged(orgId, Status.Suspended);
        org.status = Status.Suspended;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.ORGANIZATION_SUSPENDED,
            abi.encode(orgId, msg.sender, reasonHash)
        );
        emit OrganizationSuspended(orgId, msg.sender, reasonHash, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function reinstateOrganization(uint32 orgId, bytes32 reasonHash) external onlyGovernance {
        Organization storage org = _existing(orgId);
        if (org.status == Status.Active) revert StatusUnchanged(orgId, Status.Active);
        org.status = Status.Active;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.ORGANIZATION_REINSTATED,
            abi.encode(orgId, msg.sender, reasonHash)
        );
        emit OrganizationReinstated(orgId, msg.sender, reasonHash, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function addOperator(uint32 orgId, address account) external {
        Organization storage org = _existing(orgId);
        _checkOperatorManager(orgId, org);
        _addOperator(orgId, org, account);
    }

    /// @inheritdoc IOrganizationRegistry
    function removeOperator(uint32 orgId, address account) external {
        Organization storage org = _existing(orgId);
        _checkOperatorManager(orgId, org);
        if (_organizationOf[account] != orgId) revert NotOperatorOf(account, orgId);
        delete _organizationOf[account];
        --org.operatorCount;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.OPERATOR_REMOVED,
            abi.encode(orgId, account, msg.sender)
        );
        emit OperatorRemoved(orgId, account, msg.sender, stamp);
    }

    /// @inheritdoc IOrganizationRegistry
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IOrganizationRegistry
    function organization(uint32 orgId) external view returns (Organization memory) {
        return _existing(orgId);
    }

    /// @inheritdoc IOrganizationRegistry
    function organizationOf(address account) external view returns (uint32) {
        return _organizationOf[account];
    }

    /// @inheritdoc IOrganizationRegistry
    function organizationCount() external view returns (uint32) {
        return _organizationCount;
    }

    /// @inheritdoc IOrganizationRegistry
    function jurisdictionOf(uint32 orgId) external view returns (bytes8) {
        return _organizations[orgId].jurisdiction;
    }

    /// @inheritdoc IOrganizationRegistry
    function membership(uint32 orgId) external view returns (Status status, bytes8 jurisdiction, uint8 roles) {
        Organization storage org = _organizations[orgId];
        return (org.status, org.jurisdiction, org.roles);
    }

    /// @inheritdoc IOrganizationRegistry
    function hasOrganizationRole(uint32 orgId, uint8 role) external view returns (bool) {
        Organization storage org = _organizations[orgId];
        return org.status == Status.Active && org.roles & role == role;
    }

    /// @inheritdoc IOrganizationRegistry
    function requireRole(address account, uint8 role) external view returns (uint32 orgId) {
        orgId = _organizationOf[account];
        if (orgId == 0) revert AccountNotMember(account);
        Organization storage org = _organizations[orgId];
        if (org.status != Status.Active) revert OrganizationNotActive(orgId);
        if (org.roles & role != role) revert OrganizationLacksRole(orgId, role);
    }

    /// @inheritdoc IOrganizationRegistry
    function requireGovernance(address account) external view {
        if (!hasRole(DEFAULT_ADMIN_ROLE, account)) revert NotGovernance(account);
    }

    function _addOperator(uint32 orgId, Organization storage org, address account) private {
        if (account == address(0)) revert ZeroAddressOperator();
        uint32 current = _organizationOf[account];
        if (current != 0) revert AccountAlreadyMember(account, current);
        _organizationOf[account] = orgId;
        ++org.operatorCount;
        IProvenanceLedger.TrailStamp memory stamp = _chain(
            orgId,
            TrailActions.OPERATOR_ADDED,
            abi.encode(orgId, account, msg.sender)
        );
        emit OperatorAdded(orgId, account, msg.sender, stamp);
    }

    /// Chains a membership change for the caller into the ledger-wide chain; `parameters` is the ABI encoding of
    /// the event's parameters without the stamp, whose hash is the entry's payload hash.
    function _chain(
        uint32 orgId,
        uint8 action,
        bytes memory parameters
    ) private returns (IProvenanceLedger.TrailStamp memory) {
        IProvenanceLedger ledger_ = _ledger;
        if (address(ledger_) == address(0)) revert LedgerNotBound();
        return ledger_.appendGovernanceEntry(bytes32(uint256(orgId)), action, msg.sender, keccak256(parameters));
    }

    /// Governance, or an operator of this same organisation while it is active (self-service key rotation).
    function _checkOperatorManager(uint32 orgId, Organization storage org) private view {
        if (hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) return;
        if (_organizationOf[msg.sender] != orgId) revert UnauthorizedOperatorManager(msg.sender, orgId);
        if (org.status != Status.Active) revert OrganizationNotActive(orgId);
    }

    function _existing(uint32 orgId) private view returns (Organization storage org) {
        org = _organizations[orgId];
        if (org.status == Status.None) revert UnknownOrganization(orgId);
    }

    function _checkName(string calldata name) private pure {
        uint256 length = bytes(name).length;
        if (length == 0 || length > MAX_NAME_LENGTH) revert InvalidName(length, MAX_NAME_LENGTH);
    }

    function _checkJurisdiction(bytes8 jurisdiction) private pure {
        if (jurisdiction == bytes8(0)) revert EmptyJurisdiction();
    }

    function _checkRoles(uint8 roles) private pure {
        if (roles & ~Roles.ALL != 0) revert InvalidRoles(roles);
    }
}
