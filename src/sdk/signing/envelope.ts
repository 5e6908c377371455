/**
 * The signed envelope: what binds a signature to one ledger, chain, signer, organisation, nonce and moment, and how
 * it travels
 * from the signer to the relayer (JSON, numbers as decimal strings).
 */
import type { Address, ContractFunctionArgs, Hex } from "viem";
import type { provenanceLedgerAbi } from "../abi";
import { EIP712_NAME, EIP712_VERSION } from "../constants/eip712";
import { InvalidInputError } from "../errors/input";
import { checkAddress, checkBigUint, checkBytes, checkTime } from "../utils/check";

/** IProvenanceLedger.SignedEnvelope, typed from the ABI: what the relayer submits with the registration or batch. */
export type SignedEnvelope = ContractFunctionArgs<typeof provenanceLedgerAbi, "nonpayable", "registerBySig">[1];

/** What binds a signature to one ledger, chain, signer, organisation, nonce and moment. */
export interface EnvelopeParameters {
  /** The ProvenanceLedger's address (the EIP-712 verifying contract). */
  ledger: Address;
  chainId: number | bigint;
  /**
   * The organisation the signer acts for (`organizationOf(signer)`): signed, so that the signature no longer works
   * once the key moves to another organisation. The ledger hashes in the signer's organisation at relay time.
   */
  org: number | bigint;
  /** The signer's next nonce on the ledger (`nonces(signer)`). */
  nonce: number | bigint;
  /** Last block time at which the signature may be used: a Date or seconds since 1970. */
  deadline: number | bigint | Date;
  /** The signing account: defaults to the signing key's address; set it to an ERC-1271 wallet (e.g. a multisig). */
  signer?: Address;
}

/** The checked envelope fields of a message, `signer` defaulting to the key's address. */
export function envelopeFields(parameters: EnvelopeParameters, signer: Address) {
  return {
    ledger: checkAddress(parameters.ledger, "ledger"),
    signer: checkAddress(parameters.signer ?? signer, "signer"),
    chainId: checkBigUint(parameters.chainId, 256, "chainId"),
    org: Number(checkBigUint(parameters.org, 32, "org")),
    nonce: checkBigUint(parameters.nonce, 256, "nonce"),
    deadline: checkTime(parameters.deadline, 256, "deadline"),
  };
}

/** The ledger's EIP-712 domain on a chain. */
export function ledgerDomain(ledger: Address, chainId: number | bigint) {
  return { name: EIP712_NAME, version: EIP712_VERSION, chainId: BigInt(chainId), verifyingContract: ledger } as const;
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

/** The envelope of a signed message: its envelope fields and the signature. */
export function envelopeOf(
  message: Pick<SignedEnvelope, "signer" | "chainId" | "nonce" | "deadline">,
  signature: Hex,
): SignedEnvelope {
  const { signer, chainId, nonce, deadline } = message;
  return { signer, chainId, nonce, deadline, signature };
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
