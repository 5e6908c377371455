import { expect } from "chai";
import { ethers } from "hardhat";
import {
  impersonateAccount,
  setBalance,
  stopImpersonatingAccount,
  time,
} from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment } from "ethers";
import type { BaseContract, ContractTransactionResponse, Interface, Signer } from "ethers";
import type { ProvenanceLedger } from "../../typechain-types";
import {
  Action,
  DataClass,
  GOVERNANCE_DELAY,
  GrantStatus,
  OfferStatus,
  Relation,
  Role,
  Rule,
  Scope,
  hashOf,
  jurisdiction,
  ledgerFixture,
  registration,
  rightsFixture,
  type Ledger,
  type LedgerWithRights,
  type Registration,
} from "../helpers/fixtures";
import { signBatch, signRegistration, type Envelope } from "../helpers/signing";

// =============================================================================================================
// Callers
// =============================================================================================================

/** Every kind of account the matrix tries each mutating function with. */
const CALLER_KINDS = ["governance", "registrar", "trader", "inspector", "customs", "suspended", "outsider"] as const;
type CallerKind = (typeof CALLER_KINDS)[number];

/** The fixture accounts that play the caller kinds. */
type AccountName = "governance" | "agency" | "trader" | "inspector" | "customs" | "suspended" | "outsider";

/** What the matrix assumes about a caller kind; checked against the fixture by a test below. */
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
const CALLER_PROFILES: Record<CallerKind, CallerProfile> = {
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

interface Caller extends CallerProfile {
  kind: CallerKind;
  signer: HardhatEthersSigner;
  address: string;
}

function callerOf(
  ctx: Ledger,
  kind: CallerKind,
  profiles: Record<CallerKind, CallerProfile> = CALLER_PROFILES,
): Caller {
  const signer = ctx[profiles[kind].account];
  return { kind, ...profiles[kind], signer, address: signer.address };
}

/** Whether the caller operates for an active organisation holding every bit of `role`. */
function holdsActiveRole(caller: Caller, role: number): boolean {
  return caller.orgId !== 0n && caller.active && (caller.roles & role) === role;
}

/** A fixture the matrix runs rows on, and how it plays each caller kind there. */
interface MatrixFixture<Ctx extends Ledger> {
  name: string;
  load: () => Promise<Ctx>;
  profiles: Record<CallerKind, CallerProfile>;
}

const LEDGER_FIXTURE: MatrixFixture<Ledger> = { name: "ledgerFixture", load: ledgerFixture, profiles: CALLER_PROFILES };
const RIGHTS_FIXTURE: MatrixFixture<LedgerWithRights> = {
  name: "rightsFixture",
  load: rightsFixture,
  profiles: RIGHTS_CALLER_PROFILES,
};
const MATRIX_FIXTURES: readonly MatrixFixture<Ledger>[] = [LEDGER_FIXTURE, RIGHTS_FIXTURE];

/** The registrar caller's organisation (the fixture's "Open Data Bureau"). */
const REGISTRAR_ORG = CALLER_PROFILES.registrar.orgId;
/** The fixture's other registrar organisation ("HK Statistics"), played by `foreignAgency`. */
const FOREIGN_REGISTRAR_ORG = 2n;
/** The trader caller's organisation ("GD Data Exchange"). */
const TRADER_ORG = CALLER_PROFILES.trader.orgId;
/** The inspector caller's organisation ("Market Regulator"). */
const INSPECTOR_ORG = CALLER_PROFILES.inspector.orgId;
/** In `rightsFixture`, HK's customs organisation, played by `foreignCustoms`. */
const FOREIGN_CUSTOMS_ORG = 7n;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

/** A distinct, checksummed address nobody holds a key for. */
function addressOf(label: string): string {
  return ethers.getAddress(ethers.dataSlice(hashOf(`address:${label}`), 12));
}

/** Accounts the shared fixture gives no role (it uses signers 0..8). */
async function spareSigners(): Promise<HardhatEthersSigner[]> {
  return (await ethers.getSigners()).slice(9);
}

// =============================================================================================================
// EIP-712 signed submissions
// =============================================================================================================

/** What `anchorBatch` takes besides the caller. */
interface Batch {
  root: string;
  leafCount: bigint;
  metadataHash: string;
  metadataURI: string;
}

function anchorBatch(ledger: ProvenanceLedger, caller: Signer, batch: Batch): Promise<ContractTransactionResponse> {
  return ledger.connect(caller).anchorBatch(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI);
}

function anchorBatchBySig(
  ledger: ProvenanceLedger,
  relayer: Signer,
  batch: Batch,
  envelope: Envelope,
): Promise<ContractTransactionResponse> {
  return ledger
    .connect(relayer)
    .anchorBatchBySig(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, envelope);
}

// =============================================================================================================
// Expected outcomes
// =============================================================================================================

type ContractName = "OrganizationRegistry" | "ProvenanceLedger" | "DataRights";
const CONTRACT_NAMES: readonly ContractName[] = ["OrganizationRegistry", "ProvenanceLedger", "DataRights"];
/** The fixture context each contract is reached from (only `rightsFixture` deploys DataRights). */
interface ContractContext {
  OrganizationRegistry: Ledger;
  ProvenanceLedger: Ledger;
  DataRights: LedgerWithRights;
}
const CONTRACTS: { [N in ContractName]: (ctx: ContractContext[N]) => BaseContract } = {
  OrganizationRegistry: (ctx) => ctx.registry,
  ProvenanceLedger: (ctx) => ctx.ledger,
  DataRights: (ctx) => ctx.rights,
};

type Tx = Promise<ContractTransactionResponse>;
/** Asserts what became of `tx`, sent by (or signed by) `caller`. */
type Outcome<Ctx extends Ledger = Ledger> = (ctx: Ctx, caller: Caller, tx: Tx) => Promise<void>;

/** Thrown when a row's `allowed` list and its denial expectation disagree: the matrix itself is wrong. */
function inconsistentRow(caller: Caller, why: string): Error {
  return new Error(`access matrix: ${caller.kind} ${why}; list it as allowed or give the row its own expectDenied`);
}

/** Governance-only functions of this project refuse everyone else with `NotGovernance(caller)`. */
function refusedUnlessGovernance<N extends ContractName>(contract: N): Outcome<ContractContext[N]> {
  return async (ctx, caller, tx) => {
    await expect(tx).to.be.revertedWithCustomError(CONTRACTS[contract](ctx), "NotGovernance").withArgs(caller.address);
  };
}

/** OpenZeppelin `onlyRole(DEFAULT_ADMIN_ROLE)` functions refuse with `AccessControlUnauthorizedAccount`. */
const refusedUnlessDefaultAdmin: Outcome = async (ctx, caller, tx) => {
  await expect(tx)
    .to.be.revertedWithCustomError(ctx.registry, "AccessControlUnauthorizedAccount")
    .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
};

/**
 * Functions gated by `requireRole(account, role)`, where account is the caller or the signer: the error says where
 * the account's membership falls short.
 */
function refusedUnlessMemberWithRole<N extends ContractName>(contract: N, role: number): Outcome<ContractContext[N]> {
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
function refusedUnlessRecordOwner<N extends ContractName>(
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

/** addOperator / removeOperator on `targetOrg`: governance, or an operator of that same active organisation. */
function refusedUnlessOperatorManager(targetOrg: (caller: Caller) => bigint): Outcome {
  return async (ctx, caller, tx) => {
    const orgId = targetOrg(caller);
    if (caller.orgId !== orgId) {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.registry, "UnauthorizedOperatorManager")
        .withArgs(caller.address, orgId);
    } else if (!caller.active) {
      await expect(tx).to.be.revertedWithCustomError(ctx.registry, "OrganizationNotActive").withArgs(orgId);
    } else {
      throw inconsistentRow(caller, `operates for the active organisation ${orgId}`);
    }
  };
}

/** The caller's own organisation, or the registrar's when the caller has none. */
function ownOrRegistrarOrg(caller: Caller): bigint {
  return caller.orgId === 0n ? REGISTRAR_ORG : caller.orgId;
}

/** The `expectAllowed` of a row that allows nobody. */
const neverAllowed: Outcome = async (_ctx, caller) => {
  throw inconsistentRow(caller, "is listed as allowed on a row that allows nobody");
};

/** The `expectDenied` of a row that allows everybody. */
const neverRefused: Outcome = async (_ctx, caller) => {
  throw inconsistentRow(caller, "is missing from the allowed list of a row that allows everybody");
};

// =============================================================================================================
// The matrix
// =============================================================================================================

/** One mutating function in one situation, tried by every caller kind on a fixture of context `Ctx`. */
interface AccessRule<Ctx extends Ledger = Ledger> {
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
interface MatrixRow {
  contract: ContractName;
  name: string;
  scenario: string;
  allowed: readonly CallerKind[];
  fixture: MatrixFixture<Ledger>;
  /** Loads the fixture, arranges, calls as `kind` and checks the outcome. */
  run: (kind: CallerKind) => Promise<void>;
}

/** Binds `rules` to `fixture`: each cell loads it and plays the caller kind as its profiles say. */
function rowsOn<Ctx extends Ledger>(fixture: MatrixFixture<Ctx>, rules: readonly AccessRule<Ctx>[]): MatrixRow[] {
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

const MATRIX_FINGERPRINT = hashOf("matrix:dataset");
const MATRIX_BATCH: Batch = {
  root: hashOf("matrix:batch-root"),
  leafCount: 128n,
  metadataHash: hashOf("matrix:batch-manifest"),
  metadataURI: "ipfs://bafy-matrix-batch-manifest",
};
const SPARE_OPERATOR = addressOf("matrix:spare-operator");
/** The fixture onboards organisations 1..6. */
const NEXT_ORG_ID = 7n;
const NEW_OPERATOR = addressOf("matrix:new-operator");

/** `RecordRegistered` for `record` (no parents), owned by `orgId` and registered by `registrant`. */
async function expectRegistered(
  ledger: ProvenanceLedger,
  tx: Tx,
  record: Registration,
  orgId: bigint,
  registrant: string,
): Promise<void> {
  await expect(tx)
    .to.emit(ledger, "RecordRegistered")
    .withArgs(
      record.fingerprint,
      orgId,
      registrant,
      record.scheme,
      record.dataClass,
      record.metadataHash,
      record.metadataURI,
      [],
      [],
      anyValue,
    );
}

/** `BatchAnchored` for `batch`, anchored for `orgId` by `registrant`. */
async function expectBatchAnchored(
  ledger: ProvenanceLedger,
  tx: Tx,
  batch: Batch,
  orgId: bigint,
  registrant: string,
): Promise<void> {
  await expect(tx)
    .to.emit(ledger, "BatchAnchored")
    .withArgs(batch.root, orgId, registrant, batch.leafCount, batch.metadataHash, batch.metadataURI, anyValue);
}

const REGISTRY_RULES: AccessRule[] = [
  {
    contract: "OrganizationRegistry",
    name: "registerOrganization",
    scenario: "onboard a new organisation",
    allowed: ["governance"],
    call: (ctx, caller) =>
      ctx.registry
        .connect(caller.signer)
        .registerOrganization("Macao Data Lab", hashOf("Macao Data Lab"), jurisdiction("MO"), Role.REGISTRAR, [
          NEW_OPERATOR,
        ]),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationRegistered")
        .withArgs(NEXT_ORG_ID, "Macao Data Lab", hashOf("Macao Data Lab"), jurisdiction("MO"), Role.REGISTRAR);
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "setOrganizationProfile",
    scenario: "rename the registrar's organisation",
    allowed: ["governance"],
    call: (ctx, caller) =>
      ctx.registry.connect(caller.signer).setOrganizationProfile(REGISTRAR_ORG, "Renamed Bureau", hashOf("profile v2")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationProfileChanged")
        .withArgs(REGISTRAR_ORG, "Renamed Bureau", hashOf("profile v2"));
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "setOrganizationJurisdiction",
    scenario: "move the registrar's organisation to HK",
    allowed: ["governance"],
    call: (ctx, caller) =>
      ctx.registry.connect(caller.signer).setOrganizationJurisdiction(REGISTRAR_ORG, jurisdiction("HK")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationJurisdictionChanged")
        .withArgs(REGISTRAR_ORG, jurisdiction("CN-GD"), jurisdiction("HK"));
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "setOrganizationRoles",
    scenario: "give the registrar's organisation the trader role too",
    allowed: ["governance"],
    call: (ctx, caller) =>
      ctx.registry.connect(caller.signer).setOrganizationRoles(REGISTRAR_ORG, Role.REGISTRAR | Role.TRADER),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationRolesChanged")
        .withArgs(REGISTRAR_ORG, Role.REGISTRAR, Role.REGISTRAR | Role.TRADER);
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "suspendOrganization",
    scenario: "suspend the registrar's organisation",
    allowed: ["governance"],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).suspendOrganization(REGISTRAR_ORG, hashOf("finding")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx).to.emit(ctx.registry, "OrganizationSuspended").withArgs(REGISTRAR_ORG, hashOf("finding"));
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "reinstateOrganization",
    scenario: "reinstate the suspended organisation",
    allowed: ["governance"],
    call: (ctx, caller) =>
      ctx.registry.connect(caller.signer).reinstateOrganization(ctx.orgIds.suspended, hashOf("remedied")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationReinstated")
        .withArgs(ctx.orgIds.suspended, hashOf("remedied"));
    },
    expectDenied: refusedUnlessGovernance("OrganizationRegistry"),
  },
  {
    contract: "OrganizationRegistry",
    name: "addOperator",
    scenario: "add a key to the caller's own organisation (the registrar's for non-members)",
    allowed: ["governance", "registrar", "trader", "inspector", "customs"],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).addOperator(ownOrRegistrarOrg(caller), NEW_OPERATOR),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OperatorAdded")
        .withArgs(ownOrRegistrarOrg(caller), NEW_OPERATOR, caller.address);
    },
    expectDenied: refusedUnlessOperatorManager(ownOrRegistrarOrg),
  },
  {
    contract: "OrganizationRegistry",
    name: "addOperator",
    scenario: "add a key to the registrar's organisation",
    allowed: ["governance", "registrar"],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).addOperator(REGISTRAR_ORG, NEW_OPERATOR),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx).to.emit(ctx.registry, "OperatorAdded").withArgs(REGISTRAR_ORG, NEW_OPERATOR, caller.address);
    },
    expectDenied: refusedUnlessOperatorManager(() => REGISTRAR_ORG),
  },
  {
    contract: "OrganizationRegistry",
    name: "removeOperator",
    scenario: "remove a key from the caller's own organisation (the registrar's for non-members)",
    allowed: ["governance", "registrar", "trader", "inspector", "customs"],
    arrange: (ctx, caller) =>
      ctx.registry.connect(ctx.governance).addOperator(ownOrRegistrarOrg(caller), SPARE_OPERATOR),
    call: (ctx, caller) =>
      ctx.registry.connect(caller.signer).removeOperator(ownOrRegistrarOrg(caller), SPARE_OPERATOR),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OperatorRemoved")
        .withArgs(ownOrRegistrarOrg(caller), SPARE_OPERATOR, caller.address);
    },
    expectDenied: refusedUnlessOperatorManager(ownOrRegistrarOrg),
  },
  {
    contract: "OrganizationRegistry",
    name: "removeOperator",
    scenario: "remove the registrar's second key",
    allowed: ["governance", "registrar"],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).removeOperator(REGISTRAR_ORG, ctx.agencyKey2.address),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "OperatorRemoved")
        .withArgs(REGISTRAR_ORG, ctx.agencyKey2.address, caller.address);
    },
    expectDenied: refusedUnlessOperatorManager(() => REGISTRAR_ORG),
  },
  {
    contract: "OrganizationRegistry",
    name: "beginDefaultAdminTransfer",
    scenario: "start handing governance over",
    allowed: ["governance"],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).beginDefaultAdminTransfer(addressOf("next-governance")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.emit(ctx.registry, "DefaultAdminTransferScheduled")
        .withArgs(addressOf("next-governance"), anyValue);
    },
    expectDenied: refusedUnlessDefaultAdmin,
  },
];

const LEDGER_RULES: AccessRule[] = [
  {
    contract: "ProvenanceLedger",
    name: "register",
    scenario: "register a dataset",
    allowed: ["registrar"],
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).register(registration(MATRIX_FINGERPRINT)),
    expectAllowed: (ctx, caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "registerBySig",
    scenario: "the caller signs a registration, an outsider relays it",
    allowed: ["registrar"],
    call: async (ctx, caller) => {
      const record = registration(MATRIX_FINGERPRINT);
      const envelope = await signRegistration(ctx.ledger, caller.signer, record);
      return ctx.ledger.connect(ctx.outsider).registerBySig(record, envelope);
    },
    expectAllowed: (ctx, caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "registerBySig",
    scenario: "the registrar signs a registration, the caller relays it",
    allowed: CALLER_KINDS,
    call: async (ctx, caller) => {
      const record = registration(MATRIX_FINGERPRINT);
      const envelope = await signRegistration(ctx.ledger, ctx.agency, record);
      return ctx.ledger.connect(caller.signer).registerBySig(record, envelope);
    },
    expectAllowed: (ctx, _caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), REGISTRAR_ORG, ctx.agency.address),
    expectDenied: neverRefused,
  },
  {
    contract: "ProvenanceLedger",
    name: "withdraw",
    scenario: "withdraw a record of the registrar's organisation",
    allowed: ["registrar"],
    arrange: (ctx) => ctx.ledger.connect(ctx.agencyKey2).register(registration(MATRIX_FINGERPRINT)),
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).withdraw(MATRIX_FINGERPRINT, hashOf("withdrawal reason")),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.ledger, "RecordWithdrawn")
        .withArgs(MATRIX_FINGERPRINT, REGISTRAR_ORG, caller.address, hashOf("withdrawal reason"), anyValue);
    },
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "withdraw",
    scenario: "withdraw a record of another registrar organisation",
    allowed: [],
    arrange: (ctx) => ctx.ledger.connect(ctx.foreignAgency).register(registration(MATRIX_FINGERPRINT)),
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).withdraw(MATRIX_FINGERPRINT, hashOf("withdrawal reason")),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessRecordOwner(
      "ProvenanceLedger",
      Role.REGISTRAR,
      MATRIX_FINGERPRINT,
      FOREIGN_REGISTRAR_ORG,
    ),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatch",
    scenario: "anchor a batch root",
    allowed: ["registrar"],
    call: (ctx, caller) => anchorBatch(ctx.ledger, caller.signer, MATRIX_BATCH),
    expectAllowed: (ctx, caller, tx) => expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatchBySig",
    scenario: "the caller signs a batch anchor, an outsider relays it",
    allowed: ["registrar"],
    call: async (ctx, caller) => {
      const envelope = await signBatch(ctx.ledger, caller.signer, MATRIX_BATCH);
      return anchorBatchBySig(ctx.ledger, ctx.outsider, MATRIX_BATCH, envelope);
    },
    expectAllowed: (ctx, caller, tx) => expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatchBySig",
    scenario: "the registrar signs a batch anchor, the caller relays it",
    allowed: CALLER_KINDS,
    call: async (ctx, caller) => {
      const envelope = await signBatch(ctx.ledger, ctx.agency, MATRIX_BATCH);
      return anchorBatchBySig(ctx.ledger, caller.signer, MATRIX_BATCH, envelope);
    },
    expectAllowed: (ctx, _caller, tx) =>
      expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, REGISTRAR_ORG, ctx.agency.address),
    expectDenied: neverRefused,
  },
  {
    contract: "ProvenanceLedger",
    name: "setRightsModule",
    scenario: "attach the rights module",
    allowed: ["governance"],
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).setRightsModule(addressOf("rights-module")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx).to.emit(ctx.ledger, "RightsModuleSet").withArgs(addressOf("rights-module"));
    },
    expectDenied: refusedUnlessGovernance("ProvenanceLedger"),
  },
];

// =============================================================================================================
// The ledger's rights-module hooks, and the rights module itself (on `rightsFixture`)
// =============================================================================================================

const RIGHTS_PURPOSE = hashOf("matrix:purpose");
const RIGHTS_TERMS = hashOf("matrix:terms");
const RIGHTS_REASON = hashOf("matrix:reason");
const RIGHTS_DECISION = hashOf("matrix:decision");
const RIGHTS_FINDING = hashOf("matrix:finding");
const HOOK_PAYLOAD = hashOf("matrix:hook-payload");
/** The grant or offer a row acts on is the first one issued (a later offer may only set the scene). */
const FIRST_ID = 1n;
/** `requireRole(account, ANY_ROLE)` asks for an active membership only, whatever the organisation's roles. */
const ANY_ROLE = 0;
/** 2100-01-01T00:00:00Z: the matrix's offers never expire. */
const OFFER_EXPIRY = 4_102_444_800;
/** The `exportJurisdiction` of a flow that needs no customs approval. */
const NO_JURISDICTION = ethers.zeroPadBytes("0x", 8);

/** `owner` registers the matrix record, of class `dataClass`, for its organisation. */
async function registerMatrixRecord(ctx: Ledger, owner: Signer, dataClass: number = DataClass.INTERNAL): Promise<void> {
  await ctx.ledger.connect(owner).register(registration(MATRIX_FINGERPRINT, { dataClass }));
}

/** `owner` grants `granteeOrg` use of the matrix record, without expiry. */
async function grantUse(ctx: LedgerWithRights, owner: Signer, granteeOrg: bigint): Promise<void> {
  await ctx.rights.connect(owner).issueGrant(MATRIX_FINGERPRINT, granteeOrg, Scope.USE, RIGHTS_PURPOSE, 0);
}

/** `owner` offers the matrix record to `toOrg`. */
async function offerRecord(ctx: LedgerWithRights, owner: Signer, toOrg: bigint): Promise<void> {
  await ctx.rights.connect(owner).offerTransfer(MATRIX_FINGERPRINT, toOrg, RIGHTS_TERMS, OFFER_EXPIRY);
}

/** HK's registrar organisation grants the registrar's use of its internal record: pending HK customs (grant 1). */
async function arrangeGrantPendingHkCustoms(ctx: LedgerWithRights): Promise<void> {
  await registerMatrixRecord(ctx, ctx.foreignAgency);
  await grantUse(ctx, ctx.foreignAgency, REGISTRAR_ORG);
}

/** HK's registrar organisation accepts the registrar organisation's offer of its internal record: awaiting CN-GD customs. */
async function arrangeTransferAwaitingCnCustoms(ctx: LedgerWithRights): Promise<void> {
  await registerMatrixRecord(ctx, ctx.agencyKey2);
  await offerRecord(ctx, ctx.agencyKey2, FOREIGN_REGISTRAR_ORG);
  await ctx.rights.connect(ctx.foreignAgency).acceptOffer(FIRST_ID);
}

/** The block time at which customs' review period of offer 1 ends (the last second it still runs). */
async function reviewEndOfFirstOffer(ctx: LedgerWithRights): Promise<bigint> {
  return (await ctx.rights.getOffer(FIRST_ID)).acceptedAt + (await ctx.rights.CUSTOMS_REVIEW_PERIOD());
}

/** Lets customs' review period of offer 1 run out: either party may now abandon the transfer. */
async function outlastCustomsReview(ctx: LedgerWithRights): Promise<void> {
  await time.increaseTo((await reviewEndOfFirstOffer(ctx)) + 1n);
}

/** The registrar's organisation accepts HK's offer of its internal record: awaiting HK customs (offer 1). */
async function arrangeTransferAwaitingHkCustoms(ctx: LedgerWithRights): Promise<void> {
  await registerMatrixRecord(ctx, ctx.foreignAgency);
  await offerRecord(ctx, ctx.foreignAgency, REGISTRAR_ORG);
  await ctx.rights.connect(ctx.agencyKey2).acceptOffer(FIRST_ID);
}

/** The caller's organisation when it could take an offer (an active trader), else the trader caller's. */
function tradingOrgOrTrader(caller: Caller): bigint {
  return holdsActiveRole(caller, Role.TRADER) ? caller.orgId : TRADER_ORG;
}

/** An account of `orgId` (the registrar's or the trader's organisation) to accept an offer with. */
function acceptorOf(ctx: Ledger, orgId: bigint): HardhatEthersSigner {
  return orgId === REGISTRAR_ORG ? ctx.agencyKey2 : ctx.trader;
}

/** The ledger's hooks refuse every caller but the attached rights module with `NotRightsModule(caller)`. */
const refusedUnlessRightsModule: Outcome = async (ctx, caller, tx) => {
  await expect(tx).to.be.revertedWithCustomError(ctx.ledger, "NotRightsModule").withArgs(caller.address);
};

/**
 * Offer functions reserved to one party of offer 1 (`partyOrg`, the offering or the receiving organisation): another
 * member with the trader role is refused with `NotOfferParty`, anyone else as `refusedUnlessMemberWithRole` says.
 */
function refusedUnlessOfferParty(partyOrg: (caller: Caller) => bigint): Outcome<LedgerWithRights> {
  return async (ctx, caller, tx) => {
    if (!holdsActiveRole(caller, Role.TRADER)) {
      await refusedUnlessMemberWithRole("DataRights", Role.TRADER)(ctx, caller, tx);
    } else if (caller.orgId !== partyOrg(caller)) {
      await expect(tx).to.be.revertedWithCustomError(ctx.rights, "NotOfferParty").withArgs(FIRST_ID, caller.orgId);
    } else {
      throw inconsistentRow(caller, `trades for organisation ${caller.orgId}, the offer's party`);
    }
  };
}

/**
 * Offer functions that in the row's situation even offer 1's party `partyOrg` may not call: the party is refused as
 * `refuseParty` says, anyone else as `refusedUnlessOfferParty` says.
 */
function refusedEvenToOfferParty(partyOrg: bigint, refuseParty: Outcome<LedgerWithRights>): Outcome<LedgerWithRights> {
  return async (ctx, caller, tx) => {
    if (holdsActiveRole(caller, Role.TRADER) && caller.orgId === partyOrg) {
      await refuseParty(ctx, caller, tx);
    } else {
      await refusedUnlessOfferParty(() => partyOrg)(ctx, caller, tx);
    }
  };
}

/** The matrix record's offer 1 was cancelled by `org`, through `caller`, and no longer locks the record. */
async function expectTransferCancelled(ctx: LedgerWithRights, caller: Caller, tx: Tx, org: bigint): Promise<void> {
  await expect(tx)
    .to.emit(ctx.rights, "TransferCancelled")
    .withArgs(MATRIX_FINGERPRINT, org, caller.address, FIRST_ID, RIGHTS_REASON, anyValue);
  expect((await ctx.rights.getOffer(FIRST_ID)).status).to.equal(OfferStatus.CANCELLED);
  expect(await ctx.rights.pendingOffer(MATRIX_FINGERPRINT)).to.equal(0n);
}

/**
 * Customs decisions on a flow out of `exportJurisdiction`: customs of another jurisdiction are refused with
 * `NotCustomsOfJurisdiction`, anyone else as `refusedUnlessMemberWithRole` says.
 */
function refusedUnlessCustomsOf(exportJurisdiction: string): Outcome<LedgerWithRights> {
  return async (ctx, caller, tx) => {
    if (!holdsActiveRole(caller, Role.CUSTOMS)) {
      await refusedUnlessMemberWithRole("DataRights", Role.CUSTOMS)(ctx, caller, tx);
    } else if (caller.jurisdiction !== exportJurisdiction) {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.rights, "NotCustomsOfJurisdiction")
        .withArgs(caller.orgId, jurisdiction(caller.jurisdiction), jurisdiction(exportJurisdiction));
    } else {
      throw inconsistentRow(caller, `is customs of ${exportJurisdiction}`);
    }
  };
}

/** The matrix record's ownership moved (offer 1) from `fromOrg` to `toOrg`, by `actor`'s call. */
async function expectOwnershipTransferred(
  ctx: LedgerWithRights,
  tx: Tx,
  toOrg: bigint,
  actor: string,
  fromOrg: bigint,
): Promise<void> {
  await expect(tx)
    .to.emit(ctx.rights, "OwnershipTransferred")
    .withArgs(MATRIX_FINGERPRINT, toOrg, actor, FIRST_ID, fromOrg, anyValue);
  expect((await ctx.ledger.getRecord(MATRIX_FINGERPRINT)).ownerOrg).to.equal(toOrg);
}

/** A ledger hook for its rights module, tried on the matrix record. */
interface RightsHook {
  name: "appendRightsEntry" | "transferRecord" | "setFrozen";
  /** What the call asks of the ledger, for the test titles. */
  what: string;
  /** Sends the call from `from`, naming the inspector as the acting account. */
  send: (ctx: LedgerWithRights, from: Signer) => Tx;
  /** Checks the record's status after the rights module made the call (the trail is checked for every hook). */
  expectDone: (ctx: LedgerWithRights) => Promise<void>;
}

const RIGHTS_HOOKS: readonly RightsHook[] = [
  {
    name: "appendRightsEntry",
    what: "append a finding to the trail of a record of the registrar's organisation",
    send: (ctx, from) =>
      ctx.ledger
        .connect(from)
        .appendRightsEntry(MATRIX_FINGERPRINT, Action.FINDING_ATTACHED, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect(await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).to.deep.equal([
        REGISTRAR_ORG,
        BigInt(DataClass.INTERNAL),
        false,
        false,
      ]);
    },
  },
  {
    name: "transferRecord",
    what: "move a record of the registrar's organisation to the trader's",
    send: (ctx, from) =>
      ctx.ledger.connect(from).transferRecord(MATRIX_FINGERPRINT, TRADER_ORG, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).ownerOrg).to.equal(TRADER_ORG);
    },
  },
  {
    name: "setFrozen",
    what: "freeze a record of the registrar's organisation",
    send: (ctx, from) =>
      ctx.ledger.connect(from).setFrozen(MATRIX_FINGERPRINT, true, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).frozen).to.equal(true);
    },
  },
];

/** Every caller kind, governance included, calls a hook directly; the rights module's own call is tested below. */
const RIGHTS_HOOK_RULES: AccessRule<LedgerWithRights>[] = RIGHTS_HOOKS.map((hook) => ({
  contract: "ProvenanceLedger",
  name: hook.name,
  scenario: `${hook.what}, calling the ledger directly rather than through the attached rights module`,
  allowed: [],
  arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
  call: (ctx, caller) => hook.send(ctx, caller.signer),
  expectAllowed: neverAllowed,
  expectDenied: refusedUnlessRightsModule,
}));

const DATA_RIGHTS_RULES: AccessRule<LedgerWithRights>[] = [
  {
    contract: "DataRights",
    name: "issueGrant",
    scenario: "grant the trader's organisation use of a record of the registrar's organisation (both CN-GD)",
    allowed: ["registrar"],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).issueGrant(MATRIX_FINGERPRINT, TRADER_ORG, Scope.USE, RIGHTS_PURPOSE, 0),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "GrantIssued")
        .withArgs(
          MATRIX_FINGERPRINT,
          TRADER_ORG,
          caller.address,
          FIRST_ID,
          REGISTRAR_ORG,
          Scope.USE,
          RIGHTS_PURPOSE,
          0,
          GrantStatus.ACTIVE,
          NO_JURISDICTION,
          anyValue,
        );
    },
    expectDenied: refusedUnlessRecordOwner("DataRights", Role.REGISTRAR, MATRIX_FINGERPRINT, REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "issueGrant",
    scenario: "grant the trader's organisation use of a public record of HK's registrar organisation",
    allowed: [],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.foreignAgency, DataClass.PUBLIC),
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).issueGrant(MATRIX_FINGERPRINT, TRADER_ORG, Scope.USE, RIGHTS_PURPOSE, 0),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessRecordOwner("DataRights", Role.REGISTRAR, MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "revokeGrant",
    scenario:
      "revoke the registrar organisation's active grant of its record to the trader's organisation (the grantee may not)",
    allowed: ["registrar"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await grantUse(ctx, ctx.agencyKey2, TRADER_ORG);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).revokeGrant(MATRIX_FINGERPRINT, TRADER_ORG, RIGHTS_REASON),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "GrantRevoked")
        .withArgs(MATRIX_FINGERPRINT, TRADER_ORG, caller.address, FIRST_ID, REGISTRAR_ORG, RIGHTS_REASON, anyValue);
    },
    expectDenied: refusedUnlessRecordOwner("DataRights", ANY_ROLE, MATRIX_FINGERPRINT, REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "revokeGrant",
    scenario:
      "revoke the inspector organisation's grant on a record the trader's organisation bought (it holds only the trader role)",
    allowed: ["trader"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await grantUse(ctx, ctx.agencyKey2, INSPECTOR_ORG);
      await offerRecord(ctx, ctx.agencyKey2, TRADER_ORG);
      await ctx.rights.connect(ctx.trader).acceptOffer(FIRST_ID);
    },
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).revokeGrant(MATRIX_FINGERPRINT, INSPECTOR_ORG, RIGHTS_REASON),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "GrantRevoked")
        .withArgs(MATRIX_FINGERPRINT, INSPECTOR_ORG, caller.address, FIRST_ID, TRADER_ORG, RIGHTS_REASON, anyValue);
      expect((await ctx.rights.getGrant(MATRIX_FINGERPRINT, INSPECTOR_ORG)).status).to.equal(GrantStatus.REVOKED);
    },
    expectDenied: refusedUnlessRecordOwner("DataRights", ANY_ROLE, MATRIX_FINGERPRINT, TRADER_ORG),
  },
  {
    contract: "DataRights",
    name: "revokeGrant",
    scenario: "revoke HK's active grant of its public record to the registrar's organisation (the grantee may not)",
    allowed: [],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.foreignAgency, DataClass.PUBLIC);
      await grantUse(ctx, ctx.foreignAgency, REGISTRAR_ORG);
    },
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).revokeGrant(MATRIX_FINGERPRINT, REGISTRAR_ORG, RIGHTS_REASON),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessRecordOwner("DataRights", ANY_ROLE, MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "decideGrant",
    scenario: "approve a grant from the registrar's organisation (CN-GD) to HK's, pending CN-GD customs",
    allowed: ["customs"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await grantUse(ctx, ctx.agencyKey2, FOREIGN_REGISTRAR_ORG);
    },
    call: (ctx, caller) =>
      ctx.rights
        .connect(caller.signer)
        .decideGrant(MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG, FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "GrantDecided")
        .withArgs(
          MATRIX_FINGERPRINT,
          FOREIGN_REGISTRAR_ORG,
          caller.address,
          FIRST_ID,
          caller.orgId,
          true,
          RIGHTS_DECISION,
          anyValue,
        );
      expect((await ctx.rights.getGrant(MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG)).status).to.equal(
        GrantStatus.ACTIVE,
      );
    },
    expectDenied: refusedUnlessCustomsOf("CN-GD"),
  },
  {
    contract: "DataRights",
    name: "decideGrant",
    scenario: "approve a grant from HK's registrar organisation to the registrar's, pending HK customs",
    allowed: [],
    arrange: arrangeGrantPendingHkCustoms,
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).decideGrant(MATRIX_FINGERPRINT, REGISTRAR_ORG, FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessCustomsOf("HK"),
  },
  {
    contract: "DataRights",
    name: "decideGrant",
    scenario: "decide a CN-GD grant that needed no customs: its status is checked before the caller's role",
    allowed: [],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await grantUse(ctx, ctx.agencyKey2, TRADER_ORG);
    },
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).decideGrant(MATRIX_FINGERPRINT, TRADER_ORG, FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: neverAllowed,
    expectDenied: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.rights, "GrantNotPendingCustoms")
        .withArgs(FIRST_ID, GrantStatus.ACTIVE);
    },
  },
  {
    contract: "DataRights",
    name: "offerTransfer",
    scenario: "offer a record of the registrar's organisation to the trader's organisation",
    allowed: ["registrar"],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).offerTransfer(MATRIX_FINGERPRINT, TRADER_ORG, RIGHTS_TERMS, OFFER_EXPIRY),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "TransferOffered")
        .withArgs(
          MATRIX_FINGERPRINT,
          TRADER_ORG,
          caller.address,
          FIRST_ID,
          REGISTRAR_ORG,
          RIGHTS_TERMS,
          OFFER_EXPIRY,
          anyValue,
        );
    },
    expectDenied: refusedUnlessRecordOwner("DataRights", Role.TRADER, MATRIX_FINGERPRINT, REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "offerTransfer",
    scenario: "offer a public record of HK's registrar organisation to the trader's organisation",
    allowed: [],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.foreignAgency, DataClass.PUBLIC),
    call: (ctx, caller) =>
      ctx.rights.connect(caller.signer).offerTransfer(MATRIX_FINGERPRINT, TRADER_ORG, RIGHTS_TERMS, OFFER_EXPIRY),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessRecordOwner("DataRights", Role.TRADER, MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "cancelOffer",
    scenario: "cancel the registrar organisation's open offer to the trader's organisation (the recipient may not)",
    allowed: ["registrar"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await offerRecord(ctx, ctx.agencyKey2, TRADER_ORG);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).cancelOffer(FIRST_ID, RIGHTS_REASON),
    expectAllowed: (ctx, caller, tx) => expectTransferCancelled(ctx, caller, tx, REGISTRAR_ORG),
    expectDenied: refusedUnlessOfferParty(() => REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "cancelOffer",
    scenario:
      "cancel the registrar organisation's expired offer to HK's once the record was sold to the trader's through a later offer",
    allowed: [],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      const expiresAt = (await time.latest()) + 60;
      await ctx.rights
        .connect(ctx.agencyKey2)
        .offerTransfer(MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG, RIGHTS_TERMS, expiresAt);
      await time.increaseTo(expiresAt + 1);
      await offerRecord(ctx, ctx.agencyKey2, TRADER_ORG);
      await ctx.rights.connect(ctx.trader).acceptOffer(FIRST_ID + 1n);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).cancelOffer(FIRST_ID, RIGHTS_REASON),
    expectAllowed: neverAllowed,
    expectDenied: refusedEvenToOfferParty(REGISTRAR_ORG, async (ctx, caller, tx) => {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.rights, "NotRecordOwner")
        .withArgs(MATRIX_FINGERPRINT, TRADER_ORG, caller.orgId);
    }),
  },
  {
    contract: "DataRights",
    name: "cancelOffer",
    scenario:
      "abandon the registrar organisation's (CN-GD) transfer accepted by HK's, left undecided by CN-GD customs past its review period",
    allowed: ["registrar"],
    arrange: async (ctx) => {
      await arrangeTransferAwaitingCnCustoms(ctx);
      await outlastCustomsReview(ctx);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).cancelOffer(FIRST_ID, RIGHTS_REASON),
    expectAllowed: (ctx, caller, tx) => expectTransferCancelled(ctx, caller, tx, REGISTRAR_ORG),
    expectDenied: refusedUnlessOfferParty(() => REGISTRAR_ORG),
  },
  {
    contract: "DataRights",
    name: "cancelOffer",
    scenario:
      "abandon HK's transfer to the caller's organisation if it trades (else the trader's), left undecided by HK customs past its review period",
    allowed: ["registrar", "trader"],
    arrange: async (ctx, caller) => {
      const recipient = tradingOrgOrTrader(caller);
      await registerMatrixRecord(ctx, ctx.foreignAgency);
      await offerRecord(ctx, ctx.foreignAgency, recipient);
      await ctx.rights.connect(acceptorOf(ctx, recipient)).acceptOffer(FIRST_ID);
      await outlastCustomsReview(ctx);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).cancelOffer(FIRST_ID, RIGHTS_REASON),
    expectAllowed: (ctx, caller, tx) => expectTransferCancelled(ctx, caller, tx, caller.orgId),
    expectDenied: refusedUnlessOfferParty(tradingOrgOrTrader),
  },
  {
    contract: "DataRights",
    name: "cancelOffer",
    scenario:
      "abandon the registrar organisation's transfer accepted by HK's on the last second of CN-GD customs' review period",
    allowed: [],
    arrange: async (ctx) => {
      await arrangeTransferAwaitingCnCustoms(ctx);
      await time.setNextBlockTimestamp(await reviewEndOfFirstOffer(ctx));
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).cancelOffer(FIRST_ID, RIGHTS_REASON),
    expectAllowed: neverAllowed,
    expectDenied: refusedEvenToOfferParty(REGISTRAR_ORG, async (ctx, _caller, tx) => {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.rights, "CustomsReviewPending")
        .withArgs(FIRST_ID, await reviewEndOfFirstOffer(ctx));
    }),
  },
  {
    contract: "DataRights",
    name: "acceptOffer",
    scenario:
      "accept HK's offer of a public record, made to the caller's organisation if it trades (else the trader's)",
    allowed: ["registrar", "trader"],
    arrange: async (ctx, caller) => {
      await registerMatrixRecord(ctx, ctx.foreignAgency, DataClass.PUBLIC);
      await offerRecord(ctx, ctx.foreignAgency, tradingOrgOrTrader(caller));
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).acceptOffer(FIRST_ID),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "TransferAccepted")
        .withArgs(
          MATRIX_FINGERPRINT,
          caller.orgId,
          caller.address,
          FIRST_ID,
          FOREIGN_REGISTRAR_ORG,
          false,
          NO_JURISDICTION,
          anyValue,
        );
      await expectOwnershipTransferred(ctx, tx, caller.orgId, caller.address, FOREIGN_REGISTRAR_ORG);
    },
    expectDenied: refusedUnlessOfferParty(tradingOrgOrTrader),
  },
  {
    contract: "DataRights",
    name: "acceptOffer",
    scenario: "accept the registrar organisation's offer to the trader's organisation (the offering one may not)",
    allowed: ["trader"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await offerRecord(ctx, ctx.agencyKey2, TRADER_ORG);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).acceptOffer(FIRST_ID),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "TransferAccepted")
        .withArgs(
          MATRIX_FINGERPRINT,
          TRADER_ORG,
          caller.address,
          FIRST_ID,
          REGISTRAR_ORG,
          false,
          NO_JURISDICTION,
          anyValue,
        );
      await expectOwnershipTransferred(ctx, tx, TRADER_ORG, caller.address, REGISTRAR_ORG);
    },
    expectDenied: refusedUnlessOfferParty(() => TRADER_ORG),
  },
  {
    contract: "DataRights",
    name: "decideTransfer",
    scenario: "approve the registrar organisation's (CN-GD) transfer accepted by HK's, awaiting CN-GD customs",
    allowed: ["customs"],
    arrange: arrangeTransferAwaitingCnCustoms,
    call: (ctx, caller) => ctx.rights.connect(caller.signer).decideTransfer(FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "TransferDecided")
        .withArgs(MATRIX_FINGERPRINT, caller.orgId, caller.address, FIRST_ID, true, RIGHTS_DECISION, anyValue);
      await expectOwnershipTransferred(ctx, tx, FOREIGN_REGISTRAR_ORG, caller.address, REGISTRAR_ORG);
    },
    expectDenied: refusedUnlessCustomsOf("CN-GD"),
  },
  {
    contract: "DataRights",
    name: "decideTransfer",
    scenario: "approve HK's transfer accepted by the registrar's organisation, awaiting HK customs",
    allowed: [],
    arrange: arrangeTransferAwaitingHkCustoms,
    call: (ctx, caller) => ctx.rights.connect(caller.signer).decideTransfer(FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessCustomsOf("HK"),
  },
  {
    contract: "DataRights",
    name: "decideTransfer",
    scenario: "decide an offer not accepted yet: its status is checked before the caller's role",
    allowed: [],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await offerRecord(ctx, ctx.agencyKey2, FOREIGN_REGISTRAR_ORG);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).decideTransfer(FIRST_ID, true, RIGHTS_DECISION),
    expectAllowed: neverAllowed,
    expectDenied: async (ctx, _caller, tx) => {
      await expect(tx)
        .to.be.revertedWithCustomError(ctx.rights, "OfferNotAwaitingCustoms")
        .withArgs(FIRST_ID, OfferStatus.OPEN);
    },
  },
  {
    contract: "DataRights",
    name: "confirmDelivery",
    scenario:
      "confirm delivery of HK's public record, transferred to the caller's organisation if it trades (else the trader's)",
    allowed: ["registrar", "trader"],
    arrange: async (ctx, caller) => {
      const recipient = tradingOrgOrTrader(caller);
      await registerMatrixRecord(ctx, ctx.foreignAgency, DataClass.PUBLIC);
      await offerRecord(ctx, ctx.foreignAgency, recipient);
      await ctx.rights.connect(acceptorOf(ctx, recipient)).acceptOffer(FIRST_ID);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).confirmDelivery(FIRST_ID, MATRIX_FINGERPRINT),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "DeliveryReported")
        .withArgs(MATRIX_FINGERPRINT, caller.orgId, caller.address, FIRST_ID, MATRIX_FINGERPRINT, true, anyValue);
      expect((await ctx.rights.getOffer(FIRST_ID)).status).to.equal(OfferStatus.DELIVERED);
    },
    expectDenied: refusedUnlessOfferParty(tradingOrgOrTrader),
  },
  {
    contract: "DataRights",
    name: "confirmDelivery",
    scenario: "confirm delivery of the registrar organisation's record sold to the trader's (the seller may not)",
    allowed: ["trader"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await offerRecord(ctx, ctx.agencyKey2, TRADER_ORG);
      await ctx.rights.connect(ctx.trader).acceptOffer(FIRST_ID);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).confirmDelivery(FIRST_ID, MATRIX_FINGERPRINT),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "DeliveryReported")
        .withArgs(MATRIX_FINGERPRINT, TRADER_ORG, caller.address, FIRST_ID, MATRIX_FINGERPRINT, true, anyValue);
    },
    expectDenied: refusedUnlessOfferParty(() => TRADER_ORG),
  },
  {
    contract: "DataRights",
    name: "attachFinding",
    scenario: "attach a finding to a record of the registrar's organisation",
    allowed: ["inspector"],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
    call: (ctx, caller) => ctx.rights.connect(caller.signer).attachFinding(MATRIX_FINGERPRINT, RIGHTS_FINDING),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "FindingAttached")
        .withArgs(MATRIX_FINGERPRINT, caller.orgId, caller.address, RIGHTS_FINDING, anyValue);
    },
    expectDenied: refusedUnlessMemberWithRole("DataRights", Role.INSPECTOR),
  },
  {
    contract: "DataRights",
    name: "freeze",
    scenario: "freeze a live record of the registrar's organisation",
    allowed: ["inspector"],
    arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
    call: (ctx, caller) => ctx.rights.connect(caller.signer).freeze(MATRIX_FINGERPRINT, RIGHTS_REASON),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "RecordFrozen")
        .withArgs(MATRIX_FINGERPRINT, caller.orgId, caller.address, RIGHTS_REASON, anyValue);
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).frozen).to.equal(true);
    },
    expectDenied: refusedUnlessMemberWithRole("DataRights", Role.INSPECTOR),
  },
  {
    contract: "DataRights",
    name: "unfreeze",
    scenario: "unfreeze a record of the registrar's organisation that the inspector froze",
    allowed: ["inspector"],
    arrange: async (ctx) => {
      await registerMatrixRecord(ctx, ctx.agencyKey2);
      await ctx.rights.connect(ctx.inspector).freeze(MATRIX_FINGERPRINT, RIGHTS_REASON);
    },
    call: (ctx, caller) => ctx.rights.connect(caller.signer).unfreeze(MATRIX_FINGERPRINT, RIGHTS_REASON),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.rights, "RecordUnfrozen")
        .withArgs(MATRIX_FINGERPRINT, caller.orgId, caller.address, RIGHTS_REASON, anyValue);
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).frozen).to.equal(false);
    },
    expectDenied: refusedUnlessMemberWithRole("DataRights", Role.INSPECTOR),
  },
  {
    contract: "DataRights",
    name: "setClassRule",
    scenario: "let core data cross borders with customs approval",
    allowed: ["governance"],
    call: (ctx, caller) => ctx.rights.connect(caller.signer).setClassRule(DataClass.CORE, Rule.APPROVAL),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx).to.emit(ctx.rights, "ClassRuleChanged").withArgs(DataClass.CORE, Rule.FORBIDDEN, Rule.APPROVAL);
    },
    expectDenied: refusedUnlessGovernance("DataRights"),
  },
];

const ACCESS_MATRIX: readonly MatrixRow[] = [
  ...rowsOn(LEDGER_FIXTURE, [...REGISTRY_RULES, ...LEDGER_RULES]),
  ...rowsOn(RIGHTS_FIXTURE, [...RIGHTS_HOOK_RULES, ...DATA_RIGHTS_RULES]),
];

// =============================================================================================================
// OpenZeppelin AccessControlDefaultAdminRules functions: tested below, outside the matrix
// =============================================================================================================

const DEFAULT_ADMIN_FUNCTIONS = [
  "acceptDefaultAdminTransfer",
  "cancelDefaultAdminTransfer",
  "changeDefaultAdminDelay",
  "rollbackDefaultAdminDelay",
  "grantRole",
  "revokeRole",
  "renounceRole",
] as const;
type DefaultAdminFunction = (typeof DEFAULT_ADMIN_FUNCTIONS)[number];

/** Mutating functions the matrix leaves to their own tests in this file. */
const COVERED_OUTSIDE_MATRIX: Record<ContractName, readonly string[]> = {
  OrganizationRegistry: DEFAULT_ADMIN_FUNCTIONS,
  ProvenanceLedger: [],
  DataRights: [],
};

interface Scenario {
  title: string;
  run: (ctx: Ledger) => Promise<void>;
}
type AtLeastOne<T> = readonly [T, ...T[]];

/** A role of no meaning to the registry, to exercise OpenZeppelin's generic role functions. */
const AUXILIARY_ROLE = ethers.id("AUXILIARY_ROLE");
const ONE_DAY = 24 * 3600;

/** Governance schedules a hand-over to a spare account; returns that account and the accept schedule. */
async function scheduleHandOver(ctx: Ledger): Promise<{ nextGovernance: HardhatEthersSigner; schedule: bigint }> {
  const [nextGovernance] = await spareSigners();
  await ctx.registry.connect(ctx.governance).beginDefaultAdminTransfer(nextGovernance.address);
  const [, schedule] = await ctx.registry.pendingDefaultAdmin();
  return { nextGovernance, schedule };
}

/** One denied scenario per non-governance caller kind, each expecting `AccessControlUnauthorizedAccount`. */
function refusedForNonGovernance(
  what: string,
  send: (ctx: Ledger, caller: Caller) => Tx,
  arrange?: (ctx: Ledger) => Promise<unknown>,
): AtLeastOne<Scenario> {
  const [first, ...rest] = CALLER_KINDS.filter((kind) => kind !== "governance").map((kind): Scenario => ({
    title: `${CALLER_PROFILES[kind].label} may not ${what} (AccessControlUnauthorizedAccount)`,
    run: async (ctx) => {
      await arrange?.(ctx);
      const caller = callerOf(ctx, kind);
      await refusedUnlessDefaultAdmin(ctx, caller, send(ctx, caller));
    },
  }));
  return [first, ...rest];
}

const DEFAULT_ADMIN_RULES: Record<
  DefaultAdminFunction,
  { allowed: AtLeastOne<Scenario>; denied: AtLeastOne<Scenario> }
> = {
  acceptDefaultAdminTransfer: {
    allowed: [
      {
        title: "the pending governance accepts once the delay has passed",
        run: async (ctx) => {
          const { nextGovernance, schedule } = await scheduleHandOver(ctx);
          await time.increaseTo(schedule);
          await expect(ctx.registry.connect(nextGovernance).acceptDefaultAdminTransfer())
            .to.emit(ctx.registry, "RoleGranted")
            .withArgs(DEFAULT_ADMIN_ROLE, nextGovernance.address, nextGovernance.address);
          expect(await ctx.registry.defaultAdmin()).to.equal(nextGovernance.address);
        },
      },
    ],
    denied: [
      {
        title: "the pending governance may not accept before the delay (AccessControlEnforcedDefaultAdminDelay)",
        run: async (ctx) => {
          const { nextGovernance, schedule } = await scheduleHandOver(ctx);
          await expect(ctx.registry.connect(nextGovernance).acceptDefaultAdminTransfer())
            .to.be.revertedWithCustomError(ctx.registry, "AccessControlEnforcedDefaultAdminDelay")
            .withArgs(schedule);
        },
      },
      ...CALLER_KINDS.map((kind): Scenario => ({
        title: `${CALLER_PROFILES[kind].label}, not being the pending governance, may not accept (AccessControlInvalidDefaultAdmin)`,
        run: async (ctx) => {
          const { schedule } = await scheduleHandOver(ctx);
          await time.increaseTo(schedule);
          const caller = callerOf(ctx, kind);
          await expect(ctx.registry.connect(caller.signer).acceptDefaultAdminTransfer())
            .to.be.revertedWithCustomError(ctx.registry, "AccessControlInvalidDefaultAdmin")
            .withArgs(caller.address);
        },
      })),
    ],
  },
  cancelDefaultAdminTransfer: {
    allowed: [
      {
        title: "governance cancels a pending hand-over",
        run: async (ctx) => {
          await scheduleHandOver(ctx);
          await expect(ctx.registry.connect(ctx.governance).cancelDefaultAdminTransfer()).to.emit(
            ctx.registry,
            "DefaultAdminTransferCanceled",
          );
          expect(await ctx.registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
        },
      },
    ],
    denied: [
      {
        title: "the pending governance itself may not cancel (AccessControlUnauthorizedAccount)",
        run: async (ctx) => {
          const { nextGovernance } = await scheduleHandOver(ctx);
          await expect(ctx.registry.connect(nextGovernance).cancelDefaultAdminTransfer())
            .to.be.revertedWithCustomError(ctx.registry, "AccessControlUnauthorizedAccount")
            .withArgs(nextGovernance.address, DEFAULT_ADMIN_ROLE);
        },
      },
      ...refusedForNonGovernance(
        "cancel a pending hand-over",
        (ctx, caller) => ctx.registry.connect(caller.signer).cancelDefaultAdminTransfer(),
        scheduleHandOver,
      ),
    ],
  },
  changeDefaultAdminDelay: {
    allowed: [
      {
        title: "governance shortens the delay, effective after the difference has elapsed",
        run: async (ctx) => {
          const at = (await time.latest()) + 60;
          await time.setNextBlockTimestamp(at);
          await expect(ctx.registry.connect(ctx.governance).changeDefaultAdminDelay(ONE_DAY))
            .to.emit(ctx.registry, "DefaultAdminDelayChangeScheduled")
            .withArgs(ONE_DAY, at + GOVERNANCE_DELAY - ONE_DAY);
        },
      },
    ],
    denied: refusedForNonGovernance("change the delay", (ctx, caller) =>
      ctx.registry.connect(caller.signer).changeDefaultAdminDelay(ONE_DAY),
    ),
  },
  rollbackDefaultAdminDelay: {
    allowed: [
      {
        title: "governance rolls back a scheduled delay change",
        run: async (ctx) => {
          await ctx.registry.connect(ctx.governance).changeDefaultAdminDelay(ONE_DAY);
          await expect(ctx.registry.connect(ctx.governance).rollbackDefaultAdminDelay()).to.emit(
            ctx.registry,
            "DefaultAdminDelayChangeCanceled",
          );
          expect(await ctx.registry.pendingDefaultAdminDelay()).to.deep.equal([0n, 0n]);
          expect(await ctx.registry.defaultAdminDelay()).to.equal(BigInt(GOVERNANCE_DELAY));
        },
      },
    ],
    denied: refusedForNonGovernance(
      "roll back a scheduled delay change",
      (ctx, caller) => ctx.registry.connect(caller.signer).rollbackDefaultAdminDelay(),
      (ctx) => ctx.registry.connect(ctx.governance).changeDefaultAdminDelay(ONE_DAY),
    ),
  },
  grantRole: {
    allowed: [
      {
        title: "governance grants a role other than DEFAULT_ADMIN_ROLE",
        run: async (ctx) => {
          await expect(ctx.registry.connect(ctx.governance).grantRole(AUXILIARY_ROLE, ctx.outsider.address))
            .to.emit(ctx.registry, "RoleGranted")
            .withArgs(AUXILIARY_ROLE, ctx.outsider.address, ctx.governance.address);
        },
      },
    ],
    denied: [
      {
        title: "governance may not grant DEFAULT_ADMIN_ROLE (AccessControlEnforcedDefaultAdminRules)",
        run: async (ctx) => {
          await expect(
            ctx.registry.connect(ctx.governance).grantRole(DEFAULT_ADMIN_ROLE, ctx.outsider.address),
          ).to.be.revertedWithCustomError(ctx.registry, "AccessControlEnforcedDefaultAdminRules");
        },
      },
      ...refusedForNonGovernance("grant a role", (ctx, caller) =>
        ctx.registry.connect(caller.signer).grantRole(AUXILIARY_ROLE, caller.address),
      ),
    ],
  },
  revokeRole: {
    allowed: [
      {
        title: "governance revokes a role other than DEFAULT_ADMIN_ROLE",
        run: async (ctx) => {
          await ctx.registry.connect(ctx.governance).grantRole(AUXILIARY_ROLE, ctx.outsider.address);
          await expect(ctx.registry.connect(ctx.governance).revokeRole(AUXILIARY_ROLE, ctx.outsider.address))
            .to.emit(ctx.registry, "RoleRevoked")
            .withArgs(AUXILIARY_ROLE, ctx.outsider.address, ctx.governance.address);
        },
      },
    ],
    denied: [
      {
        title: "governance may not revoke DEFAULT_ADMIN_ROLE (AccessControlEnforcedDefaultAdminRules)",
        run: async (ctx) => {
          await expect(
            ctx.registry.connect(ctx.governance).revokeRole(DEFAULT_ADMIN_ROLE, ctx.governance.address),
          ).to.be.revertedWithCustomError(ctx.registry, "AccessControlEnforcedDefaultAdminRules");
        },
      },
      ...refusedForNonGovernance(
        "revoke a role",
        (ctx, caller) => ctx.registry.connect(caller.signer).revokeRole(AUXILIARY_ROLE, ctx.outsider.address),
        (ctx) => ctx.registry.connect(ctx.governance).grantRole(AUXILIARY_ROLE, ctx.outsider.address),
      ),
    ],
  },
  renounceRole: {
    allowed: [
      {
        title: "a holder renounces its own role",
        run: async (ctx) => {
          await ctx.registry.connect(ctx.governance).grantRole(AUXILIARY_ROLE, ctx.outsider.address);
          await expect(ctx.registry.connect(ctx.outsider).renounceRole(AUXILIARY_ROLE, ctx.outsider.address))
            .to.emit(ctx.registry, "RoleRevoked")
            .withArgs(AUXILIARY_ROLE, ctx.outsider.address, ctx.outsider.address);
        },
      },
      {
        title: "governance renounces after a hand-over to nobody has waited out the delay, leaving no governance",
        run: async (ctx) => {
          await ctx.registry.connect(ctx.governance).beginDefaultAdminTransfer(ethers.ZeroAddress);
          const [, schedule] = await ctx.registry.pendingDefaultAdmin();
          await time.increaseTo(schedule);
          await expect(ctx.registry.connect(ctx.governance).renounceRole(DEFAULT_ADMIN_ROLE, ctx.governance.address))
            .to.emit(ctx.registry, "RoleRevoked")
            .withArgs(DEFAULT_ADMIN_ROLE, ctx.governance.address, ctx.governance.address);
          expect(await ctx.registry.defaultAdmin()).to.equal(ethers.ZeroAddress);
          await expect(ctx.registry.connect(ctx.governance).suspendOrganization(1n, hashOf("too late")))
            .to.be.revertedWithCustomError(ctx.registry, "NotGovernance")
            .withArgs(ctx.governance.address);
        },
      },
    ],
    denied: [
      {
        title: "governance may not renounce without a scheduled hand-over (AccessControlEnforcedDefaultAdminDelay)",
        run: async (ctx) => {
          await expect(ctx.registry.connect(ctx.governance).renounceRole(DEFAULT_ADMIN_ROLE, ctx.governance.address))
            .to.be.revertedWithCustomError(ctx.registry, "AccessControlEnforcedDefaultAdminDelay")
            .withArgs(0);
        },
      },
      {
        title: "nobody may renounce a role for another account (AccessControlBadConfirmation)",
        run: async (ctx) => {
          await ctx.registry.connect(ctx.governance).grantRole(AUXILIARY_ROLE, ctx.outsider.address);
          await expect(
            ctx.registry.connect(ctx.governance).renounceRole(AUXILIARY_ROLE, ctx.outsider.address),
          ).to.be.revertedWithCustomError(ctx.registry, "AccessControlBadConfirmation");
          expect(await ctx.registry.hasRole(AUXILIARY_ROLE, ctx.outsider.address)).to.equal(true);
        },
      },
    ],
  },
};

// =============================================================================================================
// Tests
// =============================================================================================================

function mutatingFunctionNames(iface: Interface): string[] {
  return iface.fragments
    .filter((fragment): fragment is FunctionFragment => FunctionFragment.isFragment(fragment))
    .filter((fragment) => fragment.stateMutability === "nonpayable" || fragment.stateMutability === "payable")
    .map((fragment) => fragment.name)
    .sort();
}

describe("Access control", function () {
  describe("matrix preconditions", function () {
    for (const contract of CONTRACT_NAMES) {
      it(`covers every mutating function of ${contract} (OpenZeppelin admin internals are tested below)`, async function () {
        const ctx = await rightsFixture();
        const mutating = mutatingFunctionNames(CONTRACTS[contract](ctx).interface);
        const covered = new Set([
          ...ACCESS_MATRIX.filter((rule) => rule.contract === contract).map((rule) => rule.name),
          ...COVERED_OUTSIDE_MATRIX[contract],
        ]);

        expect(
          mutating.filter((name) => !covered.has(name)),
          "mutating functions without access-control tests",
        ).to.deep.equal([]);
        expect(
          [...covered].filter((name) => !mutating.includes(name)).sort(),
          "matrix rows or exclusions naming no mutating function",
        ).to.deep.equal([]);
      });
    }

    it("gives every row a distinct contract, function and scenario", function () {
      const keys = ACCESS_MATRIX.map((rule) => `${rule.contract}.${rule.name}: ${rule.scenario}`);

      expect(new Set(keys).size).to.equal(keys.length);
    });

    for (const fixture of MATRIX_FIXTURES) {
      it(`plays each caller kind with the ${fixture.name} account, organisation, roles and status it assumes`, async function () {
        const ctx = await fixture.load();

        for (const kind of CALLER_KINDS) {
          const caller = callerOf(ctx, kind, fixture.profiles);
          expect(await ctx.registry.organizationOf(caller.address), `${kind}: organisation`).to.equal(caller.orgId);
          if (caller.orgId !== 0n) {
            const org = await ctx.registry.organization(caller.orgId);
            expect(org.roles, `${kind}: roles`).to.equal(BigInt(caller.roles));
            expect(org.status, `${kind}: status`).to.equal(caller.active ? 1n : 2n);
            expect(org.jurisdiction, `${kind}: jurisdiction`).to.equal(jurisdiction(caller.jurisdiction));
          } else {
            expect(caller.jurisdiction, `${kind}: jurisdiction`).to.equal("");
          }
          expect(await ctx.registry.hasRole(DEFAULT_ADMIN_ROLE, caller.address), `${kind}: governance`).to.equal(
            kind === "governance",
          );
        }
        expect(ctx.orgIds.foreignAgency).to.equal(FOREIGN_REGISTRAR_ORG);
      });
    }

    it("finds in rightsFixture the attached module and the counterparties the DataRights rows use", async function () {
      const ctx = await rightsFixture();

      expect(await ctx.ledger.rightsModule()).to.equal(await ctx.rights.getAddress());
      expect(await ctx.rights.ledger()).to.equal(await ctx.ledger.getAddress());
      expect(await ctx.registry.organizationOf(ctx.agencyKey2.address), "agencyKey2").to.equal(REGISTRAR_ORG);
      expect(await ctx.registry.organizationOf(ctx.foreignAgency.address), "foreignAgency").to.equal(
        FOREIGN_REGISTRAR_ORG,
      );
      expect(await ctx.registry.membership(FOREIGN_REGISTRAR_ORG), "HK registrar").to.deep.equal([
        1n,
        jurisdiction("HK"),
        BigInt(Role.REGISTRAR | Role.TRADER),
      ]);
      expect(ctx.orgIds.foreignCustoms).to.equal(FOREIGN_CUSTOMS_ORG);
      expect(await ctx.registry.organizationOf(ctx.foreignCustoms.address), "foreignCustoms").to.equal(
        FOREIGN_CUSTOMS_ORG,
      );
      expect(await ctx.registry.membership(FOREIGN_CUSTOMS_ORG), "HK customs").to.deep.equal([
        1n,
        jurisdiction("HK"),
        BigInt(Role.CUSTOMS),
      ]);
      expect(await ctx.rights.counts()).to.deep.equal([0n, 0n]);
    });
  });

  describe("matrix: mutating function × caller kind", function () {
    for (const row of ACCESS_MATRIX) {
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

  describe("ProvenanceLedger rights hooks: the attached rights module is the one caller allowed", function () {
    for (const hook of RIGHTS_HOOKS) {
      it(`${hook.name}: allows the DataRights contract (impersonated) to ${hook.what}`, async function () {
        const ctx = await rightsFixture();
        await registerMatrixRecord(ctx, ctx.agencyKey2);
        const moduleAddress = await ctx.rights.getAddress();
        await impersonateAccount(moduleAddress);
        try {
          await setBalance(moduleAddress, ethers.parseEther("1"));
          const rightsModule = await ethers.getSigner(moduleAddress);

          await expect(hook.send(ctx, rightsModule)).not.to.be.reverted;
        } finally {
          await stopImpersonatingAccount(moduleAddress);
        }

        const [, trailLength] = await ctx.ledger.trailHead(MATRIX_FINGERPRINT);
        expect(trailLength, "trail entries: registration and the hook's").to.equal(2n);
        await hook.expectDone(ctx);
      });
    }
  });

  describe("customs of the exporting jurisdiction, outside the caller kinds: HK's decides what CN-GD's may not", function () {
    it("lets HK customs approve the HK grant pending its approval", async function () {
      const ctx = await rightsFixture();
      await arrangeGrantPendingHkCustoms(ctx);

      await expect(
        ctx.rights
          .connect(ctx.foreignCustoms)
          .decideGrant(MATRIX_FINGERPRINT, REGISTRAR_ORG, FIRST_ID, true, RIGHTS_DECISION),
      )
        .to.emit(ctx.rights, "GrantDecided")
        .withArgs(
          MATRIX_FINGERPRINT,
          REGISTRAR_ORG,
          ctx.foreignCustoms.address,
          FIRST_ID,
          FOREIGN_CUSTOMS_ORG,
          true,
          RIGHTS_DECISION,
          anyValue,
        );
    });

    it("lets HK customs approve the HK transfer awaiting its approval", async function () {
      const ctx = await rightsFixture();
      await arrangeTransferAwaitingHkCustoms(ctx);
      const tx = ctx.rights.connect(ctx.foreignCustoms).decideTransfer(FIRST_ID, true, RIGHTS_DECISION);

      await expect(tx)
        .to.emit(ctx.rights, "TransferDecided")
        .withArgs(
          MATRIX_FINGERPRINT,
          FOREIGN_CUSTOMS_ORG,
          ctx.foreignCustoms.address,
          FIRST_ID,
          true,
          RIGHTS_DECISION,
          anyValue,
        );
      await expectOwnershipTransferred(ctx, tx, REGISTRAR_ORG, ctx.foreignCustoms.address, FOREIGN_REGISTRAR_ORG);
    });
  });

  describe("OpenZeppelin default-admin functions (outside the matrix)", function () {
    for (const name of DEFAULT_ADMIN_FUNCTIONS) {
      describe(`OrganizationRegistry.${name}`, function () {
        const { allowed, denied } = DEFAULT_ADMIN_RULES[name];
        for (const scenario of [...allowed, ...denied]) {
          it(scenario.title, async function () {
            await scenario.run(await ledgerFixture());
          });
        }
      });
    }
  });

  describe("signed submissions: the signer's membership counts, and signatures cannot be forged", function () {
    it("rejects a registration signed by another key than envelope.signer with InvalidSignature(signer)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const record = registration(hashOf("forged"));
      const envelope = await signRegistration(ledger, outsider, record, { signerAddress: agency.address });

      await expect(ledger.connect(outsider).registerBySig(record, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("rejects a batch anchor signed by another key than envelope.signer with InvalidSignature(signer)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const envelope = await signBatch(ledger, outsider, MATRIX_BATCH, { signerAddress: agency.address });

      await expect(anchorBatchBySig(ledger, outsider, MATRIX_BATCH, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("rejects a registration whose signed fields were altered by the relayer with InvalidSignature", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const record = registration(hashOf("signed"));
      const envelope = await signRegistration(ledger, agency, record);

      await expect(ledger.connect(outsider).registerBySig({ ...record, dataClass: 3 }, envelope))
        .to.be.revertedWithCustomError(ledger, "InvalidSignature")
        .withArgs(agency.address);
    });

    it("accepts a registrar's signature over a registration with parents (ParentLink[] encoding)", async function () {
      const { ledger, agency, outsider } = await ledgerFixture();
      const first = hashOf("version 1");
      const second = hashOf("version 2");
      await ledger.connect(agency).register(registration(first));
      const record = registration(second, { parents: [{ fingerprint: first, relation: Relation.REVISION_OF }] });
      const envelope = await signRegistration(ledger, agency, record);

      await expect(ledger.connect(outsider).registerBySig(record, envelope))
        .to.emit(ledger, "RecordSuperseded")
        .withArgs(first, REGISTRAR_ORG, agency.address, second, anyValue);
    });

    it("accepts an ERC-1271 contract wallet that operates for a registrar organisation", async function () {
      const { registry, ledger, governance, outsider } = await ledgerFixture();
      const [, walletOwner] = await spareSigners();
      const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      await registry.connect(governance).addOperator(REGISTRAR_ORG, walletAddress);
      const record = registration(hashOf("wallet-signed"));
      const envelope = await signRegistration(ledger, walletOwner, record, { signerAddress: walletAddress });

      await expectRegistered(
        ledger,
        ledger.connect(outsider).registerBySig(record, envelope),
        record,
        REGISTRAR_ORG,
        walletAddress,
      );
    });

    it("refuses an ERC-1271 contract wallet of no organisation with AccountNotMember(wallet)", async function () {
      const { ledger, outsider } = await ledgerFixture();
      const [, walletOwner] = await spareSigners();
      const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
      const walletAddress = await wallet.getAddress();
      const envelope = await signBatch(ledger, walletOwner, MATRIX_BATCH, { signerAddress: walletAddress });

      await expect(anchorBatchBySig(ledger, outsider, MATRIX_BATCH, envelope))
        .to.be.revertedWithCustomError(ledger, "AccountNotMember")
        .withArgs(walletAddress);
    });
  });
});
