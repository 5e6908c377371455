/**
 * Whether a value is a well-formed version 1 receipt: the JSON Schema (schemas/provenance-receipt.v1.schema.json),
 * then what the schema cannot say (integer ranges of decimal strings, the ledger's URI limit), each problem in words.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import receiptSchema from "../../../schemas/provenance-receipt.v1.schema.json";
import { RECEIPT_VERSION, type ProvenanceReceipt } from "./types";

/** Path of the JSON Schema, relative to the repository root (for tools outside TypeScript). */
export const RECEIPT_SCHEMA_PATH = "schemas/provenance-receipt.v1.schema.json";

/** The JSON Schema itself (draft 2020-12). */
export const RECEIPT_SCHEMA: object = receiptSchema;

let validator: ValidateFunction | undefined;

/** Compiled once, on first use: compiling costs milliseconds, validating a receipt microseconds. */
function schemaValidator(): ValidateFunction {
  if (validator === undefined) {
    // Loaded here, not at the top: ajv is about a tenth of the SDK's cold import, and most programs never parse one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv2020 } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
    validator = new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile(receiptSchema);
  }
  return validator;
}

/** What each pattern of the schema means, for messages a person can act on. */
const PATTERN_MEANING: Record<string, string> = {
  "^0x[0-9a-f]{64}$": "32 bytes of lowercase hex (0x and 64 digits 0-9a-f)",
  "^0x[0-9a-f]{40}$": "an address in lowercase hex (0x and 40 digits 0-9a-f)",
  "^0x([0-9a-f]{2})+$": "bytes in lowercase hex (0x and an even number of digits 0-9a-f)",
  "^(0|[1-9][0-9]*)$": 'a non-negative integer written as a decimal string without leading zeros, e.g. "42"',
};

function shown(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath === "" ? "receipt" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${at}: missing field "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `${at}: unknown field "${String(params.additionalProperty)}"`;
    case "false schema":
      return `${at}: not allowed in a receipt of this kind`;
    case "const":
      if (error.instancePath === "/version") {
        return `/version: unsupported receipt version ${shown(error.data)}: this reader understands version ${RECEIPT_VERSION}`;
      }
      return `${at}: must be ${shown(params.allowedValue)}, got ${shown(error.data)}`;
    case "enum":
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map(shown).join(", ")}, got ${shown(error.data)}`;
    case "type":
      return `${at}: must be of type ${String(params.type)}, got ${shown(error.data)}`;
    case "pattern":
      return `${at}: must be ${PATTERN_MEANING[String(params.pattern)] ?? `matching ${String(params.pattern)}`}, got ${shown(error.data)}`;
    default:
      return `${at}: ${error.message ?? error.keyword}, got ${shown(error.data)}`;
  }
}

const UINT40_MAX = (1n << 40n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;
const MAX_URI_BYTES = 256;

/** Range checks JSON Schema cannot express on decimal strings, and the ledger's URI length limit. */
function rangeProblems(receipt: ProvenanceReceipt): string[] {
  const problems: string[] = [];
  const limit = (path: string, value: string, max: bigint, type: string): void => {
    if (BigInt(value) > max) problems.push(`${path}: ${value} does not fit in a ${type}`);
  };
  const uri = (path: string, value: string): void => {
    // A lone surrogate has no UTF-8 form: encoders substitute U+FFFD, so two different strings would hash alike.
    if (/\p{Surrogate}/u.test(value)) problems.push(`${path}: contains a lone UTF-16 surrogate (not valid Unicode)`);
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > MAX_URI_BYTES)
      problems.push(`${path}: ${bytes} bytes, longer than the ledger accepts (${MAX_URI_BYTES})`);
  };
  limit("/chainId", receipt.chainId, UINT256_MAX, "uint256");
  limit("/transaction/blockNumber", receipt.transaction.blockNumber, UINT64_MAX, "uint64");
  limit("/trail/entry/time", receipt.trail.entry.time, UINT64_MAX, "uint64");
  limit("/trail/stamp/recordLength", receipt.trail.stamp.recordLength, UINT64_MAX, "uint64");
  limit("/trail/stamp/ledgerSequence", receipt.trail.stamp.ledgerSequence, UINT64_MAX, "uint64");
  if (receipt.kind === "registration") {
    limit("/record/registeredAt", receipt.record.registeredAt, UINT40_MAX, "uint40");
    limit("/record/registeredBlock", receipt.record.registeredBlock, UINT64_MAX, "uint64");
    receipt.record.parents.forEach((parent, i) =>
      limit(`/record/parents/${i}/grantId`, parent.grantId, UINT256_MAX, "uint256"),
    );
    uri("/record/metadataURI", receipt.record.metadataURI);
  } else {
    limit("/batch/leafCount", receipt.batch.leafCount, UINT64_MAX, "uint64");
    limit("/batch/anchoredAt", receipt.batch.anchoredAt, UINT40_MAX, "uint40");
    limit("/batch/anchoredBlock", receipt.batch.anchoredBlock, UINT64_MAX, "uint64");
    uri("/batch/metadataURI", receipt.batch.metadataURI);
  }
  if (receipt.submission) {
    limit("/submission/chainId", receipt.submission.chainId, UINT256_MAX, "uint256");
    limit("/submission/nonce", receipt.submission.nonce, UINT256_MAX, "uint256");
    limit("/submission/deadline", receipt.submission.deadline, UINT256_MAX, "uint256");
  }
  return problems;
}

/**
 * Every way `value` fails to be a well-formed version 1 receipt (the JSON Schema, then integer ranges); empty if it
 * is one. Says nothing about whether the receipt is true: that is src/sdk/verify's job.
 */
export function receiptProblems(value: unknown): string[] {
  const validate = schemaValidator();
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    // A field that is not allowed at all (a `batch` in a registration receipt) also fails its own sub-schema;
    // those follow-on errors, and the `if`/`then` wrapper's "must match then", add nothing a person needs.
    const forbidden = errors.filter((e) => e.keyword === "false schema").map((e) => e.instancePath);
    const useful = errors.filter(
      (e) =>
        e.keyword !== "if" &&
        !forbidden.some(
          (path) => e.keyword !== "false schema" && (e.instancePath === path || e.instancePath.startsWith(`${path}/`)),
        ),
    );
    return [...new Set(useful.map(describeSchemaError))];
  }
  return rangeProblems(value as ProvenanceReceipt);
}
