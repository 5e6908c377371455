import type { Address, Hex } from "viem";
import type { ProvledgerCoreClient, WriteResult } from "../../clients/types";
import { InvalidInputError } from "../../errors/input";
import { encodeJurisdiction } from "../../utils/jurisdiction";
import { checkAddress, checkOptionalBytes32, checkString, checkUint } from "../../utils/check";

export type RegisterOrganizationParameters = {
  name: string;
  /** Jurisdiction code, e.g. "CN-GD", "HK", "MO". */
  jurisdiction: string;
  /** `Role` bit set. */
  roles: number;
  /** Hash of the organisation's profile document; zero if left out. */
  metadataHash?: Hex;
  /** Its first operator accounts. */
  operators?: readonly Address[];
};
export type RegisterOrganizationReturnType = WriteResult<"OrganizationRegistered">;

/**
 * Onboards an organisation (governance). Its id is in `event.args.orgId`.
 *
 * @example
 * const { event } = await registerOrganization(client, {
 *   name: "Open Data Bureau",
 *   jurisdiction: "CN-GD",
 *   roles: Role.REGISTRAR | Role.TRADER,
 *   operators: [operator],
 * });
 * event.args.orgId; // 1
 */
export async function registerOrganization(
  client: ProvledgerCoreClient,
  parameters: RegisterOrganizationParameters,
): Promise<RegisterOrganizationReturnType> {
  const operators = parameters.operators ?? [];
  if (!Array.isArray(operators)) throw new InvalidInputError("operators", operators, "must be an array");
  return client.send({
    contract: "registry",
    functionName: "registerOrganization",
    args: [
      checkString(parameters.name, "name"),
      checkOptionalBytes32(parameters.metadataHash, "metadataHash"),
      encodeJurisdiction(parameters.jurisdiction),
      checkUint(parameters.roles, 8, "roles"),
      operators.map((operator: Address, i) => checkAddress(operator, `operators[${i}]`)),
    ],
    eventName: "OrganizationRegistered",
  });
}
