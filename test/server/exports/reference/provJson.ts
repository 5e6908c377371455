/**
 * REFERENCE, for tests only: the exports' first version (objects built, then serialised), kept unchanged so that a
 * test can check the fast writers of src/server/exports give the same bytes for the same input.
 */
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
 */
import { codeName } from "../../../../src/sdk";
import {
  ACCOUNT_ARGUMENTS,
  ACTING_ORGANIZATION,
  ExportInputError,
  activityOrganization,
  actorOf,
  canonicalJson,
  flatCanonicalJson,
  checkLineage,
  decimal,
  isoTime,
  organizationNames,
  organizationsOf,
} from "./common";
import type {
  ActivityExport,
  ExportAnchor,
  ExportEvent,
  JsonValue,
  LineageExport,
  LineageExportNode,
  ProvJsonOptions,
} from "../../../../src/server/exports/types";

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
const nonNegativeInteger = (value: string): ProvTypedLiteral => ({ $: value, type: "xsd:nonNegativeInteger" });

const PROV_ORGANIZATION = qname("prov:Organization");
const PROV_SOFTWARE_AGENT = qname("prov:SoftwareAgent");
const PROV_REVISION = qname("prov:Revision");
const RECORD = qname("provledger:Record");

/** Identifiers of the things an export describes. */
const id = {
  record: (fingerprint: string) => `provledger:record/${fingerprint.toLowerCase()}`,
  batch: (root: string) => `provledger:batch/${root.toLowerCase()}`,
  org: (orgId: number) => `provledger:org/${orgId}`,
  account: (address: string) => `provledger:account/${address.toLowerCase()}`,
  registration: (fingerprint: string) => `provledger:registration/${fingerprint.toLowerCase()}`,
  event: (event: ExportEvent) => `provledger:event/${event.blockNumber}/${event.logIndex}`,
  generation: (fingerprint: string) => `provledger:generation/${fingerprint.toLowerCase()}`,
  usage: (child: string, parent: string) => `provledger:usage/${child.toLowerCase()}/${parent.toLowerCase()}`,
};

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
/** ABI names are identifiers; anything else would not be a qualified name's local part. */
const LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Event arguments that are text, not numbers, even when they look like digits. */
const TEXT_ARGUMENTS: ReadonlySet<string> = new Set(["name", "metadataURI"]);
/** Event arguments exported as relations or as their own attributes, not as plain attributes. */
const STRUCTURED_ARGUMENTS: ReadonlySet<string> = new Set(["stamp", "parents"]);

/**
 * A document under construction: sections of identifier -> attributes. The first statement of an identifier wins
 * (the exports state an organisation or a record the same way each time they meet it); each is serialised when
 * added, keys sorted, so that a 100,000-record export does not keep a million small objects alive.
 */
class ProvBuilder {
  private readonly sections = new Map<ProvSection, Map<string, string>>();

  constructor(private readonly namespace: string) {}

  /** States the element or relation `key` of `section`, unless it is already stated. */
  add(section: ProvSection, key: string, attributes: ProvAttributes): void {
    let map = this.sections.get(section);
    if (map === undefined) this.sections.set(section, (map = new Map()));
    if (!map.has(key)) map.set(key, flatCanonicalJson(attributes));
  }

  has(section: ProvSection, key: string): boolean {
    return this.sections.get(section)?.has(key) ?? false;
  }

  /** The document as canonical JSON (RFC 8785): every object's keys in code-unit order, no whitespace. */
  toJson(): string {
    const sections = new Map<string, string>([["prefix", canonicalJson({ provledger: this.namespace })]]);
    for (const [section, map] of this.sections) {
      const members = [...map.keys()].sort().map((key) => `${JSON.stringify(key)}:${map.get(key)!}`);
      sections.set(section, `{${members.join(",")}}`);
    }
    const names = [...sections.keys()].sort();
    return `{${names.map((name) => `${JSON.stringify(name)}:${sections.get(name)!}`).join(",")}}`;
  }
}

function builderFor(options: ProvJsonOptions | undefined): ProvBuilder {
  const namespace = options?.namespace ?? PROVLEDGER_NAMESPACE;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(namespace)) {
    throw new ExportInputError(`namespace "${namespace}" is not an absolute URI`, "options.namespace");
  }
  return new ProvBuilder(namespace);
}

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

function addOrganization(builder: ProvBuilder, orgId: number, names: Map<number, string>): string {
  const key = id.org(orgId);
  const attributes: ProvAttributes = { "prov:type": PROV_ORGANIZATION, "provledger:orgId": orgId };
  const name = names.get(orgId);
  if (name !== undefined) attributes["prov:label"] = name;
  builder.add("agent", key, attributes);
  return key;
}

function addAccount(builder: ProvBuilder, address: string): string {
  const key = id.account(address);
  builder.add("agent", key, { "prov:type": PROV_SOFTWARE_AGENT, "provledger:address": address.toLowerCase() });
  return key;
}

function recordAttributes(node: LineageExportNode, field: string): ProvAttributes {
  const attributes: ProvAttributes = {
    "prov:type": RECORD,
    "provledger:fingerprint": node.fingerprint.toLowerCase(),
    "provledger:level": node.level,
    "provledger:status": node.status,
    "provledger:dataClass": codeName("DataClass", node.dataClass),
    "provledger:ownerOrg": node.ownerOrg,
    "provledger:registeredAt": dateTime(isoTime(node.registeredAt, `${field}.registeredAt`)),
  };
  if (node.scheme !== undefined) attributes["provledger:scheme"] = node.scheme;
  if (node.metadataHash !== undefined) attributes["provledger:metadataHash"] = node.metadataHash.toLowerCase();
  if (node.metadataURI !== undefined) attributes["provledger:metadataURI"] = node.metadataURI;
  return attributes;
}

/**
 * A lineage as a PROV-JSON document: the records, their owners, their registrations and the derivations between
 * them, with the query and the block it reflects on the `provledger:export/lineage/0x...` entity.
 */
export function lineageToProvJson(lineage: LineageExport, options?: ProvJsonOptions): string {
  checkLineage(lineage);
  const builder = builderFor(options);
  const names = organizationNames(lineage.organizations);

  const exportAttributes: ProvAttributes = {
    "prov:type": qname("provledger:LineageExport"),
    "provledger:root": lineage.root.toLowerCase(),
    "provledger:direction": lineage.direction,
    "provledger:depth": lineage.depth,
    "provledger:truncated": lineage.truncated,
    "provledger:recordCount": lineage.nodes.length,
    "provledger:edgeCount": lineage.edges.length,
    ...anchorAttributes(lineage.at),
  };
  if (lineage.truncatedBy !== null) exportAttributes["provledger:truncatedBy"] = lineage.truncatedBy;
  builder.add("entity", `provledger:export/lineage/${lineage.root.toLowerCase()}`, exportAttributes);

  // Records in fingerprint order (and edges in child, parent order): every section's identifiers are then added
  // in nearly sorted order, which the final sort (TimSort) passes over in linear time.
  const byFingerprint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const nodes = lineage.nodes
    .map((node, index) => ({ node, index, key: node.fingerprint.toLowerCase() }))
    .sort((a, b) => byFingerprint(a.key, b.key));
  const edges = lineage.edges
    .map((edge, index) => ({ edge, index, key: `${edge.child.toLowerCase()}/${edge.parent.toLowerCase()}` }))
    .sort((a, b) => byFingerprint(a.key, b.key));

  const registered = new Map<string, string>(); // fingerprint -> registration time (ISO)
  for (const { node, index } of nodes) {
    const field = `nodes[${index}]`;
    const fingerprint = node.fingerprint.toLowerCase();
    const record = id.record(fingerprint);
    const attributes = recordAttributes(node, field);
    const time = (attributes["provledger:registeredAt"] as ProvTypedLiteral).$;
    registered.set(fingerprint, time);
    builder.add("entity", record, attributes);

    const owner = addOrganization(builder, node.ownerOrg, names);
    builder.add("wasAttributedTo", `_:attribution/${fingerprint}`, { "prov:entity": record, "prov:agent": owner });

    const registration = id.registration(fingerprint);
    const activity: ProvAttributes = {
      "prov:type": qname("provledger:RecordRegistered"),
      "prov:startTime": time,
      "prov:endTime": time,
    };
    if (node.registeredBlock !== undefined) {
      activity["provledger:blockNumber"] = unsignedLong(decimal(node.registeredBlock, `${field}.registeredBlock`));
    }
    if (node.registeredTransaction !== undefined) {
      activity["provledger:transactionHash"] = node.registeredTransaction.toLowerCase();
    }
    builder.add("activity", registration, activity);
    builder.add("wasGeneratedBy", id.generation(fingerprint), {
      "prov:entity": record,
      "prov:activity": registration,
      "prov:time": time,
    });

    const principal =
      node.registrantOrg === undefined ? undefined : addOrganization(builder, node.registrantOrg, names);
    if (node.registrant !== undefined) {
      const account = addAccount(builder, node.registrant);
      builder.add("wasAssociatedWith", `_:association/${fingerprint}/registrant`, {
        "prov:activity": registration,
        "prov:agent": account,
        "prov:role": "registrant",
      });
      if (principal !== undefined) {
        builder.add("actedOnBehalfOf", `_:delegation/${fingerprint}`, {
          "prov:delegate": account,
          "prov:responsible": principal,
          "prov:activity": registration,
        });
      }
    }
    if (principal !== undefined) {
      builder.add("wasAssociatedWith", `_:association/${fingerprint}/ownerOrg`, {
        "prov:activity": registration,
        "prov:agent": principal,
        "prov:role": "ownerOrg",
      });
    }
  }

  for (const { edge, index } of edges) {
    const child = edge.child.toLowerCase();
    const parent = edge.parent.toLowerCase();
    // An edge may reach past the node cap: its far end is declared, marked as outside the export.
    for (const fingerprint of [child, parent]) {
      if (!registered.has(fingerprint) && !builder.has("entity", id.record(fingerprint))) {
        builder.add("entity", id.record(fingerprint), {
          "prov:type": RECORD,
          "provledger:fingerprint": fingerprint,
          "provledger:outsideExport": true,
        });
      }
    }
    const derivation: ProvAttributes = {
      "prov:generatedEntity": id.record(child),
      "prov:usedEntity": id.record(parent),
      "provledger:relation": edge.relation,
    };
    if (edge.relation === "revision-of") derivation["prov:type"] = PROV_REVISION;
    if (edge.grantId !== null && edge.grantId !== "0") {
      derivation["provledger:grantId"] = unsignedLong(decimal(edge.grantId, `edges[${index}].grantId`));
    }
    const time = registered.get(child);
    if (time !== undefined) {
      // The child's registration used the parent: the derivation's activity, generation and usage (PROV-DM 5.2.1).
      const usage = id.usage(child, parent);
      builder.add("used", usage, {
        "prov:activity": id.registration(child),
        "prov:entity": id.record(parent),
        "prov:time": time,
      });
      derivation["prov:activity"] = id.registration(child);
      derivation["prov:generation"] = id.generation(child);
      derivation["prov:usage"] = usage;
    }
    builder.add("wasDerivedFrom", `_:derivation/${child}/${parent}`, derivation);
  }
  return builder.toJson();
}

/** An event argument as a PROV attribute value, or undefined when it has none (objects, empty arrays). */
function argumentValue(name: string, value: JsonValue): ProvValue | undefined {
  if (typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "string") {
    if (!TEXT_ARGUMENTS.has(name) && DECIMAL.test(value)) return nonNegativeInteger(value);
    return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  }
  if (Array.isArray(value) && value.length > 0) {
    const items: (string | number | boolean | ProvTypedLiteral)[] = [];
    for (const item of value as readonly JsonValue[]) {
      const single = argumentValue(name, item);
      if (single === undefined || Array.isArray(single)) return undefined;
      items.push(single as string | number | boolean | ProvTypedLiteral);
    }
    return items;
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
 * An organisation's activity as a PROV-JSON document: one activity per event, the records it generated or used,
 * the accounts that sent them and the organisations they name, with the period and the block it reflects on the
 * `provledger:export/activity/org/N` entity.
 */
export function activityToProvJson(activity: ActivityExport, options?: ProvJsonOptions): string {
  if (!Array.isArray(activity.events)) throw new ExportInputError("events is not an array", "events");
  const builder = builderFor(options);
  const org = activityOrganization(activity);
  const names = organizationNames(activity.organizations, org);

  const exportAttributes: ProvAttributes = {
    "prov:type": qname("provledger:ActivityExport"),
    "provledger:org": org.id,
    "provledger:eventCount": activity.events.length,
    ...anchorAttributes(activity.at),
  };
  if (activity.from !== null) exportAttributes["provledger:from"] = dateTime(isoTime(activity.from, "from"));
  if (activity.to !== null) exportAttributes["provledger:to"] = dateTime(isoTime(activity.to, "to"));
  builder.add("entity", `provledger:export/activity/org/${org.id}`, exportAttributes);
  addOrganization(builder, org.id, names);

  activity.events.forEach((event, index) => {
    const field = `events[${index}]`;
    if (!LOCAL_NAME.test(event.name))
      throw new ExportInputError(`"${event.name}" is not an event name`, `${field}.name`);
    decimal(event.blockNumber, `${field}.blockNumber`);
    const time = isoTime(event.time, `${field}.time`);
    const key = id.event(event);
    const where = `${event.blockNumber}/${event.logIndex}`;

    const attributes: ProvAttributes = {
      "prov:type": qname(`provledger:${event.name}`),
      "prov:startTime": time,
      "prov:endTime": time,
      "provledger:blockNumber": unsignedLong(event.blockNumber),
      "provledger:blockHash": event.blockHash.toLowerCase(),
      "provledger:logIndex": event.logIndex,
      "provledger:transactionHash": event.transactionHash.toLowerCase(),
      "provledger:contract": event.address.toLowerCase(),
    };
    if (event.stamp !== null) {
      attributes["provledger:recordHead"] = event.stamp.recordHead.toLowerCase();
      attributes["provledger:recordLength"] = unsignedLong(
        decimal(event.stamp.recordLength, `${field}.stamp.recordLength`),
      );
      attributes["provledger:ledgerSequence"] = unsignedLong(
        decimal(event.stamp.ledgerSequence, `${field}.stamp.ledgerSequence`),
      );
      attributes["provledger:ledgerHead"] = event.stamp.ledgerHead.toLowerCase();
    }
    for (const [name, value] of Object.entries(event.args) as [string, JsonValue][]) {
      if (STRUCTURED_ARGUMENTS.has(name) || !LOCAL_NAME.test(name) || `provledger:${name}` in attributes) continue;
      const converted = argumentValue(name, value);
      if (converted !== undefined) attributes[`provledger:${name}`] = converted;
    }
    builder.add("activity", key, attributes);

    // Who: the sender, the organisations named, and for whom the sender acted.
    const organizations = new Map<string, string>();
    for (const [name, orgId] of organizationsOf(event)) {
      const agent = addOrganization(builder, orgId, names);
      organizations.set(name, agent);
      builder.add("wasAssociatedWith", `_:association/${where}/${name}`, {
        "prov:activity": key,
        "prov:agent": agent,
        "prov:role": name,
      });
    }
    const actor = actorOf(event);
    for (const name of ACCOUNT_ARGUMENTS) {
      const value = event.args[name];
      if (typeof value !== "string") continue;
      builder.add("wasAssociatedWith", `_:association/${where}/${name}`, {
        "prov:activity": key,
        "prov:agent": addAccount(builder, value),
        "prov:role": name,
      });
    }
    const principal = organizations.get(ACTING_ORGANIZATION[event.name] ?? "");
    if (actor !== undefined && principal !== undefined) {
      builder.add("actedOnBehalfOf", `_:delegation/${where}`, {
        "prov:delegate": id.account(actor),
        "prov:responsible": principal,
        "prov:activity": key,
      });
    }

    // What: the record (or batch) it generated or acted on, and a registration's derivations.
    const fingerprint = event.args.fingerprint;
    if (typeof fingerprint === "string" && HEX32.test(fingerprint)) {
      const child = fingerprint.toLowerCase();
      const record = id.record(child);
      builder.add("entity", record, { "prov:type": RECORD, "provledger:fingerprint": child });
      if (event.name === "RecordRegistered") {
        builder.add("wasGeneratedBy", id.generation(child), {
          "prov:entity": record,
          "prov:activity": key,
          "prov:time": time,
        });
        const owner = organizations.get("ownerOrg");
        if (owner !== undefined)
          builder.add("wasAttributedTo", `_:attribution/${child}`, { "prov:entity": record, "prov:agent": owner });
        for (const parent of parentsOf(event)) {
          const parentRecord = id.record(parent.fingerprint);
          const usage = id.usage(child, parent.fingerprint);
          builder.add("entity", parentRecord, { "prov:type": RECORD, "provledger:fingerprint": parent.fingerprint });
          builder.add("used", usage, { "prov:activity": key, "prov:entity": parentRecord, "prov:time": time });
          const derivation: ProvAttributes = {
            "prov:generatedEntity": record,
            "prov:usedEntity": parentRecord,
            "prov:activity": key,
            "prov:generation": id.generation(child),
            "prov:usage": usage,
            "provledger:relation": parent.revision ? "revision-of" : "derived-from",
          };
          if (parent.revision) derivation["prov:type"] = PROV_REVISION;
          builder.add("wasDerivedFrom", `_:derivation/${child}/${parent.fingerprint}`, derivation);
        }
      } else {
        builder.add("used", `_:usage/${where}`, { "prov:activity": key, "prov:entity": record, "prov:time": time });
      }
    }
    const root = event.args.root;
    if (event.name === "BatchAnchored" && typeof root === "string" && HEX32.test(root)) {
      const batch = id.batch(root);
      builder.add("entity", batch, { "prov:type": qname("provledger:Batch"), "provledger:root": root.toLowerCase() });
      builder.add("wasGeneratedBy", `_:generation/${where}`, {
        "prov:entity": batch,
        "prov:activity": key,
        "prov:time": time,
      });
      const owner = organizations.get("org");
      if (owner !== undefined)
        builder.add("wasAttributedTo", `_:attribution/${where}`, { "prov:entity": batch, "prov:agent": owner });
    }
  });
  return builder.toJson();
}
