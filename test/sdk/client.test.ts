import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Wallet } from "ethers";
import { readFileSync } from "node:fs";
import {
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  keccak256,
  parseEther,
  stringToHex,
  zeroHash,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployProvledger } from "../../scripts/deploy";
import { provenanceLedgerAbi } from "../../src/sdk/abi";
import {
  createProvledgerClient,
  ethersSignerToAccount,
  fromEip1193,
  fromEthersSigner,
  type Eip1193Provider,
  type ProvledgerAddresses,
  type ProvledgerClient,
} from "../../src/sdk/clients";
import {
  Authorization,
  DataClass,
  GrantStatus,
  OfferStatus,
  OrganizationStatus,
  Relation,
  Role,
  Rule,
  Scheme,
  Scope,
} from "../../src/sdk/constants/codes";
import {
  ContractRevertError,
  InvalidInputError,
  ProvledgerError,
  decodeJurisdiction,
  encodeJurisdiction,
  enumName,
  formatBlockTime,
  isContractError,
  type ProvledgerErrorName,
} from "../../src/sdk";
import { parseEnvelope, serializeEnvelope, signRegistration } from "../../src/sdk/signing";
import { signRegistration as signRegistrationWithEthers } from "../helpers/signing";
import { hardhatChain as hardhat } from "../helpers/viem";

const CHAIN_ID = hardhat.id;
// Hardhat's in-process provider reports reverts without a JSON-RPC error code, which viem retries (about a second of
// backoff per revert) unless told not to. fromEip1193 and fromEthersSigner handle this themselves.
const transport = custom(hre.network.provider, { retryCount: 0 });
const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 });

/** A deterministic, distinct 32-byte value per label. */
function h(label: string): Hex {
  return keccak256(stringToHex(`provledger-sdk-test:${label}`));
}

function clientFor(account: Address, addresses: ProvledgerAddresses): ProvledgerClient {
  return createProvledgerClient({
    publicClient,
    walletClient: createWalletClient({ chain: hardhat, transport, account, pollingInterval: 10 }),
    addresses,
    chainId: CHAIN_ID,
  });
}

/** The deployment of scripts/deploy.ts, with organisations onboarded through the SDK by governance. */
async function deployWorld() {
  const deployment = await deployProvledger(0);
  const addresses: ProvledgerAddresses = {
    registry: getAddress(await deployment.registry.getAddress()),
    ledger: getAddress(await deployment.ledger.getAddress()),
    rights: getAddress(await deployment.rights.getAddress()),
  };
  const [governance, agency, agencyKey2, hkAgency, exchange, inspector, customs, hkCustoms, outsider] = (
    await hre.ethers.getSigners()
  ).map((signer) => getAddress(signer.address));
  const gov = clientFor(governance, addresses);
  const organisations: [string, string, number, Address[]][] = [
    ["Open Data Bureau", "CN-GD", Role.REGISTRAR | Role.TRADER, [agency, agencyKey2]],
    ["HK Statistics", "HK", Role.REGISTRAR | Role.TRADER, [hkAgency]],
    ["GD Data Exchange", "CN-GD", Role.TRADER, [exchange]],
    ["Market Regulator", "CN-GD", Role.INSPECTOR, [inspector]],
    ["GD Data Customs", "CN-GD", Role.CUSTOMS, [customs]],
    ["HK Customs", "HK", Role.CUSTOMS, [hkCustoms]],
  ];
  const orgIds: number[] = [];
  for (const [name, jurisdiction, roles, operators] of organisations) {
    const { event } = await gov.registerOrganization({ name, jurisdiction, roles, metadataHash: h(name), operators });
    orgIds.push(event.args.orgId);
  }
  return {
    addresses,
    accounts: { governance, agency, agencyKey2, hkAgency, exchange, inspector, customs, hkCustoms, outsider },
    gov,
    agency: clientFor(agency, addresses),
    hk: clientFor(hkAgency, addresses),
    exchange: clientFor(exchange, addresses),
    inspector: clientFor(inspector, addresses),
    customs: clientFor(customs, addresses),
    hkCustoms: clientFor(hkCustoms, addresses),
    outsider: clientFor(outsider, addresses),
    org: { agency: 1, hk: 2, exchange: 3, inspector: 4, customs: 5, hkCustoms: 6 },
    orgIds,
  };
}

function world() {
  return loadFixture(deployWorld);
}

const AGENCY = "CN-GD/Open Data Bureau (org 1)";
const HK_AGENCY = "HK/HK Statistics (org 2)";

/** Awaits a rejection and returns the ProvledgerError it rejects with. */
async function rejection(promise: Promise<unknown>): Promise<ProvledgerError> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ProvledgerError);
    return error as ProvledgerError;
  }
  throw new Error("expected a rejection");
}

/** Awaits a contract revert `name` and returns it, typed. */
async function revert<N extends ProvledgerErrorName>(
  promise: Promise<unknown>,
  name: N,
): Promise<ContractRevertError<N>> {
  const error = await rejection(promise);
  if (!isContractError(error, name)) throw new Error(`expected ${name}, got ${error.code}: ${error.message}`);
  expect(error.name).to.equal(name);
  // Plain language: the raw revert data is never the message.
  expect(error.message).not.to.include(error.data);
  expect(error.message).not.to.include(error.data.slice(0, 10));
  return error;
}

/** The address with one letter's case flipped: a broken EIP-55 checksum. */
function badChecksum(address: Address): Address {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i];
  return `${address.slice(0, i)}${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}${address.slice(i + 1)}` as Address;
}

async function blockTime(): Promise<number> {
  return time.latest();
}

async function fundedKey() {
  const key = privateKeyToAccount(generatePrivateKey());
  await hre.network.provider.request({ method: "hardhat_setBalance", params: [key.address, "0x56bc75e2d63100000"] });
  return key;
}

describe("SDK client", () => {
  describe("registry", () => {
    it("onboards organisations and reads them back", async () => {
      const { gov, agency, accounts, org, orgIds } = await world();
      expect(orgIds).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(await gov.organizationCount()).to.equal(6);
      const bureau = await agency.organization(org.agency);
      expect(bureau.name).to.equal("Open Data Bureau");
      expect(decodeJurisdiction(bureau.jurisdiction)).to.equal("CN-GD");
      expect(bureau.roles).to.equal(Role.REGISTRAR | Role.TRADER);
      expect(bureau.status).to.equal(OrganizationStatus.ACTIVE);
      expect(bureau.operatorCount).to.equal(2);
      expect(await agency.organizationOf(accounts.hkAgency)).to.equal(org.hk);
      expect(await agency.organizationOf(accounts.outsider)).to.equal(0);
      expect(decodeJurisdiction(await agency.jurisdictionOf(org.hk))).to.equal("HK");
      expect(await agency.membership(org.exchange)).to.deep.equal({
        status: OrganizationStatus.ACTIVE,
        jurisdiction: encodeJurisdiction("CN-GD"),
        roles: Role.TRADER,
      });
      expect(await agency.hasOrganizationRole(org.agency, Role.REGISTRAR)).to.equal(true);
      expect(await agency.hasOrganizationRole(org.exchange, Role.REGISTRAR)).to.equal(false);
      expect(await agency.requireRole(accounts.agency, Role.REGISTRAR)).to.equal(org.agency);
      const lacks = await revert(agency.requireRole(accounts.exchange, Role.REGISTRAR), "OrganizationLacksRole");
      expect(lacks.params).to.deep.equal({ orgId: org.exchange, role: Role.REGISTRAR });
      expect(await agency.governance()).to.equal(accounts.governance);
      expect(await gov.verify()).to.equal(CHAIN_ID);
      expect(gov.account).to.equal(accounts.governance);
    });

    it("changes profiles, jurisdictions, roles, status and operators", async () => {
      const { gov, agency, hk, exchange, accounts, org } = await world();
      const profile = await gov.setOrganizationProfile({
        orgId: org.exchange,
        name: "GD Exchange",
        metadataHash: h("v2"),
      });
      expect(profile.event.args).to.deep.equal({ orgId: org.exchange, name: "GD Exchange", metadataHash: h("v2") });
      const moved = await gov.setOrganizationJurisdiction({ orgId: org.exchange, jurisdiction: "MO" });
      expect(decodeJurisdiction(moved.event.args.previousJurisdiction)).to.equal("CN-GD");
      expect(decodeJurisdiction(moved.event.args.jurisdiction)).to.equal("MO");
      const roles = await gov.setOrganizationRoles({ orgId: org.exchange, roles: Role.TRADER | Role.REGISTRAR });
      expect(roles.event.args).to.deep.equal({ orgId: org.exchange, previousRoles: Role.TRADER, roles: 3 });
      await exchange.register({ fingerprint: h("exchange-own"), dataClass: DataClass.PUBLIC });

      const suspended = await gov.suspendOrganization({ orgId: org.hk, reasonHash: h("audit") });
      expect(suspended.event.args).to.deep.equal({ orgId: org.hk, reasonHash: h("audit") });
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
      expect(added.event.args).to.deep.equal({ orgId: org.agency, account: key.address, by: accounts.agency });
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
      expect(await agency.organizationOf(key.address)).to.equal(0);
    });

    it("hands governance over in two steps, and names governance when someone else tries", async () => {
      const { gov, agency, accounts, addresses } = await world();
      const scheduled = await gov.beginGovernanceTransfer({ newGovernance: accounts.outsider });
      expect(scheduled.event.args.newAdmin).to.equal(accounts.outsider);
      expect((await gov.pendingGovernance()).newGovernance).to.equal(accounts.outsider);
      const cancelled = await gov.cancelGovernanceTransfer();
      expect(cancelled.event.eventName).to.equal("DefaultAdminTransferCanceled");
      expect((await gov.pendingGovernance()).newGovernance).to.equal("0x0000000000000000000000000000000000000000");

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

  describe("ledger", () => {
    it("registers a dataset, returns the decoded event and reads the record, its trail and versions", async () => {
      const { agency, accounts, org } = await world();
      const fingerprint = h("population-2026");
      const result = await agency.register({
        fingerprint,
        scheme: Scheme.SHA256,
        dataClass: DataClass.INTERNAL,
        metadataHash: h("metadata"),
        metadataURI: "ipfs://population-2026",
      });
      expect(result.event.eventName).to.equal("RecordRegistered");
      expect(result.event.args.fingerprint).to.equal(fingerprint);
      expect(result.event.args.ownerOrg).to.equal(org.agency);
      expect(result.event.args.registrant).to.equal(accounts.agency);
      expect(result.event.args.metadataURI).to.equal("ipfs://population-2026");
      expect(result.event.args.stamp.recordLength).to.equal(1n);
      const receipt = await publicClient.getTransactionReceipt({ hash: result.transactionHash });
      expect(receipt.blockNumber).to.equal(result.blockNumber);
      expect(receipt.blockHash).to.equal(result.blockHash);
      expect(receipt.logs.map((log) => log.logIndex)).to.include(result.logIndex);
      expect(result.events.map((event) => event.eventName)).to.deep.equal(["RecordRegistered"]);

      const record = await agency.getRecord(fingerprint);
      expect(record).to.include({ ownerOrg: org.agency, registrant: accounts.agency, dataClass: DataClass.INTERNAL });
      expect(record.registeredBlock).to.equal(result.blockNumber);
      expect(await agency.exists(fingerprint)).to.equal(true);
      expect(await agency.exists(h("nothing"))).to.equal(false);
      expect(await agency.recordStatus(fingerprint)).to.deep.equal({
        ownerOrg: org.agency,
        dataClass: DataClass.INTERNAL,
        withdrawn: false,
        frozen: false,
      });
      expect(await agency.trailHead(fingerprint)).to.deep.equal({
        head: result.event.args.stamp.recordHead,
        length: 1n,
      });
      expect(await agency.ledgerHead()).to.deep.equal({
        ledgerHead: result.event.args.stamp.ledgerHead,
        ledgerSequence: result.event.args.stamp.ledgerSequence,
      });

      const revision = await agency.register({
        fingerprint: h("population-2026-v2"),
        dataClass: DataClass.INTERNAL,
        parents: [{ fingerprint, relation: Relation.REVISION_OF }],
      });
      expect(revision.events.map((event) => event.eventName)).to.deep.equal(["RecordRegistered", "RecordSuperseded"]);
      expect(await agency.latestVersion(fingerprint)).to.deep.equal({
        latest: h("population-2026-v2"),
        isLatest: false,
      });
      const { parents, derivationGrants } = await agency.getParents(h("population-2026-v2"));
      expect(parents).to.deep.equal([{ fingerprint, relation: Relation.REVISION_OF }]);
      expect(derivationGrants).to.deep.equal([0n]);

      const superseded = await revert(
        agency.register({
          fingerprint: h("population-2026-v2b"),
          dataClass: DataClass.INTERNAL,
          parents: [{ fingerprint, relation: Relation.REVISION_OF }],
        }),
        "AlreadySuperseded",
      );
      expect(superseded.message).to.equal(
        `${fingerprint} was already superseded by ${h("population-2026-v2")}: revise the latest version instead ` +
          "(latestVersion tells which it is)",
      );
    });

    it("refuses a second registration with the owner's name and the ISO date, before sending anything", async () => {
      const { agency } = await world();
      const fingerprint = h("registered-once");
      await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
      const { registeredAt } = await agency.getRecord(fingerprint);
      const blockBefore = await publicClient.getBlockNumber();

      const error = await revert(agency.register({ fingerprint, dataClass: DataClass.PUBLIC }), "AlreadyRegistered");
      const iso = new Date(registeredAt * 1000).toISOString().replace(".000Z", "Z");
      expect(error.message).to.equal(
        `fingerprint ${fingerprint} is already registered by ${AGENCY} on ${iso} (block time); a fingerprint is ` +
          "registered once and never overwritten: if this is a new version of that dataset, register the new " +
          "version's fingerprint as a revision-of it",
      );
      expect(error.code).to.equal("AlreadyRegistered");
      expect(error.action).to.equal("register");
      expect(error.args).to.deep.equal([fingerprint, 1, registeredAt]);
      expect(error.params).to.deep.equal({ fingerprint, ownerOrg: 1, registeredAt });
      expect(await publicClient.getBlockNumber()).to.equal(blockBefore);
    });

    it("names both organisations when a non-owner withdraws, and withdraws for the owner", async () => {
      const { agency, hk } = await world();
      const fingerprint = h("to-withdraw");
      await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
      const error = await revert(hk.withdraw({ fingerprint, reasonHash: h("mine?") }), "NotRecordOwner");
      expect(error.message).to.equal(
        `record ${fingerprint} is owned by ${AGENCY}, not by ${HK_AGENCY}: only an operator of the owning ` +
          "organisation may do this",
      );
      const withdrawn = await agency.withdraw({ fingerprint, reasonHash: h("superseded by a new survey") });
      expect(withdrawn.event.args.reasonHash).to.equal(h("superseded by a new survey"));
      expect((await agency.getRecord(fingerprint)).withdrawn).to.equal(true);
      const again = await revert(agency.withdraw({ fingerprint }), "RecordIsWithdrawn");
      expect(again.message).to.include(`record ${fingerprint} was withdrawn by its owner`);
    });

    it("says which role an organisation lacks", async () => {
      const { exchange, accounts, addresses } = await world();
      const error = await revert(
        exchange.register({ fingerprint: h("not-mine"), dataClass: DataClass.PUBLIC }),
        "OrganizationLacksRole",
      );
      expect(error.message).to.equal(
        "CN-GD/GD Data Exchange (org 3) does not hold the registrar role this action needs (it holds: trader): send " +
          "from an operator of an organisation with that role, or ask governance to grant the role " +
          "(setOrganizationRoles)",
      );
      const outsider = clientFor(accounts.outsider, addresses);
      const notMember = await revert(outsider.register({ fingerprint: h("x"), dataClass: 0 }), "AccountNotMember");
      expect(notMember.message).to.include(`account ${accounts.outsider} is not an operator of any organisation`);
    });

    it("anchors a batch and proves inclusion", async () => {
      const { agency, org } = await world();
      const fingerprints = Array.from({ length: 100 }, (_, i) => h(`batch-leaf-${i}`));
      const tree = StandardMerkleTree.of(
        fingerprints.map((fingerprint) => [fingerprint]),
        ["bytes32"],
      );
      const root = tree.root as Hex;
      const anchored = await agency.anchorBatch({
        root,
        leafCount: fingerprints.length,
        metadataHash: h("manifest"),
        metadataURI: "ipfs://manifest",
      });
      expect(anchored.event.args).to.include({ root, org: org.agency, leafCount: 100n });
      const batch = await agency.getBatch(root);
      expect(batch.leafCount).to.equal(100n);
      expect(batch.anchoredBlock).to.equal(anchored.blockNumber);
      const proof = tree.getProof([fingerprints[42]]) as Hex[];
      expect(await agency.verifyBatchInclusion(root, fingerprints[42], proof)).to.equal(true);
      expect(await agency.verifyBatchInclusion(root, h("not in it"), proof)).to.equal(false);

      const twice = await revert(agency.anchorBatch({ root, leafCount: 100 }), "BatchAlreadyAnchored");
      expect(twice.message).to.match(
        new RegExp(`^batch root ${root} was already anchored by CN-GD/Open Data Bureau \\(org 1\\) on \\d{4}-`),
      );
      const unknown = await revert(agency.getBatch(h("no batch")), "UnknownBatch");
      expect(unknown.message).to.equal(
        `no batch is anchored under root ${h("no batch")}: check the root, or anchor the batch first`,
      );
    });
  });

  describe("signed submissions", () => {
    it("relays a registration signed by a key that never leaves its owner; the signer is the registrant", async () => {
      const { agency, outsider, accounts, org } = await world();
      const key = privateKeyToAccount(generatePrivateKey());
      await agency.addOperator({ orgId: org.agency, account: key.address });
      const registration = {
        fingerprint: h("signed-registration"),
        dataClass: DataClass.PUBLIC,
        metadataHash: h("signed-metadata"),
        metadataURI: "ipfs://signed",
      };
      const envelope = await agency.signRegistration(registration, { account: key });
      expect(envelope.signer).to.equal(key.address);
      expect(envelope.chainId).to.equal(BigInt(CHAIN_ID));
      expect(envelope.nonce).to.equal(0n);
      expect(envelope.deadline).to.equal(BigInt(await blockTime()) + 3600n);

      // The envelope travels as JSON to the relayer, an account of no organisation.
      const relayed = await outsider.registerBySig(registration, parseEnvelope(serializeEnvelope(envelope)));
      expect(relayed.event.args.registrant).to.equal(key.address);
      expect(relayed.event.args.ownerOrg).to.equal(org.agency);
      const transaction = await publicClient.getTransaction({ hash: relayed.transactionHash });
      expect(getAddress(transaction.from)).to.equal(accounts.outsider);
      expect((await agency.getRecord(registration.fingerprint)).registrant).to.equal(key.address);
      expect(await agency.nonces(key.address)).to.equal(1n);

      const replay = await revert(outsider.registerBySig(registration, envelope), "InvalidAccountNonce");
      expect(replay.message).to.equal(
        `this signature of ${key.address} was made for another nonce than its next one, 1: it was already relayed ` +
          "(a replay), or signed out of order; to submit again, have the signer sign with nonce 1",
      );
    });

    it("refuses expired, foreign-chain and tampered signatures with their own errors", async () => {
      const { agency, outsider, addresses, org } = await world();
      const key = privateKeyToAccount(generatePrivateKey());
      await agency.addOperator({ orgId: org.agency, account: key.address });
      const registration = { fingerprint: h("late"), dataClass: DataClass.PUBLIC };

      const deadline = BigInt(await blockTime()) - 1n;
      const expired = await agency.signRegistration(registration, { account: key, deadline });
      const error = await revert(outsider.registerBySig(registration, expired), "SignatureExpired");
      expect(error.params.deadline).to.equal(deadline);
      expect(error.message).to.equal(
        `the signature expired at ${formatBlockTime(deadline)} (its deadline) and the block time is ` +
          `${formatBlockTime(error.params.time)}: have the signer sign again with a later deadline`,
      );
      expect(error.message).to.match(/expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);

      const otherChain = await signRegistration({
        account: key,
        ledger: addresses.ledger,
        chainId: 1,
        nonce: 0,
        deadline: new Date(Date.now() + 3_600_000 * 24 * 365),
        registration,
      });
      const chain = await revert(outsider.registerBySig(registration, otherChain), "SignatureForOtherChain");
      expect(chain.message).to.equal(
        "the signature was made for chain 1, but this is chain 31337: have the signer sign again for chain 31337",
      );

      const valid = await agency.signRegistration(registration, { account: key });
      const tampered = await revert(
        outsider.registerBySig({ ...registration, dataClass: DataClass.CORE }, valid),
        "InvalidSignature",
      );
      expect(tampered.message).to.include(`the signature is not ${key.address}'s signature over this submission`);
    });

    it("signs exactly the typed data of the ethers test helper", async () => {
      const { addresses } = await world();
      const privateKey = generatePrivateKey();
      const registration = {
        fingerprint: h("same-bytes"),
        scheme: Scheme.MANIFEST_ROOT,
        dataClass: DataClass.IMPORTANT,
        metadataHash: h("meta"),
        metadataURI: "ipfs://same",
        parents: [
          { fingerprint: h("p1"), relation: Relation.DERIVED_FROM },
          { fingerprint: h("p2"), relation: Relation.REVISION_OF },
        ],
      };
      const options = { chainId: 31337n, nonce: 7n, deadline: 1_900_000_000n };
      const viemEnvelope = await signRegistration({
        account: privateKeyToAccount(privateKey),
        ledger: addresses.ledger,
        registration,
        ...options,
      });
      const ledger = await hre.ethers.getContractAt("ProvenanceLedger", addresses.ledger);
      const ethersEnvelope = await signRegistrationWithEthers(
        ledger,
        new Wallet(privateKey, hre.ethers.provider),
        registration,
        options,
      );
      expect(viemEnvelope.signature).to.equal(ethersEnvelope.signature);
    });

    it("signs and relays a batch anchor", async () => {
      const { agency, outsider, org } = await world();
      const key = privateKeyToAccount(generatePrivateKey());
      await agency.addOperator({ orgId: org.agency, account: key.address });
      const batch = {
        root: h("signed-root"),
        leafCount: 10_000n,
        metadataHash: h("manifest"),
        metadataURI: "ipfs://m",
      };
      const envelope = await agency.signBatch(batch, { account: key, validFor: 600 });
      const relayed = await outsider.anchorBatchBySig(batch, envelope);
      expect(relayed.event.args).to.include({ root: h("signed-root"), registrant: key.address, leafCount: 10_000n });
      expect((await agency.getBatch(h("signed-root"))).registrant).to.equal(key.address);
    });
  });

  describe("rights", () => {
    it("refuses a derivation with the reason's name until customs approves the grant, then records the grant", async () => {
      const { agency, hk, customs, hkCustoms, org } = await world();
      const parent = h("gd-census");
      await agency.register({ fingerprint: parent, dataClass: DataClass.INTERNAL });
      const child = {
        fingerprint: h("hk-study"),
        dataClass: DataClass.INTERNAL,
        parents: [{ fingerprint: parent, relation: Relation.DERIVED_FROM }],
      };

      const noGrant = await revert(hk.register(child), "DerivationRefused");
      expect(noGrant.params.reason).to.equal(Authorization.NO_GRANT);
      expect(noGrant.message).to.equal(
        `${HK_AGENCY} may not derive from ${parent} (owned by ${AGENCY}): NoGrant: ${AGENCY} has granted it no ` +
          `rights on the parent; ask ${AGENCY} for a grant with the derive scope`,
      );

      const expiresAt = (await blockTime()) + 30 * 24 * 3600;
      const grant = await agency.issueGrant({
        fingerprint: parent,
        granteeOrg: org.hk,
        scopes: Scope.USE | Scope.DERIVE,
        purposeHash: h("cross-border study"),
        expiresAt,
      });
      const grantId = grant.event.args.grantId;
      expect(grant.event.args.status).to.equal(GrantStatus.PENDING_CUSTOMS);
      expect(decodeJurisdiction(grant.event.args.exportJurisdiction)).to.equal("CN-GD");
      expect(grant.event.args.expiresAt).to.equal(expiresAt);

      const pending = await revert(hk.register(child), "DerivationRefused");
      expect(enumName("Authorization", pending.params.reason)).to.equal("GrantPendingCustoms");
      expect(pending.message).to.include(`: GrantPendingCustoms: grant #${grantId} still waits for the data customs`);
      const outstanding = await revert(
        agency.issueGrant({ fingerprint: parent, granteeOrg: org.hk, scopes: Scope.USE }),
        "GrantOutstanding",
      );
      expect(outstanding.message).to.include(
        `${HK_AGENCY} already holds grant #${grantId} on ${parent} (PendingCustoms)`,
      );

      const wrongCustoms = await revert(
        hkCustoms.decideGrant({ fingerprint: parent, granteeOrg: org.hk, grantId, approve: true }),
        "NotCustomsOfJurisdiction",
      );
      expect(wrongCustoms.message).to.equal(
        "customs HK/HK Customs (org 6) is of HK and cannot decide for CN-GD: only a customs organisation of the " +
          "exporting jurisdiction CN-GD may decide",
      );
      const decided = await customs.decideGrant({
        fingerprint: parent,
        granteeOrg: org.hk,
        grantId,
        approve: true,
        decisionHash: h("approved"),
      });
      expect(decided.event.args).to.include({ grantId, customsOrg: org.customs, approved: true });
      expect((await hk.getGrant(parent, org.hk)).status).to.equal(GrantStatus.ACTIVE);
      expect(await hk.authorization(parent, org.hk, Scope.DERIVE)).to.deep.equal({
        verdict: Authorization.GRANTED,
        grantId,
      });
      expect(await hk.mayUse(parent, org.hk, Scope.DERIVE)).to.equal(true);
      expect(await hk.mayUse(parent, org.hk, Scope.REDISTRIBUTE)).to.equal(false);
      expect(await hk.derivationGrant(parent, org.hk)).to.equal(grantId);

      const derived = await hk.register(child);
      expect(derived.event.args.derivationGrants).to.deep.equal([grantId]);
      expect((await hk.getParents(child.fingerprint)).derivationGrants).to.deep.equal([grantId]);

      const revoked = await agency.revokeGrant({ fingerprint: parent, granteeOrg: org.hk, reasonHash: h("ended") });
      expect(revoked.event.args).to.include({ grantId, ownerOrg: org.agency });
      expect((await hk.authorization(parent, org.hk, Scope.DERIVE)).verdict).to.equal(Authorization.GRANT_REVOKED);
      const notRevocable = await revert(
        agency.revokeGrant({ fingerprint: parent, granteeOrg: org.hk }),
        "GrantNotRevocable",
      );
      expect(notRevocable.message).to.include(`to ${HK_AGENCY} is Revoked`);
      expect((await agency.counts()).grants).to.equal(1n);
    });

    it("sells a record across the border with data customs' approval, and confirms the delivery", async () => {
      const { agency, hk, exchange, customs, hkCustoms, org } = await world();
      const fingerprint = h("for-sale");
      await agency.register({ fingerprint, dataClass: DataClass.INTERNAL });
      const expiresAt = (await blockTime()) + 3600;
      const offer = await agency.offerTransfer({ fingerprint, toOrg: org.hk, termsHash: h("order-1"), expiresAt });
      const offerId = offer.event.args.offerId;
      expect(offer.event.args).to.include({ toOrg: org.hk, fromOrg: org.agency, expiresAt });
      expect(await agency.pendingOffer(fingerprint)).to.equal(offerId);
      const locked = await revert(
        agency.issueGrant({ fingerprint, granteeOrg: org.exchange, scopes: Scope.USE }),
        "RecordUnderOffer",
      );
      expect(locked.message).to.include(`${fingerprint} is locked by offer #${offerId}`);
      const notParty = await revert(exchange.acceptOffer({ offerId }), "NotOfferParty");
      expect(notParty.message).to.include(
        `CN-GD/GD Data Exchange (org 3) is not the party of offer #${offerId} (from ${AGENCY} to ${HK_AGENCY})`,
      );

      const accepted = await hk.acceptOffer({ offerId });
      expect(accepted.event.args.awaitingCustoms).to.equal(true);
      expect(accepted.events.map((event) => event.eventName)).to.deep.equal(["TransferAccepted"]);
      expect((await agency.getOffer(offerId)).status).to.equal(OfferStatus.AWAITING_CUSTOMS);
      const early = await revert(hk.cancelOffer({ offerId }), "CustomsReviewPending");
      expect(early.message).to.match(/whose review period runs until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(block time\)/);
      await revert(hkCustoms.decideTransfer({ offerId, approve: true }), "NotCustomsOfJurisdiction");

      const decided = await customs.decideTransfer({ offerId, approve: true, decisionHash: h("export licence") });
      expect(decided.event.args).to.include({ offerId, customsOrg: org.customs, approved: true });
      const transferred = decided.events.find((event) => event.eventName === "OwnershipTransferred");
      expect(transferred?.args).to.include({ toOrg: org.hk, fromOrg: org.agency });
      expect((await hk.recordStatus(fingerprint)).ownerOrg).to.equal(org.hk);

      const delivered = await hk.confirmDelivery({ offerId, receivedFingerprint: fingerprint });
      expect(delivered.event.args.matches).to.equal(true);
      expect((await hk.getOffer(offerId)).status).to.equal(OfferStatus.DELIVERED);
      const twice = await revert(
        hk.confirmDelivery({ offerId, receivedFingerprint: fingerprint }),
        "DeliveryNotExpected",
      );
      expect(twice.message).to.equal(
        `offer #${offerId} is Delivered: only a completed transfer awaits a delivery report; wait until ownership has moved`,
      );
      expect(await hk.customsReviewPeriod()).to.equal(30 * 24 * 3600);
    });

    it("transfers at once within a jurisdiction, and cancels an open offer", async () => {
      const { agency, exchange, org } = await world();
      const fingerprint = h("domestic");
      await agency.register({ fingerprint, dataClass: DataClass.INTERNAL });
      const first = await agency.offerTransfer({
        fingerprint,
        toOrg: org.exchange,
        expiresAt: new Date(((await blockTime()) + 3600) * 1000),
      });
      const cancelled = await agency.cancelOffer({ offerId: first.event.args.offerId, reasonHash: h("price changed") });
      expect(cancelled.event.args).to.include({ offerId: first.event.args.offerId, org: org.agency });
      const notOpen = await revert(exchange.acceptOffer({ offerId: first.event.args.offerId }), "OfferNotOpen");
      expect(notOpen.message).to.include(`offer #${first.event.args.offerId} is Cancelled, not open`);

      const second = await agency.offerTransfer({
        fingerprint,
        toOrg: org.exchange,
        expiresAt: (await blockTime()) + 60,
      });
      const accepted = await exchange.acceptOffer({ offerId: second.event.args.offerId });
      expect(accepted.events.map((event) => event.eventName)).to.deep.equal([
        "TransferAccepted",
        "OwnershipTransferred",
      ]);
      expect((await exchange.recordStatus(fingerprint)).ownerOrg).to.equal(org.exchange);
      expect((await exchange.counts()).offers).to.equal(2n);
      const unknown = await revert(exchange.getOffer(99), "UnknownOffer");
      expect(unknown.message).to.include("no offer has id 99");
    });

    it("attaches findings, freezes and unfreezes", async () => {
      const { agency, inspector, org } = await world();
      const fingerprint = h("inspected");
      await agency.register({ fingerprint, dataClass: DataClass.IMPORTANT });
      const finding = await inspector.attachFinding({ fingerprint, findingHash: h("finding-1") });
      expect(finding.event.args).to.include({ inspectorOrg: org.inspector, findingHash: h("finding-1") });
      const frozen = await inspector.freeze({ fingerprint, reasonHash: h("investigation") });
      expect(frozen.event.eventName).to.equal("RecordFrozen");
      expect((await agency.recordStatus(fingerprint)).frozen).to.equal(true);
      const blocked = await revert(agency.withdraw({ fingerprint }), "RecordIsFrozen");
      expect(blocked.message).to.equal(
        `record ${fingerprint} is frozen by an inspector: no grants, transfers, acceptances, approvals, ` +
          "derivations or withdrawal until an inspector unfreezes it",
      );
      const unfrozen = await inspector.unfreeze({ fingerprint, reasonHash: h("closed") });
      expect(unfrozen.event.eventName).to.equal("RecordUnfrozen");
      const notFrozen = await revert(inspector.unfreeze({ fingerprint }), "RecordNotFrozen");
      expect(notFrozen.message).to.equal(`record ${fingerprint} is not frozen: nothing to unfreeze`);
    });

    it("lets governance change class rules; the rights module is set once", async () => {
      const { gov, agency, hk, addresses, org } = await world();
      const changed = await gov.setClassRule({ dataClass: DataClass.PUBLIC, rule: Rule.FORBIDDEN });
      expect(changed.event.args).to.deep.equal({ dataClass: 0, previousRule: Rule.FREE, rule: Rule.FORBIDDEN });
      expect(await hk.classRule(DataClass.PUBLIC)).to.equal(Rule.FORBIDDEN);
      const fingerprint = h("stays home");
      await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
      const forbidden = await revert(
        agency.issueGrant({ fingerprint, granteeOrg: org.hk, scopes: Scope.USE }),
        "CrossBorderForbidden",
      );
      expect(forbidden.message).to.equal(
        `${fingerprint} is public data, which may not leave CN-GD for HK: grant or sell it only within CN-GD`,
      );
      expect(await agency.rightsModule()).to.equal(addresses.rights);
      const once = await revert(gov.setRightsModule({ module: addresses.rights }), "RightsModuleAlreadySet");
      expect(once.message).to.include("can be set only once");
      expect(await agency.domainSeparator()).to.match(/^0x[0-9a-f]{64}$/);
    });
  });

  describe("connections", () => {
    it("works over an EIP-1193 provider with a node account, a local key, or the provider's first account", async () => {
      const { agency, addresses, accounts, org } = await world();
      const viaNode = await fromEip1193(hre.network.provider, accounts.agency, addresses, {
        chainId: CHAIN_ID,
        pollingInterval: 10,
      });
      const one = await viaNode.register({ fingerprint: h("eip1193-node"), dataClass: DataClass.PUBLIC });
      expect(one.event.args.registrant).to.equal(accounts.agency);

      const key = await fundedKey();
      await agency.addOperator({ orgId: org.agency, account: key.address });
      const viaKey = await fromEip1193(hre.network.provider, key, addresses, { pollingInterval: 10 });
      const two = await viaKey.register({ fingerprint: h("eip1193-local"), dataClass: DataClass.PUBLIC });
      expect(two.event.args.registrant).to.equal(key.address);
      const duplicate = await revert(
        viaKey.register({ fingerprint: h("eip1193-local"), dataClass: 0 }),
        "AlreadyRegistered",
      );
      expect(duplicate.message).to.include(`already registered by ${AGENCY}`);

      const first = await fromEip1193(hre.network.provider, undefined, addresses);
      expect(first.account).to.equal(accounts.governance);

      const noAccounts: Eip1193Provider = {
        request: (args) =>
          args.method === "eth_accounts"
            ? Promise.resolve([])
            : hre.network.provider.request(args as { method: string; params?: unknown[] }),
      };
      const readOnly = await fromEip1193(noAccounts, undefined, addresses);
      expect(readOnly.account).to.equal(undefined);
      expect(await readOnly.exists(h("eip1193-node"))).to.equal(true);
      const noWallet = await rejection(readOnly.register({ fingerprint: h("read-only"), dataClass: 0 }));
      expect(noWallet.code).to.equal("NoWallet");
      expect(noWallet.message).to.include("register needs a signing account, but this client has none");
    });

    it("works through an ethers v6 signer, for transactions and EIP-712 signatures", async () => {
      const { addresses, accounts, outsider, org, agency } = await world();
      const signer = await hre.ethers.getSigner(accounts.agency);
      const client = await fromEthersSigner(signer, addresses, { chainId: CHAIN_ID, pollingInterval: 10 });
      expect(client.account).to.equal(accounts.agency);
      const registered = await client.register({ fingerprint: h("ethers"), dataClass: DataClass.PUBLIC });
      expect(registered.event.args.registrant).to.equal(accounts.agency);
      const transaction = await publicClient.getTransaction({ hash: registered.transactionHash });
      expect(getAddress(transaction.from)).to.equal(accounts.agency);
      const duplicate = await revert(client.register({ fingerprint: h("ethers"), dataClass: 0 }), "AlreadyRegistered");
      expect(duplicate.message).to.include(`already registered by ${AGENCY}`);

      // EIP-712 through the signer: the client's wallet, and the signer as a viem account, sign the same bytes.
      const registration = { fingerprint: h("ethers-signed"), dataClass: DataClass.PUBLIC };
      const viaWallet = await client.signRegistration(registration, { deadline: 1_900_000_000 });
      const account = await ethersSignerToAccount(signer);
      const viaAccount = await agency.signRegistration(registration, { account, deadline: 1_900_000_000 });
      expect(viaAccount).to.deep.equal(viaWallet);
      const relayed = await outsider.registerBySig(registration, viaWallet);
      expect(relayed.event.args.registrant).to.equal(accounts.agency);

      // An ethers Wallet as a local viem account: viem signs the transaction through it and sends it raw.
      const wallet = Wallet.createRandom(hre.ethers.provider);
      await hre.network.provider.request({
        method: "hardhat_setBalance",
        params: [wallet.address, `0x${parseEther("10").toString(16)}`],
      });
      await agency.addOperator({ orgId: org.agency, account: getAddress(wallet.address) });
      const walletClient = createWalletClient({ transport, account: await ethersSignerToAccount(wallet) });
      const viaEthersWallet = createProvledgerClient({ publicClient, walletClient, addresses });
      const three = await viaEthersWallet.register({ fingerprint: h("ethers-wallet"), dataClass: DataClass.PUBLIC });
      expect(three.event.args.registrant).to.equal(getAddress(wallet.address));
    });

    it("refuses an address without code, a contract of another kind, and another chain", async () => {
      const { addresses } = await world();
      const nowhere = privateKeyToAccount(generatePrivateKey()).address;
      const noCode = createProvledgerClient({ publicClient, addresses: { ...addresses, ledger: nowhere } });
      const error = await rejection(noCode.getRecord(h("any")));
      expect(error.code).to.equal("NoContract");
      expect(error.name).to.equal("NoContractError");
      expect(error.message).to.equal(
        `no contract at ${nowhere} on chain 31337: check the deployment addresses (this is the ledger address)`,
      );

      const swapped = createProvledgerClient({
        publicClient,
        addresses: { registry: addresses.registry, ledger: addresses.registry, rights: addresses.rights },
      });
      const wrong = await rejection(swapped.exists(h("any")));
      expect(wrong.code).to.equal("WrongContract");
      expect(wrong.message).to.equal(
        `${addresses.registry} on chain 31337 is not the Provledger ledger of this deployment (it does not answer ` +
          "registry()): check the deployment addresses",
      );

      const otherChain = createProvledgerClient({ publicClient, addresses, chainId: 1 });
      const mismatch = await rejection(otherChain.organizationCount());
      expect(mismatch.code).to.equal("ChainMismatch");
      expect(mismatch.message).to.equal(
        "the node is on chain 31337, but the client expects chain 1: connect to the network the contracts were " +
          "deployed on, or correct the expected chain id",
      );
    });

    it("decodes the errors of calls made with viem directly", async () => {
      const { agency, hk, addresses } = await world();
      const fingerprint = h("direct");
      await agency.register({ fingerprint, dataClass: DataClass.PUBLIC });
      try {
        await publicClient.simulateContract({
          account: hk.account,
          address: addresses.ledger,
          abi: provenanceLedgerAbi,
          functionName: "withdraw",
          args: [fingerprint, zeroHash],
        });
        expect.fail("the simulation should revert");
      } catch (raw) {
        const error = await hk.decodeError(raw, "withdraw");
        expect(isContractError(error, "NotRecordOwner")).to.equal(true);
        expect(error.message).to.include(`is owned by ${AGENCY}, not by ${HK_AGENCY}`);
        expect(error.action).to.equal("withdraw");
      }
    });

    it("exercises every method of the client in this file", async () => {
      const { agency } = await world();
      const source = readFileSync(__filename, "utf8");
      const methods = Object.entries(agency)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => name);
      expect(methods.length).to.be.greaterThan(60);
      expect(methods.filter((name) => !source.includes(`.${name}(`))).to.deep.equal([]);
    });

    it("refuses malformed input with a typed error before any request", async () => {
      const { addresses, accounts } = await world();
      const methods: string[] = [];
      const recording: Eip1193Provider = {
        request: (args) => {
          methods.push(args.method);
          return hre.network.provider.request(args as { method: string; params?: unknown[] });
        },
      };
      const client = await fromEip1193(recording, accounts.agency, addresses);
      const fingerprint = h("valid");
      const cases: [Promise<unknown>, string][] = [
        [client.register({ fingerprint: "0x1234", dataClass: 0 }), "fingerprint"],
        [client.register({ fingerprint: zeroHash, dataClass: 0 }), "fingerprint"],
        [client.register({ fingerprint, dataClass: 256 }), "dataClass"],
        [client.register({ fingerprint, dataClass: 1.5 }), "dataClass"],
        [
          client.register({ fingerprint, dataClass: 0, parents: [{ fingerprint: "0xzz" as Hex, relation: 0 }] }),
          "parents[0].fingerprint",
        ],
        [client.withdraw({ fingerprint, reasonHash: "0x12" }), "reasonHash"],
        [client.addOperator({ orgId: 1, account: "0x123" as Address }), "account"],
        [client.addOperator({ orgId: 0, account: accounts.outsider }), "orgId"],
        [client.addOperator({ orgId: 1, account: badChecksum(accounts.outsider) }), "account"],
        [client.registerOrganization({ name: "X", jurisdiction: "TOO-LONG-CODE", roles: 1 }), "jurisdiction"],
        [client.issueGrant({ fingerprint, granteeOrg: 2, scopes: -1 }), "scopes"],
        [client.offerTransfer({ fingerprint, toOrg: 2, expiresAt: new Date("not a date") }), "expiresAt"],
        [client.decideTransfer({ offerId: 1, approve: "yes" as unknown as boolean }), "approve"],
        [client.getRecord("not hex" as Hex), "fingerprint"],
        [client.verifyBatchInclusion(fingerprint, fingerprint, [fingerprint, "0x00" as Hex]), "proof[1]"],
      ];
      for (const [promise, field] of cases) {
        const error = await rejection(promise);
        expect(error, error.message).to.be.instanceOf(InvalidInputError);
        expect((error as InvalidInputError).field).to.equal(field);
        expect(error.message).to.match(/; nothing was sent$/);
      }
      const first = await rejection(cases[0][0]);
      expect(first.message).to.equal(
        'fingerprint must be 32 bytes of hex: 0x followed by 64 hex digits (2 bytes) (got "0x1234"); nothing was sent',
      );
      expect(methods).to.deep.equal([]);
      expect(() =>
        createProvledgerClient({ publicClient, addresses: { ...addresses, rights: "0x0" as Address } }),
      ).to.throw(InvalidInputError, "addresses.rights must be an address");
    });
  });
});
