/**
 * The deployment the client tests share: scripts/deploy.ts's contracts, six organisations onboarded through the SDK
 * by governance, and a client per operator. Also the assertions for errors every client test uses.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  keccak256,
  stringToHex,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployProvledger } from "../../../scripts/deploy";
import {
  ProvledgerError,
  Role,
  createProvledgerClient,
  isContractError,
  type ContractRevertError,
  type ProvledgerAddresses,
  type ProvledgerClient,
  type ProvledgerErrorName,
} from "../../../src/sdk";
import { hardhatChain as hardhat } from "../../helpers/viem";

export const CHAIN_ID = hardhat.id;
export { hardhat };
// Hardhat's in-process provider reports reverts without a JSON-RPC error code, which viem retries (about a second of
// backoff per revert) unless told not to. fromEip1193 and fromEthersSigner handle this themselves.
export const transport = custom(hre.network.provider, { retryCount: 0 });
export const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 });

export const AGENCY = "CN-GD/Open Data Bureau (org 1)";
export const HK_AGENCY = "HK/HK Statistics (org 2)";

/** A deterministic, distinct 32-byte value per label. */
export function h(label: string): Hex {
  return keccak256(stringToHex(`provledger-sdk-test:${label}`));
}

export function clientFor(account: Address, addresses: ProvledgerAddresses): ProvledgerClient {
  return createProvledgerClient({
    publicClient,
    walletClient: createWalletClient({ chain: hardhat, transport, account, pollingInterval: 10 }),
    addresses,
    chainId: CHAIN_ID,
  });
}

/** The deployment of scripts/deploy.ts, with organisations onboarded through the SDK by governance. */
async function deployWorld() {
  const deployment = await deployProvledger(0);
  const addresses: ProvledgerAddresses = {
    registry: getAddress(await deployment.registry.getAddress()),
    ledger: getAddress(await deployment.ledger.getAddress()),
    rights: getAddress(await deployment.rights.getAddress()),
  };
  const [governance, agency, agencyKey2, hkAgency, exchange, inspector, customs, hkCustoms, outsider] = (
    await hre.ethers.getSigners()
  ).map((signer) => getAddress(signer.address));
  const gov = clientFor(governance, addresses);
  const organisations: [string, string, number, Address[]][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, [agency, agencyKey2]],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, [hkAgency]],
    ["GD Data Exchange", "CN-GD", Role.TRADER, [exchange]],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, [inspector]],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, [customs]],
    ["HK Customs", "HK", Role.CUSTOMS, [hkCustoms]],
  ];
  const orgIds: number[] = [];
  for (const [name, jurisdiction, roles, operators] of organisations) {
    const { event } = await gov.registerOrganization({ name, jurisdiction, roles, metadataHash: h(name), operators });
    orgIds.push(event.args.orgId);
  }
  return {
    addresses,
    accounts: { governance, agency, agencyKey2, hkAgency, exchange, inspector, customs, hkCustoms, outsider },
    gov,
    agency: clientFor(agency, addresses),
    hk: clientFor(hkAgency, addresses),
    exchange: clientFor(exchange, addresses),
    inspector: clientFor(inspector, addresses),
    customs: clientFor(customs, addresses),
    hkCustoms: clientFor(hkCustoms, addresses),
    outsider: clientFor(outsider, addresses),
    org: { agency: 1, hk: 2, exchange: 3, inspector: 4, customs: 5, hkCustoms: 6 },
    orgIds,
  };
}

export function world() {
  return loadFixture(deployWorld);
}

/** Awaits a rejection and returns the ProvledgerError it rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<ProvledgerError> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ProvledgerError);
    return error as ProvledgerError;
  }
  throw new Error("expected a rejection");
}

/** Awaits a contract revert `name` and returns it, typed. */
export async function revert<N extends ProvledgerErrorName>(
  promise: Promise<unknown>,
  name: N,
): Promise<ContractRevertError<N>> {
  const error = await rejection(promise);
  if (!isContractError(error, name)) throw new Error(`expected ${name}, got ${error.code}: ${error.message}`);
  expect(error.name).to.equal("ContractRevertError");
  // Plain language: the raw revert data is never the message.
  expect(error.message).not.to.include(error.data);
  expect(error.message).not.to.include(error.data.slice(0, 10));
  return error;
}

/** The address with one letter's case flipped: a broken EIP-55 checksum. */
export function badChecksum(address: Address): Address {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i];
  return `${address.slice(0, i)}${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}${address.slice(i + 1)}` as Address;
}

export async function blockTime(): Promise<number> {
  return time.latest();
}

/** A new key with 100 ether, for a fresh operator or relayer. */
export async function fundedKey() {
  const key = privateKeyToAccount(generatePrivateKey());
  await hre.network.provider.request({ method: "hardhat_setBalance", params: [key.address, "0x56bc75e2d63100000"] });
  return key;
}
