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
 *
 * Speed: each renderer is one pass that writes a row's text as UTF-8 into a chunk's Buffer (no array of cells per
 * row, no array of lines, no string kept per row), with what repeats worked out once (an organisation's name cell, a class's name, a record's parent lists),
 * and gives the document in chunks (`lineageCsvChunks`, `activityCsvChunks`) that a route streams while it renders
 * the rest; `lineageToCsv` and `activityToCsv` are the same chunks as one string.
 */
import { codeName } from "../../sdk";
import {
  ChunkBytes,
  activityOrganization,
  actorOf,
  checkLineage,
  decimal,
  isoTime,
  joinChunks,
  organizationNames,
  organizationsOf,
  sortedKeys,
  subjectOf,
  textOf,
  type ByteChunks,
  type TextChunks,
} from "./common";
import { canonicalValue } from "./common";
import type { ActivityExport, ExportEvent, LineageExport, LineageExportEdge } from "./types";

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
/** What makes RFC 4180 quote a field. */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

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
  // A native regular expression test: several times faster than a loop over the characters in JavaScript.
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** A line of cells (no CRLF), checked against the header's width. */
function csvLine(width: number, row: readonly CsvCell[]): string {
  if (row.length !== width) {
    throw new Error(`a CSV row has ${row.length} cells for ${width} columns: every row must fill every column`);
  }
  let line = csvField(row[0]!);
  for (let i = 1; i < row.length; i++) line += `,${csvField(row[i]!)}`;
  return line;
}

/** An RFC 4180 document: the header row, then one row per entry of `rows`, each line ended by CRLF. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  let text = `${csvLine(header.length, header)}${CRLF}`;
  for (const row of rows) text += `${csvLine(header.length, row)}${CRLF}`;
  return text;
}

/** A record's parents within the export as its three cells: derived from, their grants, revisions of. */
type ParentCells = { derivedFrom: string; grants: string; revisionOf: string };

function parentCells(edges: readonly LineageExportEdge[]): Map<string, ParentCells> {
  const lists = new Map<string, { derivedFrom: string[]; grants: string[]; revisionOf: string[] }>();
  edges.forEach((edge, index) => {
    const child = edge.child.toLowerCase();
    let list = lists.get(child);
    if (list === undefined) lists.set(child, (list = { derivedFrom: [], grants: [], revisionOf: [] }));
    if (edge.relation === "revision-of") list.revisionOf.push(edge.parent.toLowerCase());
    else {
      list.derivedFrom.push(edge.parent.toLowerCase());
      list.grants.push(edge.grantId === null ? "0" : decimal(edge.grantId, `edges[${index}].grantId`));
    }
  });
  const cells = new Map<string, ParentCells>();
  for (const [child, list] of lists) {
    cells.set(child, {
      derivedFrom: csvField(list.derivedFrom.join(" ")),
      grants: csvField(list.grants.join(" ")),
      revisionOf: csvField(list.revisionOf.join(" ")),
    });
  }
  return cells;
}

const NO_PARENTS: ParentCells = { derivedFrom: "", grants: "", revisionOf: "" };
const HEADER = (columns: readonly string[]) => `${csvLine(columns.length, columns)}${CRLF}`;

/**
 * A lineage as CSV: one row per record, in the answer's order (BFS level by level, then fingerprint), with its
 * parents within the export. `derivedFrom` and `derivationGrants` are space-separated lists of the same length (a
 * grant id of 0: derived without a grant, e.g. from a public record or the owner's own); `revisionOf` lists the
 * versions it revises. Whether the lineage was truncated is not part of the table: a route says it in a header.
 */
export function lineageToCsv(lineage: LineageExport): string {
  return joinChunks(lineageCsvChunks(lineage));
}

/** `lineageToCsv` in chunks of about CHUNK_CHARS. */
export function* lineageCsvChunks(lineage: LineageExport): TextChunks {
  yield* textOf(lineageCsvBytes(lineage));
}

/** `lineageToCsv` as UTF-8 in chunks of about CHUNK_CHARS, for a route to stream. */
export function* lineageCsvBytes(lineage: LineageExport): ByteChunks {
  checkLineage(lineage);
  const names = organizationNames(lineage.organizations);
  const nameCells = new Map<number, string>();
  const classCells = new Map<number, string>();
  const parents = parentCells(lineage.edges);
  const rows = new ChunkBytes(HEADER(LINEAGE_CSV_COLUMNS));
  const nodes = lineage.nodes;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    const fingerprint = node.fingerprint.toLowerCase();
    let ownerName = nameCells.get(node.ownerOrg);
    if (ownerName === undefined) nameCells.set(node.ownerOrg, (ownerName = csvField(names.get(node.ownerOrg) ?? "")));
    let dataClass = classCells.get(node.dataClass);
    if (dataClass === undefined) {
      classCells.set(node.dataClass, (dataClass = csvField(codeName("DataClass", node.dataClass))));
    }
    const family = parents.get(fingerprint) ?? NO_PARENTS;
    const full = rows.add(
      `${csvField(node.level)},${csvField(fingerprint)},${csvField(node.status)},${dataClass},` +
        `${csvField(node.ownerOrg)},${ownerName},${csvField(isoTime(node.registeredAt, `nodes[${index}].registeredAt`))},` +
        `${csvField(node.registrant?.toLowerCase() ?? "")},${csvField(node.registrantOrg ?? "")},` +
        `${csvField(node.scheme ?? "")},${csvField(node.metadataHash?.toLowerCase() ?? "")},` +
        `${csvField(node.metadataURI ?? "")},${family.derivedFrom},${family.grants},${family.revisionOf}${CRLF}`,
    );
    if (full) yield rows.take();
  }
  yield rows.take();
}

/** An event's arguments without the stamp (its own columns), as canonical JSON (RFC 8785): the same bytes each time. */
function argumentsJson(event: ExportEvent): string {
  const { args } = event;
  let json = "{";
  for (const name of sortedKeys(event.name, args)) {
    const value = args[name];
    if (name === "stamp" || value === undefined) continue;
    json += `${json.length === 1 ? "" : ","}${JSON.stringify(name)}:${canonicalValue(value)}`;
  }
  return `${json}}`;
}

/**
 * An organisation's activity as CSV: one row per event, oldest first as given. `organizations` lists every
 * organisation the event names as `argument=id` (e.g. `granteeOrg=3 grantorOrg=1`); `args` holds all decoded
 * arguments as canonical JSON, for whatever the fixed columns leave out.
 */
export function activityToCsv(activity: ActivityExport): string {
  return joinChunks(activityCsvChunks(activity));
}

/** `activityToCsv` in chunks of about CHUNK_CHARS. */
export function* activityCsvChunks(activity: ActivityExport): TextChunks {
  yield* textOf(activityCsvBytes(activity));
}

/** `activityToCsv` as UTF-8 in chunks of about CHUNK_CHARS, for a route to stream. */
export function* activityCsvBytes(activity: ActivityExport): ByteChunks {
  if (!Array.isArray(activity.events)) throw new Error("activity.events is not an array");
  activityOrganization(activity);
  yield* activityCsvRows(activity.events, 0, true);
}

/**
 * Rows of `events` (the header first when `header`), `offset` the index of the first in the whole export (for the
 * field names of errors): a route that reads the activity in pages renders each page with this as it comes.
 */
export function* activityCsvRows(events: readonly ExportEvent[], offset: number, header: boolean): ByteChunks {
  const rows = new ChunkBytes(header ? HEADER(ACTIVITY_CSV_COLUMNS) : "");
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const field = `events[${offset + i}]`;
    const stamp = event.stamp;
    let organizations = "";
    for (const [name, id] of organizationsOf(event)) organizations += `${organizations === "" ? "" : " "}${name}=${id}`;
    const full = rows.add(
      `${csvField(isoTime(event.time, `${field}.time`))},${decimal(event.blockNumber, `${field}.blockNumber`)},` +
        `${csvField(event.logIndex)},${csvField(event.transactionHash.toLowerCase())},${csvField(event.name)},` +
        `${csvField(subjectOf(event))},${csvField(actorOf(event) ?? "")},${csvField(organizations)},` +
        (stamp === null
          ? ",,,,"
          : `${decimal(stamp.ledgerSequence, `${field}.stamp.ledgerSequence`)},` +
            `${decimal(stamp.recordLength, `${field}.stamp.recordLength`)},${csvField(stamp.recordHead.toLowerCase())},` +
            `${csvField(stamp.ledgerHead.toLowerCase())},`) +
        `${csvField(event.blockHash.toLowerCase())},${csvField(event.address.toLowerCase())},` +
        `${csvField(argumentsJson(event))}${CRLF}`,
    );
    if (full) yield rows.take();
  }
  if (!rows.empty) yield rows.take();
}
