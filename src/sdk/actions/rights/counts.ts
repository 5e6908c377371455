import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";

export type CountsParameters = BlockParameters;
export type CountsReturnType = { grants: bigint; offers: bigint };

/**
 * Grants and offers issued so far.
 *
 * @example
 * const { grants, offers } = await counts(client);
 */
export async function counts(
  client: ProvledgerCoreClient,
  parameters: CountsParameters = {},
): Promise<CountsReturnType> {
  const [grants, offers] = await client.view({
    contract: "rights",
    functionName: "counts",
    args: [],
    blockNumber: parameters.blockNumber,
  });
  return { grants, offers };
}
