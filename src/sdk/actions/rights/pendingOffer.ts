import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type PendingOfferParameters = { fingerprint: Hex } & BlockParameters;
export type PendingOfferReturnType = bigint;

/**
 * The offer locking a record (open and unexpired, or waiting for customs), 0n if none.
 *
 * @example
 * const offerId = await pendingOffer(client, { fingerprint });
 */
export async function pendingOffer(
  client: ProvledgerCoreClient,
  parameters: PendingOfferParameters,
): Promise<PendingOfferReturnType> {
  return client.view({
    contract: "rights",
    functionName: "pendingOffer",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
}
