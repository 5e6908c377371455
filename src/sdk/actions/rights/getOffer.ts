import type { BlockParameters, ProvledgerCoreClient, ViewResult } from "../../clients/types";
import { checkBigUint } from "../../utils/check";

export type GetOfferParameters = { offerId: number | bigint } & BlockParameters;
export type GetOfferReturnType = ViewResult<"rights", "getOffer">;

/**
 * A transfer offer: the record, both parties, its status and times; throws UnknownOffer for an unknown id.
 *
 * @example
 * const { status, toOrg } = await getOffer(client, { offerId });
 */
export async function getOffer(
  client: ProvledgerCoreClient,
  parameters: GetOfferParameters,
): Promise<GetOfferReturnType> {
  return client.view({
    contract: "rights",
    functionName: "getOffer",
    args: [checkBigUint(parameters.offerId, 64, "offerId")],
    blockNumber: parameters.blockNumber,
  });
}
