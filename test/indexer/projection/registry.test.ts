import { expect } from "chai";
import { OrganizationStatus, Role } from "../../../src/sdk";
import { CN, actor, changes, hash, jurisdiction, later, operator, samples, world } from "./fixtures";
import { applyEvent } from "../../../src/indexer/projection";

describe("projection handlers: OrganizationRegistry", () => {
  it("OrganizationRegistered: a new active organisation, without operators, onboarded at the block's time", () => {
    expect(changes(samples.OrganizationRegistered)).to.deep.equal({
      "organizations:4": {
        id: 4,
        name: "Market Regulator",
        metadataHash: hash("regulator"),
        jurisdiction: CN,
        roles: Role.INSPECTOR,
        status: OrganizationStatus.ACTIVE,
        operatorCount: 0,
        registeredAt: later,
      },
    });
  });

  it("OrganizationProfileChanged: the name and the profile hash, nothing else", () => {
    const before = world().get("organizations", 1)!;
    expect(changes(samples.OrganizationProfileChanged)).to.deep.equal({
      "organizations:1": { ...before, name: "Open Data Bureau (GD)", metadataHash: hash("odb v2") },
    });
  });

  it("OrganizationJurisdictionChanged: the jurisdiction", () => {
    const before = world().get("organizations", 2)!;
    expect(changes(samples.OrganizationJurisdictionChanged)).to.deep.equal({
      "organizations:2": { ...before, jurisdiction: jurisdiction("MO") },
    });
  });

  it("OrganizationRolesChanged: the role set", () => {
    const before = world().get("organizations", 2)!;
    expect(changes(samples.OrganizationRolesChanged)).to.deep.equal({ "organizations:2": { ...before, roles: 15 } });
  });

  it("OrganizationSuspended and OrganizationReinstated: the status, and back", () => {
    const store = world();
    const before = store.get("organizations", 2)!;
    applyEvent(store, samples.OrganizationSuspended, later);
    expect(store.get("organizations", 2)).to.deep.equal({ ...before, status: OrganizationStatus.SUSPENDED });
    applyEvent(store, samples.OrganizationReinstated, later);
    expect(store.get("organizations", 2)).to.deep.equal(before);
    expect(changes(samples.OrganizationReinstated)).to.deep.equal({ "organizations:2": before });
  });

  it("OperatorAdded: the account acts for the organisation, which counts one more operator", () => {
    const before = world().get("organizations", 2)!;
    expect(changes(samples.OperatorAdded)).to.deep.equal({
      "organizations:2": { ...before, operatorCount: 1 },
      [`operators:${actor.toLowerCase()}`]: 2,
    });
  });

  it("OperatorRemoved: the account acts for nobody, and the organisation counts one fewer", () => {
    const before = world().get("organizations", 1)!;
    expect(before.operatorCount).to.equal(1);
    expect(world().get("operators", operator)).to.equal(1);
    expect(changes(samples.OperatorRemoved)).to.deep.equal({
      "organizations:1": { ...before, operatorCount: 0 },
      [`operators:${operator.toLowerCase()}`]: undefined,
    });
  });

  it("governance's AccessControl events change nothing the projection keeps", () => {
    for (const name of [
      "RoleGranted",
      "RoleRevoked",
      "RoleAdminChanged",
      "DefaultAdminTransferScheduled",
      "DefaultAdminTransferCanceled",
      "DefaultAdminDelayChangeScheduled",
      "DefaultAdminDelayChangeCanceled",
    ] as const) {
      expect(changes(samples[name]), name).to.deep.equal({});
    }
  });
});
