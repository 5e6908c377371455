/**
 * Stored events back to decoded ones, from their raw topics and data, with viem's `decodeEventLog` over the SDK's
 * `provledgerAbi`. Given the whole ABI, viem hashes every event signature on every call to find the one a log's
 * first topic names; here each log gets the one ABI item its selector names (hashed once), which makes decoding
 * several times faster and is otherwise the same decoding, strict as `decodeLog` in ../events.ts.
 */
import { decodeEventLog, toEventSelector, type AbiEvent, type Hex } from "viem";
import { provledgerAbi, type ProvledgerEvent } from "../../sdk";
import { IndexerEventError } from "../errors";
import type { RawLog } from "../types";

let bySelector: Map<string, readonly [AbiEvent]> | undefined;

function abiFor(selector: Hex): readonly [AbiEvent] | undefined {
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

export function decodeStoredLog(log: RawLog): ProvledgerEvent {
  const selector = log.topics[0];
  if (selector === undefined) {
    throw new IndexerEventError(log, "it has no topics (an anonymous event): the contracts emit none");
  }
  const abi = abiFor(selector);
  if (!abi) {
    throw new IndexerEventError(
      log,
      `no event of the contracts' ABIs has selector ${selector}; the contracts are newer than this indexer`,
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
      `it does not decode with the contracts' ABIs (${(error as Error).message.split("\n")[0]}); the contracts ` +
        `are newer than this indexer`,
    );
  }
}
