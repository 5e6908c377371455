import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBigUint } from "../../utils/check";

export type AcceptOfferParameters = { offerId: number | bigint };
export type AcceptOfferReturnType = WriteResult<"TransferAccepted">;

/**
 * Accepts an offer (recipient, trader role); `events` also holds OwnershipTransferred unless customs decides.
 *
 * @example
 * const { event } = await acceptOffer(recipient, { offerId });
 * event.args.awaitingCustoms; // true if data customs must approve first
 */
export async function acceptOffer(
  client: ProvledgerCoreClient,
  parameters: AcceptOfferParameters,
): Promise<AcceptOfferReturnType> {
  return client.send({
    contract: "rights",
    functionName: "acceptOffer",
    args: [checkBigUint(parameters.offerId, 64, "offerId")],
    eventName: "TransferAccepted",
  });
}
