import { ProvledgerError } from "../sdk";

export type DeployErrorCode =
  /** The node serves another chain than the one asked for. */
  | "ChainMismatch"
  /** Bad parameters (key, address, delay, paths). */
  | "InvalidParameter"
  /** Ignition refused or failed the deployment (validation, reconciliation with the journal, execution). */
  | "IgnitionFailed"
  /** The node could not be reached or answered an error. */
  | "RpcFailed"
  /** The contracts could not be compiled or their artifacts read. */
  | "ArtifactsMissing";

/** The deployment could not be made or checked: the message says what and the details how to fix it. */
export class DeployError extends ProvledgerError<DeployErrorCode> {
  override name = "DeployError";

  constructor(code: DeployErrorCode, message: string, options: { details?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
