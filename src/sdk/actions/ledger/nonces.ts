import type { Address } from "viem";
import type { BlockParameters, ProvledgerCoreClient } from "../../clients/types";
import { checkAddress } from "../../utils/check";

export type NoncesParameters = { signer: Address } & BlockParameters;
export type NoncesReturnType = bigint;

/**
 * The next nonce `signer` must sign.
 *
 * @example
 * const nonce = await nonces(client, { signer: key.address });
 */
export async function nonces(client: ProvledgerCoreClient, parameters: NoncesParameters): Promise<NoncesReturnType> {
  return client.view({
    contract: "ledger",
    functionName: "nonces",
    args: [checkAddress(parameters.signer, "signer")],
    blockNumber: parameters.blockNumber,
  });
}
