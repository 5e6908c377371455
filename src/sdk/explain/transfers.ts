import { decodeJurisdiction } from "../utils/jurisdiction";
import { customsDecision, organization, type Reader, type RecordFacts } from "./read";
import type { TransferInfo } from "./types";
import { lowerHex } from "../utils/hex";

/** The record's transfers (offers), in the order offered, with acceptance, customs, ownership and deliveries. */
export async function transfersOf(reader: Reader, record: RecordFacts): Promise<TransferInfo[]> {
  const offers = new Map<bigint, TransferInfo>();
  for (const logged of record.rightsEvents) {
    const { event } = logged;
    switch (event.eventName) {
      case "TransferOffered": {
        const a = event.args;
        offers.set(a.offerId, {
          offerId: a.offerId.toString(),
          from: await organization(reader, a.fromOrg),
          to: await organization(reader, a.toOrg),
          termsHash: lowerHex(a.termsHash),
          offeredAt: logged.time,
          offerExpiresAt: a.expiresAt,
          acceptedAt: null,
          exportJurisdiction: null,
          customsDecisions: [],
          ownershipTransferredAt: null,
          deliveries: [],
          cancelled: null,
          state: "open",
        });
        break;
      }
      case "TransferAccepted": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        offer.acceptedAt = logged.time;
        offer.exportJurisdiction = decodeJurisdiction(event.args.exportJurisdiction);
        offer.state = event.args.awaitingCustoms ? "awaiting customs" : "completed";
        break;
      }
      case "TransferDecided": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        offer.customsDecisions.push(await customsDecision(reader, logged, event.args));
        offer.state = event.args.approved ? "completed" : "rejected";
        break;
      }
      case "OwnershipTransferred": {
        const offer = offers.get(event.args.offerId);
        if (offer) offer.ownershipTransferredAt = logged.time;
        break;
      }
      case "TransferCancelled": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        offer.cancelled = {
          time: logged.time,
          actor: lowerHex(event.args.actor),
          reasonHash: lowerHex(event.args.reasonHash),
        };
        offer.state = "cancelled";
        break;
      }
      case "DeliveryReported": {
        const offer = offers.get(event.args.offerId);
        if (!offer) break;
        const { receivedFingerprint, matches } = event.args;
        offer.deliveries.push({ receivedFingerprint: lowerHex(receivedFingerprint), matches, time: logged.time });
        if (matches) offer.state = "delivered";
        break;
      }
      default:
        // Grants and inspections are read by grants.ts and inspections.ts.
        break;
    }
  }
  for (const offer of offers.values()) {
    if (offer.state === "open" && offer.offerExpiresAt < reader.now) offer.state = "expired";
  }
  return [...offers.values()];
}
