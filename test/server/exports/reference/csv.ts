/**
 * REFERENCE, for tests only: the exports' first version (objects built, then serialised), kept unchanged so that a
 * test can check the fast writers of src/server/exports give the same bytes for the same input.
 */
/**
 * CSV exports of a lineage (one row per record) and of an organisation's activity (one row per event), for people
 * who open them in a spreadsheet and for scripts that parse them.
 *
 * Format: RFC 4180. A header row; CRLF after every row (the last too); a field is quoted when it holds a comma, a
 * double quote, CR or LF, with its double quotes doubled; UTF-8 without a byte-order mark. Times are ISO-8601 UTC
 * (`2026-12-02T03:04:05Z`). The column sets are fixed: a reader may address columns by header name or by position.
 *
 * Spreadsheet formulas: a cell that starts with `=`, `+`, `-`, `@`, a tab or a CR is read by Excel, LibreOffice and
 * Google Sheets as a formula (OWASP, "CSV Injection"), and an organisation's name or a record's metadata URI is
 * text that whoever registered it chose: `=HYPERLINK(...)` or `@SUM(...)` would run in an inspector's spreadsheet.
 * Such a text cell gets a leading `'` (OWASP's advice), which spreadsheets show as text and scripts can strip.
 * Numeric cells are written from integers this code holds (levels are negative for ancestors) and cannot carry a
 * formula, so `-1` stays a number.
 *
 * Writer: our own, not csv-stringify. bench/exports.ts writes the same 15-column cells with both: csv-stringify 6.9
 * (`csv-stringify/sync`, told to quote CR and LF) wrote 16,000-55,000 rows/s on the 2-core machines, under the
 * >= 50,000 rows/s export target (docs/api.md) before a single cell is computed, and was the bottleneck; this writer
 * wrote 48,000-143,000 rows/s, 2.0-3.3x faster in every run. csv-stringify also leaves a field with a bare CR or LF
 * unquoted unless told otherwise (`quoted_match`), which breaks RFC 4180 rows: one reason more to keep the quoting
 * rule here, in a few lines.
 */
import { codeName } from "../../../../src/sdk";
import {
  activityOrganization,
  actorOf,
  canonicalJson,
  checkLineage,
  decimal,
  isoTime,
  organizationNames,
  organizationsOf,
  subjectOf,
} from "./common";
import type {
  ActivityExport,
  ExportEvent,
  JsonValue,
  LineageExport,
  LineageExportEdge,
} from "../../../../src/server/exports/types";

/** A cell: text (neutralised and quoted as needed) or an integer (written as is). */
export type CsvCell = string | number;

/** The columns of `lineageToCsv`, in order. */
export const LINEAGE_CSV_COLUMNS = [
  "level",
  "fingerprint",
  "status",
  "dataClass",
  "ownerOrg",
  "ownerName",
  "registeredAt",
  "registrant",
  "registrantOrg",
  "scheme",
  "metadataHash",
  "metadataURI",
  "derivedFrom",
  "derivationGrants",
  "revisionOf",
] as const;

/** The columns of `activityToCsv`, in order. */
export const ACTIVITY_CSV_COLUMNS = [
  "time",
  "blockNumber",
  "logIndex",
  "transactionHash",
  "event",
  "subject",
  "actor",
  "organizations",
  "ledgerSequence",
  "recordLength",
  "recordHead",
  "ledgerHead",
  "blockHash",
  "contract",
  "args",
] as const;

const CRLF = "\r\n";
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * A text cell a spreadsheet could read as a formula, with a leading `'` (OWASP CSV injection guidance: the
 * characters `=`, `+`, `-`, `@`, tab and CR start a formula or a DDE call in common spreadsheets).
 */
export function neutraliseFormula(text: string): string {
  const first = text.charCodeAt(0);
  // = + - @ TAB CR
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13
    ? `'${text}`
    : text;
}

/** One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF, with its quotes doubled. */
export function csvField(cell: CsvCell): string {
  if (typeof cell === "number") return String(cell);
  const text = neutraliseFormula(cell);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE || code === COMMA || code === LF || code === CR) return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** An RFC 4180 document: the header row, then one row per entry of `rows`, each line ended by CRLF. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  // Lines joined once at the end: one flat string, not a rope of a million pieces for the collector to trace.
  const lines = [header.map(csvField).join(",")];
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(
        `a CSV row has ${row.length} cells for ${header.length} columns: every row must fill every column`,
      );
    }
    lines.push(row.map(csvField).join(","));
  }
  lines.push("");
  return lines.join(CRLF);
}

/** A record's parents in the export, by relation, in the edges' order. */
function parentsByChild(edges: readonly LineageExportEdge[]): Map<string, LineageExportEdge[]> {
  const byChild = new Map<string, LineageExportEdge[]>();
  for (const edge of edges) {
    const child = edge.child.toLowerCase();
    const list = byChild.get(child);
    if (list === undefined) byChild.set(child, [edge]);
    else list.push(edge);
  }
  return byChild;
}

/**
 * A lineage as CSV: one row per record, in the answer's order (BFS level by level, then fingerprint), with its
 * parents within the export. `derivedFrom` and `derivationGrants` are space-separated lists of the same length (a
 * grant id of 0: derived without a grant, e.g. from a public record or the owner's own); `revisionOf` lists the
 * versions it revises. Whether the lineage was truncated is not part of the table: a route says it in a header.
 */
export function lineageToCsv(lineage: LineageExport): string {
  checkLineage(lineage);
  const names = organizationNames(lineage.organizations);
  const parents = parentsByChild(lineage.edges);
  return csvDocument(
    LINEAGE_CSV_COLUMNS,
    lineage.nodes.map((node, index): CsvCell[] => {
      const field = `nodes[${index}]`;
      const derivedFrom: string[] = [];
      const grants: string[] = [];
      const revisionOf: string[] = [];
      for (const edge of parents.get(node.fingerprint.toLowerCase()) ?? []) {
        if (edge.relation === "revision-of") revisionOf.push(edge.parent.toLowerCase());
        else {
          derivedFrom.push(edge.parent.toLowerCase());
          grants.push(edge.grantId === null ? "0" : decimal(edge.grantId, `${field} edge grantId`));
        }
      }
      return [
        node.level,
        node.fingerprint.toLowerCase(),
        node.status,
        codeName("DataClass", node.dataClass),
        node.ownerOrg,
        names.get(node.ownerOrg) ?? "",
        isoTime(node.registeredAt, `${field}.registeredAt`),
        node.registrant?.toLowerCase() ?? "",
        node.registrantOrg ?? "",
        node.scheme ?? "",
        node.metadataHash?.toLowerCase() ?? "",
        node.metadataURI ?? "",
        derivedFrom.join(" "),
        grants.join(" "),
        revisionOf.join(" "),
      ];
    }),
  );
}

/** An event's arguments without the stamp (its own columns), as canonical JSON (RFC 8785): the same bytes each time. */
function argumentsJson(event: ExportEvent): string {
  const rest: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(event.args)) if (name !== "stamp") rest[name] = value;
  return canonicalJson(rest);
}

/**
 * An organisation's activity as CSV: one row per event, oldest first as given. `organizations` lists every
 * organisation the event names as `argument=id` (e.g. `granteeOrg=3 grantorOrg=1`); `args` holds all decoded
 * arguments as canonical JSON, for whatever the fixed columns leave out.
 */
export function activityToCsv(activity: ActivityExport): string {
  if (!Array.isArray(activity.events)) throw new Error("activity.events is not an array");
  activityOrganization(activity);
  return csvDocument(
    ACTIVITY_CSV_COLUMNS,
    activity.events.map((event, index): CsvCell[] => {
      const field = `events[${index}]`;
      const stamp = event.stamp;
      return [
        isoTime(event.time, `${field}.time`),
        decimal(event.blockNumber, `${field}.blockNumber`),
        event.logIndex,
        event.transactionHash.toLowerCase(),
        event.name,
        subjectOf(event),
        actorOf(event) ?? "",
        organizationsOf(event)
          .map(([name, id]) => `${name}=${id}`)
          .join(" "),
        stamp === null ? "" : decimal(stamp.ledgerSequence, `${field}.stamp.ledgerSequence`),
        stamp === null ? "" : decimal(stamp.recordLength, `${field}.stamp.recordLength`),
        stamp?.recordHead.toLowerCase() ?? "",
        stamp?.ledgerHead.toLowerCase() ?? "",
        event.blockHash.toLowerCase(),
        event.address.toLowerCase(),
        argumentsJson(event),
      ];
    }),
  );
}
