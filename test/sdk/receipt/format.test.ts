import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import {
  ProvledgerError,
  ReceiptFormatError,
  buildRegistrationReceipt,
  parseReceipt,
  stringifyReceipt,
  type ProvenanceReceipt,
  type ReceiptFormatErrorCode,
  type RegistrationReceipt,
} from "../../../src/sdk";
import { FIXTURE_NAMES } from "../../fixtures/receipts/scenario";
import { hashOf, registration } from "../../helpers/fixtures";
import { setup } from "./deployment";

const fixture = (name: string): string =>
  readFileSync(path.join(__dirname, "..", "..", "fixtures", "receipts", `${name}.json`), "utf8");

/** The ReceiptFormatError `run` throws. */
function formatErrorOf(run: () => unknown, code: ReceiptFormatErrorCode): ReceiptFormatError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ReceiptFormatError).and.instanceOf(ProvledgerError);
    const formatError = error as ReceiptFormatError;
    expect(formatError.code).to.equal(code);
    return formatError;
  }
  expect.fail(`expected a ReceiptFormatError ${code}`);
}

describe("SDK provenance receipts: format", () => {
  describe("parseReceipt", () => {
    let sample: RegistrationReceipt;

    before(async () => {
      const { ledger, agency, client, ledgerAddress } = await setup();
      const tx = await ledger.connect(agency).register(
        registration(hashOf("receipt:parse"), {
          parents: [],
        }),
      );
      sample = await buildRegistrationReceipt(client, { ledger: ledgerAddress, transactionHash: tx.hash as Hex });
    });

    function edited(edit: (receipt: Record<string, unknown> & RegistrationReceipt) => void): unknown {
      const copy = structuredClone(sample) as Record<string, unknown> & RegistrationReceipt;
      edit(copy);
      return copy;
    }

    function problemsOf(value: unknown): string[] {
      try {
        parseReceipt(value);
      } catch (error) {
        expect(error).to.be.instanceOf(ReceiptFormatError);
        const formatError = error as ReceiptFormatError;
        expect(formatError.name).to.equal("ReceiptFormatError");
        expect(formatError.message).to.contain(formatError.problems[0]);
        return [...formatError.problems];
      }
      expect.fail("parseReceipt accepted a malformed receipt");
    }

    it("refuses a metadata URI with a lone surrogate, which UTF-8 encoders would silently turn into U+FFFD", () => {
      const problems = problemsOf(
        edited((r) => {
          r.record.metadataURI = "ipfs://\uD800";
        }),
      );
      expect(problems).to.deep.equal(["/record/metadataURI: contains a lone UTF-16 surrogate (not valid Unicode)"]);
      expect(() => parseReceipt(edited((r) => (r.record.metadataURI = "ipfs://\uFFFD")))).to.not.throw();
    });

    it("reads back what stringifyReceipt wrote, from text or from a value (copied)", () => {
      const text = stringifyReceipt(sample);
      expect(parseReceipt(text)).to.deep.equal(sample);
      const copy = parseReceipt(sample);
      expect(copy).to.deep.equal(sample);
      expect(copy).to.not.equal(sample);
    });

    it("says what is wrong, one problem per line, all at once", () => {
      expect(problemsOf("{ not json")[0]).to.match(/^not JSON: /);
      expect(problemsOf(edited((r) => (r.version = 2 as 1)))).to.deep.equal([
        "/version: unsupported receipt version 2: this reader understands version 1",
      ]);
      expect(problemsOf(edited((r) => delete (r.trail as Partial<typeof r.trail>).stamp))).to.deep.equal([
        '/trail: missing field "stamp"',
      ]);
      expect(problemsOf(edited((r) => (r.extra = true)))).to.deep.equal(['receipt: unknown field "extra"']);
      expect(problemsOf(edited((r) => (r.fingerprint = r.fingerprint.toUpperCase() as Hex)))).to.have.members([
        `/fingerprint: must be 32 bytes of lowercase hex (0x and 64 digits 0-9a-f), got "${sample.fingerprint.toUpperCase()}"`,
      ]);
      expect(problemsOf(edited((r) => (r.chainId = 31337 as unknown as string)))).to.deep.equal([
        "/chainId: must be of type string, got 31337",
      ]);
      expect(problemsOf(edited((r) => (r.record.registrant = "0x1234" as Address)))[0]).to.match(
        /^\/record\/registrant: must be an address in lowercase hex/,
      );
      expect(problemsOf(edited((r) => (r.kind = "attestation" as "registration")))[0]).to.equal(
        '/kind: must be one of "registration", "batch-member", got "attestation"',
      );
      expect(problemsOf(edited((r) => (r.batch = {})))).to.deep.equal([
        "/batch: not allowed in a receipt of this kind",
      ]);
      expect(problemsOf(edited((r) => delete (r as Partial<typeof r>).record))).to.deep.equal([
        'receipt: missing field "record"',
      ]);
      expect(problemsOf(edited((r) => (r.record.registeredBlock = "18446744073709551616")))).to.deep.equal([
        "/record/registeredBlock: 18446744073709551616 does not fit in a uint64",
      ]);
      expect(problemsOf(edited((r) => (r.record.registeredAt = "007")))[0]).to.match(
        /^\/record\/registeredAt: must be a non-negative integer written as a decimal string/,
      );
      expect(problemsOf(edited((r) => (r.record.metadataURI = "é".repeat(200))))).to.deep.equal([
        "/record/metadataURI: 400 bytes, longer than the ledger accepts (256)",
      ]);
      expect(problemsOf(edited((r) => (r.submission = { signer: r.record.registrant } as never))))
        .to.include('/submission: missing field "signature"')
        .and.to.include('/submission: missing field "nonce"');

      const many = problemsOf(
        edited((r) => {
          r.chainId = "-1";
          r.transaction.logIndex = -1;
          r.trail.entry.action = 300;
        }),
      );
      expect(many).to.have.length(3);
      expect(many.join("\n"))
        .to.contain("/chainId")
        .and.contain("/transaction/logIndex")
        .and.contain("/trail/entry/action");
    });

    it("refuses values that are not receipts at all", () => {
      expect(problemsOf(null)).to.deep.equal(["receipt: must be of type object, got null"]);
      expect(problemsOf([])).to.deep.equal(["receipt: must be of type object, got []"]);
      expect(problemsOf({})).to.include('receipt: missing field "version"');
    });
  });

  describe("one spelling", () => {
    const text = fixture("signed-registration");
    const receipt = JSON.parse(text) as RegistrationReceipt;

    /** Each a spelling of the same receipt (JSON.parse gives the same value) that is not its canonical text. */
    const spellings: [string, string][] = [
      ["a duplicate key", text.replace('  "version": 1,\n', '  "version": 1,\n  "version": 1,\n')],
      ["1e0 for 1", text.replace('"version": 1,', '"version": 1e0,')],
      ["0.0 for 0", text.replace('"logIndex": 0', '"logIndex": 0.0')],
      ["1.0 for 1", text.replace('"version": 1,', '"version": 1.0,')],
      ["compact JSON", JSON.stringify(receipt)],
      ["four-space indentation", `${JSON.stringify(receipt, null, 4)}\n`],
      ["no final newline", text.slice(0, -1)],
      ["CRLF line ends", text.replace(/\n/g, "\r\n")],
      ["a space before a colon", text.replace('"kind": ', '"kind" : ')],
      [
        "another key order",
        text.replace('  "version": 1,\n  "kind": "registration",', '  "kind": "registration",\n  "version": 1,'),
      ],
      ["RFC 8785's sorted keys", `${JSON.stringify(sortedKeys(receipt), null, 2)}\n`],
      ["a \\u escape for a non-ASCII letter", text.replace("ü", "\\u00fc")],
      ["a \\u escape for an ASCII letter", text.replace('"kind": "registration"', '"kind": "regi\\u0073tration"')],
      ["an escaped slash", text.replace("ipfs://", "ipfs:\\/\\/")],
    ];

    it("the test's spellings all parse to the receipt itself", () => {
      for (const [what, spelling] of spellings) {
        expect(spelling, what).to.not.equal(text);
        expect(JSON.parse(spelling), what).to.deep.equal(receipt);
      }
    });

    it("parseReceipt(text) refuses every other spelling, says where it departs and how to fix it", () => {
      for (const [what, spelling] of spellings) {
        const error = formatErrorOf(() => parseReceipt(spelling), "NonCanonicalReceipt");
        expect(error.problems, what).to.have.length(1);
        expect(error.shortMessage, what).to.match(
          /^not a provenance receipt's canonical text: at line \d+, column \d+ the text (has|ends|goes on)/,
        );
        expect(error.details, what).to.contain("stringifyReceipt");
        expect(error.retryable).to.equal(false);
      }
      const duplicate = formatErrorOf(() => parseReceipt(spellings[0][1]), "NonCanonicalReceipt");
      expect(duplicate.problems[0]).to.equal(
        'at line 3, column 4 the text has "version\\": 1,\\n  \\"kind\\": \\"" where stringifyReceipt writes ' +
          '"kind\\": \\"registration\\",\\n "',
      );
      const missingNewline = formatErrorOf(() => parseReceipt(text.slice(0, -1)), "NonCanonicalReceipt");
      expect(missingNewline.problems[0]).to.match(
        /^at line 53, column 2 the text ends where stringifyReceipt writes "\\n"$/,
      );
    });

    it("the fix works: stringifyReceipt(parseReceipt(JSON.parse(text))) is the canonical text", () => {
      for (const [what, spelling] of spellings) {
        expect(stringifyReceipt(parseReceipt(JSON.parse(spelling))), what).to.equal(text);
      }
    });

    it("an already parsed value has no spelling: it is checked as a value", () => {
      // JSON.parse kept the last of the duplicate keys and read 1e0 as 1: the value is a receipt, as it is.
      expect(parseReceipt(JSON.parse(spellings[1][1]))).to.deep.equal(receipt);
      expect(parseReceipt(sortedKeys(receipt))).to.deep.equal(receipt);
    });

    it("says so when the text goes on after the receipt", () => {
      const error = formatErrorOf(() => parseReceipt(`${text}\n`), "NonCanonicalReceipt");
      expect(error.problems[0]).to.equal(
        'at line 54, column 1 the text goes on with "\\n" after the canonical text\'s end',
      );
    });

    it("every committed fixture is its own canonical text", () => {
      for (const name of FIXTURE_NAMES) expect(stringifyReceipt(parseReceipt(fixture(name)))).to.equal(fixture(name));
    });

    it("stringifyReceipt writes the documented field order whatever order the value holds", () => {
      expect(stringifyReceipt(sortedKeys(receipt) as ProvenanceReceipt)).to.equal(text);
      const member = JSON.parse(fixture("signed-batch-member")) as ProvenanceReceipt;
      expect(stringifyReceipt(sortedKeys(member) as ProvenanceReceipt)).to.equal(fixture("signed-batch-member"));
    });

    it("stringifyReceipt refuses what is not a receipt, rather than write a text parseReceipt would refuse", () => {
      const extra = { ...receipt, note: "hello" } as ProvenanceReceipt;
      const error = formatErrorOf(() => stringifyReceipt(extra), "InvalidReceipt");
      expect(error.problems).to.deep.equal(['receipt: unknown field "note"']);
    });

    it("says what is not JSON", () => {
      const error = formatErrorOf(() => parseReceipt("{ not json"), "NotJson");
      expect(error.message).to.match(/^not a provenance receipt: not JSON: /);
      // JSON.parse refuses a byte order mark too.
      formatErrorOf(() => parseReceipt(`\uFEFF${text}`), "NotJson");
      expect(error.docsPath).to.equal("docs/errors.md#receiptformaterror");
    });
  });
});

/** The value with every object's keys sorted, as RFC 8785 orders them. */
function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sortedKeys(v)]),
  ) as T;
}
