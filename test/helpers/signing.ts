import { Contract, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";
import type { ProvenanceLedger } from "../../typechain-types";
import type { Registration } from "./fixtures";
import { anchorBatchTypes, organizationRegistryAbi, registerTypes } from "../../src/sdk";

/** ethers wants mutable field lists; the types themselves are the SDK's (the ledger's tests check them on chain). */
function ethersTypes(types: Record<string, readonly TypedDataField[]>): Record<string, TypedDataField[]> {
  return Object.fromEntries(
    Object.entries(types).map(([name, fields]) => [name, fields.map((field) => ({ ...field }))]),
  );
}

export const REGISTER_TYPES = ethersTypes(registerTypes);
export const ANCHOR_BATCH_TYPES = ethersTypes(anchorBatchTypes);

export interface Envelope {
  signer: string;
  chainId: bigint;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

export interface SigningOptions {
  /** The address that signs (defaults to the key's own address; set it for an ERC-1271 wallet). */
  signerAddress?: string;
  chainId?: bigint;
  /** The organisation signed for (defaults to the signer's, `organizationOf(signer)` on the ledger's registry). */
  org?: bigint;
  nonce?: bigint;
  deadline?: bigint;
  /** Domain overrides, e.g. another chain id or contract. */
  domain?: Partial<TypedDataDomain>;
}

async function envelopeFields(ledger: ProvenanceLedger, key: Signer, options: SigningOptions) {
  const signer = options.signerAddress ?? (await key.getAddress());
  const provider = key.provider!;
  const chainId = options.chainId ?? (await provider.getNetwork()).chainId;
  const nonce = options.nonce ?? (await ledger.nonces(signer));
  const registry = new Contract(await ledger.registry(), organizationRegistryAbi, provider);
  const org = options.org ?? ((await registry.getFunction("organizationOf")(signer)) as bigint);
  const latest = await provider.getBlock("latest");
  const deadline = options.deadline ?? BigInt(latest!.timestamp + 3600);
  const domain: TypedDataDomain = {
    name: "Provledger",
    version: "1",
    chainId,
    verifyingContract: await ledger.getAddress(),
    ...options.domain,
  };
  return { signer, org, chainId, nonce, deadline, domain };
}

/** Signs a registration with EIP-712 exactly as the ledger verifies it. */
export async function signRegistration(
  ledger: ProvenanceLedger,
  key: Signer,
  registration: Registration,
  options: SigningOptions = {},
): Promise<Envelope> {
  const { signer, org, chainId, nonce, deadline, domain } = await envelopeFields(ledger, key, options);
  const signature = await key.signTypedData(domain, REGISTER_TYPES, {
    signer,
    org,
    ...registration,
    chainId,
    nonce,
    deadline,
  });
  return { signer, chainId, nonce, deadline, signature };
}

export interface BatchFields {
  root: string;
  leafCount: bigint | number;
  metadataHash: string;
  metadataURI: string;
}

/** Signs a batch anchor with EIP-712 exactly as the ledger verifies it. */
export async function signBatch(
  ledger: ProvenanceLedger,
  key: Signer,
  batch: BatchFields,
  options: SigningOptions = {},
): Promise<Envelope> {
  const { signer, org, chainId, nonce, deadline, domain } = await envelopeFields(ledger, key, options);
  const signature = await key.signTypedData(domain, ANCHOR_BATCH_TYPES, {
    signer,
    org,
    ...batch,
    chainId,
    nonce,
    deadline,
  });
  return { signer, chainId, nonce, deadline, signature };
}
