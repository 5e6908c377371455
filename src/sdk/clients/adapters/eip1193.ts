import { createPublicClient, createWalletClient, custom, type Account, type Address } from "viem";
import { InvalidInputError } from "../../errors/input";
import type { ProvledgerAddresses } from "../../types/deployment";
import { checkAddress, checkAddresses } from "../../utils/check";
import { decodeProvledgerError } from "../../utils/decodeProvledgerError";
import { createProvledgerClient, type ProvledgerClient } from "../createProvledgerClient";
import type { AdapterOptions } from "../types";
import { asRevertError } from "./asRevertError";

/** Anything with an EIP-1193 `request` (a browser wallet, `hre.network.provider`, a WalletConnect provider). */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/**
 * A client over an EIP-1193 provider. `account` is an address the provider signs for (a browser wallet's, or an
 * unlocked node account), or a viem Account that signs locally (e.g. `privateKeyToAccount`); if left out, the
 * provider's first account (`eth_accounts`), and a read-only client if it has none.
 *
 * @example
 * const client = await fromEip1193(window.ethereum, undefined, addresses, { chainId: 31337 });
 */
export async function fromEip1193(
  provider: Eip1193Provider,
  account: Address | Account | undefined,
  addresses: ProvledgerAddresses,
  options: AdapterOptions = {},
): Promise<ProvledgerClient> {
  if (typeof provider !== "object" || provider === null || typeof provider.request !== "function") {
    throw new InvalidInputError("provider", provider, "must be an EIP-1193 provider (an object with request())");
  }
  const checkedAddresses = checkAddresses(addresses);
  const transport = custom({
    request: (args: { method: string; params?: unknown }) => provider.request(args).catch(asRevertError),
  });
  const publicClient = createPublicClient({ transport, pollingInterval: options.pollingInterval });
  let acting: Address | Account | undefined = typeof account === "string" ? checkAddress(account, "account") : account;
  if (acting === undefined) {
    let accounts: unknown;
    try {
      accounts = await provider.request({ method: "eth_accounts" });
    } catch (error) {
      throw await decodeProvledgerError(error, { action: "connect" });
    }
    const first: unknown = Array.isArray(accounts) ? accounts[0] : undefined;
    if (first !== undefined) acting = checkAddress(first, "eth_accounts[0]");
  }
  const walletClient =
    acting === undefined
      ? undefined
      : createWalletClient({ transport, account: acting, pollingInterval: options.pollingInterval });
  return createProvledgerClient({ publicClient, walletClient, addresses: checkedAddresses, ...options });
}
