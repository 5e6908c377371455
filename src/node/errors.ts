import { ProvledgerError } from "../sdk";

export type LocalLedgerErrorCode =
  /** No anvil binary for this platform (the npm package @foundry-rs/anvil is missing). */
  | "NoAnvil"
  /** The RPC port is taken by another process. */
  | "PortInUse"
  /** anvil exited, or did not answer, before it was ready. */
  | "NodeFailed"
  /** The chain's state file does not parse and there is no good copy to fall back to. */
  | "StateUnreadable"
  /** A setting (port, interval, home) cannot work. */
  | "InvalidConfig"
  /** A file in the home folder (deployment.json, accounts.json) is not what this code wrote. */
  | "BadHomeFile";

/** The local ledger could not start or stop: the message says what, the details how to fix it. */
export class LocalLedgerError extends ProvledgerError<LocalLedgerErrorCode> {
  override name = "LocalLedgerError";

  constructor(code: LocalLedgerErrorCode, message: string, options: { details?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
