/**
 * Provledger SDK, ethers v6 adapters (`provledger/ethers`): kept apart from the root so that users without ethers
 * install and type-check the SDK without it.
 */
export { ethersSignerToAccount, fromEthersSigner } from "./clients/adapters/ethers";
