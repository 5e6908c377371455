import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type LatestVersionParameters = { fingerprint: Hex } & BlockParameters;
export type LatestVersionReturnType = { latest: Hex; isLatest: boolean };

/**
 * The latest version of a record, following its revisions.
 *
 * @example
 * const { latest, isLatest } = await latestVersion(client, { fingerprint });
 */
export async function latestVersion(
  client: ProvledgerCoreClient,
  parameters: LatestVersionParameters,
): Promise<LatestVersionReturnType> {
  const [latest, isLatest] = await client.view({
    contract: "ledger",
    functionName: "latestVersion",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
  return { latest, isLatest };
}
