import type { ProvledgerCoreClient, SignOptions } from "../../clients/types";
import type { SignedEnvelope } from "../../signing/envelope";
import { signRegistration as sign, toRegistration, type RegistrationInput } from "../../signing/registration";
import { envelopeParameters } from "../envelopeParameters";

export type SignRegistrationParameters = SignOptions & { registration: RegistrationInput };
export type SignRegistrationReturnType = SignedEnvelope;

/**
 * Signs a registration with EIP-712 for someone else to relay (`registerBySig`), with the client's wallet or `account`;
 * the chain id, the signer's nonce and a deadline an hour ahead are read from the chain. Nothing is sent.
 *
 * @example
 * const envelope = await signRegistration(client, { registration, account: hardwareWallet });
 * const json = serializeEnvelope(envelope); // for the relayer
 */
export async function signRegistration(
  client: ProvledgerCoreClient,
  parameters: SignRegistrationParameters,
): Promise<SignRegistrationReturnType> {
  const { registration, ...options } = parameters;
  const checked = toRegistration(registration);
  const envelope = await envelopeParameters(client, { ...options, action: "signRegistration" });
  try {
    return await sign({ ...envelope, registration: checked });
  } catch (error) {
    throw await client.decodeError(error, "signRegistration");
  }
}
