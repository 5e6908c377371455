// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDerivationPolicy} from "../interfaces/IDerivationPolicy.sol";

/// @title Test double of a rights module: authorises derivations listed by the test, refuses the rest
/// @notice Test-only: not deployed by any script.
contract MockDerivationPolicy is IDerivationPolicy {
    /// @notice Refused: no grant was set for this parent and organisation.
    error NoGrant(bytes32 parent, uint32 org);

    mapping(bytes32 parent => mapping(uint32 org => uint256 grantId)) private _grants;

    /// @notice Lets `org` derive from `parent` under grant `grantId`.
    /// @param parent The parent fingerprint.
    /// @param org The deriving organisation.
    /// @param grantId The grant id to report (0 removes it).
    function setGrant(bytes32 parent, uint32 org, uint256 grantId) external {
        _grants[parent][org] = grantId;
    }

    /// @inheritdoc IDerivationPolicy
    function derivationGrant(bytes32 parent, uint32 childOrg) external view returns (uint256 grantId) {
        grantId = _grants[parent][childOrg];
        if (grantId == 0) revert NoGrant(parent, childOrg);
    }
}
