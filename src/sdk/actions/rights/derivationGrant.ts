import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32, checkOrgId } from "../../utils/check";

export type DerivationGrantParameters = { parent: Hex; org: number } & BlockParameters;
export type DerivationGrantReturnType = bigint;

/**
 * The grant a derivation of `parent` by `org` would rely on (0 for the owner); throws DerivationRefused if none.
 *
 * @example
 * const grantId = await derivationGrant(client, { parent, org: 2 });
 */
export async function derivationGrant(
  client: ProvledgerCoreClient,
  parameters: DerivationGrantParameters,
): Promise<DerivationGrantReturnType> {
  return client.view({
    contract: "rights",
    functionName: "derivationGrant",
    args: [checkBytes32(parameters.parent, "parent"), checkOrgId(parameters.org, "org")],
    blockNumber: parameters.blockNumber,
  });
}
