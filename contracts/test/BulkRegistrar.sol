// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IProvenanceLedger} from "../interfaces/IProvenanceLedger.sol";

/// @title Test and benchmark helper: many real registrations in one transaction
/// @notice Test-only: not deployed by any script. Governance makes it an operator of a registrar organisation; each
///         call then registers `count` records (fingerprints derived from `seed`), every other one a revision of the
///         record before it, so that one transaction yields hundreds of real, chained ledger events for the
///         indexer's tests and catch-up benchmark.
contract BulkRegistrar {
    IProvenanceLedger private immutable _ledger;

    /// @notice Deploys the helper for one ledger.
    /// @param ledger_ The ledger to register on.
    constructor(IProvenanceLedger ledger_) {
        _ledger = ledger_;
    }

    /// @notice Registers `count` records with fingerprints keccak256(seed, i).
    /// @param seed Distinguishes calls (a fingerprint is registered once).
    /// @param count Records to register.
    /// @param revisions Whether every odd record revises the one before it (adds a RecordSuperseded event).
    function registerMany(bytes32 seed, uint256 count, bool revisions) external {
        bytes32 previous;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 fingerprint = keccak256(abi.encode(seed, i));
            IProvenanceLedger.ParentLink[] memory parents;
            if (revisions && i % 2 == 1) {
                parents = new IProvenanceLedger.ParentLink[](1);
                parents[0] = IProvenanceLedger.ParentLink(previous, 1);
            }
            _ledger.register(
                IProvenanceLedger.Registration(fingerprint, 0, 1, keccak256(abi.encode(fingerprint)), "", parents)
            );
            previous = fingerprint;
        }
    }
}
