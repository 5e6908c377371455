/**
 * Ethereum Attestation Service (EAS) gas baseline for `npm run bench:gas`.
 *
 * EAS and its SchemaRegistry are deployed from the published, pre-compiled artifacts of the npm package
 * `@ethereum-attestation-service/eas-contracts` (pinned to 1.9.0 in package.json), never recompiled from source, so
 * that the baseline is the bytecode EAS actually ships rather than whatever our compiler settings would produce.
 *
 * All gas figures are `receipt.gasUsed` of real transactions (intrinsic 21,000 + calldata + execution − refunds).
 */
import type { EAS, SchemaRegistry } from "@ethereum-attestation-service/eas-contracts";
import easArtifact from "@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json";
import registryArtifact from "@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  AbiCoder,
  ContractFactory,
  Signature,
  TypedDataEncoder,
  ZeroAddress,
  ZeroHash,
  id,
  type BaseContract,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Interface,
  type InterfaceAbi,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export interface EasBaseline {
  /** Gas of EAS.attest (registration schema) with refUID pointing at an existing parent attestation. */
  attestWithRefUid: bigint;
  /** Gas of EAS.attestByDelegation, same schema/data shape/refUID, EIP-712 signed by the attester, sent by a relayer. */
  attestByDelegationWithRefUid: bigint;
  /** Gas of EAS.attest for the use-grant schema. */
  attestGrant: bigint;
  /** Gas of EAS.revoke of a grant attestation. */
  revoke: bigint;
  /** multiTimestampTotal / MULTI_TIMESTAMP_ITEMS. */
  multiTimestampPerItem: number;
  /** Total gas of timestamping MULTI_TIMESTAMP_ITEMS distinct bytes32 values with EAS.multiTimestamp. */
  multiTimestampTotal: bigint;
  /** Number of multiTimestamp transactions needed to fit under the per-transaction gas cap. */
  multiTimestampTransactions: number;
}

/** Equivalent of our dataset registration. */
export const REGISTRATION_SCHEMA =
  "bytes32 fingerprint,uint8 scheme,uint8 dataClass,bytes32 metadataHash,string metadataURI,uint32 ownerOrg";
/** Equivalent of our use grant. */
export const GRANT_SCHEMA = "bytes32 fingerprint,uint32 granteeOrg,uint8 scope,bytes32 purposeHash,uint64 expiry";
export const MULTI_TIMESTAMP_ITEMS = 10_000;

/** EIP-7825 (Osaka) caps every transaction's gas limit at 2^24, independently of the block gas limit. */
export const EIP7825_TRANSACTION_GAS_CAP = 1n << 24n;

/**
 * EIP-712 `Attest` type of EAS, copied from contracts/eip1271/EIP1271Verifier.sol (ATTEST_TYPEHASH). It is checked
 * against the deployed contract's getAttestTypeHash() before signing.
 */
export const EAS_ATTEST_TYPES: Record<string, TypedDataField[]> = {
  Attest: [
    { name: "attester", type: "address" },
    { name: "schema", type: "bytes32" },
    { name: "recipient", type: "address" },
    { name: "expirationTime", type: "uint64" },
    { name: "revocable", type: "bool" },
    { name: "refUID", type: "bytes32" },
    { name: "data", type: "bytes" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
};

// Realistic ~40-character CID-like URI (43 chars: longer than 31 bytes, so it takes two ABI words, as real ones do).
const METADATA_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26demo";
const OWNER_ORG = 1;
const GRANTEE_ORG = 2;
const GRANT_SCOPE = 3;
const DELEGATION_VALIDITY_SECONDS = 3600n;
const GRANT_VALIDITY_SECONDS = 365n * 24n * 3600n;

/** Mirrors EAS's AttestationRequestData struct. */
interface AttestationRequestData {
  recipient: string;
  expirationTime: bigint;
  revocable: boolean;
  refUID: string;
  data: string;
  value: bigint;
}

const abiCoder = AbiCoder.defaultAbiCoder();

/**
 * Deterministic stand-in for a random 32-byte hash. Values are keccak256 outputs, so their byte distribution (and
 * hence calldata cost) is that of real hashes, while the inputs stay the same from run to run. (Attestation UIDs and
 * deadlines still depend on wall-clock block timestamps, which can move calldata cost by a few gas between runs.)
 */
function hash32(label: string): string {
  return id(`provledger/bench/eas/${label}`);
}

/** ABI-encodes `values` for an EAS schema string such as "bytes32 a,uint8 b" (types taken from the schema). */
function encodeSchemaData(schema: string, values: readonly unknown[]): string {
  const types = schema.split(",").map((field) => field.trim().split(/\s+/)[0]);
  return abiCoder.encode(types, values);
}

/** Deploys a published Hardhat artifact as-is (no compilation) and types it with the package's typechain types. */
async function deployArtifact<C extends BaseContract>(
  artifact: { abi: InterfaceAbi; bytecode: string },
  signer: HardhatEthersSigner,
  ...args: unknown[]
): Promise<C> {
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...args);
  await contract.waitForDeployment();
  // Sound: the package's typechain types were generated from this very ABI (its factories embed an identical copy).
  return contract as unknown as C;
}

async function confirmed(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) {
    throw new Error("EAS baseline: transaction failed");
  }
  return receipt;
}

function eventArg(iface: Interface, receipt: ContractTransactionReceipt, eventName: string, argName: string): string {
  for (const log of receipt.logs) {
    const parsed = iface.parseLog(log);
    if (parsed?.name === eventName) return String(parsed.args.getValue(argName));
  }
  throw new Error(`EAS baseline: no ${eventName} event in transaction ${receipt.hash}`);
}

/**
 * Largest gas limit a single transaction may have on the connected network: the block gas limit, further capped at
 * 2^24 when the hardfork enforces EIP-7825 (Hardhat 2.29 defaults to Osaka, so the cap applies). The cap is probed
 * rather than derived from the configured hardfork, so it also reflects e.g. solidity-coverage's override.
 */
export async function maxTransactionGas(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const block = await hre.ethers.provider.getBlock("latest");
  if (block === null) throw new Error("EAS baseline: no latest block");
  const [probe] = await hre.ethers.getSigners();
  const accepts = async (gasLimit: bigint): Promise<boolean> => {
    try {
      await hre.ethers.provider.estimateGas({ from: probe.address, to: probe.address, gasLimit });
      return true;
    } catch {
      return false;
    }
  };
  if (await accepts(block.gasLimit)) return block.gasLimit;
  const capped = block.gasLimit < EIP7825_TRANSACTION_GAS_CAP ? block.gasLimit : EIP7825_TRANSACTION_GAS_CAP;
  if (await accepts(capped)) return capped;
  throw new Error(`EAS baseline: could not determine the per-transaction gas cap (block limit ${block.gasLimit})`);
}

/** EIP-712 domain as reported by the contract itself (ERC-5267), honouring its `fields` bitmap. */
async function easDomain(eas: EAS): Promise<TypedDataDomain> {
  const [fields, name, version, chainId, verifyingContract, salt, extensions] = await eas.eip712Domain();
  const bits = Number(fields);
  if (extensions.length > 0) throw new Error("EAS baseline: EIP-712 domain extensions are not supported");
  const domain: TypedDataDomain = {};
  if (bits & 0x01) domain.name = name;
  if (bits & 0x02) domain.version = version;
  if (bits & 0x04) domain.chainId = chainId;
  if (bits & 0x08) domain.verifyingContract = verifyingContract;
  if (bits & 0x10) domain.salt = salt;
  return domain;
}

/**
 * Deploys a fresh SchemaRegistry + EAS from the published artifacts and measures the operations of {@link EasBaseline}.
 * Accounts: signer 0 deploys and registers schemas, signer 1 is the attester, signer 2 the relayer for delegation.
 *
 * Chain state is snapshotted before and reverted afterwards, so calling this does not leave EAS, its 10,000 timestamps
 * or the extra blocks behind for whatever the caller measures next.
 */
export async function measureEasBaseline(hre: HardhatRuntimeEnvironment): Promise<EasBaseline> {
  const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
  try {
    return await measure(hre);
  } finally {
    await hre.network.provider.send("evm_revert", [snapshot]);
  }
}

async function measure(hre: HardhatRuntimeEnvironment): Promise<EasBaseline> {
  const [deployer, attester, relayer] = await hre.ethers.getSigners();

  const registry = await deployArtifact<SchemaRegistry>(registryArtifact, deployer);
  const eas = await deployArtifact<EAS>(easArtifact, deployer, await registry.getAddress());

  const registerSchema = async (schema: string): Promise<string> => {
    const receipt = await confirmed(registry.register(schema, ZeroAddress, true));
    return eventArg(registry.interface, receipt, "Registered", "uid");
  };
  const registrationSchema = await registerSchema(REGISTRATION_SCHEMA);
  const grantSchema = await registerSchema(GRANT_SCHEMA);

  const registrationData = (label: string): string =>
    encodeSchemaData(REGISTRATION_SCHEMA, [
      hash32(`${label}/fingerprint`),
      0, // scheme
      1, // dataClass
      hash32(`${label}/metadataHash`),
      METADATA_URI,
      OWNER_ORG,
    ]);
  const registrationRequest = (label: string, refUID: string): AttestationRequestData => ({
    recipient: ZeroAddress,
    expirationTime: 0n,
    revocable: true,
    refUID,
    data: registrationData(label),
    value: 0n,
  });
  const attest = (signer: HardhatEthersSigner, schema: string, data: AttestationRequestData) =>
    confirmed(eas.connect(signer).attest({ schema, data }));

  // The parent is also the attester's first attestation, so the measured one is not its first. EAS.attest keeps no
  // per-attester state, so nothing else needs warming up: each measured attestation writes a fresh record in EAS's
  // storage, exactly as it would in production, and only reads the parent's (cold) UID slot to validate refUID.
  const parentReceipt = await attest(attester, registrationSchema, registrationRequest("parent", ZeroHash));
  const parentUid = eventArg(eas.interface, parentReceipt, "Attested", "uid");

  const childReceipt = await attest(attester, registrationSchema, registrationRequest("child", parentUid));
  const attestWithRefUid = childReceipt.gasUsed;

  // --- attestByDelegation -----------------------------------------------------------------------------------------
  const domain = await easDomain(eas);
  const encoder = TypedDataEncoder.from(EAS_ATTEST_TYPES);
  // Fail loudly if the EIP-712 layout we sign with ever diverges from what the deployed bytecode verifies.
  if (TypedDataEncoder.hashDomain(domain) !== (await eas.getDomainSeparator())) {
    throw new Error("EAS baseline: EIP-712 domain separator mismatch");
  }
  if (id(encoder.encodeType("Attest")) !== (await eas.getAttestTypeHash())) {
    throw new Error("EAS baseline: EIP-712 Attest type hash mismatch");
  }

  const attestByDelegation = async (label: string): Promise<ContractTransactionReceipt> => {
    const request = registrationRequest(label, parentUid);
    const latest = await hre.ethers.provider.getBlock("latest");
    if (latest === null) throw new Error("EAS baseline: no latest block");
    const deadline = BigInt(latest.timestamp) + DELEGATION_VALIDITY_SECONDS;
    const signature = Signature.from(
      await attester.signTypedData(domain, EAS_ATTEST_TYPES, {
        attester: attester.address,
        schema: registrationSchema,
        ...request,
        nonce: await eas.getNonce(attester.address),
        deadline,
      }),
    );
    return confirmed(
      eas.connect(relayer).attestByDelegation({
        schema: registrationSchema,
        data: request,
        signature: { v: signature.v, r: signature.r, s: signature.s },
        attester: attester.address,
        deadline,
      }),
    );
  };
  // Warm-up: EAS keeps a per-attester EIP-712 nonce; the first delegated attestation pays 22,100 gas to set it from
  // zero, later ones 5,000 to increment it. Measure the steady state (nonce 1 -> 2), not the one-off initialisation.
  await attestByDelegation("delegated/warmup");
  const attestByDelegationWithRefUid = (await attestByDelegation("delegated")).gasUsed;

  // --- use grant + revoke -----------------------------------------------------------------------------------------
  // The attester is already warm (see above). The grant carries the dataset fingerprint in its data, so it needs no
  // refUID; leaving refUID empty is the cheaper EAS variant, i.e. the conservative choice for a baseline. Its expiry
  // lives in the schema data (expirationTime stays 0, like the registration).
  const grantBlock = await hre.ethers.provider.getBlock("latest");
  if (grantBlock === null) throw new Error("EAS baseline: no latest block");
  const grantReceipt = await attest(attester, grantSchema, {
    recipient: ZeroAddress,
    expirationTime: 0n,
    revocable: true,
    refUID: ZeroHash,
    data: encodeSchemaData(GRANT_SCHEMA, [
      hash32("child/fingerprint"),
      GRANTEE_ORG,
      GRANT_SCOPE,
      hash32("grant/purposeHash"),
      BigInt(grantBlock.timestamp) + GRANT_VALIDITY_SECONDS,
    ]),
    value: 0n,
  });
  const attestGrant = grantReceipt.gasUsed;
  const grantUid = eventArg(eas.interface, grantReceipt, "Attested", "uid");

  // EAS.revoke keeps no per-revoker state either, so there is no first-time cost to warm up.
  const revoke = (
    await confirmed(eas.connect(attester).revoke({ schema: grantSchema, data: { uid: grantUid, value: 0n } }))
  ).gasUsed;

  // --- multiTimestamp ---------------------------------------------------------------------------------------------
  const values = Array.from({ length: MULTI_TIMESTAMP_ITEMS }, (_, i) => hash32(`timestamp/${i}`));
  const chunkSize = await multiTimestampChunkSize(hre, eas, values);
  let multiTimestampTotal = 0n;
  let multiTimestampTransactions = 0;
  for (let start = 0; start < values.length; start += chunkSize) {
    const chunk = values.slice(start, start + chunkSize);
    multiTimestampTotal += (await confirmed(eas.connect(attester).multiTimestamp(chunk))).gasUsed;
    multiTimestampTransactions += 1;
  }

  return {
    attestWithRefUid,
    attestByDelegationWithRefUid,
    attestGrant,
    revoke,
    multiTimestampPerItem: Number(multiTimestampTotal) / MULTI_TIMESTAMP_ITEMS,
    multiTimestampTotal,
    multiTimestampTransactions,
  };
}

/**
 * Items per multiTimestamp transaction: as many as fit under the per-transaction gas cap, spread evenly over the
 * minimum number of transactions. Gas is linear in the item count (one fresh SSTORE + one LOG3 + 32 calldata bytes
 * each), so fixed and per-item costs are fitted from two eth_estimateGas calls on not-yet-timestamped values.
 */
async function multiTimestampChunkSize(hre: HardhatRuntimeEnvironment, eas: EAS, values: string[]): Promise<number> {
  const cap = await maxTransactionGas(hre);
  const sample = 100;
  const one = await eas.multiTimestamp.estimateGas(values.slice(0, 1));
  const many = await eas.multiTimestamp.estimateGas(values.slice(0, 1 + sample));
  const perItem = (many - one) / BigInt(sample);
  const fixed = one - perItem;
  // 1% headroom for calldata variance (zero bytes are cheaper) and estimation slack.
  const fitting = Number(((cap * 99n) / 100n - fixed) / perItem);
  if (fitting < 1) throw new Error(`EAS baseline: not even one timestamp fits in ${cap} gas`);
  const transactions = Math.ceil(values.length / fitting);
  return Math.ceil(values.length / transactions);
}
