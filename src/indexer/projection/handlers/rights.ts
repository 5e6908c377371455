/** DataRights: class rules, grants, transfers with customs decisions, deliveries, findings and freezes. */
import { pad, type Hex } from "viem";
import { GrantStatus, OfferStatus, type dataRightsAbi } from "../../../sdk";
import type { GrantRow, OfferRow } from "../state";
import type { ProjectionStore } from "../store";
import { requireGrant, requireOffer, requireRecord, updateRecord, type HandlersOf } from "./common";

/** No jurisdiction (bytes8 zero): an offer's until an accepted transfer needs customs. */
const noJurisdiction = pad("0x", { size: 8 });

function updateGrant(
  store: ProjectionStore,
  event: { eventName: string; args: { fingerprint: Hex; granteeOrg: number } },
  changes: Partial<GrantRow>,
): void {
  const { fingerprint, granteeOrg } = event.args;
  const current = requireGrant(store, fingerprint, granteeOrg, event.eventName);
  store.put("grants", [fingerprint, granteeOrg], { ...current, ...changes });
}

function updateOffer(
  store: ProjectionStore,
  event: { eventName: string; args: { offerId: bigint } },
  changes: (current: OfferRow) => Partial<OfferRow>,
): void {
  const current = requireOffer(store, event.args.offerId, event.eventName);
  store.put("offers", current.offerId, { ...current, ...changes(current) });
}

export const rightsHandlers: HandlersOf<typeof dataRightsAbi> = {
  ClassRuleChanged: (store, { args }) => store.put("classRules", args.dataClass, args.rule),

  GrantIssued: (store, event, time) => {
    const { args } = event;
    // The record first: a grant of a record the projection never saw is an error, not a new grant.
    requireRecord(store, args.fingerprint, event.eventName);
    store.put("grants", [args.fingerprint, args.granteeOrg], {
      grantId: args.grantId,
      fingerprint: args.fingerprint,
      granteeOrg: args.granteeOrg,
      grantorOrg: args.grantorOrg,
      scopes: args.scopes,
      status: args.status,
      expiresAt: BigInt(args.expiresAt),
      issuedAt: time,
      exportJurisdiction: args.exportJurisdiction,
      purposeHash: args.purposeHash,
    });
    updateRecord(store, event);
  },
  GrantRevoked: (store, event) => {
    updateGrant(store, event, { status: GrantStatus.REVOKED });
    updateRecord(store, event);
  },
  GrantDecided: (store, event) => {
    updateGrant(store, event, { status: event.args.approved ? GrantStatus.ACTIVE : GrantStatus.REJECTED });
    updateRecord(store, event);
  },

  TransferOffered: (store, event, time) => {
    const { args } = event;
    requireRecord(store, args.fingerprint, event.eventName);
    store.put("offers", args.offerId, {
      offerId: args.offerId,
      fingerprint: args.fingerprint,
      fromOrg: args.fromOrg,
      toOrg: args.toOrg,
      status: OfferStatus.OPEN,
      offeredAt: time,
      expiresAt: BigInt(args.expiresAt),
      exportJurisdiction: noJurisdiction,
      termsHash: args.termsHash,
      acceptedAt: 0n,
      deliveryReports: [],
    });
    updateRecord(store, event);
  },
  TransferCancelled: (store, event) => {
    updateOffer(store, event, () => ({ status: OfferStatus.CANCELLED }));
    updateRecord(store, event);
  },
  TransferAccepted: (store, event, time) => {
    const { awaitingCustoms, exportJurisdiction } = event.args;
    updateOffer(store, event, () => ({
      status: awaitingCustoms ? OfferStatus.AWAITING_CUSTOMS : OfferStatus.COMPLETED,
      exportJurisdiction,
      acceptedAt: time,
    }));
    updateRecord(store, event);
  },
  TransferDecided: (store, event) => {
    updateOffer(store, event, () => ({ status: event.args.approved ? OfferStatus.COMPLETED : OfferStatus.REJECTED }));
    updateRecord(store, event);
  },
  OwnershipTransferred: (store, event) => updateRecord(store, event, { ownerOrg: event.args.toOrg }),
  DeliveryReported: (store, event) => {
    const { receivedFingerprint, matches } = event.args;
    updateOffer(store, event, (current) => ({
      deliveryReports: [...current.deliveryReports, { receivedFingerprint, matches }],
      ...(matches ? { status: OfferStatus.DELIVERED } : {}),
    }));
    updateRecord(store, event);
  },

  FindingAttached: (store, event) => {
    const current = requireRecord(store, event.args.fingerprint, event.eventName);
    updateRecord(store, event, { findings: [...current.findings, event.args.findingHash] });
  },
  RecordFrozen: (store, event) => updateRecord(store, event, { frozen: true }),
  RecordUnfrozen: (store, event) => updateRecord(store, event, { frozen: false }),
};
