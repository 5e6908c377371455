import type { Hex } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { InvalidInputError } from "../../errors/input";
import { checkBytes32 } from "../../utils/check";

export type VerifyBatchInclusionParameters = { root: Hex; leaf: Hex; proof: readonly Hex[] } & BlockParameters;
export type VerifyBatchInclusionReturnType = boolean;

/**
 * Whether `proof` (a StandardMerkleTree proof) places fingerprint `leaf` under the anchored `root`.
 *
 * @example
 * await verifyBatchInclusion(client, { root: batch.tree.root, leaf, proof: batch.tree.proof(42) }); // true
 */
export async function verifyBatchInclusion(
  client: ProvledgerCoreClient,
  parameters: VerifyBatchInclusionParameters,
): Promise<VerifyBatchInclusionReturnType> {
  const { proof } = parameters;
  if (!Array.isArray(proof)) throw new InvalidInputError("proof", proof, "must be an array of bytes32");
  return client.view({
    contract: "ledger",
    functionName: "verifyBatchInclusion",
    args: [
      checkBytes32(parameters.root, "root"),
      checkBytes32(parameters.leaf, "leaf"),
      proof.map((node: Hex, i) => checkBytes32(node, `proof[${i}]`)),
    ],
    blockNumber: parameters.blockNumber,
  });
}
