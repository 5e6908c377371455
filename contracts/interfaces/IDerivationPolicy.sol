// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Decides whether an organisation may derive a dataset from another organisation's record
/// @notice The ledger asks its rights module this for every cross-organisation derived-from parent.
interface IDerivationPolicy {
    /// @notice The live grant that lets `childOrg` derive from `parent`; reverts with the rights module's own
    ///         error (naming the missing, expired, revoked or unapproved grant) if there is none.
    /// @param parent Fingerprint of the parent record (owned by another organisation).
    /// @param childOrg Organisation registering the derived record.
    /// @return grantId The grant relied on, recorded with the child's lineage.
    function derivationGrant(bytes32 parent, uint32 childOrg) external view returns (uint256 grantId);
}
