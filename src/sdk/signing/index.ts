/**
 * EIP-712 signed submissions: a registrant signs a registration or a batch anchor with a key that never leaves it,
 * and anyone relays the envelope. The EIP-712 definitions are constants/eip712.ts's, re-exported here for callers of
 * this folder.
 */
export { EIP712_NAME, EIP712_VERSION, anchorBatchTypes, registerTypes } from "../constants/eip712";
export {
  ledgerDomain,
  parseEnvelope,
  serializeEnvelope,
  toEnvelope,
  type EnvelopeParameters,
  type SignedEnvelope,
} from "./envelope";
export {
  registerBySigArgs,
  registrationTypedData,
  signRegistration,
  toRegistration,
  type ParentLink,
  type RegisterBySigArgsParameters,
  type Registration,
  type RegistrationInput,
  type RegistrationSigningParameters,
  type RegistrationTypedData,
  type RegistrationTypedDataParameters,
} from "./registration";
export {
  anchorBatchBySigArgs,
  batchTypedData,
  signBatch,
  toBatch,
  type AnchorBatchBySigArgsParameters,
  type Batch,
  type BatchInput,
  type BatchSigningParameters,
  type BatchTypedData,
  type BatchTypedDataParameters,
} from "./batch";
export { signerAddress, type TypedDataSigner } from "./signer";
