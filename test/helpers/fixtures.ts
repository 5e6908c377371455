import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { OrganizationRegistry, ProvenanceLedger } from "../../typechain-types";
import type { IProvenanceLedger } from "../../typechain-types/contracts/ProvenanceLedger";

export const Role = { REGISTRAR: 1, TRADER: 2, INSPECTOR: 4, CUSTOMS: 8, ALL: 15 } as const;
export const Scheme = { SHA256: 0, SALTED_SHA256: 1, MANIFEST_ROOT: 2 } as const;
export const DataClass = { PUBLIC: 0, INTERNAL: 1, IMPORTANT: 2, CORE: 3 } as const;
export const Relation = { DERIVED_FROM: 0, REVISION_OF: 1 } as const;
export const Action = { REGISTERED: 1, SUPERSEDED: 2, WITHDRAWN: 3, BATCH_ANCHORED: 4 } as const;

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
