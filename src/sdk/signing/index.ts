/**
 * EIP-712 signed submissions (README, "Signed submissions"): the registrant signs a registration or a batch anchor
 * with a key that never leaves it (a local key, a hardware wallet, a browser wallet, an ethers signer), and anyone
 * relays the signed envelope with `registerBySig` / `anchorBatchBySig`; the record names the signer as registrant.
 *
 * Everything here is pure apart from the signing itself: nonce, chain id and deadline are given, so a registrant
 * may sign offline. `ProvledgerClient.signRegistration` fills them in from the chain.
 */
import type {
  Account,
  Address,
  Chain,
  ContractFunctionArgs,
  Hex,
  LocalAccount,
  Transport,
  TypedDataDefinition,
  WalletClient,
} from "viem";
import type { provenanceLedgerAbi } from "../abi";
import { Scheme } from "../constants/codes";
import { EIP712_NAME, EIP712_VERSION, anchorBatchTypes, registerTypes } from "../constants/eip712";
import { InvalidInputError } from "../errors";
import {
  checkAddress,
  checkBigUint,
  checkBytes,
  checkBytes32,
  checkFingerprint,
  checkOptionalBytes32,
  checkString,
  checkTime,
  checkUint,
} from "../utils/check";

export { EIP712_NAME, EIP712_VERSION, anchorBatchTypes, registerTypes };

/** IProvenanceLedger.Registration, typed from the ABI. */
export type Registration = ContractFunctionArgs<typeof provenanceLedgerAbi, "nonpayable", "register">[0];
/** IProvenanceLedger.SignedEnvelope, typed from the ABI: what the relayer submits with the registration or batch. */
export type SignedEnvelope = ContractFunctionArgs<typeof provenanceLedgerAbi, "nonpayable", "registerBySig">[1];
/** A parent link: `relation` 0 derived-from, 1 revision-of (`Relation`). */
export type ParentLink = Registration["parents"][number];

/** A registration as callers write it; checked and completed by `toRegistration`. */
export interface RegistrationInput {
  fingerprint: Hex;
  /** `DataClass` code: 0 public, 1 internal, 2 important, 3 core. */
  dataClass: number;
  /** `Scheme` code; SHA-256 of the content by default. */
  scheme?: number;
  /** Hash of the metadata document (`metadataHash` in src/sdk/fingerprint.ts); zero if there is none. */
  metadataHash?: Hex;
  /** Optional short URI of the metadata, at most 256 bytes. */
  metadataURI?: string;
  parents?: readonly { fingerprint: Hex; relation: number }[];
}

/** A batch anchor: the root of a StandardMerkleTree over fingerprints (src/sdk/merkle.ts), and its size. */
export interface BatchInput {
  root: Hex;
  leafCount: bigint | number;
  metadataHash?: Hex;
  metadataURI?: string;
}

export interface Batch {
  root: Hex;
  leafCount: bigint;
  metadataHash: Hex;
  metadataURI: string;
}

/** Checks a registration's fields and fills in the defaults (InvalidInputError on a malformed field). */
export function toRegistration(input: RegistrationInput): Registration {
  if (typeof input !== "object" || input === null)
    throw new InvalidInputError("registration", input, "must be an object");
  const parents = input.parents ?? [];
  if (!Array.isArray(parents)) throw new InvalidInputError("parents", parents, "must be an array");
  return {
    fingerprint: checkFingerprint(input.fingerprint),
    scheme: checkUint(input.scheme ?? Scheme.SHA256, 8, "scheme"),
    dataClass: checkUint(input.dataClass, 8, "dataClass"),
    metadataHash: checkOptionalBytes32(input.metadataHash, "metadataHash"),
    metadataURI: checkString(input.metadataURI ?? "", "metadataURI"),
    parents: parents.map((parent: { fingerprint: Hex; relation: number }, i) => ({
      fingerprint: checkFingerprint(parent?.fingerprint, `parents[${i}].fingerprint`),
      relation: checkUint(parent?.relation, 8, `parents[${i}].relation`),
    })),
  };
}

/** Checks a batch anchor's fields and fills in the defaults. */
export function toBatch(input: BatchInput): Batch {
  if (typeof input !== "object" || input === null) throw new InvalidInputError("batch", input, "must be an object");
  return {
    root: checkBytes32(input.root, "root"),
    leafCount: checkBigUint(input.leafCount, 64, "leafCount"),
    metadataHash: checkOptionalBytes32(input.metadataHash, "metadataHash"),
    metadataURI: checkString(input.metadataURI ?? "", "metadataURI"),
  };
}

/** Checks an envelope received from a signer. */
export function toEnvelope(envelope: SignedEnvelope): SignedEnvelope {
  if (typeof envelope !== "object" || envelope === null) {
    throw new InvalidInputError("envelope", envelope, "must be an object");
  }
  return {
    signer: checkAddress(envelope.signer, "envelope.signer"),
    chainId: checkBigUint(envelope.chainId, 256, "envelope.chainId"),
    nonce: checkBigUint(envelope.nonce, 256, "envelope.nonce"),
    deadline: checkBigUint(envelope.deadline, 256, "envelope.deadline"),
    signature: checkBytes(envelope.signature, "envelope.signature"),
  };
}

/** What binds a signature to one ledger, chain, signer, nonce and moment. */
export interface EnvelopeParameters {
  /** The ProvenanceLedger's address (the EIP-712 verifying contract). */
  ledger: Address;
  chainId: number | bigint;
  /** The signer's next nonce on the ledger (`nonces(signer)`). */
  nonce: number | bigint;
  /** Last block time at which the signature may be used: a Date or seconds since 1970. */
  deadline: number | bigint | Date;
  /** The signing account: defaults to the signing key's address; set it to an ERC-1271 wallet (e.g. a multisig). */
  signer?: Address;
}

function envelopeFields(parameters: EnvelopeParameters, signer: Address) {
  return {
    ledger: checkAddress(parameters.ledger, "ledger"),
    signer: checkAddress(parameters.signer ?? signer, "signer"),
    chainId: checkBigUint(parameters.chainId, 256, "chainId"),
    nonce: checkBigUint(parameters.nonce, 256, "nonce"),
    deadline: checkTime(parameters.deadline, 256, "deadline"),
  };
}

/** The ledger's EIP-712 domain on a chain. */
export function ledgerDomain(ledger: Address, chainId: number | bigint) {
  return { name: EIP712_NAME, version: EIP712_VERSION, chainId: BigInt(chainId), verifyingContract: ledger } as const;
}

export type RegistrationTypedData = TypedDataDefinition<typeof registerTypes, "Register">;
export type BatchTypedData = TypedDataDefinition<typeof anchorBatchTypes, "AnchorBatch">;

/** The EIP-712 typed data a registrant signs for `registerBySig` (what a wallet shows to its user). */
export function registrationTypedData(
  parameters: EnvelopeParameters & { signer: Address; registration: RegistrationInput },
): RegistrationTypedData {
  const fields = envelopeFields(parameters, parameters.signer);
  const registration = toRegistration(parameters.registration);
  return {
    domain: ledgerDomain(fields.ledger, fields.chainId),
    types: registerTypes,
    primaryType: "Register",
    message: {
      signer: fields.signer,
      ...registration,
      chainId: fields.chainId,
      nonce: fields.nonce,
      deadline: fields.deadline,
    },
  };
}

/** The EIP-712 typed data a registrant signs for `anchorBatchBySig`. */
export function batchTypedData(
  parameters: EnvelopeParameters & { signer: Address; batch: BatchInput },
): BatchTypedData {
  const fields = envelopeFields(parameters, parameters.signer);
  return {
    domain: ledgerDomain(fields.ledger, fields.chainId),
    types: anchorBatchTypes,
    primaryType: "AnchorBatch",
    message: {
      signer: fields.signer,
      ...toBatch(parameters.batch),
      chainId: fields.chainId,
      nonce: fields.nonce,
      deadline: fields.deadline,
    },
  };
}

/**
 * Whatever can sign EIP-712 typed data: a viem local or custom account (`privateKeyToAccount`, a hardware wallet's
 * `toAccount`, `ethersSignerToAccount`), or a wallet client with an account (a browser wallet over EIP-1193).
 */
export type TypedDataSigner =
  Pick<LocalAccount, "address" | "signTypedData"> | WalletClient<Transport, Chain | undefined, Account>;

/** The address a TypedDataSigner signs as. */
export function signerAddress(signer: TypedDataSigner): Address {
  return "address" in signer ? signer.address : signer.account.address;
}

/** Signs a registration for relaying; the key stays with `account`. Returns the envelope a relayer submits. */
export async function signRegistration(
  parameters: EnvelopeParameters & { account: TypedDataSigner; registration: RegistrationInput },
): Promise<SignedEnvelope> {
  const typedData = registrationTypedData({
    ...parameters,
    signer: parameters.signer ?? signerAddress(parameters.account),
  });
  const account = parameters.account;
  const signature =
    "address" in account
      ? await account.signTypedData(typedData)
      : await account.signTypedData({ ...typedData, account: account.account });
  const { signer, chainId, nonce, deadline } = typedData.message;
  return { signer, chainId, nonce, deadline, signature };
}

/** Signs a batch anchor for relaying. Returns the envelope a relayer submits with the batch. */
export async function signBatch(
  parameters: EnvelopeParameters & { account: TypedDataSigner; batch: BatchInput },
): Promise<SignedEnvelope> {
  const typedData = batchTypedData({ ...parameters, signer: parameters.signer ?? signerAddress(parameters.account) });
  const account = parameters.account;
  const signature =
    "address" in account
      ? await account.signTypedData(typedData)
      : await account.signTypedData({ ...typedData, account: account.account });
  const { signer, chainId, nonce, deadline } = typedData.message;
  return { signer, chainId, nonce, deadline, signature };
}

/** The checked arguments of `registerBySig`, for relaying with any client. */
export function registerBySigArgs(
  registration: RegistrationInput,
  envelope: SignedEnvelope,
): readonly [Registration, SignedEnvelope] {
  return [toRegistration(registration), toEnvelope(envelope)];
}

/** The checked arguments of `anchorBatchBySig`. */
export function anchorBatchBySigArgs(
  batch: BatchInput,
  envelope: SignedEnvelope,
): readonly [Hex, bigint, Hex, string, SignedEnvelope] {
  const checked = toBatch(batch);
  return [checked.root, checked.leafCount, checked.metadataHash, checked.metadataURI, toEnvelope(envelope)];
}

/** An envelope as JSON (numbers as decimal strings), to carry it from the signer to the relayer. */
export function serializeEnvelope(envelope: SignedEnvelope): string {
  const { signer, chainId, nonce, deadline, signature } = toEnvelope(envelope);
  return JSON.stringify({
    signer,
    chainId: chainId.toString(),
    nonce: nonce.toString(),
    deadline: deadline.toString(),
    signature,
  });
}

/** Reads an envelope written by `serializeEnvelope` (InvalidInputError if malformed). */
export function parseEnvelope(json: string): SignedEnvelope {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new InvalidInputError("envelope", json, "is not JSON");
  }
  const integer = (field: string): bigint => {
    const raw = value?.[field];
    if (typeof raw !== "string" || !/^\d+$/.test(raw)) {
      throw new InvalidInputError(`envelope.${field}`, raw, "must be a decimal string");
    }
    return BigInt(raw);
  };
  return toEnvelope({
    signer: value?.signer as Address,
    chainId: integer("chainId"),
    nonce: integer("nonce"),
    deadline: integer("deadline"),
    signature: value?.signature as Hex,
  });
}
