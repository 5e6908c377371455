// SPDX-License-Identifier: Apache-2.0
// The ledger's code tables belong together: one file, one library per table.
// solhint-disable one-contract-per-file
pragma solidity 0.8.30;

/// @title Organisation roles
/// @notice Operational roles are held by organisations (not accounts) as a bit set. Governance is separate:
///         it is the registry's two-step default admin.
library Roles {
    /// @notice Registers datasets, declares lineage, withdraws records, anchors batches.
    uint8 internal constant REGISTRAR = 1;
    /// @notice Offers and accepts transfers (trades) and confirms deliveries.
    uint8 internal constant TRADER = 2;
    /// @notice Attaches findings, freezes and unfreezes records.
    uint8 internal constant INSPECTOR = 4;
    /// @notice Decides on cross-border transfers and grants for its own jurisdiction ("data customs").
    uint8 internal constant CUSTOMS = 8;
    /// @notice Every defined role bit; any other bit is invalid.
    uint8 internal constant ALL = 15;
}

/// @title Fingerprint schemes
/// @notice How a record's fingerprint was computed from the dataset.
library Schemes {
    /// @notice SHA-256 of the content: anyone holding the file can confirm it.
    uint8 internal constant SHA256 = 0;
    /// @notice keccak256(salt || sha256(content)) with a secret 32-byte salt: only salt holders can confirm.
    uint8 internal constant SALTED_SHA256 = 1;
    /// @notice Root of a Merkle manifest over a directory's files (relative path, size and hash per file).
    uint8 internal constant MANIFEST_ROOT = 2;
    /// @notice Highest defined scheme.
    uint8 internal constant MAX = 2;
}

/// @title Data classes (grades)
/// @notice Classification grades of the data market; rules per class live in the rights module.
library DataClasses {
    uint8 internal constant PUBLIC = 0;
    uint8 internal constant INTERNAL = 1;
    uint8 internal constant IMPORTANT = 2;
    uint8 internal constant CORE = 3;
    /// @notice Highest defined class.
    uint8 internal constant MAX = 3;
}

/// @title Lineage relations
/// @notice How a record relates to each declared parent.
library Relations {
    /// @notice The child was built from the parent (possibly another organisation's, with its authorisation).
    uint8 internal constant DERIVED_FROM = 0;
    /// @notice The child is a new version of the parent, which becomes superseded.
    uint8 internal constant REVISION_OF = 1;
}

/// @title Trail actions
/// @notice The action code that goes into every trail entry. Codes are never reused or renumbered.
library TrailActions {
    uint8 internal constant REGISTERED = 1;
    uint8 internal constant SUPERSEDED = 2;
    uint8 internal constant WITHDRAWN = 3;
    uint8 internal constant BATCH_ANCHORED = 4;
    uint8 internal constant GRANT_ISSUED = 5;
    uint8 internal constant GRANT_REVOKED = 6;
    uint8 internal constant GRANT_DECIDED = 7;
    uint8 internal constant TRANSFER_OFFERED = 8;
    uint8 internal constant TRANSFER_CANCELLED = 9;
    uint8 internal constant TRANSFER_ACCEPTED = 10;
    uint8 internal constant TRANSFER_DECIDED = 11;
    uint8 internal constant OWNERSHIP_TRANSFERRED = 12;
    uint8 internal constant DELIVERY_REPORTED = 13;
    uint8 internal constant FINDING_ATTACHED = 14;
    uint8 internal constant FROZEN = 15;
    uint8 internal constant UNFROZEN = 16;
    // Governance entries (standalone one-entry trails on the ledger-wide chain; see README, "Audit trail encoding").
    uint8 internal constant ORGANIZATION_REGISTERED = 17;
    uint8 internal constant ORGANIZATION_PROFILE_CHANGED = 18;
    uint8 internal constant JURISDICTION_CHANGED = 19;
    uint8 internal constant ROLES_CHANGED = 20;
    uint8 internal constant ORGANIZATION_SUSPENDED = 21;
    uint8 internal constant ORGANIZATION_REINSTATED = 22;
    uint8 internal constant OPERATOR_ADDED = 23;
    uint8 internal constant OPERATOR_REMOVED = 24;
    uint8 internal constant CLASS_RULE_CHANGED = 25;
}

/// @title Use-grant scopes
/// @notice A grant's scope is a bit set of these.
library Scopes {
    /// @notice Use the dataset in the authorised scenario.
    uint8 internal constant USE = 1;
    /// @notice Register datasets derived from it.
    uint8 internal constant DERIVE = 2;
    /// @notice Pass it on to third parties.
    uint8 internal constant REDISTRIBUTE = 4;
    /// @notice Every defined scope bit.
    uint8 internal constant ALL = 7;
}
