// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Errors about a dataset record's existence, status and ownership
/// @notice Shared by the ledger and the rights module, so callers decode them from either.
interface IRecordErrors {
    /// @notice No record has fingerprint `fingerprint`.
    error UnknownRecord(bytes32 fingerprint);
    /// @notice `fingerprint` has been withdrawn.
    error RecordIsWithdrawn(bytes32 fingerprint);
    /// @notice `fingerprint` is frozen by an inspector.
    error RecordIsFrozen(bytes32 fingerprint);
    /// @notice `fingerprint` is owned by `ownerOrg`, not by the caller's `org`.
    error NotRecordOwner(bytes32 fingerprint, uint32 ownerOrg, uint32 org);
    /// @notice `dataClass` is not a defined `DataClasses` code.
    error UnknownDataClass(uint8 dataClass);
}
