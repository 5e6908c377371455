/** Signed batch anchors: as signed registrations (registration.ts), for a batch's Merkle root. */
import type { Address, Hex, TypedDataDefinition } from "viem";
import { anchorBatchTypes } from "../constants/eip712";
import { InvalidInputError } from "../errors/input";
import { checkBigUint, checkBytes32, checkOptionalBytes32, checkString } from "../utils/check";
import {
  envelopeFields,
  envelopeOf,
  ledgerDomain,
  toEnvelope,
  type EnvelopeParameters,
  type SignedEnvelope,
} from "./envelope";
import { signTypedDataWith, signerAddress, type TypedDataSigner } from "./signer";

/** A batch anchor: the root of a StandardMerkleTree over fingerprints (src/sdk/merkle), and its size. */
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

export type BatchTypedData = TypedDataDefinition<typeof anchorBatchTypes, "AnchorBatch">;

export type BatchTypedDataParameters = EnvelopeParameters & { signer: Address; batch: BatchInput };

/**
 * The EIP-712 typed data a registrant signs for `anchorBatchBySig`.
 *
 * @example
 * const typedData = batchTypedData({ ledger, chainId: 31337, nonce: 0, deadline, signer, batch });
 */
export function batchTypedData(parameters: BatchTypedDataParameters): BatchTypedData {
  const fields = envelopeFields(parameters, parameters.signer);
  return {
    domain: ledgerDomain(fields.ledger, fields.chainId),
    types: anchorBatchTypes,
    primaryType: "AnchorBatch",
    message: {
      signer: fields.signer,
      org: fields.org,
      ...toBatch(parameters.batch),
      chainId: fields.chainId,
      nonce: fields.nonce,
      deadline: fields.deadline,
    },
  };
}

export type BatchSigningParameters = EnvelopeParameters & { account: TypedDataSigner; batch: BatchInput };

/**
 * Signs a batch anchor for relaying. Returns the envelope a relayer submits with the batch.
 *
 * @example
 * const envelope = await signBatch({ account, ledger, chainId: 31337, nonce: 1, deadline, batch });
 * await relayer.anchorBatchBySig({ batch, envelope });
 */
export async function signBatch(parameters: BatchSigningParameters): Promise<SignedEnvelope> {
  const typedData = batchTypedData({ ...parameters, signer: parameters.signer ?? signerAddress(parameters.account) });
  return envelopeOf(typedData.message, await signTypedDataWith(parameters.account, typedData));
}

export interface AnchorBatchBySigArgsParameters {
  batch: BatchInput;
  envelope: SignedEnvelope;
}

/** The checked arguments of `anchorBatchBySig`, for relaying with any client. */
export function anchorBatchBySigArgs(
  parameters: AnchorBatchBySigArgsParameters,
): readonly [Hex, bigint, Hex, string, SignedEnvelope] {
  const batch = toBatch(parameters.batch);
  return [batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, toEnvelope(parameters.envelope)];
}
