/** DataRights' rows of the access-control matrix (on `rightsFixture`), and the situations they set up. */

import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer } from "ethers";
import {
  DataClass,
  GrantStatus,
  OfferStatus,
  Role,
  Rule,
  Scope,
  hashOf,
  jurisdiction,
  type Ledger,
  type LedgerWithRights,
} from "../../helpers/fixtures";
import {
  FOREIGN_REGISTRAR_ORG,
  INSPECTOR_ORG,
  MATRIX_FINGERPRINT,
  REGISTRAR_ORG,
  RIGHTS_FIXTURE,
  TRADER_ORG,
  holdsActiveRole,
  inconsistentRow,
  neverAllowed,
  refusedUnlessGovernance,
  refusedUnlessMemberWithRole,
  refusedUnlessRecordOwner,
  registerMatrixRecord,
  rowsOn,
  type AccessRule,
  type Caller,
  type MatrixRow,
  type Outcome,
  type Tx,
} from "./matrix";

const RIGHTS_PURPOSE = hashOf("matrix:purpose");
const RIGHTS_TERMS = hashOf("matrix:terms");
const RIGHTS_REASON = hashOf("matrix:reason");
export const RIGHTS_DECISION = hashOf("matrix:decision");
const RIGHTS_FINDING = hashOf("matrix:finding");
/** The grant or offer a row acts on is the first one issued (a later offer may only set the scene). */
export const FIRST_ID = 1n;
/** `requireRole(account, ANY_ROLE)` asks for an active membership only, whatever the organisation's roles. */
const ANY_ROLE = 0;
/** 2100-01-01T00:00:00Z: the matrix's offers never expire. */
const OFFER_EXPIRY = 4_102_444_800;
/** The `exportJurisdiction` of a flow that needs no customs approval. */
const NO_JURISDICTION = ethers.zeroPadBytes("0x", 8);

/** `owner` grants `granteeOrg` use of the matrix record, without expiry. */
async function grantUse(ctx: LedgerWithRights, owner: Signer, granteeOrg: bigint): Promise<void> {
  await ctx.rights.connect(owner).issueGrant(MATRIX_FINGERPRINT, granteeOrg, Scope.USE, RIGHTS_PURPOSE, 0);
}

/** `owner` offers the matrix record to `toOrg`. */
async function offerRecord(ctx: LedgerWithRights, owner: Signer, toOrg: bigint): Promise<void> {
  await ctx.rights.connect(owner).offerTransfer(MATRIX_FINGERPRINT, toOrg, RIGHTS_TERMS, OFFER_EXPIRY);
}

/** HK's registrar organisation grants the registrar's use of its internal record: pending HK customs (grant 1). */
export async function arrangeGrantPendingHkCustoms(ctx: LedgerWithRights): Promise<void> {
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
export async function arrangeTransferAwaitingHkCustoms(ctx: LedgerWithRights): Promise<void> {
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
export async function expectOwnershipTransferred(
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
      await expect(tx)
        .to.emit(ctx.rights, "ClassRuleChanged")
        .withArgs(DataClass.CORE, ctx.governance.address, Rule.FORBIDDEN, Rule.APPROVAL, anyValue);
    },
    expectDenied: refusedUnlessGovernance("DataRights"),
  },
];

export const RIGHTS_ROWS: readonly MatrixRow[] = rowsOn(RIGHTS_FIXTURE, DATA_RIGHTS_RULES);
