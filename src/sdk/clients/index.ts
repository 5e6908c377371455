/**
 * The ledger client: one typed method per action and view of the registry, the ledger and the rights module.
 *
 * - Built from viem clients (`createProvledgerClient`), an EIP-1193 provider (`fromEip1193`) or an ethers v6 signer
 *   (`fromEthersSigner`), with the deployment's three addresses.
 * - Writes check their arguments (InvalidInputError, nothing sent), simulate (so a revert is decoded before anything
 *   is signed), send, wait for the receipt and return the decoded event: `{ transactionHash, blockNumber, blockHash,
 *   logIndex, event, events }`.
 * - Every failure is a ProvledgerError (src/sdk/errors.ts): contract reverts by their Solidity name, with a message
 *   naming the cause and the fix.
 * - On first use the client checks that each address holds the expected contract of one deployment, on the
 *   expected chain.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  encodeFunctionData,
  hexToBigInt,
  hexToBytes,
  isHex,
  parseEventLogs,
  RawContractError,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type DecodeEventLogReturnType,
  type Hash,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type TransactionSerializable,
  type Transport,
  type WalletClient,
} from "viem";
import { toAccount } from "viem/accounts";
import type { Signer, TransactionRequest, TypedDataField } from "ethers";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import { ContractRevertError, InvalidInputError, ProvledgerClientError, type ProvledgerError } from "../errors";
import {
  checkAddress,
  checkAddresses,
  checkBigUint,
  checkBoolean,
  checkBytes32,
  checkFingerprint,
  checkOptionalBytes32,
  checkOrgId,
  checkString,
  checkTime,
  checkUint,
} from "../utils/check";
import { decodeProvledgerError } from "../utils/decodeProvledgerError";
import { encodeJurisdiction } from "../utils/jurisdiction";
import { provledgerAbi } from "../abi";
import { revertDataOf } from "../utils/revertData";
import {
  anchorBatchBySigArgs,
  registerBySigArgs,
  signBatch,
  signRegistration,
  signerAddress,
  toBatch,
  toRegistration,
  type BatchInput,
  type RegistrationInput,
  type SignedEnvelope,
  type TypedDataSigner,
} from "../signing";

import type { ProvledgerAddresses } from "../types/deployment";
export type { ProvledgerAddresses };

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

export type ProvledgerEventName = ContractEventName<typeof provledgerAbi>;
/** A decoded event of one of the three contracts, typed from the ABI: `{ eventName, args }`. */
export type ProvledgerEvent<E extends ProvledgerEventName = ProvledgerEventName> = DecodeEventLogReturnType<
  typeof provledgerAbi,
  E
>;
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

/** Options of `signRegistration` / `signBatch` on the client; the chain supplies what is left out. */
export interface SignOptions {
  /** The key that signs; defaults to the client's wallet. */
  account?: TypedDataSigner;
  /** The signing account if it is not the key's address (an ERC-1271 wallet, e.g. a multisig operator). */
  signer?: Address;
  /** Defaults to the signer's next nonce on the ledger. */
  nonce?: number | bigint;
  /** Last block time the signature may be used at; defaults to the latest block's time plus `validFor`. */
  deadline?: number | bigint | Date;
  /** Seconds of validity when `deadline` is left out (default 3600). */
  validFor?: number;
}

type ContractRole = keyof ProvledgerAddresses;

const ABIS = { registry: organizationRegistryAbi, ledger: provenanceLedgerAbi, rights: dataRightsAbi } as const;
type Abis = typeof ABIS;
type WriteName<C extends ContractRole> = ContractFunctionName<Abis[C], "nonpayable">;
type ViewName<C extends ContractRole> = ContractFunctionName<Abis[C], "view" | "pure">;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Creates a client over viem clients. Addresses are checked now; the contracts on first use (or `verify()`). */
export function createProvledgerClient(options: ProvledgerClientOptions) {
  const { publicClient, walletClient } = options;
  const addresses = checkAddresses(options.addresses);
  const confirmations = options.confirmations ?? 1;
  const ours = new Set(Object.values(addresses).map((address) => address.toLowerCase()));

  const decode = (error: unknown, action: string): Promise<ProvledgerError> =>
    decodeProvledgerError(error, { publicClient, addresses, action });

  // ---------------------------------------------------------------------------------------------------------------
  // Deployment check, once (retried after a failure, e.g. while the node was down)

  let verified: Promise<number> | undefined;

  function ready(): Promise<number> {
    verified ??= verifyDeployment().catch((error: unknown) => {
      verified = undefined;
      throw error;
    });
    return verified;
  }

  async function verifyDeployment(): Promise<number> {
    let chainId: number;
    try {
      chainId = await publicClient.getChainId();
    } catch (error) {
      throw await decode(error, "connect");
    }
    const expected = options.chainId ?? walletClient?.chain?.id;
    if (expected !== undefined && expected !== chainId) {
      throw new ProvledgerClientError(
        "ChainMismatch",
        `the node is on chain ${chainId}, but the client expects chain ${expected}: connect to the network the ` +
          "contracts were deployed on, or correct the expected chain id",
        { action: "connect" },
      );
    }
    const roles: ContractRole[] = ["registry", "ledger", "rights"];
    const codes = await Promise.all(
      roles.map((role) =>
        publicClient.getCode({ address: addresses[role] }).catch(async (error: unknown) => {
          throw await decode(error, "connect");
        }),
      ),
    );
    roles.forEach((role, i) => {
      if (codes[i] === undefined || codes[i] === "0x") {
        throw new ProvledgerClientError(
          "NoContract",
          `no contract at ${addresses[role]} on chain ${chainId}: check the deployment addresses (this is the ` +
            `${role} address)`,
          { action: "connect" },
        );
      }
    });
    const wrong = (role: ContractRole, detail: string, cause?: unknown) =>
      new ProvledgerClientError(
        "WrongContract",
        `${addresses[role]} on chain ${chainId} is not the Provledger ${role} of this deployment (${detail}): check ` +
          "the deployment addresses",
        { action: "connect", cause },
      );
    const identity = async <T>(role: ContractRole, question: string, read: () => Promise<T>): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        throw wrong(role, `it does not answer ${question}`, error);
      }
    };
    // One after the other, so that the first wrong answer is the one reported.
    const ledgerRegistry = await identity("ledger", "registry()", () =>
      publicClient.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "registry" }),
    );
    const rightsModule = await identity("ledger", "rightsModule()", () =>
      publicClient.readContract({ address: addresses.ledger, abi: provenanceLedgerAbi, functionName: "rightsModule" }),
    );
    const rightsLedger = await identity("rights", "ledger()", () =>
      publicClient.readContract({ address: addresses.rights, abi: dataRightsAbi, functionName: "ledger" }),
    );
    await identity("registry", "organizationCount()", () =>
      publicClient.readContract({
        address: addresses.registry,
        abi: organizationRegistryAbi,
        functionName: "organizationCount",
      }),
    );
    if (!sameAddress(ledgerRegistry, addresses.registry)) {
      throw wrong("registry", `the ledger's registry is ${ledgerRegistry}`);
    }
    if (!sameAddress(rightsLedger, addresses.ledger)) {
      throw wrong("rights", `it serves the ledger ${rightsLedger}`);
    }
    // Zero until governance attaches the module (setRightsModule), which this client can do.
    if (!sameAddress(rightsModule, ZERO_ADDRESS) && !sameAddress(rightsModule, addresses.rights)) {
      throw wrong("rights", `the ledger's rights module is ${rightsModule}`);
    }
    return chainId;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads and writes

  async function read<T>(action: string, call: () => Promise<T>): Promise<T> {
    await ready();
    try {
      return await call();
    } catch (error) {
      throw await decode(error, action);
    }
  }

  function wallet(action: string): { client: WalletClient; account: Account } {
    const account = walletClient?.account;
    if (!walletClient || !account) {
      throw new ProvledgerClientError(
        "NoWallet",
        `${action} needs a signing account, but this client has none: create it with a walletClient that has an ` +
          "account (or fromEip1193 with an account, or fromEthersSigner)",
        { action },
      );
    }
    return { client: walletClient, account };
  }

  async function write<E extends ProvledgerEventName>(
    action: string,
    target: ContractRole,
    data: Hex,
    eventName: E,
  ): Promise<WriteResult<E>> {
    const { client, account } = wallet(action);
    await ready();
    const to = addresses[target];
    try {
      // Simulate first: a revert is decoded here, before anything is signed or paid for.
      await publicClient.call({ account, to, data });
    } catch (error) {
      throw await decode(error, action);
    }
    let hash: Hash;
    try {
      hash = await client.sendTransaction({ account, chain: client.chain ?? null, to, data });
    } catch (error) {
      throw await decode(error, action);
    }
    let receipt: TransactionReceipt;
    try {
      receipt = await publicClient.waitForTransactionReceipt({ hash, confirmations });
    } catch (error) {
      throw await decode(error, action);
    }
    if (receipt.status !== "success") throw await revertedOnChain(action, account, to, data, receipt);
    return resultOf(action, receipt, eventName);
  }

  /** The simulation passed but the transaction reverted: the state changed in between. Says why, if it can. */
  async function revertedOnChain(
    action: string,
    account: Account,
    to: Address,
    data: Hex,
    receipt: TransactionReceipt,
  ): Promise<ProvledgerError> {
    try {
      await publicClient.call({ account, to, data, blockNumber: receipt.blockNumber });
    } catch (error) {
      const decoded = await decode(error, action);
      if (decoded instanceof ContractRevertError) return decoded;
    }
    return new ProvledgerClientError(
      "TransactionReverted",
      `transaction ${receipt.transactionHash} reverted in block ${receipt.blockNumber} although its simulation ` +
        "had passed: another transaction changed the state in between; read the current state and retry",
      { action },
    );
  }

  function resultOf<E extends ProvledgerEventName>(
    action: string,
    receipt: TransactionReceipt,
    eventName: E,
  ): WriteResult<E> {
    const events = parseEventLogs({ abi: provledgerAbi, logs: receipt.logs })
      .filter((log) => ours.has(log.address.toLowerCase()))
      .map((log) => ({ eventName: log.eventName, args: log.args, address: log.address, logIndex: log.logIndex }));
    const primary = events.find((log) => log.eventName === eventName);
    if (!primary) {
      throw new ProvledgerClientError(
        "MissingEvent",
        `transaction ${receipt.transactionHash} succeeded but emitted no ${eventName} event: the contracts at the ` +
          "configured addresses are not the version this SDK was built for; check the deployment",
        { action },
      );
    }
    return {
      transactionHash: receipt.transactionHash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      logIndex: primary.logIndex,
      event: { eventName: primary.eventName, args: primary.args } as ProvledgerEvent<E>,
      events: events as ProvledgerLog[],
    };
  }

  // Typed by each contract's ABI: the function name picks the argument, return and event types.
  function send<C extends ContractRole, F extends WriteName<C>, E extends ProvledgerEventName>(
    target: C,
    functionName: F,
    args: ContractFunctionArgs<Abis[C], "nonpayable", F>,
    eventName: E,
  ): Promise<WriteResult<E>> {
    const data = encodeFunctionData<Abi, string>({
      abi: ABIS[target],
      functionName,
      args: args as readonly unknown[],
    });
    return write(functionName, target, data, eventName);
  }

  function view<C extends ContractRole, F extends ViewName<C>>(
    target: C,
    functionName: F,
    args: ContractFunctionArgs<Abis[C], "view" | "pure", F>,
    blockNumber?: bigint,
  ): Promise<ContractFunctionReturnType<Abis[C], "view" | "pure", F>> {
    return read(functionName, async () => {
      const result: unknown = await publicClient.readContract({
        address: addresses[target],
        abi: ABIS[target] as Abi,
        functionName,
        args: args as readonly unknown[],
        blockNumber,
      });
      return result as ContractFunctionReturnType<Abis[C], "view" | "pure", F>;
    });
  }

  async function latestBlockTime(): Promise<bigint> {
    const block = await read("getBlock", () => publicClient.getBlock());
    return block.timestamp;
  }

  async function envelopeParameters(options: SignOptions, action: string) {
    const account = options.account ?? (wallet(action).client as WalletClient<Transport, Chain | undefined, Account>);
    const signer = options.signer === undefined ? signerAddress(account) : checkAddress(options.signer, "signer");
    const chainId = await ready();
    const nonce = options.nonce ?? (await view("ledger", "nonces", [signer]));
    const validFor = checkUint(options.validFor ?? 3600, 32, "validFor");
    const deadline = options.deadline ?? (await latestBlockTime()) + BigInt(validFor);
    return { account, signer, chainId, nonce, deadline, ledger: addresses.ledger };
  }

  const fingerprintArg = (value: Hex, field = "fingerprint") => checkBytes32(value, field);
  const hash = checkOptionalBytes32;

  return {
    addresses,
    publicClient,
    walletClient,
    /** The acting account's address, if the client can write. */
    account: walletClient?.account?.address,

    /** Checks the chain and that each address holds this deployment's contract; resolves to the chain id. */
    verify: ready,

    /** Decodes any error of a call made elsewhere (e.g. with viem directly) into a ProvledgerError. */
    decodeError: (error: unknown, action = "call") => decode(error, action),

    // -------------------------------------------------------------------------------------------------------------
    // Registry: governance and operators

    /** Onboards an organisation (governance). Its id is in `event.args.orgId`. */
    registerOrganization: async (input: {
      name: string;
      /** Jurisdiction code, e.g. "CN-GD", "HK", "MO". */
      jurisdiction: string;
      /** `Role` bit set. */
      roles: number;
      metadataHash?: Hex;
      operators?: readonly Address[];
    }) => {
      const operators = input.operators ?? [];
      if (!Array.isArray(operators)) throw new InvalidInputError("operators", operators, "must be an array");
      return send(
        "registry",
        "registerOrganization",
        [
          checkString(input.name, "name"),
          hash(input.metadataHash, "metadataHash"),
          encodeJurisdiction(input.jurisdiction),
          checkUint(input.roles, 8, "roles"),
          operators.map((operator: Address, i) => checkAddress(operator, `operators[${i}]`)),
        ],
        "OrganizationRegistered",
      );
    },
    /** Renames an organisation and replaces its profile hash (governance). */
    setOrganizationProfile: async (input: { orgId: number; name: string; metadataHash?: Hex }) =>
      send(
        "registry",
        "setOrganizationProfile",
        [checkOrgId(input.orgId, "orgId"), checkString(input.name, "name"), hash(input.metadataHash, "metadataHash")],
        "OrganizationProfileChanged",
      ),
    /** Moves an organisation to another jurisdiction, e.g. "HK" (governance). */
    setOrganizationJurisdiction: async (input: { orgId: number; jurisdiction: string }) =>
      send(
        "registry",
        "setOrganizationJurisdiction",
        [checkOrgId(input.orgId, "orgId"), encodeJurisdiction(input.jurisdiction)],
        "OrganizationJurisdictionChanged",
      ),
    /** Replaces an organisation's `Role` bit set (governance). */
    setOrganizationRoles: async (input: { orgId: number; roles: number }) =>
      send(
        "registry",
        "setOrganizationRoles",
        [checkOrgId(input.orgId, "orgId"), checkUint(input.roles, 8, "roles")],
        "OrganizationRolesChanged",
      ),
    /** Suspends an organisation: its keys can change nothing until reinstated (governance). */
    suspendOrganization: async (input: { orgId: number; reasonHash?: Hex }) =>
      send(
        "registry",
        "suspendOrganization",
        [checkOrgId(input.orgId, "orgId"), hash(input.reasonHash, "reasonHash")],
        "OrganizationSuspended",
      ),
    /** Reinstates a suspended organisation (governance). */
    reinstateOrganization: async (input: { orgId: number; reasonHash?: Hex }) =>
      send(
        "registry",
        "reinstateOrganization",
        [checkOrgId(input.orgId, "orgId"), hash(input.reasonHash, "reasonHash")],
        "OrganizationReinstated",
      ),
    /** Adds an operator account (governance, or an operator of the same active organisation). */
    addOperator: async (input: { orgId: number; account: Address }) =>
      send(
        "registry",
        "addOperator",
        [checkOrgId(input.orgId, "orgId"), checkAddress(input.account, "account")],
        "OperatorAdded",
      ),
    /** Removes an operator account (governance, or an operator of the same active organisation). */
    removeOperator: async (input: { orgId: number; account: Address }) =>
      send(
        "registry",
        "removeOperator",
        [checkOrgId(input.orgId, "orgId"), checkAddress(input.account, "account")],
        "OperatorRemoved",
      ),
    /** Begins handing governance over to `newGovernance`, who accepts after the delay (governance). */
    beginGovernanceTransfer: async (input: { newGovernance: Address }) =>
      send(
        "registry",
        "beginDefaultAdminTransfer",
        [checkAddress(input.newGovernance, "newGovernance")],
        "DefaultAdminTransferScheduled",
      ),
    /** Accepts a governance hand-over once its delay has passed (the new governance account). */
    acceptGovernanceTransfer: async () => send("registry", "acceptDefaultAdminTransfer", [], "RoleGranted"),
    /** Cancels a pending governance hand-over (governance). */
    cancelGovernanceTransfer: async () =>
      send("registry", "cancelDefaultAdminTransfer", [], "DefaultAdminTransferCanceled"),

    // -------------------------------------------------------------------------------------------------------------
    // Ledger

    /** Registers a dataset owned by the acting organisation (registrar role). */
    register: async (registration: RegistrationInput) =>
      send("ledger", "register", [toRegistration(registration)], "RecordRegistered"),
    /** Relays a registration signed by `envelope.signer` (anyone may relay; the signer is the registrant). */
    registerBySig: async (registration: RegistrationInput, envelope: SignedEnvelope) =>
      send("ledger", "registerBySig", registerBySigArgs(registration, envelope), "RecordRegistered"),
    /** Withdraws a record of the acting organisation (registrar role); it stays readable, marked withdrawn. */
    withdraw: async (input: { fingerprint: Hex; reasonHash?: Hex }) =>
      send(
        "ledger",
        "withdraw",
        [checkFingerprint(input.fingerprint), hash(input.reasonHash, "reasonHash")],
        "RecordWithdrawn",
      ),
    /** Anchors a batch's Merkle root (registrar role). */
    anchorBatch: async (batch: BatchInput) => {
      const { root, leafCount, metadataHash, metadataURI } = toBatch(batch);
      return send("ledger", "anchorBatch", [root, leafCount, metadataHash, metadataURI], "BatchAnchored");
    },
    /** Relays a batch anchor signed by `envelope.signer`. */
    anchorBatchBySig: async (batch: BatchInput, envelope: SignedEnvelope) =>
      send("ledger", "anchorBatchBySig", anchorBatchBySigArgs(batch, envelope), "BatchAnchored"),
    /** Attaches the rights module, once (governance). */
    setRightsModule: async (input: { module: Address }) =>
      send("ledger", "setRightsModule", [checkAddress(input.module, "module")], "RightsModuleSet"),

    /**
     * Signs a registration with EIP-712 for someone else to relay (`registerBySig`), with the client's wallet or
     * `options.account`; the chain id, the signer's nonce and a deadline an hour ahead are read from the chain.
     */
    signRegistration: async (registration: RegistrationInput, options: SignOptions = {}) => {
      const checked = toRegistration(registration);
      const parameters = await envelopeParameters(options, "signRegistration");
      try {
        return await signRegistration({ ...parameters, registration: checked });
      } catch (error) {
        throw await decode(error, "signRegistration");
      }
    },
    /** Signs a batch anchor with EIP-712 for someone else to relay (`anchorBatchBySig`). */
    signBatch: async (batch: BatchInput, options: SignOptions = {}) => {
      const checked = toBatch(batch);
      const parameters = await envelopeParameters(options, "signBatch");
      try {
        return await signBatch({ ...parameters, batch: checked });
      } catch (error) {
        throw await decode(error, "signBatch");
      }
    },

    // -------------------------------------------------------------------------------------------------------------
    // Rights

    /** Grants `granteeOrg` scopes on a record of the acting organisation (registrar role). Id: `event.args.grantId`. */
    issueGrant: async (input: {
      fingerprint: Hex;
      granteeOrg: number;
      /** `Scope` bit set: use 1, derive 2, redistribute 4. */
      scopes: number;
      purposeHash?: Hex;
      /** Last valid block time (Date or seconds); 0 or left out for none. */
      expiresAt?: number | bigint | Date;
    }) =>
      send(
        "rights",
        "issueGrant",
        [
          checkFingerprint(input.fingerprint),
          checkOrgId(input.granteeOrg, "granteeOrg"),
          checkUint(input.scopes, 8, "scopes"),
          hash(input.purposeHash, "purposeHash"),
          Number(checkTime(input.expiresAt ?? 0, 40, "expiresAt")),
        ],
        "GrantIssued",
      ),
    /** Revokes the grant of a record of the acting organisation to `granteeOrg`. */
    revokeGrant: async (input: { fingerprint: Hex; granteeOrg: number; reasonHash?: Hex }) =>
      send(
        "rights",
        "revokeGrant",
        [
          checkFingerprint(input.fingerprint),
          checkOrgId(input.granteeOrg, "granteeOrg"),
          hash(input.reasonHash, "reasonHash"),
        ],
        "GrantRevoked",
      ),
    /** Approves or rejects a cross-border grant (customs of the exporting jurisdiction). */
    decideGrant: async (input: {
      fingerprint: Hex;
      granteeOrg: number;
      grantId: number | bigint;
      approve: boolean;
      decisionHash?: Hex;
    }) =>
      send(
        "rights",
        "decideGrant",
        [
          checkFingerprint(input.fingerprint),
          checkOrgId(input.granteeOrg, "granteeOrg"),
          checkBigUint(input.grantId, 64, "grantId"),
          checkBoolean(input.approve, "approve"),
          hash(input.decisionHash, "decisionHash"),
        ],
        "GrantDecided",
      ),
    /** Offers a record of the acting organisation to `toOrg` (trader role). Id: `event.args.offerId`. */
    offerTransfer: async (input: {
      fingerprint: Hex;
      toOrg: number;
      termsHash?: Hex;
      /** Last block time (Date or seconds) at which the recipient may accept. */
      expiresAt: number | bigint | Date;
    }) =>
      send(
        "rights",
        "offerTransfer",
        [
          checkFingerprint(input.fingerprint),
          checkOrgId(input.toOrg, "toOrg"),
          hash(input.termsHash, "termsHash"),
          Number(checkTime(input.expiresAt, 40, "expiresAt")),
        ],
        "TransferOffered",
      ),
    /** Cancels an open offer (the owner), or abandons a transfer customs left undecided (either party). */
    cancelOffer: async (input: { offerId: number | bigint; reasonHash?: Hex }) =>
      send(
        "rights",
        "cancelOffer",
        [checkBigUint(input.offerId, 64, "offerId"), hash(input.reasonHash, "reasonHash")],
        "TransferCancelled",
      ),
    /** Accepts an offer (recipient, trader role); `events` also holds OwnershipTransferred unless customs decides. */
    acceptOffer: async (input: { offerId: number | bigint }) =>
      send("rights", "acceptOffer", [checkBigUint(input.offerId, 64, "offerId")], "TransferAccepted"),
    /** Approves or rejects an accepted cross-border transfer (customs of the exporting jurisdiction). */
    decideTransfer: async (input: { offerId: number | bigint; approve: boolean; decisionHash?: Hex }) =>
      send(
        "rights",
        "decideTransfer",
        [
          checkBigUint(input.offerId, 64, "offerId"),
          checkBoolean(input.approve, "approve"),
          hash(input.decisionHash, "decisionHash"),
        ],
        "TransferDecided",
      ),
    /** Reports the fingerprint of what the new owner received (trader role); `event.args.matches` says if it is it. */
    confirmDelivery: async (input: { offerId: number | bigint; receivedFingerprint: Hex }) =>
      send(
        "rights",
        "confirmDelivery",
        [
          checkBigUint(input.offerId, 64, "offerId"),
          checkFingerprint(input.receivedFingerprint, "receivedFingerprint"),
        ],
        "DeliveryReported",
      ),
    /** Attaches a finding to a record (inspector role). */
    attachFinding: async (input: { fingerprint: Hex; findingHash: Hex }) =>
      send(
        "rights",
        "attachFinding",
        [checkFingerprint(input.fingerprint), checkBytes32(input.findingHash, "findingHash")],
        "FindingAttached",
      ),
    /** Freezes a record (inspector role). */
    freeze: async (input: { fingerprint: Hex; reasonHash?: Hex }) =>
      send(
        "rights",
        "freeze",
        [checkFingerprint(input.fingerprint), hash(input.reasonHash, "reasonHash")],
        "RecordFrozen",
      ),
    /** Unfreezes a record (inspector role). */
    unfreeze: async (input: { fingerprint: Hex; reasonHash?: Hex }) =>
      send(
        "rights",
        "unfreeze",
        [checkFingerprint(input.fingerprint), hash(input.reasonHash, "reasonHash")],
        "RecordUnfrozen",
      ),
    /** Sets a class's cross-border `Rule` (governance). */
    setClassRule: async (input: { dataClass: number; rule: number }) =>
      send(
        "rights",
        "setClassRule",
        [checkUint(input.dataClass, 8, "dataClass"), checkUint(input.rule, 8, "rule")],
        "ClassRuleChanged",
      ),

    // -------------------------------------------------------------------------------------------------------------
    // Registry views

    organization: async (orgId: number) => view("registry", "organization", [checkOrgId(orgId, "orgId")]),
    /** The organisation an account operates for, 0 if none. */
    organizationOf: async (account: Address) => view("registry", "organizationOf", [checkAddress(account, "account")]),
    organizationCount: async () => view("registry", "organizationCount", []),
    /** The bytes8 code (`decodeJurisdiction` makes it text). */
    jurisdictionOf: async (orgId: number) => view("registry", "jurisdictionOf", [checkOrgId(orgId, "orgId")]),
    membership: async (orgId: number) => {
      const [status, jurisdiction, roles] = await view("registry", "membership", [checkOrgId(orgId, "orgId")]);
      return { status, jurisdiction, roles };
    },
    hasOrganizationRole: async (orgId: number, role: number) =>
      view("registry", "hasOrganizationRole", [checkOrgId(orgId, "orgId"), checkUint(role, 8, "role")]),
    /** The account's organisation if it may act in `role` now; throws the membership error that says why not. */
    requireRole: async (account: Address, role: number) =>
      view("registry", "requireRole", [checkAddress(account, "account"), checkUint(role, 8, "role")]),
    /** The consortium governance account. */
    governance: async () => view("registry", "defaultAdmin", []),
    /** The account a governance hand-over is pending to (zero if none) and when it may accept. */
    pendingGovernance: async () => {
      const [newGovernance, schedule] = await view("registry", "pendingDefaultAdmin", []);
      return { newGovernance, schedule };
    },

    // -------------------------------------------------------------------------------------------------------------
    // Ledger views

    exists: async (fingerprint: Hex) => view("ledger", "exists", [fingerprintArg(fingerprint)]),
    getRecord: async (fingerprint: Hex) => view("ledger", "getRecord", [fingerprintArg(fingerprint)]),
    recordStatus: async (fingerprint: Hex) => {
      const [ownerOrg, dataClass, withdrawn, frozen] = await view("ledger", "recordStatus", [
        fingerprintArg(fingerprint),
      ]);
      return { ownerOrg, dataClass, withdrawn, frozen };
    },
    getParents: async (fingerprint: Hex) => {
      const [parents, derivationGrants] = await view("ledger", "getParents", [fingerprintArg(fingerprint)]);
      return { parents, derivationGrants };
    },
    trailHead: async (fingerprint: Hex) => {
      const [head, length] = await view("ledger", "trailHead", [fingerprintArg(fingerprint)]);
      return { head, length };
    },
    /** The ledger-wide head and sequence, in the shape `verifyCompleteTrail` (trail.ts) takes as its checkpoint. */
    ledgerHead: async (blockNumber?: bigint) => {
      const [ledgerHead, ledgerSequence] = await view("ledger", "ledgerHead", [], blockNumber);
      return { ledgerHead, ledgerSequence };
    },
    latestVersion: async (fingerprint: Hex) => {
      const [latest, isLatest] = await view("ledger", "latestVersion", [fingerprintArg(fingerprint)]);
      return { latest, isLatest };
    },
    getBatch: async (root: Hex) => view("ledger", "getBatch", [checkBytes32(root, "root")]),
    /** Whether `proof` (a StandardMerkleTree proof) places fingerprint `leaf` under the anchored `root`. */
    verifyBatchInclusion: async (root: Hex, leaf: Hex, proof: readonly Hex[]) => {
      if (!Array.isArray(proof)) throw new InvalidInputError("proof", proof, "must be an array of bytes32");
      return view("ledger", "verifyBatchInclusion", [
        checkBytes32(root, "root"),
        checkBytes32(leaf, "leaf"),
        proof.map((node: Hex, i) => checkBytes32(node, `proof[${i}]`)),
      ]);
    },
    /** The next nonce `signer` must sign. */
    nonces: async (signer: Address) => view("ledger", "nonces", [checkAddress(signer, "signer")]),
    domainSeparator: async () => view("ledger", "DOMAIN_SEPARATOR", []),
    rightsModule: async () => view("ledger", "rightsModule", []),

    // -------------------------------------------------------------------------------------------------------------
    // Rights views

    /** Whether `org` may exercise `scope` on a record now, and why: `verdict` is an `Authorization` code. */
    authorization: async (fingerprint: Hex, org: number, scope: number) => {
      const [verdict, grantId] = await view("rights", "authorization", [
        fingerprintArg(fingerprint),
        checkOrgId(org, "org"),
        checkUint(scope, 8, "scope"),
      ]);
      return { verdict, grantId };
    },
    mayUse: async (fingerprint: Hex, org: number, scope: number) =>
      view("rights", "mayUse", [fingerprintArg(fingerprint), checkOrgId(org, "org"), checkUint(scope, 8, "scope")]),
    /** The grant a derivation of `parent` by `org` would rely on (0 for the owner); throws DerivationRefused if none. */
    derivationGrant: async (parent: Hex, org: number) =>
      view("rights", "derivationGrant", [fingerprintArg(parent, "parent"), checkOrgId(org, "org")]),
    getGrant: async (fingerprint: Hex, org: number) =>
      view("rights", "getGrant", [fingerprintArg(fingerprint), checkOrgId(org, "org")]),
    getOffer: async (offerId: number | bigint) => view("rights", "getOffer", [checkBigUint(offerId, 64, "offerId")]),
    /** The offer locking a record (open and unexpired, or waiting for customs), 0n if none. */
    pendingOffer: async (fingerprint: Hex) => view("rights", "pendingOffer", [fingerprintArg(fingerprint)]),
    /** A class's cross-border `Rule`. */
    classRule: async (dataClass: number) => view("rights", "classRule", [checkUint(dataClass, 8, "dataClass")]),
    /** Grants and offers issued so far. */
    counts: async () => {
      const [grants, offers] = await view("rights", "counts", []);
      return { grants, offers };
    },
    /** Seconds customs has to decide an accepted cross-border transfer before a party may abandon it. */
    customsReviewPeriod: async () => view("rights", "CUSTOMS_REVIEW_PERIOD", []),
  };
}

export type ProvledgerClient = ReturnType<typeof createProvledgerClient>;

// ---------------------------------------------------------------------------------------------------------------------
// Adapters

export interface AdapterOptions {
  /** The chain the addresses belong to; the client refuses to work on another. */
  chainId?: number;
  confirmations?: number;
  /** How often to poll for receipts, in ms (viem's default is 4000). */
  pollingInterval?: number;
}

/** Anything with an EIP-1193 `request` (a browser wallet, `hre.network.provider`, a WalletConnect provider). */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/**
 * A client over an EIP-1193 provider. `account` is an address the provider signs for (a browser wallet's, or an
 * unlocked node account), or a viem Account that signs locally (e.g. `privateKeyToAccount`); if left out, the
 * provider's first account (`eth_accounts`), and a read-only client if it has none.
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

/**
 * Rethrows a revert that carries no JSON-RPC error code (Hardhat's in-process provider, ethers' CALL_EXCEPTION) as
 * viem's RawContractError: viem then decodes it as a revert and, since a revert is deterministic, does not retry it
 * (it retries errors without a code, with a backoff of about a second).
 */
function asRevertError(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  const data = typeof code === "number" ? undefined : revertDataOf(error);
  if (data === undefined) throw error;
  throw new RawContractError({ data, message: error instanceof Error ? error.message : "execution reverted" });
}

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
 * to sign envelopes with `signRegistration({ account })`, or as a walletClient's account for an ethers Wallet.
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
