import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { OfferStatus, Scope, hashOf } from "../../helpers/fixtures";
import {
  DAY,
  DECISION,
  FINDING,
  PURPOSE,
  REASON,
  TERMS,
  blockTime,
  ctx,
  ownerOf,
  positionOf,
  registered,
  useRightsFixture,
  type StampTuple,
} from "./fixtures";

describe("DataRights", () => {
  useRightsFixture();

  // ---------------------------------------------------------------------------------------------------------------
  // Trail accounting
  // ---------------------------------------------------------------------------------------------------------------

  describe("trail accounting", () => {
    it("every rights action appends one entry to the record's trail and the ledger chain; ownership moves add their own", async () => {
      const { rights, agency, trader, foreignAgency, customs, inspector, orgIds } = ctx;
      const f = await registered("accounting");
      const farFuture = (await blockTime()) + 365n * DAY;
      const steps: [string, () => Promise<ContractTransactionResponse>, bigint][] = [
        ["issueGrant", () => rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0), 1n],
        ["revokeGrant", () => rights.connect(agency).revokeGrant(f, orgIds.trader, REASON), 1n],
        [
          "issueGrant (pending)",
          () => rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0),
          1n,
        ],
        ["decideGrant", () => rights.connect(customs).decideGrant(f, orgIds.foreignAgency, 2n, true, DECISION), 1n],
        ["attachFinding", () => rights.connect(inspector).attachFinding(f, FINDING), 1n],
        ["freeze", () => rights.connect(inspector).freeze(f, REASON), 1n],
        ["unfreeze", () => rights.connect(inspector).unfreeze(f, REASON), 1n],
        ["offerTransfer", () => rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, farFuture), 1n],
        ["cancelOffer", () => rights.connect(agency).cancelOffer(1n, REASON), 1n],
        ["offerTransfer", () => rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, farFuture), 1n],
        ["acceptOffer (moves ownership)", () => rights.connect(trader).acceptOffer(2n), 2n],
        ["confirmDelivery", () => rights.connect(trader).confirmDelivery(2n, f), 1n],
        [
          "offerTransfer (abroad)",
          () => rights.connect(trader).offerTransfer(f, orgIds.foreignAgency, TERMS, farFuture),
          1n,
        ],
        ["acceptOffer (awaits customs)", () => rights.connect(foreignAgency).acceptOffer(3n), 1n],
        ["decideTransfer (reject)", () => rights.connect(customs).decideTransfer(3n, false, DECISION), 1n],
        [
          "offerTransfer (abroad)",
          () => rights.connect(trader).offerTransfer(f, orgIds.foreignAgency, TERMS, farFuture),
          1n,
        ],
        ["acceptOffer (awaits customs)", () => rights.connect(foreignAgency).acceptOffer(4n), 1n],
        [
          "decideTransfer (approve, moves ownership)",
          () => rights.connect(customs).decideTransfer(4n, true, DECISION),
          2n,
        ],
        ["confirmDelivery (mismatch)", () => rights.connect(foreignAgency).confirmDelivery(4n, hashOf("other")), 1n],
      ];
      let before = await positionOf(f);
      for (const [name, action, entries] of steps) {
        const tx = await action();
        const receipt = (await tx.wait())!;
        const stamps = receipt.logs.map((log) => rights.interface.parseLog(log)!.args.stamp as StampTuple);
        const after = await positionOf(f);
        expect([after.length - before.length, after.sequence - before.sequence], name).to.deep.equal([
          entries,
          entries,
        ]);
        // The events' stamps are consecutive and the last one is where the ledger now stands.
        expect(
          stamps.map((stamp) => [stamp[1], stamp[2]]),
          name,
        ).to.deep.equal(
          Array.from({ length: Number(entries) }, (_, i) => [
            before.length + BigInt(i) + 1n,
            before.sequence + BigInt(i) + 1n,
          ]),
        );
        expect([...stamps[stamps.length - 1]], name).to.deep.equal([
          after.head,
          after.length,
          after.sequence,
          after.ledgerHead,
        ]);
        before = after;
      }
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      // A refused action appends nothing.
      await expect(rights.connect(customs).decideTransfer(4n, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(4n, OfferStatus.COMPLETED);
      expect(await positionOf(f)).to.deep.equal(before);
    });
  });
});
