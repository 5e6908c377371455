/**
 * The payload hash of a receipt's trail entry, from the receipt's own fields: keccak256 of the event's parameters
 * without the stamp, ABI-encoded in declaration order (README, "Audit trail encoding"; trail's `payloadHashOf` is
 * the generic form, over any decoded event, and the tests check both agree). Written with the fast encoder of
 * utils/abiWords.ts because offline verification recomputes it for every receipt.
 */
import type { Address, Hex } from "viem";
import { addressWord, bytes32Word, hashParts, staticArrayTail, stringTail, uintWord } from "../utils/abiWords";
import type { DecimalString, ReceiptParent } from "./types";

export interface RegistrationPayloadParameters {
  fingerprint: Hex;
  ownerOrg: number;
  registrant: Address;
  scheme: number;
  dataClass: number;
  metadataHash: Hex;
  metadataURI: string;
  parents: readonly ReceiptParent[];
}

export interface BatchPayloadParameters {
  root: Hex;
  org: number;
  registrant: Address;
  leafCount: DecimalString;
  metadataHash: Hex;
  metadataURI: string;
}

/**
 * keccak256(abi.encode(fingerprint, ownerOrg, registrant, scheme, dataClass, metadataHash, metadataURI,
 * (bytes32,uint8)[] parents, uint256[] derivationGrants)): RecordRegistered without its stamp.
 */
export function registrationPayloadHash(fields: RegistrationPayloadParameters): Hex {
  const { parents } = fields;
  return hashParts([
    bytes32Word(fields.fingerprint),
    uintWord(fields.ownerOrg),
    addressWord(fields.registrant),
    uintWord(fields.scheme),
    uintWord(fields.dataClass),
    bytes32Word(fields.metadataHash),
    stringTail(fields.metadataURI),
    staticArrayTail(parents.map((p) => bytes32Word(p.fingerprint) + uintWord(p.relation))),
    staticArrayTail(parents.map((p) => uintWord(BigInt(p.grantId)))),
  ]);
}

/** keccak256(abi.encode(root, org, registrant, leafCount, metadataHash, metadataURI)): BatchAnchored without stamp. */
export function batchPayloadHash(fields: BatchPayloadParameters): Hex {
  return hashParts([
    bytes32Word(fields.root),
    uintWord(fields.org),
    addressWord(fields.registrant),
    uintWord(BigInt(fields.leafCount)),
    bytes32Word(fields.metadataHash),
    stringTail(fields.metadataURI),
  ]);
}
