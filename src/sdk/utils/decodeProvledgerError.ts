import { decodeErrorResult, type PublicClient } from "viem";
import { provledgerErrorAbi } from "../abi";
import { ProvledgerError } from "../errors/base";
import { ProvledgerClientError } from "../errors/client";
import {
  ContractRevertError,
  UnknownRevertError,
  type ProvledgerErrorArgs,
  type ProvledgerErrorName,
  type ProvledgerErrorParams,
} from "../errors/contract";
import { messageOf } from "../errors/messages";
import type { ProvledgerAddresses } from "../types/deployment";
import { Lookup } from "./lookup";
import { isRetryableFault } from "./retryable";
import { revertDataOf } from "./revertData";

/** What `decodeProvledgerError` may use to make its message specific. All optional. */
export interface ErrorContext {
  /** Used to look up organisation names, jurisdictions, offers and versions for the message (best effort). */
  publicClient?: PublicClient;
  /** Where to look them up; the registry is found through the ledger if left out. */
  addresses?: Partial<ProvledgerAddresses>;
  /** The SDK action that failed, recorded on the error. */
  action?: string;
}

/**
 * Turns whatever a call threw into a `ProvledgerError`: a `ContractRevertError` for the contracts' errors (message
 * in plain language, naming the cause and the fix), an `UnknownRevertError` for other revert data (kept), and a
 * `ProvledgerClientError` "RequestFailed" for failures that are not reverts (the original error is its `cause`; it is
 * `retryable` when the fault is transient: a timeout, a dropped connection, a rate limit, a 5xx).
 */
export async function decodeProvledgerError(error: unknown, context: ErrorContext = {}): Promise<ProvledgerError> {
  if (error instanceof ProvledgerError) return error;
  const options = { cause: error, action: context.action };
  const data = revertDataOf(error);
  if (data === undefined) {
    // viem's errors carry a one-line shortMessage (read as a field: an ES-module program's viem is another class).
    const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
    const detail = typeof short === "string" ? short : error instanceof Error ? error.message : String(error);
    const retryable = isRetryableFault(error);
    return new ProvledgerClientError(
      "RequestFailed",
      `${context.action ? `${context.action}: ` : ""}the request failed before reaching a contract (${detail})`,
      {
        ...options,
        retryable,
        details: retryable
          ? "the node or the network failed for now: retry later, and check that the node is up and reachable"
          : "check the node's URL, the signing account and its funds",
      },
    );
  }
  if (data === "0x") return new UnknownRevertError(data, options);
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: provledgerErrorAbi, data });
  } catch {
    return new UnknownRevertError(data, options);
  }
  const name = decoded.errorName as ProvledgerErrorName;
  const args = (decoded.args ?? []) as readonly unknown[];
  const params: Record<string, unknown> = {};
  decoded.abiItem.inputs.forEach((input, i) => {
    if (input.name) params[input.name] = args[i];
  });
  const lookup = new Lookup(context.publicClient, context.addresses ?? {});
  const message = await messageOf(name, params, lookup);
  return new ContractRevertError(
    name,
    message,
    {
      args: args as ProvledgerErrorArgs<typeof name>,
      params: params as ProvledgerErrorParams<typeof name>,
      data,
    },
    options,
  );
}
