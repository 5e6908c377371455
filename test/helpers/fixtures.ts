import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { DataRights, OrganizationRegistry, ProvenanceLedger } from "../../typechain-types";
import type { IProvenanceLedger } from "../../typechain-types/contracts/ProvenanceLedger";

export {
  Action,
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
} from "../../src/sdk";
import { DataClass, Role, Scheme } from "../../src/sdk";

/** Jurisdiction code as the contracts store it: ASCII, left-aligned in a bytes8. */
export function jurisdiction(code: string): string {
  return ethers.zeroPadBytes(ethers.toUtf8Bytes(code), 8);
}

/** A deterministic, distinct 32-byte value per label, for fingerprints and hashes in tests. */
export function hashOf(label: string | number): string {
  return ethers.keccak256(ethers.toUtf8Bytes(`provledger-test:${label}`));
}

export type Registration = IProvenanceLedger.RegistrationStruct;

export function registration(fingerprint: string, overrides: Partial<Registration> = {}): Registration {
  return {
    fingerprint,
    scheme: Scheme.SHA256,
    dataClass: DataClass.INTERNAL,
    metadataHash: hashOf(`metadata:${fingerprint}`),
    metadataURI: "ipfs://bafy-demo-metadata",
    parents: [],
    ...overrides,
  };
}

export interface Ledger {
  registry: OrganizationRegistry;
  ledger: ProvenanceLedger;
  governance: HardhatEthersSigner;
  /** Registrar in CN-GD (org 1), with a second operator key. */
  agency: HardhatEthersSigner;
  agencyKey2: HardhatEthersSigner;
  /** Registrar in HK (org 2). */
  foreignAgency: HardhatEthersSigner;
  /** Trader in CN-GD (org 3). */
  trader: HardhatEthersSigner;
  /** Inspector in CN-GD (org 4). */
  inspector: HardhatEthersSigner;
  /** Customs in CN-GD (org 5). */
  customs: HardhatEthersSigner;
  /** Registrar with every role, suspended (org 6). */
  suspended: HardhatEthersSigner;
  /** Not a member of any organisation. */
  outsider: HardhatEthersSigner;
  orgIds: {
    agency: bigint;
    foreignAgency: bigint;
    trader: bigint;
    inspector: bigint;
    customs: bigint;
    suspended: bigint;
  };
}

export const GOVERNANCE_DELAY = 3 * 24 * 3600;

export async function deployLedger(): Promise<Ledger> {
  const [governance, agency, agencyKey2, foreignAgency, trader, inspector, customs, suspended, outsider] =
    await ethers.getSigners();
  const registry = await ethers.deployContract("OrganizationRegistry", [GOVERNANCE_DELAY, governance.address]);
  const ledger = await ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
  await registry.bindLedger(await ledger.getAddress());
  const orgs: [string, string, number, HardhatEthersSigner[]][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR, [agency, agencyKey2]],
    ["HK Statistics", "HK", Role.REGISTRAR, [foreignAgency]],
    ["GD Data Exchange", "CN-GD", Role.TRADER, [trader]],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, [inspector]],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, [customs]],
    ["Suspended Co", "CN-GD", Role.ALL, [suspended]],
  ];
  for (const [name, code, roles, operators] of orgs) {
    await registry.registerOrganization(
      name,
      hashOf(name),
      jurisdiction(code),
      roles,
      operators.map((o) => o.address),
    );
  }
  await registry.suspendOrganization(6, hashOf("suspension"));
  return {
    registry,
    ledger,
    governance,
    agency,
    agencyKey2,
    foreignAgency,
    trader,
    inspector,
    customs,
    suspended,
    outsider,
    orgIds: { agency: 1n, foreignAgency: 2n, trader: 3n, inspector: 4n, customs: 5n, suspended: 6n },
  };
}

/** The standard fixture, snapshotted by hardhat-network-helpers so each test starts from it cheaply. */
export function ledgerFixture(): Promise<Ledger> {
  return loadFixture(deployLedger);
}

export interface LedgerWithRights extends Ledger {
  rights: DataRights;
  /** Customs in HK (org 7). */
  foreignCustoms: HardhatEthersSigner;
  orgIds: Ledger["orgIds"] & { foreignCustoms: bigint };
}

/**
 * The standard ledger with the rights module attached. Agencies (orgs 1, CN-GD, and 2, HK) also trade, so that
 * they can sell what they register; org 7 is HK's customs.
 */
export async function deployLedgerWithRights(): Promise<LedgerWithRights> {
  const base = await deployLedger();
  const foreignCustoms = (await ethers.getSigners())[9];
  const rights = await ethers.deployContract("DataRights", [await base.ledger.getAddress()]);
  await base.ledger.connect(base.governance).setRightsModule(await rights.getAddress());
  await base.registry.setOrganizationRoles(base.orgIds.agency, Role.REGISTRAR | Role.TRADER);
  await base.registry.setOrganizationRoles(base.orgIds.foreignAgency, Role.REGISTRAR | Role.TRADER);
  await base.registry.registerOrganization("HK Customs", hashOf("HK Customs"), jurisdiction("HK"), Role.CUSTOMS, [
    foreignCustoms.address,
  ]);
  return { ...base, rights, foreignCustoms, orgIds: { ...base.orgIds, foreignCustoms: 7n } };
}

/** The ledger-with-rights fixture, snapshotted. */
export function rightsFixture(): Promise<LedgerWithRights> {
  return loadFixture(deployLedgerWithRights);
}
