/**
 * From a raw log to the event the projection applies, and back to the stored form. Decoding always starts from the
 * raw topics and data (what the node returned), so that a stored event cannot say one thing in a decoded column and
 * another in its log.
 */
import { decodeEventLog, type Hex } from "viem";
import { provledgerAbi, type ProvledgerEvent } from "../sdk";
import type { RawLog, StoredEvent } from "./types";
import { IndexerEventError } from "./errors";

/** Decodes a raw log of the deployment with the three contracts' ABIs. */
export function decodeLog(log: RawLog): ProvledgerEvent {
  if (log.topics.length === 0) {
    throw new IndexerEventError(log, "it has no topics (an anonymous event): the contracts emit none");
  }
  try {
    return decodeEventLog({
      abi: provledgerAbi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    }) as ProvledgerEvent;
  } catch (error) {
    throw new IndexerEventError(
      log,
      `it does not decode with the contracts' ABIs (${(error as Error).message.split("\n")[0]}); the address may ` +
        `not be this deployment's, or the contracts are newer than this indexer`,
    );
  }
}

type Stamped = { stamp?: { ledgerSequence: bigint; ledgerHead: Hex } };

/** The stored form of a log: its name and the ledger-wide position it claims, beside the raw log. */
export function toStoredEvent(log: RawLog, decoded: ProvledgerEvent = decodeLog(log)): StoredEvent {
  const stamp = (decoded.args as Stamped | undefined)?.stamp;
  return {
    ...log,
    address: log.address.toLowerCase() as RawLog["address"],
    eventName: decoded.eventName,
    ledgerSequence: stamp ? stamp.ledgerSequence : null,
    ledgerHead: stamp ? (stamp.ledgerHead.toLowerCase() as Hex) : null,
  };
}
