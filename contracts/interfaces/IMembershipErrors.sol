// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Errors raised when a caller's membership does not permit an action
/// @notice Shared by the registry and every contract that asks it, so callers decode them from any of them.
interface IMembershipErrors {
    /// @notice `account` is not an operator of any organisation.
    error AccountNotMember(address account);
    /// @notice Organisation `orgId` is suspended (or does not exist): its keys can change nothing.
    error OrganizationNotActive(uint32 orgId);
    /// @notice Organisation `orgId` does not hold `role` (a `Roles` bit).
    error OrganizationLacksRole(uint32 orgId, uint8 role);
    /// @notice `account` is not the consortium governance.
    error NotGovernance(address account);
}
