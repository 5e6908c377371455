/**
 * Checking an answer of the query API's trail route (`GET /v1/records/{fingerprint}/trail`) against the chain, so that
 * a client need not trust whoever runs the API (docs/api-verification.md).
 *
 * The record's trail is a hash chain (README, "Audit trail encoding"): each entry's record head is
 * keccak256(previous head, action, actor, time, payloadHash), from zero. Recomputing it over the answer's entries and
 * comparing the result with the ledger's `trailHead(fingerprint)` at the answer's block binds every entry's position,
 * action, actor, time, payload hash and record head to the chain with one `eth_call`: a dropped, edited, reordered or
 * appended entry, or a partial answer, cannot reach the head the ledger holds.
 */
import { isAddress, zeroHash, type Address, type Hex, type PublicClient } from "viem";
import { provenanceLedgerAbi } from "../abi";
import { Action } from "../constants/codes";
import { checkAddress, checkBoolean, checkFingerprint } from "../utils/check";
import { decodeProvledgerError } from "../utils/decodeProvledgerError";
import { sameHex } from "../utils/hex";
import { preview } from "../utils/preview";
import type { VerificationCheck } from "../verify/types";
import { STANDALONE_EVENTS, TRAIL_ACTIONS, recordEntry, type TrailEventName } from "./entry";

/** One entry of a trail answer, as the API sends it (docs/api.md, `TrailAnswerEntry`). */
export interface TrailAnswerEntry {
  /** 1 for the registration, then 2, 3, ...: the stamp's `recordLength`. */
  position: number;
  /** The record's fingerprint. */
  subject: Hex;
  /** The trail action code (`Action`). */
  action: number;
  /** The action's name, for a person; checked against `action` when present. */
  actionName?: string;
  actor: Address;
  /** Block time of the event's block, unix seconds as a decimal string. */
  time: string;
  timeIso?: string;
  payloadHash: Hex;
  stamp: { recordHead: Hex; recordLength: string; ledgerSequence: string; ledgerHead: Hex };
  /** Where the entry's event was logged; checked for consistency with the entry and the anchor when present. */
  event?: { name: string; blockNumber: string; blockHash: Hex; logIndex: number; transactionHash: Hex };
}

/** The block and ledger head an answer reflects (`at` of every API answer). */
export interface TrailAnswerAnchor {
  block: { number: string; hash: Hex; timestamp: string; timeIso?: string };
  ledgerSequence: string;
  ledgerHead: Hex;
  finalized?: boolean;
}

/** One page of `GET /v1/records/{fingerprint}/trail`, as JSON. */
export interface TrailAnswer {
  at: TrailAnswerAnchor;
  data: { fingerprint: Hex; length: number | string; head: Hex; entries: readonly TrailAnswerEntry[] };
  next?: string | null;
}

export interface VerifyTrailAnswerParameters {
  /** The ledger the client trusts, from its own deployment configuration (never from the API). */
  ledger: Address;
  /**
   * The answer: one page, or every page in order (oldest entries first), all at the same `at.block`. Taken as parsed
   * JSON and checked field by field, so a malformed answer gets a verdict, not an exception.
   */
  answer: TrailAnswer | readonly TrailAnswer[];
  /**
   * The record the client asked about. Without it, an answer that is the complete, true trail of another record
   * would verify: pass it whenever the fingerprint is known.
   */
  fingerprint?: Hex;
  /** Also read the block at `at.block.number` and compare its hash and timestamp with the anchor's (default true). */
  checkBlockHash?: boolean;
  /** Also read `ledgerHead()` at the block and compare it with the anchor's sequence and head (default false). */
  checkLedgerHead?: boolean;
}

/** A field of an answer's entry that `firstBadEntry` can name. */
export type TrailAnswerField =
  /** The entry is missing (the answer stops short of the trail) or extra (the trail had ended). */
  | "entry"
  | "position"
  | "subject"
  | "action"
  | "time"
  | "event"
  | "recordLength"
  /** The record head does not recompute: the entry's action, actor, time or payloadHash, or its stamp, was altered. */
  | "recordHead"
  | "ledgerSequence"
  | "ledgerHead";

/** The first place where the answer departs from the trail. */
export interface TrailAnswerBadEntry {
  /** The trail position (1 = the registration) where the answer first goes wrong. */
  position: number;
  field: TrailAnswerField;
  /** What the recomputation (or the chain) gives there. */
  expected: string;
  /** What the answer says. */
  got: string;
}

export interface VerifyTrailAnswerReturnType {
  /** Every check passed: the answer is the record's complete, unaltered trail at its block. */
  valid: boolean;
  /** The answer holds exactly as many entries as the record's trail had at the block (`valid` says if the right ones). */
  complete: boolean;
  checks: VerificationCheck[];
  /** The first entry that does not recompute or is missing, and the field. */
  firstBadEntry?: TrailAnswerBadEntry;
  /** Why it is not valid: the first failed check's detail. */
  reason?: string;
  /** One paragraph for a person. */
  summary: string;
  /** The record, when the answer names one. */
  fingerprint?: Hex;
  /** The block checked against, when the answer names one. */
  blockNumber?: bigint;
  /** How many entries the answer holds. */
  entries: number;
  /** The record's trail on chain at the block, when it was read. */
  trail?: { head: Hex; length: bigint };
}

/** Names of the checks, so that programs need not match strings by hand. */
export const TrailAnswerCheck = {
  FORMAT: "format",
  RECORD: "record",
  HASH_CHAIN: "hash chain",
  TRAIL_HEAD: "trail head",
  BLOCK: "canonical block",
  LEDGER_HEAD: "ledger head",
} as const;

/** The events that append to a record's trail (not the standalone batch and governance ones), by action code. */
const RECORD_EVENTS: ReadonlyMap<number, TrailEventName> = new Map(
  (Object.entries(TRAIL_ACTIONS) as [TrailEventName, number][])
    .filter(([name]) => !STANDALONE_EVENTS.has(name))
    .map(([name, action]) => [action, name]),
);
const ACTION_KEYS: ReadonlyMap<number, string> = new Map(Object.entries(Action).map(([key, code]) => [code, key]));

// --- reading the answer

type Entry = {
  position: number;
  subject: Hex;
  action: number;
  actionName?: string;
  actor: Address;
  time: bigint;
  payloadHash: Hex;
  recordHead: Hex;
  recordLength: bigint;
  ledgerSequence: bigint;
  ledgerHead: Hex;
  event?: { name: string; blockNumber: bigint; blockHash: Hex };
};

type Parsed = {
  block: { number: bigint; hash: Hex; timestamp: bigint };
  ledgerSequence: bigint;
  ledgerHead: Hex;
  fingerprint: Hex;
  length: bigint;
  head: Hex;
  entries: Entry[];
  pages: number;
};

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Reads fields of untrusted JSON, collecting one sentence per problem (JSON-pointer path first). */
class Reader {
  readonly problems: string[] = [];

  private problem(path: string, what: string, value: unknown): undefined {
    if (this.problems.length < 20) this.problems.push(`${path || "/"} ${what} (got ${preview(value)})`);
    return undefined;
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.problem(path, "must be an object", value);
  }

  bytes32(value: unknown, path: string): Hex | undefined {
    if (typeof value === "string" && BYTES32.test(value)) return value.toLowerCase() as Hex;
    return this.problem(path, "must be 32 bytes of hex (0x and 64 hex digits)", value);
  }

  address(value: unknown, path: string): Address | undefined {
    if (typeof value === "string" && isAddress(value, { strict: false })) return value.toLowerCase() as Address;
    return this.problem(path, "must be an address (0x and 40 hex digits)", value);
  }

  /** A decimal string (the wire format of uint64s), or a JSON number that is a safe whole number. */
  uint(value: unknown, path: string, max = MAX_UINT64): bigint | undefined {
    const integer =
      typeof value === "string" && DECIMAL.test(value)
        ? BigInt(value)
        : typeof value === "number" && Number.isSafeInteger(value) && value >= 0
          ? BigInt(value)
          : undefined;
    if (integer !== undefined && integer <= max) return integer;
    return this.problem(path, `must be a whole number from 0 to ${max}, as a decimal string`, value);
  }

  number(value: unknown, path: string, max: number): number | undefined {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= max) return value;
    return this.problem(path, `must be a whole JSON number from 0 to ${max}`, value);
  }

  array(value: unknown, path: string): undefined {
    return this.problem(path, "must be an array", value);
  }

  string(value: unknown, path: string): string | undefined {
    if (typeof value === "string") return value;
    return this.problem(path, "must be a string", value);
  }

  /** Reports a problem that is not about one value's type. */
  inconsistent(path: string, what: string): void {
    if (this.problems.length < 20) this.problems.push(`${path} ${what}`);
  }
}

function readEntry(read: Reader, value: unknown, path: string): Entry | undefined {
  const entry = read.object(value, path);
  if (!entry) return undefined;
  const stamp = read.object(entry.stamp, `${path}/stamp`);
  const position = read.number(entry.position, `${path}/position`, Number.MAX_SAFE_INTEGER);
  const subject = read.bytes32(entry.subject, `${path}/subject`);
  const action = read.number(entry.action, `${path}/action`, 255);
  const actor = read.address(entry.actor, `${path}/actor`);
  const time = read.uint(entry.time, `${path}/time`);
  const payloadHash = read.bytes32(entry.payloadHash, `${path}/payloadHash`);
  const actionName = entry.actionName === undefined ? undefined : read.string(entry.actionName, `${path}/actionName`);
  const recordHead = stamp && read.bytes32(stamp.recordHead, `${path}/stamp/recordHead`);
  const recordLength = stamp && read.uint(stamp.recordLength, `${path}/stamp/recordLength`);
  const ledgerSequence = stamp && read.uint(stamp.ledgerSequence, `${path}/stamp/ledgerSequence`);
  const ledgerHead = stamp && read.bytes32(stamp.ledgerHead, `${path}/stamp/ledgerHead`);
  let event: Entry["event"];
  if (entry.event !== undefined && entry.event !== null) {
    const logged = read.object(entry.event, `${path}/event`);
    const name = logged && read.string(logged.name, `${path}/event/name`);
    const blockNumber = logged && read.uint(logged.blockNumber, `${path}/event/blockNumber`);
    const blockHash = logged && read.bytes32(logged.blockHash, `${path}/event/blockHash`);
    if (name !== undefined && blockNumber !== undefined && blockHash !== undefined) {
      event = { name, blockNumber, blockHash };
    }
  }
  if (
    position === undefined ||
    subject === undefined ||
    action === undefined ||
    actor === undefined ||
    time === undefined ||
    payloadHash === undefined ||
    recordHead === undefined ||
    recordLength === undefined ||
    ledgerSequence === undefined ||
    ledgerHead === undefined
  ) {
    return undefined;
  }
  return {
    position,
    subject,
    action,
    ...(actionName === undefined ? {} : { actionName }),
    actor,
    time,
    payloadHash,
    recordHead,
    recordLength,
    ledgerSequence,
    ledgerHead,
    ...(event ? { event } : {}),
  };
}

/** The answer's pages read into one trail, or the problems that stop it being read. */
function parseAnswer(answer: unknown): { parsed: Parsed } | { problems: string[] } {
  const read = new Reader();
  const pages = Array.isArray(answer) ? (answer as unknown[]) : [answer];
  if (pages.length === 0) return { problems: ["/ is an empty array: pass at least one page of the answer"] };
  let first: Omit<Parsed, "entries" | "pages"> | undefined;
  const entries: Entry[] = [];
  pages.forEach((value, p) => {
    const path = Array.isArray(answer) ? `/${p}` : "";
    const page = read.object(value, path);
    if (!page) return;
    const at = read.object(page.at, `${path}/at`);
    const block = at && read.object(at.block, `${path}/at/block`);
    const data = read.object(page.data, `${path}/data`);
    const number = block && read.uint(block.number, `${path}/at/block/number`);
    const hash = block && read.bytes32(block.hash, `${path}/at/block/hash`);
    const timestamp = block && read.uint(block.timestamp, `${path}/at/block/timestamp`);
    const ledgerSequence = at && read.uint(at.ledgerSequence, `${path}/at/ledgerSequence`);
    const ledgerHead = at && read.bytes32(at.ledgerHead, `${path}/at/ledgerHead`);
    const fingerprint = data && read.bytes32(data.fingerprint, `${path}/data/fingerprint`);
    const length = data && read.uint(data.length, `${path}/data/length`);
    const head = data && read.bytes32(data.head, `${path}/data/head`);
    if (data && !Array.isArray(data.entries)) read.array(data.entries, `${path}/data/entries`);
    const list = data && Array.isArray(data.entries) ? (data.entries as unknown[]) : [];
    list.forEach((item, i) => {
      const entry = readEntry(read, item, `${path}/data/entries/${i}`);
      if (entry) entries.push(entry);
    });
    if (
      number === undefined ||
      hash === undefined ||
      timestamp === undefined ||
      ledgerSequence === undefined ||
      ledgerHead === undefined ||
      fingerprint === undefined ||
      length === undefined ||
      head === undefined
    ) {
      return;
    }
    const here = { block: { number, hash, timestamp }, ledgerSequence, ledgerHead, fingerprint, length, head };
    if (!first) {
      first = here;
      return;
    }
    if (number !== first.block.number || !sameHex(hash, first.block.hash)) {
      read.inconsistent(
        `${path}/at/block`,
        `is block ${number} (${hash}) but page 0 is at block ${first.block.number} (${first.block.hash}): every ` +
          "page must be at the same block; fetch the pages again",
      );
    } else if (ledgerSequence !== first.ledgerSequence || !sameHex(ledgerHead, first.ledgerHead)) {
      read.inconsistent(`${path}/at`, "names another ledger sequence or head than page 0 at the same block");
    }
    if (!sameHex(fingerprint, first.fingerprint)) {
      read.inconsistent(`${path}/data/fingerprint`, `is ${fingerprint} but page 0 is of record ${first.fingerprint}`);
    }
    if (length !== first.length || !sameHex(head, first.head)) {
      read.inconsistent(`${path}/data`, "names another trail length or head than page 0 at the same block");
    }
  });
  if (read.problems.length > 0 || !first) return { problems: read.problems };
  return { parsed: { ...first, entries, pages: pages.length } };
}

// --- recomputing the chain

type Bad = TrailAnswerBadEntry & { index: number; detail: string };

function bad(index: number, field: TrailAnswerField, expected: unknown, got: unknown, detail: string): Bad {
  return { index, position: index + 1, field, expected: String(expected), got: String(got), detail };
}

/** "abc_def" / "RecordFrozen" / "record frozen" -> comparable letters and digits. */
function spelling(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Checks each entry against its place in the trail and recomputes the record heads from zero; returns the head after
 * the last entry that recomputes, and the first entry that does not (with the field).
 */
function recompute(parsed: Parsed): { head: Hex; bad?: Bad } {
  const { entries, block } = parsed;
  let head: Hex = zeroHash;
  let previous: Entry | undefined;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const position = index + 1;
    const at = `entry ${position}`;
    if (entry.position !== position) {
      const why =
        entry.position > position
          ? `entry ${position} is missing (the answer goes from ${position - 1} to ${entry.position})`
          : `the entries are out of order or repeated`;
      return {
        head,
        bad: bad(index, "position", position, entry.position, `${at} has position ${entry.position}: ${why}`),
      };
    }
    if (!sameHex(entry.subject, parsed.fingerprint)) {
      return {
        head,
        bad: bad(
          index,
          "subject",
          parsed.fingerprint,
          entry.subject,
          `${at} is of record ${entry.subject}, not ${parsed.fingerprint}`,
        ),
      };
    }
    const eventName = RECORD_EVENTS.get(entry.action);
    if (eventName === undefined || (index === 0) !== (entry.action === Action.REGISTERED)) {
      const what =
        eventName === undefined
          ? `action ${entry.action} is no action of a record's trail`
          : index === 0
            ? `a record's trail starts with its registration (action ${Action.REGISTERED}), not action ${entry.action}`
            : `a record is registered once, at position 1`;
      return {
        head,
        bad: bad(index, "action", index === 0 ? Action.REGISTERED : "a record action", entry.action, `${at}: ${what}`),
      };
    }
    const labels = [spelling(eventName), spelling(ACTION_KEYS.get(entry.action) ?? eventName)];
    if (entry.event && entry.event.name !== eventName) {
      return {
        head,
        bad: bad(
          index,
          "action",
          `${TRAIL_ACTIONS[entry.event.name as TrailEventName] ?? "(no trail event)"} (${entry.event.name})`,
          entry.action,
          `${at} has action ${entry.action} (${eventName}) but its event is ${entry.event.name}`,
        ),
      };
    }
    if (entry.actionName !== undefined && !labels.includes(spelling(entry.actionName))) {
      return {
        head,
        bad: bad(
          index,
          "action",
          eventName,
          entry.actionName,
          `${at} has action ${entry.action} (${eventName}) but is labelled ${JSON.stringify(entry.actionName)}`,
        ),
      };
    }
    if (entry.time > block.timestamp || (previous !== undefined && entry.time < previous.time)) {
      const why =
        entry.time > block.timestamp
          ? `after the answer's block time ${block.timestamp}`
          : `before the previous entry's time ${previous!.time}`;
      return {
        head,
        bad: bad(
          index,
          "time",
          `${previous?.time ?? 0} to ${block.timestamp}`,
          entry.time,
          `${at} has time ${entry.time}, ${why}`,
        ),
      };
    }
    if (entry.event) {
      const { blockNumber, blockHash } = entry.event;
      const why =
        blockNumber > block.number
          ? `after the answer's block ${block.number}`
          : previous?.event && blockNumber < previous.event.blockNumber
            ? `before the previous entry's block ${previous.event.blockNumber}`
            : blockNumber === block.number && !sameHex(blockHash, block.hash)
              ? `with hash ${blockHash}, not the answer's block hash ${block.hash}`
              : undefined;
      if (why !== undefined) {
        return {
          head,
          bad: bad(
            index,
            "event",
            `a block up to ${block.number}`,
            blockNumber,
            `${at}'s event is in block ${blockNumber}, ${why}`,
          ),
        };
      }
    }
    if (
      entry.ledgerSequence === 0n ||
      entry.ledgerSequence > parsed.ledgerSequence ||
      (previous !== undefined && entry.ledgerSequence <= previous.ledgerSequence)
    ) {
      const low = (previous?.ledgerSequence ?? 0n) + 1n;
      return {
        head,
        bad: bad(
          index,
          "ledgerSequence",
          `${low} to ${parsed.ledgerSequence}`,
          entry.ledgerSequence,
          `${at} claims ledger sequence ${entry.ledgerSequence}, outside ${low} to ${parsed.ledgerSequence} (after the previous entry, up to the answer's ledger sequence)`,
        ),
      };
    }
    if (entry.ledgerSequence === parsed.ledgerSequence && !sameHex(entry.ledgerHead, parsed.ledgerHead)) {
      return {
        head,
        bad: bad(
          index,
          "ledgerHead",
          parsed.ledgerHead,
          entry.ledgerHead,
          `${at} is the ledger's last entry at the block (sequence ${entry.ledgerSequence}) but its ledger head differs from the answer's`,
        ),
      };
    }
    if (entry.recordLength !== BigInt(position)) {
      return {
        head,
        bad: bad(
          index,
          "recordLength",
          position,
          entry.recordLength,
          `${at}'s stamp claims record length ${entry.recordLength}`,
        ),
      };
    }
    const recomputed = recordEntry(head, entry.action, entry.actor, entry.time, entry.payloadHash);
    if (!sameHex(recomputed, entry.recordHead)) {
      return {
        head,
        bad: bad(
          index,
          "recordHead",
          recomputed,
          entry.recordHead,
          `${at} (${eventName}) does not recompute: the previous head, its action, actor, time and payloadHash give ` +
            `record head ${recomputed} but its stamp claims ${entry.recordHead}`,
        ),
      };
    }
    head = recomputed;
    previous = entry;
  }
  return { head };
}

/**
 * Says what was altered at a record head that does not recompute, from what chains from it: if the next entry (or
 * the chain's head, after the last) follows the claimed head, the entry's fields were changed; if it follows the
 * recomputed one, its stamp was.
 */
function diagnose(parsed: Parsed, found: Bad, chain: { head: Hex; length: bigint } | undefined): string {
  const { entries } = parsed;
  const next = entries[found.index + 1];
  const follows = (head: Hex): boolean =>
    next
      ? sameHex(recordEntry(head, next.action, next.actor, next.time, next.payloadHash), next.recordHead)
      : chain !== undefined && chain.length === BigInt(entries.length) && sameHex(chain.head, head);
  const after = next ? "the next entry" : "the ledger's trail head";
  if (follows(found.got as Hex)) {
    return `${after} chains from the claimed head, so the entry's action, actor, time or payloadHash was altered`;
  }
  if (follows(found.expected as Hex))
    return `${after} chains from the recomputed head, so the entry's stamp was altered`;
  return "an entry was altered, or entries were dropped or reordered here";
}

// --- the checks and the verdict

const pass = (name: string, detail: string): VerificationCheck => ({ name, ok: true, detail });
const fail = (name: string, detail: string): VerificationCheck => ({ name, ok: false, detail });

function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

/** Runs a read of the node; a node failure is thrown (a ProvledgerError, `retryable` says whether to retry). */
async function request<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw await decodeProvledgerError(error, { action: "verifyTrailAnswer" });
  }
}

/** viem's "returned no data" (no contract at the address at that block), read by name across viem copies. */
function isZeroData(error: unknown): boolean {
  for (let cause = error as { name?: string; cause?: unknown } | undefined; cause; cause = cause.cause as never) {
    if (cause.name === "ContractFunctionZeroDataError") return true;
  }
  return false;
}

function isBlockNotFound(error: unknown): boolean {
  for (let cause = error as { name?: string; cause?: unknown } | undefined; cause; cause = cause.cause as never) {
    if (cause.name === "BlockNotFoundError") return true;
  }
  return false;
}

function verdict(
  checks: VerificationCheck[],
  fields: Omit<VerifyTrailAnswerReturnType, "valid" | "checks" | "reason" | "summary">,
  parsed?: Parsed,
): VerifyTrailAnswerReturnType {
  const failed = checks.filter((check) => !check.ok);
  const valid = failed.length === 0;
  const where = parsed
    ? `the trail of record ${short(parsed.fingerprint)} at block ${parsed.block.number} (${short(parsed.block.hash)})`
    : "the trail answer";
  const summary = valid
    ? `VALID: ${where}: all ${fields.entries} entries recompute to the ledger's trail head ${short(fields.trail!.head)} ` +
      `(length ${fields.trail!.length}); all ${checks.length} checks passed against the chain.`
    : `INVALID: ${where}; ${failed.length} of ${checks.length} checks failed: ` +
      `${failed.map((check) => `${check.name}: ${check.detail}`).join("; ")}.`;
  return { valid, checks, ...fields, ...(valid ? {} : { reason: failed[0].detail }), summary };
}

/**
 * Checks an answer of the query API's trail route against the chain: recomputes the record's hash chain from zero over
 * the answer's entries (positions 1..n, each record head from the previous head, action, actor, time and payload hash,
 * each stamp as claimed), then reads the ledger's `trailHead(fingerprint)` at the answer's block (one `eth_call`) and
 * compares the head and length with the recomputation. With `checkBlockHash` (the default) it also reads that block
 * (a second request) to check the answer's block hash is canonical on the node's chain.
 *
 * Never throws for a bad answer: a malformed, partial or altered answer is a verdict with the failed checks and the
 * first bad entry. Throws InvalidInputError for bad parameters (nothing sent), and a ProvledgerClientError when the
 * node fails (`retryable` says whether to retry): a node that cannot answer says nothing about the answer.
 *
 * @example
 * const answer = await (await fetch(`${api}/v1/records/${fingerprint}/trail?limit=1000`)).json();
 * const verdict = await verifyTrailAnswer(publicClient, { ledger, fingerprint, answer });
 * if (!verdict.valid) throw new Error(verdict.summary);
 */
export async function verifyTrailAnswer(
  client: PublicClient,
  params: VerifyTrailAnswerParameters,
): Promise<VerifyTrailAnswerReturnType> {
  const ledger = checkAddress(params?.ledger, "ledger");
  const asked = params.fingerprint === undefined ? undefined : checkFingerprint(params.fingerprint, "fingerprint");
  const checkBlockHash = checkBoolean(params.checkBlockHash ?? true, "checkBlockHash");
  const checkLedgerHead = checkBoolean(params.checkLedgerHead ?? false, "checkLedgerHead");

  const read = parseAnswer(params.answer);
  if ("problems" in read) {
    const detail = `not a trail answer: ${read.problems.join("; ")}`;
    return verdict([fail(TrailAnswerCheck.FORMAT, detail)], { complete: false, entries: 0 });
  }
  const { parsed } = read;
  const n = parsed.entries.length;
  const blockNumber = parsed.block.number;
  const checks: VerificationCheck[] = [
    pass(TrailAnswerCheck.FORMAT, `${n} entries in ${parsed.pages} page(s) at block ${blockNumber}`),
  ];
  checks.push(
    asked === undefined || sameHex(asked, parsed.fingerprint)
      ? pass(TrailAnswerCheck.RECORD, `the answer is the trail of record ${parsed.fingerprint}`)
      : fail(TrailAnswerCheck.RECORD, `the answer is the trail of record ${parsed.fingerprint}, not of ${asked}`),
  );

  // The node's reads, at once: the block (its hash and time), the record's trail head, the ledger head.
  const [blockRead, trailRead, ledgerRead] = await Promise.allSettled([
    checkBlockHash ? client.getBlock({ blockNumber }) : Promise.resolve(undefined),
    client.readContract({
      address: ledger,
      abi: provenanceLedgerAbi,
      functionName: "trailHead",
      args: [parsed.fingerprint],
      blockNumber,
    }),
    checkLedgerHead
      ? client.readContract({ address: ledger, abi: provenanceLedgerAbi, functionName: "ledgerHead", blockNumber })
      : Promise.resolve(undefined),
  ]);
  const noBlock = blockRead.status === "rejected" && isBlockNotFound(blockRead.reason);
  if (blockRead.status === "rejected" && !noBlock) await request(() => Promise.reject(blockRead.reason));
  if (checkBlockHash) {
    const block = blockRead.status === "fulfilled" ? blockRead.value : undefined;
    checks.push(
      !block
        ? fail(
            TrailAnswerCheck.BLOCK,
            `the node has no block ${blockNumber}: it is behind the API, or the block is made up`,
          )
        : !sameHex(block.hash ?? "", parsed.block.hash)
          ? fail(
              TrailAnswerCheck.BLOCK,
              `block ${blockNumber} is ${block.hash} on the node's chain, not ${parsed.block.hash}`,
            )
          : block.timestamp !== parsed.block.timestamp
            ? fail(
                TrailAnswerCheck.BLOCK,
                `block ${blockNumber} has time ${block.timestamp}, not ${parsed.block.timestamp}`,
              )
            : pass(TrailAnswerCheck.BLOCK, `block ${blockNumber} is ${short(parsed.block.hash)} on the node's chain`),
    );
  }

  let trail: { head: Hex; length: bigint } | undefined;
  let headCheck: VerificationCheck;
  if (noBlock) {
    headCheck = fail(TrailAnswerCheck.TRAIL_HEAD, `not checked: the node has no block ${blockNumber}`);
  } else if (trailRead.status === "rejected" && isZeroData(trailRead.reason)) {
    headCheck = fail(
      TrailAnswerCheck.TRAIL_HEAD,
      `${ledger} held no ledger at block ${blockNumber}: the block is before the deployment, or the ledger address is wrong`,
    );
  } else {
    const [head, length] = await request(() =>
      trailRead.status === "fulfilled" ? Promise.resolve(trailRead.value) : Promise.reject(trailRead.reason),
    );
    trail = { head, length };
    headCheck = pass(TrailAnswerCheck.TRAIL_HEAD, "");
  }

  if (checkLedgerHead && !noBlock && !(ledgerRead.status === "rejected" && isZeroData(ledgerRead.reason))) {
    const [head, sequence] = (await request(() =>
      ledgerRead.status === "fulfilled" ? Promise.resolve(ledgerRead.value) : Promise.reject(ledgerRead.reason),
    ))!;
    checks.push(
      sequence === parsed.ledgerSequence && sameHex(head, parsed.ledgerHead)
        ? pass(
            TrailAnswerCheck.LEDGER_HEAD,
            `the ledger was at sequence ${sequence}, head ${short(head)}, at block ${blockNumber}`,
          )
        : fail(
            TrailAnswerCheck.LEDGER_HEAD,
            `at block ${blockNumber} the ledger was at sequence ${sequence}, head ${head}; the answer says ` +
              `${parsed.ledgerSequence}, ${parsed.ledgerHead}`,
          ),
    );
  }

  // The hash chain, then the recomputed head against the ledger's.
  const { head, bad: found } = recompute(parsed);
  let firstBadEntry: TrailAnswerBadEntry | undefined;
  if (found) {
    const cause = found.field === "recordHead" ? `; ${diagnose(parsed, found, trail)}` : "";
    checks.push(fail(TrailAnswerCheck.HASH_CHAIN, `${found.detail}${cause}`));
    firstBadEntry = { position: found.position, field: found.field, expected: found.expected, got: found.got };
  } else {
    checks.push(pass(TrailAnswerCheck.HASH_CHAIN, `entries 1 to ${n} chain from zero to record head ${short(head)}`));
  }
  if (trail) {
    const m = trail.length;
    const chainSays = `the ledger's trail of ${short(parsed.fingerprint)} at block ${blockNumber} has ${m} entries, head ${trail.head}`;
    if (BigInt(n) < m) {
      headCheck = fail(TrailAnswerCheck.TRAIL_HEAD, `incomplete: the answer has ${n} of ${m} entries (${chainSays})`);
      firstBadEntry ??= { position: n + 1, field: "entry", expected: `entry ${n + 1} of ${m}`, got: "missing" };
    } else if (BigInt(n) > m) {
      headCheck = fail(
        TrailAnswerCheck.TRAIL_HEAD,
        `the answer has ${n} entries but ${m === 0n ? "the ledger has no trail for the record" : chainSays}: ` +
          `entries ${m + 1n} to ${n} are not on chain at that block`,
      );
      firstBadEntry ??= {
        position: Number(m) + 1,
        field: "entry",
        expected: `the end of the trail (${m} entries)`,
        got: `entry ${m + 1n}`,
      };
    } else if (found) {
      headCheck = fail(
        TrailAnswerCheck.TRAIL_HEAD,
        `not compared: entry ${found.position} does not recompute (${chainSays})`,
      );
    } else if (!sameHex(head, trail.head)) {
      headCheck = fail(
        TrailAnswerCheck.TRAIL_HEAD,
        `the entries recompute to head ${head} but ${chainSays}: they are not the ledger's trail (re-stamped or of another chain)`,
      );
    } else if (parsed.length !== m || !sameHex(parsed.head, trail.head)) {
      headCheck = fail(
        TrailAnswerCheck.TRAIL_HEAD,
        `the entries are the ledger's trail, but the answer's summary claims length ${parsed.length}, head ${parsed.head} (${chainSays})`,
      );
    } else {
      headCheck = pass(TrailAnswerCheck.TRAIL_HEAD, `${chainSays}: the recomputed head and length equal it`);
    }
  }
  checks.push(headCheck);
  return verdict(
    checks,
    {
      complete: trail !== undefined && BigInt(n) === trail.length,
      ...(firstBadEntry ? { firstBadEntry } : {}),
      fingerprint: parsed.fingerprint,
      blockNumber,
      entries: n,
      ...(trail ? { trail } : {}),
    },
    parsed,
  );
}
