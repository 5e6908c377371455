// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Hash-chained audit trail entries
/// @notice The exact encodings an off-chain reader re-implements to prove it holds a complete, unaltered
///         history (see README, "Audit trail encoding"). Both chains start from bytes32(0).
library AuditTrail {
    /// @notice Next head of a record's trail.
    /// @param previousHead The trail's head before this entry (zero for the first).
    /// @param action `TrailActions` code.
    /// @param actor The acting account.
    /// @param time Block time.
    /// @param payloadHash Hash of the action's fields (README, "Audit trail encoding").
    /// @return keccak256(abi.encode(previousHead, action, actor, time, payloadHash))
    function recordEntry(
        bytes32 previousHead,
        uint8 action,
        address actor,
        uint64 time,
        bytes32 payloadHash
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(previousHead, action, actor, time, payloadHash));
    }

    /// @notice Next head of the ledger-wide chain, which links every record entry in the order it happened.
    /// @param previousHead The ledger head before this entry (zero for the first).
    /// @param sequence This entry's sequence number (from 1).
    /// @param subject The record's fingerprint (or batch root).
    /// @param recordHead The record's trail head after this entry.
    /// @return keccak256(abi.encode(previousHead, sequence, subject, recordHead))
    function ledgerEntry(
        bytes32 previousHead,
        uint64 sequence,
        bytes32 subject,
        bytes32 recordHead
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(previousHead, sequence, subject, recordHead));
    }
}
