// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Test double of an organisation's contract wallet (e.g. a multisig) that accepts its owner's signatures
/// @notice Test-only: not deployed by any script.
contract MockERC1271Wallet is IERC1271 {
    address private immutable _owner;

    /// @notice Deploys a wallet that accepts `owner_`'s signatures.
    /// @param owner_ The key whose signatures this wallet accepts.
    constructor(address owner_) {
        _owner = owner_;
    }

    /// @notice ERC-1271: valid when `signature` is the owner's signature of `hash`.
    /// @param hash The signed digest.
    /// @param signature The owner's ECDSA signature.
    /// @return The ERC-1271 magic value if valid, 0xffffffff otherwise.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, , ) = ECDSA.tryRecover(hash, signature);
        return recovered == _owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
