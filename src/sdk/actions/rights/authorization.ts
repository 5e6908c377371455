import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32, checkOrgId, checkUint } from "../../utils/check";

export type AuthorizationParameters = {
  fingerprint: Hex;
  org: number;
  /** One `Scope` bit. */
  scope: number;
} & BlockParameters;
export type AuthorizationReturnType = {
  /** `Authorization` code. */
  verdict: number;
  /** The grant that decides it, 0n if none. */
  grantId: bigint;
};

/**
 * Whether `org` may exercise `scope` on a record now, and why: `verdict` is an `Authorization` code.
 *
 * @example
 * const { verdict, grantId } = await authorization(client, { fingerprint, org: 2, scope: Scope.DERIVE });
 * enumName("Authorization", verdict); // "Granted"
 */
export async function authorization(
  client: ProvledgerCoreClient,
  parameters: AuthorizationParameters,
): Promise<AuthorizationReturnType> {
  const [verdict, grantId] = await client.view({
    contract: "rights",
    functionName: "authorization",
    args: [
      checkBytes32(parameters.fingerprint, "fingerprint"),
      checkOrgId(parameters.org, "org"),
      checkUint(parameters.scope, 8, "scope"),
    ],
    blockNumber: parameters.blockNumber,
  });
  return { verdict, grantId };
}
