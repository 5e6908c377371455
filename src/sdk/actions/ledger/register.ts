import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { toRegistration, type RegistrationInput } from "../../signing/registration";

export type RegisterParameters = RegistrationInput;
export type RegisterReturnType = WriteResult<"RecordRegistered">;

/**
 * Registers a dataset owned by the acting organisation (registrar role).
 *
 * @example
 * const { event } = await register(client, {
 *   fingerprint: fingerprintBytes(data),
 *   dataClass: DataClass.INTERNAL,
 *   parents: [{ fingerprint: previous, relation: Relation.REVISION_OF }],
 * });
 * event.args.stamp; // its place in the audit trail
 */
export async function register(
  client: ProvledgerCoreClient,
  parameters: RegisterParameters,
): Promise<RegisterReturnType> {
  return client.send({
    contract: "ledger",
    functionName: "register",
    args: [toRegistration(parameters)],
    eventName: "RecordRegistered",
  });
}
