/**
 * What a receipt needs to read from the chain: the transaction, its receipt and block, the chain id, the rights
 * module attached at that block, the ledger's events in the transaction, the EIP-712 envelope in its calldata, and
 * the ledger-wide head before the event's entry. Nothing else: a receipt is built from one transaction.
 */
import {
  decodeEventLog,
  decodeFunctionData,
  getAbiItem,
  isAddressEqual,
  zeroHash,
  type Address,
  type DecodeEventLogReturnType,
  type DecodeFunctionDataReturnType,
  type Hash,
  type Hex,
  type Log,
  type PublicClient,
  type Transaction,
  type TransactionReceipt,
} from "viem";
import { provenanceLedgerAbi, trailEventsAbi } from "../abi";
import { ReceiptBuildError } from "../errors/receipt";
import { isRetryableFault } from "../utils/retryable";
import type { ReceiptSubmission, ReceiptTransaction } from "./types";
import { lowerHex } from "../utils/hex";

/** What a receipt needs of its transaction, read once. */
export interface ChainContext {
  chainId: bigint;
  /** Lowercase, as receipts write it. */
  ledger: Address;
  rights: Address | null;
  transaction: Transaction;
  transactionReceipt: TransactionReceipt;
  blockTime: bigint;
}

export type LedgerEvent = DecodeEventLogReturnType<typeof provenanceLedgerAbi>;
export type LedgerEventOf<N extends LedgerEvent["eventName"]> = Extract<LedgerEvent, { eventName: N }>;

/** A ledger log and its decoded event. */
export interface LedgerLog<E> {
  log: Log;
  event: E;
}

export async function chainContext(
  client: PublicClient,
  ledger: Address,
  transactionHash: Hash,
): Promise<ChainContext> {
  let transactionReceipt: TransactionReceipt;
  try {
    transactionReceipt = await client.getTransactionReceipt({ hash: transactionHash });
  } catch (error) {
    throw new ReceiptBuildError(
      "TransactionNotFound",
      `transaction ${transactionHash} not found: ${(error as Error).message.split("\n")[0]}`,
      {
        cause: error,
        details:
          "check the hash and that the node serves the ledger's chain (a transaction just sent may not be mined)",
        retryable: isRetryableFault(error),
      },
    );
  }
  if (transactionReceipt.status !== "success") {
    throw new ReceiptBuildError(
      "TransactionReverted",
      `transaction ${transactionHash} reverted: it registered nothing`,
      {
        details: "build the receipt of the transaction that succeeded",
      },
    );
  }
  const [chainId, transaction, block, rights] = await Promise.all([
    client.getChainId(),
    client.getTransaction({ hash: transactionHash }),
    client.getBlock({ blockHash: transactionReceipt.blockHash }),
    rightsModuleAt(client, ledger, transactionReceipt.blockNumber),
  ]);
  return {
    chainId: BigInt(chainId),
    ledger: lowerHex(ledger),
    rights,
    transaction,
    transactionReceipt,
    blockTime: block.timestamp,
  };
}

/**
 * The rights module attached at `blockNumber` (null if none yet). Read from the RightsModuleSet log rather than from
 * `rightsModule()`: the receipt then says the same thing whenever it is built or checked (the module is attached
 * once, possibly after the event), and a log query needs no historical state.
 */
async function rightsModuleAt(client: PublicClient, ledger: Address, blockNumber: bigint): Promise<Address | null> {
  const logs = await client.getLogs({
    address: ledger,
    event: getAbiItem({ abi: provenanceLedgerAbi, name: "RightsModuleSet" }),
    fromBlock: 0n,
    toBlock: blockNumber,
  });
  const module = logs.at(-1)?.args.module;
  return module ? lowerHex(module) : null;
}

export function decodeLedgerLog(log: Log): LedgerEvent | undefined {
  try {
    return decodeEventLog({ abi: provenanceLedgerAbi, data: log.data, topics: log.topics });
  } catch {
    return undefined;
  }
}

/** The transaction's events of kind `name` logged by the ledger, with their logs. */
export function ledgerEvents<N extends LedgerEvent["eventName"]>(
  context: ChainContext,
  name: N,
): LedgerLog<LedgerEventOf<N>>[] {
  const found: LedgerLog<LedgerEventOf<N>>[] = [];
  for (const log of context.transactionReceipt.logs) {
    if (!isAddressEqual(log.address, context.ledger)) continue;
    const event = decodeLedgerLog(log);
    if (event?.eventName === name) found.push({ log, event: event as LedgerEventOf<N> });
  }
  return found;
}

function claimedStamp(args: unknown): { ledgerSequence: bigint; ledgerHead: Hex } | undefined {
  const stamp = (args as { stamp?: { ledgerSequence?: unknown; ledgerHead?: unknown } } | undefined)?.stamp;
  if (typeof stamp?.ledgerSequence !== "bigint" || typeof stamp.ledgerHead !== "string") return undefined;
  return { ledgerSequence: stamp.ledgerSequence, ledgerHead: stamp.ledgerHead as Hex };
}

/**
 * The ledger-wide head after entry `sequence - 1`, i.e. just before the event's own entry.
 *
 * `ledgerHead()` at block N-1 is not enough: several entries may share block N (several transactions, or a revision,
 * which appends the new record's entry and its parent's). So: first look for the entry with sequence - 1 among the
 * registry's, the ledger's and the rights module's logs of block N (every trail event carries its stamp); only if it is not there is
 * it the last entry of an earlier block, and then the ledger's head at the end of block N-1 is it (this needs a node
 * that still holds the state of block N-1).
 */
export async function previousLedgerHead(client: PublicClient, context: ChainContext, sequence: bigint): Promise<Hex> {
  if (sequence === 1n) return zeroHash;
  const { blockHash, blockNumber } = context.transactionReceipt;
  // The registry chains governance entries into the same sequence (its address is immutable in the ledger).
  const registry = await client.readContract({
    address: context.ledger,
    abi: provenanceLedgerAbi,
    functionName: "registry",
  });
  const address = context.rights ? [registry, context.ledger, context.rights] : [registry, context.ledger];
  const logs = await client.getLogs({ address, blockHash });
  for (const log of logs) {
    let args: unknown;
    try {
      args = decodeEventLog({ abi: trailEventsAbi, data: log.data, topics: log.topics }).args;
    } catch {
      continue;
    }
    const stamp = claimedStamp(args);
    if (stamp && stamp.ledgerSequence === sequence - 1n) return lowerHex(stamp.ledgerHead);
  }
  const [head, headSequence] = await client.readContract({
    address: context.ledger,
    abi: provenanceLedgerAbi,
    functionName: "ledgerHead",
    blockNumber: blockNumber - 1n,
  });
  if (headSequence !== sequence - 1n) {
    throw new ReceiptBuildError(
      "PredecessorNotFound",
      `cannot find ledger entry ${sequence - 1n}, the predecessor of entry ${sequence}: the ledger was at ` +
        `${headSequence} at the end of block ${blockNumber - 1n} and block ${blockNumber} does not log it`,
      {
        details: "build the receipt from a node of the ledger's chain that holds that block's state (an archive node)",
      },
    );
  }
  return lowerHex(head);
}

/** The EIP-712 envelope, when the transaction called registerBySig / anchorBatchBySig on the ledger directly. */
export function signedSubmission(context: ChainContext, subject: Hex): ReceiptSubmission | null {
  const { to, input } = context.transaction;
  // A submission relayed through another contract (a multisig, a forwarder) is not in the top-level calldata; the
  // receipt then carries no envelope, which a verifier reports as "not a signed submission".
  if (!to || !isAddressEqual(to, context.ledger)) return null;
  let call: DecodeFunctionDataReturnType<typeof provenanceLedgerAbi>;
  try {
    call = decodeFunctionData({ abi: provenanceLedgerAbi, data: input });
  } catch {
    return null;
  }
  let envelope: { signer: Address; chainId: bigint; nonce: bigint; deadline: bigint; signature: Hex };
  if (call.functionName === "registerBySig" && lowerHex(call.args[0].fingerprint) === subject) {
    envelope = call.args[1];
  } else if (call.functionName === "anchorBatchBySig" && lowerHex(call.args[0]) === subject) {
    envelope = call.args[4];
  } else {
    return null;
  }
  return {
    signer: lowerHex(envelope.signer),
    chainId: envelope.chainId.toString(),
    nonce: envelope.nonce.toString(),
    deadline: envelope.deadline.toString(),
    signature: lowerHex(envelope.signature),
  };
}

export function transactionPart(context: ChainContext, log: Log): ReceiptTransaction {
  const { transactionHash, blockNumber, blockHash } = context.transactionReceipt;
  if (log.logIndex === null) {
    throw new ReceiptBuildError("TransactionNotFound", `the node returned a pending log for ${transactionHash}`, {
      details: "build the receipt once the transaction is mined",
      retryable: true,
    });
  }
  return {
    hash: lowerHex(transactionHash),
    blockNumber: blockNumber.toString(),
    blockHash: lowerHex(blockHash),
    logIndex: log.logIndex,
  };
}
