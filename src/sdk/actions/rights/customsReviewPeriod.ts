import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type CustomsReviewPeriodParameters = BlockParameters;
export type CustomsReviewPeriodReturnType = number;

/**
 * Seconds customs has to decide an accepted cross-border transfer before a party may abandon it.
 *
 * @example
 * await customsReviewPeriod(client); // 2592000 (30 days)
 */
export async function customsReviewPeriod(
  client: ProvledgerCoreClient,
  parameters: CustomsReviewPeriodParameters = {},
): Promise<CustomsReviewPeriodReturnType> {
  return client.view({
    contract: "rights",
    functionName: "CUSTOMS_REVIEW_PERIOD",
    args: [],
    blockNumber: parameters.blockNumber,
  });
}
