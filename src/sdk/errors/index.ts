/**
 * Every error the SDK throws on purpose descends from `ProvledgerError` (errors/base.ts): one file per domain.
 * Turning whatever viem, ethers or a node threw into one of these is `decodeProvledgerError` (utils/).
 */
export { ProvledgerError, isProvledgerError, isRetryableError, type ProvledgerErrorOptions } from "./base";
export { InvalidInputError } from "./input";
export { ProvledgerClientError, type ClientErrorCode } from "./client";
export {
  ContractRevertError,
  UnknownRevertError,
  isContractError,
  type ProvledgerErrorArgs,
  type ProvledgerErrorName,
  type ProvledgerErrorParams,
} from "./contract";
export { messageOf } from "./messages";
export { TrailEventError, TrailMismatchError, type TrailEventErrorCode } from "./trail";
export { FingerprintError, type FingerprintErrorCode, type FingerprintErrorOptions } from "./fingerprint";
export {
  BatchFileError,
  BatchTreeError,
  InvalidBatchDumpError,
  InvalidFingerprintError,
  LeafNotFoundError,
  type BatchFileErrorCode,
  type BatchFileErrorOptions,
  type BatchTreeErrorCode,
} from "./batch";
export {
  ReceiptBuildError,
  ReceiptFormatError,
  type ReceiptBuildErrorCode,
  type ReceiptFormatErrorCode,
} from "./receipt";
