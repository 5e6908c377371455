import { formatBlockTime as when } from "../utils/format";
import type {
  CustomsDecision,
  FindingInfo,
  FreezeInfo,
  GrantInfo,
  OrganizationInfo,
  ProvenanceNode,
  RegisteredNode,
  TransferInfo,
} from "./types";

function org(info: OrganizationInfo): string {
  const suspended = info.status === "active" ? "" : `, ${info.status}`;
  return `${info.name} (#${info.id}, ${info.jurisdiction}${suspended})`;
}

function decisionText(d: CustomsDecision): string {
  return `${org(d.customs)} ${d.approved ? "approved" : "rejected"} at ${when(d.time)} (decision ${d.decisionHash})`;
}

/** A grant: a summary line, then its details. */
function grantLines(grant: GrantInfo): [string, ...string[]] {
  const expiry = grant.expiresAt === null ? "no expiry" : `expires ${when(grant.expiresAt)}`;
  const lines: [string, ...string[]] = [
    `grant #${grant.grantId}: ${grant.scopeNames} from ${org(grant.grantor)} to ${org(grant.grantee)}, now ${grant.state}`,
    `· issued ${when(grant.issuedAt)}, ${expiry}, purpose ${grant.purposeHash}`,
  ];
  if (grant.state === "pending customs" && grant.exportJurisdiction) {
    lines.push(`· awaiting the customs of ${grant.exportJurisdiction}`);
  }
  for (const d of grant.customsDecisions) lines.push(`· customs: ${decisionText(d)}`);
  if (grant.revoked) lines.push(`· revoked ${when(grant.revoked.time)} (reason ${grant.revoked.reasonHash})`);
  return lines;
}

/** A licence the record carries (and a buyer takes over with it). */
function outstandingLines(grant: GrantInfo, owner: OrganizationInfo): string[] {
  const [summary, ...details] = grantLines(grant);
  // The contract keeps such a grant; it matters again if the owner sells the record on.
  if (grant.grantee.id === owner.id) details.push("· held by the owner now: moot while it owns the record");
  return [`outstanding ${summary}`, ...details.map((line) => `  ${line}`)];
}

function findingText(f: FindingInfo): string {
  return `finding by ${org(f.inspector)} at ${when(f.time)} (block ${f.block}, tx ${f.transactionHash}): ${f.findingHash}`;
}

function freezeText(f: FreezeInfo): string {
  return `frozen by ${org(f.inspector)} at ${when(f.time)} (block ${f.block}, tx ${f.transactionHash}), reason ${f.reasonHash}`;
}

function transferText(t: TransferInfo): string[] {
  const lines = [`transfer #${t.offerId}: ${org(t.from)} -> ${org(t.to)}, ${t.state}; offered ${when(t.offeredAt)}`];
  if (t.acceptedAt !== null) lines.push(`  accepted ${when(t.acceptedAt)}`);
  for (const d of t.customsDecisions)
    lines.push(`  customs${t.exportJurisdiction ? ` of ${t.exportJurisdiction}` : ""}: ${decisionText(d)}`);
  if (t.ownershipTransferredAt !== null) lines.push(`  ownership moved ${when(t.ownershipTransferredAt)}`);
  for (const d of t.deliveries) {
    lines.push(
      `  delivery reported ${when(d.time)}: ${d.matches ? "matches the fingerprint" : `MISMATCH (${d.receivedFingerprint})`}`,
    );
  }
  if (t.cancelled) lines.push(`  cancelled ${when(t.cancelled.time)}`);
  return lines;
}

function recordLines(tree: RegisteredNode): string[] {
  const flags = [
    tree.withdrawn ? "WITHDRAWN" : "",
    tree.frozen ? "FROZEN" : "",
    tree.supersededBy ? `SUPERSEDED by ${tree.supersededBy} (latest ${tree.latestVersion})` : "",
  ].filter(Boolean);
  const lines = [
    `${tree.fingerprint} [${tree.dataClass}, ${tree.scheme}]${flags.length > 0 ? ` ${flags.join(", ")}` : ""}`,
    `owner: ${org(tree.owner)}`,
    `registered ${when(tree.registeredAt)} (block ${tree.registeredBlock}) by ${org(tree.registeredBy)}, account ${tree.registrant}`,
  ];
  if (tree.metadataURI) lines.push(`metadata: ${tree.metadataURI} (${tree.metadataHash})`);
  if (tree.freeze) lines.push(freezeText(tree.freeze));
  for (const grant of tree.outstandingGrants) lines.push(...outstandingLines(grant, tree.owner));
  for (const finding of tree.findings) lines.push(findingText(finding));
  for (const t of tree.transfers) lines.push(...transferText(t));
  if (tree.truncated) lines.push("parents: not shown (depth reached)");
  return lines;
}

function nodeLines(tree: ProvenanceNode): string[] {
  return tree.registered ? recordLines(tree) : [`${tree.fingerprint}: not registered on this ledger`];
}

/**
 * The tree as indented text: each record's header line (fingerprint, class, scheme, status flags), its details
 * below (owner, registration, freeze, outstanding grants, findings, transfers), then one branch per parent naming the
 * relation and the grant relied on, with the parent under it.
 */
export function formatExplanation(tree: ProvenanceNode): string {
  const out: string[] = [];
  const walk = (current: ProvenanceNode, prefix: string): void => {
    const [header, ...details] = nodeLines(current);
    const edges = current.registered ? current.parents : [];
    out.push(`${prefix}${header}`);
    for (const line of details) out.push(`${prefix}${edges.length > 0 ? "│  " : "   "}${line}`);
    edges.forEach((edge, i) => {
      const last = i === edges.length - 1;
      const childPrefix = `${prefix}${last ? "   " : "│  "}`;
      const [grantSummary, ...grantDetails] = edge.grant ? grantLines(edge.grant) : [""];
      out.push(`${prefix}${last ? "└─ " : "├─ "}${edge.relation}${edge.grant ? ` under ${grantSummary}` : ""}`);
      for (const line of grantDetails) out.push(`${childPrefix}${line}`);
      walk(edge.parent, childPrefix);
    });
  };
  walk(tree, "");
  return `${out.map((line) => line.trimEnd()).join("\n")}\n`;
}
