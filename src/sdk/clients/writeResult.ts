import { isAddressEqual, parseEventLogs, type TransactionReceipt } from "viem";
import { provledgerAbi, type ProvledgerEvent, type ProvledgerEventName } from "../abi";
import { ProvledgerClientError } from "../errors/client";
import type { ProvledgerAddresses } from "../types/deployment";
import type { ProvledgerLog, WriteResult } from "./types";

/**
 * The result of an included write: the deployment's events in the transaction (another contract's logs are left
 * out, even if they decode), and the one the action always emits. Its absence means the contracts at the addresses
 * are not the version this SDK was built for.
 */
export function writeResultOf<E extends ProvledgerEventName>(
  receipt: TransactionReceipt,
  parameters: { action: string; addresses: ProvledgerAddresses; eventName: E },
): WriteResult<E> {
  const { action, addresses, eventName } = parameters;
  const ours = Object.values(addresses);
  const events = parseEventLogs({ abi: provledgerAbi, logs: receipt.logs })
    .filter((log) => ours.some((address) => isAddressEqual(address, log.address)))
    .map((log) => ({ eventName: log.eventName, args: log.args, address: log.address, logIndex: log.logIndex }));
  const primary = events.find((log) => log.eventName === eventName);
  if (!primary) {
    throw new ProvledgerClientError(
      "MissingEvent",
      `transaction ${receipt.transactionHash} succeeded but emitted no ${eventName} event: the contracts at the ` +
        "configured addresses are not the version this SDK was built for; check the deployment",
      { action },
    );
  }
  return {
    transactionHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    logIndex: primary.logIndex,
    event: { eventName: primary.eventName, args: primary.args } as ProvledgerEvent<E>,
    events: events as ProvledgerLog[],
  };
}
