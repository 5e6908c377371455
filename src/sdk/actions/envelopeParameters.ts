import type { Address } from "viem";
import type { ProvledgerCoreClient, SignOptions } from "../clients/types";
import type { EnvelopeParameters } from "../signing/envelope";
import { signerAddress, type TypedDataSigner } from "../signing/signer";
import { InvalidInputError } from "../errors/input";
import { checkAddress, checkUint } from "../utils/check";
import { nonces } from "./ledger/nonces";
import { organizationOf } from "./registry/organizationOf";

export type EnvelopeParametersParameters = SignOptions & {
  /** The action errors are reported under. */
  action: string;
};

export type EnvelopeParametersReturnType = EnvelopeParameters & { account: TypedDataSigner; signer: Address };

/**
 * What binds a signature made through the client, read from the chain where the caller left it out: the key (the
 * client's wallet by default), the chain id, the signer's organisation (`organizationOf(signer)`), the signer's
 * next nonce, and a deadline `validFor` seconds (default an
 * hour) after the latest block's time. Shared by `signRegistration` and `signBatch`.
 *
 * @example
 * const { account, nonce, deadline } = await envelopeParameters(client, { action: "signRegistration" });
 */
export async function envelopeParameters(
  client: ProvledgerCoreClient,
  parameters: EnvelopeParametersParameters,
): Promise<EnvelopeParametersReturnType> {
  const { action } = parameters;
  const account = parameters.account ?? client.wallet(action).walletClient;
  const signer = parameters.signer === undefined ? signerAddress(account) : checkAddress(parameters.signer, "signer");
  const chainId = await client.verify();
  const nonce = parameters.nonce ?? (await nonces(client, { signer }));
  const org = parameters.org ?? (await organizationOf(client, { account: signer }));
  if (org === 0) {
    throw new InvalidInputError(
      "signer",
      signer,
      "operates for no organisation: the ledger would refuse the signature; sign with an operator key of a registrar",
    );
  }
  const validFor = checkUint(parameters.validFor ?? 3600, 32, "validFor");
  const deadline =
    parameters.deadline ??
    (await client.read("getBlock", () => client.publicClient.getBlock())).timestamp + BigInt(validFor);
  return { account, signer, chainId, org, nonce, deadline, ledger: client.addresses.ledger };
}
