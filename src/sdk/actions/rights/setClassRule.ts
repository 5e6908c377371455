import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkUint } from "../../utils/check";

export type SetClassRuleParameters = {
  /** `DataClass` code. */
  dataClass: number;
  /** `Rule` code. */
  rule: number;
};
export type SetClassRuleReturnType = WriteResult<"ClassRuleChanged">;

/**
 * Sets a data class's cross-border `Rule` (governance).
 *
 * @example
 * await setClassRule(governance, { dataClass: DataClass.CORE, rule: Rule.FORBIDDEN });
 */
export async function setClassRule(
  client: ProvledgerCoreClient,
  parameters: SetClassRuleParameters,
): Promise<SetClassRuleReturnType> {
  return client.send({
    contract: "rights",
    functionName: "setClassRule",
    args: [checkUint(parameters.dataClass, 8, "dataClass"), checkUint(parameters.rule, 8, "rule")],
    eventName: "ClassRuleChanged",
  });
}
