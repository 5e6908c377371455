/**
 * A receipt's text. A receipt has exactly one spelling, `stringifyReceipt`'s: the fields in the documented order
 * (the schema's), two-space indentation, strings and numbers as JSON.stringify (and RFC 8785) writes them, lowercase
 * hex, one final newline. So equal receipts are equal texts, and `parseReceipt` refuses any other spelling of one
 * (docs/receipts.md, "Conventions").
 */
import { ReceiptFormatError } from "../errors/receipt";
import { receiptProblems } from "./schema";
import type { ProvenanceReceipt, ReceiptSubmission } from "./types";

const SCHEMA_FIX = "correct the fields listed (docs/receipts.md explains each), or rebuild the receipt from the chain";

/** The receipt's fields in the documented order, whatever order `r` holds them in (the value must be a receipt). */
function ordered(r: ProvenanceReceipt): ProvenanceReceipt {
  const head = {
    version: r.version,
    kind: r.kind,
    chainId: r.chainId,
    ledger: r.ledger,
    rights: r.rights,
    fingerprint: r.fingerprint,
  };
  const { transaction: t, trail } = r;
  const { entry, stamp } = trail;
  const s: ReceiptSubmission | null = r.submission;
  const tail = {
    transaction: { hash: t.hash, blockNumber: t.blockNumber, blockHash: t.blockHash, logIndex: t.logIndex },
    trail: {
      entry: { action: entry.action, actor: entry.actor, time: entry.time, payloadHash: entry.payloadHash },
      stamp: {
        recordHead: stamp.recordHead,
        recordLength: stamp.recordLength,
        ledgerSequence: stamp.ledgerSequence,
        ledgerHead: stamp.ledgerHead,
      },
      previousLedgerHead: trail.previousLedgerHead,
    },
    submission: s && {
      signer: s.signer,
      chainId: s.chainId,
      nonce: s.nonce,
      deadline: s.deadline,
      signature: s.signature,
    },
  };
  if (r.kind === "registration") {
    const d = r.record;
    const record = {
      ownerOrg: d.ownerOrg,
      registrant: d.registrant,
      scheme: d.scheme,
      dataClass: d.dataClass,
      metadataHash: d.metadataHash,
      metadataURI: d.metadataURI,
      parents: d.parents.map((p) => ({ fingerprint: p.fingerprint, relation: p.relation, grantId: p.grantId })),
      registeredAt: d.registeredAt,
      registeredBlock: d.registeredBlock,
    };
    return { ...head, kind: r.kind, record, ...tail };
  }
  const b = r.batch;
  const batch = {
    root: b.root,
    org: b.org,
    registrant: b.registrant,
    leafCount: b.leafCount,
    metadataHash: b.metadataHash,
    metadataURI: b.metadataURI,
    anchoredAt: b.anchoredAt,
    anchoredBlock: b.anchoredBlock,
    proof: [...b.proof],
  };
  return { ...head, kind: r.kind, batch, ...tail };
}

function canonicalText(receipt: ProvenanceReceipt): string {
  return `${JSON.stringify(ordered(receipt), null, 2)}\n`;
}

/** Where `text` first departs from `canonical`, with a few characters of each, for the error message. */
function firstDifference(text: string, canonical: string): string {
  let i = 0;
  while (i < text.length && i < canonical.length && text[i] === canonical[i]) i++;
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  const column = i - before.lastIndexOf("\n");
  const at = `at line ${line}, column ${column}`;
  const excerpt = (s: string) => JSON.stringify(s.slice(i, i + 24));
  if (i >= text.length) return `${at} the text ends where stringifyReceipt writes ${excerpt(canonical)}`;
  if (i >= canonical.length) return `${at} the text goes on with ${excerpt(text)} after the canonical text's end`;
  return `${at} the text has ${excerpt(text)} where stringifyReceipt writes ${excerpt(canonical)}`;
}

/**
 * Reads a receipt from its JSON text, or checks an already parsed value, against the version 1 schema.
 *
 * Text must be exactly the receipt's canonical spelling (what `stringifyReceipt` writes): `0.0` or `1e0` for 1,
 * duplicate keys, other whitespace, another field order, `\u00e9` for `é` are refused, since they would give one
 * receipt several texts. An object argument has no spelling to check (whoever parsed it decided what a duplicate key
 * or `1e0` meant); it is checked as a value and copied, not kept. Throws ReceiptFormatError: `NotJson`,
 * `InvalidReceipt` (listing every problem) or `NonCanonicalReceipt`.
 */
export function parseReceipt(json: unknown): ProvenanceReceipt {
  let value: unknown;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ReceiptFormatError("NotJson", [`not JSON: ${(error as Error).message}`], SCHEMA_FIX);
    }
  } else {
    value = structuredClone(json);
  }
  const problems = receiptProblems(value);
  if (problems.length > 0) throw new ReceiptFormatError("InvalidReceipt", problems, SCHEMA_FIX);
  if (typeof json === "string") {
    const canonical = canonicalText(value as ProvenanceReceipt);
    if (canonical !== json) {
      throw new ReceiptFormatError(
        "NonCanonicalReceipt",
        [firstDifference(json, canonical)],
        "a receipt has exactly one spelling, so re-serialise it: stringifyReceipt(parseReceipt(JSON.parse(text))) " +
          "checks its values and writes its canonical text",
      );
    }
  }
  return value as ProvenanceReceipt;
}

/**
 * The receipt's canonical text: fields in the documented order, two-space indented, one final newline (see the top
 * of this file). Throws ReceiptFormatError (`InvalidReceipt`) for a value that is not a well-formed receipt.
 */
export function stringifyReceipt(receipt: ProvenanceReceipt): string {
  const problems = receiptProblems(receipt);
  if (problems.length > 0) throw new ReceiptFormatError("InvalidReceipt", problems, SCHEMA_FIX);
  return canonicalText(receipt);
}
