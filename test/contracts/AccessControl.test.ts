import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment } from "ethers";
import type { BaseContract, ContractTransactionResponse, Interface, Signer } from "ethers";
import type { ProvenanceLedger } from "../../typechain-types";
import {
  GOVERNANCE_DELAY,
  Relation,
  Role,
  hashOf,
  jurisdiction,
  ledgerFixture,
  registration,
  type Ledger,
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
}

const CALLER_PROFILES: Record<CallerKind, CallerProfile> = {
  governance: { label: "governance", account: "governance", orgId: 0n, roles: 0, active: false },
  registrar: { label: "a registrar operator", account: "agency", orgId: 1n, roles: Role.REGISTRAR, active: true },
  trader: { label: "a trader operator", account: "trader", orgId: 3n, roles: Role.TRADER, active: true },
  inspector: { label: "an inspector operator", account: "inspector", orgId: 4n, roles: Role.INSPECTOR, active: true },
  customs: { label: "a customs operator", account: "customs", orgId: 5n, roles: Role.CUSTOMS, active: true },
  suspended: {
    label: "an operator of the suspended organisation",
    account: "suspended",
    orgId: 6n,
    roles: Role.ALL,
    active: false,
  },
  outsider: { label: "an outsider", account: "outsider", orgId: 0n, roles: 0, active: false },
};

interface Caller extends CallerProfile {
  kind: CallerKind;
  signer: HardhatEthersSigner;
  address: string;
}

function callerOf(ctx: Ledger, kind: CallerKind): Caller {
  const signer = ctx[CALLER_PROFILES[kind].account];
  return { kind, ...CALLER_PROFILES[kind], signer, address: signer.address };
}

/** The registrar caller's organisation (the fixture's "Open Data Bureau"). */
const REGISTRAR_ORG = CALLER_PROFILES.registrar.orgId;
/** The fixture's other registrar organisation ("HK Statistics"), played by `foreignAgency`. */
const FOREIGN_REGISTRAR_ORG = 2n;
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

type ContractName = "OrganizationRegistry" | "ProvenanceLedger";
const CONTRACT_NAMES: readonly ContractName[] = ["OrganizationRegistry", "ProvenanceLedger"];
const CONTRACTS: Record<ContractName, (ctx: Ledger) => BaseContract> = {
  OrganizationRegistry: (ctx) => ctx.registry,
  ProvenanceLedger: (ctx) => ctx.ledger,
};

type Tx = Promise<ContractTransactionResponse>;
/** Asserts what became of `tx`, sent by (or signed by) `caller`. */
type Outcome = (ctx: Ledger, caller: Caller, tx: Tx) => Promise<void>;

/** Thrown when a row's `allowed` list and its denial expectation disagree: the matrix itself is wrong. */
function inconsistentRow(caller: Caller, why: string): Error {
  return new Error(`access matrix: ${caller.kind} ${why}; list it as allowed or give the row its own expectDenied`);
}

/** Governance-only functions of this project refuse everyone else with `NotGovernance(caller)`. */
function refusedUnlessGovernance(contract: ContractName): Outcome {
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
function refusedUnlessMemberWithRole(contract: ContractName, role: number): Outcome {
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

/** One mutating function in one situation, tried by every caller kind. */
interface AccessRule {
  contract: ContractName;
  /** The ABI function name. */
  name: string;
  /** The situation, for the test titles. */
  scenario: string;
  /** Caller kinds that succeed; every other kind must be refused as `expectDenied` says. */
  allowed: readonly CallerKind[];
  /** State the call needs, set up by other accounts before it. */
  arrange?: (ctx: Ledger, caller: Caller) => Promise<unknown>;
  call: (ctx: Ledger, caller: Caller) => Tx;
  expectAllowed: Outcome;
  expectDenied: Outcome;
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
    expectDenied: async (ctx, caller, tx) => {
      if (caller.active && (caller.roles & Role.REGISTRAR) !== 0) {
        await expect(tx)
          .to.be.revertedWithCustomError(ctx.ledger, "NotRecordOwner")
          .withArgs(MATRIX_FINGERPRINT, FOREIGN_REGISTRAR_ORG, caller.orgId);
      } else {
        await refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR)(ctx, caller, tx);
      }
    },
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

/** Add rows here as contracts gain mutating functions (e.g. the data-rights module's grants and transfers). */
const ACCESS_MATRIX: readonly AccessRule[] = [...REGISTRY_RULES, ...LEDGER_RULES];

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
        const ctx = await ledgerFixture();
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

    it("plays each caller kind with the fixture account, organisation, roles and status it assumes", async function () {
      const ctx = await ledgerFixture();

      for (const kind of CALLER_KINDS) {
        const caller = callerOf(ctx, kind);
        expect(await ctx.registry.organizationOf(caller.address), `${kind}: organisation`).to.equal(caller.orgId);
        if (caller.orgId !== 0n) {
          const org = await ctx.registry.organization(caller.orgId);
          expect(org.roles, `${kind}: roles`).to.equal(BigInt(caller.roles));
          expect(org.status, `${kind}: status`).to.equal(caller.active ? 1n : 2n);
        }
        expect(await ctx.registry.hasRole(DEFAULT_ADMIN_ROLE, caller.address), `${kind}: governance`).to.equal(
          kind === "governance",
        );
      }
      expect(ctx.orgIds.foreignAgency).to.equal(FOREIGN_REGISTRAR_ORG);
    });
  });

  describe("matrix: mutating function × caller kind", function () {
    for (const rule of ACCESS_MATRIX) {
      describe(`${rule.contract}.${rule.name}: ${rule.scenario}`, function () {
        for (const kind of CALLER_KINDS) {
          const allowed = rule.allowed.includes(kind);
          it(`${allowed ? "allows" : "refuses"} ${CALLER_PROFILES[kind].label}`, async function () {
            const ctx = await ledgerFixture();
            const caller = callerOf(ctx, kind);
            await rule.arrange?.(ctx, caller);

            const tx = rule.call(ctx, caller);

            await (allowed ? rule.expectAllowed : rule.expectDenied)(ctx, caller, tx);
          });
        }
      });
    }
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
