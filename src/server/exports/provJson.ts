/**
 * W3C PROV-JSON exports (the Member Submission of 24 April 2013,
 * https://www.w3.org/Submission/2013/SUBM-prov-json-20130424/) of a lineage and of an organisation's activity, so
 * that provenance tools (ProvToolbox, the `prov` Python package, ProvStore) read what the ledger knows.
 *
 * Mapping:
 * - every record is an `entity` (`provledger:record/0x...`, prov:type provledger:Record, with its owner, class,
 *   status, registration time);
 * - every organisation an `agent` of prov:type prov:Organization (`provledger:org/3`, prov:label its name); every
 *   account that acted an `agent` of prov:type prov:SoftwareAgent (`provledger:account/0x...`: the chain knows a
 *   key that signed, not whether a person or a service held it), which `actedOnBehalfOf` the organisation whose
 *   role the contract checked, for that activity;
 * - every registration (lineage) or event (activity) an `activity` at its block time, `wasAssociatedWith` the
 *   account that sent it and the organisations it names (prov:role: the event argument);
 * - a derived-from edge is `wasDerivedFrom` (prov:generatedEntity the child, prov:usedEntity the parent) with the
 *   child's registration as prov:activity, its generation and its usage of the parent; a revision-of edge is the
 *   same with prov:type prov:Revision, as PROV-DM defines revisions;
 * - `wasAttributedTo` links a record to its owner, `wasGeneratedBy` to its registration, `used` an activity to the
 *   records it acted on;
 * - the export itself is an entity (`provledger:export/...`) that carries the query (direction, depth, whether and
 *   why it was truncated, the period) and the block the answer reflects, so that a reader can check it on chain.
 *
 * Form, as the submission says: a `prefix` map (only `provledger`: `prov` and `xsd` are predefined); maps of
 * elements and relations by identifier, relations without an identifier of their own under a blank one (`_:...`);
 * qualified-name values as typed literals `{"$": "prov:Organization", "type": "xsd:QName"}`, times in attributes as
 * `{"$": "...", "type": "xsd:dateTime"}` and in prov:time/prov:startTime/prov:endTime as xsd:dateTime strings,
 * integers that may exceed 2^53 as `xsd:unsignedLong`/`xsd:nonNegativeInteger` typed literals.
 *
 * Output: canonical JSON (RFC 8785: keys sorted by UTF-16 code units at every level, no whitespace), so the same
 * input always gives the same bytes; `canonicalize` of the parsed output is the output (a test checks it).
 *
 * Writer: the text is written directly, not built as objects and serialised (the first version did that, at
 * 2,700-6,000 records/s on the 2-core machines: a dozen small objects, a key sort and a JSON.stringify per record).
 * Every member's keys are written in their canonical order by construction (the order is spelt out below, once),
 * the strings a record's members repeat (its identifiers, its time) are made once, and values whose characters are
 * known (checked hex, ISO times, fixed names) are quoted without escaping; any other string goes through
 * JSON.stringify. A lineage's sections are written straight from the records sorted by fingerprint (all 32 bytes, so
 * every identifier that embeds one sorts as the fingerprints do); an activity's members are gathered per section
 * and sorted once. The text comes in chunks (`lineageProvJsonChunks`, `activityProvJsonChunks`) that a route streams.
 * test/server/exports/reference/ keeps the object-building version, and a test checks that both give the same
 * bytes.
 */
import { codeName } from "../../sdk";
import {
  ACCOUNT_ARGUMENTS,
  ACTING_ORGANIZATION,
  CHUNK_CHARS,
  ChunkBytes,
  ExportInputError,
  activityOrganization,
  actorOf,
  byCodeUnits,
  canonicalJson,
  checkLineage,
  decimal,
  hex32,
  isoTime,
  joinChunks,
  jsonInteger,
  organizationNames,
  organizationsOf,
  sortedKeys,
  textOf,
  type ByteChunks,
  type TextChunks,
} from "./common";
import type {
  ActivityExport,
  ExportAnchor,
  ExportEvent,
  JsonValue,
  LineageExport,
  LineageExportEdge,
  LineageExportNode,
  ProvJsonOptions,
} from "./types";

/** The namespace `provledger:` stands for unless the options give another. */
export const PROVLEDGER_NAMESPACE = "https://provledger.org/ns#";

/** A PROV-JSON attribute value: a JSON scalar, a typed literal, or an array of them. */
export type ProvValue =
  string | number | boolean | ProvTypedLiteral | readonly (string | number | boolean | ProvTypedLiteral)[];
export type ProvTypedLiteral = { readonly $: string; readonly type: string };
/** An element's or a relation's attributes by qualified name. */
export type ProvAttributes = Record<string, ProvValue>;
/** A PROV-JSON document (no bundles: the exports do not use them). */
export type ProvDocument = { prefix: Record<string, string> } & Partial<
  Record<ProvSection, Record<string, ProvAttributes>>
>;

type ProvSection =
  | "entity"
  | "activity"
  | "agent"
  | "wasGeneratedBy"
  | "used"
  | "wasDerivedFrom"
  | "wasAttributedTo"
  | "wasAssociatedWith"
  | "actedOnBehalfOf";

const qname = (name: string): ProvTypedLiteral => ({ $: name, type: "xsd:QName" });
const dateTime = (iso: string): ProvTypedLiteral => ({ $: iso, type: "xsd:dateTime" });
const unsignedLong = (value: string): ProvTypedLiteral => ({ $: value, type: "xsd:unsignedLong" });

/** Typed literals as text; `$` sorts before `type`. The value must need no escaping (digits, qualified names). */
const QNAME = (name: string) => `{"$":"${name}","type":"xsd:QName"}`;
const UNSIGNED_LONG = (digits: string) => `{"$":"${digits}","type":"xsd:unsignedLong"}`;
const NON_NEGATIVE_INTEGER = (digits: string) => `{"$":"${digits}","type":"xsd:nonNegativeInteger"}`;

const PROV_ORGANIZATION = QNAME("prov:Organization");
const PROV_SOFTWARE_AGENT = QNAME("prov:SoftwareAgent");
const PROV_REVISION = QNAME("prov:Revision");
const RECORD = QNAME("provledger:Record");
const RECORD_REGISTERED = QNAME("provledger:RecordRegistered");
const BATCH = QNAME("provledger:Batch");

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const HEX = /^0x[0-9a-fA-F]*$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
/** ABI names are identifiers; anything else would not be a qualified name's local part. */
const LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Event arguments that are text, not numbers, even when they look like digits. */
const TEXT_ARGUMENTS: ReadonlySet<string> = new Set(["name", "metadataURI"]);
/** Event arguments exported as relations or as their own attributes, not as plain attributes. */
const STRUCTURED_ARGUMENTS: ReadonlySet<string> = new Set(["stamp", "parents"]);

/** The sections in the document's (code-unit) order. */
const SECTIONS = [
  "actedOnBehalfOf",
  "activity",
  "agent",
  "entity",
  "prefix",
  "used",
  "wasAssociatedWith",
  "wasAttributedTo",
  "wasDerivedFrom",
  "wasGeneratedBy",
] as const;
type SectionName = (typeof SECTIONS)[number];

/** A section's members: `"identifier":{...}` texts in identifier order, or gathered Members (sorted when written). */
type SectionMembers = (() => Iterable<string>) | Members;

/**
 * A document of `sections` (each left out when it has no member), in chunks of UTF-8. Sections come in SECTIONS
 * order; each gives its members in identifier order.
 */
function* provDocument(sections: Partial<Record<SectionName, SectionMembers>>): ByteChunks {
  const out = new ChunkBytes("{");
  let firstSection = true;
  for (const name of SECTIONS) {
    const members = sections[name];
    if (members === undefined) continue;
    const header = `${firstSection ? "" : ","}"${name}":{`;
    if (members instanceof Members) {
      if (members.size === 0) continue;
      firstSection = false;
      yield* members.writeTo(out, header);
      out.add("}");
      continue;
    }
    let first = true;
    for (const member of members()) {
      let full: boolean;
      if (first) {
        full = out.add(`${header}${member}`);
        firstSection = false;
        first = false;
      } else full = out.add(`,${member}`);
      if (full) yield out.take();
    }
    if (!first) out.add("}");
  }
  out.add("}");
  yield out.take();
}

/**
 * Identifiers' JSON literals sort as the identifiers do unless an identifier holds a space or a `!` (below the
 * closing quote) or a character JSON escapes (written with a backslash).
 */
const UNUSUAL = /[ !\\]/;

/**
 * Members of a section gathered in any order: identifier -> attributes' JSON, the first statement of an identifier
 * winning (the exports state an organisation or a record the same way each time they meet it), sorted once when
 * written (and not at all when they were added in order).
 *
 * Each member's text is written as UTF-8 into one growing Buffer when it is added, and only its identifier stays a
 * string: an activity export of 100,000 events gathers ~200 MB of text before its first section can be written,
 * and as strings (ropes of template pieces) the collector copied and marked them over and over: 60-70% of the
 * export's time went to garbage collection (profiled on the seeded store).
 */
class Members {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  /**
   * Member i's text (`,"identifier":{...}`, its leading comma included) is `blocks[block[i]][start[i], end[i])`:
   * blocks of MEMBER_BLOCK bytes, filled in turn and never copied to grow.
   */
  private readonly blocks: Buffer[] = [];
  private readonly block: number[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  /** Member i's length in UTF-16 code units, its comma included. */
  private readonly chars: number[] = [];
  private current = Buffer.alloc(0);
  private used = 0;
  private ordered = true;
  private unusual = false;
  private last = "";

  /** Adds `json` as the member `key` (an identifier's JSON string literal), unless it is already there. */
  add(key: string, json: string): void {
    if (this.index.has(key)) return;
    this.index.set(key, this.keys.length);
    this.append(key, json);
  }

  /**
   * Adds a member whose identifier the caller knows to be new (an event's own members, when no two events share a
   * block and log index): no lookup. `has` does not see it.
   */
  addNew(key: string, json: string): void {
    this.append(key, json);
  }

  private append(key: string, json: string): void {
    if (this.keys.length > 0 && key < this.last) this.ordered = false;
    if (!this.unusual && UNUSUAL.test(key)) this.unusual = true;
    this.last = key;
    this.keys.push(key);
    const text = `,${key}:${json}`;
    const need = 3 * text.length;
    if (this.used + need > this.current.length) {
      this.current = Buffer.allocUnsafe(Math.max(MEMBER_BLOCK, need));
      this.blocks.push(this.current);
      this.used = 0;
    }
    this.block.push(this.blocks.length - 1);
    this.start.push(this.used);
    this.used += this.current.write(text, this.used, "utf8");
    this.end.push(this.used);
    this.chars.push(text.length);
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The members' numbers in identifier order. */
  order(): readonly number[] {
    const numbers = this.keys.map((_, i) => i);
    if (this.ordered && !this.unusual) return numbers;
    const keys = this.unusual ? this.keys.map((key) => JSON.parse(key) as string) : this.keys;
    return numbers.sort((a, b) => byCodeUnits(keys[a]!, keys[b]!));
  }

  /**
   * `header`, then the members in identifier order, comma-separated, into `out`, yielding each chunk that fills.
   * Members that follow each other in a block as in the order (most of them, when they were added in order) are
   * copied as one range, cut where a chunk fills.
   */
  *writeTo(out: ChunkBytes, header: string): Generator<Buffer, void, undefined> {
    const order = this.order();
    if (order.length === 0) return;
    if (out.add(header)) yield out.take();
    let previous = order[0]!;
    // The first member without its comma.
    let runStart = this.start[previous]! + 1;
    let runChars = this.chars[previous]! - 1;
    for (let k = 1; k < order.length; k++) {
      const n = order[k]!;
      if (n === previous + 1 && this.block[n] === this.block[previous] && out.size + runChars < CHUNK_CHARS) {
        runChars += this.chars[n]!;
        previous = n;
        continue;
      }
      if (out.addBytes(this.blocks[this.block[previous]!]!, runStart, this.end[previous]!, runChars)) {
        yield out.take();
      }
      runStart = this.start[n]!;
      runChars = this.chars[n]!;
      previous = n;
    }
    if (out.addBytes(this.blocks[this.block[previous]!]!, runStart, this.end[previous]!, runChars)) yield out.take();
  }

  /** The members' texts (`"identifier":{...}`) in identifier order. */
  *members(): Iterable<string> {
    for (const n of this.order()) {
      yield this.blocks[this.block[n]!]!.toString("utf8", this.start[n]! + 1, this.end[n]!);
    }
  }
}

/** The size of the blocks Members writes into. */
const MEMBER_BLOCK = 1 << 20;

function namespaceOf(options: ProvJsonOptions | undefined): string {
  const namespace = options?.namespace ?? PROVLEDGER_NAMESPACE;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(namespace)) {
    throw new ExportInputError(`namespace "${namespace}" is not an absolute URI`, "options.namespace");
  }
  return namespace;
}

const prefixSection = (namespace: string) => () => [`"provledger":${JSON.stringify(namespace)}`];

/** The anchor as attributes of the export's entity. */
function anchorAttributes(at: ExportAnchor | undefined): ProvAttributes {
  if (at === undefined) return {};
  return {
    "provledger:atBlock": unsignedLong(decimal(at.block.number, "at.block.number")),
    "provledger:atBlockHash": at.block.hash.toLowerCase(),
    "provledger:atBlockTime": dateTime(isoTime(at.block.timestamp, "at.block.timestamp")),
    "provledger:ledgerSequence": unsignedLong(decimal(at.ledgerSequence, "at.ledgerSequence")),
    "provledger:ledgerHead": at.ledgerHead.toLowerCase(),
    "provledger:finalized": at.finalized,
  };
}

/** Agents: organisations and accounts, each stated once. */
class Agents {
  readonly members = new Members();

  constructor(private readonly names: Map<number, string>) {}

  /** The organisation's identifier as a JSON string literal, stated as an agent. */
  organization(orgId: number, field: string): string {
    const key = `"provledger:org/${jsonInteger(orgId, field)}"`;
    if (!this.members.has(key)) {
      const name = this.names.get(orgId);
      this.members.add(
        key,
        `{${name === undefined ? "" : `"prov:label":${JSON.stringify(name)},`}"prov:type":${PROV_ORGANIZATION},` +
          `"provledger:orgId":${orgId}}`,
      );
    }
    return key;
  }

  /** The account's identifier as a JSON string literal, stated as an agent. */
  account(address: string): string {
    const lower = address.toLowerCase();
    const key = JSON.stringify(`provledger:account/${lower}`);
    if (!this.members.has(key)) {
      this.members.add(key, `{"prov:type":${PROV_SOFTWARE_AGENT},"provledger:address":${JSON.stringify(lower)}}`);
    }
    return key;
  }
}

/** A lineage record with the strings its members repeat (identifiers as JSON string literals). */
type PreparedNode = {
  readonly node: LineageExportNode;
  readonly index: number;
  readonly fingerprint: string;
  /** Registration time, ISO-8601, quoted. */
  readonly time: string;
  readonly record: string;
  readonly registration: string;
  readonly generation: string;
  readonly owner: string;
  /** The organisation it was registered for, when known. */
  readonly principal: string | undefined;
  /** The account that registered it, when known. */
  readonly account: string | undefined;
};

type PreparedEdge = {
  readonly edge: LineageExportEdge;
  readonly index: number;
  readonly child: string;
  readonly parent: string;
};

/** The record entity's attributes, keys in canonical order. */
function recordJson(node: LineageExportNode, fingerprint: string, time: string, field: string): string {
  return (
    `{"prov:type":${RECORD},"provledger:dataClass":${JSON.stringify(codeName("DataClass", node.dataClass))},` +
    `"provledger:fingerprint":"${fingerprint}","provledger:level":${jsonInteger(node.level, `${field}.level`)},` +
    (node.metadataHash === undefined
      ? ""
      : `"provledger:metadataHash":${JSON.stringify(node.metadataHash.toLowerCase())},`) +
    (node.metadataURI === undefined ? "" : `"provledger:metadataURI":${JSON.stringify(node.metadataURI)},`) +
    `"provledger:ownerOrg":${jsonInteger(node.ownerOrg, `${field}.ownerOrg`)},` +
    `"provledger:registeredAt":{"$":${time},"type":"xsd:dateTime"},` +
    (node.scheme === undefined ? "" : `"provledger:scheme":${jsonInteger(node.scheme, `${field}.scheme`)},`) +
    `"provledger:status":${JSON.stringify(node.status)}}`
  );
}

/**
 * A lineage as a PROV-JSON document: the records, their owners, their registrations and the derivations between
 * them, with the query and the block it reflects on the `provledger:export/lineage/0x...` entity.
 */
export function lineageToProvJson(lineage: LineageExport, options?: ProvJsonOptions): string {
  return joinChunks(lineageProvJsonChunks(lineage, options));
}

/** `lineageToProvJson` in chunks of about CHUNK_CHARS. */
export function lineageProvJsonChunks(lineage: LineageExport, options?: ProvJsonOptions): TextChunks {
  return textOf(lineageProvJsonBytes(lineage, options));
}

/** `lineageToProvJson` as UTF-8 in chunks of about CHUNK_CHARS, for a route to stream. */
export function lineageProvJsonBytes(lineage: LineageExport, options?: ProvJsonOptions): ByteChunks {
  checkLineage(lineage);
  const namespace = namespaceOf(options);
  const agents = new Agents(organizationNames(lineage.organizations));
  const root = hex32(lineage.root, "root");

  const exportAttributes: ProvAttributes = {
    "prov:type": qname("provledger:LineageExport"),
    "provledger:root": root,
    "provledger:direction": lineage.direction,
    "provledger:depth": lineage.depth,
    "provledger:truncated": lineage.truncated,
    "provledger:recordCount": lineage.nodes.length,
    "provledger:edgeCount": lineage.edges.length,
    ...anchorAttributes(lineage.at),
  };
  if (lineage.truncatedBy !== null) exportAttributes["provledger:truncatedBy"] = lineage.truncatedBy;
  const exportEntity = `"provledger:export/lineage/${root}":${canonicalJson(exportAttributes)}`;

  // Records in fingerprint order, each once (the first wins), with the strings their members share.
  const sorted = lineage.nodes
    .map((node, index) => ({ node, index, fingerprint: hex32(node.fingerprint, `nodes[${index}].fingerprint`) }))
    .sort((a, b) => byCodeUnits(a.fingerprint, b.fingerprint));
  const nodes: PreparedNode[] = [];
  const byFingerprint = new Map<string, PreparedNode>();
  for (const { node, index, fingerprint } of sorted) {
    if (byFingerprint.has(fingerprint)) continue;
    const field = `nodes[${index}]`;
    const prepared: PreparedNode = {
      node,
      index,
      fingerprint,
      time: `"${isoTime(node.registeredAt, `${field}.registeredAt`)}"`,
      record: `"provledger:record/${fingerprint}"`,
      registration: `"provledger:registration/${fingerprint}"`,
      generation: `"provledger:generation/${fingerprint}"`,
      owner: agents.organization(node.ownerOrg, `${field}.ownerOrg`),
      principal:
        node.registrantOrg === undefined
          ? undefined
          : agents.organization(node.registrantOrg, `${field}.registrantOrg`),
      account: node.registrant === undefined ? undefined : agents.account(node.registrant),
    };
    nodes.push(prepared);
    byFingerprint.set(fingerprint, prepared);
  }

  // Edges in (child, parent) order, each once; the records beyond the export that they reach.
  const edges: PreparedEdge[] = [];
  {
    const all = lineage.edges
      .map((edge, index) => ({
        edge,
        index,
        child: hex32(edge.child, `edges[${index}].child`),
        parent: hex32(edge.parent, `edges[${index}].parent`),
      }))
      .sort((a, b) => byCodeUnits(a.child, b.child) || byCodeUnits(a.parent, b.parent));
    for (const edge of all) {
      const last = edges[edges.length - 1];
      if (last === undefined || last.child !== edge.child || last.parent !== edge.parent) edges.push(edge);
    }
  }
  const outside = new Set<string>();
  for (const { child, parent } of edges) {
    if (!byFingerprint.has(child)) outside.add(child);
    if (!byFingerprint.has(parent)) outside.add(parent);
  }
  const outsideSorted = [...outside].sort(byCodeUnits);

  return provDocument({
    *actedOnBehalfOf() {
      for (const n of nodes) {
        if (n.account !== undefined && n.principal !== undefined) {
          yield (
            `"_:delegation/${n.fingerprint}":{"prov:activity":${n.registration},"prov:delegate":${n.account},` +
            `"prov:responsible":${n.principal}}`
          );
        }
      }
    },
    *activity() {
      for (const n of nodes) {
        const { node } = n;
        const field = `nodes[${n.index}]`;
        yield (
          `"provledger:registration/${n.fingerprint}":{"prov:endTime":${n.time},"prov:startTime":${n.time},` +
          `"prov:type":${RECORD_REGISTERED}` +
          (node.registeredBlock === undefined
            ? ""
            : `,"provledger:blockNumber":${UNSIGNED_LONG(decimal(node.registeredBlock, `${field}.registeredBlock`))}`) +
          (node.registeredTransaction === undefined
            ? ""
            : `,"provledger:transactionHash":${JSON.stringify(node.registeredTransaction.toLowerCase())}`) +
          "}"
        );
      }
    },
    agent: agents.members,
    *entity() {
      // "provledger:export/..." sorts before every "provledger:record/...".
      yield exportEntity;
      let o = 0;
      for (const n of nodes) {
        for (; o < outsideSorted.length && outsideSorted[o]! < n.fingerprint; o++)
          yield outsideEntity(outsideSorted[o]!);
        yield `${n.record}:${recordJson(n.node, n.fingerprint, n.time, `nodes[${n.index}]`)}`;
      }
      for (; o < outsideSorted.length; o++) yield outsideEntity(outsideSorted[o]!);
    },
    prefix: prefixSection(namespace),
    *used() {
      for (const { child, parent } of edges) {
        const c = byFingerprint.get(child);
        if (c === undefined) continue;
        yield (
          `"provledger:usage/${child}/${parent}":{"prov:activity":${c.registration},` +
          `"prov:entity":"provledger:record/${parent}","prov:time":${c.time}}`
        );
      }
    },
    *wasAssociatedWith() {
      for (const n of nodes) {
        // "/ownerOrg" sorts before "/registrant".
        if (n.principal !== undefined) {
          yield (
            `"_:association/${n.fingerprint}/ownerOrg":{"prov:activity":${n.registration},` +
            `"prov:agent":${n.principal},"prov:role":"ownerOrg"}`
          );
        }
        if (n.account !== undefined) {
          yield (
            `"_:association/${n.fingerprint}/registrant":{"prov:activity":${n.registration},` +
            `"prov:agent":${n.account},"prov:role":"registrant"}`
          );
        }
      }
    },
    *wasAttributedTo() {
      for (const n of nodes) {
        yield `"_:attribution/${n.fingerprint}":{"prov:agent":${n.owner},"prov:entity":${n.record}}`;
      }
    },
    *wasDerivedFrom() {
      for (const { edge, index, child, parent } of edges) {
        const c = byFingerprint.get(child);
        const grant =
          edge.grantId !== null && edge.grantId !== "0"
            ? `,"provledger:grantId":${UNSIGNED_LONG(decimal(edge.grantId, `edges[${index}].grantId`))}`
            : "";
        // Keys: prov:activity, prov:generatedEntity, prov:generation, prov:type, prov:usage, prov:usedEntity,
        // provledger:grantId, provledger:relation.
        yield (
          `"_:derivation/${child}/${parent}":{` +
          (c === undefined ? "" : `"prov:activity":${c.registration},`) +
          `"prov:generatedEntity":"provledger:record/${child}",` +
          (c === undefined ? "" : `"prov:generation":${c.generation},`) +
          (edge.relation === "revision-of" ? `"prov:type":${PROV_REVISION},` : "") +
          (c === undefined ? "" : `"prov:usage":"provledger:usage/${child}/${parent}",`) +
          `"prov:usedEntity":"provledger:record/${parent}"${grant},"provledger:relation":${JSON.stringify(edge.relation)}}`
        );
      }
    },
    *wasGeneratedBy() {
      for (const n of nodes) {
        yield `${n.generation}:{"prov:activity":${n.registration},"prov:entity":${n.record},"prov:time":${n.time}}`;
      }
    },
  });
}

const outsideEntity = (fingerprint: string) =>
  `"provledger:record/${fingerprint}":{"prov:type":${RECORD},"provledger:fingerprint":"${fingerprint}",` +
  `"provledger:outsideExport":true}`;

/** An event argument as a PROV attribute value's JSON, or undefined when it has none (objects, empty arrays). */
function argumentJson(name: string, value: JsonValue, nested: boolean): string | undefined {
  if (typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") {
    if (!TEXT_ARGUMENTS.has(name) && DECIMAL.test(value)) return NON_NEGATIVE_INTEGER(value);
    return JSON.stringify(HEX.test(value) ? value.toLowerCase() : value);
  }
  if (!nested && Array.isArray(value) && value.length > 0) {
    let json = "[";
    for (const item of value as readonly JsonValue[]) {
      const single = argumentJson(name, item, true);
      if (single === undefined) return undefined;
      json += `${json.length === 1 ? "" : ","}${single}`;
    }
    return `${json}]`;
  }
  return undefined;
}

/** The `{ fingerprint, relation }` parents of a RecordRegistered event. */
function parentsOf(event: ExportEvent): { fingerprint: string; revision: boolean }[] {
  const parents = event.args.parents;
  if (!Array.isArray(parents)) return [];
  return (parents as readonly JsonValue[]).flatMap((parent) => {
    if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return [];
    const { fingerprint, relation } = parent as { readonly [key: string]: JsonValue };
    if (typeof fingerprint !== "string" || !HEX32.test(fingerprint)) return [];
    return [
      {
        fingerprint: fingerprint.toLowerCase(),
        revision: relation === 1 || relation === "1" || relation === "revision-of",
      },
    ];
  });
}

/**
 * The attributes an event's activity has besides its arguments, after `prov:type`, in key order: name (the key's
 * local part after `provledger:`) and JSON. An argument of the same name is left out (the event's own field wins).
 */
function eventFields(event: ExportEvent, field: string): [string, string][] {
  const fields: [string, string][] = [
    ["blockHash", JSON.stringify(event.blockHash.toLowerCase())],
    ["blockNumber", UNSIGNED_LONG(event.blockNumber)],
    ["contract", JSON.stringify(event.address.toLowerCase())],
  ];
  const stamp = event.stamp;
  if (stamp !== null) {
    fields.push(
      ["ledgerHead", JSON.stringify(stamp.ledgerHead.toLowerCase())],
      ["ledgerSequence", UNSIGNED_LONG(decimal(stamp.ledgerSequence, `${field}.stamp.ledgerSequence`))],
    );
  }
  fields.push(["logIndex", JSON.stringify(event.logIndex)]);
  if (stamp !== null) {
    fields.push(
      ["recordHead", JSON.stringify(stamp.recordHead.toLowerCase())],
      ["recordLength", UNSIGNED_LONG(decimal(stamp.recordLength, `${field}.stamp.recordLength`))],
    );
  }
  fields.push(["transactionHash", JSON.stringify(event.transactionHash.toLowerCase())]);
  return fields;
}

/** The event's activity: its fields and its arguments merged in key order (all keys share `provledger:`). */
function eventActivityJson(event: ExportEvent, time: string, field: string): string {
  let json = `{"prov:endTime":${time},"prov:startTime":${time},"prov:type":${QNAME(`provledger:${event.name}`)}`;
  const fields = eventFields(event, field);
  const { args } = event;
  let f = 0;
  for (const name of sortedKeys(event.name, args)) {
    if (STRUCTURED_ARGUMENTS.has(name) || !LOCAL_NAME.test(name)) continue;
    for (; f < fields.length && fields[f]![0] < name; f++) json += `,"provledger:${fields[f]![0]}":${fields[f]![1]}`;
    if (f < fields.length && fields[f]![0] === name) continue; // the event's own field wins
    const value = args[name];
    if (value === undefined) continue;
    const converted = argumentJson(name, value, false);
    if (converted !== undefined) json += `,"provledger:${name}":${converted}`;
  }
  for (; f < fields.length; f++) json += `,"provledger:${fields[f]![0]}":${fields[f]![1]}`;
  return `${json}}`;
}

/** Whether the events' (block, log index) strictly increase (decimal block numbers compared as numbers). */
function increasingPositions(events: readonly ExportEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1]!;
    const b = events[i]!;
    const x = a.blockNumber;
    const y = b.blockNumber;
    if (typeof x !== "string" || typeof y !== "string") return false;
    const order = x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
    if (order > 0 || (order === 0 && !(a.logIndex < b.logIndex))) return false;
  }
  return true;
}

/**
 * An organisation's activity as a PROV-JSON document: one activity per event, the records it generated or used,
 * the accounts that sent them and the organisations they name, with the period and the block it reflects on the
 * `provledger:export/activity/org/N` entity.
 */
export function activityToProvJson(activity: ActivityExport, options?: ProvJsonOptions): string {
  return joinChunks(activityProvJsonChunks(activity, options));
}

/** `activityToProvJson` in chunks of about CHUNK_CHARS. */
export function activityProvJsonChunks(activity: ActivityExport, options?: ProvJsonOptions): TextChunks {
  return textOf(activityProvJsonBytes(activity, options));
}

/** `activityToProvJson` as UTF-8 in chunks of about CHUNK_CHARS, for a route to stream. */
export function activityProvJsonBytes(activity: ActivityExport, options?: ProvJsonOptions): ByteChunks {
  if (!Array.isArray(activity.events)) throw new ExportInputError("events is not an array", "events");
  const namespace = namespaceOf(options);
  const org = activityOrganization(activity);
  const agents = new Agents(organizationNames(activity.organizations, org));
  const sections = {
    actedOnBehalfOf: new Members(),
    activity: new Members(),
    entity: new Members(),
    used: new Members(),
    wasAssociatedWith: new Members(),
    wasAttributedTo: new Members(),
    wasDerivedFrom: new Members(),
    wasGeneratedBy: new Members(),
  };

  const exportAttributes: ProvAttributes = {
    "prov:type": qname("provledger:ActivityExport"),
    "provledger:org": org.id,
    "provledger:eventCount": activity.events.length,
    ...anchorAttributes(activity.at),
  };
  if (activity.from !== null) exportAttributes["provledger:from"] = dateTime(isoTime(activity.from, "from"));
  if (activity.to !== null) exportAttributes["provledger:to"] = dateTime(isoTime(activity.to, "to"));
  sections.entity.add(
    `"provledger:export/activity/org/${jsonInteger(org.id, "org.id")}"`,
    canonicalJson(exportAttributes),
  );
  agents.organization(org.id, "org.id");

  const recordEntity = (fingerprint: string, record: string) =>
    sections.entity.has(record) ||
    sections.entity.add(record, `{"prov:type":${RECORD},"provledger:fingerprint":"${fingerprint}"}`);

  // An event's own members (its activity, associations, delegation, usage, a batch's generation and attribution)
  // are keyed by its block and log index: when the events are in strictly increasing (block, log index) order, as a
  // route gives them, no two share one and they are added without a lookup.
  const own = increasingPositions(activity.events)
    ? (members: Members, key: string, json: string) => members.addNew(key, json)
    : (members: Members, key: string, json: string) => members.add(key, json);

  activity.events.forEach((event, index) => {
    const field = `events[${index}]`;
    if (!LOCAL_NAME.test(event.name)) {
      throw new ExportInputError(`"${event.name}" is not an event name`, `${field}.name`);
    }
    decimal(event.blockNumber, `${field}.blockNumber`);
    const time = `"${isoTime(event.time, `${field}.time`)}"`;
    const where = `${event.blockNumber}/${jsonInteger(event.logIndex, `${field}.logIndex`)}`;
    const key = `"provledger:event/${where}"`;
    own(sections.activity, key, eventActivityJson(event, time, field));

    // Who: the sender, the organisations named, and for whom the sender acted.
    const acting = ACTING_ORGANIZATION[event.name];
    let principal: string | undefined;
    let owner: string | undefined; // ownerOrg, or a batch's org
    let batchOwner: string | undefined;
    for (const [name, orgId] of organizationsOf(event)) {
      const agent = agents.organization(orgId, `${field}.args.${name}`);
      if (name === acting) principal = agent;
      if (name === "ownerOrg") owner = agent;
      if (name === "org") batchOwner = agent;
      own(
        sections.wasAssociatedWith,
        `"_:association/${where}/${name}"`,
        `{"prov:activity":${key},"prov:agent":${agent},"prov:role":"${name}"}`,
      );
    }
    const actor = actorOf(event);
    for (const name of ACCOUNT_ARGUMENTS) {
      const value = event.args[name];
      if (typeof value !== "string") continue;
      own(
        sections.wasAssociatedWith,
        `"_:association/${where}/${name}"`,
        `{"prov:activity":${key},"prov:agent":${agents.account(value)},"prov:role":"${name}"}`,
      );
    }
    if (actor !== undefined && principal !== undefined) {
      own(
        sections.actedOnBehalfOf,
        `"_:delegation/${where}"`,
        `{"prov:activity":${key},"prov:delegate":${JSON.stringify(`provledger:account/${actor}`)},` +
          `"prov:responsible":${principal}}`,
      );
    }

    // What: the record (or batch) it generated or acted on, and a registration's derivations.
    const fingerprint = event.args.fingerprint;
    if (typeof fingerprint === "string" && HEX32.test(fingerprint)) {
      const child = fingerprint.toLowerCase();
      const record = `"provledger:record/${child}"`;
      recordEntity(child, record);
      if (event.name === "RecordRegistered") {
        const generation = `"provledger:generation/${child}"`;
        sections.wasGeneratedBy.add(generation, `{"prov:activity":${key},"prov:entity":${record},"prov:time":${time}}`);
        if (owner !== undefined) {
          sections.wasAttributedTo.add(`"_:attribution/${child}"`, `{"prov:agent":${owner},"prov:entity":${record}}`);
        }
        for (const parent of parentsOf(event)) {
          const parentRecord = `"provledger:record/${parent.fingerprint}"`;
          const usage = `"provledger:usage/${child}/${parent.fingerprint}"`;
          recordEntity(parent.fingerprint, parentRecord);
          sections.used.add(usage, `{"prov:activity":${key},"prov:entity":${parentRecord},"prov:time":${time}}`);
          sections.wasDerivedFrom.add(
            `"_:derivation/${child}/${parent.fingerprint}"`,
            `{"prov:activity":${key},"prov:generatedEntity":${record},"prov:generation":${generation},` +
              (parent.revision ? `"prov:type":${PROV_REVISION},` : "") +
              `"prov:usage":${usage},"prov:usedEntity":${parentRecord},` +
              `"provledger:relation":"${parent.revision ? "revision-of" : "derived-from"}"}`,
          );
        }
      } else {
        own(
          sections.used,
          `"_:usage/${where}"`,
          `{"prov:activity":${key},"prov:entity":${record},"prov:time":${time}}`,
        );
      }
    }
    const root = event.args.root;
    if (event.name === "BatchAnchored" && typeof root === "string" && HEX32.test(root)) {
      const lower = root.toLowerCase();
      const batch = `"provledger:batch/${lower}"`;
      sections.entity.add(batch, `{"prov:type":${BATCH},"provledger:root":"${lower}"}`);
      own(
        sections.wasGeneratedBy,
        `"_:generation/${where}"`,
        `{"prov:activity":${key},"prov:entity":${batch},"prov:time":${time}}`,
      );
      if (batchOwner !== undefined) {
        own(
          sections.wasAttributedTo,
          `"_:attribution/${where}"`,
          `{"prov:agent":${batchOwner},"prov:entity":${batch}}`,
        );
      }
    }
  });

  const of = (members: Members) => (members.size === 0 ? undefined : members);
  return provDocument({
    actedOnBehalfOf: of(sections.actedOnBehalfOf),
    activity: of(sections.activity),
    agent: of(agents.members),
    entity: of(sections.entity),
    prefix: prefixSection(namespace),
    used: of(sections.used),
    wasAssociatedWith: of(sections.wasAssociatedWith),
    wasAttributedTo: of(sections.wasAttributedTo),
    wasDerivedFrom: of(sections.wasDerivedFrom),
    wasGeneratedBy: of(sections.wasGeneratedBy),
  });
}
