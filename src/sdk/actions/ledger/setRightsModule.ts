import type { Address } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkAddress } from "../../utils/check";

export type SetRightsModuleParameters = { module: Address };
export type SetRightsModuleReturnType = WriteResult<"RightsModuleSet">;

/**
 * Attaches the rights module, once (governance).
 *
 * @example
 * await setRightsModule(client, { module: addresses.rights });
 */
export async function setRightsModule(
  client: ProvledgerCoreClient,
  parameters: SetRightsModuleParameters,
): Promise<SetRightsModuleReturnType> {
  return client.send({
    contract: "ledger",
    functionName: "setRightsModule",
    args: [checkAddress(parameters.module, "module")],
    eventName: "RightsModuleSet",
  });
}
