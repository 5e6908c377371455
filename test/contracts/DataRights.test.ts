import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { Hex } from "viem";
import {
  Action,
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
  hashOf,
  jurisdiction,
  registration,
  rightsFixture,
  type LedgerWithRights,
} from "../helpers/fixtures";
import { ZERO_HASH, ledgerEntry, recordEntry } from "../../src/sdk/trail";
import type { IDataRights } from "../../typechain-types/contracts/DataRights";

/** The documented payload rule, written out by hand: keccak256(abi.encode(event parameters without the stamp)). */
function payload(types: readonly string[], values: readonly unknown[]): Hex {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(types, values)) as Hex;
}

/** Event parameter types (without the stamp), in declaration order, per trail event of the rights module. */
const Params = {
  GrantIssued: ["bytes32", "uint32", "address", "uint64", "uint32", "uint8", "bytes32", "uint40", "uint8", "bytes8"],
  GrantRevoked: ["bytes32", "uint32", "address", "uint64", "uint32", "bytes32"],
  GrantDecided: ["bytes32", "uint32", "address", "uint64", "uint32", "bool", "bytes32"],
  TransferOffered: ["bytes32", "uint32", "address", "uint64", "uint32", "bytes32", "uint40"],
  TransferCancelled: ["bytes32", "uint32", "address", "uint64", "bytes32"],
  TransferAccepted: ["bytes32", "uint32", "address", "uint64", "uint32", "bool", "bytes8"],
  TransferDecided: ["bytes32", "uint32", "address", "uint64", "bool", "bytes32"],
  OwnershipTransferred: ["bytes32", "uint32", "address", "uint64", "uint32"],
  DeliveryReported: ["bytes32", "uint32", "address", "uint64", "bytes32", "bool"],
  /** FindingAttached, RecordFrozen and RecordUnfrozen. */
  Inspection: ["bytes32", "uint32", "address", "bytes32"],
  RecordRegistered: [
    "bytes32",
    "uint32",
    "address",
    "uint8",
    "uint8",
    "bytes32",
    "string",
    "tuple(bytes32,uint8)[]",
    "uint256[]",
  ],
} as const satisfies Record<string, readonly string[]>;

const CN = jurisdiction("CN-GD");
const HK = jurisdiction("HK");
/** A third jurisdiction, for organisations a test onboards itself. */
const MO = jurisdiction("MO");
const NO_JURISDICTION = "0x0000000000000000";
const UNKNOWN_ORG = 99n;
const DAY = 86_400n;
/** How long customs has to decide on an accepted transfer before a party may abandon it (checked below). */
const CUSTOMS_REVIEW_PERIOD = 30n * DAY;
const PURPOSE = hashOf("purpose: credit scoring pilot");
const TERMS = hashOf("terms: exchange order 42");
const REASON = hashOf("reason");
const DECISION = hashOf("customs decision");
const FINDING = hashOf("finding");

const fp = (label: string | number) => hashOf(`fingerprint:${label}`);

async function blockTime(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

async function timeOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = (await tx.wait())!;
  return BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
}

/** A record's trail position and the ledger-wide position. */
interface Position {
  head: Hex;
  length: bigint;
  ledgerHead: Hex;
  sequence: bigint;
}

type StampTuple = [Hex, bigint, bigint, Hex];

/** The position after one more entry, recomputed from the documented encoding (README, "Audit trail encoding"). */
function next(
  before: Position,
  subject: string,
  action: number,
  actor: string,
  at: bigint,
  payloadHash: Hex,
): Position {
  const head = recordEntry(before.head, action, actor as Hex, at, payloadHash);
  const sequence = before.sequence + 1n;
  return {
    head,
    length: before.length + 1n,
    ledgerHead: ledgerEntry(before.ledgerHead, sequence, subject as Hex, head),
    sequence,
  };
}

const stampOf = (p: Position): StampTuple => [p.head, p.length, p.sequence, p.ledgerHead];

const allowed = (verdict: number) => verdict === Authorization.OWNER || verdict === Authorization.GRANTED;

function grantFields(grant: IDataRights.GrantStructOutput) {
  return {
    grantId: grant.grantId,
    grantorOrg: grant.grantorOrg,
    scopes: grant.scopes,
    status: grant.status,
    expiresAt: grant.expiresAt,
    issuedAt: grant.issuedAt,
    exportJurisdiction: grant.exportJurisdiction,
    purposeHash: grant.purposeHash,
  };
}

function offerFields(offer: IDataRights.OfferStructOutput) {
  return {
    fingerprint: offer.fingerprint,
    fromOrg: offer.fromOrg,
    toOrg: offer.toOrg,
    status: offer.status,
    offeredAt: offer.offeredAt,
    expiresAt: offer.expiresAt,
    exportJurisdiction: offer.exportJurisdiction,
    termsHash: offer.termsHash,
    acceptedAt: offer.acceptedAt,
  };
}

describe("DataRights", () => {
  let ctx: LedgerWithRights;
  beforeEach(async () => {
    ctx = await rightsFixture();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers bound to the fixture
  // ---------------------------------------------------------------------------------------------------------------

  async function registered(
    label: string,
    dataClass: number = DataClass.INTERNAL,
    by: HardhatEthersSigner = ctx.agency,
  ): Promise<string> {
    const f = fp(label);
    await ctx.ledger.connect(by).register(registration(f, { dataClass }));
    return f;
  }

  interface GrantOptions {
    scopes?: number;
    expiresAt?: bigint;
    by?: HardhatEthersSigner;
  }

  /** Issues a grant and returns its id. */
  async function issue(f: string, granteeOrg: bigint, options: GrantOptions = {}): Promise<bigint> {
    await ctx.rights
      .connect(options.by ?? ctx.agency)
      .issueGrant(f, granteeOrg, options.scopes ?? Scope.ALL, PURPOSE, options.expiresAt ?? 0n);
    return (await ctx.rights.counts()).grants;
  }

  interface OfferOptions {
    expiresAt?: bigint;
    by?: HardhatEthersSigner;
  }

  /** Offers a record (by default for a day) and returns the offer id. */
  async function offer(f: string, toOrg: bigint, options: OfferOptions = {}): Promise<bigint> {
    const expiresAt = options.expiresAt ?? (await blockTime()) + DAY;
    await ctx.rights.connect(options.by ?? ctx.agency).offerTransfer(f, toOrg, TERMS, expiresAt);
    return (await ctx.rights.counts()).offers;
  }

  async function positionOf(f: string): Promise<Position> {
    const [head, length] = await ctx.ledger.trailHead(f);
    const [ledgerHead, sequence] = await ctx.ledger.ledgerHead();
    return { head: head as Hex, length, ledgerHead: ledgerHead as Hex, sequence };
  }

  /** The ledger's views agree with a recomputed position. */
  async function expectPosition(f: string, p: Position): Promise<void> {
    expect(await ctx.ledger.trailHead(f)).to.deep.equal([p.head, p.length]);
    expect(await ctx.ledger.ledgerHead()).to.deep.equal([p.ledgerHead, p.sequence]);
  }

  async function expectVerdict(f: string, org: bigint, scope: number, verdict: number, grantId = 0n): Promise<void> {
    expect(await ctx.rights.authorization(f, org, scope)).to.deep.equal([BigInt(verdict), grantId]);
    expect(await ctx.rights.mayUse(f, org, scope)).to.equal(allowed(verdict));
  }

  async function ownerOf(f: string): Promise<bigint> {
    return (await ctx.ledger.getRecord(f)).ownerOrg;
  }

  async function grantStatus(f: string, org: bigint): Promise<bigint> {
    return (await ctx.rights.getGrant(f, org)).status;
  }

  async function offerStatus(offerId: bigint): Promise<bigint> {
    return (await ctx.rights.getOffer(offerId)).status;
  }

  function derive(child: string, parent: string, by: HardhatEthersSigner = ctx.foreignAgency) {
    return ctx.ledger
      .connect(by)
      .register(registration(child, { parents: [{ fingerprint: parent, relation: Relation.DERIVED_FROM }] }));
  }

  async function setRule(dataClass: number, rule: number): Promise<void> {
    await ctx.rights.connect(ctx.governance).setClassRule(dataClass, rule);
  }

  const suspend = (org: bigint) => ctx.registry.connect(ctx.governance).suspendOrganization(org, REASON);
  const reinstate = (org: bigint) => ctx.registry.connect(ctx.governance).reinstateOrganization(org, REASON);

  /** Onboards an organisation operated by the spare signer `signerIndex` (the fixture uses signers 0..9). */
  async function onboard(
    name: string,
    code: string,
    roles: number,
    signerIndex: number,
  ): Promise<{ operator: HardhatEthersSigner; orgId: bigint }> {
    const operator = (await ethers.getSigners())[signerIndex];
    await ctx.registry
      .connect(ctx.governance)
      .registerOrganization(name, hashOf(name), jurisdiction(code), roles, [operator.address]);
    return { operator, orgId: await ctx.registry.organizationOf(operator.address) };
  }

  /**
   * A cross-border (CN-GD -> HK) transfer of internal data, accepted and waiting for CN-GD customs, with the block
   * time of its acceptance.
   */
  async function awaitingCustoms(label: string): Promise<{ f: string; offerId: bigint; acceptedAt: bigint }> {
    const f = await registered(label, DataClass.INTERNAL);
    const offerId = await offer(f, ctx.orgIds.foreignAgency);
    const acceptedAt = await timeOf(await ctx.rights.connect(ctx.foreignAgency).acceptOffer(offerId));
    return { f, offerId, acceptedAt };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Use grants
  // ---------------------------------------------------------------------------------------------------------------

  describe("issueGrant", () => {
    it("issues a domestic grant as Active, stamping the trail, and stores every field", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("g");
      const before = await positionOf(f);
      const expiresAt = (await blockTime()) + DAY;
      const tx = await rights
        .connect(agencyKey2)
        .issueGrant(f, orgIds.trader, Scope.USE | Scope.DERIVE, PURPOSE, expiresAt);
      const at = await timeOf(tx);
      const values = [
        f,
        orgIds.trader,
        agencyKey2.address,
        1n,
        orgIds.agency,
        Scope.USE | Scope.DERIVE,
        PURPOSE,
        expiresAt,
        GrantStatus.ACTIVE,
        NO_JURISDICTION,
      ];
      const p = next(before, f, Action.GRANT_ISSUED, agencyKey2.address, at, payload(Params.GrantIssued, values));
      await expect(tx)
        .to.emit(rights, "GrantIssued")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(p.length).to.equal(2n);
      expect(grantFields(await rights.getGrant(f, orgIds.trader))).to.deep.equal({
        grantId: 1n,
        grantorOrg: orgIds.agency,
        scopes: BigInt(Scope.USE | Scope.DERIVE),
        status: BigInt(GrantStatus.ACTIVE),
        expiresAt,
        issuedAt: at,
        exportJurisdiction: NO_JURISDICTION,
        purposeHash: PURPOSE,
      });
      expect(await rights.counts()).to.deep.equal([1n, 0n]);
      await expectVerdict(f, orgIds.trader, Scope.USE | Scope.DERIVE, Authorization.GRANTED, 1n);
    });

    it("issues a cross-border grant of public data as Active, without customs", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("pub", DataClass.PUBLIC);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.emit(rights, "GrantIssued")
        .withArgs(
          f,
          orgIds.foreignAgency,
          agency.address,
          1n,
          orgIds.agency,
          Scope.USE,
          PURPOSE,
          0,
          GrantStatus.ACTIVE,
          NO_JURISDICTION,
          (stamp: StampTuple) => stamp[1] === 2n,
        );
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, 1n);
    });

    for (const [name, dataClass] of [
      ["internal", DataClass.INTERNAL],
      ["important", DataClass.IMPORTANT],
    ] as const) {
      it(`holds a cross-border grant of ${name} data for the owner's customs (PendingCustoms, both directions)`, async () => {
        const { rights, agency, foreignAgency, orgIds } = ctx;
        const cn = await registered(`cn-${name}`, dataClass);
        await expect(rights.connect(agency).issueGrant(cn, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
          .to.emit(rights, "GrantIssued")
          .withArgs(
            cn,
            orgIds.foreignAgency,
            agency.address,
            1n,
            orgIds.agency,
            Scope.USE,
            PURPOSE,
            0,
            GrantStatus.PENDING_CUSTOMS,
            CN,
            (stamp: StampTuple) => stamp[1] === 2n,
          );
        expect((await rights.getGrant(cn, orgIds.foreignAgency)).exportJurisdiction).to.equal(CN);
        await expectVerdict(cn, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_PENDING_CUSTOMS, 1n);

        const hk = await registered(`hk-${name}`, dataClass, foreignAgency);
        await rights.connect(foreignAgency).issueGrant(hk, orgIds.agency, Scope.USE, PURPOSE, 0);
        const grant = await rights.getGrant(hk, orgIds.agency);
        expect([grant.status, grant.exportJurisdiction, grant.grantorOrg]).to.deep.equal([
          BigInt(GrantStatus.PENDING_CUSTOMS),
          HK,
          orgIds.foreignAgency,
        ]);
      });
    }

    it("refuses a cross-border grant of core data (CrossBorderForbidden) but allows it at home", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("core", DataClass.CORE);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.CORE, CN, HK);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.NONE));
      await rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0);
      expect(await grantStatus(f, orgIds.trader)).to.equal(BigInt(GrantStatus.ACTIVE));
    });

    it("accepts every non-empty scope set within ALL and refuses 0 and bits outside it (InvalidScopes)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("scopes");
      for (let scopes = 1; scopes <= Scope.ALL; scopes++) {
        await rights.connect(agency).issueGrant(f, orgIds.trader, scopes, PURPOSE, 0);
        expect((await rights.getGrant(f, orgIds.trader)).scopes).to.equal(BigInt(scopes));
        await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      }
      for (const scopes of [0, 8, 9, 15, 255]) {
        await expect(rights.connect(agency).issueGrant(f, orgIds.trader, scopes, PURPOSE, 0))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scopes);
      }
    });

    it("refuses an expiry in the past or at the current block time, and accepts the next second or none", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("expiry");
      // Each refused transaction is still mined, so every attempt pins its own block time.
      let now = (await blockTime()) + 10n;
      for (const expiryAt of [(t: bigint) => t - 5n, (t: bigint) => t]) {
        const expiresAt = expiryAt(now);
        await time.setNextBlockTimestamp(now);
        await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, expiresAt))
          .to.be.revertedWithCustomError(rights, "ExpiryNotInFuture")
          .withArgs(expiresAt, now);
        now += 1n;
      }
      await time.setNextBlockTimestamp(now);
      await rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, now + 1n);
      expect((await rights.getGrant(f, orgIds.trader)).expiresAt).to.equal(now + 1n);
      await rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0);
      expect((await rights.getGrant(f, orgIds.inspector)).expiresAt).to.equal(0n);
    });

    it("refuses granting to the owner itself (SelfDealing)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("self");
      await expect(rights.connect(agency).issueGrant(f, orgIds.agency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "SelfDealing")
        .withArgs(f, orgIds.agency);
    });

    it("refuses a suspended or unknown grantee (CounterpartyNotActive)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("counterparty");
      for (const org of [orgIds.suspended, UNKNOWN_ORG, 0n]) {
        await expect(rights.connect(agency).issueGrant(f, org, Scope.USE, PURPOSE, 0))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(org);
      }
    });

    it("refuses a second grant to the same organisation while one is pending or live (GrantOutstanding)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("outstanding");
      const live = await issue(f, orgIds.trader, { expiresAt: (await blockTime()) + DAY });
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.ALL, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.trader, live, GrantStatus.ACTIVE);
      const pending = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(agency).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.foreignAgency, pending, GrantStatus.PENDING_CUSTOMS);
      // Grants to other organisations are independent.
      await issue(f, orgIds.inspector);
      expect(await grantStatus(f, orgIds.inspector)).to.equal(BigInt(GrantStatus.ACTIVE));
    });

    it("allows a new grant after revocation, rejection or expiry, with a new id replacing the old one", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("renew");
      // Revoked.
      const first = await issue(f, orgIds.trader);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      const second = await issue(f, orgIds.trader, { scopes: Scope.USE });
      expect(second).to.equal(first + 1n);
      expect(grantFields(await rights.getGrant(f, orgIds.trader))).to.include({
        grantId: second,
        scopes: BigInt(Scope.USE),
        status: BigInt(GrantStatus.ACTIVE),
      });
      // Rejected by customs.
      const pending = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, pending, false, DECISION);
      const again = await issue(f, orgIds.foreignAgency);
      expect((await rights.getGrant(f, orgIds.foreignAgency)).grantId).to.equal(again);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.PENDING_CUSTOMS));
      // Expired (still Active in storage, but no longer live).
      const expiresAt = (await blockTime()) + 100n;
      const expiring = await issue(f, orgIds.inspector, { expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "GrantOutstanding")
        .withArgs(f, orgIds.inspector, expiring, GrantStatus.ACTIVE);
      const renewed = await issue(f, orgIds.inspector);
      expect(renewed).to.equal(expiring + 1n);
      expect((await rights.getGrant(f, orgIds.inspector)).expiresAt).to.equal(0n);
    });

    it("refuses callers that do not own the record or lack the registrar role, and unknown records", async () => {
      const { rights, foreignAgency, trader, outsider, suspended, agency, orgIds } = ctx;
      const f = await registered("owner");
      await expect(rights.connect(foreignAgency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.agency, orgIds.foreignAgency);
      await expect(rights.connect(trader).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.REGISTRAR);
      await expect(rights.connect(outsider).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      await expect(rights.connect(suspended).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
      await expect(rights.connect(agency).issueGrant(fp("none"), orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });

    it("refuses a withdrawn record (RecordIsWithdrawn) and a frozen one (RecordIsFrozen)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const withdrawn = await registered("withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(agency).issueGrant(withdrawn, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      const frozen = await registered("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(agency).issueGrant(frozen, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
    });

    it("refuses any grant while an offer is open or awaiting customs (RecordUnderOffer), and allows it once it ended", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("offered");
      const open = await offer(f, orgIds.trader);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, open);
      await rights.connect(agency).cancelOffer(open, REASON);
      await issue(f, orgIds.inspector);

      const { f: g, offerId } = await awaitingCustoms("awaiting");
      await expect(rights.connect(agency).issueGrant(g, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(g, offerId);
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      await issue(g, orgIds.inspector);
      expect(await grantStatus(g, orgIds.inspector)).to.equal(BigInt(GrantStatus.ACTIVE));
    });
  });

  describe("revokeGrant", () => {
    it("revokes an active grant: event with the trail stamp, status Revoked, no longer usable", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("revoke");
      const grantId = await issue(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(agencyKey2).revokeGrant(f, orgIds.trader, REASON);
      const values = [f, orgIds.trader, agencyKey2.address, grantId, orgIds.agency, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        agencyKey2.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      const grant = await rights.getGrant(f, orgIds.trader);
      expect([grant.grantId, grant.status]).to.deep.equal([grantId, BigInt(GrantStatus.REVOKED)]);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANT_REVOKED, grantId);
    });

    it("revokes a grant pending customs, which customs can then no longer decide", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("revoke-pending");
      const grantId = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.emit(rights, "GrantRevoked")
        .withArgs(
          f,
          orgIds.foreignAgency,
          agency.address,
          grantId,
          orgIds.agency,
          REASON,
          (s: StampTuple) => s[1] === 3n,
        );
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REVOKED));
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(grantId, GrantStatus.REVOKED);
    });

    it("refuses every organisation but the owner (NotRecordOwner), the grantees included, whatever its roles", async () => {
      const { rights, foreignAgency, trader, inspector, customs, outsider, orgIds } = ctx;
      const f = await registered("revoke-owner", DataClass.PUBLIC);
      await issue(f, orgIds.foreignAgency);
      await issue(f, orgIds.trader);
      for (const [signer, org, grantee] of [
        [foreignAgency, orgIds.foreignAgency, orgIds.foreignAgency],
        [trader, orgIds.trader, orgIds.trader],
        [inspector, orgIds.inspector, orgIds.trader],
        [customs, orgIds.customs, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).revokeGrant(f, grantee, REASON))
          .to.be.revertedWithCustomError(rights, "NotRecordOwner")
          .withArgs(f, orgIds.agency, org);
      }
      await expect(rights.connect(outsider).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      expect([await grantStatus(f, orgIds.foreignAgency), await grantStatus(f, orgIds.trader)]).to.deep.equal([
        BigInt(GrantStatus.ACTIVE),
        BigInt(GrantStatus.ACTIVE),
      ]);
    });

    it("lets the owner revoke whatever roles it holds, none at all included (any active membership will do)", async () => {
      const { rights, registry, governance, agency, orgIds } = ctx;
      const f = await registered("revoke-any-role", DataClass.PUBLIC);
      const grantees = [orgIds.trader, orgIds.inspector, orgIds.foreignAgency];
      const grantIds: bigint[] = [];
      for (const grantee of grantees) grantIds.push(await issue(f, grantee));
      for (const [i, roles] of [Role.TRADER, Role.INSPECTOR, 0].entries()) {
        await registry.connect(governance).setOrganizationRoles(orgIds.agency, roles);
        // Registration and three grants make four entries; each revocation adds one.
        await expect(rights.connect(agency).revokeGrant(f, grantees[i], REASON))
          .to.emit(rights, "GrantRevoked")
          .withArgs(
            f,
            grantees[i],
            agency.address,
            grantIds[i],
            orgIds.agency,
            REASON,
            (s: StampTuple) => s[1] === BigInt(5 + i),
          );
        await expectVerdict(f, grantees[i], Scope.USE, Authorization.GRANT_REVOKED, grantIds[i]);
      }
      // Granting still needs the registrar role.
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.REGISTRAR);
    });

    it("refuses revoking a grant that is None, Revoked or Rejected (GrantNotRevocable)", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const f = await registered("not-revocable");
      await expect(rights.connect(agency).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.trader, GrantStatus.NONE);
      await issue(f, orgIds.trader);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.trader, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.trader, GrantStatus.REVOKED);
      const pending = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, pending, false, DECISION);
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "GrantNotRevocable")
        .withArgs(f, orgIds.foreignAgency, GrantStatus.REJECTED);
    });

    it("still lets the owner revoke on a frozen or withdrawn record (revoking only narrows use)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const f = await registered("revoke-frozen");
      await issue(f, orgIds.trader);
      await issue(f, orgIds.inspector);
      await rights.connect(inspector).freeze(f, REASON);
      await rights.connect(agency).revokeGrant(f, orgIds.trader, REASON);
      await rights.connect(inspector).unfreeze(f, REASON);
      await ledger.connect(agency).withdraw(f, REASON);
      await rights.connect(agency).revokeGrant(f, orgIds.inspector, REASON);
      expect([await grantStatus(f, orgIds.trader), await grantStatus(f, orgIds.inspector)]).to.deep.equal([
        BigInt(GrantStatus.REVOKED),
        BigInt(GrantStatus.REVOKED),
      ]);
    });
  });

  describe("decideGrant", () => {
    /** A CN-GD internal record with a grant to HK pending CN-GD customs. */
    async function pendingGrant(label: string): Promise<{ f: string; grantId: bigint }> {
      const f = await registered(label, DataClass.INTERNAL);
      const grantId = await issue(f, ctx.orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      return { f, grantId };
    }

    it("lets the exporting jurisdiction's customs approve: event with the trail stamp, grant Active and usable", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("approve");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      const values = [f, orgIds.foreignAgency, customs.address, grantId, orgIds.customs, true, DECISION];
      const p = next(
        before,
        f,
        Action.GRANT_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.GrantDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantDecided")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.status, grant.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.ACTIVE), CN]);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
    });

    it("lets it reject: event with the trail stamp, grant Rejected and not usable", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("reject");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      const values = [f, orgIds.foreignAgency, customs.address, grantId, orgIds.customs, false, DECISION];
      const p = next(
        before,
        f,
        Action.GRANT_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.GrantDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantDecided")
        .withArgs(...values, stampOf(p));
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REJECTED, grantId);
    });

    it("refuses customs of another jurisdiction, either way round (NotCustomsOfJurisdiction)", async () => {
      const { rights, customs, foreignCustoms, foreignAgency, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("wrong-customs");
      for (const approve of [true, false]) {
        await expect(rights.connect(foreignCustoms).decideGrant(f, orgIds.foreignAgency, grantId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
          .withArgs(orgIds.foreignCustoms, HK, CN);
      }
      const hk = await registered("hk-export", DataClass.IMPORTANT, foreignAgency);
      const hkGrant = await issue(hk, orgIds.agency, { by: foreignAgency });
      await expect(rights.connect(customs).decideGrant(hk, orgIds.agency, hkGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, HK);
      await rights.connect(foreignCustoms).decideGrant(hk, orgIds.agency, hkGrant, true, DECISION);
      await expectVerdict(hk, orgIds.agency, Scope.USE, Authorization.GRANTED, hkGrant);
    });

    it("refuses callers without the customs role", async () => {
      const { rights, agency, outsider, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("not-customs");
      await expect(rights.connect(agency).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.CUSTOMS);
      await expect(rights.connect(outsider).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
    });

    it("refuses a stale or wrong grant id (GrantMismatch)", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const { f, grantId: stale } = await pendingGrant("stale");
      await rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON);
      const current = await issue(f, orgIds.foreignAgency);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, stale, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantMismatch")
        .withArgs(f, orgIds.foreignAgency, current, stale);
      await expect(rights.connect(customs).decideGrant(f, orgIds.trader, current, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantMismatch")
        .withArgs(f, orgIds.trader, 0n, current);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, current, true, DECISION);
    });

    it("refuses a second decision (approve after reject, reject after approve) and Active grants (GrantNotPendingCustoms)", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f: rejected, grantId: rejectedId } = await pendingGrant("approve-after-reject");
      await rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, false, DECISION);
      await expect(rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(rejectedId, GrantStatus.REJECTED);
      const { f: approved, grantId: approvedId } = await pendingGrant("reject-after-approve");
      await rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, true, DECISION);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, false, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(approvedId, GrantStatus.ACTIVE);
      const domestic = await issue(approved, orgIds.trader);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.trader, domestic, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(domestic, GrantStatus.ACTIVE);
      await expect(rights.connect(customs).decideGrant(approved, orgIds.inspector, 0n, true, DECISION))
        .to.be.revertedWithCustomError(rights, "GrantNotPendingCustoms")
        .withArgs(0n, GrantStatus.NONE);
    });

    it("refuses approval while the record is frozen or withdrawn, but allows rejection", async () => {
      const { rights, ledger, agency, customs, inspector, orgIds } = ctx;
      const { f: frozen, grantId: frozenGrant } = await pendingGrant("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(customs).decideGrant(frozen, orgIds.foreignAgency, frozenGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      await rights.connect(customs).decideGrant(frozen, orgIds.foreignAgency, frozenGrant, false, DECISION);
      expect(await grantStatus(frozen, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));

      const { f: withdrawn, grantId: withdrawnGrant } = await pendingGrant("withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(customs).decideGrant(withdrawn, orgIds.foreignAgency, withdrawnGrant, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      await rights.connect(customs).decideGrant(withdrawn, orgIds.foreignAgency, withdrawnGrant, false, DECISION);
      expect(await grantStatus(withdrawn, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    it("refuses approval if governance made the class Forbidden meanwhile (CrossBorderForbidden), but allows rejection", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, grantId } = await pendingGrant("now-forbidden");
      await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.INTERNAL, CN, HK);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    for (const party of ["owner", "grantee"] as const) {
      it(`refuses approval while the ${party} is suspended (CounterpartyNotActive), allows rejection, and approves once reinstated`, async () => {
        const { rights, customs, orgIds } = ctx;
        const org = party === "owner" ? orgIds.agency : orgIds.foreignAgency;
        const { f: rejected, grantId: rejectedId } = await pendingGrant(`${party}-suspended-rejected`);
        const { f: approved, grantId: approvedId } = await pendingGrant(`${party}-suspended-approved`);
        await suspend(org);
        for (const [f, grantId] of [
          [rejected, rejectedId],
          [approved, approvedId],
        ] as const) {
          await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
            .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
            .withArgs(org);
          expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.PENDING_CUSTOMS));
        }
        await expect(rights.connect(customs).decideGrant(rejected, orgIds.foreignAgency, rejectedId, false, DECISION))
          .to.emit(rights, "GrantDecided")
          .withArgs(
            rejected,
            orgIds.foreignAgency,
            customs.address,
            rejectedId,
            orgIds.customs,
            false,
            DECISION,
            (s: StampTuple) => s[1] === 3n,
          );
        expect(await grantStatus(rejected, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
        await reinstate(org);
        await rights.connect(customs).decideGrant(approved, orgIds.foreignAgency, approvedId, true, DECISION);
        await expectVerdict(approved, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, approvedId);
      });
    }

    it("checks the crossing from the current owner: once the record was sold to a third jurisdiction, the recorded customs may only reject (NotCustomsOfJurisdiction)", async () => {
      const { rights, customs, orgIds } = ctx;
      const buyer = await onboard("MO Data Exchange", "MO", Role.TRADER, 10);
      const moCustoms = await onboard("MO Data Customs", "MO", Role.CUSTOMS, 11);
      const { f, grantId } = await pendingGrant("sold-to-mo");
      // The sale to Macau crosses the border too: CN-GD customs approves it.
      const offerId = await offer(f, buyer.orgId);
      await rights.connect(buyer.operator).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(buyer.orgId);

      // MO -> HK would now need MO's customs, not the CN-GD customs recorded in the grant...
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, MO);
      // ...and MO's customs is not the one the grant waits for.
      await expect(rights.connect(moCustoms.operator).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(moCustoms.orgId, MO, CN);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.status, grant.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.PENDING_CUSTOMS), CN]);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_PENDING_CUSTOMS, grantId);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, false, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.REJECTED));
    });

    it("lets the recorded customs approve a grant whose record was sold into the grantee's jurisdiction meanwhile (no crossing left)", async () => {
      const { rights, customs, foreignAgency, orgIds } = ctx;
      const f = await registered("sold-to-hk", DataClass.INTERNAL);
      // Granted to HK's customs organisation (any active organisation may be a grantee), pending CN-GD customs.
      const grantId = await issue(f, orgIds.foreignCustoms, { scopes: Scope.USE });
      const offerId = await offer(f, orgIds.foreignAgency);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignCustoms, grantId, true, DECISION))
        .to.emit(rights, "GrantDecided")
        .withArgs(
          f,
          orgIds.foreignCustoms,
          customs.address,
          grantId,
          orgIds.customs,
          true,
          DECISION,
          (s: StampTuple) => s[1] === 7n,
        );
      await expectVerdict(f, orgIds.foreignCustoms, Scope.USE, Authorization.GRANTED, grantId);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Authorization
  // ---------------------------------------------------------------------------------------------------------------

  describe("authorization and mayUse", () => {
    interface Question {
      f: string;
      org: bigint;
      scope: number;
      grantId: bigint;
    }

    const verdictCases: { name: string; verdict: number; ask: () => Promise<Question> }[] = [
      {
        name: "Owner for the owning organisation, in every scope, without a grant",
        verdict: Authorization.OWNER,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.agency, scope: Scope.ALL, grantId: 0n }),
      },
      {
        name: "Granted for a live grant covering the scope",
        verdict: Authorization.GRANTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader, { scopes: Scope.USE | Scope.REDISTRIBUTE });
          return { f, org: ctx.orgIds.trader, scope: Scope.USE | Scope.REDISTRIBUTE, grantId };
        },
      },
      {
        name: "RecordWithdrawn, even for a grantee with a live grant",
        verdict: Authorization.RECORD_WITHDRAWN,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.ledger.connect(ctx.agency).withdraw(f, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "RecordFrozen, even for a grantee with a live grant",
        verdict: Authorization.RECORD_FROZEN,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.rights.connect(ctx.inspector).freeze(f, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "OrganizationInactive for a suspended organisation",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.suspended, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "OrganizationInactive for an unknown organisation",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => ({ f: await registered("v"), org: UNKNOWN_ORG, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "OrganizationInactive for the owner itself once suspended",
        verdict: Authorization.ORGANIZATION_INACTIVE,
        ask: async () => {
          const f = await registered("v");
          await ctx.registry.connect(ctx.governance).suspendOrganization(ctx.orgIds.agency, REASON);
          return { f, org: ctx.orgIds.agency, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "OwnerInactive for a grantee while the owner is suspended",
        verdict: Authorization.OWNER_INACTIVE,
        ask: async () => {
          const f = await registered("v");
          await issue(f, ctx.orgIds.trader);
          await ctx.registry.connect(ctx.governance).suspendOrganization(ctx.orgIds.agency, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n };
        },
      },
      {
        name: "NoGrant for an active organisation that never had one",
        verdict: Authorization.NO_GRANT,
        ask: async () => ({ f: await registered("v"), org: ctx.orgIds.trader, scope: Scope.USE, grantId: 0n }),
      },
      {
        name: "GrantPendingCustoms for a cross-border grant not yet approved",
        verdict: Authorization.GRANT_PENDING_CUSTOMS,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantRevoked for a revoked grant",
        verdict: Authorization.GRANT_REVOKED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader);
          await ctx.rights.connect(ctx.agency).revokeGrant(f, ctx.orgIds.trader, REASON);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantRejected for a grant customs refused",
        verdict: Authorization.GRANT_REJECTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await ctx.rights.connect(ctx.customs).decideGrant(f, ctx.orgIds.foreignAgency, grantId, false, DECISION);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "GrantExpired after the grant's last valid second",
        verdict: Authorization.GRANT_EXPIRED,
        ask: async () => {
          const f = await registered("v");
          const expiresAt = (await blockTime()) + 1000n;
          const grantId = await issue(f, ctx.orgIds.trader, { expiresAt });
          await time.increaseTo(expiresAt + 1n);
          return { f, org: ctx.orgIds.trader, scope: Scope.USE, grantId };
        },
      },
      {
        name: "ScopeNotGranted when one of the scopes asked is not granted",
        verdict: Authorization.SCOPE_NOT_GRANTED,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.trader, { scopes: Scope.USE });
          return { f, org: ctx.orgIds.trader, scope: Scope.USE | Scope.DERIVE, grantId };
        },
      },
      {
        name: "CrossBorderForbidden for an approved cross-border grant once the class became Forbidden",
        verdict: Authorization.CROSS_BORDER_FORBIDDEN,
        ask: async () => {
          const f = await registered("v");
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await ctx.rights.connect(ctx.customs).decideGrant(f, ctx.orgIds.foreignAgency, grantId, true, DECISION);
          await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
      {
        name: "CustomsApprovalMissing for a cross-border grant issued without customs once the class needs approval",
        verdict: Authorization.CUSTOMS_APPROVAL_MISSING,
        ask: async () => {
          const f = await registered("v", DataClass.PUBLIC);
          const grantId = await issue(f, ctx.orgIds.foreignAgency);
          await setRule(DataClass.PUBLIC, Rule.APPROVAL);
          return { f, org: ctx.orgIds.foreignAgency, scope: Scope.USE, grantId };
        },
      },
    ];

    for (const { name, verdict, ask } of verdictCases) {
      it(`answers ${name}`, async () => {
        const { f, org, scope, grantId } = await ask();
        await expectVerdict(f, org, scope, verdict, grantId);
      });
    }

    it("keeps a grant valid through its expiry second and expires it one second later", async () => {
      const { orgIds } = ctx;
      const f = await registered("expiry");
      const expiresAt = (await blockTime()) + 1000n;
      const grantId = await issue(f, orgIds.trader, { expiresAt });
      await time.increaseTo(expiresAt - 1n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANTED, grantId);
      await time.increaseTo(expiresAt);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANTED, grantId);
      await time.increaseTo(expiresAt + 1n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.GRANT_EXPIRED, grantId);
    });

    it("requires every scope asked: a USE|REDISTRIBUTE grant answers each combination", async () => {
      const { orgIds } = ctx;
      const f = await registered("scopes");
      const grantId = await issue(f, orgIds.trader, { scopes: Scope.USE | Scope.REDISTRIBUTE });
      for (let scope = 1; scope <= Scope.ALL; scope++) {
        const covered = (scope & ~(Scope.USE | Scope.REDISTRIBUTE)) === 0;
        await expectVerdict(
          f,
          orgIds.trader,
          scope,
          covered ? Authorization.GRANTED : Authorization.SCOPE_NOT_GRANTED,
          grantId,
        );
      }
    });

    it("checks the record first, then the asking organisation, then the owner, then the grant", async () => {
      const { rights, registry, ledger, governance, agency, inspector, orgIds } = ctx;
      const f = await registered("order");
      // A suspended organisation asking about a frozen record: the record's state is reported.
      await rights.connect(inspector).freeze(f, REASON);
      await expectVerdict(f, orgIds.suspended, Scope.USE, Authorization.RECORD_FROZEN);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_FROZEN);
      await rights.connect(inspector).unfreeze(f, REASON);
      // The owner suspended, asked about by an unknown organisation.
      await registry.connect(governance).suspendOrganization(orgIds.agency, REASON);
      await expectVerdict(f, UNKNOWN_ORG, Scope.USE, Authorization.ORGANIZATION_INACTIVE);
      // The owner suspended, asked about by an organisation with no grant at all.
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.OWNER_INACTIVE);
      await registry.connect(governance).reinstateOrganization(orgIds.agency, REASON);
      await ledger.connect(agency).withdraw(f, REASON);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_WITHDRAWN);
      await expectVerdict(f, UNKNOWN_ORG, Scope.USE, Authorization.RECORD_WITHDRAWN);
    });

    it("applies a Forbidden rule only to usable cross-border grants, and only while it holds", async () => {
      const { orgIds } = ctx;
      const f = await registered("rule", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE });
      const home = await issue(f, orgIds.trader);
      await setRule(DataClass.PUBLIC, Rule.FORBIDDEN);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CROSS_BORDER_FORBIDDEN, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
      // A grant that would not be usable anyway reports its own reason.
      await expectVerdict(f, orgIds.foreignAgency, Scope.DERIVE, Authorization.SCOPE_NOT_GRANTED, abroad);
      // Relaxed to Approval, the ban gives way to the missing approval; lifted, the grant is usable again.
      await setRule(DataClass.PUBLIC, Rule.APPROVAL);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
      await setRule(DataClass.PUBLIC, Rule.FREE);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, abroad);
    });

    it("requires customs approval of a cross-border grant of public data once governance makes the class Approval (CustomsApprovalMissing)", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("public-tightened", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      const home = await issue(f, orgIds.trader, { scopes: Scope.USE });
      // Issued under the Free rule: no customs approved it.
      expect((await rights.getGrant(f, orgIds.foreignAgency)).exportJurisdiction).to.equal(NO_JURISDICTION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, abroad);
      await setRule(DataClass.PUBLIC, Rule.APPROVAL);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      await expectVerdict(
        f,
        orgIds.foreignAgency,
        Scope.USE | Scope.DERIVE,
        Authorization.CUSTOMS_APPROVAL_MISSING,
        abroad,
      );
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.foreignAgency, Authorization.CUSTOMS_APPROVAL_MISSING, abroad);
      // The grant's own shortcomings are reported first, and a domestic grant needs no customs.
      await expectVerdict(f, orgIds.foreignAgency, Scope.REDISTRIBUTE, Authorization.SCOPE_NOT_GRANTED, abroad);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.GRANTED, home);
    });

    it("requires the new owner's customs for a domestic grant once the record is sold abroad (CustomsApprovalMissing), until it approves a new grant", async () => {
      const { rights, registry, governance, customs, foreignAgency, foreignCustoms, trader, orgIds } = ctx;
      // The grantee registers, so that it can derive.
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const f = await registered("domestic-then-sold", DataClass.INTERNAL);
      const scopes = Scope.USE | Scope.DERIVE;
      const grantId = await issue(f, orgIds.trader, { scopes });
      await derive(fp("before the sale"), f, trader);
      // Selling internal data to HK needs CN-GD customs; while it waits the record is still at home.
      const offerId = await offer(f, orgIds.foreignAgency);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.GRANTED, grantId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);

      const grant = await rights.getGrant(f, orgIds.trader);
      expect([grant.status, grant.exportJurisdiction, grant.grantorOrg]).to.deep.equal([
        BigInt(GrantStatus.ACTIVE),
        NO_JURISDICTION,
        orgIds.agency,
      ]);
      await expectVerdict(f, orgIds.trader, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expect(derive(fp("after the sale"), f, trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.trader, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
      await expect(rights.derivationGrant(f, orgIds.trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.trader, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);

      // The new owner revokes it and grants anew: HK -> CN-GD waits for HK customs, whose approval counts.
      await rights.connect(foreignAgency).revokeGrant(f, orgIds.trader, REASON);
      const renewed = await issue(f, orgIds.trader, { by: foreignAgency, scopes });
      const pending = await rights.getGrant(f, orgIds.trader);
      expect([pending.status, pending.exportJurisdiction]).to.deep.equal([BigInt(GrantStatus.PENDING_CUSTOMS), HK]);
      await rights.connect(foreignCustoms).decideGrant(f, orgIds.trader, renewed, true, DECISION);
      await expectVerdict(f, orgIds.trader, scopes, Authorization.GRANTED, renewed);
      await derive(fp("after the approval"), f, trader);
      expect((await ctx.ledger.getParents(fp("after the approval")))[1]).to.deep.equal([renewed]);
    });

    it("keeps an approved cross-border grant Granted: through a sale at home and whatever the Approval or Free rule", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const f = await registered("approved", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
      // Sold within CN-GD: the crossing is still the one CN-GD customs approved.
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      for (const rule of [Rule.FREE, Rule.APPROVAL]) {
        await setRule(DataClass.INTERNAL, rule);
        await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      }
      await derive(fp("second child"), f);
    });

    it("requires approval again of an approved cross-border grant once the record is sold to a third jurisdiction", async () => {
      const { rights, customs, orgIds } = ctx;
      const buyer = await onboard("MO Data Exchange", "MO", Role.TRADER, 10);
      const f = await registered("approved-then-sold", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      const offerId = await offer(f, buyer.orgId);
      await rights.connect(buyer.operator).acceptOffer(offerId);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await ownerOf(f)).to.equal(buyer.orgId);
      // CN-GD customs approved a CN-GD -> HK crossing; MO -> HK is another one.
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.CUSTOMS_APPROVAL_MISSING, grantId);
    });

    it("refuses an empty or undefined scope (InvalidScopes) and an unknown record (UnknownRecord)", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("errors");
      for (const scope of [0, 8, 0x80]) {
        await expect(rights.authorization(f, orgIds.agency, scope))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scope);
        await expect(rights.mayUse(f, orgIds.agency, scope))
          .to.be.revertedWithCustomError(rights, "InvalidScopes")
          .withArgs(scope);
      }
      await expect(rights.authorization(fp("none"), orgIds.agency, Scope.USE))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.mayUse(fp("none"), orgIds.agency, Scope.USE))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Derivations (the ledger asks the rights module)
  // ---------------------------------------------------------------------------------------------------------------

  describe("derivations through the ledger", () => {
    it("lets a foreign registrar derive with a live DERIVE grant and records the grant in the lineage", async () => {
      const { ledger, foreignAgency, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      const parentTrail = await ledger.trailHead(parent);
      const child = fp("child");
      const before = await positionOf(child);
      expect([before.head, before.length]).to.deep.equal([ZERO_HASH, 0n]);
      const tx = await derive(child, parent);
      const reg = registration(child);
      const links = [[parent, Relation.DERIVED_FROM]];
      const values = [
        child,
        orgIds.foreignAgency,
        foreignAgency.address,
        Scheme.SHA256,
        DataClass.INTERNAL,
        reg.metadataHash,
        reg.metadataURI,
        links,
        [grantId],
      ];
      const p = next(
        before,
        child,
        Action.REGISTERED,
        foreignAgency.address,
        await timeOf(tx),
        payload(Params.RecordRegistered, values),
      );
      expect(p.length).to.equal(1n);
      await expect(tx)
        .to.emit(ledger, "RecordRegistered")
        .withArgs(...values, stampOf(p));
      const [parents, grants] = await ledger.getParents(child);
      expect(parents.map((link) => [link.fingerprint, link.relation])).to.deep.equal([[parent, 0n]]);
      expect(grants).to.deep.equal([grantId]);
      // Deriving is a read of the grant: the parent's trail does not change.
      expect(await ledger.trailHead(parent)).to.deep.equal(parentTrail);
    });

    it("refuses without a grant: DerivationRefused(parent, org, NoGrant, 0)", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.NO_GRANT, 0n);
    });

    it("refuses a grant without the DERIVE scope (ScopeNotGranted)", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.USE | Scope.REDISTRIBUTE });
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.SCOPE_NOT_GRANTED, grantId);
    });

    it("accepts an expiring grant through its expiry second and refuses it one second later (GrantExpired)", async () => {
      const { rights, ledger, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const expiresAt = (await blockTime()) + 1000n;
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE, expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await derive(fp("in time"), parent);
      expect((await ledger.getParents(fp("in time")))[1]).to.deep.equal([grantId]);
      await time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(derive(fp("too late"), parent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.foreignAgency, Authorization.GRANT_EXPIRED, grantId);
    });

    it("refuses a revoked, a pending and a rejected grant, each with its reason and grant id", async () => {
      const { rights, agency, customs, orgIds } = ctx;
      const revokedParent = await registered("revoked", DataClass.PUBLIC);
      const revoked = await issue(revokedParent, orgIds.foreignAgency);
      await rights.connect(agency).revokeGrant(revokedParent, orgIds.foreignAgency, REASON);
      await expect(derive(fp("c1"), revokedParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(revokedParent, orgIds.foreignAgency, Authorization.GRANT_REVOKED, revoked);

      const pendingParent = await registered("pending", DataClass.IMPORTANT);
      const pending = await issue(pendingParent, orgIds.foreignAgency);
      await expect(derive(fp("c2"), pendingParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(pendingParent, orgIds.foreignAgency, Authorization.GRANT_PENDING_CUSTOMS, pending);
      await rights.connect(customs).decideGrant(pendingParent, orgIds.foreignAgency, pending, false, DECISION);
      await expect(derive(fp("c2"), pendingParent))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(pendingParent, orgIds.foreignAgency, Authorization.GRANT_REJECTED, pending);
    });

    it("refuses a frozen parent with the ledger's RecordIsFrozen, before asking the rights module", async () => {
      const { ledger, rights, inspector, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      await rights.connect(inspector).freeze(parent, REASON);
      await expect(derive(fp("child"), parent))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(parent);
    });

    it("derivationGrant answers 0 for the owner and the grant id for a grantee, and reverts for others", async () => {
      const { rights, orgIds } = ctx;
      const parent = await registered("parent", DataClass.PUBLIC);
      const grantId = await issue(parent, orgIds.foreignAgency, { scopes: Scope.DERIVE });
      expect(await rights.derivationGrant(parent, orgIds.agency)).to.equal(0n);
      expect(await rights.derivationGrant(parent, orgIds.foreignAgency)).to.equal(grantId);
      await expect(rights.derivationGrant(parent, orgIds.trader))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.trader, Authorization.NO_GRANT, 0n);
      await expect(rights.derivationGrant(parent, orgIds.suspended))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(parent, orgIds.suspended, Authorization.ORGANIZATION_INACTIVE, 0n);
      await expect(rights.derivationGrant(fp("none"), orgIds.agency))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Transfers
  // ---------------------------------------------------------------------------------------------------------------

  describe("offerTransfer", () => {
    it("opens an offer: event with the trail stamp, stored fields, pendingOffer and counts", async () => {
      const { rights, agencyKey2, orgIds } = ctx;
      const f = await registered("offer");
      const before = await positionOf(f);
      const expiresAt = (await blockTime()) + DAY;
      const tx = await rights.connect(agencyKey2).offerTransfer(f, orgIds.trader, TERMS, expiresAt);
      const at = await timeOf(tx);
      const values = [f, orgIds.trader, agencyKey2.address, 1n, orgIds.agency, TERMS, expiresAt];
      const p = next(
        before,
        f,
        Action.TRANSFER_OFFERED,
        agencyKey2.address,
        at,
        payload(Params.TransferOffered, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferOffered")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(offerFields(await rights.getOffer(1n))).to.deep.equal({
        fingerprint: f,
        fromOrg: orgIds.agency,
        toOrg: orgIds.trader,
        status: BigInt(OfferStatus.OPEN),
        offeredAt: at,
        expiresAt,
        exportJurisdiction: NO_JURISDICTION,
        termsHash: TERMS,
        acceptedAt: 0n,
      });
      expect(await rights.pendingOffer(f)).to.equal(1n);
      expect(await rights.counts()).to.deep.equal([0n, 1n]);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
    });

    it("refuses callers that do not own the record or lack the trader role, and unknown records", async () => {
      const { rights, registry, governance, agency, foreignAgency, trader, inspector, outsider, orgIds } = ctx;
      const f = await registered("offer-owner");
      const expiresAt = (await blockTime()) + DAY;
      for (const [signer, org] of [
        [foreignAgency, orgIds.foreignAgency],
        [trader, orgIds.trader],
      ] as const) {
        await expect(rights.connect(signer).offerTransfer(f, orgIds.inspector, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "NotRecordOwner")
          .withArgs(f, orgIds.agency, org);
      }
      await expect(rights.connect(inspector).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(outsider).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      await expect(rights.connect(agency).offerTransfer(fp("none"), orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      // An owner that only registers may not sell.
      await registry.connect(governance).setOrganizationRoles(orgIds.agency, Role.REGISTRAR);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.TRADER);
    });

    it("refuses offering to the owner itself (SelfDealing)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-self");
      await expect(rights.connect(agency).offerTransfer(f, orgIds.agency, TERMS, (await blockTime()) + DAY))
        .to.be.revertedWithCustomError(rights, "SelfDealing")
        .withArgs(f, orgIds.agency);
    });

    it("refuses an expiry that is not in the future, zero included (ExpiryNotInFuture)", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-expiry");
      // Each refused transaction is still mined, so every attempt pins its own block time.
      let now = (await blockTime()) + 10n;
      for (const expiryAt of [() => 0n, (t: bigint) => t - 1n, (t: bigint) => t]) {
        const expiresAt = expiryAt(now);
        await time.setNextBlockTimestamp(now);
        await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "ExpiryNotInFuture")
          .withArgs(expiresAt, now);
        now += 1n;
      }
      await time.setNextBlockTimestamp(now);
      await rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, now + 1n);
      expect((await rights.getOffer(1n)).expiresAt).to.equal(now + 1n);
    });

    it("refuses a suspended or unknown recipient (CounterpartyNotActive) and one without the trader role", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-recipient");
      const expiresAt = (await blockTime()) + DAY;
      for (const org of [orgIds.suspended, UNKNOWN_ORG]) {
        await expect(rights.connect(agency).offerTransfer(f, org, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(org);
      }
      for (const org of [orgIds.inspector, orgIds.customs, orgIds.foreignCustoms]) {
        await expect(rights.connect(agency).offerTransfer(f, org, TERMS, expiresAt))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.TRADER);
      }
    });

    it("refuses core data abroad (CrossBorderForbidden) but offers it at home", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-core", DataClass.CORE);
      const expiresAt = (await blockTime()) + DAY;
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.CORE, CN, HK);
      await rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt);
      expect(await rights.pendingOffer(f)).to.equal(1n);
    });

    it("refuses a second offer while one is open (RecordUnderOffer), and allows one once it expired or was cancelled", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("offer-twice", DataClass.PUBLIC);
      const expiresAt = (await blockTime()) + 1000n;
      const first = await offer(f, orgIds.trader, { expiresAt });
      for (const to of [orgIds.trader, orgIds.foreignAgency]) {
        await expect(rights.connect(agency).offerTransfer(f, to, TERMS, expiresAt + DAY))
          .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
          .withArgs(f, first);
      }
      // Still open at its expiry second.
      await time.setNextBlockTimestamp(expiresAt);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt + DAY))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, first);
      const second = await offer(f, orgIds.foreignAgency, { expiresAt: expiresAt + DAY });
      expect(second).to.equal(first + 1n);
      expect(await rights.pendingOffer(f)).to.equal(second);
      await rights.connect(agency).cancelOffer(second, REASON);
      const third = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(third);
      // The expired first offer can no longer be accepted.
      await expect(rights.connect(ctx.trader).acceptOffer(first))
        .to.be.revertedWithCustomError(rights, "OfferExpired")
        .withArgs(first, expiresAt);
    });

    it("refuses a frozen record (RecordIsFrozen) and a withdrawn one (RecordIsWithdrawn)", async () => {
      const { rights, ledger, agency, inspector, orgIds } = ctx;
      const expiresAt = (await blockTime()) + DAY;
      const frozen = await registered("offer-frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(agency).offerTransfer(frozen, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      const withdrawn = await registered("offer-withdrawn");
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(agency).offerTransfer(withdrawn, orgIds.trader, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
    });
  });

  describe("cancelOffer", () => {
    it("cancels an open offer: event with the trail stamp, status Cancelled, lock released, no longer acceptable", async () => {
      const { rights, agencyKey2, trader, orgIds } = ctx;
      const f = await registered("cancel");
      const offerId = await offer(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(agencyKey2).cancelOffer(offerId, REASON);
      const values = [f, orgIds.agency, agencyKey2.address, offerId, REASON];
      const p = next(
        before,
        f,
        Action.TRANSFER_CANCELLED,
        agencyKey2.address,
        await timeOf(tx),
        payload(Params.TransferCancelled, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferCancelled")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.CANCELLED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.CANCELLED);
      await expect(rights.connect(agencyKey2).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.CANCELLED);
    });

    it("lets the owner cancel an open offer after it expired", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("cancel-expired");
      const expiresAt = (await blockTime()) + 100n;
      const offerId = await offer(f, orgIds.trader, { expiresAt });
      await time.increaseTo(expiresAt + 50n);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.agency, agency.address, offerId, REASON, (s: StampTuple) => s[1] === 3n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.CANCELLED));
    });

    it("refuses anyone but the offering owner (NotOfferParty), unknown offers, and offers no longer open", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("cancel-party");
      const offerId = await offer(f, orgIds.trader);
      for (const [signer, org] of [
        [trader, orgIds.trader],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      for (const unknown of [0n, 99n]) {
        await expect(rights.connect(agency).cancelOffer(unknown, REASON))
          .to.be.revertedWithCustomError(rights, "UnknownOffer")
          .withArgs(unknown);
      }
      // Cancel after accept.
      await rights.connect(trader).acceptOffer(offerId);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.COMPLETED);
      // Nor can the owner back out of a transfer waiting for customs, while customs' review period runs.
      const { offerId: awaiting, acceptedAt } = await awaitingCustoms("cancel-awaiting");
      await expect(rights.connect(agency).cancelOffer(awaiting, REASON))
        .to.be.revertedWithCustomError(rights, "CustomsReviewPending")
        .withArgs(awaiting, acceptedAt + CUSTOMS_REVIEW_PERIOD);
    });

    it("refuses the old owner's cancelling its expired offer once the record was sold through a later one (NotRecordOwner)", async () => {
      const { rights, agency, trader, foreignAgency, orgIds } = ctx;
      const f = await registered("stale");
      const expiresAt = (await blockTime()) + 100n;
      const stale = await offer(f, orgIds.foreignAgency, { expiresAt });
      await time.increaseTo(expiresAt + 1n);
      const sale = await offer(f, orgIds.trader);
      await rights.connect(trader).acceptOffer(sale);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      const before = await positionOf(f);
      await expect(rights.connect(agency).cancelOffer(stale, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      // The offer's party is checked first: neither the new owner nor the stale offer's recipient is it.
      for (const [signer, org] of [
        [trader, orgIds.trader],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(stale, REASON))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(stale, org);
      }
      expect(await offerStatus(stale)).to.equal(BigInt(OfferStatus.OPEN));
      expect(await positionOf(f)).to.deep.equal(before);

      // Once the record is back with the offering organisation, it may cancel the stale offer again.
      await rights.connect(agency).acceptOffer(await offer(f, orgIds.agency, { by: trader }));
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      await expect(rights.connect(agency).cancelOffer(stale, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.agency, agency.address, stale, REASON, (s: StampTuple) => s[1] === 9n);
      expect(await offerStatus(stale)).to.equal(BigInt(OfferStatus.CANCELLED));
    });

    for (const party of ["offering owner", "recipient"] as const) {
      it(`lets the ${party} abandon a transfer customs left undecided past CUSTOMS_REVIEW_PERIOD: TransferCancelled names it, lock released`, async () => {
        const { rights, agency, agencyKey2, foreignAgency, customs, orgIds } = ctx;
        const [signer, org] =
          party === "recipient" ? [foreignAgency, orgIds.foreignAgency] : [agencyKey2, orgIds.agency];
        const { f, offerId, acceptedAt } = await awaitingCustoms(`abandon-${party}`);
        const before = await positionOf(f);
        await time.setNextBlockTimestamp(acceptedAt + CUSTOMS_REVIEW_PERIOD + 1n);
        const tx = await rights.connect(signer).cancelOffer(offerId, REASON);
        const values = [f, org, signer.address, offerId, REASON];
        const p = next(
          before,
          f,
          Action.TRANSFER_CANCELLED,
          signer.address,
          await timeOf(tx),
          payload(Params.TransferCancelled, values),
        );
        await expect(tx)
          .to.emit(rights, "TransferCancelled")
          .withArgs(...values, stampOf(p));
        await expect(tx).not.to.emit(rights, "OwnershipTransferred");
        await expectPosition(f, p);
        const stored = await rights.getOffer(offerId);
        expect([stored.status, stored.acceptedAt, stored.exportJurisdiction]).to.deep.equal([
          BigInt(OfferStatus.CANCELLED),
          acceptedAt,
          CN,
        ]);
        expect(await ownerOf(f)).to.equal(orgIds.agency);
        expect(await rights.pendingOffer(f)).to.equal(0n);
        // Customs can no longer decide it, nor can it be abandoned twice.
        await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
          .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
          .withArgs(offerId, OfferStatus.CANCELLED);
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "OfferNotOpen")
          .withArgs(offerId, OfferStatus.CANCELLED);
        // The record is free again: its owner may grant and offer.
        await issue(f, orgIds.trader, { by: agency });
        const again = await offer(f, orgIds.trader);
        expect(await rights.pendingOffer(f)).to.equal(again);
      });
    }

    it("refuses abandoning while customs' review period runs, through its last second (CustomsReviewPending)", async () => {
      const { rights, agency, foreignAgency, orgIds } = ctx;
      const { f, offerId, acceptedAt } = await awaitingCustoms("review-pending");
      expect(await rights.CUSTOMS_REVIEW_PERIOD()).to.equal(CUSTOMS_REVIEW_PERIOD);
      const reviewEndsAt = acceptedAt + CUSTOMS_REVIEW_PERIOD;
      const before = await positionOf(f);
      for (const [signer, at] of [
        [agency, acceptedAt + 1n],
        [foreignAgency, acceptedAt + DAY],
        [agency, reviewEndsAt - 1n],
        [foreignAgency, reviewEndsAt],
      ] as const) {
        await time.setNextBlockTimestamp(at);
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "CustomsReviewPending")
          .withArgs(offerId, reviewEndsAt);
      }
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
      expect(await rights.pendingOffer(f)).to.equal(offerId);
      expect(await positionOf(f)).to.deep.equal(before);
      await time.setNextBlockTimestamp(reviewEndsAt + 1n);
      await expect(rights.connect(foreignAgency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.foreignAgency, foreignAgency.address, offerId, REASON, (s: StampTuple) => s[1] === 4n);
    });

    it("refuses abandonment by a third organisation (NotOfferParty) or without the trader role, even past the review period", async () => {
      const { rights, trader, inspector, customs, outsider, orgIds } = ctx;
      const { offerId, acceptedAt } = await awaitingCustoms("abandon-party");
      await time.increaseTo(acceptedAt + CUSTOMS_REVIEW_PERIOD + DAY);
      await expect(rights.connect(trader).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "NotOfferParty")
        .withArgs(offerId, orgIds.trader);
      for (const [signer, org] of [
        [inspector, orgIds.inspector],
        [customs, orgIds.customs],
      ] as const) {
        await expect(rights.connect(signer).cancelOffer(offerId, REASON))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.TRADER);
      }
      await expect(rights.connect(outsider).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
    });

    it("refuses offers Rejected, Completed or Delivered to either party, however late (OfferNotOpen)", async () => {
      const { rights, agency, trader, foreignAgency, customs, orgIds } = ctx;
      const { offerId: rejected } = await awaitingCustoms("rejected");
      await rights.connect(customs).decideTransfer(rejected, false, DECISION);
      const { offerId: approved } = await awaitingCustoms("approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      const completed = await offer(await registered("completed"), orgIds.trader);
      await rights.connect(trader).acceptOffer(completed);
      const delivered = await offer(await registered("delivered"), orgIds.trader);
      await rights.connect(trader).acceptOffer(delivered);
      await rights.connect(trader).confirmDelivery(delivered, fp("delivered"));
      await time.increase(CUSTOMS_REVIEW_PERIOD + DAY);
      for (const [offerId, status, recipient] of [
        [rejected, OfferStatus.REJECTED, foreignAgency],
        [approved, OfferStatus.COMPLETED, foreignAgency],
        [completed, OfferStatus.COMPLETED, trader],
        [delivered, OfferStatus.DELIVERED, trader],
      ] as const) {
        for (const signer of [agency, recipient]) {
          await expect(rights.connect(signer).cancelOffer(offerId, REASON))
            .to.be.revertedWithCustomError(rights, "OfferNotOpen")
            .withArgs(offerId, status);
        }
      }
    });
  });

  describe("acceptOffer (same jurisdiction)", () => {
    it("moves ownership at once: TransferAccepted(awaitingCustoms=false) then OwnershipTransferred, each stamped", async () => {
      const { rights, ledger, agency, trader, orgIds } = ctx;
      const f = await registered("accept");
      const offerId = await offer(f, orgIds.trader);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).acceptOffer(offerId);
      const at = await timeOf(tx);
      const accepted = [f, orgIds.trader, trader.address, offerId, orgIds.agency, false, NO_JURISDICTION];
      const p1 = next(
        before,
        f,
        Action.TRANSFER_ACCEPTED,
        trader.address,
        at,
        payload(Params.TransferAccepted, accepted),
      );
      const moved = [f, orgIds.trader, trader.address, offerId, orgIds.agency];
      const p2 = next(
        p1,
        f,
        Action.OWNERSHIP_TRANSFERRED,
        trader.address,
        at,
        payload(Params.OwnershipTransferred, moved),
      );
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(...accepted, stampOf(p1));
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(...moved, stampOf(p2));
      const receipt = (await tx.wait())!;
      expect(receipt.logs.map((log) => rights.interface.parseLog(log)?.name)).to.deep.equal([
        "TransferAccepted",
        "OwnershipTransferred",
      ]);
      await expectPosition(f, p2);
      const record = await ledger.getRecord(f);
      expect([record.ownerOrg, record.registrant, record.trailLength]).to.deep.equal([
        orgIds.trader,
        agency.address,
        4n,
      ]);
      const stored = await rights.getOffer(offerId);
      expect([stored.status, stored.exportJurisdiction, stored.acceptedAt]).to.deep.equal([
        BigInt(OfferStatus.COMPLETED),
        NO_JURISDICTION,
        at,
      ]);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await expectVerdict(f, orgIds.trader, Scope.ALL, Authorization.OWNER);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.NO_GRANT);
    });

    it("hands the record over: the new owner can grant, offer, revise and withdraw it; the old one gets NotRecordOwner", async () => {
      const { rights, ledger, registry, governance, agency, trader, orgIds } = ctx;
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const f = await registered("handover");
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));

      const expiresAt = (await blockTime()) + DAY;
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, expiresAt))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      await expect(ledger.connect(agency).withdraw(f, REASON))
        .to.be.revertedWithCustomError(ledger, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const revision = (label: string) =>
        registration(fp(label), { parents: [{ fingerprint: f, relation: Relation.REVISION_OF }] });
      await expect(ledger.connect(agency).register(revision("old-owner-v2")))
        .to.be.revertedWithCustomError(ledger, "RevisionOfForeignRecord")
        .withArgs(f, orgIds.trader, orgIds.agency);

      await expect(rights.connect(trader).issueGrant(f, orgIds.agency, Scope.USE, PURPOSE, 0))
        .to.emit(rights, "GrantIssued")
        .withArgs(
          f,
          orgIds.agency,
          trader.address,
          1n,
          orgIds.trader,
          Scope.USE,
          PURPOSE,
          0,
          GrantStatus.ACTIVE,
          NO_JURISDICTION,
          (s: StampTuple) => s[1] === 5n,
        );
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.GRANTED, 1n);
      const back = await offer(f, orgIds.agency, { by: trader, expiresAt });
      expect(offerFields(await rights.getOffer(back))).to.include({ fromOrg: orgIds.trader, toOrg: orgIds.agency });
      await rights.connect(trader).cancelOffer(back, REASON);
      await ledger.connect(trader).register(revision("new-owner-v2"));
      expect(await ledger.latestVersion(f)).to.deep.equal([fp("new-owner-v2"), false]);
      await expect(ledger.connect(trader).withdraw(f, REASON))
        .to.emit(ledger, "RecordWithdrawn")
        .withArgs(f, orgIds.trader, trader.address, REASON, (s: StampTuple) => s[1] === 9n);
    });

    it("accepts through the expiry second and refuses one second later (OfferExpired), leaving the offer open", async () => {
      const { rights, trader, orgIds } = ctx;
      const expiresAt = (await blockTime()) + 1000n;
      const inTime = await offer(await registered("in-time"), orgIds.trader, { expiresAt });
      const late = await offer(await registered("late"), orgIds.trader, { expiresAt });
      await time.setNextBlockTimestamp(expiresAt);
      await rights.connect(trader).acceptOffer(inTime);
      expect(await offerStatus(inTime)).to.equal(BigInt(OfferStatus.COMPLETED));
      await time.setNextBlockTimestamp(expiresAt + 1n);
      await expect(rights.connect(trader).acceptOffer(late))
        .to.be.revertedWithCustomError(rights, "OfferExpired")
        .withArgs(late, expiresAt);
      expect(await offerStatus(late)).to.equal(BigInt(OfferStatus.OPEN));
      expect(await ownerOf(fp("late"))).to.equal(orgIds.agency);
    });

    it("refuses anyone but the recipient (NotOfferParty), unknown offers, and accepting twice (OfferNotOpen)", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("accept-party");
      const offerId = await offer(f, orgIds.trader);
      for (const [signer, org] of [
        [foreignAgency, orgIds.foreignAgency],
        [agency, orgIds.agency],
      ] as const) {
        await expect(rights.connect(signer).acceptOffer(offerId))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(trader).acceptOffer(99n))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(99n);
      await rights.connect(trader).acceptOffer(offerId);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OfferNotOpen")
        .withArgs(offerId, OfferStatus.COMPLETED);
    });

    it("refuses a record frozen while offered (RecordIsFrozen) or withdrawn by its owner while offered", async () => {
      const { rights, ledger, agency, trader, inspector, orgIds } = ctx;
      const frozen = await registered("accept-frozen");
      const frozenOffer = await offer(frozen, orgIds.trader);
      await rights.connect(inspector).freeze(frozen, REASON);
      await expect(rights.connect(trader).acceptOffer(frozenOffer))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(frozen);
      const withdrawn = await registered("accept-withdrawn");
      const withdrawnOffer = await offer(withdrawn, orgIds.trader);
      await ledger.connect(agency).withdraw(withdrawn, REASON);
      await expect(rights.connect(trader).acceptOffer(withdrawnOffer))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(withdrawn);
      expect([await offerStatus(frozenOffer), await offerStatus(withdrawnOffer)]).to.deep.equal([
        BigInt(OfferStatus.OPEN),
        BigInt(OfferStatus.OPEN),
      ]);
      expect([await ownerOf(frozen), await ownerOf(withdrawn)]).to.deep.equal([orgIds.agency, orgIds.agency]);
    });
  });

  describe("cross-border transfers", () => {
    it("waits for the exporting customs after acceptance (AwaitingCustoms), keeping the record locked past the expiry", async () => {
      const { rights, agency, foreignAgency, orgIds } = ctx;
      const f = await registered("xb");
      const expiresAt = (await blockTime()) + 1000n;
      const offerId = await offer(f, orgIds.foreignAgency, { expiresAt });
      const before = await positionOf(f);
      const tx = await rights.connect(foreignAgency).acceptOffer(offerId);
      const values = [f, orgIds.foreignAgency, foreignAgency.address, offerId, orgIds.agency, true, CN];
      const p = next(
        before,
        f,
        Action.TRANSFER_ACCEPTED,
        foreignAgency.address,
        await timeOf(tx),
        payload(Params.TransferAccepted, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(...values, stampOf(p));
      await expect(tx).not.to.emit(rights, "OwnershipTransferred");
      await expectPosition(f, p);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      const stored = await rights.getOffer(offerId);
      expect([stored.status, stored.exportJurisdiction]).to.deep.equal([BigInt(OfferStatus.AWAITING_CUSTOMS), CN]);
      await time.increaseTo(expiresAt + DAY);
      expect(await rights.pendingOffer(f)).to.equal(offerId);
      await expect(rights.connect(agency).issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.trader, TERMS, expiresAt + 2n * DAY))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
    });

    it("moves ownership when the exporting customs approves, with the customs account as actor", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-approve");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      const at = await timeOf(tx);
      const decided = [f, orgIds.customs, customs.address, offerId, true, DECISION];
      const p1 = next(
        before,
        f,
        Action.TRANSFER_DECIDED,
        customs.address,
        at,
        payload(Params.TransferDecided, decided),
      );
      const moved = [f, orgIds.foreignAgency, customs.address, offerId, orgIds.agency];
      const p2 = next(
        p1,
        f,
        Action.OWNERSHIP_TRANSFERRED,
        customs.address,
        at,
        payload(Params.OwnershipTransferred, moved),
      );
      await expect(tx)
        .to.emit(rights, "TransferDecided")
        .withArgs(...decided, stampOf(p1));
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(...moved, stampOf(p2));
      await expectPosition(f, p2);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
    });

    it("keeps ownership when customs rejects, and releases the lock", async () => {
      const { rights, customs, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-reject");
      const before = await positionOf(f);
      const tx = await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      const values = [f, orgIds.customs, customs.address, offerId, false, DECISION];
      const p = next(
        before,
        f,
        Action.TRANSFER_DECIDED,
        customs.address,
        await timeOf(tx),
        payload(Params.TransferDecided, values),
      );
      await expect(tx)
        .to.emit(rights, "TransferDecided")
        .withArgs(...values, stampOf(p));
      await expect(tx).not.to.emit(rights, "OwnershipTransferred");
      await expectPosition(f, p);
      expect(await ownerOf(f)).to.equal(orgIds.agency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.REJECTED));
      expect(await rights.pendingOffer(f)).to.equal(0n);
      await issue(f, orgIds.trader);
      const again = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(again);
    });

    it("checks the crossing from the owner's current jurisdiction, as decideGrant does (NotCustomsOfJurisdiction)", async () => {
      const { rights, registry, governance, customs, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("relocated-seller");
      await registry.connect(governance).setOrganizationJurisdiction(orgIds.agency, MO);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, MO);
      // Rejecting stays possible for the customs that reviewed it.
      await expect(rights.connect(customs).decideTransfer(offerId, false, DECISION)).to.emit(rights, "TransferDecided");
    });

    it("refuses customs of the importing jurisdiction (NotCustomsOfJurisdiction) and callers without the customs role", async () => {
      const { rights, agency, customs, foreignCustoms, foreignAgency, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("xb-wrong-customs");
      for (const approve of [true, false]) {
        await expect(rights.connect(foreignCustoms).decideTransfer(offerId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
          .withArgs(orgIds.foreignCustoms, HK, CN);
      }
      await expect(rights.connect(agency).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.CUSTOMS);
      // HK data bought by a CN-GD organisation: HK customs decide.
      const hk = await registered("hk-export", DataClass.IMPORTANT, foreignAgency);
      const hkOffer = await offer(hk, orgIds.agency, { by: foreignAgency });
      await expect(rights.connect(agency).acceptOffer(hkOffer))
        .to.emit(rights, "TransferAccepted")
        .withArgs(
          hk,
          orgIds.agency,
          agency.address,
          hkOffer,
          orgIds.foreignAgency,
          true,
          HK,
          (s: StampTuple) => s[1] === 3n,
        );
      await expect(rights.connect(customs).decideTransfer(hkOffer, true, DECISION))
        .to.be.revertedWithCustomError(rights, "NotCustomsOfJurisdiction")
        .withArgs(orgIds.customs, CN, HK);
      await rights.connect(foreignCustoms).decideTransfer(hkOffer, true, DECISION);
      expect(await ownerOf(hk)).to.equal(orgIds.agency);
    });

    it("refuses a second decision (approve after reject), offers not awaiting customs, and unknown offers", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const { offerId } = await awaitingCustoms("xb-twice");
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      for (const approve of [true, false]) {
        await expect(rights.connect(customs).decideTransfer(offerId, approve, DECISION))
          .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
          .withArgs(offerId, OfferStatus.REJECTED);
      }
      const { offerId: approved } = await awaitingCustoms("xb-approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      await expect(rights.connect(customs).decideTransfer(approved, false, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(approved, OfferStatus.COMPLETED);
      const open = await offer(await registered("xb-open"), orgIds.foreignAgency);
      await expect(rights.connect(customs).decideTransfer(open, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(open, OfferStatus.OPEN);
      const domestic = await offer(await registered("domestic"), orgIds.trader);
      await rights.connect(trader).acceptOffer(domestic);
      await expect(rights.connect(customs).decideTransfer(domestic, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OfferNotAwaitingCustoms")
        .withArgs(domestic, OfferStatus.COMPLETED);
      await expect(rights.connect(customs).decideTransfer(99n, true, DECISION))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(99n);
    });

    it("refuses approval while the record is frozen or withdrawn, but allows rejection", async () => {
      const { rights, ledger, agency, customs, inspector, orgIds } = ctx;
      const { f, offerId } = await awaitingCustoms("xb-frozen");
      await rights.connect(inspector).freeze(f, REASON);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await rights.connect(customs).decideTransfer(offerId, false, DECISION);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.REJECTED));
      expect(await rights.pendingOffer(f)).to.equal(0n);

      const { f: g, offerId: withdrawnOffer } = await awaitingCustoms("xb-withdrawn");
      await ledger.connect(agency).withdraw(g, REASON);
      await expect(rights.connect(customs).decideTransfer(withdrawnOffer, true, DECISION))
        .to.be.revertedWithCustomError(rights, "RecordIsWithdrawn")
        .withArgs(g);
      await rights.connect(customs).decideTransfer(withdrawnOffer, false, DECISION);
      expect(await ownerOf(g)).to.equal(orgIds.agency);
    });

    it("re-checks the class rule: acceptance or approval is refused once the class became Forbidden", async () => {
      const { rights, customs, foreignAgency, orgIds } = ctx;
      const f = await registered("xb-rule-before-accept");
      const offerId = await offer(f, orgIds.foreignAgency);
      const { f: g, offerId: awaiting } = await awaitingCustoms("xb-rule-after-accept");
      await setRule(DataClass.INTERNAL, Rule.FORBIDDEN);
      await expect(rights.connect(foreignAgency).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(f, DataClass.INTERNAL, CN, HK);
      await expect(rights.connect(customs).decideTransfer(awaiting, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
        .withArgs(g, DataClass.INTERNAL, CN, HK);
      await rights.connect(customs).decideTransfer(awaiting, false, DECISION);
      expect(await ownerOf(g)).to.equal(orgIds.agency);
      // Made free meanwhile: the acceptance completes without customs.
      await setRule(DataClass.INTERNAL, Rule.FREE);
      await rights.connect(foreignAgency).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
    });

    for (const party of ["owner", "recipient"] as const) {
      it(`refuses approval while the ${party} is suspended (CounterpartyNotActive), allows rejection, and approves once reinstated`, async () => {
        const { rights, customs, orgIds } = ctx;
        const org = party === "owner" ? orgIds.agency : orgIds.foreignAgency;
        const { f: rejected, offerId: rejectedId } = await awaitingCustoms(`${party}-suspended-rejected`);
        const { f: approved, offerId: approvedId } = await awaitingCustoms(`${party}-suspended-approved`);
        await suspend(org);
        for (const offerId of [rejectedId, approvedId]) {
          await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
            .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
            .withArgs(org);
          expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.AWAITING_CUSTOMS));
        }
        await expect(rights.connect(customs).decideTransfer(rejectedId, false, DECISION))
          .to.emit(rights, "TransferDecided")
          .withArgs(
            rejected,
            orgIds.customs,
            customs.address,
            rejectedId,
            false,
            DECISION,
            (s: StampTuple) => s[1] === 4n,
          );
        expect(await offerStatus(rejectedId)).to.equal(BigInt(OfferStatus.REJECTED));
        expect([await ownerOf(rejected), await rights.pendingOffer(rejected)]).to.deep.equal([orgIds.agency, 0n]);
        await reinstate(org);
        await rights.connect(customs).decideTransfer(approvedId, true, DECISION);
        expect([await offerStatus(approvedId), await ownerOf(approved)]).to.deep.equal([
          BigInt(OfferStatus.COMPLETED),
          orgIds.foreignAgency,
        ]);
      });
    }

    it("completes a cross-border transfer of public data at once, without customs", async () => {
      const { rights, foreignAgency, orgIds } = ctx;
      const f = await registered("xb-public", DataClass.PUBLIC);
      const offerId = await offer(f, orgIds.foreignAgency);
      const tx = await rights.connect(foreignAgency).acceptOffer(offerId);
      await expect(tx)
        .to.emit(rights, "TransferAccepted")
        .withArgs(
          f,
          orgIds.foreignAgency,
          foreignAgency.address,
          offerId,
          orgIds.agency,
          false,
          NO_JURISDICTION,
          (s: StampTuple) => s[1] === 3n,
        );
      await expect(tx)
        .to.emit(rights, "OwnershipTransferred")
        .withArgs(
          f,
          orgIds.foreignAgency,
          foreignAgency.address,
          offerId,
          orgIds.agency,
          (s: StampTuple) => s[1] === 4n,
        );
      expect(await ownerOf(f)).to.equal(orgIds.foreignAgency);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });
  });

  describe("offer views", () => {
    it("pendingOffer names the locking offer while open (through its expiry second) or awaiting customs, 0 otherwise", async () => {
      const { rights, agency, trader, customs, orgIds } = ctx;
      const f = await registered("pending");
      expect(await rights.pendingOffer(f)).to.equal(0n);
      expect(await rights.pendingOffer(fp("never registered"))).to.equal(0n);
      const expiresAt = (await blockTime()) + 1000n;
      const expiring = await offer(f, orgIds.trader, { expiresAt });
      expect(await rights.pendingOffer(f)).to.equal(expiring);
      await time.increaseTo(expiresAt);
      expect(await rights.pendingOffer(f)).to.equal(expiring);
      await time.increaseTo(expiresAt + 1n);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const cancelled = await offer(f, orgIds.trader);
      expect(await rights.pendingOffer(f)).to.equal(cancelled);
      await rights.connect(agency).cancelOffer(cancelled, REASON);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const rejected = await offer(f, orgIds.foreignAgency);
      await rights.connect(ctx.foreignAgency).acceptOffer(rejected);
      expect(await rights.pendingOffer(f)).to.equal(rejected);
      await rights.connect(customs).decideTransfer(rejected, false, DECISION);
      expect(await rights.pendingOffer(f)).to.equal(0n);
      const completed = await offer(f, orgIds.trader);
      await rights.connect(trader).acceptOffer(completed);
      expect(await rights.pendingOffer(f)).to.equal(0n);
    });

    it("getOffer returns every field and reverts UnknownOffer for ids never issued; counts() counts both serials", async () => {
      const { rights, foreignAgency, orgIds } = ctx;
      expect(await rights.counts()).to.deep.equal([0n, 0n]);
      await expect(rights.getOffer(1n)).to.be.revertedWithCustomError(rights, "UnknownOffer").withArgs(1n);
      const f = await registered("fields");
      await issue(f, orgIds.trader);
      await issue(f, orgIds.foreignAgency);
      const expiresAt = (await blockTime()) + DAY;
      const offerId = await offer(f, orgIds.foreignAgency, { expiresAt });
      const offeredAt = await blockTime();
      expect((await rights.getOffer(offerId)).acceptedAt).to.equal(0n);
      const acceptedAt = await timeOf(await rights.connect(foreignAgency).acceptOffer(offerId));
      expect(acceptedAt).to.be.greaterThan(offeredAt);
      expect(offerFields(await rights.getOffer(offerId))).to.deep.equal({
        fingerprint: f,
        fromOrg: orgIds.agency,
        toOrg: orgIds.foreignAgency,
        status: BigInt(OfferStatus.AWAITING_CUSTOMS),
        offeredAt,
        expiresAt,
        exportJurisdiction: CN,
        termsHash: TERMS,
        acceptedAt,
      });
      expect(await rights.counts()).to.deep.equal([2n, 1n]);
      for (const unknown of [0n, 2n]) {
        await expect(rights.getOffer(unknown)).to.be.revertedWithCustomError(rights, "UnknownOffer").withArgs(unknown);
      }
    });
  });

  describe("confirmDelivery", () => {
    async function completed(label: string): Promise<{ f: string; offerId: bigint }> {
      const f = await registered(label);
      const offerId = await offer(f, ctx.orgIds.trader);
      await ctx.rights.connect(ctx.trader).acceptOffer(offerId);
      return { f, offerId };
    }

    it("confirms a delivery that hashes to the fingerprint: DeliveryReported(matches=true) stamped, status Delivered", async () => {
      const { rights, trader, orgIds } = ctx;
      const { f, offerId } = await completed("delivered");
      const before = await positionOf(f);
      const tx = await rights.connect(trader).confirmDelivery(offerId, f);
      const values = [f, orgIds.trader, trader.address, offerId, f, true];
      const p = next(
        before,
        f,
        Action.DELIVERY_REPORTED,
        trader.address,
        await timeOf(tx),
        payload(Params.DeliveryReported, values),
      );
      await expect(tx)
        .to.emit(rights, "DeliveryReported")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("reports a mismatch without confirming, and confirms later with the right fingerprint", async () => {
      const { rights, trader, orgIds } = ctx;
      const { f, offerId } = await completed("mismatch");
      const corrupted = hashOf("corrupted copy");
      const before = await positionOf(f);
      const tx = await rights.connect(trader).confirmDelivery(offerId, corrupted);
      const values = [f, orgIds.trader, trader.address, offerId, corrupted, false];
      const p = next(
        before,
        f,
        Action.DELIVERY_REPORTED,
        trader.address,
        await timeOf(tx),
        payload(Params.DeliveryReported, values),
      );
      await expect(tx)
        .to.emit(rights, "DeliveryReported")
        .withArgs(...values, stampOf(p));
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
      await expect(rights.connect(trader).confirmDelivery(offerId, f))
        .to.emit(rights, "DeliveryReported")
        .withArgs(f, orgIds.trader, trader.address, offerId, f, true, (s: StampTuple) => s[1] === p.length + 1n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("refuses a report before completion or after delivery (DeliveryNotExpected)", async () => {
      const { rights, agency, trader, foreignAgency, customs, orgIds } = ctx;
      const open = await offer(await registered("open"), orgIds.trader);
      await expect(rights.connect(trader).confirmDelivery(open, fp("open")))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(open, OfferStatus.OPEN);
      await rights.connect(agency).cancelOffer(open, REASON);
      await expect(rights.connect(trader).confirmDelivery(open, fp("open")))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(open, OfferStatus.CANCELLED);
      const { f, offerId: awaiting } = await awaitingCustoms("awaiting");
      await expect(rights.connect(foreignAgency).confirmDelivery(awaiting, f))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(awaiting, OfferStatus.AWAITING_CUSTOMS);
      await rights.connect(customs).decideTransfer(awaiting, false, DECISION);
      await expect(rights.connect(foreignAgency).confirmDelivery(awaiting, f))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(awaiting, OfferStatus.REJECTED);
      // Completed by customs: now the recipient can confirm, once.
      const { f: g, offerId: approved } = await awaitingCustoms("approved");
      await rights.connect(customs).decideTransfer(approved, true, DECISION);
      await rights.connect(foreignAgency).confirmDelivery(approved, g);
      await expect(rights.connect(foreignAgency).confirmDelivery(approved, g))
        .to.be.revertedWithCustomError(rights, "DeliveryNotExpected")
        .withArgs(approved, OfferStatus.DELIVERED);
    });

    it("refuses anyone but the recipient (NotOfferParty), the former owner included, and unknown offers", async () => {
      const { rights, agency, trader, foreignAgency, inspector, orgIds } = ctx;
      const { f, offerId } = await completed("party");
      for (const [signer, org] of [
        [agency, orgIds.agency],
        [foreignAgency, orgIds.foreignAgency],
      ] as const) {
        await expect(rights.connect(signer).confirmDelivery(offerId, f))
          .to.be.revertedWithCustomError(rights, "NotOfferParty")
          .withArgs(offerId, org);
      }
      await expect(rights.connect(inspector).confirmDelivery(offerId, f))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.inspector, Role.TRADER);
      await expect(rights.connect(trader).confirmDelivery(42n, f))
        .to.be.revertedWithCustomError(rights, "UnknownOffer")
        .withArgs(42n);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });
  });

  describe("outstanding grants when ownership changes", () => {
    /** Agency's public record with grants to HK (use, derive) and to the inspector, sold to the trader. */
    async function soldWithGrants(): Promise<{ f: string; abroad: bigint; home: bigint }> {
      const { orgIds } = ctx;
      const f = await registered("sold", DataClass.PUBLIC);
      const abroad = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      const home = await issue(f, orgIds.inspector, { scopes: Scope.USE });
      await ctx.rights.connect(ctx.trader).acceptOffer(await offer(f, orgIds.trader));
      return { f, abroad, home };
    }

    it("survive the transfer: grantees keep using and deriving under them, and they still name the grantor", async () => {
      const { rights, ledger, orgIds } = ctx;
      const { f, abroad, home } = await soldWithGrants();
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, abroad);
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.GRANTED, home);
      const grant = await rights.getGrant(f, orgIds.foreignAgency);
      expect([grant.grantId, grant.grantorOrg, grant.status]).to.deep.equal([
        abroad,
        orgIds.agency,
        BigInt(GrantStatus.ACTIVE),
      ]);
      await derive(fp("child"), f);
      expect((await ledger.getParents(fp("child")))[1]).to.deep.equal([abroad]);
      // The old owner has no grant of its own.
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.NO_GRANT);
    });

    it("may be revoked by the new owner but no longer by the old one", async () => {
      const { rights, registry, governance, agency, trader, orgIds } = ctx;
      await registry.connect(governance).setOrganizationRoles(orgIds.trader, Role.REGISTRAR | Role.TRADER);
      const { f, abroad } = await soldWithGrants();
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).revokeGrant(f, orgIds.foreignAgency, REASON);
      const values = [f, orgIds.foreignAgency, trader.address, abroad, orgIds.trader, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        trader.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REVOKED, abroad);
      // And replace it with its own.
      const renewed = await issue(f, orgIds.foreignAgency, { by: trader, scopes: Scope.USE });
      expect((await rights.getGrant(f, orgIds.foreignAgency)).grantorOrg).to.equal(orgIds.trader);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, renewed);
    });

    it("cannot be added to while an offer is pending, so the buyer inherits the grants it saw when accepting", async () => {
      const { rights, agency, trader, orgIds } = ctx;
      const f = await registered("seen", DataClass.PUBLIC);
      const seen = await issue(f, orgIds.foreignAgency);
      const offerId = await offer(f, orgIds.trader);
      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordUnderOffer")
        .withArgs(f, offerId);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await rights.counts()).to.deep.equal([seen, offerId]);
      expect(await grantStatus(f, orgIds.inspector)).to.equal(BigInt(GrantStatus.NONE));
    });

    it("a grant pending customs at the time of the transfer can still be decided afterwards", async () => {
      const { rights, customs, trader, orgIds } = ctx;
      const f = await registered("pending-then-sold", DataClass.INTERNAL);
      const grantId = await issue(f, orgIds.foreignAgency);
      await rights.connect(trader).acceptOffer(await offer(f, orgIds.trader));
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, grantId);
    });

    it("a buyer holding only the trader role can revoke what it inherited, though not grant anew", async () => {
      const { rights, registry, agency, trader, orgIds } = ctx;
      const { f, abroad, home } = await soldWithGrants();
      expect((await registry.organization(orgIds.trader)).roles).to.equal(BigInt(Role.TRADER));
      await expect(rights.connect(agency).revokeGrant(f, orgIds.foreignAgency, REASON))
        .to.be.revertedWithCustomError(rights, "NotRecordOwner")
        .withArgs(f, orgIds.trader, orgIds.agency);
      const before = await positionOf(f);
      const tx = await rights.connect(trader).revokeGrant(f, orgIds.foreignAgency, REASON);
      const values = [f, orgIds.foreignAgency, trader.address, abroad, orgIds.trader, REASON];
      const p = next(
        before,
        f,
        Action.GRANT_REVOKED,
        trader.address,
        await timeOf(tx),
        payload(Params.GrantRevoked, values),
      );
      await expect(tx)
        .to.emit(rights, "GrantRevoked")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANT_REVOKED, abroad);
      // The other inherited grant is untouched.
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.GRANTED, home);
      await expect(rights.connect(trader).issueGrant(f, orgIds.foreignAgency, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.REGISTRAR);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Inspections
  // ---------------------------------------------------------------------------------------------------------------

  describe("inspections", () => {
    it("attaches a finding to any record, a withdrawn or foreign one too: FindingAttached with the trail stamp", async () => {
      const { rights, ledger, agency, foreignAgency, inspector, orgIds } = ctx;
      const f = await registered("finding");
      await ledger.connect(agency).withdraw(f, REASON);
      const before = await positionOf(f);
      const tx = await rights.connect(inspector).attachFinding(f, FINDING);
      const values = [f, orgIds.inspector, inspector.address, FINDING];
      const p = next(
        before,
        f,
        Action.FINDING_ATTACHED,
        inspector.address,
        await timeOf(tx),
        payload(Params.Inspection, values),
      );
      await expect(tx)
        .to.emit(rights, "FindingAttached")
        .withArgs(...values, stampOf(p));
      await expectPosition(f, p);
      expect((await ledger.getRecord(f)).withdrawn).to.equal(true);
      const hk = await registered("hk", DataClass.PUBLIC, foreignAgency);
      await expect(rights.connect(inspector).attachFinding(hk, FINDING))
        .to.emit(rights, "FindingAttached")
        .withArgs(hk, orgIds.inspector, inspector.address, FINDING, (s: StampTuple) => s[1] === 2n);
    });

    it("refuses a finding on an unknown record (UnknownRecord) and from organisations without the inspector role", async () => {
      const { rights, agency, customs, outsider, inspector, orgIds } = ctx;
      const f = await registered("finding-errors");
      await expect(rights.connect(inspector).attachFinding(fp("none"), FINDING))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      for (const [signer, org] of [
        [agency, orgIds.agency],
        [customs, orgIds.customs],
      ] as const) {
        await expect(rights.connect(signer).attachFinding(f, FINDING))
          .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
          .withArgs(org, Role.INSPECTOR);
      }
      await expect(rights.connect(outsider).attachFinding(f, FINDING))
        .to.be.revertedWithCustomError(rights, "AccountNotMember")
        .withArgs(outsider.address);
    });

    it("freezes and unfreezes: RecordFrozen and RecordUnfrozen with their trail stamps, and the ledger's frozen flag", async () => {
      const { rights, ledger, inspector, orgIds } = ctx;
      const f = await registered("freeze");
      const before = await positionOf(f);
      const freezeTx = await rights.connect(inspector).freeze(f, REASON);
      const frozenValues = [f, orgIds.inspector, inspector.address, REASON];
      const p1 = next(
        before,
        f,
        Action.FROZEN,
        inspector.address,
        await timeOf(freezeTx),
        payload(Params.Inspection, frozenValues),
      );
      await expect(freezeTx)
        .to.emit(rights, "RecordFrozen")
        .withArgs(...frozenValues, stampOf(p1));
      await expectPosition(f, p1);
      expect((await ledger.getRecord(f)).frozen).to.equal(true);
      expect((await ledger.recordStatus(f)).frozen).to.equal(true);

      const lifted = hashOf("lifted");
      const unfreezeTx = await rights.connect(inspector).unfreeze(f, lifted);
      const unfrozenValues = [f, orgIds.inspector, inspector.address, lifted];
      const p2 = next(
        p1,
        f,
        Action.UNFROZEN,
        inspector.address,
        await timeOf(unfreezeTx),
        payload(Params.Inspection, unfrozenValues),
      );
      await expect(unfreezeTx)
        .to.emit(rights, "RecordUnfrozen")
        .withArgs(...unfrozenValues, stampOf(p2));
      await expectPosition(f, p2);
      expect((await ledger.getRecord(f)).frozen).to.equal(false);
    });

    it("refuses freezing a frozen record (RecordIsFrozen), unfreezing a live one (RecordNotFrozen), and unknown records", async () => {
      const { rights, agency, inspector, orgIds } = ctx;
      const f = await registered("freeze-errors");
      await expect(rights.connect(inspector).unfreeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordNotFrozen")
        .withArgs(f);
      await rights.connect(inspector).freeze(f, REASON);
      await expect(rights.connect(inspector).freeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await rights.connect(inspector).unfreeze(f, REASON);
      await expect(rights.connect(inspector).unfreeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "RecordNotFrozen")
        .withArgs(f);
      await expect(rights.connect(inspector).freeze(fp("none"), REASON))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.connect(inspector).unfreeze(fp("none"), REASON))
        .to.be.revertedWithCustomError(rights, "UnknownRecord")
        .withArgs(fp("none"));
      await expect(rights.connect(agency).freeze(f, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.INSPECTOR);
    });

    it("while frozen: no grant, offer, acceptance, derivation, withdrawal or use; after unfreezing all of it works", async () => {
      const { rights, ledger, agency, trader, inspector, orgIds } = ctx;
      const f = await registered("frozen", DataClass.PUBLIC);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.ALL });
      const offerId = await offer(f, orgIds.trader);
      await rights.connect(inspector).freeze(f, REASON);

      await expect(rights.connect(agency).issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(rights.connect(agency).offerTransfer(f, orgIds.foreignAgency, TERMS, (await blockTime()) + DAY))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "RecordIsFrozen")
        .withArgs(f);
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(f);
      await expect(ledger.connect(agency).withdraw(f, REASON))
        .to.be.revertedWithCustomError(ledger, "RecordIsFrozen")
        .withArgs(f);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.RECORD_FROZEN);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.RECORD_FROZEN);

      await rights.connect(inspector).unfreeze(f, REASON);
      await expectVerdict(f, orgIds.agency, Scope.USE, Authorization.OWNER);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
      const back = await offer(f, orgIds.agency, { by: trader });
      await rights.connect(agency).acceptOffer(back);
      await issue(f, orgIds.inspector);
      await ledger.connect(agency).withdraw(f, REASON);
      await expectVerdict(f, orgIds.inspector, Scope.USE, Authorization.RECORD_WITHDRAWN);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Suspension
  // ---------------------------------------------------------------------------------------------------------------

  describe("suspension", () => {
    it("refuses every action of a suspended organisation's keys (OrganizationNotActive), whatever its roles", async () => {
      const { rights, suspended, orgIds } = ctx;
      const f = await registered("target");
      const pending = await registered("pending-grant");
      const grantId = await issue(pending, orgIds.foreignAgency);
      const { offerId: awaiting } = await awaitingCustoms("awaiting");
      const openOffer = await offer(f, orgIds.trader);
      const farFuture = (await blockTime()) + 365n * DAY;
      const s = rights.connect(suspended);
      const actions: [string, () => Promise<ContractTransactionResponse>][] = [
        ["issueGrant", () => s.issueGrant(f, orgIds.trader, Scope.USE, PURPOSE, 0)],
        ["revokeGrant", () => s.revokeGrant(pending, orgIds.foreignAgency, REASON)],
        ["decideGrant", () => s.decideGrant(pending, orgIds.foreignAgency, grantId, true, DECISION)],
        ["offerTransfer", () => s.offerTransfer(f, orgIds.trader, TERMS, farFuture)],
        ["cancelOffer", () => s.cancelOffer(openOffer, REASON)],
        ["acceptOffer", () => s.acceptOffer(openOffer)],
        ["decideTransfer", () => s.decideTransfer(awaiting, true, DECISION)],
        ["confirmDelivery", () => s.confirmDelivery(openOffer, f)],
        ["attachFinding", () => s.attachFinding(f, FINDING)],
        ["freeze", () => s.freeze(f, REASON)],
        ["unfreeze", () => s.unfreeze(f, REASON)],
      ];
      for (const [name, action] of actions) {
        await expect(action(), name)
          .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
          .withArgs(orgIds.suspended);
      }
    });

    it("a suspended trader cannot accept or confirm delivery, and can once reinstated", async () => {
      const { rights, trader, orgIds } = ctx;
      const f = await registered("trader");
      const offerId = await offer(f, orgIds.trader);
      await suspend(orgIds.trader);
      await expect(rights.connect(trader).acceptOffer(offerId))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.trader);
      await reinstate(orgIds.trader);
      await rights.connect(trader).acceptOffer(offerId);
      await suspend(orgIds.trader);
      await expect(rights.connect(trader).confirmDelivery(offerId, f))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.trader);
      await reinstate(orgIds.trader);
      await rights.connect(trader).confirmDelivery(offerId, f);
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.DELIVERED));
    });

    it("a suspended customs cannot decide grants or transfers, and can once reinstated", async () => {
      const { rights, customs, orgIds } = ctx;
      const f = await registered("customs-grant");
      const grantId = await issue(f, orgIds.foreignAgency);
      const { offerId } = await awaitingCustoms("customs-transfer");
      await suspend(orgIds.customs);
      await expect(rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.customs);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.customs);
      await reinstate(orgIds.customs);
      await rights.connect(customs).decideGrant(f, orgIds.foreignAgency, grantId, true, DECISION);
      await rights.connect(customs).decideTransfer(offerId, true, DECISION);
      expect(await grantStatus(f, orgIds.foreignAgency)).to.equal(BigInt(GrantStatus.ACTIVE));
      expect(await offerStatus(offerId)).to.equal(BigInt(OfferStatus.COMPLETED));
    });

    it("a suspended inspector cannot attach findings, freeze or unfreeze, and can once reinstated", async () => {
      const { rights, inspector, orgIds } = ctx;
      const live = await registered("live");
      const frozen = await registered("frozen");
      await rights.connect(inspector).freeze(frozen, REASON);
      await suspend(orgIds.inspector);
      const i = rights.connect(inspector);
      for (const action of [
        () => i.attachFinding(live, FINDING),
        () => i.freeze(live, REASON),
        () => i.unfreeze(frozen, REASON),
      ]) {
        await expect(action())
          .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
          .withArgs(orgIds.inspector);
      }
      await reinstate(orgIds.inspector);
      await i.freeze(live, REASON);
      await i.unfreeze(frozen, REASON);
      expect([(await ctx.ledger.getRecord(live)).frozen, (await ctx.ledger.getRecord(frozen)).frozen]).to.deep.equal([
        true,
        false,
      ]);
    });

    it("a suspended owner cannot grant, revoke, offer or cancel", async () => {
      const { rights, agency, orgIds } = ctx;
      const f = await registered("owner");
      await issue(f, orgIds.trader);
      const g = await registered("offered");
      const offerId = await offer(g, orgIds.trader);
      await suspend(orgIds.agency);
      const a = rights.connect(agency);
      const expiresAt = (await blockTime()) + DAY;
      for (const action of [
        () => a.issueGrant(f, orgIds.inspector, Scope.USE, PURPOSE, 0),
        () => a.revokeGrant(f, orgIds.trader, REASON),
        () => a.offerTransfer(f, orgIds.trader, TERMS, expiresAt),
        () => a.cancelOffer(offerId, REASON),
      ]) {
        await expect(action()).to.be.revertedWithCustomError(rights, "OrganizationNotActive").withArgs(orgIds.agency);
      }
    });

    it("grants of a suspended owner are not usable or derivable (OwnerInactive) and come back on reinstatement", async () => {
      const { rights, orgIds } = ctx;
      const f = await registered("suspended-owner", DataClass.PUBLIC);
      const grantId = await issue(f, orgIds.foreignAgency, { scopes: Scope.USE | Scope.DERIVE });
      await suspend(orgIds.agency);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE, Authorization.OWNER_INACTIVE);
      await expect(derive(fp("child"), f))
        .to.be.revertedWithCustomError(rights, "DerivationRefused")
        .withArgs(f, orgIds.foreignAgency, Authorization.OWNER_INACTIVE, 0n);
      await reinstate(orgIds.agency);
      await expectVerdict(f, orgIds.foreignAgency, Scope.USE | Scope.DERIVE, Authorization.GRANTED, grantId);
      await derive(fp("child"), f);
    });

    it("refuses acceptance of an offer whose owner was suspended after offering (CounterpartyNotActive); reinstated, it goes through", async () => {
      const { rights, trader, foreignAgency, orgIds } = ctx;
      const f = await registered("sold-while-suspended");
      const offerId = await offer(f, orgIds.trader);
      const g = await registered("sold-abroad-while-suspended");
      const abroad = await offer(g, orgIds.foreignAgency);
      await suspend(orgIds.agency);
      const before = await positionOf(f);
      for (const [signer, id] of [
        [trader, offerId],
        [foreignAgency, abroad],
      ] as const) {
        await expect(rights.connect(signer).acceptOffer(id))
          .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
          .withArgs(orgIds.agency);
        expect(await offerStatus(id)).to.equal(BigInt(OfferStatus.OPEN));
      }
      expect([await ownerOf(f), await rights.pendingOffer(f)]).to.deep.equal([orgIds.agency, offerId]);
      expect(await positionOf(f)).to.deep.equal(before);
      await reinstate(orgIds.agency);
      await rights.connect(trader).acceptOffer(offerId);
      expect(await ownerOf(f)).to.equal(orgIds.trader);
    });

    it("lets the recipient abandon, after the review period, a transfer its suspended seller can no longer complete", async () => {
      const { rights, agency, customs, foreignAgency, orgIds } = ctx;
      const { f, offerId, acceptedAt } = await awaitingCustoms("seller-suspended");
      await suspend(orgIds.agency);
      await expect(rights.connect(customs).decideTransfer(offerId, true, DECISION))
        .to.be.revertedWithCustomError(rights, "CounterpartyNotActive")
        .withArgs(orgIds.agency);
      await time.increaseTo(acceptedAt + CUSTOMS_REVIEW_PERIOD + 1n);
      await expect(rights.connect(agency).cancelOffer(offerId, REASON))
        .to.be.revertedWithCustomError(rights, "OrganizationNotActive")
        .withArgs(orgIds.agency);
      await expect(rights.connect(foreignAgency).cancelOffer(offerId, REASON))
        .to.emit(rights, "TransferCancelled")
        .withArgs(f, orgIds.foreignAgency, foreignAgency.address, offerId, REASON, (s: StampTuple) => s[1] === 4n);
      expect([await offerStatus(offerId), await rights.pendingOffer(f)]).to.deep.equal([
        BigInt(OfferStatus.CANCELLED),
        0n,
      ]);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Governance and views
  // ---------------------------------------------------------------------------------------------------------------

  describe("governance and views", () => {
    it("starts with the documented class rules and customs review period, and names its ledger", async () => {
      const { rights, ledger } = ctx;
      const rules: bigint[] = [];
      for (const dataClass of Object.values(DataClass)) rules.push(await rights.classRule(dataClass));
      expect(rules).to.deep.equal([Rule.FREE, Rule.APPROVAL, Rule.APPROVAL, Rule.FORBIDDEN].map(BigInt));
      expect(await rights.ledger()).to.equal(await ledger.getAddress());
      expect(await ledger.rightsModule()).to.equal(await rights.getAddress());
      expect(await rights.CUSTOMS_REVIEW_PERIOD()).to.equal(CUSTOMS_REVIEW_PERIOD);
      await expect(rights.classRule(4)).to.be.revertedWithCustomError(rights, "UnknownDataClass").withArgs(4);
    });

    it("setClassRule emits ClassRuleChanged(class, previous, rule) and changes only that class", async () => {
      const { rights, governance } = ctx;
      await expect(rights.connect(governance).setClassRule(DataClass.CORE, Rule.APPROVAL))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.CORE, Rule.FORBIDDEN, Rule.APPROVAL);
      await expect(rights.connect(governance).setClassRule(DataClass.PUBLIC, Rule.FORBIDDEN))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.PUBLIC, Rule.FREE, Rule.FORBIDDEN);
      await expect(rights.connect(governance).setClassRule(DataClass.CORE, Rule.FREE))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.CORE, Rule.APPROVAL, Rule.FREE);
      await expect(rights.connect(governance).setClassRule(DataClass.INTERNAL, Rule.APPROVAL))
        .to.emit(rights, "ClassRuleChanged")
        .withArgs(DataClass.INTERNAL, Rule.APPROVAL, Rule.APPROVAL);
      const rules: bigint[] = [];
      for (const dataClass of Object.values(DataClass)) rules.push(await rights.classRule(dataClass));
      expect(rules).to.deep.equal([Rule.FORBIDDEN, Rule.APPROVAL, Rule.APPROVAL, Rule.FREE].map(BigInt));
    });

    it("refuses an unknown class (UnknownDataClass) or rule (UnknownCrossBorderRule), and anyone but governance", async () => {
      const { rights, governance, agency, customs, outsider } = ctx;
      await expect(rights.connect(governance).setClassRule(4, Rule.FREE))
        .to.be.revertedWithCustomError(rights, "UnknownDataClass")
        .withArgs(4);
      await expect(rights.connect(governance).setClassRule(DataClass.PUBLIC, 3))
        .to.be.revertedWithCustomError(rights, "UnknownCrossBorderRule")
        .withArgs(3);
      for (const caller of [agency, customs, outsider]) {
        await expect(rights.connect(caller).setClassRule(DataClass.CORE, Rule.FREE))
          .to.be.revertedWithCustomError(rights, "NotGovernance")
          .withArgs(caller.address);
      }
      expect(await rights.classRule(DataClass.CORE)).to.equal(BigInt(Rule.FORBIDDEN));
    });
  });

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

  // ---------------------------------------------------------------------------------------------------------------
  // Cross-border matrix
  // ---------------------------------------------------------------------------------------------------------------

  describe("cross-border matrix", () => {
    type Outcome = "immediate" | "customs" | "forbidden";
    /** The default rule of each class, by class code (checked against the contract below). */
    const defaultRules = [Rule.FREE, Rule.APPROVAL, Rule.APPROVAL, Rule.FORBIDDEN];
    const classNames = ["public", "internal", "important", "core"];
    const outcomeOf = (rule: number, crossBorder: boolean): Outcome =>
      !crossBorder || rule === Rule.FREE ? "immediate" : rule === Rule.APPROVAL ? "customs" : "forbidden";
    const expected: Record<"grant" | "transfer", Record<Outcome, string>> = {
      grant: { immediate: "Active at once", customs: "PendingCustoms", forbidden: "CrossBorderForbidden" },
      transfer: { immediate: "Completed on acceptance", customs: "AwaitingCustoms", forbidden: "CrossBorderForbidden" },
    };

    it("uses the contract's default rules", async () => {
      for (const dataClass of Object.values(DataClass)) {
        expect(await ctx.rights.classRule(dataClass)).to.equal(BigInt(defaultRules[dataClass]));
      }
    });

    for (const dataClass of Object.values(DataClass)) {
      for (const crossBorder of [false, true]) {
        for (const kind of ["grant", "transfer"] as const) {
          const outcome = outcomeOf(defaultRules[dataClass], crossBorder);
          const where = crossBorder ? "abroad (CN-GD to HK)" : "at home (CN-GD to CN-GD)";
          it(`${kind} of ${classNames[dataClass]} data ${where}: ${expected[kind][outcome]}`, async () => {
            const { rights, agency, orgIds } = ctx;
            const f = await registered(`${kind}-${dataClass}-${crossBorder}`, dataClass);
            const to = crossBorder ? orgIds.foreignAgency : orgIds.trader;
            const recipient = crossBorder ? ctx.foreignAgency : ctx.trader;
            const exportJurisdiction = outcome === "customs" ? CN : NO_JURISDICTION;
            if (kind === "grant") {
              const issuing = rights.connect(agency).issueGrant(f, to, Scope.USE, PURPOSE, 0);
              if (outcome === "forbidden") {
                await expect(issuing)
                  .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
                  .withArgs(f, dataClass, CN, HK);
                expect(await grantStatus(f, to)).to.equal(BigInt(GrantStatus.NONE));
                return;
              }
              const status = outcome === "customs" ? GrantStatus.PENDING_CUSTOMS : GrantStatus.ACTIVE;
              await expect(issuing)
                .to.emit(rights, "GrantIssued")
                .withArgs(
                  f,
                  to,
                  agency.address,
                  1n,
                  orgIds.agency,
                  Scope.USE,
                  PURPOSE,
                  0,
                  status,
                  exportJurisdiction,
                  (s: StampTuple) => s[1] === 2n,
                );
              await expectVerdict(
                f,
                to,
                Scope.USE,
                outcome === "customs" ? Authorization.GRANT_PENDING_CUSTOMS : Authorization.GRANTED,
                1n,
              );
            } else {
              const expiresAt = (await blockTime()) + DAY;
              const offering = rights.connect(agency).offerTransfer(f, to, TERMS, expiresAt);
              if (outcome === "forbidden") {
                await expect(offering)
                  .to.be.revertedWithCustomError(rights, "CrossBorderForbidden")
                  .withArgs(f, dataClass, CN, HK);
                expect(await rights.counts()).to.deep.equal([0n, 0n]);
                return;
              }
              await offering;
              const accepting = rights.connect(recipient).acceptOffer(1n);
              await expect(accepting)
                .to.emit(rights, "TransferAccepted")
                .withArgs(
                  f,
                  to,
                  recipient.address,
                  1n,
                  orgIds.agency,
                  outcome === "customs",
                  exportJurisdiction,
                  (s: StampTuple) => s[1] === 3n,
                );
              const stored = await rights.getOffer(1n);
              expect([stored.status, stored.exportJurisdiction, await ownerOf(f)]).to.deep.equal(
                outcome === "customs"
                  ? [BigInt(OfferStatus.AWAITING_CUSTOMS), CN, orgIds.agency]
                  : [BigInt(OfferStatus.COMPLETED), NO_JURISDICTION, to],
              );
            }
          });
        }
      }
    }
  });
});
