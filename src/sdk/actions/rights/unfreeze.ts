import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32 } from "../../utils/check";

export type UnfreezeParameters = { fingerprint: Hex; reasonHash?: Hex };
export type UnfreezeReturnType = WriteResult<"RecordUnfrozen">;

/**
 * Unfreezes a record (inspector role).
 *
 * @example
 * await unfreeze(inspector, { fingerprint, reasonHash });
 */
export async function unfreeze(
  client: ProvledgerCoreClient,
  parameters: UnfreezeParameters,
): Promise<UnfreezeReturnType> {
  return client.send({
    contract: "rights",
    functionName: "unfreeze",
    args: [checkFingerprint(parameters.fingerprint), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "RecordUnfrozen",
  });
}
