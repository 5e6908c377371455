import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkAddress, checkUint } from "../../utils/check";

export type RequireRoleParameters = {
  account: Address;
  /** One `Role` bit. */
  role: number;
} & BlockParameters;
export type RequireRoleReturnType = number;

/**
 * The account's organisation if it may act in `role` now; throws the membership error that says why not.
 *
 * @example
 * const orgId = await requireRole(client, { account, role: Role.REGISTRAR });
 */
export async function requireRole(
  client: ProvledgerCoreClient,
  parameters: RequireRoleParameters,
): Promise<RequireRoleReturnType> {
  return client.view({
    contract: "registry",
    functionName: "requireRole",
    args: [checkAddress(parameters.account, "account"), checkUint(parameters.role, 8, "role")],
    blockNumber: parameters.blockNumber,
  });
}
