/**
 * The API's exports: a record's lineage and an organisation's activity as W3C PROV-JSON and as RFC 4180 CSV. Pure
 * functions of the routes' answers (no I/O): the same input gives the same bytes.
 */
export {
  ACTIVITY_CSV_COLUMNS,
  LINEAGE_CSV_COLUMNS,
  activityCsvBytes,
  activityCsvChunks,
  activityCsvRows,
  activityToCsv,
  csvDocument,
  csvField,
  lineageCsvBytes,
  lineageCsvChunks,
  lineageToCsv,
  neutraliseFormula,
} from "./csv";
export { CHUNK_CHARS, joinChunks, type ByteChunks, type TextChunks } from "./common";
export { exportStream } from "./stream";
export type { CsvCell } from "./csv";
export { ExportInputError } from "./common";
export {
  PROVLEDGER_NAMESPACE,
  activityProvJsonBytes,
  activityProvJsonChunks,
  activityToProvJson,
  lineageProvJsonBytes,
  lineageProvJsonChunks,
  lineageToProvJson,
} from "./provJson";
export type { ProvAttributes, ProvDocument, ProvTypedLiteral, ProvValue } from "./provJson";
export type {
  ActivityExport,
  ExportAnchor,
  ExportEvent,
  ExportOrganization,
  ExportStamp,
  JsonValue,
  LineageExport,
  LineageExportEdge,
  LineageExportNode,
  LineageRelationName,
  ProvJsonOptions,
  RecordStatusName,
} from "./types";
