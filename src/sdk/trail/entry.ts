import {
  encodeAbiParameters,
  keccak256,
  numberToHex,
  type Abi,
  type Address,
  type ContractEventName,
  type Hex,
} from "viem";
import { trailEventsAbi } from "../abi";
import { Action } from "../constants/codes";
import { TrailEventError } from "../errors/trail";
import { eventAbi, payloadHashOf } from "./payload";
import type { DecodedEvent, TrailEntry, TrailStamp } from "./types";

/**
 * Trail action code of each event that appends a trail entry, as in contracts/libraries/Codes.sol (TrailActions).
 * The entry's subject is the event's first parameter (a fingerprint, or a batch root; for governance entries the
 * organisation id or the data class, as a bytes32 word); its actor is the parameter named `actor` (`registrant` for
 * registrations and batches, `by` for operator changes).
 */
export const TRAIL_ACTIONS = {
  RecordRegistered: Action.REGISTERED,
  RecordSuperseded: Action.SUPERSEDED,
  RecordWithdrawn: Action.WITHDRAWN,
  BatchAnchored: Action.BATCH_ANCHORED,
  GrantIssued: Action.GRANT_ISSUED,
  GrantRevoked: Action.GRANT_REVOKED,
  GrantDecided: Action.GRANT_DECIDED,
  TransferOffered: Action.TRANSFER_OFFERED,
  TransferCancelled: Action.TRANSFER_CANCELLED,
  TransferAccepted: Action.TRANSFER_ACCEPTED,
  TransferDecided: Action.TRANSFER_DECIDED,
  OwnershipTransferred: Action.OWNERSHIP_TRANSFERRED,
  DeliveryReported: Action.DELIVERY_REPORTED,
  FindingAttached: Action.FINDING_ATTACHED,
  RecordFrozen: Action.FROZEN,
  RecordUnfrozen: Action.UNFROZEN,
  OrganizationRegistered: Action.ORGANIZATION_REGISTERED,
  OrganizationProfileChanged: Action.ORGANIZATION_PROFILE_CHANGED,
  OrganizationJurisdictionChanged: Action.JURISDICTION_CHANGED,
  OrganizationRolesChanged: Action.ROLES_CHANGED,
  OrganizationSuspended: Action.ORGANIZATION_SUSPENDED,
  OrganizationReinstated: Action.ORGANIZATION_REINSTATED,
  OperatorAdded: Action.OPERATOR_ADDED,
  OperatorRemoved: Action.OPERATOR_REMOVED,
  ClassRuleChanged: Action.CLASS_RULE_CHANGED,
} as const satisfies Partial<Record<ContractEventName<typeof trailEventsAbi>, number>>;
export type TrailEventName = keyof typeof TRAIL_ACTIONS;

/**
 * Events whose one-entry trail is not stored on chain: it always starts from zero. Batches, and every governance
 * entry (the registry's membership changes and the rights module's class rules).
 */
export const STANDALONE_EVENTS: ReadonlySet<TrailEventName> = new Set<TrailEventName>([
  "BatchAnchored",
  "OrganizationRegistered",
  "OrganizationProfileChanged",
  "OrganizationJurisdictionChanged",
  "OrganizationRolesChanged",
  "OrganizationSuspended",
  "OrganizationReinstated",
  "OperatorAdded",
  "OperatorRemoved",
  "ClassRuleChanged",
]);

/**
 * The bytes32 subject of an entry from its event's first parameter: fingerprints and roots as they are, an
 * organisation id or a data class as the word `bytes32(uint256(value))`.
 */
export function trailSubject(value: unknown): Hex {
  if (typeof value === "number" || typeof value === "bigint") return numberToHex(value, { size: 32 });
  return value as Hex;
}

/** Whether `eventName` appends a trail entry. */
export function isTrailEvent(eventName: string | undefined): eventName is TrailEventName {
  return eventName !== undefined && Object.hasOwn(TRAIL_ACTIONS, eventName);
}

/** head' = keccak256(abi.encode(bytes32 head, uint8 action, address actor, uint64 time, bytes32 payloadHash)) */
export function recordEntry(previousHead: Hex, action: number, actor: Address, time: bigint, payloadHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "address" }, { type: "uint64" }, { type: "bytes32" }],
      [previousHead, action, actor, time, payloadHash],
    ),
  );
}

/** ledgerHead' = keccak256(abi.encode(bytes32 ledgerHead, uint64 sequence, bytes32 subject, bytes32 recordHead)) */
export function ledgerEntry(previousHead: Hex, sequence: bigint, subject: Hex, recordHead: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }, { type: "bytes32" }],
      [previousHead, sequence, subject, recordHead],
    ),
  );
}

/** The trail entry a trail event stands for, its payload hash recomputed from the event's own parameters. */
export function trailEntryFromEvent(event: DecodedEvent, time: bigint, abi: Abi = trailEventsAbi): TrailEntry {
  const { eventName, args } = event;
  if (!isTrailEvent(eventName)) {
    throw new TrailEventError(
      "NotATrailEvent",
      eventName,
      `${eventName} does not append a trail entry; pass only the events isTrailEvent accepts`,
    );
  }
  const inputs = eventAbi(abi, eventName).inputs;
  const actor = (args.actor ?? args.registrant ?? args.by) as Address | undefined;
  if (actor === undefined) {
    throw new TrailEventError(
      "NoActor",
      eventName,
      `${eventName} has no actor parameter in the ABI given; replay with the contracts' ABI (trailEventsAbi)`,
    );
  }
  return {
    subject: trailSubject(args[inputs[0].name!]),
    action: TRAIL_ACTIONS[eventName],
    actor,
    time,
    payloadHash: payloadHashOf(event, abi),
    stamp: args.stamp as TrailStamp,
    standalone: STANDALONE_EVENTS.has(eventName) || undefined,
  };
}
