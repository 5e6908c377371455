/** Access control of OrganizationRegistry: its matrix rows, and OpenZeppelin's default-admin functions beside them. */

import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { GOVERNANCE_DELAY, hashOf, ledgerFixture, type Ledger } from "../../helpers/fixtures";
import {
  CALLER_KINDS,
  CALLER_PROFILES,
  DEFAULT_ADMIN_ROLE,
  callerOf,
  describeMatrix,
  refusedUnlessDefaultAdmin,
  spareSigners,
  type Caller,
  type Tx,
} from "./matrix";
import { DEFAULT_ADMIN_FUNCTIONS, REGISTRY_ROWS, type DefaultAdminFunction } from "./registry.rules";

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

describe("Access control", function () {
  describeMatrix(REGISTRY_ROWS);

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
});
