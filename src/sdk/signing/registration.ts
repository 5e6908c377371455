/**
 * Signed registrations (README, "Signed submissions"): the registrant signs with a key that never leaves it, and
 * anyone relays the envelope with `registerBySig`; the record names the signer as registrant. Pure apart from the
 * signing itself: nonce, chain id and deadline are given, so a registrant may sign offline (the client's
 * `signRegistration` reads them from the chain).
 */
import type { Address, ContractFunctionArgs, Hex, TypedDataDefinition } from "viem";
import type { provenanceLedgerAbi } from "../abi";
import { Scheme } from "../constants/codes";
import { registerTypes } from "../constants/eip712";
import { InvalidInputError } from "../errors/input";
import { checkFingerprint, checkOptionalBytes32, checkString, checkUint } from "../utils/check";
import {
  envelopeFields,
  envelopeOf,
  ledgerDomain,
  toEnvelope,
  type EnvelopeParameters,
  type SignedEnvelope,
} from "./envelope";
import { signTypedDataWith, signerAddress, type TypedDataSigner } from "./signer";

/** IProvenanceLedger.Registration, typed from the ABI. */
export type Registration = ContractFunctionArgs<typeof provenanceLedgerAbi, "nonpayable", "register">[0];
/** A parent link: `relation` 0 derived-from, 1 revision-of (`Relation`). */
export type ParentLink = Registration["parents"][number];

/** A registration as callers write it; checked and completed by `toRegistration`. */
export interface RegistrationInput {
  fingerprint: Hex;
  /** `DataClass` code: 0 public, 1 internal, 2 important, 3 core. */
  dataClass: number;
  /** `Scheme` code; SHA-256 of the content by default. */
  scheme?: number;
  /** Hash of the metadata document (`metadataHash` of the fingerprint part); zero if there is none. */
  metadataHash?: Hex;
  /** Optional short URI of the metadata, at most 256 bytes. */
  metadataURI?: string;
  parents?: readonly { fingerprint: Hex; relation: number }[];
}

/** Checks a registration's fields and fills in the defaults (InvalidInputError on a malformed field). */
export function toRegistration(input: RegistrationInput): Registration {
  if (typeof input !== "object" || input === null) {
    throw new InvalidInputError("registration", input, "must be an object");
  }
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

export type RegistrationTypedData = TypedDataDefinition<typeof registerTypes, "Register">;

export type RegistrationTypedDataParameters = EnvelopeParameters & {
  /** The signing account (`signerAddress` of the key, or an ERC-1271 wallet). */
  signer: Address;
  registration: RegistrationInput;
};

/**
 * The EIP-712 typed data a registrant signs for `registerBySig` (what a wallet shows to its user).
 *
 * @example
 * const typedData = registrationTypedData({ ledger, chainId: 31337, nonce: 0, deadline, signer, registration });
 * const signature = await account.signTypedData(typedData);
 */
export function registrationTypedData(parameters: RegistrationTypedDataParameters): RegistrationTypedData {
  const fields = envelopeFields(parameters, parameters.signer);
  const registration = toRegistration(parameters.registration);
  return {
    domain: ledgerDomain(fields.ledger, fields.chainId),
    types: registerTypes,
    primaryType: "Register",
    message: {
      signer: fields.signer,
      org: fields.org,
      ...registration,
      chainId: fields.chainId,
      nonce: fields.nonce,
      deadline: fields.deadline,
    },
  };
}

export type RegistrationSigningParameters = EnvelopeParameters & {
  /** The key that signs; it never leaves its owner. */
  account: TypedDataSigner;
  registration: RegistrationInput;
};

/**
 * Signs a registration for relaying; the key stays with `account`. Returns the envelope a relayer submits.
 *
 * @example
 * const envelope = await signRegistration({ account, ledger, chainId: 31337, nonce: 0, deadline, registration });
 * await relayer.registerBySig({ registration, envelope });
 */
export async function signRegistration(parameters: RegistrationSigningParameters): Promise<SignedEnvelope> {
  const typedData = registrationTypedData({
    ...parameters,
    signer: parameters.signer ?? signerAddress(parameters.account),
  });
  return envelopeOf(typedData.message, await signTypedDataWith(parameters.account, typedData));
}

export interface RegisterBySigArgsParameters {
  registration: RegistrationInput;
  envelope: SignedEnvelope;
}

/** The checked arguments of `registerBySig`, for relaying with any client. */
export function registerBySigArgs(parameters: RegisterBySigArgsParameters): readonly [Registration, SignedEnvelope] {
  return [toRegistration(parameters.registration), toEnvelope(parameters.envelope)];
}
