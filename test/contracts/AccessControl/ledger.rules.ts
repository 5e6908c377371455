/**
 * ProvenanceLedger's rows of the access-control matrix: its own functions on `ledgerFixture`, and the hooks it offers
 * its rights module on `rightsFixture`.
 */

import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { zeroPadValue, toBeHex, type ContractTransactionResponse, type Signer } from "ethers";
import type { ProvenanceLedger } from "../../../typechain-types";
import {
  Action,
  DataClass,
  Role,
  hashOf,
  registration,
  type LedgerWithRights,
  type Registration,
} from "../../helpers/fixtures";
import { signBatch, signRegistration, type Envelope } from "../../helpers/signing";
import {
  CALLER_KINDS,
  FOREIGN_REGISTRAR_ORG,
  LEDGER_FIXTURE,
  MATRIX_FINGERPRINT,
  REGISTRAR_ORG,
  RIGHTS_FIXTURE,
  TRADER_ORG,
  addressOf,
  neverAllowed,
  neverRefused,
  refusedUnlessGovernance,
  refusedUnlessMemberWithRole,
  refusedUnlessRecordOwner,
  registerMatrixRecord,
  rowsOn,
  type AccessRule,
  type MatrixRow,
  type Outcome,
  type Tx,
} from "./matrix";

// =============================================================================================================
// EIP-712 signed submissions
// =============================================================================================================

/** What `anchorBatch` takes besides the caller. */
interface Batch {
  root: string;
  leafCount: bigint;
  metadataHash: string;
  metadataURI: string;
}

function anchorBatch(ledger: ProvenanceLedger, caller: Signer, batch: Batch): Promise<ContractTransactionResponse> {
  return ledger.connect(caller).anchorBatch(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI);
}

export function anchorBatchBySig(
  ledger: ProvenanceLedger,
  relayer: Signer,
  batch: Batch,
  envelope: Envelope,
): Promise<ContractTransactionResponse> {
  return ledger
    .connect(relayer)
    .anchorBatchBySig(batch.root, batch.leafCount, batch.metadataHash, batch.metadataURI, envelope);
}

export const MATRIX_BATCH: Batch = {
  root: hashOf("matrix:batch-root"),
  leafCount: 128n,
  metadataHash: hashOf("matrix:batch-manifest"),
  metadataURI: "ipfs://bafy-matrix-batch-manifest",
};

/** `RecordRegistered` for `record` (no parents), owned by `orgId` and registered by `registrant`. */
export async function expectRegistered(
  ledger: ProvenanceLedger,
  tx: Tx,
  record: Registration,
  orgId: bigint,
  registrant: string,
): Promise<void> {
  await expect(tx)
    .to.emit(ledger, "RecordRegistered")
    .withArgs(
      record.fingerprint,
      orgId,
      registrant,
      record.scheme,
      record.dataClass,
      record.metadataHash,
      record.metadataURI,
      [],
      [],
      anyValue,
    );
}

/** `BatchAnchored` for `batch`, anchored for `orgId` by `registrant`. */
async function expectBatchAnchored(
  ledger: ProvenanceLedger,
  tx: Tx,
  batch: Batch,
  orgId: bigint,
  registrant: string,
): Promise<void> {
  await expect(tx)
    .to.emit(ledger, "BatchAnchored")
    .withArgs(batch.root, orgId, registrant, batch.leafCount, batch.metadataHash, batch.metadataURI, anyValue);
}

const LEDGER_RULES: AccessRule[] = [
  {
    contract: "ProvenanceLedger",
    name: "register",
    scenario: "register a dataset",
    allowed: ["registrar"],
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).register(registration(MATRIX_FINGERPRINT)),
    expectAllowed: (ctx, caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "registerBySig",
    scenario: "the caller signs a registration, an outsider relays it",
    allowed: ["registrar"],
    call: async (ctx, caller) => {
      const record = registration(MATRIX_FINGERPRINT);
      const envelope = await signRegistration(ctx.ledger, caller.signer, record);
      return ctx.ledger.connect(ctx.outsider).registerBySig(record, envelope);
    },
    expectAllowed: (ctx, caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "registerBySig",
    scenario: "the registrar signs a registration, the caller relays it",
    allowed: CALLER_KINDS,
    call: async (ctx, caller) => {
      const record = registration(MATRIX_FINGERPRINT);
      const envelope = await signRegistration(ctx.ledger, ctx.agency, record);
      return ctx.ledger.connect(caller.signer).registerBySig(record, envelope);
    },
    expectAllowed: (ctx, _caller, tx) =>
      expectRegistered(ctx.ledger, tx, registration(MATRIX_FINGERPRINT), REGISTRAR_ORG, ctx.agency.address),
    expectDenied: neverRefused,
  },
  {
    contract: "ProvenanceLedger",
    name: "withdraw",
    scenario: "withdraw a record of the registrar's organisation",
    allowed: ["registrar"],
    arrange: (ctx) => ctx.ledger.connect(ctx.agencyKey2).register(registration(MATRIX_FINGERPRINT)),
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).withdraw(MATRIX_FINGERPRINT, hashOf("withdrawal reason")),
    expectAllowed: async (ctx, caller, tx) => {
      await expect(tx)
        .to.emit(ctx.ledger, "RecordWithdrawn")
        .withArgs(MATRIX_FINGERPRINT, REGISTRAR_ORG, caller.address, hashOf("withdrawal reason"), anyValue);
    },
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "withdraw",
    scenario: "withdraw a record of another registrar organisation",
    allowed: [],
    arrange: (ctx) => ctx.ledger.connect(ctx.foreignAgency).register(registration(MATRIX_FINGERPRINT)),
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).withdraw(MATRIX_FINGERPRINT, hashOf("withdrawal reason")),
    expectAllowed: neverAllowed,
    expectDenied: refusedUnlessRecordOwner(
      "ProvenanceLedger",
      Role.REGISTRAR,
      MATRIX_FINGERPRINT,
      FOREIGN_REGISTRAR_ORG,
    ),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatch",
    scenario: "anchor a batch root",
    allowed: ["registrar"],
    call: (ctx, caller) => anchorBatch(ctx.ledger, caller.signer, MATRIX_BATCH),
    expectAllowed: (ctx, caller, tx) => expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatchBySig",
    scenario: "the caller signs a batch anchor, an outsider relays it",
    allowed: ["registrar"],
    call: async (ctx, caller) => {
      const envelope = await signBatch(ctx.ledger, caller.signer, MATRIX_BATCH);
      return anchorBatchBySig(ctx.ledger, ctx.outsider, MATRIX_BATCH, envelope);
    },
    expectAllowed: (ctx, caller, tx) => expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, caller.orgId, caller.address),
    expectDenied: refusedUnlessMemberWithRole("ProvenanceLedger", Role.REGISTRAR),
  },
  {
    contract: "ProvenanceLedger",
    name: "anchorBatchBySig",
    scenario: "the registrar signs a batch anchor, the caller relays it",
    allowed: CALLER_KINDS,
    call: async (ctx, caller) => {
      const envelope = await signBatch(ctx.ledger, ctx.agency, MATRIX_BATCH);
      return anchorBatchBySig(ctx.ledger, caller.signer, MATRIX_BATCH, envelope);
    },
    expectAllowed: (ctx, _caller, tx) =>
      expectBatchAnchored(ctx.ledger, tx, MATRIX_BATCH, REGISTRAR_ORG, ctx.agency.address),
    expectDenied: neverRefused,
  },
  {
    contract: "ProvenanceLedger",
    name: "setRightsModule",
    scenario: "attach the rights module",
    allowed: ["governance"],
    call: (ctx, caller) => ctx.ledger.connect(caller.signer).setRightsModule(addressOf("rights-module")),
    expectAllowed: async (ctx, _caller, tx) => {
      await expect(tx).to.emit(ctx.ledger, "RightsModuleSet").withArgs(addressOf("rights-module"));
    },
    expectDenied: refusedUnlessGovernance("ProvenanceLedger"),
  },
];

// =============================================================================================================
// The ledger's rights-module hooks (on `rightsFixture`)
// =============================================================================================================

const HOOK_PAYLOAD = hashOf("matrix:hook-payload");

/** The ledger's hooks refuse every caller but the attached rights module with `NotRightsModule(caller)`. */
const refusedUnlessRightsModule: Outcome = async (ctx, caller, tx) => {
  await expect(tx).to.be.revertedWithCustomError(ctx.ledger, "NotRightsModule").withArgs(caller.address);
};

/** A ledger hook for its rights module, tried on the matrix record. */
interface RightsHook {
  name: "appendRightsEntry" | "transferRecord" | "setFrozen";
  /** What the call asks of the ledger, for the test titles. */
  what: string;
  /** Sends the call from `from`, naming the inspector as the acting account. */
  send: (ctx: LedgerWithRights, from: Signer) => Tx;
  /** Checks the record's status after the rights module made the call (the trail is checked for every hook). */
  expectDone: (ctx: LedgerWithRights) => Promise<void>;
}

export const RIGHTS_HOOKS: readonly RightsHook[] = [
  {
    name: "appendRightsEntry",
    what: "append a finding to the trail of a record of the registrar's organisation",
    send: (ctx, from) =>
      ctx.ledger
        .connect(from)
        .appendRightsEntry(MATRIX_FINGERPRINT, Action.FINDING_ATTACHED, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect(await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).to.deep.equal([
        REGISTRAR_ORG,
        BigInt(DataClass.INTERNAL),
        false,
        false,
      ]);
    },
  },
  {
    name: "transferRecord",
    what: "move a record of the registrar's organisation to the trader's",
    send: (ctx, from) =>
      ctx.ledger.connect(from).transferRecord(MATRIX_FINGERPRINT, TRADER_ORG, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).ownerOrg).to.equal(TRADER_ORG);
    },
  },
  {
    name: "setFrozen",
    what: "freeze a record of the registrar's organisation",
    send: (ctx, from) =>
      ctx.ledger.connect(from).setFrozen(MATRIX_FINGERPRINT, true, ctx.inspector.address, HOOK_PAYLOAD),
    expectDone: async (ctx) => {
      expect((await ctx.ledger.recordStatus(MATRIX_FINGERPRINT)).frozen).to.equal(true);
    },
  },
];

/** Every caller kind, governance included, calls a hook directly; the rights module's own call is in ledger.test.ts. */
const RIGHTS_HOOK_RULES: AccessRule<LedgerWithRights>[] = RIGHTS_HOOKS.map((hook) => ({
  contract: "ProvenanceLedger",
  name: hook.name,
  scenario: `${hook.what}, calling the ledger directly rather than through the attached rights module`,
  allowed: [],
  arrange: (ctx) => registerMatrixRecord(ctx, ctx.agencyKey2),
  call: (ctx, caller) => hook.send(ctx, caller.signer),
  expectAllowed: neverAllowed,
  expectDenied: refusedUnlessRightsModule,
}));

/** Only the registry and the attached rights module may chain governance entries: every account is refused. */
const GOVERNANCE_ENTRY_RULES: AccessRule<LedgerWithRights>[] = [
  {
    contract: "ProvenanceLedger",
    name: "appendGovernanceEntry",
    scenario: "chain a governance entry, calling the ledger directly rather than through the registry or the module",
    allowed: [],
    call: (ctx, caller) =>
      ctx.ledger
        .connect(caller.signer)
        .appendGovernanceEntry(
          zeroPadValue(toBeHex(REGISTRAR_ORG), 32),
          Action.ORGANIZATION_SUSPENDED,
          caller.address,
          HOOK_PAYLOAD,
        ),
    expectAllowed: neverAllowed,
    expectDenied: async (ctx, caller, tx) => {
      await expect(tx).to.be.revertedWithCustomError(ctx.ledger, "NotGovernanceSource").withArgs(caller.address);
    },
  },
];

export const LEDGER_ROWS: readonly MatrixRow[] = [
  ...rowsOn(LEDGER_FIXTURE, LEDGER_RULES),
  ...rowsOn(RIGHTS_FIXTURE, GOVERNANCE_ENTRY_RULES),
  ...rowsOn(RIGHTS_FIXTURE, RIGHTS_HOOK_RULES),
];
