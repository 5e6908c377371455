/**
 * The actions of the ledger (records, batches, signed submissions), bound as client methods:
 * `core.extend(ledgerActions)`.
 */
import { register, type RegisterParameters, type RegisterReturnType } from "../../actions/ledger/register";
import {
  registerBySig,
  type RegisterBySigParameters,
  type RegisterBySigReturnType,
} from "../../actions/ledger/registerBySig";
import { withdraw, type WithdrawParameters, type WithdrawReturnType } from "../../actions/ledger/withdraw";
import { anchorBatch, type AnchorBatchParameters, type AnchorBatchReturnType } from "../../actions/ledger/anchorBatch";
import {
  anchorBatchBySig,
  type AnchorBatchBySigParameters,
  type AnchorBatchBySigReturnType,
} from "../../actions/ledger/anchorBatchBySig";
import {
  setRightsModule,
  type SetRightsModuleParameters,
  type SetRightsModuleReturnType,
} from "../../actions/ledger/setRightsModule";
import {
  signRegistration,
  type SignRegistrationParameters,
  type SignRegistrationReturnType,
} from "../../actions/ledger/signRegistration";
import { signBatch, type SignBatchParameters, type SignBatchReturnType } from "../../actions/ledger/signBatch";
import { exists, type ExistsParameters, type ExistsReturnType } from "../../actions/ledger/exists";
import { getRecord, type GetRecordParameters, type GetRecordReturnType } from "../../actions/ledger/getRecord";
import {
  recordStatus,
  type RecordStatusParameters,
  type RecordStatusReturnType,
} from "../../actions/ledger/recordStatus";
import { getParents, type GetParentsParameters, type GetParentsReturnType } from "../../actions/ledger/getParents";
import { trailHead, type TrailHeadParameters, type TrailHeadReturnType } from "../../actions/ledger/trailHead";
import { ledgerHead, type LedgerHeadParameters, type LedgerHeadReturnType } from "../../actions/ledger/ledgerHead";
import {
  latestVersion,
  type LatestVersionParameters,
  type LatestVersionReturnType,
} from "../../actions/ledger/latestVersion";
import { getBatch, type GetBatchParameters, type GetBatchReturnType } from "../../actions/ledger/getBatch";
import {
  verifyBatchInclusion,
  type VerifyBatchInclusionParameters,
  type VerifyBatchInclusionReturnType,
} from "../../actions/ledger/verifyBatchInclusion";
import { nonces, type NoncesParameters, type NoncesReturnType } from "../../actions/ledger/nonces";
import {
  domainSeparator,
  type DomainSeparatorParameters,
  type DomainSeparatorReturnType,
} from "../../actions/ledger/domainSeparator";
import {
  rightsModule,
  type RightsModuleParameters,
  type RightsModuleReturnType,
} from "../../actions/ledger/rightsModule";
import type { ProvledgerCoreClient } from "../types";

export interface LedgerActions {
  /** Registers a dataset owned by the acting organisation (registrar role). */
  register(parameters: RegisterParameters): Promise<RegisterReturnType>;
  /** Relays a registration signed by `envelope.signer` (anyone may relay; the signer is the registrant). */
  registerBySig(parameters: RegisterBySigParameters): Promise<RegisterBySigReturnType>;
  /** Withdraws a record of the acting organisation (registrar role); it stays readable, marked withdrawn. */
  withdraw(parameters: WithdrawParameters): Promise<WithdrawReturnType>;
  /** Anchors a batch's Merkle root (registrar role). */
  anchorBatch(parameters: AnchorBatchParameters): Promise<AnchorBatchReturnType>;
  /** Relays a batch anchor signed by `envelope.signer` (anyone may relay; the signer is the registrant). */
  anchorBatchBySig(parameters: AnchorBatchBySigParameters): Promise<AnchorBatchBySigReturnType>;
  /** Attaches the rights module, once (governance). */
  setRightsModule(parameters: SetRightsModuleParameters): Promise<SetRightsModuleReturnType>;
  /**
   * Signs a registration with EIP-712 for someone else to relay (`registerBySig`), with the client's wallet or
   * `account`; the chain id, the signer's nonce and a deadline an hour ahead are read from the chain. Nothing is sent.
   */
  signRegistration(parameters: SignRegistrationParameters): Promise<SignRegistrationReturnType>;
  /** Signs a batch anchor with EIP-712 for someone else to relay (`anchorBatchBySig`); as `signRegistration`. */
  signBatch(parameters: SignBatchParameters): Promise<SignBatchReturnType>;
  /** Whether a fingerprint is registered. */
  exists(parameters: ExistsParameters): Promise<ExistsReturnType>;
  /** A record: owner, registrant, class, flags, metadata hash, registration time and block, trail and versions. */
  getRecord(parameters: GetRecordParameters): Promise<GetRecordReturnType>;
  /** What the rights module checks of a record: its owner, class and flags. */
  recordStatus(parameters: RecordStatusParameters): Promise<RecordStatusReturnType>;
  /** A record's parents and, for each, the grant its derivation relied on (0 for the owner's own data). */
  getParents(parameters: GetParentsParameters): Promise<GetParentsReturnType>;
  /** The head and length of a record's audit trail. */
  trailHead(parameters: TrailHeadParameters): Promise<TrailHeadReturnType>;
  /** The ledger-wide head and sequence, in the shape `verifyCompleteTrail` takes as its checkpoint. */
  ledgerHead(parameters?: LedgerHeadParameters): Promise<LedgerHeadReturnType>;
  /** The latest version of a record, following its revisions. */
  latestVersion(parameters: LatestVersionParameters): Promise<LatestVersionReturnType>;
  /** An anchored batch: its organisation, registrant, size, metadata hash and when it was anchored. */
  getBatch(parameters: GetBatchParameters): Promise<GetBatchReturnType>;
  /** Whether `proof` (a StandardMerkleTree proof) places fingerprint `leaf` under the anchored `root`. */
  verifyBatchInclusion(parameters: VerifyBatchInclusionParameters): Promise<VerifyBatchInclusionReturnType>;
  /** The next nonce `signer` must sign. */
  nonces(parameters: NoncesParameters): Promise<NoncesReturnType>;
  /** The ledger's EIP-712 domain separator (what `registrationTypedData`'s domain hashes to). */
  domainSeparator(parameters?: DomainSeparatorParameters): Promise<DomainSeparatorReturnType>;
  /** The rights module the ledger trusts (zero until governance sets it). */
  rightsModule(parameters?: RightsModuleParameters): Promise<RightsModuleReturnType>;
}

export function ledgerActions(client: ProvledgerCoreClient): LedgerActions {
  return {
    register: (parameters) => register(client, parameters),
    registerBySig: (parameters) => registerBySig(client, parameters),
    withdraw: (parameters) => withdraw(client, parameters),
    anchorBatch: (parameters) => anchorBatch(client, parameters),
    anchorBatchBySig: (parameters) => anchorBatchBySig(client, parameters),
    setRightsModule: (parameters) => setRightsModule(client, parameters),
    signRegistration: (parameters) => signRegistration(client, parameters),
    signBatch: (parameters) => signBatch(client, parameters),
    exists: (parameters) => exists(client, parameters),
    getRecord: (parameters) => getRecord(client, parameters),
    recordStatus: (parameters) => recordStatus(client, parameters),
    getParents: (parameters) => getParents(client, parameters),
    trailHead: (parameters) => trailHead(client, parameters),
    ledgerHead: (parameters) => ledgerHead(client, parameters),
    latestVersion: (parameters) => latestVersion(client, parameters),
    getBatch: (parameters) => getBatch(client, parameters),
    verifyBatchInclusion: (parameters) => verifyBatchInclusion(client, parameters),
    nonces: (parameters) => nonces(client, parameters),
    domainSeparator: (parameters) => domainSeparator(client, parameters),
    rightsModule: (parameters) => rightsModule(client, parameters),
  };
}
