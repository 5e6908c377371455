import { expect } from "chai";
import { Authorization, ProvledgerError, Scope } from "../../../src/sdk";
import {
  InvalidScopesError,
  ProjectionError,
  applyEvent,
  authorize,
  createMemoryStore,
  isAllowed,
  type ProjectionReader,
} from "../../../src/indexer/projection";
import { fingerprint, hash, later, samples, start, world, worldEvents } from "./fixtures";

describe("projection: authorize", () => {
  it("refuses an empty or out-of-range scope as the contract does, instead of answering", () => {
    for (const scope of [0, 8, 255, 1.5, -1]) {
      expect(() => authorize(world(), fingerprint, 1, scope, later))
        .to.throw(InvalidScopesError, `scope ${scope}`)
        .that.satisfies(
          (error: InvalidScopesError) =>
            error instanceof ProvledgerError &&
            error.name === "InvalidScopesError" &&
            error.code === "InvalidScopes" &&
            error.scope === scope &&
            error.details === "combine USE 1, DERIVE 2, REDISTRIBUTE 4",
        );
    }
    expect(authorize(world(), fingerprint, 1, Scope.ALL, later).verdict).to.equal(Authorization.OWNER);
    expect(authorize(world(), fingerprint, 3, Scope.USE, later).verdict).to.equal(Authorization.NO_GRANT);
  });

  it("says which record is missing when asked about a record it never saw", () => {
    expect(() => authorize(world(), hash("unknown"), 1, Scope.USE, later))
      .to.throw(ProjectionError, /record 0x[0-9a-f]{64} is not in the projection/)
      .with.property("code", "MissingRecord");
  });

  it("says the projection lacks events when a record's owner is missing", () => {
    const store = createMemoryStore();
    applyEvent(
      store,
      worldEvents.find((e) => e.eventName === "RecordRegistered")!,
      start,
    );
    applyEvent(store, worldEvents[1], start);
    expect(() => authorize(store, fingerprint, 2, Scope.USE, later))
      .to.throw(ProjectionError, /organisation 1, the owner of/)
      .with.property("code", "MissingOrganization");
  });

  it("treats an unknown or suspended asking organisation as inactive", () => {
    const store = world();
    expect(authorize(store, fingerprint, 9, Scope.USE, later).verdict).to.equal(Authorization.ORGANIZATION_INACTIVE);
    applyEvent(store, samples.OrganizationSuspended, later);
    expect(authorize(store, fingerprint, 2, Scope.USE, later).verdict).to.equal(Authorization.ORGANIZATION_INACTIVE);
  });

  it("follows a cross-border grant from customs review to use, scope and expiry, reading only through get", () => {
    const store = world();
    // Any reader will do: the indexer's stores are no Maps.
    const reader: ProjectionReader = { get: (table, key) => store.get(table, key) };
    const ask = (scope: number, now = later) => authorize(reader, fingerprint, 2, scope, now);
    expect(ask(Scope.USE)).to.deep.equal({ verdict: Authorization.GRANT_PENDING_CUSTOMS, grantId: 1n });
    applyEvent(store, samples.GrantDecided, later);
    expect(ask(Scope.USE)).to.deep.equal({ verdict: Authorization.GRANTED, grantId: 1n });
    expect(isAllowed(ask(Scope.USE | Scope.DERIVE))).to.equal(true);
    expect(ask(Scope.REDISTRIBUTE).verdict).to.equal(Authorization.SCOPE_NOT_GRANTED);
    expect(ask(Scope.USE, start + 3601n).verdict).to.equal(Authorization.GRANT_EXPIRED);
    applyEvent(store, samples.ClassRuleChanged, later);
    expect(ask(Scope.USE).verdict).to.equal(Authorization.CROSS_BORDER_FORBIDDEN);
    applyEvent(store, samples.RecordFrozen, later);
    expect(isAllowed(ask(Scope.USE))).to.equal(false);
    expect(ask(Scope.USE)).to.deep.equal({ verdict: Authorization.RECORD_FROZEN, grantId: 0n });
  });
});
