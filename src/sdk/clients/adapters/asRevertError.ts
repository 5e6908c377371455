import { RawContractError } from "viem";
import { revertDataOf } from "../../utils/revertData";

/**
 * Rethrows a revert that carries no JSON-RPC error code (Hardhat's in-process provider, ethers' CALL_EXCEPTION) as
 * viem's RawContractError: viem then decodes it as a revert and, since a revert is deterministic, does not retry it
 * (it retries errors without a code, with a backoff of about a second). Anything else is rethrown as it is.
 */
export function asRevertError(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  const data = typeof code === "number" ? undefined : revertDataOf(error);
  if (data === undefined) throw error;
  throw new RawContractError({ data, message: error instanceof Error ? error.message : "execution reverted" });
}
