import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkOptionalBytes32, checkOrgId, checkString } from "../../utils/check";

export type SetOrganizationProfileParameters = { orgId: number; name: string; metadataHash?: Hex };
export type SetOrganizationProfileReturnType = WriteResult<"OrganizationProfileChanged">;

/**
 * Renames an organisation and replaces its profile hash (governance).
 *
 * @example
 * await setOrganizationProfile(client, { orgId: 3, name: "GD Exchange", metadataHash });
 */
export async function setOrganizationProfile(
  client: ProvledgerCoreClient,
  parameters: SetOrganizationProfileParameters,
): Promise<SetOrganizationProfileReturnType> {
  return client.send({
    contract: "registry",
    functionName: "setOrganizationProfile",
    args: [
      checkOrgId(parameters.orgId, "orgId"),
      checkString(parameters.name, "name"),
      checkOptionalBytes32(parameters.metadataHash, "metadataHash"),
    ],
    eventName: "OrganizationProfileChanged",
  });
}
