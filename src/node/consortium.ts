/**
 * The demo consortium of the local ledger: four organisations and governance, with keys from anvil's well-known test
 * mnemonic (public: development only), onboarded through the SDK client, and `<home>/accounts.json`, which
 * `npm run demo` and anyone trying the ledger read the keys from.
 *
 * | account    | organisation                   | jurisdiction | roles              |
 * |------------|--------------------------------|--------------|--------------------|
 * | governance | (the registry's admin)         |              |                    |
 * | agency     | Guangdong Public Data Agency   | CN-GD        | registrar, trader  |
 * | trader     | Hong Kong Data Exchange        | HK           | registrar, trader  |
 * | inspector  | Guangdong Market Regulator     | CN-GD        | inspector          |
 * | customs    | Guangdong Data Customs         | CN-GD        | customs            |
 *
 * No class rule is set: the rights module's defaults (DEFAULT_CLASS_RULES) already send internal and important data
 * that leaves CN-GD (to the Hong Kong exchange) to Guangdong data customs, keep core data in its jurisdiction and let
 * public data go freely, which is the journey the demo shows.
 *
 * Onboarding is idempotent: an organisation whose operator already operates for one is not registered again, so a
 * start that crashed half-way through onboards the rest the next time, and a restart registers nothing.
 */
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  toHex,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { Logger } from "pino";
import { createProvledgerClient, decodeJurisdiction, Role, type ProvledgerAddresses } from "../sdk";
import { LOCAL_CHAIN_ID } from "./anvil";
import { writeFileAtomic } from "./files";

/** anvil's (and Hardhat's) default mnemonic: every key derived from it is public. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export type DemoRole = "agency" | "trader" | "inspector" | "customs";

export type DemoOrganization = { name: string; jurisdiction: string; roles: number; addressIndex: number };

export const GOVERNANCE_ADDRESS_INDEX = 0;

export const DEMO_ORGANIZATIONS: Readonly<Record<DemoRole, DemoOrganization>> = Object.freeze({
  agency: {
    name: "Guangdong Public Data Agency",
    jurisdiction: "CN-GD",
    roles: Role.REGISTRAR | Role.TRADER,
    addressIndex: 1,
  },
  trader: { name: "Hong Kong Data Exchange", jurisdiction: "HK", roles: Role.REGISTRAR | Role.TRADER, addressIndex: 2 },
  inspector: { name: "Guangdong Market Regulator", jurisdiction: "CN-GD", roles: Role.INSPECTOR, addressIndex: 3 },
  customs: { name: "Guangdong Data Customs", jurisdiction: "CN-GD", roles: Role.CUSTOMS, addressIndex: 4 },
});

export type KeyPair = { address: Address; privateKey: Hex };
export type OrganizationAccount = KeyPair & { orgId: number; name: string; jurisdiction: string };

/** `<home>/accounts.json` */
export type AccountsFile = {
  chainId: number;
  rpcUrl: string;
  apiUrl: string;
  note: string;
  accounts: { governance: KeyPair } & Record<DemoRole, OrganizationAccount>;
};

export const ACCOUNTS_NOTE = "anvil's public test mnemonic: development only";

/** The key pair of anvil's mnemonic account `addressIndex`. */
export function anvilKey(addressIndex: number): KeyPair {
  const account = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });
  const privateKey = account.getHdKey().privateKey;
  if (!privateKey) throw new Error(`no private key for mnemonic account ${addressIndex}`);
  return { address: account.address, privateKey: toHex(privateKey) };
}

/**
 * The local chain as viem describes it (not viem/chains: its declarations need the DOM library), with zero fees.
 *
 * The fees are set before viem fills the transaction: viem (2.57) asks the node's `eth_fillTransaction`, and anvil
 * answers it, even with `--disable-min-priority-fee`, with a fee cap of 0 and a tip of 1 gwei, which viem then refuses
 * ("the provided tip cannot be higher than the fee cap"). A chain with zero fees (this one, a QBFT chain with
 * `zeroBaseFee`) costs nothing at a cap and tip of 0.
 */
export function localChain(rpcUrl: string): Chain {
  return defineChain({
    id: LOCAL_CHAIN_ID,
    name: "Provledger local ledger (anvil)",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    prepareTransactionRequest: [
      async (request) =>
        request.gasPrice !== undefined
          ? request
          : ({
              ...request,
              maxFeePerGas: request.maxFeePerGas ?? 0n,
              maxPriorityFeePerGas: request.maxPriorityFeePerGas ?? 0n,
            } as typeof request),
      { runAt: ["beforeFillTransaction"] },
    ],
  });
}

export type OnboardParameters = {
  rpcUrl: string;
  addresses: ProvledgerAddresses;
  logger?: Logger;
};

export type OnboardReturnType = {
  governance: KeyPair;
  organizations: Record<DemoRole, OrganizationAccount>;
  /** The organisations registered by this call (none on a restart). */
  registered: DemoRole[];
};

/** Onboards the demo organisations not yet onboarded (governance signs), through the SDK client. */
export async function onboardDemoConsortium(parameters: OnboardParameters): Promise<OnboardReturnType> {
  const { rpcUrl, addresses, logger } = parameters;
  const chain = localChain(rpcUrl);
  const governance = anvilKey(GOVERNANCE_ADDRESS_INDEX);
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50, cacheTime: 0 }) as PublicClient;
  const walletClient = createWalletClient({
    chain,
    transport,
    account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: GOVERNANCE_ADDRESS_INDEX }),
    pollingInterval: 50,
    cacheTime: 0,
  });
  const client = createProvledgerClient({ publicClient, walletClient, addresses, chainId: LOCAL_CHAIN_ID });

  const organizations = {} as Record<DemoRole, OrganizationAccount>;
  const registered: DemoRole[] = [];
  for (const [role, organization] of Object.entries(DEMO_ORGANIZATIONS) as [DemoRole, DemoOrganization][]) {
    const key = anvilKey(organization.addressIndex);
    let orgId = await client.organizationOf({ account: key.address });
    if (orgId === 0) {
      const { event } = await client.registerOrganization({
        name: organization.name,
        jurisdiction: organization.jurisdiction,
        roles: organization.roles,
        metadataHash: keccak256(toHex(organization.name)),
        operators: [key.address],
      });
      orgId = Number(event.args.orgId);
      registered.push(role);
      logger?.info({ role, orgId, name: organization.name, operator: key.address }, "organisation onboarded");
    }
    const onChain = await client.organization({ orgId });
    organizations[role] = {
      ...key,
      orgId,
      name: onChain.name,
      jurisdiction: decodeJurisdiction(onChain.jurisdiction) ?? organization.jurisdiction,
    };
  }
  return { governance, organizations, registered };
}

/** Writes `<home>/accounts.json`, readable by its owner only (it holds private keys, if public ones). */
export function writeAccountsFile(
  path: string,
  content: {
    rpcUrl: string;
    apiUrl: string;
    governance: KeyPair;
    organizations: Record<DemoRole, OrganizationAccount>;
  },
): AccountsFile {
  const file: AccountsFile = {
    chainId: LOCAL_CHAIN_ID,
    rpcUrl: content.rpcUrl,
    apiUrl: content.apiUrl,
    note: ACCOUNTS_NOTE,
    accounts: { governance: content.governance, ...content.organizations },
  };
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  return file;
}
