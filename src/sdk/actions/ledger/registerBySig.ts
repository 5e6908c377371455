import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import type { SignedEnvelope } from "../../signing/envelope";
import { registerBySigArgs, type RegistrationInput } from "../../signing/registration";

export type RegisterBySigParameters = {
  registration: RegistrationInput;
  /** What the registrant's `signRegistration` returned. */
  envelope: SignedEnvelope;
};
export type RegisterBySigReturnType = WriteResult<"RecordRegistered">;

/**
 * Relays a registration signed by `envelope.signer` (anyone may relay; the signer is the registrant).
 *
 * @example
 * const envelope = parseEnvelope(json); // from the registrant's signRegistration
 * const { event } = await registerBySig(relayer, { registration, envelope });
 * event.args.registrant; // envelope.signer
 */
export async function registerBySig(
  client: ProvledgerCoreClient,
  parameters: RegisterBySigParameters,
): Promise<RegisterBySigReturnType> {
  return client.send({
    contract: "ledger",
    functionName: "registerBySig",
    args: registerBySigArgs(parameters),
    eventName: "RecordRegistered",
  });
}
