/**
 * The ledger client, in viem's style: a small core (the deployment, the viem clients, and the read/write machinery)
 * that decorators extend with one method per action (src/sdk/actions, bound in ./decorators).
 *
 * - Writes check their arguments (InvalidInputError, nothing sent), simulate (so a revert is decoded before anything
 *   is signed), send, wait for the receipt and return the decoded event (`WriteResult`).
 * - Every failure is a ProvledgerError: contract reverts by their Solidity name, with a message naming the cause and
 *   the fix (`decodeProvledgerError`).
 * - On first use the client checks that each address holds the expected contract of one deployment, on the expected
 *   chain (`verifyDeployment`).
 */
import { encodeFunctionData, type Abi, type Account, type Address, type Hex, type TransactionReceipt } from "viem";
import { contractAbis, type ProvledgerEventName } from "../abi";
import { verifyDeployment } from "../actions/verifyDeployment";
import type { ProvledgerError } from "../errors/base";
import { ProvledgerClientError } from "../errors/client";
import { ContractRevertError } from "../errors/contract";
import { checkAddresses } from "../utils/check";
import { decodeProvledgerError } from "../utils/decodeProvledgerError";
import { ledgerActions, type LedgerActions } from "./decorators/ledger";
import { registryActions, type RegistryActions } from "./decorators/registry";
import { rightsActions, type RightsActions } from "./decorators/rights";
import type { ContractRole } from "../types/deployment";
import type {
  AccountWalletClient,
  ProvledgerClientOptions,
  ProvledgerCoreClient,
  ViewName,
  ViewParameters,
  ViewResult,
  WriteParameters,
  WriteResult,
} from "./types";
import { writeResultOf } from "./writeResult";

/** The full client: the core and one method per action of the registry, the ledger and the rights module. */
export interface ProvledgerClient extends ProvledgerCoreClient, RegistryActions, LedgerActions, RightsActions {}

/**
 * Creates a client over viem clients. Addresses are checked now; the contracts on first use (or `verify()`).
 *
 * @example
 * const client = createProvledgerClient({ publicClient, walletClient, addresses, chainId: 31337 });
 * const { event } = await client.register({ fingerprint, dataClass: DataClass.PUBLIC });
 */
export function createProvledgerClient(options: ProvledgerClientOptions): ProvledgerClient {
  return createProvledgerCoreClient(options).extend(registryActions).extend(ledgerActions).extend(rightsActions);
}

/** The core alone, for a client with only the actions it needs (`core.extend(ledgerActions)`) or its own. */
export function createProvledgerCoreClient(options: ProvledgerClientOptions): ProvledgerCoreClient {
  const { publicClient, walletClient } = options;
  const addresses = checkAddresses(options.addresses);
  const chainId = options.chainId ?? walletClient?.chain?.id;

  const decodeError = (error: unknown, action = "call"): Promise<ProvledgerError> =>
    decodeProvledgerError(error, { publicClient, addresses, action });

  // Once; forgotten after a failure (e.g. while the node was down), so the next call checks again.
  let verified: Promise<number> | undefined;
  const verify = (): Promise<number> => {
    verified ??= verifyDeployment({ addresses, publicClient, decodeError }, { chainId }).catch((error: unknown) => {
      verified = undefined;
      throw error;
    });
    return verified;
  };

  const wallet = (action: string): { walletClient: AccountWalletClient; account: Account } => {
    const account = walletClient?.account;
    if (!walletClient || !account) {
      throw new ProvledgerClientError(
        "NoWallet",
        `${action} needs a signing account, but this client has none: create it with a walletClient that has an ` +
          "account (or fromEip1193 with an account, or fromEthersSigner)",
        { action },
      );
    }
    return { walletClient: walletClient as AccountWalletClient, account };
  };

  const read = async <T>(action: string, call: () => Promise<T>): Promise<T> => {
    await verify();
    try {
      return await call();
    } catch (error) {
      throw await decodeError(error, action);
    }
  };

  /** The simulation passed but the transaction reverted: the state changed in between. Says why, if it can. */
  const revertedOnChain = async (
    action: string,
    call: { account: Account; to: Address; data: Hex },
    receipt: TransactionReceipt,
  ): Promise<ProvledgerError> => {
    try {
      await publicClient.call({ ...call, blockNumber: receipt.blockNumber });
    } catch (error) {
      const decoded = await decodeError(error, action);
      if (decoded instanceof ContractRevertError) return decoded;
    }
    return new ProvledgerClientError(
      "TransactionReverted",
      `transaction ${receipt.transactionHash} reverted in block ${receipt.blockNumber} although its simulation ` +
        "had passed: another transaction changed the state in between; read the current state and retry",
      { action },
    );
  };

  const core: Omit<ProvledgerCoreClient, "extend"> = {
    addresses,
    publicClient,
    walletClient,
    account: walletClient?.account?.address,
    chainId,
    confirmations: options.confirmations ?? 1,
    verify,
    decodeError,
    wallet,
    read,

    view<C extends ContractRole, F extends ViewName<C>>(parameters: ViewParameters<C, F>): Promise<ViewResult<C, F>> {
      const { contract, functionName, args, blockNumber } = parameters;
      return read(functionName, async () => {
        const result: unknown = await publicClient.readContract({
          address: addresses[contract],
          abi: contractAbis[contract] as Abi,
          functionName,
          args: args as readonly unknown[],
          blockNumber,
        });
        return result as ViewResult<C, F>;
      });
    },

    async write<E extends ProvledgerEventName>(parameters: WriteParameters<E>): Promise<WriteResult<E>> {
      const { action, data, eventName } = parameters;
      const { walletClient: client, account } = wallet(action);
      await verify();
      const to = addresses[parameters.contract];
      let receipt: TransactionReceipt;
      try {
        // Simulate first: a revert is decoded here, before anything is signed or paid for.
        await publicClient.call({ account, to, data });
        const hash = await client.sendTransaction({ account, chain: client.chain ?? null, to, data });
        receipt = await publicClient.waitForTransactionReceipt({ hash, confirmations: core.confirmations });
      } catch (error) {
        throw await decodeError(error, action);
      }
      if (receipt.status !== "success") throw await revertedOnChain(action, { account, to, data }, receipt);
      return writeResultOf(receipt, { action, addresses, eventName });
    },

    send({ contract, functionName, args, eventName }) {
      const data = encodeFunctionData<Abi, string>({
        abi: contractAbis[contract],
        functionName,
        args: args as readonly unknown[],
      });
      return core.write({ action: functionName, contract, data, eventName });
    },
  };
  return extendable(core);
}

/**
 * `client.extend(decorator)`: a new client with the decorator's members added, as viem's `createClient` does. The
 * client's own members win over a decorator's, so that no decorator can replace the machinery.
 */
function extendable<C extends object>(client: C): C & Pick<ProvledgerCoreClient, "extend"> {
  const extend = (decorator: (client: C) => object) => extendable({ ...decorator(client), ...client });
  return Object.assign(client, { extend }) as C & Pick<ProvledgerCoreClient, "extend">;
}
