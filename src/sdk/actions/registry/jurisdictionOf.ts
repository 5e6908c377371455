import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkOrgId } from "../../utils/check";

export type JurisdictionOfParameters = { orgId: number } & BlockParameters;
export type JurisdictionOfReturnType = Hex;

/**
 * An organisation's jurisdiction as its bytes8 code (`decodeJurisdiction` makes it text).
 *
 * @example
 * decodeJurisdiction(await jurisdictionOf(client, { orgId: 2 })); // "HK"
 */
export async function jurisdictionOf(
  client: ProvledgerCoreClient,
  parameters: JurisdictionOfParameters,
): Promise<JurisdictionOfReturnType> {
  return client.view({
    contract: "registry",
    functionName: "jurisdictionOf",
    args: [checkOrgId(parameters.orgId, "orgId")],
    blockNumber: parameters.blockNumber,
  });
}
