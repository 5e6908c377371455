/**
 * The client's declared types: its options, the core every action is built on, and what writes return. Actions
 * (src/sdk/actions) and decorators (./decorators) import these; nothing here imports them back.
 */
import type {
  Account,
  Address,
  Chain,
  ContractFunctionArgs,
  ContractFunctionName,
  ContractFunctionReturnType,
  Hash,
  Hex,
  PublicClient,
  Transport,
  WalletClient,
} from "viem";
import type { contractAbis, ProvledgerEvent, ProvledgerEventName } from "../abi";
import type { ProvledgerError } from "../errors/base";
import type { ContractRole, ProvledgerAddresses } from "../types/deployment";
import type { TypedDataSigner } from "../signing/signer";

export interface ProvledgerClientOptions {
  /** Reads, simulations and receipts. */
  publicClient: PublicClient;
  /** Signs and sends writes; its account is the acting operator. Leave out for a read-only client. */
  walletClient?: WalletClient;
  addresses: ProvledgerAddresses;
  /** The chain the addresses belong to; the client refuses to work on another. */
  chainId?: number;
  /** Blocks to wait for after inclusion (default 1: the including block). */
  confirmations?: number;
}

/** Options of `fromEip1193` and `fromEthersSigner`. */
export interface AdapterOptions {
  /** The chain the addresses belong to; the client refuses to work on another. */
  chainId?: number;
  confirmations?: number;
  /** How often to poll for receipts, in ms (viem's default is 4000). */
  pollingInterval?: number;
}

/** A decoded event with where it was emitted. */
export type ProvledgerLog<E extends ProvledgerEventName = ProvledgerEventName> = ProvledgerEvent<E> & {
  address: Address;
  logIndex: number;
};

/** What every write returns once its transaction is included. */
export interface WriteResult<E extends ProvledgerEventName> {
  transactionHash: Hash;
  blockNumber: bigint;
  blockHash: Hash;
  /** Position of `event` in the block. */
  logIndex: number;
  /** The event the action always emits (e.g. RecordRegistered for register). */
  event: ProvledgerEvent<E>;
  /** Every event of the deployment in the transaction, in order (e.g. also RecordSuperseded for a revision). */
  events: ProvledgerLog[];
}

/** Options of the client's `signRegistration` / `signBatch`; the chain supplies what is left out. */
export interface SignOptions {
  /** The key that signs; defaults to the client's wallet. */
  account?: TypedDataSigner;
  /** The signing account if it is not the key's address (an ERC-1271 wallet, e.g. a multisig operator). */
  signer?: Address;
  /** The organisation the signer acts for; defaults to `organizationOf(signer)` (it is signed). */
  org?: number | bigint;
  /** Defaults to the signer's next nonce on the ledger. */
  nonce?: number | bigint;
  /** Last block time the signature may be used at; defaults to the latest block's time plus `validFor`. */
  deadline?: number | bigint | Date;
  /** Seconds of validity when `deadline` is left out (default 3600). */
  validFor?: number;
}

/** What every view accepts besides its own arguments. */
export interface BlockParameters {
  /** Read the state as of this block (default: the latest). */
  blockNumber?: bigint;
}

type Abis = typeof contractAbis;
/** A state-changing function of one of the contracts. */
export type WriteName<C extends ContractRole> = ContractFunctionName<Abis[C], "nonpayable">;
/** A view of one of the contracts. */
export type ViewName<C extends ContractRole> = ContractFunctionName<Abis[C], "view" | "pure">;
export type WriteArgs<C extends ContractRole, F extends WriteName<C>> = ContractFunctionArgs<Abis[C], "nonpayable", F>;
export type ViewArgs<C extends ContractRole, F extends ViewName<C>> = ContractFunctionArgs<Abis[C], "view" | "pure", F>;
/** What a view returns, typed from the ABI. */
export type ViewResult<C extends ContractRole, F extends ViewName<C>> = ContractFunctionReturnType<
  Abis[C],
  "view" | "pure",
  F
>;

/** A wallet client that has an account: what a write or a signature needs. */
export type AccountWalletClient = WalletClient<Transport, Chain | undefined, Account>;

export interface ViewParameters<C extends ContractRole, F extends ViewName<C>> extends BlockParameters {
  contract: C;
  functionName: F;
  args: ViewArgs<C, F>;
}

export interface SendParameters<C extends ContractRole, F extends WriteName<C>, E extends ProvledgerEventName> {
  contract: C;
  functionName: F;
  args: WriteArgs<C, F>;
  /** The event the function always emits: the write's `event`. */
  eventName: E;
}

export interface WriteParameters<E extends ProvledgerEventName> {
  /** The name errors are reported under, e.g. "register". */
  action: string;
  contract: ContractRole;
  /** The encoded call. */
  data: Hex;
  eventName: E;
}

/**
 * The core of a client: the deployment, the viem clients, and the machinery every action is built on. Actions are
 * plain functions `(client, parameters)` over this type (src/sdk/actions); `extend` binds them as methods, as
 * viem's `client.extend(publicActions)` does.
 */
export interface ProvledgerCoreClient {
  readonly addresses: ProvledgerAddresses;
  readonly publicClient: PublicClient;
  readonly walletClient?: WalletClient;
  /** The acting account's address, if the client can write. */
  readonly account?: Address;
  /** The chain the client insists on (`options.chainId`, else the wallet's chain), if any. */
  readonly chainId?: number;
  /** Blocks a write waits for after inclusion. */
  readonly confirmations: number;

  /**
   * Checks the chain and that each address holds this deployment's contract; resolves to the chain id. Runs once,
   * before the first read or write (again after a failure, e.g. while the node was down).
   */
  verify(): Promise<number>;
  /** Decodes any error of a call made elsewhere (e.g. with viem directly) into a ProvledgerError. */
  decodeError(error: unknown, action?: string): Promise<ProvledgerError>;
  /** The wallet and account a write or signature acts with; a NoWallet error for a read-only client. */
  wallet(action: string): { walletClient: AccountWalletClient; account: Account };

  /** Runs `call` once the deployment is verified, turning any failure into a ProvledgerError. */
  read<T>(action: string, call: () => Promise<T>): Promise<T>;
  /** Reads a view of one of the contracts (`read` around `readContract`). */
  view<C extends ContractRole, F extends ViewName<C>>(parameters: ViewParameters<C, F>): Promise<ViewResult<C, F>>;
  /**
   * Sends an encoded call: simulates it first (so that a revert is decoded before anything is signed), sends, waits
   * for the receipt and decodes the event the action always emits.
   */
  write<E extends ProvledgerEventName>(parameters: WriteParameters<E>): Promise<WriteResult<E>>;
  /** `write` of a function of one of the contracts, typed by its ABI. */
  send<C extends ContractRole, F extends WriteName<C>, E extends ProvledgerEventName>(
    parameters: SendParameters<C, F, E>,
  ): Promise<WriteResult<E>>;

  /** This client with the decorator's methods added (the client's own members cannot be replaced). */
  extend<const T extends object>(decorator: (client: this) => T): this & T;
}
