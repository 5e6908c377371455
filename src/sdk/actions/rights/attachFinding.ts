import type { Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { checkBytes32, checkFingerprint } from "../../utils/check";

export type AttachFindingParameters = { fingerprint: Hex; findingHash: Hex };
export type AttachFindingReturnType = WriteResult<"FindingAttached">;

/**
 * Attaches a finding to a record (inspector role).
 *
 * @example
 * await attachFinding(inspector, { fingerprint, findingHash: metadataHash(report) });
 */
export async function attachFinding(
  client: ProvledgerCoreClient,
  parameters: AttachFindingParameters,
): Promise<AttachFindingReturnType> {
  return client.send({
    contract: "rights",
    functionName: "attachFinding",
    args: [checkFingerprint(parameters.fingerprint), checkBytes32(parameters.findingHash, "findingHash")],
    eventName: "FindingAttached",
  });
}
