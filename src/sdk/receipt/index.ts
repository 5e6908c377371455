/**
 * Provenance receipts: a self-contained, versioned JSON document that proves a dataset fingerprint was registered
 * (or anchored in a batch) on a Provledger ledger, checkable offline and online (src/sdk/verify). The format is
 * schemas/provenance-receipt.v1.schema.json, documented in docs/receipts.md.
 */
export {
  RECEIPT_VERSION,
  type BatchMemberReceipt,
  type DecimalString,
  type ProvenanceReceipt,
  type ReceiptBatch,
  type ReceiptParent,
  type ReceiptRecord,
  type ReceiptStamp,
  type ReceiptSubmission,
  type ReceiptTrail,
  type ReceiptTransaction,
  type RegistrationReceipt,
} from "./types";
export { RECEIPT_SCHEMA, RECEIPT_SCHEMA_PATH, receiptProblems } from "./schema";
export { parseReceipt, stringifyReceipt } from "./format";
export {
  batchPayloadHash,
  registrationPayloadHash,
  type BatchPayloadParameters,
  type RegistrationPayloadParameters,
} from "./payload";
export {
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  receiptFromChain,
  type BuildBatchMemberReceiptParameters,
  type BuildRegistrationReceiptParameters,
} from "./build";
export {
  ReceiptBuildError,
  ReceiptFormatError,
  type ReceiptBuildErrorCode,
  type ReceiptFormatErrorCode,
} from "../errors/receipt";
