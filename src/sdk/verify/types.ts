/** What verification returns and takes: a verdict a program can branch on and a person can read. */
import type { Address, Hex } from "viem";

/** One named check (`Check`). `detail` says what was compared and, on failure, what differed. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The record's standing today, as read online (registrations only). */
export interface RecordStanding {
  exists: boolean;
  withdrawn: boolean;
  frozen: boolean;
  /** The newer version that superseded it, null if none. */
  supersededBy: Hex | null;
  /** The latest version (the record itself when not superseded). */
  latestVersion: Hex;
  ownerOrg: number;
  /** The owner as the registry names it, e.g. "CN-GD/GD Data Exchange (org 4)" ("organisation 4" if unreadable). */
  ownerName: string;
}

export interface Verdict {
  /** Every check passed: the receipt is authentic and (online) the record is in good standing. */
  valid: boolean;
  /** Every integrity check passed: the receipt tells the truth (standing checks aside). */
  authentic: boolean;
  checks: VerificationCheck[];
  /** One paragraph for a person. */
  summary: string;
  /**
   * Online verification: whether the node's chain holds the receipt's block. false: it does not (the chain was
   * reset, forked, or lost its last blocks), the summary begins "INVALID: NOT ON CHAIN". Absent offline, and when
   * the block could not be read.
   */
  onChain?: boolean;
  /** Online verification of a registration: the record's standing today. */
  standing?: RecordStanding;
}

export interface OfflineOptions {
  /**
   * How to recover signers: "auto" (libsecp256k1 when loadable, else viem), "native" (fail if not loadable) or "js"
   * (always viem). All give the same answers; they differ in speed.
   */
  secp256k1?: "auto" | "native" | "js";
}

export interface OnlineOptions extends OfflineOptions {
  /**
   * The ledger the verifier trusts, from its own deployment configuration. Required: every online check reads the
   * chain at the receipt's ledger address, so without this a receipt naming a look-alike contract could verify.
   */
  ledger: Address;
  /** Also ask whether `org` may exercise `scope` (Scope bits; default derive) on the record now. */
  authorization?: { org: number; scope?: number };
}
