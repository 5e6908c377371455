/**
 * What the DataRights tests (one file per concern in this folder) share: constants, the documented payload and
 * trail-stamp encodings, and helpers bound to the fixture of the running test.
 */

import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { Hex } from "viem";
import {
  Authorization,
  DataClass,
  Relation,
  Scope,
  hashOf,
  jurisdiction,
  registration,
  rightsFixture,
  type LedgerWithRights,
} from "../../helpers/fixtures";
import { ledgerEntry, recordEntry } from "../../../src/sdk";
import type { IDataRights } from "../../../typechain-types/contracts/DataRights";

/** The documented payload rule, written out by hand: keccak256(abi.encode(event parameters without the stamp)). */
export function payload(types: readonly string[], values: readonly unknown[]): Hex {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(types, values)) as Hex;
}

/** Event parameter types (without the stamp), in declaration order, per trail event of the rights module. */
export const Params = {
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

export const CN = jurisdiction("CN-GD");
export const HK = jurisdiction("HK");
/** A third jurisdiction, for organisations a test onboards itself. */
export const MO = jurisdiction("MO");
export const NO_JURISDICTION = "0x0000000000000000";
export const UNKNOWN_ORG = 99n;
export const DAY = 86_400n;
/** How long customs has to decide on an accepted transfer before a party may abandon it (classRules.test.ts checks). */
export const CUSTOMS_REVIEW_PERIOD = 30n * DAY;
export const PURPOSE = hashOf("purpose: credit scoring pilot");
export const TERMS = hashOf("terms: exchange order 42");
export const REASON = hashOf("reason");
export const DECISION = hashOf("customs decision");
export const FINDING = hashOf("finding");

export const fp = (label: string | number) => hashOf(`fingerprint:${label}`);

export async function blockTime(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

export async function timeOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = (await tx.wait())!;
  return BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
}

/** A record's trail position and the ledger-wide position. */
export interface Position {
  head: Hex;
  length: bigint;
  ledgerHead: Hex;
  sequence: bigint;
}

export type StampTuple = [Hex, bigint, bigint, Hex];

/** The position after one more entry, recomputed from the documented encoding (README, "Audit trail encoding"). */
export function next(
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

export const stampOf = (p: Position): StampTuple => [p.head, p.length, p.sequence, p.ledgerHead];

const allowed = (verdict: number) => verdict === Authorization.OWNER || verdict === Authorization.GRANTED;

export function grantFields(grant: IDataRights.GrantStructOutput) {
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

export function offerFields(offer: IDataRights.OfferStructOutput) {
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

/**
 * The fixture of the running test: `rightsFixture`, reloaded before each test by `useRightsFixture()` (an ES live
 * binding, so importers always see the current one).
 */
export let ctx: LedgerWithRights;

/** Registers, in the calling `describe`, the reload of `ctx` before each of its tests. */
export function useRightsFixture(): void {
  beforeEach(async () => {
    ctx = await rightsFixture();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers bound to the fixture
// ---------------------------------------------------------------------------------------------------------------

export async function registered(
  label: string,
  dataClass: number = DataClass.INTERNAL,
  by: HardhatEthersSigner = ctx.agency,
): Promise<string> {
  const f = fp(label);
  await ctx.ledger.connect(by).register(registration(f, { dataClass }));
  return f;
}

export interface GrantOptions {
  scopes?: number;
  expiresAt?: bigint;
  by?: HardhatEthersSigner;
}

/** Issues a grant and returns its id. */
export async function issue(f: string, granteeOrg: bigint, options: GrantOptions = {}): Promise<bigint> {
  await ctx.rights
    .connect(options.by ?? ctx.agency)
    .issueGrant(f, granteeOrg, options.scopes ?? Scope.ALL, PURPOSE, options.expiresAt ?? 0n);
  return (await ctx.rights.counts()).grants;
}

export interface OfferOptions {
  expiresAt?: bigint;
  by?: HardhatEthersSigner;
}

/** Offers a record (by default for a day) and returns the offer id. */
export async function offer(f: string, toOrg: bigint, options: OfferOptions = {}): Promise<bigint> {
  const expiresAt = options.expiresAt ?? (await blockTime()) + DAY;
  await ctx.rights.connect(options.by ?? ctx.agency).offerTransfer(f, toOrg, TERMS, expiresAt);
  return (await ctx.rights.counts()).offers;
}

export async function positionOf(f: string): Promise<Position> {
  const [head, length] = await ctx.ledger.trailHead(f);
  const [ledgerHead, sequence] = await ctx.ledger.ledgerHead();
  return { head: head as Hex, length, ledgerHead: ledgerHead as Hex, sequence };
}

/** The ledger's views agree with a recomputed position. */
export async function expectPosition(f: string, p: Position): Promise<void> {
  expect(await ctx.ledger.trailHead(f)).to.deep.equal([p.head, p.length]);
  expect(await ctx.ledger.ledgerHead()).to.deep.equal([p.ledgerHead, p.sequence]);
}

export async function expectVerdict(
  f: string,
  org: bigint,
  scope: number,
  verdict: number,
  grantId = 0n,
): Promise<void> {
  expect(await ctx.rights.authorization(f, org, scope)).to.deep.equal([BigInt(verdict), grantId]);
  expect(await ctx.rights.mayUse(f, org, scope)).to.equal(allowed(verdict));
}

export async function ownerOf(f: string): Promise<bigint> {
  return (await ctx.ledger.getRecord(f)).ownerOrg;
}

export async function grantStatus(f: string, org: bigint): Promise<bigint> {
  return (await ctx.rights.getGrant(f, org)).status;
}

export async function offerStatus(offerId: bigint): Promise<bigint> {
  return (await ctx.rights.getOffer(offerId)).status;
}

export function derive(child: string, parent: string, by: HardhatEthersSigner = ctx.foreignAgency) {
  return ctx.ledger
    .connect(by)
    .register(registration(child, { parents: [{ fingerprint: parent, relation: Relation.DERIVED_FROM }] }));
}

export async function setRule(dataClass: number, rule: number): Promise<void> {
  await ctx.rights.connect(ctx.governance).setClassRule(dataClass, rule);
}

export const suspend = (org: bigint) => ctx.registry.connect(ctx.governance).suspendOrganization(org, REASON);
export const reinstate = (org: bigint) => ctx.registry.connect(ctx.governance).reinstateOrganization(org, REASON);

/** Onboards an organisation operated by the spare signer `signerIndex` (the fixture uses signers 0..9). */
export async function onboard(
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
export async function awaitingCustoms(label: string): Promise<{ f: string; offerId: bigint; acceptedAt: bigint }> {
  const f = await registered(label, DataClass.INTERNAL);
  const offerId = await offer(f, ctx.orgIds.foreignAgency);
  const acceptedAt = await timeOf(await ctx.rights.connect(ctx.foreignAgency).acceptOffer(offerId));
  return { f, offerId, acceptedAt };
}
