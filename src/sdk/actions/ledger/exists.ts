import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type ExistsParameters = { fingerprint: Hex } & BlockParameters;
export type ExistsReturnType = boolean;

/**
 * Whether a fingerprint is registered.
 *
 * @example
 * await exists(client, { fingerprint }); // true
 */
export async function exists(client: ProvledgerCoreClient, parameters: ExistsParameters): Promise<ExistsReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "exists",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
}
