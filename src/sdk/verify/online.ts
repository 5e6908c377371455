/**
 * Online verification: every offline check, then what only the chain knows (the chain id, that the block is
 * canonical, that the transaction's log at the receipt's index is the ledger's event with exactly the receipt's
 * fields and stamp, the calldata's envelope, the rights module, the batch anchor and on-chain inclusion), then the
 * record's standing today (standing.ts).
 *
 * Every receipt field is bound by at least one check, offline or online: changing any field makes verification fail
 * (docs/receipts.md, "Fields", says which check binds each).
 */
import { BlockNotFoundError, isAddressEqual, type PublicClient } from "viem";
import { provenanceLedgerAbi } from "../abi";
import { receiptFromChain } from "../receipt/build";
import type { BatchMemberReceipt, ProvenanceReceipt } from "../receipt/types";
import { Check, UNCHECKED, eventName, fail, firstLine, guarded, guardedAsync, pass, short, verdictOf } from "./checks";
import { formatCheck, offlineChecks } from "./offline";
import { standingChecks } from "./standing";
import type { OnlineOptions, VerificationCheck, Verdict } from "./types";

/** Paths where `actual` differs from `expected` (JSON values), with both values. */
function differences(expected: unknown, actual: unknown, path = ""): string[] {
  if (expected === actual) return [];
  if (
    typeof expected === "object" &&
    typeof actual === "object" &&
    expected !== null &&
    actual !== null &&
    Array.isArray(expected) === Array.isArray(actual)
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      differences(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}/${key}`,
      ),
    );
  }
  const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));
  return [`${path || "/"}: chain has ${show(expected)}, receipt has ${show(actual)}`];
}

function compared(name: string, what: string, expected: unknown, actual: unknown): VerificationCheck {
  const diff = differences(expected, actual);
  return diff.length === 0 ? pass(name, what) : fail(name, diff.join("; "));
}

/** The parts of a receipt that the event (and its transaction and block) determine, for comparison. */
function eventPart(receipt: ProvenanceReceipt): unknown {
  const common = { kind: receipt.kind, fingerprint: receipt.fingerprint, transaction: receipt.transaction };
  const entry = receipt.trail.entry;
  if (receipt.kind === "registration") return { ...common, record: receipt.record, entry };
  // The member's proof is the receipt's own (checked by the Merkle and on-chain inclusion checks).
  const { root, org, registrant, leafCount, metadataHash, metadataURI, anchoredAt, anchoredBlock } = receipt.batch;
  const anchor = { root, org, registrant, leafCount, metadataHash, metadataURI, anchoredAt, anchoredBlock };
  return { ...common, batch: anchor, entry };
}

function deploymentCheck(receipt: ProvenanceReceipt, options: OnlineOptions): VerificationCheck {
  const trusted = options.ledger.toLowerCase();
  return isAddressEqual(receipt.ledger, options.ledger)
    ? pass(Check.DEPLOYMENT, `the receipt's ledger is the trusted ledger ${trusted}`)
    : fail(Check.DEPLOYMENT, `the receipt names ledger ${receipt.ledger}, not the trusted ledger ${trusted}`);
}

async function chainIdCheck(client: PublicClient, receipt: ProvenanceReceipt): Promise<VerificationCheck> {
  const chainId = String(await client.getChainId());
  return chainId === receipt.chainId
    ? pass(Check.CHAIN_ID, `the node serves chain ${chainId}`)
    : fail(Check.CHAIN_ID, `the node serves chain ${chainId}, the receipt is of chain ${receipt.chainId}`);
}

async function blockCheck(client: PublicClient, receipt: ProvenanceReceipt): Promise<VerificationCheck> {
  const number = BigInt(receipt.transaction.blockNumber);
  const block = await client.getBlock({ blockNumber: number }).catch(async (error: unknown) => {
    // A chain shorter than the receipt's block (reset, or a node that lost its last blocks) holds no such block.
    if (!(error instanceof BlockNotFoundError)) throw error;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    if (head >= number) throw error;
    return { head };
  });
  if ("head" in block) {
    return fail(Check.BLOCK, `block ${number} is not on the node's chain (its head is block ${block.head})`);
  }
  return block.hash?.toLowerCase() === receipt.transaction.blockHash
    ? pass(Check.BLOCK, `block ${block.number} is ${short(block.hash)} on the node's chain`)
    : fail(
        Check.BLOCK,
        `block ${block.number} is ${block.hash} on the node's chain, not ${receipt.transaction.blockHash}`,
      );
}

/**
 * A contract wallet's (ERC-1271) signature is whatever the wallet accepts, so it cannot be checked offline. Online,
 * the ledger's own check stands in: it verified the signature when it accepted the transaction, whose calldata
 * carries exactly the receipt's envelope (the submission check) and which emitted the receipt's event (the event
 * check). That needs no historical state, unlike asking the wallet again at that block.
 */
async function contractSignatureCheck(
  client: PublicClient,
  receipt: ProvenanceReceipt,
  offline: VerificationCheck,
  chain: ProvenanceReceipt | undefined,
): Promise<VerificationCheck> {
  const submission = receipt.submission;
  if (offline.ok || !submission || !chain || differences(chain.submission, submission).length > 0) return offline;
  const registrant = receipt.kind === "registration" ? receipt.record.registrant : receipt.batch.registrant;
  if (!isAddressEqual(submission.signer, registrant) || submission.chainId !== receipt.chainId) return offline;
  const code = await client.getCode({ address: submission.signer });
  if (!code || code === "0x") return offline;
  return pass(
    Check.SIGNATURE,
    `signer ${submission.signer} is a contract wallet (ERC-1271); the ledger verified its signature when it ` +
      `accepted transaction ${short(receipt.transaction.hash)}, whose calldata carries this envelope`,
  );
}

async function batchChecks(client: PublicClient, receipt: BatchMemberReceipt): Promise<VerificationCheck[]> {
  const { batch } = receipt;
  const anchor = await guardedAsync(Check.BATCH_ANCHOR, async () => {
    const stored = await client.readContract({
      address: receipt.ledger,
      abi: provenanceLedgerAbi,
      functionName: "getBatch",
      args: [batch.root],
    });
    return compared(
      Check.BATCH_ANCHOR,
      `the ledger holds root ${short(batch.root)} with these fields`,
      {
        org: stored.org,
        registrant: stored.registrant.toLowerCase(),
        leafCount: stored.leafCount.toString(),
        metadataHash: stored.metadataHash,
        anchoredAt: String(stored.anchoredAt),
        anchoredBlock: stored.anchoredBlock.toString(),
      },
      {
        org: batch.org,
        registrant: batch.registrant,
        leafCount: batch.leafCount,
        metadataHash: batch.metadataHash,
        anchoredAt: batch.anchoredAt,
        anchoredBlock: batch.anchoredBlock,
      },
    );
  });
  const inclusion = await guardedAsync(Check.ONCHAIN_INCLUSION, async () => {
    const included = await client.readContract({
      address: receipt.ledger,
      abi: provenanceLedgerAbi,
      functionName: "verifyBatchInclusion",
      args: [batch.root, receipt.fingerprint, batch.proof],
    });
    return included
      ? pass(Check.ONCHAIN_INCLUSION, "the ledger's verifyBatchInclusion accepts the proof")
      : fail(Check.ONCHAIN_INCLUSION, "the ledger's verifyBatchInclusion rejects the proof");
  });
  return [anchor, inclusion];
}

/** The receipt rebuilt from the event at the receipt's place on chain, and the check comparing the two. */
async function eventCheck(
  client: PublicClient,
  receipt: ProvenanceReceipt,
): Promise<{ check: VerificationCheck; chain?: ProvenanceReceipt }> {
  let chain: ProvenanceReceipt;
  try {
    chain = await receiptFromChain(client, receipt);
  } catch (error) {
    return { check: fail(Check.EVENT, firstLine(error)) };
  }
  const what = `log ${receipt.transaction.logIndex} is the ledger's ${eventName(receipt)} with these fields`;
  return { check: compared(Check.EVENT, what, eventPart(chain), eventPart(receipt)), chain };
}

/** The receipt's stamp, envelope and rights module against the chain's (unchecked without the event). */
function transactionChecks(receipt: ProvenanceReceipt, chain: ProvenanceReceipt | undefined): VerificationCheck[] {
  if (!chain) {
    return [Check.TRAIL_POSITION, Check.SUBMISSION, Check.RIGHTS_MODULE].map((name) =>
      fail(name, "not checked: the event is not where the receipt says"),
    );
  }
  const block = receipt.transaction.blockNumber;
  return [
    compared(
      Check.TRAIL_POSITION,
      `the event's stamp (ledger entry ${receipt.trail.stamp.ledgerSequence}); the ledger head check binds the ` +
        "previous ledger head to it",
      chain.trail.stamp,
      receipt.trail.stamp,
    ),
    compared(
      Check.SUBMISSION,
      receipt.submission
        ? "the transaction's calldata carries this envelope"
        : "the transaction was not a signed submission",
      chain.submission,
      receipt.submission,
    ),
    compared(
      Check.RIGHTS_MODULE,
      receipt.rights
        ? `the ledger's rights module at block ${block} was ${short(receipt.rights)}`
        : `the ledger had no rights module at block ${block}`,
      chain.rights,
      receipt.rights,
    ),
  ];
}

/**
 * Verifies a receipt against any RPC node of its chain: every offline check, then what only the chain knows, then
 * the record's standing today. Never throws for a bad receipt or an unreachable fact: those are failed checks.
 */
export async function verifyReceiptOnline(
  client: PublicClient,
  receipt: ProvenanceReceipt,
  options: OnlineOptions,
): Promise<Verdict> {
  const format = formatCheck(receipt);
  if (!format.ok) return verdictOf(undefined, [format], true);
  const checks = [format, ...(await offlineChecks(receipt, options))];
  checks.push(guarded(Check.DEPLOYMENT, () => deploymentCheck(receipt, options)));
  checks.push(await guardedAsync(Check.CHAIN_ID, () => chainIdCheck(client, receipt)));
  checks.push(await guardedAsync(Check.BLOCK, () => blockCheck(client, receipt)));
  const { check: event, chain } = await eventCheck(client, receipt);
  checks.push(event, ...transactionChecks(receipt, chain));
  // An ERC-1271 signature, which offline verification could not check, is then vouched for by the ledger.
  const signature = checks.findIndex((c) => c.name === Check.SIGNATURE);
  const offlineSignature = checks[signature];
  checks[signature] = await guardedAsync(Check.SIGNATURE, () =>
    contractSignatureCheck(client, receipt, offlineSignature, chain),
  );
  if (receipt.kind === "batch-member") {
    checks.push(...(await batchChecks(client, receipt)));
    return verdictOf(receipt, checks, true);
  }
  const { checks: standingList, standing } = await standingChecks(client, receipt, options).catch((error) => ({
    checks: [fail(Check.RECORD_EXISTS, `${UNCHECKED}: ${firstLine(error)}`)],
    standing: undefined,
  }));
  checks.push(...standingList);
  return { ...verdictOf(receipt, checks, true), ...(standing ? { standing } : {}) };
}
