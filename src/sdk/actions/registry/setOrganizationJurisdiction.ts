import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { encodeJurisdiction } from "../../utils/jurisdiction";
import { checkOrgId } from "../../utils/check";

export type SetOrganizationJurisdictionParameters = {
  orgId: number;
  /** Jurisdiction code, e.g. "CN-GD", "HK", "MO". */
  jurisdiction: string;
};
export type SetOrganizationJurisdictionReturnType = WriteResult<"OrganizationJurisdictionChanged">;

/**
 * Moves an organisation to another jurisdiction, e.g. "HK" (governance).
 *
 * @example
 * await setOrganizationJurisdiction(client, { orgId: 3, jurisdiction: "MO" });
 */
export async function setOrganizationJurisdiction(
  client: ProvledgerCoreClient,
  parameters: SetOrganizationJurisdictionParameters,
): Promise<SetOrganizationJurisdictionReturnType> {
  return client.send({
    contract: "registry",
    functionName: "setOrganizationJurisdiction",
    args: [checkOrgId(parameters.orgId, "orgId"), encodeJurisdiction(parameters.jurisdiction)],
    eventName: "OrganizationJurisdictionChanged",
  });
}
