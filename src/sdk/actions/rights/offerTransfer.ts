import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32, checkOrgId, checkTime } from "../../utils/check";

export type OfferTransferParameters = {
  fingerprint: Hex;
  toOrg: number;
  termsHash?: Hex;
  /** Last block time (Date or seconds) at which the recipient may accept. */
  expiresAt: number | bigint | Date;
};
export type OfferTransferReturnType = WriteResult<"TransferOffered">;

/**
 * Offers a record of the acting organisation to `toOrg` (trader role). Id: `event.args.offerId`.
 *
 * @example
 * const { event } = await offerTransfer(client, { fingerprint, toOrg: 2, termsHash, expiresAt: tomorrow });
 */
export async function offerTransfer(
  client: ProvledgerCoreClient,
  parameters: OfferTransferParameters,
): Promise<OfferTransferReturnType> {
  return client.send({
    contract: "rights",
    functionName: "offerTransfer",
    args: [
      checkFingerprint(parameters.fingerprint),
      checkOrgId(parameters.toOrg, "toOrg"),
      checkOptionalBytes32(parameters.termsHash, "termsHash"),
      Number(checkTime(parameters.expiresAt, 40, "expiresAt")),
    ],
    eventName: "TransferOffered",
  });
}
