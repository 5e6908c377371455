/**
 * The one definition of the ledger's EIP-712 signed submissions: the domain's name and version, the struct types, and
 * the type hashes derived from them. Signing (signing/) and offline verification (verify/) both use these; the
 * contract's REGISTER_TYPEHASH and ANCHOR_BATCH_TYPEHASH are checked against them in the tests.
 */
import { keccak256, stringToBytes, type Hex } from "viem";

export const EIP712_NAME = "Provledger";
export const EIP712_VERSION = "1";

/** The EIP-712 types of a signed registration, exactly as ProvenanceLedger.REGISTER_TYPEHASH. */
export const registerTypes = {
  Register: [
    { name: "signer", type: "address" },
    { name: "org", type: "uint32" },
    { name: "fingerprint", type: "bytes32" },
    { name: "scheme", type: "uint8" },
    { name: "dataClass", type: "uint8" },
    { name: "metadataHash", type: "bytes32" },
    { name: "metadataURI", type: "string" },
    { name: "parents", type: "ParentLink[]" },
    { name: "chainId", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  ParentLink: [
    { name: "fingerprint", type: "bytes32" },
    { name: "relation", type: "uint8" },
  ],
} as const;

/** The EIP-712 types of a signed batch anchor, exactly as ProvenanceLedger.ANCHOR_BATCH_TYPEHASH. */
export const anchorBatchTypes = {
  AnchorBatch: [
    { name: "signer", type: "address" },
    { name: "org", type: "uint32" },
    { name: "root", type: "bytes32" },
    { name: "leafCount", type: "uint64" },
    { name: "metadataHash", type: "bytes32" },
    { name: "metadataURI", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The domain's fields, in the order the ledger hashes them. */
export const domainTypes = {
  EIP712Domain: [
    { name: "name", type: "string" },
    { name: "version", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "verifyingContract", type: "address" },
  ],
} as const;

type Types = Readonly<Record<string, readonly { readonly name: string; readonly type: string }[]>>;

/** EIP-712 `encodeType`: the primary type, then the types it references, sorted by name. */
export function encodeType(primaryType: string, types: Types): string {
  const referenced = new Set<string>();
  const visit = (type: string) => {
    const base = type.replace(/\[\d*\]$/, "");
    if (referenced.has(base) || types[base] === undefined) return;
    referenced.add(base);
    for (const field of types[base]) visit(field.type);
  };
  visit(primaryType);
  referenced.delete(primaryType);
  return [primaryType, ...[...referenced].sort()]
    .map((name) => `${name}(${types[name].map((field) => `${field.type} ${field.name}`).join(",")})`)
    .join("");
}

const typeHash = (primaryType: string, types: Types): Hex => keccak256(stringToBytes(encodeType(primaryType, types)));

export const DOMAIN_TYPEHASH = typeHash("EIP712Domain", domainTypes);
export const REGISTER_TYPEHASH = typeHash("Register", registerTypes);
export const PARENT_LINK_TYPEHASH = typeHash("ParentLink", registerTypes);
export const ANCHOR_BATCH_TYPEHASH = typeHash("AnchorBatch", anchorBatchTypes);
export const NAME_HASH = keccak256(stringToBytes(EIP712_NAME));
export const VERSION_HASH = keccak256(stringToBytes(EIP712_VERSION));
