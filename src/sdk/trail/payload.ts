import { encodeAbiParameters, keccak256, type Abi, type AbiEvent, type AbiParameter, type Hex } from "viem";
import { trailEventsAbi } from "../abi";
import { TrailEventError } from "../errors/trail";
import type { DecodedEvent } from "./types";

/** The ABI item of `eventName`. */
export function eventAbi(abi: Abi, eventName: string): AbiEvent {
  const item = abi.find((entry): entry is AbiEvent => entry.type === "event" && entry.name === eventName);
  if (!item) {
    throw new TrailEventError(
      "UnknownEvent",
      eventName,
      `event ${eventName} is not in the ABI; decode the logs with the ABI they are replayed with (trailEventsAbi)`,
    );
  }
  return item;
}

/**
 * The payload hash of a trail entry: keccak256 of its event's parameters, ABI-encoded in declaration order, leaving
 * out the `stamp` (which is computed from the payload). One rule for every event, so that a third party needs only
 * the ABI (README, "Audit trail encoding").
 */
export function payloadHashOf(event: DecodedEvent, abi: Abi = trailEventsAbi): Hex {
  const inputs = eventAbi(abi, event.eventName).inputs.filter((input) => input.name !== "stamp");
  return keccak256(
    encodeAbiParameters(
      inputs as readonly AbiParameter[],
      inputs.map((input) => event.args[input.name!]),
    ),
  );
}
