import { ProvledgerError, type ProvledgerErrorOptions } from "./base";

/** What went wrong talking to the chain, when it is not a revert. */
export type ClientErrorCode =
  /** No contract is deployed at a configured address. */
  | "NoContract"
  /** A configured address holds a contract that is not the expected part of this deployment. */
  | "WrongContract"
  /** The node is on another chain than the one expected. */
  | "ChainMismatch"
  /** A write was asked of a client without a wallet (or a wallet without an account). */
  | "NoWallet"
  /** A transaction was included but reverted, and re-simulating it did not tell why. */
  | "TransactionReverted"
  /** A transaction succeeded but did not emit the event its action always emits. */
  | "MissingEvent"
  /** The node or the wallet failed (network, rejected signature, insufficient funds, ...); see `retryable`. */
  | "RequestFailed";

/** A failure of the client other than a revert or a malformed argument: wrong deployment, no wallet, node faults. */
export class ProvledgerClientError extends ProvledgerError<ClientErrorCode> {
  override name = "ProvledgerClientError";
}

export type { ProvledgerErrorOptions };
