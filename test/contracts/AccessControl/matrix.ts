/**
 * The access-control matrix: every mutating function of every contract, in one or more situations (rules), tried by
 * every kind of caller. This module holds what the tests in this folder share: the caller kinds and how each fixture
 * plays them, the expected refusals, and rules bound to a fixture as rows. Each contract's rows are in its
 * `*.rules.ts` and run by its `*.test.ts`; preconditions.test.ts checks, over their union, that every mutating
 * function has a row.
 */

import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";
import {
  DataClass,
  Role,
  hashOf,
  ledgerFixture,
  registration,
  rightsFixture,
  type Ledger,
  type LedgerWithRights,
} from "../../helpers/fixtures";

// =============================================================================================================
// Callers
// =============================================================================================================

/** Every kind of account the matrix tries each mutating function with. */
export const CALLER_KINDS = [
  "governance",
  "registrar",
  "trader",
  "inspector",
  "customs",
  "suspended",
  "outsider",
] as const;
type CallerKind = (typeof CALLER_KINDS)[number];

/** The fixture accounts that play the caller kinds. */
type AccountName = "governance" | "agency" | "trader" | "inspector" | "customs" | "suspended" | "outsider";

/** What the matrix assumes about a caller kind; checked against the fixture by preconditions.test.ts. */
interface CallerProfile {
  /** How test titles name it. */
  label: string;
  account: AccountName;
  /** Its organisation, 0n when it operates for none. */
  orgId: bigint;
  /** Its organisation's `Roles` bits. */
  roles: number;
  /** Whether its organisation is active (false when it has none). */
  active: boolean;
  /** Its organisation's jurisdiction code, "" when it has none. */
  jurisdiction: string;
}

/** The caller kinds as `ledgerFixture` plays them. */
export const CALLER_PROFILES: Record<CallerKind, CallerProfile> = {
  governance: { label: "governance", account: "governance", orgId: 0n, roles: 0, active: false, jurisdiction: "" },
  registrar: {
    label: "a registrar operator",
    account: "agency",
    orgId: 1n,
    roles: Role.REGISTRAR,
    active: true,
    jurisdiction: "CN-GD",
  },
  trader: {
    label: "a trader operator",
    account: "trader",
    orgId: 3n,
    roles: Role.TRADER,
    active: true,
    jurisdiction: "CN-GD",
  },
  inspector: {
    label: "an inspector operator",
    account: "inspector",
    orgId: 4n,
    roles: Role.INSPECTOR,
    active: true,
    jurisdiction: "CN-GD",
  },
  customs: {
    label: "a customs operator",
    account: "customs",
    orgId: 5n,
    roles: Role.CUSTOMS,
    active: true,
    jurisdiction: "CN-GD",
  },
  suspended: {
    label: "an operator of the suspended organisation",
    account: "suspended",
    orgId: 6n,
    roles: Role.ALL,
    active: false,
    jurisdiction: "CN-GD",
  },
  outsider: { label: "an outsider", account: "outsider", orgId: 0n, roles: 0, active: false, jurisdiction: "" },
};

/** The caller kinds as `rightsFixture` plays them: there the registrar's organisation also trades. */
const RIGHTS_CALLER_PROFILES: Record<CallerKind, CallerProfile> = {
  ...CALLER_PROFILES,
  registrar: {
    ...CALLER_PROFILES.registrar,
    label: "a registrar-and-trader operator",
    roles: Role.REGISTRAR | Role.TRADER,
  },
};

export interface Caller extends CallerProfile {
  kind: CallerKind;
  signer: HardhatEthersSigner;
  address: string;
}

export function callerOf(
  ctx: Ledger,
  kind: CallerKind,
  profiles: Record<CallerKind, CallerProfile> = CALLER_PROFILES,
): Caller {
  const signer = ctx[profiles[kind].account];
  return { kind, ...profiles[kind], signer, address: signer.address };
}

/** Whether the caller operates for an active organisation holding every bit of `role`. */
export function holdsActiveRole(caller: Caller, role: number): boolean {
  return caller.orgId !== 0n && caller.active && (caller.roles & role) === role;
}

/** A fixture the matrix runs rows on, and how it plays each caller kind there. */
interface MatrixFixture<Ctx extends Ledger> {
  name: string;
  load: () => Promise<Ctx>;
  profiles: Record<CallerKind, CallerProfile>;
}

export const LEDGER_FIXTURE: MatrixFixture<Ledger> = {
  name: "ledgerFixture",
  load: ledgerFixture,
  profiles: CALLER_PROFILES,
};
export const RIGHTS_FIXTURE: MatrixFixture<LedgerWithRights> = {
  name: "rightsFixture",
  load: rightsFixture,
  profiles: RIGHTS_CALLER_PROFILES,
};
export const MATRIX_FIXTURES: readonly MatrixFixture<Ledger>[] = [LEDGER_FIXTURE, RIGHTS_FIXTURE];

/** The registrar caller's organisation (the fixture's "Open Data Bureau"). */
export const REGISTRAR_ORG = CALLER_PROFILES.registrar.orgId;
/** The fixture's other registrar organisation ("HK Statistics"), played by `foreignAgency`. */
export const FOREIGN_REGISTRAR_ORG = 2n;
/** The trader caller's organisation ("GD Data Exchange"). */
export const TRADER_ORG = CALLER_PROFILES.trader.orgId;
/** The inspector caller's organisation ("Market Regulator"). */
export const INSPECTOR_ORG = CALLER_PROFILES.inspector.orgId;
/** In `rightsFixture`, HK's customs organisation, played by `foreignCustoms`. */
export const FOREIGN_CUSTOMS_ORG = 7n;
export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

/** A distinct, checksummed address nobody holds a key for. */
export function addressOf(label: string): string {
  return ethers.getAddress(ethers.dataSlice(hashOf(`address:${label}`), 12));
}

/** Accounts the shared fixture gives no role (it uses signers 0..8). */
export async function spareSigners(): Promise<HardhatEthersSigner[]> {
  return (await ethers.getSigners()).slice(9);
}

// =============================================================================================================
// Expected outcomes
// =============================================================================================================

export type ContractName = "OrganizationRegistry" | "ProvenanceLedger" | "DataRights";
export const CONTRACT_NAMES: readonly ContractName[] = ["OrganizationRegistry", "ProvenanceLedger", "DataRights"];
/** The fixture context each contract is reached from (only `rightsFixture` deploys DataRights). */
interface ContractContext {
  OrganizationRegistry: Ledger;
  ProvenanceLedger: Ledger;
  DataRights: LedgerWithRights;
}
export const CONTRACTS: { [N in ContractName]: (ctx: ContractContext[N]) => BaseContract } = {
  OrganizationRegistry: (ctx) => ctx.registry,
  ProvenanceLedger: (ctx) => ctx.ledger,
  DataRights: (ctx) => ctx.rights,
};

export type Tx = Promise<ContractTransactionResponse>;
/** Asserts what became of `tx`, sent by (or signed by) `caller`. */
export type Outcome<Ctx extends Ledger = Ledger> = (ctx: Ctx, caller: Caller, tx: Tx) => Promise<void>;

/** Thrown when a row's `allowed` list and its denial expectation disagree: the matrix itself is wrong. */
export function inconsistentRow(caller: Caller, why: string): Error {
  return new Error(`access matrix: ${caller.kind} ${why}; list it as allowed or give the row its own expectDenied`);
}

/** Governance-only functions of this project refuse everyone else with `NotGovernance(caller)`. */
export function refusedUnlessGovernance<N extends ContractName>(contract: N): Outcome<ContractContext[N]> {
  return async (ctx, caller, tx) => {
    await expect(tx).to.be.revertedWithCustomError(CONTRACTS[contract](ctx), "NotGovernance").withArgs(caller.address);
  };
}

/** OpenZeppelin `onlyRole(DEFAULT_ADMIN_ROLE)` functions refuse with `AccessControlUnauthorizedAccount`. */
export const refusedUnlessDefaultAdmin: Outcome = async (ctx, caller, tx) => {
  await expect(tx)
    .to.be.revertedWithCustomError(ctx.registry, "AccessControlUnauthorizedAccount")
    .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
};

/**
 * Functions gated by `requireRole(account, role)`, where account is the caller or the signer: the error says where
 * the account's membership falls short.
 */
export function refusedUnlessMemberWithRole<N extends ContractName>(
  contract: N,
  role: number,
): Outcome<ContractContext[N]> {
  return async (ctx, caller, tx) => {
    const target = CONTRACTS[contract](ctx);
    if (caller.orgId === 0n) {
      await expect(tx).to.be.revertedWithCustomError(target, "AccountNotMember").withArgs(caller.address);
    } else if (!caller.active) {
      await expect(tx).to.be.revertedWithCustomError(target, "OrganizationNotActive").withArgs(caller.orgId);
    } else if ((caller.roles & role) !== role) {
      await expect(tx).to.be.revertedWithCustomError(target, "OrganizationLacksRole").withArgs(caller.orgId, role);
    } else {
      throw inconsistentRow(caller, `holds role ${role} in an active organisation`);
    }
  };
}

/**
 * Functions on `fingerprint` that require `role` (`ANY_ROLE`: an active membership, whatever its roles) and that the
 * caller's organisation own it (`ownerOrg` does): a member holding the role is refused with `NotRecordOwner`, anyone
 * else as `refusedUnlessMemberWithRole` says.
 */
export function refusedUnlessRecordOwner<N extends ContractName>(
  contract: N,
  role: number,
  fingerprint: string,
  ownerOrg: bigint,
): Outcome<ContractContext[N]> {
  return async (ctx, caller, tx) => {
    if (!holdsActiveRole(caller, role)) {
      await refusedUnlessMemberWithRole(contract, role)(ctx, caller, tx);
    } else if (caller.orgId !== ownerOrg) {
      await expect(tx)
        .to.be.revertedWithCustomError(CONTRACTS[contract](ctx), "NotRecordOwner")
        .withArgs(fingerprint, ownerOrg, caller.orgId);
    } else {
      throw inconsistentRow(caller, `holds role ${role} in the active organisation owning the record`);
    }
  };
}

/** The `expectAllowed` of a row that allows nobody. */
export const neverAllowed: Outcome = async (_ctx, caller) => {
  throw inconsistentRow(caller, "is listed as allowed on a row that allows nobody");
};

/** The `expectDenied` of a row that allows everybody. */
export const neverRefused: Outcome = async (_ctx, caller) => {
  throw inconsistentRow(caller, "is missing from the allowed list of a row that allows everybody");
};

// =============================================================================================================
// The matrix
// =============================================================================================================

/** One mutating function in one situation, tried by every caller kind on a fixture of context `Ctx`. */
export interface AccessRule<Ctx extends Ledger = Ledger> {
  contract: ContractName;
  /** The ABI function name. */
  name: string;
  /** The situation, for the test titles. */
  scenario: string;
  /** Caller kinds that succeed; every other kind must be refused as `expectDenied` says. */
  allowed: readonly CallerKind[];
  /** State the call needs, set up before it (by other accounts, unless the fixture has no other for a role). */
  arrange?: (ctx: Ctx, caller: Caller) => Promise<unknown>;
  call: (ctx: Ctx, caller: Caller) => Tx;
  expectAllowed: Outcome<Ctx>;
  expectDenied: Outcome<Ctx>;
}

/** A rule bound to the fixture it runs on: what the matrix tests iterate over. */
export interface MatrixRow {
  contract: ContractName;
  name: string;
  scenario: string;
  allowed: readonly CallerKind[];
  fixture: MatrixFixture<Ledger>;
  /** Loads the fixture, arranges, calls as `kind` and checks the outcome. */
  run: (kind: CallerKind) => Promise<void>;
}

/** Binds `rules` to `fixture`: each cell loads it and plays the caller kind as its profiles say. */
export function rowsOn<Ctx extends Ledger>(
  fixture: MatrixFixture<Ctx>,
  rules: readonly AccessRule<Ctx>[],
): MatrixRow[] {
  return rules.map(({ contract, name, scenario, allowed, arrange, call, expectAllowed, expectDenied }) => ({
    contract,
    name,
    scenario,
    allowed,
    fixture,
    run: async (kind) => {
      const ctx = await fixture.load();
      const caller = callerOf(ctx, kind, fixture.profiles);
      await arrange?.(ctx, caller);

      const tx = call(ctx, caller);

      await (allowed.includes(kind) ? expectAllowed : expectDenied)(ctx, caller, tx);
    },
  }));
}

export const MATRIX_FINGERPRINT = hashOf("matrix:dataset");

/** `owner` registers the matrix record, of class `dataClass`, for its organisation. */
export async function registerMatrixRecord(
  ctx: Ledger,
  owner: Signer,
  dataClass: number = DataClass.INTERNAL,
): Promise<void> {
  await ctx.ledger.connect(owner).register(registration(MATRIX_FINGERPRINT, { dataClass }));
}

/** The matrix's tests of `rows`: each row tried by every caller kind, allowed or refused as the row says. */
export function describeMatrix(rows: readonly MatrixRow[]): void {
  describe("matrix: mutating function × caller kind", function () {
    for (const row of rows) {
      describe(`${row.contract}.${row.name}: ${row.scenario}`, function () {
        for (const kind of CALLER_KINDS) {
          const allowed = row.allowed.includes(kind);
          it(`${allowed ? "allows" : "refuses"} ${row.fixture.profiles[kind].label}`, async function () {
            await row.run(kind);
          });
        }
      });
    }
  });
}
