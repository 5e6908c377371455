/**
 * Verification of provenance receipts (src/sdk/receipt), with a verdict a program can branch on and a person can
 * read: offline with nothing but the receipt (offline.ts), online against any RPC node of its chain (online.ts).
 * docs/receipts.md says which check binds each receipt field, and which fields a signature binds.
 */
export type { OfflineOptions, OnlineOptions, RecordStanding, VerificationCheck, Verdict } from "./types";
export { Check } from "./checks";
export { domainSeparator, nativeSecp256k1Available, submissionDigest } from "./signature";
export { verifyReceiptOffline } from "./offline";
export { verifyReceiptOnline } from "./online";
