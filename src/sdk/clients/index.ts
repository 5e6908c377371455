/**
 * The ledger client: a core (createProvledgerClient.ts) extended with one method per action (./decorators binding
 * src/sdk/actions), and adapters for EIP-1193 providers. The ethers adapter is src/sdk/ethers.ts's alone.
 */
export { createProvledgerClient, createProvledgerCoreClient, type ProvledgerClient } from "./createProvledgerClient";
export { ledgerActions, type LedgerActions } from "./decorators/ledger";
export { registryActions, type RegistryActions } from "./decorators/registry";
export { rightsActions, type RightsActions } from "./decorators/rights";
export { fromEip1193, type Eip1193Provider } from "./adapters/eip1193";
export type {
  AccountWalletClient,
  AdapterOptions,
  BlockParameters,
  ProvledgerClientOptions,
  ProvledgerCoreClient,
  ProvledgerLog,
  SendParameters,
  SignOptions,
  ViewArgs,
  ViewName,
  ViewParameters,
  ViewResult,
  WriteArgs,
  WriteName,
  WriteParameters,
  WriteResult,
} from "./types";
