import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import type { ParentLink } from "../../signing/registration";
import { checkBytes32 } from "../../utils/check";

export type GetParentsParameters = { fingerprint: Hex } & BlockParameters;
export type GetParentsReturnType = {
  parents: readonly ParentLink[];
  /** One per parent: the grant the derivation used, 0n if none was needed. */
  derivationGrants: readonly bigint[];
};

/**
 * A record's parents and, for each, the grant its derivation relied on (0 for the owner's own data).
 *
 * @example
 * const { parents, derivationGrants } = await getParents(client, { fingerprint });
 */
export async function getParents(
  client: ProvledgerCoreClient,
  parameters: GetParentsParameters,
): Promise<GetParentsReturnType> {
  const [parents, derivationGrants] = await client.view({
    contract: "ledger",
    functionName: "getParents",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
  return { parents, derivationGrants };
}
