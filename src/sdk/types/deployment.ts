import type { Address } from "viem";

/** A deployment: the addresses of its three contracts (scripts/deploy.ts prints them). */
export interface ProvledgerAddresses {
  registry: Address;
  ledger: Address;
  rights: Address;
}

/** The role a contract plays in a deployment. */
export type ContractRole = keyof ProvledgerAddresses;
