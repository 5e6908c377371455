/**
 * The access-control matrix's preconditions, over the rows of every contract: every mutating function has a row (or
 * its own tests), and the fixtures play each caller kind as the matrix assumes.
 */

import { expect } from "chai";
import { FunctionFragment } from "ethers";
import type { Interface } from "ethers";
import { Role, jurisdiction, rightsFixture } from "../../helpers/fixtures";
import {
  CALLER_KINDS,
  CONTRACTS,
  CONTRACT_NAMES,
  DEFAULT_ADMIN_ROLE,
  FOREIGN_CUSTOMS_ORG,
  FOREIGN_REGISTRAR_ORG,
  MATRIX_FIXTURES,
  REGISTRAR_ORG,
  callerOf,
  type ContractName,
  type MatrixRow,
} from "./matrix";
import { DEFAULT_ADMIN_FUNCTIONS, REGISTRY_ROWS } from "./registry.rules";
import { LEDGER_ROWS } from "./ledger.rules";
import { RIGHTS_ROWS } from "./rights.rules";

/** Every row of the matrix, of every contract: what the preconditions check coverage and consistency over. */
const ACCESS_MATRIX: readonly MatrixRow[] = [...REGISTRY_ROWS, ...LEDGER_ROWS, ...RIGHTS_ROWS];

/** Mutating functions the matrix leaves to their own tests (in registry.test.ts). */
const COVERED_OUTSIDE_MATRIX: Record<ContractName, readonly string[]> = {
  OrganizationRegistry: DEFAULT_ADMIN_FUNCTIONS,
  ProvenanceLedger: [],
  DataRights: [],
};

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
});
