import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32 } from "../../utils/check";

export type WithdrawParameters = { fingerprint: Hex; reasonHash?: Hex };
export type WithdrawReturnType = WriteResult<"RecordWithdrawn">;

/**
 * Withdraws a record of the acting organisation (registrar role); it stays readable, marked withdrawn.
 *
 * @example
 * await withdraw(client, { fingerprint, reasonHash });
 */
export async function withdraw(
  client: ProvledgerCoreClient,
  parameters: WithdrawParameters,
): Promise<WithdrawReturnType> {
  return client.send({
    contract: "ledger",
    functionName: "withdraw",
    args: [checkFingerprint(parameters.fingerprint), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "RecordWithdrawn",
  });
}
