/** OrganizationRegistry's rows of the access-control matrix, and its OpenZeppelin functions tested outside it. */

import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Role, hashOf, jurisdiction } from "../../helpers/fixtures";
import {
  LEDGER_FIXTURE,
  REGISTRAR_ORG,
  addressOf,
  inconsistentRow,
  neverAllowed,
  refusedUnlessDefaultAdmin,
  refusedUnlessGovernance,
  rowsOn,
  type AccessRule,
  type Caller,
  type MatrixRow,
  type Outcome,
} from "./matrix";

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

const SPARE_OPERATOR = addressOf("matrix:spare-operator");
/** The fixture onboards organisations 1..6. */
const NEXT_ORG_ID = 7n;
const NEW_OPERATOR = addressOf("matrix:new-operator");

const REGISTRY_RULES: AccessRule[] = [
  {
    contract: "OrganizationRegistry",
    name: "bindLedger",
    scenario: "bind the registry to another ledger (the fixture's registry is bound already)",
    allowed: [],
    call: (ctx, caller) => ctx.registry.connect(caller.signer).bindLedger(addressOf("other-ledger")),
    expectAllowed: neverAllowed,
    expectDenied: async (ctx, caller, tx) => {
      if (caller.kind === "governance") {
        await expect(tx)
          .to.be.revertedWithCustomError(ctx.registry, "LedgerAlreadyBound")
          .withArgs(await ctx.ledger.getAddress());
      } else {
        await expect(tx).to.be.revertedWithCustomError(ctx.registry, "NotGovernance").withArgs(caller.address);
      }
    },
  },
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
        .withArgs(
          NEXT_ORG_ID,
          ctx.governance.address,
          "Macao Data Lab",
          hashOf("Macao Data Lab"),
          jurisdiction("MO"),
          Role.REGISTRAR,
          anyValue,
        );
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
        .withArgs(REGISTRAR_ORG, ctx.governance.address, "Renamed Bureau", hashOf("profile v2"), anyValue);
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
        .withArgs(REGISTRAR_ORG, ctx.governance.address, jurisdiction("CN-GD"), jurisdiction("HK"), anyValue);
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
        .withArgs(REGISTRAR_ORG, ctx.governance.address, Role.REGISTRAR, Role.REGISTRAR | Role.TRADER, anyValue);
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
      await expect(tx)
        .to.emit(ctx.registry, "OrganizationSuspended")
        .withArgs(REGISTRAR_ORG, ctx.governance.address, hashOf("finding"), anyValue);
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
        .withArgs(ctx.orgIds.suspended, ctx.governance.address, hashOf("remedied"), anyValue);
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
        .withArgs(ownOrRegistrarOrg(caller), NEW_OPERATOR, caller.address, anyValue);
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
      await expect(tx)
        .to.emit(ctx.registry, "OperatorAdded")
        .withArgs(REGISTRAR_ORG, NEW_OPERATOR, caller.address, anyValue);
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
        .withArgs(ownOrRegistrarOrg(caller), SPARE_OPERATOR, caller.address, anyValue);
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
        .withArgs(REGISTRAR_ORG, ctx.agencyKey2.address, caller.address, anyValue);
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

export const REGISTRY_ROWS: readonly MatrixRow[] = rowsOn(LEDGER_FIXTURE, REGISTRY_RULES);

// =============================================================================================================
// OpenZeppelin AccessControlDefaultAdminRules functions: tested in registry.test.ts, outside the matrix
// =============================================================================================================

export const DEFAULT_ADMIN_FUNCTIONS = [
  "acceptDefaultAdminTransfer",
  "cancelDefaultAdminTransfer",
  "changeDefaultAdminDelay",
  "rollbackDefaultAdminDelay",
  "grantRole",
  "revokeRole",
  "renounceRole",
] as const;
export type DefaultAdminFunction = (typeof DEFAULT_ADMIN_FUNCTIONS)[number];
