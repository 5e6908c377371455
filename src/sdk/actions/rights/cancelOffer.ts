import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBigUint, checkOptionalBytes32 } from "../../utils/check";

export type CancelOfferParameters = { offerId: number | bigint; reasonHash?: Hex };
export type CancelOfferReturnType = WriteResult<"TransferCancelled">;

/**
 * Cancels an open offer (the owner), or abandons a transfer customs left undecided (either party).
 *
 * @example
 * await cancelOffer(client, { offerId, reasonHash });
 */
export async function cancelOffer(
  client: ProvledgerCoreClient,
  parameters: CancelOfferParameters,
): Promise<CancelOfferReturnType> {
  return client.send({
    contract: "rights",
    functionName: "cancelOffer",
    args: [checkBigUint(parameters.offerId, 64, "offerId"), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "TransferCancelled",
  });
}
