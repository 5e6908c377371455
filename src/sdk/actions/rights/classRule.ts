import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkUint } from "../../utils/check";

export type ClassRuleParameters = {
  /** `DataClass` code. */
  dataClass: number;
} & BlockParameters;
export type ClassRuleReturnType = number;

/**
 * A data class's cross-border `Rule`.
 *
 * @example
 * await classRule(client, { dataClass: DataClass.CORE }); // Rule.FORBIDDEN
 */
export async function classRule(
  client: ProvledgerCoreClient,
  parameters: ClassRuleParameters,
): Promise<ClassRuleReturnType> {
  return client.view({
    contract: "rights",
    functionName: "classRule",
    args: [checkUint(parameters.dataClass, 8, "dataClass")],
    blockNumber: parameters.blockNumber,
  });
}
