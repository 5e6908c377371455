import { zeroHash, type Hex, type PublicClient } from "viem";
import { Relation, Scheme } from "../constants/codes";
import { codeName } from "../constants/names";
import type { ProvledgerAddresses } from "../types/deployment";
import { checkAddresses, checkBytes32, checkUint } from "../utils/check";
import { grantsOf, outstandingGrants } from "./grants";
import { findingsOf, freezeOf } from "./inspections";
import { createReader, facts, organization, type LedgerEvent, type Logged, type Reader } from "./read";
import { transfersOf } from "./transfers";
import type { ExplainOptions, ExplainProvenanceReturnType, GrantInfo, ProvenanceEdge, ProvenanceNode } from "./types";
import { lowerHex } from "../utils/hex";

/** The fingerprint schemes as explanations spell them (the names of the SDK's fingerprint functions). */
const SCHEME_NAMES: Record<number, string> = {
  [Scheme.SHA256]: "sha256",
  [Scheme.SALTED_SHA256]: "salted-sha256",
  [Scheme.MANIFEST_ROOT]: "manifest-root",
};

/**
 * The provenance of `fingerprint`: its record and, `depth` levels up, its parents', with owners, outstanding grants,
 * inspection findings and freezes, the grants each derivation relied on, transfers and customs decisions. Read from
 * `contracts` through `client`, all at the latest block when it starts.
 *
 * Nothing here is trusted more than the node it reads from: receipts and trail replay (src/sdk/trail) are the
 * tamper-evident parts.
 *
 * @example
 * const tree = await explainProvenance(publicClient, addresses, fingerprint, { depth: 2, fromBlock: deployedAt });
 * console.log(formatExplanation(tree));
 */
export async function explainProvenance(
  client: PublicClient,
  contracts: ProvledgerAddresses,
  fingerprint: Hex,
  options: ExplainOptions = {},
): Promise<ExplainProvenanceReturnType> {
  const depth = checkUint(options.depth ?? 3, 32, "depth");
  const fromBlock = options.fromBlock ?? 0n;
  const reader = await createReader(client, checkAddresses(contracts), fromBlock);
  return node(reader, checkBytes32(fingerprint, "fingerprint"), depth);
}

async function node(reader: Reader, fingerprint: Hex, depth: number): Promise<ProvenanceNode> {
  const found = await facts(reader, fingerprint);
  if (!found) return { fingerprint: lowerHex(fingerprint), registered: false };
  const { record } = found;
  const registration = found.ledgerEvents.find(
    (e): e is Logged<Extract<LedgerEvent, { eventName: "RecordRegistered" }>> =>
      e.event.eventName === "RecordRegistered",
  );
  const parents: ProvenanceEdge[] = [];
  if (depth > 0) {
    for (const link of found.parents) {
      const parent = await node(reader, link.fingerprint, depth - 1);
      parents.push({
        relation: link.relation === Relation.REVISION_OF ? "revision-of" : "derived-from",
        grant: await grantReliedOn(reader, link.fingerprint, link.grantId),
        parent,
      });
    }
  }
  return {
    fingerprint: found.fingerprint,
    registered: true,
    owner: await organization(reader, record.ownerOrg),
    registeredBy: await organization(reader, registration?.event.args.ownerOrg ?? record.ownerOrg),
    registrant: lowerHex(record.registrant),
    scheme: SCHEME_NAMES[record.scheme] ?? `scheme ${record.scheme}`,
    dataClass: codeName("DataClass", record.dataClass),
    metadataHash: lowerHex(record.metadataHash),
    metadataURI: registration?.event.args.metadataURI ?? "",
    registeredAt: record.registeredAt,
    registeredBlock: Number(record.registeredBlock),
    transactionHash: registration ? lowerHex(registration.transactionHash) : null,
    withdrawn: record.withdrawn,
    frozen: record.frozen,
    freeze: await freezeOf(reader, found),
    supersededBy: record.supersededBy === zeroHash ? null : lowerHex(record.supersededBy),
    latestVersion: found.latest,
    outstandingGrants: await outstandingGrants(reader, found),
    findings: await findingsOf(reader, found),
    transfers: await transfersOf(reader, found),
    parents,
    truncated: depth === 0 && found.parents.length > 0,
  };
}

/** The parent's grant a derivation recorded (none for grant id 0: same organisation, or a revision). */
async function grantReliedOn(reader: Reader, parent: Hex, grantId: bigint): Promise<GrantInfo | null> {
  if (grantId === 0n) return null;
  const parentFacts = await facts(reader, parent);
  return parentFacts ? ((await grantsOf(reader, parentFacts)).get(grantId) ?? null) : null;
}
