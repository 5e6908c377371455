/**
 * The offline signature check: the EIP-712 digest of a signed submission, computed as the ledger does from the
 * definitions of constants/eip712.ts, and the signer recovered from it (libsecp256k1 when it loads, else viem). What
 * the digest covers is the `Register` / `AnchorBatch` struct and the domain, not every receipt field: docs/receipts.md
 * ("What binds each field") lists them.
 */
import { hexToBytes, isAddressEqual, keccak256, recoverAddress, stringToBytes, type Address, type Hex } from "viem";
import {
  ANCHOR_BATCH_TYPEHASH,
  DOMAIN_TYPEHASH,
  NAME_HASH,
  PARENT_LINK_TYPEHASH,
  REGISTER_TYPEHASH,
  VERSION_HASH,
} from "../constants/eip712";
import type { ProvenanceReceipt } from "../receipt/types";
import { addressWord, bytes32Word, hashParts, uintWord } from "../utils/abiWords";
import { Check, fail, pass } from "./checks";
import type { OfflineOptions, VerificationCheck } from "./types";

/** The ledger's EIP-712 domain separator (name "Provledger", version "1", chain id, ledger address). */
export function domainSeparator(chainId: bigint, ledger: Address): Hex {
  return hashParts([
    bytes32Word(DOMAIN_TYPEHASH),
    bytes32Word(NAME_HASH),
    bytes32Word(VERSION_HASH),
    uintWord(chainId),
    addressWord(ledger),
  ]);
}

/** keccak256 of a string's UTF-8 bytes, as a word (EIP-712 encodes `string` members so). */
function stringHashWord(value: string): string {
  return bytes32Word(keccak256(stringToBytes(value)));
}

/**
 * The EIP-712 digest the signer signed, computed exactly as the ledger does (README, "Signed submissions"); equal to
 * viem's hashTypedData with the SDK's types (the tests check both). Undefined for an unsigned receipt.
 */
export function submissionDigest(receipt: ProvenanceReceipt): Hex | undefined {
  const submission = receipt.submission;
  if (!submission) return undefined;
  const envelope = [
    uintWord(BigInt(submission.chainId)),
    uintWord(BigInt(submission.nonce)),
    uintWord(BigInt(submission.deadline)),
  ];
  let structHash: Hex;
  if (receipt.kind === "registration") {
    const { record } = receipt;
    const parentHashes = record.parents.map((p) =>
      bytes32Word(hashParts([bytes32Word(PARENT_LINK_TYPEHASH), bytes32Word(p.fingerprint), uintWord(p.relation)])),
    );
    structHash = hashParts([
      bytes32Word(REGISTER_TYPEHASH),
      addressWord(submission.signer),
      // The organisation the signer acted for is signed: the one the ledger recorded as owner at registration.
      uintWord(record.ownerOrg),
      bytes32Word(receipt.fingerprint),
      uintWord(record.scheme),
      uintWord(record.dataClass),
      bytes32Word(record.metadataHash),
      stringHashWord(record.metadataURI),
      bytes32Word(hashParts(parentHashes)),
      ...envelope,
    ]);
  } else {
    const { batch } = receipt;
    structHash = hashParts([
      bytes32Word(ANCHOR_BATCH_TYPEHASH),
      addressWord(submission.signer),
      uintWord(batch.org),
      bytes32Word(batch.root),
      uintWord(BigInt(batch.leafCount)),
      bytes32Word(batch.metadataHash),
      stringHashWord(batch.metadataURI),
      ...envelope,
    ]);
  }
  const domain = domainSeparator(BigInt(receipt.chainId), receipt.ledger);
  return keccak256(Buffer.from(`1901${bytes32Word(domain)}${bytes32Word(structHash)}`, "hex"));
}

/** secp256k1's group order n, and n/2: OpenZeppelin's ECDSA (hence the ledger) rejects s > n/2 (malleability). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

/** The libsecp256k1 binding's one function we use (npm package `secp256k1`, prebuilt N-API binaries). */
interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recoveryId: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

let native: NativeSecp256k1 | null | undefined;

/**
 * libsecp256k1 recovers a public key in about 60 µs, viem's pure-JavaScript secp256k1 in about 2 ms: the difference
 * between meeting the 1 ms offline budget for signed receipts or not. The binding is loaded only if present and
 * loadable (a prebuilt binary for this platform); otherwise verification falls back to viem, with the same results.
 */
function nativeSecp256k1(): NativeSecp256k1 | null {
  if (native === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      native = require("secp256k1/bindings") as NativeSecp256k1;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Whether signatures are recovered with libsecp256k1 (fast) rather than viem's JavaScript implementation. */
export function nativeSecp256k1Available(): boolean {
  return nativeSecp256k1() !== null;
}

async function recoverSigner(digest: Hex, signature: Hex, backend: OfflineOptions["secp256k1"]): Promise<Address> {
  const useNative = backend === "js" ? null : nativeSecp256k1();
  if (backend === "native" && !useNative) throw new Error("the native secp256k1 binding is not available");
  if (!useNative) return (await recoverAddress({ hash: digest, signature })).toLowerCase() as Address;
  const bytes = hexToBytes(signature);
  const publicKey = useNative.ecdsaRecover(bytes.subarray(0, 64), bytes[64] - 27, hexToBytes(digest), false);
  return `0x${keccak256(publicKey.subarray(1)).slice(-40)}`;
}

/**
 * OpenZeppelin's ECDSA.tryRecover (the ledger's SignatureChecker) takes 65-byte (r, s, v) signatures only, v 27 or
 * 28 and s in the lower half; anything else can only be a contract wallet's (ERC-1271) signature.
 */
function eoaSignatureProblem(signature: Hex): string | undefined {
  if (signature.length !== 132) return `signature is ${(signature.length - 2) / 2} bytes, not 65`;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  if (v !== 27 && v !== 28) return `v is ${v}, not 27 or 28`;
  if (r === 0n || r >= SECP256K1_N || s === 0n) return "r or s is out of range";
  if (s > HALF_N) return "s is in the upper half of the curve order (a malleated signature the ledger rejects)";
  return undefined;
}

export async function signatureCheck(receipt: ProvenanceReceipt, options: OfflineOptions): Promise<VerificationCheck> {
  const submission = receipt.submission;
  if (!submission) return pass(Check.SIGNATURE, "not a signed submission: the registrant sent the transaction");
  const registrant = receipt.kind === "registration" ? receipt.record.registrant : receipt.batch.registrant;
  if (!isAddressEqual(submission.signer, registrant)) {
    return fail(Check.SIGNATURE, `signer ${submission.signer} is not the registrant ${registrant}`);
  }
  if (submission.chainId !== receipt.chainId) {
    return fail(Check.SIGNATURE, `signed for chain ${submission.chainId}, the receipt is of chain ${receipt.chainId}`);
  }
  const signature = submission.signature;
  const problem = eoaSignatureProblem(signature);
  if (problem) {
    return fail(Check.SIGNATURE, `${problem}; not an account's signature (an ERC-1271 wallet's? verify online)`);
  }
  const digest = submissionDigest(receipt)!;
  const recovered = await recoverSigner(digest, signature, options.secp256k1 ?? "auto");
  const struct = receipt.kind === "registration" ? "Register" : "AnchorBatch";
  return isAddressEqual(recovered, submission.signer)
    ? pass(Check.SIGNATURE, `EIP-712 signature of ${submission.signer} over the ${struct} fields and this envelope`)
    : fail(
        Check.SIGNATURE,
        `the signature over the ${struct} fields recovers ${recovered}, not the signer ${submission.signer} ` +
          `(an ERC-1271 wallet's? verify online)`,
      );
}
