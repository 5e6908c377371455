/**
 * The contracts' ABIs, `as const` so that viem infers argument, return, event and error types. `generated.ts` is
 * written by `npm run abi` from the compiled contracts; this file only combines them.
 */
import type { ContractErrorName, ContractEventName, DecodeEventLogReturnType } from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "./generated";

export { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi };

/** Every function, event and error of the registry, the ledger and the rights module. */
export const provledgerAbi: readonly [
  ...typeof organizationRegistryAbi,
  ...typeof provenanceLedgerAbi,
  ...typeof dataRightsAbi,
] = [...organizationRegistryAbi, ...provenanceLedgerAbi, ...dataRightsAbi];

/** Solidity's built-in revert types: `revert("reason")`/`require(x, "reason")`, and panics (overflow, assert). */
export const solidityErrorsAbi = [
  { type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] },
  { type: "error", name: "Panic", inputs: [{ name: "code", type: "uint256" }] },
] as const;

/**
 * Every error a Provledger call can revert with. The ledger relays the rights module's refusals (`DerivationRefused`)
 * and every contract relays the registry's membership errors, so reverts are decoded with all three ABIs at once.
 */
export const provledgerErrorAbi: readonly [...typeof provledgerAbi, ...typeof solidityErrorsAbi] = [
  ...provledgerAbi,
  ...solidityErrorsAbi,
];

/**
 * Every event of the three contracts: the ledger-wide chain links the ledger's record entries, the rights module's
 * entries and the governance entries of the registry and the rights module, so a trail is read from all three
 * contracts' logs, merged in order.
 */
export const trailEventsAbi = provledgerAbi.filter(
  (item): item is Extract<(typeof provledgerAbi)[number], { type: "event" }> => item.type === "event",
);

/** The three contracts, by the role each plays in a deployment. */
export const contractAbis = {
  registry: organizationRegistryAbi,
  ledger: provenanceLedgerAbi,
  rights: dataRightsAbi,
} as const;

/** The name of any event of the three contracts. */
export type ProvledgerEventName = ContractEventName<typeof provledgerAbi>;
/** A decoded event of one of the three contracts, typed from the ABI: `{ eventName, args }`. */
export type ProvledgerEvent<E extends ProvledgerEventName = ProvledgerEventName> = DecodeEventLogReturnType<
  typeof provledgerAbi,
  E
>;
/** The name of any error a Provledger call can revert with. */
export type ProvledgerErrorName = ContractErrorName<typeof provledgerErrorAbi>;
