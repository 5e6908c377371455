import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkFingerprint, checkOptionalBytes32 } from "../../utils/check";

export type FreezeParameters = { fingerprint: Hex; reasonHash?: Hex };
export type FreezeReturnType = WriteResult<"RecordFrozen">;

/**
 * Freezes a record (inspector role): no grants, transfers or derivations until it is unfrozen.
 *
 * @example
 * await freeze(inspector, { fingerprint, reasonHash });
 */
export async function freeze(client: ProvledgerCoreClient, parameters: FreezeParameters): Promise<FreezeReturnType> {
  return client.send({
    contract: "rights",
    functionName: "freeze",
    args: [checkFingerprint(parameters.fingerprint), checkOptionalBytes32(parameters.reasonHash, "reasonHash")],
    eventName: "RecordFrozen",
  });
}
