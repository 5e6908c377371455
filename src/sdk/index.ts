/**
 * Provledger SDK: the public surface. Everything a user needs is exported here, by name; nothing else is public.
 * Each section is one part of src/sdk (see docs/architecture.md).
 */

// --- abi
export {
  contractAbis,
  dataRightsAbi,
  organizationRegistryAbi,
  provenanceLedgerAbi,
  provledgerAbi,
  provledgerErrorAbi,
  trailEventsAbi,
  type ProvledgerEvent,
  type ProvledgerEventName,
} from "./abi";

// --- constants
export {
  Action,
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  OrganizationStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
} from "./constants/codes";
export { codeName, enumName, enumNames, roleNames, scopeNames, type EnumType } from "./constants/names";

// --- types
export type { ContractRole, ProvledgerAddresses } from "./types/deployment";

// --- errors
export {
  ContractRevertError,
  InvalidInputError,
  ProvledgerClientError,
  ProvledgerError,
  UnknownRevertError,
  isContractError,
  isProvledgerError,
  isRetryableError,
  messageOf,
  type ClientErrorCode,
  type ProvledgerErrorArgs,
  type ProvledgerErrorName,
  type ProvledgerErrorOptions,
  type ProvledgerErrorParams,
} from "./errors";

// --- utils
export {
  checkAddress,
  checkAddresses,
  checkBigUint,
  checkBoolean,
  checkBytes,
  checkBytes32,
  checkFingerprint,
  checkOptionalBytes32,
  checkOrgId,
  checkString,
  checkTime,
  checkUint,
} from "./utils/check";
export { decodeProvledgerError, type ErrorContext } from "./utils/decodeProvledgerError";
export { formatBlockTime } from "./utils/format";
export { decodeJurisdiction, encodeJurisdiction, jurisdictionLabel } from "./utils/jurisdiction";
export { revertDataOf } from "./utils/revertData";

// --- clients (actions, decorators, adapters)
export * from "./clients";

// --- signing
export * from "./signing";

// --- fingerprint
export {
  canonicalJson,
  closeFingerprintPool,
  commitBytes,
  commitFile,
  fingerprintBytes,
  fingerprintDirectory,
  fingerprintFile,
  fingerprintPoolSize,
  fingerprintStream,
  generateSalt,
  manifestLeaf,
  manifestRoot,
  metadataHash,
  saltedFingerprint,
  verifyDisclosure,
  type CommitBytesOptions,
  type CommitFileOptions,
  type Commitment,
  type DirectoryManifest,
  type DirectoryProgress,
  type Disclosure,
  type FileProgressCallback,
  type FingerprintDirectoryOptions,
  type FingerprintFileOptions,
  type FingerprintStreamOptions,
  type ManifestEntry,
  type NonRegularFileType,
  type SkippedEntry,
  type StreamProgressCallback,
} from "./fingerprint";
export { FingerprintError, type FingerprintErrorCode, type FingerprintErrorOptions } from "./errors/fingerprint";

// --- merkle
export {
  MAX_BATCH_LEAVES,
  batchLeafHash,
  buildBatchTree,
  loadBatchTree,
  verifyBatchProof,
  type BatchTree,
  type BatchTreeDump,
} from "./merkle";
export {
  BatchTreeError,
  InvalidBatchDumpError,
  InvalidFingerprintError,
  LeafNotFoundError,
  type BatchTreeErrorCode,
} from "./errors/batch";

// --- batch
export {
  BATCH_FORMAT,
  batchMetadataHash,
  loadBatchManifest,
  prepareBatch,
  readBatchProofs,
  writeBatchFiles,
  type BatchManifest,
  type BatchProofLine,
  type PreparedBatch,
  type WriteBatchFilesReturnType,
} from "./batch";
export { BatchFileError, type BatchFileErrorCode, type BatchFileErrorOptions } from "./errors/batch";

// --- receipt
export {
  RECEIPT_SCHEMA,
  RECEIPT_SCHEMA_PATH,
  RECEIPT_VERSION,
  ReceiptBuildError,
  ReceiptFormatError,
  batchPayloadHash,
  batchRootFromProof,
  buildBatchMemberReceipt,
  buildRegistrationReceipt,
  parseReceipt,
  receiptFromChain,
  receiptProblems,
  registrationPayloadHash,
  stringifyReceipt,
  type BatchMemberReceipt,
  type BatchMemberReceiptRequest,
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
  type RegistrationReceiptRequest,
} from "./receipt";

// --- verify
export {
  Check,
  domainSeparator,
  nativeSecp256k1Available,
  submissionDigest,
  verifyReceiptOffline,
  verifyReceiptOnline,
  type OfflineOptions,
  type OnlineOptions,
  type RecordStanding,
  type VerificationCheck,
  type Verdict,
} from "./verify";

// --- trail
export {
  TRAIL_ACTIONS,
  emptyTrailState,
  isTrailEvent,
  ledgerEntry,
  payloadHashOf,
  recordEntry,
  replayTrail,
  trailEntryFromEvent,
  verifyCompleteTrail,
  type CompletenessVerdict,
  type DecodedEvent,
  type LedgerCheckpoint,
  type TrailEntry,
  type TrailEventName,
  type TrailStamp,
  type TrailState,
} from "./trail";
export { TrailEventError, TrailMismatchError, type TrailEventErrorCode } from "./errors/trail";

// --- explain
export {
  explainProvenance,
  formatExplanation,
  type CustomsDecision,
  type ExplainOptions,
  type ExplainProvenanceReturnType,
  type FindingInfo,
  type FreezeInfo,
  type GrantInfo,
  type GrantState,
  type InspectionInfo,
  type OrganizationInfo,
  type ProvenanceEdge,
  type ProvenanceNode,
  type ProvledgerContracts,
  type RegisteredNode,
  type TransferInfo,
  type TransferState,
  type UnknownNode,
} from "./explain";
