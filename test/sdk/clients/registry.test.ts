import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { zeroAddress } from "viem";
import { OrganizationStatus, Role, Rule, DataClass, decodeJurisdiction, encodeJurisdiction } from "../../../src/sdk";
import { CHAIN_ID, HK_AGENCY, AGENCY, clientFor, fundedKey, h, revert, world } from "./world";

describe("SDK client: registry", () => {
  it("onboards organisations and reads them back", async () => {
    const { gov, agency, accounts, org, orgIds } = await world();
    expect(orgIds).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(await gov.organizationCount()).to.equal(6);
    const bureau = await agency.organization({ orgId: org.agency });
    expect(bureau.name).to.equal("Open Data Bureau");
    expect(decodeJurisdiction(bureau.jurisdiction)).to.equal("CN-GD");
    expect(bureau.roles).to.equal(Role.REGISTRAR | Role.TRADER);
    expect(bureau.status).to.equal(OrganizationStatus.ACTIVE);
    expect(bureau.operatorCount).to.equal(2);
    expect(await agency.organizationOf({ account: accounts.hkAgency })).to.equal(org.hk);
    expect(await agency.organizationOf({ account: accounts.outsider })).to.equal(0);
    expect(decodeJurisdiction(await agency.jurisdictionOf({ orgId: org.hk }))).to.equal("HK");
    expect(await agency.membership({ orgId: org.exchange })).to.deep.equal({
      status: OrganizationStatus.ACTIVE,
      jurisdiction: encodeJurisdiction("CN-GD"),
      roles: Role.TRADER,
    });
    expect(await agency.hasOrganizationRole({ orgId: org.agency, role: Role.REGISTRAR })).to.equal(true);
    expect(await agency.hasOrganizationRole({ orgId: org.exchange, role: Role.REGISTRAR })).to.equal(false);
    expect(await agency.requireRole({ account: accounts.agency, role: Role.REGISTRAR })).to.equal(org.agency);
    const lacks = await revert(
      agency.requireRole({ account: accounts.exchange, role: Role.REGISTRAR }),
      "OrganizationLacksRole",
    );
    expect(lacks.params).to.deep.equal({ orgId: org.exchange, role: Role.REGISTRAR });
    expect(await agency.governance()).to.equal(accounts.governance);
    expect(await gov.verify()).to.equal(CHAIN_ID);
    expect(gov.account).to.equal(accounts.governance);
  });

  it("binds the registry to its ledger once: a second bindLedger is refused with its reason", async () => {
    const { gov, addresses } = await world();
    const again = await revert(gov.bindLedger({ ledger: addresses.ledger }), "LedgerAlreadyBound");
    expect(again.params).to.deep.equal({ current: addresses.ledger });
    expect(again.message).to.equal(
      `the registry is already bound to the ledger ${addresses.ledger} and is bound only once: nothing to do`,
    );
  });

  it("changes profiles, jurisdictions, roles, status and operators", async () => {
    const { gov, agency, hk, exchange, accounts, org } = await world();
    const profile = await gov.setOrganizationProfile({
      orgId: org.exchange,
      name: "GD Exchange",
      metadataHash: h("v2"),
    });
    expect(profile.event.args).to.deep.include({
      orgId: org.exchange,
      actor: accounts.governance,
      name: "GD Exchange",
      metadataHash: h("v2"),
    });
    // Every membership change is a governance entry of the ledger-wide chain: a one-entry trail.
    expect(profile.event.args.stamp.recordLength).to.equal(1n);
    expect((await gov.ledgerHead()).ledgerSequence).to.equal(profile.event.args.stamp.ledgerSequence);
    const moved = await gov.setOrganizationJurisdiction({ orgId: org.exchange, jurisdiction: "MO" });
    expect(decodeJurisdiction(moved.event.args.previousJurisdiction)).to.equal("CN-GD");
    expect(decodeJurisdiction(moved.event.args.jurisdiction)).to.equal("MO");
    const roles = await gov.setOrganizationRoles({ orgId: org.exchange, roles: Role.TRADER | Role.REGISTRAR });
    expect(roles.event.args).to.deep.include({ orgId: org.exchange, previousRoles: Role.TRADER, roles: 3 });
    await exchange.register({ fingerprint: h("exchange-own"), dataClass: DataClass.PUBLIC });

    const suspended = await gov.suspendOrganization({ orgId: org.hk, reasonHash: h("audit") });
    expect(suspended.event.args).to.deep.include({ orgId: org.hk, actor: accounts.governance, reasonHash: h("audit") });
    const inactive = await revert(hk.register({ fingerprint: h("x"), dataClass: 0 }), "OrganizationNotActive");
    expect(inactive.message).to.equal(
      `${HK_AGENCY} is suspended, so its keys can change nothing: governance must reinstate it ` +
        "(reinstateOrganization) before it can act again",
    );
    const unchanged = await revert(gov.suspendOrganization({ orgId: org.hk }), "StatusUnchanged");
    expect(unchanged.message).to.equal(`${HK_AGENCY} is already suspended: nothing to change`);
    const reinstated = await gov.reinstateOrganization({ orgId: org.hk, reasonHash: h("cleared") });
    expect(reinstated.event.eventName).to.equal("OrganizationReinstated");
    await hk.register({ fingerprint: h("x"), dataClass: 0 });

    // Key rotation by an operator of the organisation itself.
    const key = await fundedKey();
    const added = await agency.addOperator({ orgId: org.agency, account: key.address });
    expect(added.event.args).to.deep.include({ orgId: org.agency, account: key.address, by: accounts.agency });
    const member = await revert(gov.addOperator({ orgId: org.hk, account: key.address }), "AccountAlreadyMember");
    expect(member.message).to.equal(
      `account ${key.address} already operates for ${AGENCY}, and an account serves one organisation: remove it ` +
        "there first (removeOperator), or use another account",
    );
    const manager = await revert(
      hk.removeOperator({ orgId: org.agency, account: key.address }),
      "UnauthorizedOperatorManager",
    );
    expect(manager.message).to.include(`${accounts.hkAgency} may not manage the operators of ${AGENCY}`);
    const removed = await agency.removeOperator({ orgId: org.agency, account: key.address });
    expect(removed.event.args.account).to.equal(key.address);
    expect(await agency.organizationOf({ account: key.address })).to.equal(0);
  });

  it("hands governance over in two steps, and names governance when someone else tries", async () => {
    const { gov, agency, accounts, addresses } = await world();
    const scheduled = await gov.beginGovernanceTransfer({ newGovernance: accounts.outsider });
    expect(scheduled.event.args.newAdmin).to.equal(accounts.outsider);
    expect((await gov.pendingGovernance()).newGovernance).to.equal(accounts.outsider);
    const cancelled = await gov.cancelGovernanceTransfer();
    expect(cancelled.event.eventName).to.equal("DefaultAdminTransferCanceled");
    expect((await gov.pendingGovernance()).newGovernance).to.equal(zeroAddress);

    await gov.beginGovernanceTransfer({ newGovernance: accounts.outsider });
    await time.increase(1);
    const successor = clientFor(accounts.outsider, addresses);
    const accepted = await successor.acceptGovernanceTransfer();
    expect(accepted.event.args.account).to.equal(accounts.outsider);
    expect(await agency.governance()).to.equal(accounts.outsider);

    const refused = await revert(gov.setClassRule({ dataClass: 0, rule: Rule.FORBIDDEN }), "NotGovernance");
    expect(refused.message).to.equal(
      `${accounts.governance} is not the consortium governance (governance is ${accounts.outsider}): only ` +
        "governance may do this; send from its account",
    );
  });
});
