import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBigUint, checkFingerprint } from "../../utils/check";

export type ConfirmDeliveryParameters = { offerId: number | bigint; receivedFingerprint: Hex };
export type ConfirmDeliveryReturnType = WriteResult<"DeliveryReported">;

/**
 * Reports the fingerprint of what the new owner received (trader role); `event.args.matches` says if it is it.
 *
 * @example
 * const { event } = await confirmDelivery(recipient, { offerId, receivedFingerprint: fingerprintBytes(received) });
 * event.args.matches; // true if it is the record's data
 */
export async function confirmDelivery(
  client: ProvledgerCoreClient,
  parameters: ConfirmDeliveryParameters,
): Promise<ConfirmDeliveryReturnType> {
  return client.send({
    contract: "rights",
    functionName: "confirmDelivery",
    args: [
      checkBigUint(parameters.offerId, 64, "offerId"),
      checkFingerprint(parameters.receivedFingerprint, "receivedFingerprint"),
    ],
    eventName: "DeliveryReported",
  });
}
