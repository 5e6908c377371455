import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkOrgId } from "../../utils/check";

export type MembershipParameters = { orgId: number } & BlockParameters;
export type MembershipReturnType = {
  /** `OrganizationStatus` code. */
  status: number;
  /** bytes8 jurisdiction code. */
  jurisdiction: Hex;
  /** `Role` bit set. */
  roles: number;
};

/**
 * What the contracts check of an organisation: its status, jurisdiction and roles.
 *
 * @example
 * const { status, roles } = await membership(client, { orgId: 3 });
 */
export async function membership(
  client: ProvledgerCoreClient,
  parameters: MembershipParameters,
): Promise<MembershipReturnType> {
  const [status, jurisdiction, roles] = await client.view({
    contract: "registry",
    functionName: "membership",
    args: [checkOrgId(parameters.orgId, "orgId")],
    blockNumber: parameters.blockNumber,
  });
  return { status, jurisdiction, roles };
}
