/**
 * What the export renderers take: the API's `data` objects for a lineage (`GET /v1/records/{fingerprint}/lineage`)
 * and for an organisation's activity (`GET /v1/organizations/{orgId}/activity`), plus the few fields an export needs
 * that the JSON answer leaves to other routes (organisation names, who registered a record, its metadata URI). Each
 * type is a superset of the route's answer, so a route fills it from the same query and adds what it has; every
 * extra field is optional and an export without it simply says less.
 *
 * Wire conventions (docs/api.md): integers that may exceed 2^53 (block numbers, times, grant ids, sequences) are
 * decimal strings; organisation ids, enums, levels and positions are numbers; hex is lower-case `0x...`.
 */
import type { Address, Hex } from "viem";

/** The block an answer reflects: the envelope's `at` (src/server/envelope.ts `At` has this shape). */
export type ExportAnchor = {
  readonly block: {
    readonly number: string;
    readonly hash: Hex;
    readonly timestamp: string;
    readonly timeIso?: string;
  };
  readonly ledgerSequence: string;
  readonly ledgerHead: Hex;
  readonly finalized: boolean;
};

/** An organisation an export names: its id and, when the route looked it up, its registered name. */
export type ExportOrganization = { readonly id: number; readonly name?: string | null };

/** A lineage relation as the API spells it (the SDK's `Relation`: 0 derived-from, 1 revision-of). */
export type LineageRelationName = "derived-from" | "revision-of";

/** A record's standing, the first that applies in the order withdrawn, frozen, superseded, current. */
export type RecordStatusName = "current" | "superseded" | "withdrawn" | "frozen";

/** One record of a lineage: the API's `LineageNode` and, optionally, what an export adds about it. */
export type LineageExportNode = {
  readonly fingerprint: Hex;
  /** Negative for ancestors, positive for descendants, 0 for the root. */
  readonly level: number;
  /** The owner now (after any transfer). */
  readonly ownerOrg: number;
  /** `DataClass` code: 0 public, 1 internal, 2 important, 3 core. */
  readonly dataClass: number;
  readonly status: RecordStatusName;
  /** Block time of its RecordRegistered event, unix seconds (decimal string). */
  readonly registeredAt: string;
  /** The account that registered it (RecordRegistered.registrant). */
  readonly registrant?: Address;
  /** The organisation it was registered for (RecordRegistered.ownerOrg), which the registrant acted for. */
  readonly registrantOrg?: number;
  /** `Scheme` code of the fingerprint. */
  readonly scheme?: number;
  readonly metadataHash?: Hex;
  readonly metadataURI?: string;
  /** Where its RecordRegistered event is. */
  readonly registeredBlock?: string;
  readonly registeredTransaction?: Hex;
};

/** One lineage edge: `child` was derived from (or is a revision of) `parent`. */
export type LineageExportEdge = {
  readonly child: Hex;
  readonly parent: Hex;
  readonly relation: LineageRelationName;
  /** The grant that allowed the derivation, "0" or null when there is none (grant ids start at 1). */
  readonly grantId: string | null;
};

/** A lineage answer's `data`, plus organisation names and the anchor. */
export type LineageExport = {
  readonly root: Hex;
  readonly direction: "up" | "down" | "both";
  readonly depth: number;
  readonly nodes: readonly LineageExportNode[];
  readonly edges: readonly LineageExportEdge[];
  readonly truncated: boolean;
  readonly truncatedBy: "depth" | "nodes" | null;
  /** Names of the organisations the nodes name (owners, registrants); ids without an entry are exported unnamed. */
  readonly organizations?: readonly ExportOrganization[];
  /** The block the answer reflects; exported as attributes of the export's own entity. */
  readonly at?: ExportAnchor;
};

/** A JSON value as the API writes event arguments (bigints as decimal strings, hex lower case). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** An event's trail stamp on the wire. */
export type ExportStamp = {
  readonly recordHead: Hex;
  readonly recordLength: string;
  readonly ledgerSequence: string;
  readonly ledgerHead: Hex;
};

/** One event of an activity answer: the API's `EventAnswer`. */
export type ExportEvent = {
  readonly name: string;
  readonly blockNumber: string;
  readonly blockHash: Hex;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  /** The contract that emitted it. */
  readonly address: Address;
  /** Block time, unix seconds (decimal string). */
  readonly time: string;
  readonly timeIso?: string;
  /** The decoded arguments, JSON-safe; `stamp` may be among them (it is exported from the `stamp` field). */
  readonly args: { readonly [name: string]: JsonValue };
  readonly stamp: ExportStamp | null;
};

/** An activity answer's `data`: the events naming `org` with block time in [from, to), oldest first. */
export type ActivityExport = {
  /** The organisation whose activity this is: its id, or its id and name. */
  readonly org: number | ExportOrganization;
  /** The period, unix seconds (decimal strings) or ISO-8601; null for an open end. */
  readonly from: string | null;
  readonly to: string | null;
  readonly events: readonly ExportEvent[];
  /** Names of the other organisations the events name. */
  readonly organizations?: readonly ExportOrganization[];
  readonly at?: ExportAnchor;
};

/** Options of the PROV-JSON renderers. */
export type ProvJsonOptions = {
  /**
   * The namespace URI the `provledger:` prefix stands for; default `https://provledger.org/ns#`. A deployment may
   * give its own (e.g. one per chain) so that identifiers from two ledgers do not collide.
   */
  readonly namespace?: string;
};
