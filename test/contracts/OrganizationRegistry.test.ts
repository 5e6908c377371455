import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { OrganizationRegistry } from "../../typechain-types";
import { decodeEventLog, pad, toHex, zeroHash, type Hex } from "viem";
import { Action, GOVERNANCE_DELAY, Role, hashOf, jurisdiction, ledgerFixture, registration } from "../helpers/fixtures";
import {
  ledgerEntry,
  organizationRegistryAbi,
  recordEntry,
  replayTrail,
  trailEntryFromEvent,
  type DecodedEvent,
} from "../../src/sdk";

/** `IOrganizationRegistry.Status` as the ABI returns it. */
const Status = { None: 0n, Active: 1n, Suspended: 2n } as const;
const MAX_NAME_LENGTH = 64;
const MAX_OPERATORS_PER_CALL = 32;
/** The shared fixture onboards six organisations (ids 1..6); the next one gets id 7. */
const FIXTURE_ORG_COUNT = 6n;
const NEXT_ORG_ID = FIXTURE_ORG_COUNT + 1n;
const UNKNOWN_ORG_ID = 99n;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const NO_JURISDICTION = "0x0000000000000000";

/** Everything `registerOrganization` takes. */
interface OrganizationInput {
  name: string;
  metadataHash: string;
  jurisdiction: string;
  roles: number;
  operators: string[];
}

/** A distinct, checksummed address nobody holds a key for: for operator slots that never sign. */
function addressOf(label: string): string {
  return ethers.getAddress(ethers.dataSlice(hashOf(`address:${label}`), 12));
}

function macaoLab(overrides: Partial<OrganizationInput> = {}): OrganizationInput {
  return {
    name: "Macao Data Lab",
    metadataHash: hashOf("Macao Data Lab profile"),
    jurisdiction: jurisdiction("MO"),
    roles: Role.REGISTRAR | Role.TRADER,
    operators: [addressOf("macao-1"), addressOf("macao-2")],
    ...overrides,
  };
}

function registerOrganization(
  registry: OrganizationRegistry,
  caller: HardhatEthersSigner,
  org: OrganizationInput,
): Promise<ContractTransactionResponse> {
  return registry
    .connect(caller)
    .registerOrganization(org.name, org.metadataHash, org.jurisdiction, org.roles, org.operators);
}

/** Block time of the block that mined `tx`. */
async function minedAt(tx: ContractTransactionResponse): Promise<number> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return block!.timestamp;
}

/** Accounts the shared fixture gives no role (it uses signers 0..8). */
async function spareSigners(): Promise<HardhatEthersSigner[]> {
  return (await ethers.getSigners()).slice(9);
}

/** A registry without organisations, bound to a fresh ledger. */
async function deployEmptyRegistry(): Promise<{ registry: OrganizationRegistry; governance: HardhatEthersSigner }> {
  const [governance] = await ethers.getSigners();
  const registry = await ethers.deployContract("OrganizationRegistry", [GOVERNANCE_DELAY, governance.address]);
  const ledger = await ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
  await registry.bindLedger(await ledger.getAddress());
  return { registry, governance };
}

describe("OrganizationRegistry", function () {
  describe("registerOrganization", function () {
    it("returns the next sequential id and emits OrganizationRegistered with the submitted fields", async function () {
      const { registry, governance } = await ledgerFixture();
      const org = macaoLab();

      expect(
        await registry
          .connect(governance)
          .registerOrganization.staticCall(org.name, org.metadataHash, org.jurisdiction, org.roles, org.operators),
      ).to.equal(NEXT_ORG_ID);
      await expect(registerOrganization(registry, governance, org))
        .to.emit(registry, "OrganizationRegistered")
        .withArgs(NEXT_ORG_ID, anyValue, org.name, org.metadataHash, org.jurisdiction, org.roles, anyValue);
      expect(await registry.organizationCount()).to.equal(NEXT_ORG_ID);
    });

    it("numbers organisations sequentially from 1 on a fresh registry", async function () {
      const { registry, governance } = await loadFixture(deployEmptyRegistry);
      expect(await registry.organizationCount()).to.equal(0n);

      await expect(registerOrganization(registry, governance, macaoLab({ operators: [] })))
        .to.emit(registry, "OrganizationRegistered")
        .withArgs(1n, anyValue, "Macao Data Lab", anyValue, anyValue, anyValue, anyValue);
      await expect(registerOrganization(registry, governance, macaoLab({ name: "Second", operators: [] })))
        .to.emit(registry, "OrganizationRegistered")
        .withArgs(2n, anyValue, "Second", anyValue, anyValue, anyValue, anyValue);
      expect(await registry.organizationCount()).to.equal(2n);
    });

    it("attaches every initial operator, in order, each with OperatorAdded(orgId, account, governance)", async function () {
      const { registry, governance } = await ledgerFixture();
      const operators = [addressOf("macao-1"), addressOf("macao-2"), addressOf("macao-3")];

      const receipt = await (await registerOrganization(registry, governance, macaoLab({ operators }))).wait();

      const added = receipt!.logs
        .map((log) => registry.interface.parseLog(log))
        .filter((event) => event?.name === "OperatorAdded")
        .map((event) => [...event!.args]);
      expect(added.map((args) => args.slice(0, 3))).to.deep.equal(
        operators.map((account) => [NEXT_ORG_ID, account, governance.address]),
      );
      // Each operator is its own governance entry, right after the organisation's.
      const sequences = added.map((args) => (args[3] as { ledgerSequence: bigint }).ledgerSequence);
      expect(sequences).to.deep.equal([sequences[0], sequences[0] + 1n, sequences[0] + 2n]);
      for (const account of operators) {
        expect(await registry.organizationOf(account)).to.equal(NEXT_ORG_ID);
      }
    });

    it("stores name, profile hash, jurisdiction, roles, Active status, operatorCount and registeredAt", async function () {
      const { registry, governance } = await ledgerFixture();
      const org = macaoLab();

      const registeredAt = await minedAt(await registerOrganization(registry, governance, org));

      const stored = await registry.organization(NEXT_ORG_ID);
      expect(stored.name).to.equal(org.name);
      expect(stored.metadataHash).to.equal(org.metadataHash);
      expect(stored.jurisdiction).to.equal(org.jurisdiction);
      expect(stored.roles).to.equal(BigInt(org.roles));
      expect(stored.status).to.equal(Status.Active);
      expect(stored.operatorCount).to.equal(2n);
      expect(stored.registeredAt).to.equal(BigInt(registeredAt));
    });

    it("accepts an organisation without initial operators (operatorCount 0)", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registerOrganization(registry, governance, macaoLab({ operators: [] })))
        .to.emit(registry, "OrganizationRegistered")
        .and.not.to.emit(registry, "OperatorAdded");
      expect((await registry.organization(NEXT_ORG_ID)).operatorCount).to.equal(0n);
    });

    it(`accepts the limits: a ${MAX_NAME_LENGTH}-byte name and ${MAX_OPERATORS_PER_CALL} operators`, async function () {
      const { registry, governance } = await ledgerFixture();
      const operators = Array.from({ length: MAX_OPERATORS_PER_CALL }, (_, i) => addressOf(`bulk-${i}`));
      const name = "N".repeat(MAX_NAME_LENGTH);

      await expect(registerOrganization(registry, governance, macaoLab({ name, operators })))
        .to.emit(registry, "OrganizationRegistered")
        .withArgs(NEXT_ORG_ID, anyValue, name, anyValue, anyValue, anyValue, anyValue);
      expect((await registry.organization(NEXT_ORG_ID)).operatorCount).to.equal(BigInt(MAX_OPERATORS_PER_CALL));
    });

    for (const roles of [Role.ALL + 1, 0x30, 0x80, 0xff]) {
      it(`rejects roles 0x${roles.toString(16)} (bits outside Roles.ALL) with InvalidRoles`, async function () {
        const { registry, governance } = await ledgerFixture();

        await expect(registerOrganization(registry, governance, macaoLab({ roles })))
          .to.be.revertedWithCustomError(registry, "InvalidRoles")
          .withArgs(roles);
      });
    }

    it("rejects an empty jurisdiction with EmptyJurisdiction", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(
        registerOrganization(registry, governance, macaoLab({ jurisdiction: NO_JURISDICTION })),
      ).to.be.revertedWithCustomError(registry, "EmptyJurisdiction");
    });

    it("rejects an empty name with InvalidName(0, 64)", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registerOrganization(registry, governance, macaoLab({ name: "" })))
        .to.be.revertedWithCustomError(registry, "InvalidName")
        .withArgs(0, MAX_NAME_LENGTH);
    });

    it("rejects a 65-byte name with InvalidName(65, 64)", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registerOrganization(registry, governance, macaoLab({ name: "N".repeat(MAX_NAME_LENGTH + 1) })))
        .to.be.revertedWithCustomError(registry, "InvalidName")
        .withArgs(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH);
    });

    it("measures the name in UTF-8 bytes, not characters", async function () {
      const { registry, governance } = await ledgerFixture();
      const name = "数据".repeat(11); // 22 characters, 66 bytes

      await expect(registerOrganization(registry, governance, macaoLab({ name })))
        .to.be.revertedWithCustomError(registry, "InvalidName")
        .withArgs(66, MAX_NAME_LENGTH);
    });

    it(`rejects ${MAX_OPERATORS_PER_CALL + 1} operators with TooManyOperators`, async function () {
      const { registry, governance } = await ledgerFixture();
      const operators = Array.from({ length: MAX_OPERATORS_PER_CALL + 1 }, (_, i) => addressOf(`bulk-${i}`));

      await expect(registerOrganization(registry, governance, macaoLab({ operators })))
        .to.be.revertedWithCustomError(registry, "TooManyOperators")
        .withArgs(MAX_OPERATORS_PER_CALL + 1, MAX_OPERATORS_PER_CALL);
    });

    it("rejects the zero address as an operator with ZeroAddressOperator", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(
        registerOrganization(registry, governance, macaoLab({ operators: [addressOf("macao-1"), ethers.ZeroAddress] })),
      ).to.be.revertedWithCustomError(registry, "ZeroAddressOperator");
    });

    it("rejects an account that already operates for another organisation with AccountAlreadyMember", async function () {
      const { registry, governance, foreignAgency, orgIds } = await ledgerFixture();

      await expect(registerOrganization(registry, governance, macaoLab({ operators: [foreignAgency.address] })))
        .to.be.revertedWithCustomError(registry, "AccountAlreadyMember")
        .withArgs(foreignAgency.address, orgIds.foreignAgency);
    });

    it("rejects an account listed twice in the same call with AccountAlreadyMember naming the new org", async function () {
      const { registry, governance } = await ledgerFixture();
      const twice = addressOf("macao-1");

      await expect(registerOrganization(registry, governance, macaoLab({ operators: [twice, twice] })))
        .to.be.revertedWithCustomError(registry, "AccountAlreadyMember")
        .withArgs(twice, NEXT_ORG_ID);
    });

    it("refuses a caller other than governance with NotGovernance and registers nothing", async function () {
      const { registry, agency } = await ledgerFixture();

      await expect(registerOrganization(registry, agency, macaoLab()))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(agency.address);
      expect(await registry.organizationCount()).to.equal(FIXTURE_ORG_COUNT);
    });
  });

  describe("setOrganizationProfile", function () {
    it("replaces name and profile hash, emits OrganizationProfileChanged and leaves the rest untouched", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();
      const before = await registry.organization(orgIds.agency);

      await expect(
        registry
          .connect(governance)
          .setOrganizationProfile(orgIds.agency, "Guangdong Data Bureau", hashOf("profile v2")),
      )
        .to.emit(registry, "OrganizationProfileChanged")
        .withArgs(orgIds.agency, anyValue, "Guangdong Data Bureau", hashOf("profile v2"), anyValue);

      const after = await registry.organization(orgIds.agency);
      expect(after.name).to.equal("Guangdong Data Bureau");
      expect(after.metadataHash).to.equal(hashOf("profile v2"));
      expect([after.jurisdiction, after.roles, after.status, after.operatorCount, after.registeredAt]).to.deep.equal([
        before.jurisdiction,
        before.roles,
        before.status,
        before.operatorCount,
        before.registeredAt,
      ]);
    });

    for (const orgId of [0n, NEXT_ORG_ID, UNKNOWN_ORG_ID]) {
      it(`rejects unknown organisation ${orgId} with UnknownOrganization`, async function () {
        const { registry, governance } = await ledgerFixture();

        await expect(registry.connect(governance).setOrganizationProfile(orgId, "Nobody", hashOf("nobody")))
          .to.be.revertedWithCustomError(registry, "UnknownOrganization")
          .withArgs(orgId);
      });
    }

    it("rejects an empty or too-long name with InvalidName", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).setOrganizationProfile(orgIds.agency, "", hashOf("p")))
        .to.be.revertedWithCustomError(registry, "InvalidName")
        .withArgs(0, MAX_NAME_LENGTH);
      await expect(
        registry
          .connect(governance)
          .setOrganizationProfile(orgIds.agency, "N".repeat(MAX_NAME_LENGTH + 1), hashOf("p")),
      )
        .to.be.revertedWithCustomError(registry, "InvalidName")
        .withArgs(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH);
    });

    it("refuses an operator of the organisation itself with NotGovernance", async function () {
      const { registry, agency, orgIds } = await ledgerFixture();

      await expect(registry.connect(agency).setOrganizationProfile(orgIds.agency, "Self-renamed", hashOf("p")))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(agency.address);
    });
  });

  describe("setOrganizationJurisdiction", function () {
    it("emits OrganizationJurisdictionChanged(orgId, previous, new) and jurisdictionOf follows", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).setOrganizationJurisdiction(orgIds.foreignAgency, jurisdiction("MO")))
        .to.emit(registry, "OrganizationJurisdictionChanged")
        .withArgs(orgIds.foreignAgency, anyValue, jurisdiction("HK"), jurisdiction("MO"), anyValue);
      expect(await registry.jurisdictionOf(orgIds.foreignAgency)).to.equal(jurisdiction("MO"));
    });

    it("rejects an empty jurisdiction with EmptyJurisdiction", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(
        registry.connect(governance).setOrganizationJurisdiction(orgIds.agency, NO_JURISDICTION),
      ).to.be.revertedWithCustomError(registry, "EmptyJurisdiction");
    });

    it("rejects an unknown organisation with UnknownOrganization", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registry.connect(governance).setOrganizationJurisdiction(UNKNOWN_ORG_ID, jurisdiction("HK")))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
    });

    it("refuses a non-governance caller with NotGovernance", async function () {
      const { registry, customs, orgIds } = await ledgerFixture();

      await expect(registry.connect(customs).setOrganizationJurisdiction(orgIds.customs, jurisdiction("HK")))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(customs.address);
    });
  });

  describe("setOrganizationRoles", function () {
    it("emits OrganizationRolesChanged(orgId, previous, new) and the new role is held at once", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();
      const roles = Role.TRADER | Role.INSPECTOR;

      await expect(registry.connect(governance).setOrganizationRoles(orgIds.trader, roles))
        .to.emit(registry, "OrganizationRolesChanged")
        .withArgs(orgIds.trader, anyValue, Role.TRADER, roles, anyValue);
      expect((await registry.organization(orgIds.trader)).roles).to.equal(BigInt(roles));
      expect(await registry.hasOrganizationRole(orgIds.trader, Role.INSPECTOR)).to.equal(true);
    });

    it("a removed role stops the organisation's keys at once (ledger register gets OrganizationLacksRole)", async function () {
      const { registry, ledger, governance, agency, orgIds } = await ledgerFixture();

      await registry.connect(governance).setOrganizationRoles(orgIds.agency, Role.TRADER);

      await expect(ledger.connect(agency).register(registration(hashOf("after-role-change"))))
        .to.be.revertedWithCustomError(ledger, "OrganizationLacksRole")
        .withArgs(orgIds.agency, Role.REGISTRAR);
    });

    it("rejects bits outside Roles.ALL with InvalidRoles", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).setOrganizationRoles(orgIds.agency, Role.ALL + 1))
        .to.be.revertedWithCustomError(registry, "InvalidRoles")
        .withArgs(Role.ALL + 1);
    });

    it("rejects an unknown organisation with UnknownOrganization", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registry.connect(governance).setOrganizationRoles(UNKNOWN_ORG_ID, Role.TRADER))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
    });

    it("refuses an organisation granting itself roles with NotGovernance", async function () {
      const { registry, trader, orgIds } = await ledgerFixture();

      await expect(registry.connect(trader).setOrganizationRoles(orgIds.trader, Role.ALL))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(trader.address);
    });
  });

  describe("suspendOrganization and reinstateOrganization", function () {
    it("suspends: emits OrganizationSuspended, keeps the operators attached, and blocks their ledger writes", async function () {
      const { registry, ledger, governance, agency, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).suspendOrganization(orgIds.agency, hashOf("audit finding")))
        .to.emit(registry, "OrganizationSuspended")
        .withArgs(orgIds.agency, anyValue, hashOf("audit finding"), anyValue);

      expect((await registry.organization(orgIds.agency)).status).to.equal(Status.Suspended);
      expect(await registry.organizationOf(agency.address)).to.equal(orgIds.agency);
      await expect(ledger.connect(agency).register(registration(hashOf("while-suspended"))))
        .to.be.revertedWithCustomError(ledger, "OrganizationNotActive")
        .withArgs(orgIds.agency);
    });

    it("reinstates: emits OrganizationReinstated and the organisation's keys can write again", async function () {
      const { registry, ledger, governance, suspended, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).reinstateOrganization(orgIds.suspended, hashOf("remedied")))
        .to.emit(registry, "OrganizationReinstated")
        .withArgs(orgIds.suspended, anyValue, hashOf("remedied"), anyValue);

      expect((await registry.organization(orgIds.suspended)).status).to.equal(Status.Active);
      const record = registration(hashOf("after-reinstatement"));
      await expect(ledger.connect(suspended).register(record))
        .to.emit(ledger, "RecordRegistered")
        .withArgs(
          record.fingerprint,
          orgIds.suspended,
          suspended.address,
          record.scheme,
          record.dataClass,
          record.metadataHash,
          record.metadataURI,
          [],
          [],
          anyValue,
        );
    });

    it("rejects suspending an already suspended organisation with StatusUnchanged(orgId, Suspended)", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).suspendOrganization(orgIds.suspended, hashOf("again")))
        .to.be.revertedWithCustomError(registry, "StatusUnchanged")
        .withArgs(orgIds.suspended, Status.Suspended);
    });

    it("rejects reinstating an active organisation with StatusUnchanged(orgId, Active)", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).reinstateOrganization(orgIds.agency, hashOf("not suspended")))
        .to.be.revertedWithCustomError(registry, "StatusUnchanged")
        .withArgs(orgIds.agency, Status.Active);
    });

    it("rejects suspending or reinstating an unknown organisation with UnknownOrganization", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registry.connect(governance).suspendOrganization(UNKNOWN_ORG_ID, hashOf("r")))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
      await expect(registry.connect(governance).reinstateOrganization(UNKNOWN_ORG_ID, hashOf("r")))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
    });

    it("refuses a suspended organisation reinstating itself with NotGovernance", async function () {
      const { registry, suspended, orgIds } = await ledgerFixture();

      await expect(registry.connect(suspended).reinstateOrganization(orgIds.suspended, hashOf("self")))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(suspended.address);
    });
  });

  describe("addOperator and removeOperator", function () {
    it("governance adds an operator: OperatorAdded(orgId, account, governance), membership and count follow", async function () {
      const { registry, governance, orgIds } = await ledgerFixture();
      const account = addressOf("new-key");

      await expect(registry.connect(governance).addOperator(orgIds.agency, account))
        .to.emit(registry, "OperatorAdded")
        .withArgs(orgIds.agency, account, governance.address, anyValue);
      expect(await registry.organizationOf(account)).to.equal(orgIds.agency);
      expect((await registry.organization(orgIds.agency)).operatorCount).to.equal(3n);
    });

    it("governance removes an operator: OperatorRemoved(orgId, account, governance), membership and count follow", async function () {
      const { registry, governance, agencyKey2, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).removeOperator(orgIds.agency, agencyKey2.address))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(orgIds.agency, agencyKey2.address, governance.address, anyValue);
      expect(await registry.organizationOf(agencyKey2.address)).to.equal(0n);
      expect((await registry.organization(orgIds.agency)).operatorCount).to.equal(1n);
    });

    it("governance may manage the operators of a suspended organisation", async function () {
      const { registry, governance, suspended, orgIds } = await ledgerFixture();
      const replacement = addressOf("suspended-replacement");

      await expect(registry.connect(governance).addOperator(orgIds.suspended, replacement))
        .to.emit(registry, "OperatorAdded")
        .withArgs(orgIds.suspended, replacement, governance.address, anyValue);
      await expect(registry.connect(governance).removeOperator(orgIds.suspended, suspended.address))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(orgIds.suspended, suspended.address, governance.address, anyValue);
    });

    it("an operator adds a key to its own organisation (self-service), recorded as added by that operator", async function () {
      const { registry, agency, orgIds } = await ledgerFixture();
      const account = addressOf("rotated-key");

      await expect(registry.connect(agency).addOperator(orgIds.agency, account))
        .to.emit(registry, "OperatorAdded")
        .withArgs(orgIds.agency, account, agency.address, anyValue);
      expect(await registry.organizationOf(account)).to.equal(orgIds.agency);
    });

    it("an operator removes another key of its own organisation", async function () {
      const { registry, agency, agencyKey2, orgIds } = await ledgerFixture();

      await expect(registry.connect(agency).removeOperator(orgIds.agency, agencyKey2.address))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(orgIds.agency, agencyKey2.address, agency.address, anyValue);
      expect(await registry.organizationOf(agencyKey2.address)).to.equal(0n);
    });

    it("an operator removes its own key and can then manage nothing (UnauthorizedOperatorManager)", async function () {
      const { registry, agency, orgIds } = await ledgerFixture();

      await expect(registry.connect(agency).removeOperator(orgIds.agency, agency.address))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(orgIds.agency, agency.address, agency.address, anyValue);
      await expect(registry.connect(agency).addOperator(orgIds.agency, agency.address))
        .to.be.revertedWithCustomError(registry, "UnauthorizedOperatorManager")
        .withArgs(agency.address, orgIds.agency);
    });

    it("a removed account may later join another organisation", async function () {
      const { registry, governance, agencyKey2, orgIds } = await ledgerFixture();

      await registry.connect(governance).removeOperator(orgIds.agency, agencyKey2.address);

      await expect(registry.connect(governance).addOperator(orgIds.trader, agencyKey2.address))
        .to.emit(registry, "OperatorAdded")
        .withArgs(orgIds.trader, agencyKey2.address, governance.address, anyValue);
      expect(await registry.organizationOf(agencyKey2.address)).to.equal(orgIds.trader);
    });

    it("refuses an operator of another organisation with UnauthorizedOperatorManager (add and remove)", async function () {
      const { registry, foreignAgency, agencyKey2, orgIds } = await ledgerFixture();

      await expect(registry.connect(foreignAgency).addOperator(orgIds.agency, addressOf("intruder")))
        .to.be.revertedWithCustomError(registry, "UnauthorizedOperatorManager")
        .withArgs(foreignAgency.address, orgIds.agency);
      await expect(registry.connect(foreignAgency).removeOperator(orgIds.agency, agencyKey2.address))
        .to.be.revertedWithCustomError(registry, "UnauthorizedOperatorManager")
        .withArgs(foreignAgency.address, orgIds.agency);
    });

    it("refuses an account of no organisation with UnauthorizedOperatorManager (add and remove)", async function () {
      const { registry, outsider, agencyKey2, orgIds } = await ledgerFixture();

      await expect(registry.connect(outsider).addOperator(orgIds.agency, outsider.address))
        .to.be.revertedWithCustomError(registry, "UnauthorizedOperatorManager")
        .withArgs(outsider.address, orgIds.agency);
      await expect(registry.connect(outsider).removeOperator(orgIds.agency, agencyKey2.address))
        .to.be.revertedWithCustomError(registry, "UnauthorizedOperatorManager")
        .withArgs(outsider.address, orgIds.agency);
    });

    it("refuses an operator of a suspended organisation with OrganizationNotActive (add and remove)", async function () {
      const { registry, suspended, orgIds } = await ledgerFixture();

      await expect(registry.connect(suspended).addOperator(orgIds.suspended, addressOf("escape-key")))
        .to.be.revertedWithCustomError(registry, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
      await expect(registry.connect(suspended).removeOperator(orgIds.suspended, suspended.address))
        .to.be.revertedWithCustomError(registry, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
    });

    it("rejects removing an account that is not an operator of that organisation with NotOperatorOf", async function () {
      const { registry, governance, foreignAgency, outsider, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).removeOperator(orgIds.agency, foreignAgency.address))
        .to.be.revertedWithCustomError(registry, "NotOperatorOf")
        .withArgs(foreignAgency.address, orgIds.agency);
      await expect(registry.connect(governance).removeOperator(orgIds.agency, outsider.address))
        .to.be.revertedWithCustomError(registry, "NotOperatorOf")
        .withArgs(outsider.address, orgIds.agency);
    });

    it("rejects adding the zero address with ZeroAddressOperator", async function () {
      const { registry, agency, orgIds } = await ledgerFixture();

      await expect(
        registry.connect(agency).addOperator(orgIds.agency, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(registry, "ZeroAddressOperator");
    });

    it("rejects adding an account that already operates for an organisation with AccountAlreadyMember", async function () {
      const { registry, governance, agencyKey2, foreignAgency, orgIds } = await ledgerFixture();

      await expect(registry.connect(governance).addOperator(orgIds.agency, foreignAgency.address))
        .to.be.revertedWithCustomError(registry, "AccountAlreadyMember")
        .withArgs(foreignAgency.address, orgIds.foreignAgency);
      await expect(registry.connect(governance).addOperator(orgIds.agency, agencyKey2.address))
        .to.be.revertedWithCustomError(registry, "AccountAlreadyMember")
        .withArgs(agencyKey2.address, orgIds.agency);
    });

    it("rejects an unknown organisation with UnknownOrganization (add and remove)", async function () {
      const { registry, governance, agency } = await ledgerFixture();

      await expect(registry.connect(governance).addOperator(UNKNOWN_ORG_ID, addressOf("k")))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
      await expect(registry.connect(governance).removeOperator(UNKNOWN_ORG_ID, agency.address))
        .to.be.revertedWithCustomError(registry, "UnknownOrganization")
        .withArgs(UNKNOWN_ORG_ID);
    });

    it("key rotation keeps ownership: the new key withdraws the old key's record, the removed key is refused", async function () {
      const { registry, ledger, agency, orgIds } = await ledgerFixture();
      const [newKey] = await spareSigners();
      const fingerprint = hashOf("rotation:dataset");
      await ledger.connect(agency).register(registration(fingerprint));

      await registry.connect(agency).addOperator(orgIds.agency, newKey.address);
      await expect(registry.connect(newKey).removeOperator(orgIds.agency, agency.address))
        .to.emit(registry, "OperatorRemoved")
        .withArgs(orgIds.agency, agency.address, newKey.address, anyValue);

      await expect(ledger.connect(agency).withdraw(fingerprint, hashOf("stale key")))
        .to.be.revertedWithCustomError(ledger, "AccountNotMember")
        .withArgs(agency.address);
      await expect(ledger.connect(newKey).withdraw(fingerprint, hashOf("superseded dataset")))
        .to.emit(ledger, "RecordWithdrawn")
        .withArgs(fingerprint, orgIds.agency, newKey.address, hashOf("superseded dataset"), anyValue);

      const record = await ledger.getRecord(fingerprint);
      expect(record.ownerOrg).to.equal(orgIds.agency);
      expect(record.registrant).to.equal(agency.address);
      expect(record.withdrawn).to.equal(true);
    });
  });

  describe("ledger binding and the ledger-wide chain", function () {
    async function unbound() {
      const [governance, other] = await ethers.getSigners();
      const registry = await ethers.deployContract("OrganizationRegistry", [GOVERNANCE_DELAY, governance.address]);
      const ledger = await ethers.deployContract("ProvenanceLedger", [await registry.getAddress()]);
      return { registry, ledger, governance, other };
    }

    it("refuses every membership change until governance binds the ledger (LedgerNotBound)", async function () {
      const { registry } = await loadFixture(unbound);
      expect(await registry.ledger()).to.equal(ethers.ZeroAddress);
      await expect(
        registerOrganization(registry, (await ethers.getSigners())[0], macaoLab()),
      ).to.be.revertedWithCustomError(registry, "LedgerNotBound");
    });

    it("binds once, by governance, to a ledger of this registry (LedgerBound)", async function () {
      const { registry, ledger, governance, other } = await loadFixture(unbound);
      await expect(registry.connect(other).bindLedger(await ledger.getAddress()))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(other.address);
      await expect(registry.bindLedger(other.address))
        .to.be.revertedWithCustomError(registry, "NotALedger")
        .withArgs(other.address);
      const otherRegistry = await ethers.deployContract("OrganizationRegistry", [0, governance.address]);
      const foreignLedger = await ethers.deployContract("ProvenanceLedger", [await otherRegistry.getAddress()]);
      await expect(registry.bindLedger(await foreignLedger.getAddress()))
        .to.be.revertedWithCustomError(registry, "LedgerOfOtherRegistry")
        .withArgs(await foreignLedger.getAddress(), await otherRegistry.getAddress());
      await expect(registry.bindLedger(await ledger.getAddress()))
        .to.emit(registry, "LedgerBound")
        .withArgs(await ledger.getAddress());
      expect(await registry.ledger()).to.equal(await ledger.getAddress());
      await expect(registry.bindLedger(await ledger.getAddress()))
        .to.be.revertedWithCustomError(registry, "LedgerAlreadyBound")
        .withArgs(await ledger.getAddress());
      await expect(registerOrganization(registry, governance, macaoLab())).to.emit(registry, "OrganizationRegistered");
    });

    it("stamps a change as a standalone entry: recordEntry(0, ...), length 1, the ledger's next sequence", async function () {
      const { registry, ledger, governance, orgIds } = await ledgerFixture();
      const [headBefore, sequenceBefore] = await ledger.ledgerHead();
      const reason = hashOf("audit finding");
      const tx = await registry.connect(governance).suspendOrganization(orgIds.agency, reason);
      const now = await minedAt(tx);
      const payloadHash = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint32", "address", "bytes32"],
          [orgIds.agency, governance.address, reason],
        ),
      );
      const head = recordEntry(
        zeroHash,
        Action.ORGANIZATION_SUSPENDED,
        governance.address as Hex,
        BigInt(now),
        payloadHash as Hex,
      );
      const sequence = sequenceBefore + 1n;
      const ledgerHead = ledgerEntry(headBefore as Hex, sequence, pad(toHex(orgIds.agency), { size: 32 }), head);
      await expect(tx)
        .to.emit(registry, "OrganizationSuspended")
        .withArgs(orgIds.agency, governance.address, reason, [head, 1n, sequence, ledgerHead]);
      expect(await ledger.ledgerHead()).to.deep.equal([ledgerHead, sequence]);
    });

    it("chains every kind of membership change: the events alone replay to ledgerHead()", async function () {
      const { registry, ledger, governance, agency, orgIds } = await ledgerFixture();
      const [headBefore, sequenceBefore] = await ledger.ledgerHead();
      const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
      const spare = addressOf("chain:spare");
      await registerOrganization(registry, governance, macaoLab({ operators: [addressOf("chain:op")] }));
      await registry.setOrganizationProfile(orgIds.agency, "Renamed", hashOf("v2"));
      await registry.setOrganizationJurisdiction(orgIds.agency, jurisdiction("HK"));
      await registry.setOrganizationRoles(orgIds.agency, Role.ALL);
      await registry.connect(agency).addOperator(orgIds.agency, spare);
      await registry.connect(agency).removeOperator(orgIds.agency, spare);
      await registry.suspendOrganization(orgIds.agency, hashOf("s"));
      await registry.reinstateOrganization(orgIds.agency, hashOf("r"));
      const logs = await ethers.provider.getLogs({ address: await registry.getAddress(), fromBlock });
      const entries = [];
      for (const log of logs) {
        const event = decodeEventLog({
          abi: organizationRegistryAbi,
          data: log.data as Hex,
          topics: log.topics as [Hex],
        });
        const block = await ethers.provider.getBlock(log.blockNumber);
        entries.push(trailEntryFromEvent(event as DecodedEvent, BigInt(block!.timestamp)));
      }
      expect(entries.map((entry) => entry.action)).to.deep.equal([
        Action.ORGANIZATION_REGISTERED,
        Action.OPERATOR_ADDED,
        Action.ORGANIZATION_PROFILE_CHANGED,
        Action.JURISDICTION_CHANGED,
        Action.ROLES_CHANGED,
        Action.OPERATOR_ADDED,
        Action.OPERATOR_REMOVED,
        Action.ORGANIZATION_SUSPENDED,
        Action.ORGANIZATION_REINSTATED,
      ]);
      const state = replayTrail(entries, {
        records: new Map(),
        ledgerHead: headBefore as Hex,
        ledgerSequence: sequenceBefore,
      });
      expect(await ledger.ledgerHead()).to.deep.equal([state.ledgerHead, sequenceBefore + 9n]);
    });
  });

  describe("views", function () {
    it("organization returns a fixture organisation as onboarded", async function () {
      const { registry, orgIds } = await ledgerFixture();

      const org = await registry.organization(orgIds.foreignAgency);
      expect(org.name).to.equal("HK Statistics");
      expect(org.metadataHash).to.equal(hashOf("HK Statistics"));
      expect(org.jurisdiction).to.equal(jurisdiction("HK"));
      expect(org.roles).to.equal(BigInt(Role.REGISTRAR));
      expect(org.status).to.equal(Status.Active);
      expect(org.operatorCount).to.equal(1n);
      expect(org.registeredAt).to.be.greaterThan(0n);
    });

    for (const orgId of [0n, NEXT_ORG_ID]) {
      it(`organization(${orgId}) reverts with UnknownOrganization`, async function () {
        const { registry } = await ledgerFixture();

        await expect(registry.organization(orgId))
          .to.be.revertedWithCustomError(registry, "UnknownOrganization")
          .withArgs(orgId);
      });
    }

    it("organizationOf returns the operator's organisation, and 0 for non-members and governance", async function () {
      const { registry, agency, agencyKey2, customs, governance, outsider, orgIds } = await ledgerFixture();

      expect(await registry.organizationOf(agency.address)).to.equal(orgIds.agency);
      expect(await registry.organizationOf(agencyKey2.address)).to.equal(orgIds.agency);
      expect(await registry.organizationOf(customs.address)).to.equal(orgIds.customs);
      expect(await registry.organizationOf(outsider.address)).to.equal(0n);
      expect(await registry.organizationOf(governance.address)).to.equal(0n);
    });

    it("organizationCount counts every organisation ever registered, suspended ones included", async function () {
      const { registry } = await ledgerFixture();

      expect(await registry.organizationCount()).to.equal(FIXTURE_ORG_COUNT);
    });

    it("jurisdictionOf returns the code of a known organisation and zero for an unknown one", async function () {
      const { registry, orgIds } = await ledgerFixture();

      expect(await registry.jurisdictionOf(orgIds.agency)).to.equal(jurisdiction("CN-GD"));
      expect(await registry.jurisdictionOf(orgIds.foreignAgency)).to.equal(jurisdiction("HK"));
      expect(await registry.jurisdictionOf(UNKNOWN_ORG_ID)).to.equal(NO_JURISDICTION);
    });

    it("hasOrganizationRole is true only for an active organisation holding every requested bit", async function () {
      const { registry, orgIds } = await ledgerFixture();

      expect(await registry.hasOrganizationRole(orgIds.agency, Role.REGISTRAR)).to.equal(true);
      expect(await registry.hasOrganizationRole(orgIds.agency, Role.TRADER)).to.equal(false);
      expect(await registry.hasOrganizationRole(orgIds.agency, Role.REGISTRAR | Role.TRADER)).to.equal(false);
      expect(await registry.hasOrganizationRole(UNKNOWN_ORG_ID, Role.REGISTRAR)).to.equal(false);
    });

    it("hasOrganizationRole is false for a suspended organisation, even one holding every role", async function () {
      const { registry, orgIds } = await ledgerFixture();

      expect((await registry.organization(orgIds.suspended)).roles).to.equal(BigInt(Role.ALL));
      for (const role of [Role.REGISTRAR, Role.TRADER, Role.INSPECTOR, Role.CUSTOMS]) {
        expect(await registry.hasOrganizationRole(orgIds.suspended, role)).to.equal(false);
      }
    });

    it("requireRole returns the organisation of a qualified account", async function () {
      const { registry, agencyKey2, inspector, orgIds } = await ledgerFixture();

      expect(await registry.requireRole(agencyKey2.address, Role.REGISTRAR)).to.equal(orgIds.agency);
      expect(await registry.requireRole(inspector.address, Role.INSPECTOR)).to.equal(orgIds.inspector);
    });

    it("requireRole reverts AccountNotMember for an account of no organisation", async function () {
      const { registry, outsider } = await ledgerFixture();

      await expect(registry.requireRole(outsider.address, Role.REGISTRAR))
        .to.be.revertedWithCustomError(registry, "AccountNotMember")
        .withArgs(outsider.address);
    });

    it("requireRole reverts OrganizationNotActive for an operator of a suspended organisation", async function () {
      const { registry, suspended, orgIds } = await ledgerFixture();

      await expect(registry.requireRole(suspended.address, Role.REGISTRAR))
        .to.be.revertedWithCustomError(registry, "OrganizationNotActive")
        .withArgs(orgIds.suspended);
    });

    it("requireRole reverts OrganizationLacksRole when the organisation lacks a requested bit", async function () {
      const { registry, trader, orgIds } = await ledgerFixture();

      await expect(registry.requireRole(trader.address, Role.REGISTRAR))
        .to.be.revertedWithCustomError(registry, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.REGISTRAR);
      await expect(registry.requireRole(trader.address, Role.TRADER | Role.CUSTOMS))
        .to.be.revertedWithCustomError(registry, "OrganizationLacksRole")
        .withArgs(orgIds.trader, Role.TRADER | Role.CUSTOMS);
    });

    it("requireGovernance passes for governance and reverts NotGovernance for anyone else", async function () {
      const { registry, governance, agency, outsider } = await ledgerFixture();

      await expect(registry.requireGovernance(governance.address)).not.to.be.reverted;
      for (const account of [agency.address, outsider.address]) {
        await expect(registry.requireGovernance(account))
          .to.be.revertedWithCustomError(registry, "NotGovernance")
          .withArgs(account);
      }
    });

    it("exposes the name and operator limits", async function () {
      const { registry } = await ledgerFixture();

      expect(await registry.MAX_NAME_LENGTH()).to.equal(BigInt(MAX_NAME_LENGTH));
      expect(await registry.MAX_OPERATORS_PER_CALL()).to.equal(BigInt(MAX_OPERATORS_PER_CALL));
    });
  });

  describe("governance hand-over (AccessControlDefaultAdminRules)", function () {
    /** Governance schedules a hand-over to a fresh account; returns it and the accept schedule. */
    async function beginHandOver(registry: OrganizationRegistry, governance: HardhatEthersSigner) {
      const [nextGovernance] = await spareSigners();
      const begun = await registry.connect(governance).beginDefaultAdminTransfer(nextGovernance.address);
      const schedule = (await minedAt(begun)) + GOVERNANCE_DELAY;
      return { nextGovernance, begun, schedule };
    }

    it("starts with the deploying governance as the sole default admin and the configured delay", async function () {
      const { registry, governance } = await ledgerFixture();

      expect(await registry.defaultAdmin()).to.equal(governance.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governance.address)).to.equal(true);
      expect(await registry.defaultAdminDelay()).to.equal(BigInt(GOVERNANCE_DELAY));
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
    });

    it("beginDefaultAdminTransfer schedules the hand-over GOVERNANCE_DELAY after the call", async function () {
      const { registry, governance } = await ledgerFixture();

      const { nextGovernance, begun, schedule } = await beginHandOver(registry, governance);

      await expect(begun).to.emit(registry, "DefaultAdminTransferScheduled").withArgs(nextGovernance.address, schedule);
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([nextGovernance.address, BigInt(schedule)]);
      expect(await registry.defaultAdmin()).to.equal(governance.address);
    });

    it("the new account cannot accept before the delay has passed, not even at the schedule instant", async function () {
      const { registry, governance } = await ledgerFixture();
      const { nextGovernance, schedule } = await beginHandOver(registry, governance);

      await expect(registry.connect(nextGovernance).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.setNextBlockTimestamp(schedule);
      await expect(registry.connect(nextGovernance).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
    });

    it("only the pending account can accept (AccessControlInvalidDefaultAdmin)", async function () {
      const { registry, governance, outsider } = await ledgerFixture();
      const { schedule } = await beginHandOver(registry, governance);
      await time.increaseTo(schedule);

      await expect(registry.connect(outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(outsider.address);
    });

    it("the new account accepts after the delay and takes governance over from the old one", async function () {
      const { registry, governance } = await ledgerFixture();
      const { nextGovernance, schedule } = await beginHandOver(registry, governance);
      await time.increaseTo(schedule);

      await expect(registry.connect(nextGovernance).acceptDefaultAdminTransfer())
        .to.emit(registry, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, governance.address, nextGovernance.address)
        .and.to.emit(registry, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, nextGovernance.address, nextGovernance.address);
      expect(await registry.defaultAdmin()).to.equal(nextGovernance.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governance.address)).to.equal(false);
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
    });

    it("after the hand-over the old governance gets NotGovernance and the new one registers organisations", async function () {
      const { registry, ledger, governance } = await ledgerFixture();
      const { nextGovernance, schedule } = await beginHandOver(registry, governance);
      await time.increaseTo(schedule);
      await registry.connect(nextGovernance).acceptDefaultAdminTransfer();

      await expect(registerOrganization(registry, governance, macaoLab()))
        .to.be.revertedWithCustomError(registry, "NotGovernance")
        .withArgs(governance.address);
      await expect(registerOrganization(registry, nextGovernance, macaoLab()))
        .to.emit(registry, "OrganizationRegistered")
        .withArgs(NEXT_ORG_ID, anyValue, anyValue, anyValue, anyValue, anyValue, anyValue);
      // The ledger asks the registry, so its governance moves along.
      await expect(ledger.connect(governance).setRightsModule(addressOf("rights-module")))
        .to.be.revertedWithCustomError(ledger, "NotGovernance")
        .withArgs(governance.address);
      await expect(ledger.connect(nextGovernance).setRightsModule(addressOf("rights-module")))
        .to.emit(ledger, "RightsModuleSet")
        .withArgs(addressOf("rights-module"));
    });

    it("cancelDefaultAdminTransfer withdraws a pending hand-over: it can no longer be accepted", async function () {
      const { registry, governance } = await ledgerFixture();
      const { nextGovernance, schedule } = await beginHandOver(registry, governance);

      await expect(registry.connect(governance).cancelDefaultAdminTransfer()).to.emit(
        registry,
        "DefaultAdminTransferCanceled",
      );
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);

      await time.increaseTo(schedule);
      await expect(registry.connect(nextGovernance).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(nextGovernance.address);
      expect(await registry.defaultAdmin()).to.equal(governance.address);
    });

    it("only governance begins or cancels a hand-over (AccessControlUnauthorizedAccount)", async function () {
      const { registry, governance, agency } = await ledgerFixture();
      await beginHandOver(registry, governance);

      await expect(registry.connect(agency).beginDefaultAdminTransfer(agency.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(agency.address, DEFAULT_ADMIN_ROLE);
      await expect(registry.connect(agency).cancelDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(agency.address, DEFAULT_ADMIN_ROLE);
    });

    it("grantRole(DEFAULT_ADMIN_ROLE) is refused, even to governance (AccessControlEnforcedDefaultAdminRules)", async function () {
      const { registry, governance, outsider } = await ledgerFixture();

      await expect(
        registry.connect(governance).grantRole(DEFAULT_ADMIN_ROLE, outsider.address),
      ).to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules");
      await expect(
        registry.connect(governance).revokeRole(DEFAULT_ADMIN_ROLE, governance.address),
      ).to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules");
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.equal(false);
    });

    it("governance cannot renounce without first scheduling a hand-over to nobody", async function () {
      const { registry, governance } = await ledgerFixture();

      await expect(registry.connect(governance).renounceRole(DEFAULT_ADMIN_ROLE, governance.address))
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(0);
    });
  });
});
