import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32, checkOrgId, checkUint } from "../../utils/check";

export type MayUseParameters = {
  fingerprint: Hex;
  org: number;
  /** One `Scope` bit. */
  scope: number;
} & BlockParameters;
export type MayUseReturnType = boolean;

/**
 * Whether `org` may exercise `scope` on a record now (`authorization` says why).
 *
 * @example
 * await mayUse(client, { fingerprint, org: 2, scope: Scope.USE }); // true
 */
export async function mayUse(client: ProvledgerCoreClient, parameters: MayUseParameters): Promise<MayUseReturnType> {
  return client.view({
    contract: "rights",
    functionName: "mayUse",
    args: [
      checkBytes32(parameters.fingerprint, "fingerprint"),
      checkOrgId(parameters.org, "org"),
      checkUint(parameters.scope, 8, "scope"),
    ],
    blockNumber: parameters.blockNumber,
  });
}
