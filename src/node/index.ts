/**
 * The local development ledger (`npm start`): a persistent anvil node, the demo consortium, and the whole stack
 * (deployment, indexer, query API) over it. See docs/local-ledger.md.
 */
export { LOCAL_CHAIN_ID, anvilArgs, anvilBinary, type AnvilFlagOptions } from "./anvil";
export {
  ACCOUNTS_NOTE,
  ANVIL_MNEMONIC,
  DEMO_ORGANIZATIONS,
  GOVERNANCE_ADDRESS_INDEX,
  anvilKey,
  localChain,
  onboardDemoConsortium,
  writeAccountsFile,
  type AccountsFile,
  type DemoOrganization,
  type DemoRole,
  type KeyPair,
  type OnboardParameters,
  type OnboardReturnType,
  type OrganizationAccount,
} from "./consortium";
export { LocalLedgerError, type LocalLedgerErrorCode } from "./errors";
export {
  DEFAULT_RPC_PORT,
  DEFAULT_STATE_INTERVAL_SECONDS,
  createLocalLedger,
  type LocalLedger,
  type LocalLedgerOptions,
} from "./ledger";
export { parseState, prepareState, refreshGoodCopy, stateFiles, type PreparedState, type StateFiles } from "./state";
export { HOME_FILES, startLocalStack, type LocalDeployment, type LocalStack, type LocalStackOptions } from "./stack";
