/**
 * From a raw log to the event the projection applies, and back to the stored form. Decoding always starts from the
 * raw topics and data (what the node returned), so that a stored event cannot say one thing in a decoded column and
 * another in its log.
 */
import { decodeEventLog, toEventSelector, type AbiEvent, type Hex } from "viem";
import { provledgerAbi, type ProvledgerEvent } from "../sdk";
import type { RawLog, StoredEvent } from "./types";
import { IndexerEventError } from "./errors";

let bySelector: Map<string, readonly [AbiEvent]> | undefined;

/**
 * The one ABI item a log's first topic names. Given the whole ABI, viem hashes every event signature on every call to
 * find it (~100 us a log, most of a range's verification); this hashes them once.
 */
export function eventAbiFor(selector: Hex): readonly [AbiEvent] | undefined {
  if (!bySelector) {
    bySelector = new Map();
    for (const item of provledgerAbi) {
      if (item.type !== "event") continue;
      const selectorOf = toEventSelector(item as AbiEvent);
      if (!bySelector.has(selectorOf)) bySelector.set(selectorOf, [item as AbiEvent]);
    }
  }
  return bySelector.get(selector.toLowerCase());
}

/** Decodes a raw log of the deployment with the three contracts' ABIs (strict: every word must fit its type). */
export function decodeLog(log: RawLog): ProvledgerEvent {
  const selector = log.topics[0];
  if (selector === undefined) {
    throw new IndexerEventError(log, "it has no topics (an anonymous event): the contracts emit none");
  }
  const abi = eventAbiFor(selector);
  if (!abi) {
    throw new IndexerEventError(
      log,
      `no event of the contracts' ABIs has selector ${selector}; the address may not be this deployment's, or the ` +
        `contracts are newer than this indexer`,
    );
  }
  try {
    return decodeEventLog({
      abi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    }) as unknown as ProvledgerEvent;
  } catch (error) {
    throw new IndexerEventError(
      log,
      `it does not decode with the contracts' ABIs (${(error as Error).message.split("\n")[0]}); the contracts are ` +
        `newer than this indexer, or the log was altered`,
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
