/**
 * An EIP-1193 provider over a JSON-RPC URL for Ignition, with one local signing account: Ignition sends
 * `eth_sendTransaction` (as Hardhat's provider would sign it for a configured key); here it is signed locally with the
 * viem account and sent with `eth_sendRawTransaction`, so the node needs no unlocked account (Besu has none).
 */
import type { EIP1193Provider, RequestArguments } from "@nomicfoundation/ignition-core";
import { hexToBigInt, hexToNumber, type Hex, type LocalAccount, type TransactionSerializable } from "viem";

/** A JSON-RPC error as EIP-1193 shapes it: Ignition reads `message` and `data` (revert reasons). */
export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  readonly data?: unknown;

  constructor(method: string, error: { code?: number; message?: string; data?: unknown }) {
    super(error.message ?? `${method} failed`);
    this.code = error.code ?? -32603;
    if (error.data !== undefined) this.data = error.data;
  }
}

export type JsonRpc = (method: string, params?: readonly unknown[]) => Promise<unknown>;

/** A plain JSON-RPC caller over HTTP (fetch), with a per-request timeout. */
export function jsonRpc(url: string, options: { timeoutMs?: number } = {}): JsonRpc {
  let id = 0;
  return async (method, params = []) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new RpcError(method, { message: `${method} to ${url} failed: ${(error as Error).message}` });
    }
    const text = await response.text();
    let body: { result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RpcError(method, {
        message: `${method} to ${url}: HTTP ${response.status}, not JSON-RPC: ${text.slice(0, 200)}`,
      });
    }
    if (body.error) throw new RpcError(method, body.error);
    return body.result;
  };
}

type SendTransactionParams = {
  from?: string;
  to?: Hex;
  data?: Hex;
  value?: Hex;
  nonce?: Hex;
  gas?: Hex;
  gasPrice?: Hex;
  maxFeePerGas?: Hex;
  maxPriorityFeePerGas?: Hex;
};

/** The transaction Ignition asked for, as viem serialises it (EIP-1559 when it gave EIP-1559 fees, else legacy). */
function toSerializable(tx: SendTransactionParams, chainId: number): TransactionSerializable {
  const common = {
    chainId,
    ...(tx.to ? { to: tx.to } : {}),
    data: tx.data ?? "0x",
    value: tx.value ? hexToBigInt(tx.value) : 0n,
    ...(tx.nonce ? { nonce: hexToNumber(tx.nonce) } : {}),
    ...(tx.gas ? { gas: hexToBigInt(tx.gas) } : {}),
  };
  if (tx.maxFeePerGas !== undefined) {
    return {
      ...common,
      type: "eip1559",
      maxFeePerGas: hexToBigInt(tx.maxFeePerGas),
      maxPriorityFeePerGas: hexToBigInt(tx.maxPriorityFeePerGas ?? "0x0"),
    };
  }
  return { ...common, type: "legacy", gasPrice: hexToBigInt(tx.gasPrice ?? "0x0") };
}

/** The provider Ignition's `deploy()` takes: every call goes to `rpc`, except the account methods. */
export function signingProvider(rpc: JsonRpc, account: LocalAccount): EIP1193Provider {
  let chainId: number | undefined;
  return {
    async request({ method, params }: RequestArguments): Promise<unknown> {
      const list = (Array.isArray(params) ? params : params === undefined ? [] : [params]) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return [account.address];
        case "eth_sendTransaction": {
          const tx = list[0] as SendTransactionParams;
          if (tx.from && tx.from.toLowerCase() !== account.address.toLowerCase()) {
            throw new RpcError(method, {
              code: 4100,
              message: `no key for sender ${tx.from} (the deployer is ${account.address})`,
            });
          }
          chainId ??= hexToNumber((await rpc("eth_chainId")) as Hex);
          if (!account.signTransaction)
            throw new RpcError(method, { message: "the deployer account cannot sign transactions" });
          const raw = await account.signTransaction(toSerializable(tx, chainId));
          return rpc("eth_sendRawTransaction", [raw]);
        }
        default:
          return rpc(method, list);
      }
    },
  };
}
