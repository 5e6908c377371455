/**
 * The ethers v6 adapters. Exported only from src/sdk/ethers.ts (`provledger/ethers`), so that the root entry's types
 * never mention ethers and users without it still type-check.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  hexToBigInt,
  hexToBytes,
  isHex,
  type Address,
  type Hex,
  type LocalAccount,
  type TransactionSerializable,
} from "viem";
import { toAccount } from "viem/accounts";
import type { Signer, TransactionRequest, TypedDataField } from "ethers";
import { InvalidInputError } from "../../errors/input";
import type { ProvledgerAddresses } from "../../types/deployment";
import { checkAddress, checkAddresses } from "../../utils/check";
import { decodeProvledgerError } from "../../utils/decodeProvledgerError";
import { createProvledgerClient, type ProvledgerClient } from "../createProvledgerClient";
import type { AdapterOptions } from "../types";
import { asRevertError } from "./asRevertError";

/** The part of an ethers v6 provider the adapter needs: JSON-RPC passthrough (JsonRpcProvider, Hardhat's). */
interface JsonRpcSend {
  send(method: string, params: unknown[]): Promise<unknown>;
}

function jsonRpcOf(signer: Signer): JsonRpcSend {
  const provider: unknown = signer?.provider;
  if (typeof provider !== "object" || provider === null || typeof (provider as JsonRpcSend).send !== "function") {
    throw new InvalidInputError(
      "signer.provider",
      provider === null ? null : typeof provider,
      "must be an ethers JSON-RPC provider (with send(method, params)), e.g. a JsonRpcProvider, BrowserProvider or " +
        "Hardhat's: connect the signer to one",
    );
  }
  return provider as JsonRpcSend;
}

function quantity(value: unknown): bigint | undefined {
  return typeof value === "string" && isHex(value) ? hexToBigInt(value) : undefined;
}

/** A JSON-RPC transaction request (as viem sends it) as an ethers TransactionRequest. */
function ethersTransaction(request: Record<string, unknown>): TransactionRequest {
  const nonce = quantity(request.nonce);
  const type = quantity(request.type);
  return {
    from: request.from as string | undefined,
    to: request.to as string | undefined,
    data: request.data as string | undefined,
    value: quantity(request.value),
    gasLimit: quantity(request.gas),
    gasPrice: quantity(request.gasPrice),
    maxFeePerGas: quantity(request.maxFeePerGas),
    maxPriorityFeePerGas: quantity(request.maxPriorityFeePerGas),
    nonce: nonce === undefined ? undefined : Number(nonce),
    type: type === undefined ? undefined : Number(type),
    chainId: quantity(request.chainId),
  };
}

/** viem typed data as ethers' signTypedData arguments (ethers derives the domain type itself). */
function ethersTypedData(typedData: { domain?: unknown; types: unknown; message: unknown }) {
  // ethers derives the domain's type from the domain itself and refuses it among the struct types.
  const types = Object.entries(typedData.types as Record<string, readonly TypedDataField[]>).filter(
    ([name]) => name !== "EIP712Domain",
  );
  const mutableTypes: Record<string, TypedDataField[]> = {};
  for (const [name, fields] of types) mutableTypes[name] = fields.map((field) => ({ ...field }));
  return {
    domain: (typedData.domain ?? {}) as Record<string, unknown>,
    types: mutableTypes,
    message: typedData.message as Record<string, unknown>,
  };
}

/**
 * A client acting through an ethers v6 Signer (connected to a JSON-RPC provider): reads go to the signer's provider,
 * transactions through `signer.sendTransaction`, EIP-712 signatures through `signer.signTypedData`. The key stays
 * wherever the signer keeps it.
 *
 * @example
 * const client = await fromEthersSigner(await provider.getSigner(), addresses, { chainId: 31337 });
 */
export async function fromEthersSigner(
  signer: Signer,
  addresses: ProvledgerAddresses,
  options: AdapterOptions = {},
): Promise<ProvledgerClient> {
  const rpc = jsonRpcOf(signer);
  const checkedAddresses = checkAddresses(addresses);
  let address: Address;
  try {
    address = checkAddress(await signer.getAddress(), "signer address");
  } catch (error) {
    throw await decodeProvledgerError(error, { action: "connect" });
  }
  // A viem transport in front of the signer: the wallet methods go to the signer, everything else to its node.
  const transport = custom({
    async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
      const list = Array.isArray(params) ? (params as unknown[]) : [];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return [address];
        case "eth_sendTransaction": {
          const response = await signer.sendTransaction(ethersTransaction(list[0] as Record<string, unknown>));
          return response.hash;
        }
        case "eth_signTypedData_v4": {
          const { domain, types, message } = ethersTypedData(
            JSON.parse(String(list[1])) as { types: unknown; message: unknown; domain?: unknown },
          );
          return signer.signTypedData(domain, types, message);
        }
        case "personal_sign":
          return signer.signMessage(hexToBytes(list[0] as Hex));
        default:
          return rpc.send(method, list).catch(asRevertError);
      }
    },
  });
  const publicClient = createPublicClient({ transport, pollingInterval: options.pollingInterval });
  const walletClient = createWalletClient({ transport, account: address, pollingInterval: options.pollingInterval });
  return createProvledgerClient({ publicClient, walletClient, addresses: checkedAddresses, ...options });
}

/**
 * An ethers v6 Signer as a viem custom account (messages, typed data and, for signers that can, transactions), e.g.
 * to sign envelopes with `signRegistration({ registration, account })`, or as a walletClient's account for an
 * ethers Wallet.
 *
 * @example
 * const envelope = await client.signRegistration({ registration, account: await ethersSignerToAccount(signer) });
 */
export async function ethersSignerToAccount(signer: Signer): Promise<LocalAccount> {
  const address = checkAddress(await signer.getAddress(), "signer address");
  return toAccount({
    address,
    async signMessage({ message }) {
      const payload =
        typeof message === "string" ? message : typeof message.raw === "string" ? hexToBytes(message.raw) : message.raw;
      return (await signer.signMessage(payload)) as Hex;
    },
    async signTypedData(typedData) {
      const { domain, types, message } = ethersTypedData(
        typedData as { types: unknown; message: unknown; domain?: unknown },
      );
      return (await signer.signTypedData(domain, types, message)) as Hex;
    },
    async signTransaction(transaction: TransactionSerializable) {
      const types = { legacy: 0, eip2930: 1, eip1559: 2 } as const;
      const type = transaction.type === undefined ? undefined : types[transaction.type as keyof typeof types];
      if (transaction.type !== undefined && type === undefined) {
        throw new InvalidInputError("transaction.type", transaction.type, "is not supported by the ethers adapter");
      }
      return (await signer.signTransaction({
        to: transaction.to ?? undefined,
        data: transaction.data,
        value: transaction.value,
        nonce: transaction.nonce,
        chainId: transaction.chainId,
        gasLimit: transaction.gas,
        gasPrice: transaction.gasPrice,
        maxFeePerGas: transaction.maxFeePerGas,
        maxPriorityFeePerGas: transaction.maxPriorityFeePerGas,
        type,
      })) as Hex;
    },
  });
}
