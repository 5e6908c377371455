import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkBytes32 } from "../../utils/check";

export type RecordStatusParameters = { fingerprint: Hex } & BlockParameters;
export type RecordStatusReturnType = {
  ownerOrg: number;
  /** `DataClass` code. */
  dataClass: number;
  withdrawn: boolean;
  frozen: boolean;
};

/**
 * What the rights module checks of a record: its owner, class and flags.
 *
 * @example
 * const { ownerOrg, frozen } = await recordStatus(client, { fingerprint });
 */
export async function recordStatus(
  client: ProvledgerCoreClient,
  parameters: RecordStatusParameters,
): Promise<RecordStatusReturnType> {
  const [ownerOrg, dataClass, withdrawn, frozen] = await client.view({
    contract: "ledger",
    functionName: "recordStatus",
    args: [checkBytes32(parameters.fingerprint, "fingerprint")],
    blockNumber: parameters.blockNumber,
  });
  return { ownerOrg, dataClass, withdrawn, frozen };
}
