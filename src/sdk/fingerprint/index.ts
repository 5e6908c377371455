/** Fingerprints (docs/fingerprints.md): the three schemes, metadata hashes and the hashing pool. Errors: errors/fingerprint.ts. */
export {
  fingerprintBytes,
  fingerprintFile,
  fingerprintStream,
  type FileProgressCallback,
  type FingerprintFileOptions,
  type FingerprintStreamOptions,
  type StreamProgressCallback,
} from "./sha256";
export {
  commitBytes,
  commitFile,
  generateSalt,
  saltedFingerprint,
  verifyDisclosure,
  type CommitBytesOptions,
  type CommitFileOptions,
  type Commitment,
  type Disclosure,
} from "./commitment";
export { canonicalJson, metadataHash } from "./metadata";
export {
  manifestLeaf,
  manifestRoot,
  type DirectoryManifest,
  type ManifestEntry,
  type NonRegularFileType,
  type SkippedEntry,
} from "./manifest";
export { fingerprintDirectory, type DirectoryProgress, type FingerprintDirectoryOptions } from "./directory";
export { closeFingerprintPool, fingerprintPoolSize } from "./pool";
