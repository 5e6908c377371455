/**
 * The query API's tables: rows derived from each stored event, written in the same transaction as the event, so that
 * the API answers from indexes instead of decoding logs per request:
 *
 * - `record_trail (fingerprint, position, block_number, log_index, event_name, action, actor, time, payload_hash,
 *   record_head, ledger_sequence, ledger_head, block_hash, transaction_hash)`: one row per record-trail entry (an
 *   event that appends to a record's trail, not a standalone one), `position` = its stamp's `recordLength` (1 for the
 *   first), with the entry as the SDK's `trailEntryFromEvent` computes it from the log at ingest (its payload hash
 *   recomputed from the event's parameters, not taken from anywhere). A trail page is one range of the primary key
 *   with no join and no hashing (bench/api.ts: decoding and hashing each entry per request cost most of a page); the
 *   SDK's check of a trail answer recomputes every head from these fields, so an edited or missing row is caught.
 * - `event_orgs (org_id, block_number, log_index)`: one row per organisation an event names (every `uint32`
 *   argument of a Provledger event is an organisation id), distinct per event: an organisation's activity.
 * - `lineage_edges (child, parent, relation, grant_id, block_number)`: `RecordRegistered.parents`, with the
 *   derivation grant of each parent; indexed by `parent` too, so that lineage walks both ways level by level.
 *
 * Every row carries the block it came from: a rollback deletes the rows above its ancestor, a rebuild derives them
 * again from the stored events. The rows come from the events the range decodes for the projection anyway (no second
 * decoding): a few field reads per event.
 */
import type { AbiEvent, Hex } from "viem";
import {
  STANDALONE_EVENTS,
  TRAIL_ACTIONS,
  isTrailEvent,
  trailEntryFromEvent,
  type DecodedEvent as SdkEvent,
  type ProvledgerEvent,
} from "../../sdk";
import { payloadHashFromLog } from "../audit/payload";
import { eventAbiFor } from "../events";
import { u64Text, type Row } from "./codec";
import type { StoreDialect } from "./types";
import { insertRows, type DecodedEvent, type Db } from "./workingSet";

/** The query tables, each with its primary key (the dump's order) and how its columns read back. */
export const queryTables = {
  record_trail: {
    key: ["fingerprint", "position"],
    columns: {
      fingerprint: "text",
      position: "big",
      block_number: "big",
      log_index: "int",
      event_name: "text",
      action: "int",
      actor: "text",
      time: "big",
      payload_hash: "text",
      record_head: "text",
      ledger_sequence: "big",
      ledger_head: "text",
      block_hash: "text",
      transaction_hash: "text",
    },
  },
  event_orgs: {
    key: ["org_id", "block_number", "log_index"],
    columns: { org_id: "int", block_number: "big", log_index: "int" },
  },
  lineage_edges: {
    key: ["child", "parent"],
    columns: { child: "text", parent: "text", relation: "int", grant_id: "text", block_number: "big" },
  },
} as const satisfies Record<string, { key: readonly string[]; columns: Record<string, "text" | "big" | "int"> }>;

export type QueryTableName = keyof typeof queryTables;
export const queryTableNames = Object.keys(queryTables) as QueryTableName[];

export type QueryRows = { readonly [T in QueryTableName]: Row[] };

/** Per event selector: its first parameter (a trail entry's subject) and its `uint32` ones (organisation ids). */
type Shape = { readonly subject: string | undefined; readonly orgs: readonly string[] };
const shapes = new Map<string, Shape>();

function shapeOf(stored: DecodedEvent["stored"]): Shape {
  const selector = stored.topics[0]!.toLowerCase();
  let shape = shapes.get(selector);
  if (!shape) {
    const inputs = (eventAbiFor(selector as Hex)?.[0] as AbiEvent | undefined)?.inputs ?? [];
    shape = {
      subject: inputs[0]?.name,
      orgs: inputs.filter((input) => input.type === "uint32").map((input) => input.name!),
    };
    shapes.set(selector, shape);
  }
  return shape;
}

type Args = Record<string, unknown>;
type Parent = { fingerprint: string; relation: number };

/** The block time of a block the events are in. */
export type BlockTimeOf = (block: bigint) => bigint;

/** The query-table rows of `events` (decoded, in commit order). */
export function queryRowsOf(events: readonly DecodedEvent[], timeOf: BlockTimeOf): QueryRows {
  const rows: { [T in QueryTableName]: Row[] } = { record_trail: [], event_orgs: [], lineage_edges: [] };
  for (const { stored, decoded } of events) {
    const args = ((decoded as ProvledgerEvent & { args?: Args }).args ?? {}) as Args;
    const name = decoded.eventName;
    const at = { block_number: stored.blockNumber, log_index: stored.logIndex };
    const shape = shapeOf(stored);

    if (isTrailEvent(name) && !STANDALONE_EVENTS.has(name)) {
      const stamp = args.stamp as { recordLength: bigint } | undefined;
      // A record trail entry's subject is the event's first parameter (trailEntryFromEvent's): the fingerprint.
      const subject = shape.subject === undefined ? undefined : args[shape.subject];
      if (stamp && typeof subject === "string") {
        const time = timeOf(stored.blockNumber);
        // The payload hash from the raw log (the audit's layout and sponge); the SDK's viem path only where that
        // does not apply. Both give the same hash (the store's conformance test compares every row with the SDK's).
        const fast = payloadHashFromLog(stored);
        const actor = (args.actor ?? args.registrant ?? args.by) as string | undefined;
        const entry =
          fast && actor !== undefined
            ? {
                action: TRAIL_ACTIONS[name],
                actor,
                payloadHash: fast,
                stamp: args.stamp as { recordHead: string; ledgerSequence: bigint; ledgerHead: string },
              }
            : trailEntryFromEvent(decoded as unknown as SdkEvent, time);
        rows.record_trail.push({
          fingerprint: subject.toLowerCase(),
          position: BigInt(stamp.recordLength),
          ...at,
          event_name: name,
          action: entry.action,
          actor: entry.actor.toLowerCase(),
          time,
          payload_hash: entry.payloadHash.toLowerCase(),
          record_head: entry.stamp.recordHead.toLowerCase(),
          ledger_sequence: BigInt(entry.stamp.ledgerSequence),
          ledger_head: entry.stamp.ledgerHead.toLowerCase(),
          block_hash: stored.blockHash.toLowerCase(),
          transaction_hash: stored.transactionHash.toLowerCase(),
        });
      }
    }

    const orgs = new Set<number>();
    for (const parameter of shape.orgs) {
      const value = args[parameter];
      if (value !== undefined) orgs.add(Number(value));
    }
    for (const org of orgs) rows.event_orgs.push({ org_id: org, ...at });

    if (name === "RecordRegistered") {
      const child = String(args.fingerprint).toLowerCase();
      const grants = (args.derivationGrants ?? []) as readonly bigint[];
      const seen = new Set<string>();
      (args.parents as readonly Parent[]).forEach((link, i) => {
        const parent = link.fingerprint.toLowerCase();
        if (seen.has(parent)) return;
        seen.add(parent);
        rows.lineage_edges.push({
          child,
          parent,
          relation: Number(link.relation),
          grant_id: u64Text(BigInt(grants[i] ?? 0n)),
          block_number: stored.blockNumber,
        });
      });
    }
  }
  return rows;
}

/**
 * Writes the query-table rows of `events` (events not stored before: the caller filters replays out). A row whose key
 * is taken keeps the stored one: on a real chain that cannot happen (the ledger numbers each record's entries, a
 * record registers once), and a chain that does it (a synthetic one, two entries claiming one trail position) is
 * the audit's to report (the trail does not recompute), not a reason to stop indexing.
 */
export async function writeQueryRows(
  db: Db,
  dialect: StoreDialect,
  events: readonly DecodedEvent[],
  timeOf: BlockTimeOf,
): Promise<void> {
  const rows = queryRowsOf(events, timeOf);
  for (const table of queryTableNames) {
    await insertRows(db, dialect, table, rows[table], { columns: queryTables[table].key });
  }
}

/** Deletes the query-table rows of the blocks above `block` (a rollback). */
export async function deleteQueryRowsAbove(db: Db, block: bigint): Promise<void> {
  for (const table of queryTableNames) await db.deleteFrom(table).where("block_number", ">", block).execute();
}

/** Empties the query tables (a rebuild derives them again). */
export async function clearQueryTables(db: Db): Promise<void> {
  for (const table of queryTableNames) await db.deleteFrom(table).execute();
}

/** A query-table row in canonical JSON (bigints as decimal strings), whatever the driver returned. */
export function queryRowToJson(table: QueryTableName, row: Row): Record<string, string | number> {
  const json: Record<string, string | number> = {};
  for (const [column, kind] of Object.entries(queryTables[table].columns)) {
    const value = row[column];
    json[column] = kind === "int" ? Number(value) : kind === "big" ? BigInt(value as bigint).toString() : String(value);
  }
  return json;
}
