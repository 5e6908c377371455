import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBigUint, checkBoolean, checkOptionalBytes32 } from "../../utils/check";

export type DecideTransferParameters = { offerId: number | bigint; approve: boolean; decisionHash?: Hex };
export type DecideTransferReturnType = WriteResult<"TransferDecided">;

/**
 * Approves or rejects an accepted cross-border transfer (customs of the exporting jurisdiction).
 *
 * @example
 * await decideTransfer(customs, { offerId, approve: true, decisionHash });
 */
export async function decideTransfer(
  client: ProvledgerCoreClient,
  parameters: DecideTransferParameters,
): Promise<DecideTransferReturnType> {
  return client.send({
    contract: "rights",
    functionName: "decideTransfer",
    args: [
      checkBigUint(parameters.offerId, 64, "offerId"),
      checkBoolean(parameters.approve, "approve"),
      checkOptionalBytes32(parameters.decisionHash, "decisionHash"),
    ],
    eventName: "TransferDecided",
  });
}
