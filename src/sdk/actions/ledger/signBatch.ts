import type { ProvledgerCoreClient, SignOptions } from "../../clients/types";
import { signBatch as sign, toBatch, type BatchInput } from "../../signing/batch";
import type { SignedEnvelope } from "../../signing/envelope";
import { envelopeParameters } from "../envelopeParameters";

export type SignBatchParameters = SignOptions & { batch: BatchInput };
export type SignBatchReturnType = SignedEnvelope;

/**
 * Signs a batch anchor with EIP-712 for someone else to relay (`anchorBatchBySig`); as `signRegistration`.
 *
 * @example
 * const envelope = await signBatch(client, { batch, account: key, validFor: 600 });
 */
export async function signBatch(
  client: ProvledgerCoreClient,
  parameters: SignBatchParameters,
): Promise<SignBatchReturnType> {
  const { batch, ...options } = parameters;
  const checked = toBatch(batch);
  const envelope = await envelopeParameters(client, { ...options, action: "signBatch" });
  try {
    return await sign({ ...envelope, batch: checked });
  } catch (error) {
    throw await client.decodeError(error, "signBatch");
  }
}
