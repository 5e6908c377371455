/**
 * Lineage up (ancestors), down (descendants) or both, breadth first over lineage_edges: one query per level, the next
 * level's edges (by the primary key's child prefix going up, by the parent index going down) joined to the records
 * they lead to, with the frontier bound as one parameter (`memberOf`). So a lineage of 10,000 nodes at depth 50 is
 * about fifty indexed queries, not 10,000 round trips (the N+1 that makes lineage endpoints slow on large graphs).
 */
import { zeroHash, type Hex } from "viem";
import { unknownRecord } from "../errors";
import { isoTime } from "../envelope";
import { decimal, memberOf, recordStatus, relationName, type Db, type RecordStatus } from "./common";

export type LineageDirection = "up" | "down" | "both";

export type LineageNode = {
  fingerprint: Hex;
  /** Negative: ancestors (-1 the parents); positive: descendants; 0: the root. */
  level: number;
  ownerOrg: number;
  dataClass: number;
  status: RecordStatus;
  registeredAt: string;
  registeredAtIso: string | null;
};

export type LineageEdge = { child: Hex; parent: Hex; relation: "derived-from" | "revision-of"; grantId: string };

export type LineageAnswer = {
  root: Hex;
  direction: LineageDirection;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  truncated: boolean;
  truncatedBy: "depth" | "nodes" | null;
};

export const LINEAGE_DEFAULT_DEPTH = 10;
export const LINEAGE_MAX_DEPTH = 100;
export const LINEAGE_DEFAULT_LIMIT = 1_000;
export const LINEAGE_MAX_LIMIT = 10_000;

type EdgeRow = { child: string; parent: string; relation: unknown; grant_id: unknown };

/** Edges from the frontier one step in a direction: up follows child -> parent, down parent -> child. */
async function edgesFrom(db: Db, frontier: readonly Hex[], up: boolean): Promise<EdgeRow[]> {
  return (await db
    .selectFrom("lineage_edges")
    .select(["child", "parent", "relation", "grant_id"])
    .where(memberOf(db, up ? "child" : "parent", frontier))
    .execute()) as EdgeRow[];
}

/** Whether a walk stopped by the depth limit had somewhere new to go. */
async function goesFurther(db: Db, walk: Walk): Promise<boolean> {
  const found = await edgesFrom(db, walk.frontier, walk.up);
  return found.some((edge) => !walk.seen.has(walk.up ? edge.parent : edge.child));
}

type NodeRow = {
  fingerprint: string;
  owner_org: unknown;
  data_class: unknown;
  withdrawn: unknown;
  frozen: unknown;
  superseded_by: string;
  registered_at: unknown;
};

const NODE_COLUMNS = ["owner_org", "data_class", "withdrawn", "frozen", "superseded_by", "registered_at"] as const;

function lineageNode(row: NodeRow, level: number): LineageNode {
  const registeredAt = BigInt(row.registered_at as bigint);
  return {
    fingerprint: row.fingerprint as Hex,
    level,
    ownerOrg: Number(row.owner_org),
    dataClass: Number(row.data_class),
    status: recordStatus({
      withdrawn: Number(row.withdrawn) === 1,
      frozen: Number(row.frozen) === 1,
      supersededBy: (row.superseded_by ?? zeroHash) as Hex,
    }),
    registeredAt: registeredAt.toString(),
    registeredAtIso: isoTime(registeredAt),
  };
}

/** The edges one step on from the frontier, each with the record it leads to (its `target`). */
async function stepFrom(db: Db, frontier: readonly Hex[], up: boolean): Promise<(EdgeRow & NodeRow)[]> {
  const target = up ? "e.parent" : "e.child";
  return (await db
    .selectFrom("lineage_edges as e")
    .innerJoin("records as r", "r.fingerprint", target)
    .select(["e.child", "e.parent", "e.relation", "e.grant_id", "r.fingerprint"])
    .select(NODE_COLUMNS.map((column) => `r.${column}` as const))
    .where(memberOf(db, up ? "e.child" : "e.parent", frontier))
    .execute()) as (EdgeRow & NodeRow)[];
}

type Walk = {
  up: boolean;
  frontier: Hex[];
  seen: Set<string>;
  done: boolean;
};

/**
 * The lineage of `root`. Levels are visited by distance (ancestors at -d before descendants at +d); in a level, nodes
 * are in fingerprint order, so the answer is deterministic. The node cap counts the root; when it stops the walk,
 * the nodes of the level that did not fit are left out with their edges (`truncatedBy: "nodes"`). When the depth
 * limit stops it while a node at the last level still has edges onward, `truncatedBy: "depth"`.
 */
export async function lineageAnswer(
  db: Db,
  root: Hex,
  options: { direction: LineageDirection; depth: number; limit: number },
): Promise<LineageAnswer> {
  const rootRow = (await db
    .selectFrom("records")
    .select(["fingerprint", ...NODE_COLUMNS])
    .where("fingerprint", "=", root)
    .executeTakeFirst()) as NodeRow | undefined;
  if (!rootRow) throw unknownRecord(root);
  const rootNode = lineageNode(rootRow, 0);
  const nodes: LineageNode[] = [rootNode];
  const included = new Set<string>([root]);
  const edges: LineageEdge[] = [];
  const walks: Walk[] = [];
  if (options.direction !== "down") walks.push({ up: true, frontier: [root], seen: new Set([root]), done: false });
  if (options.direction !== "up") walks.push({ up: false, frontier: [root], seen: new Set([root]), done: false });
  let truncatedBy: "depth" | "nodes" | null = null;

  for (let distance = 1; distance <= options.depth && truncatedBy === null; distance++) {
    for (const walk of walks) {
      if (walk.done || truncatedBy !== null) continue;
      const found = await stepFrom(db, walk.frontier, walk.up);
      const next = new Map<string, NodeRow>();
      for (const edge of found) {
        const target = walk.up ? edge.parent : edge.child;
        if (!walk.seen.has(target)) next.set(target, edge);
      }
      let fresh = [...next.keys()].sort() as Hex[];
      const room = options.limit - nodes.length;
      if (fresh.length > room) {
        fresh = fresh.slice(0, room);
        truncatedBy = "nodes";
      }
      const level = walk.up ? -distance : distance;
      for (const fingerprint of fresh) {
        // Each fresh target came with its record (the inner join: an edge always names registered records).
        const node = lineageNode(next.get(fingerprint)!, level);
        nodes.push(node);
        included.add(fingerprint);
        walk.seen.add(fingerprint);
      }
      const levelEdges = found
        .filter((edge) => included.has(edge.child) && included.has(edge.parent))
        .map((edge) => ({
          child: edge.child as Hex,
          parent: edge.parent as Hex,
          relation: relationName(Number(edge.relation)),
          grantId: decimal(edge.grant_id),
        }))
        .sort((a, b) => (a.child === b.child ? cmp(a.parent, b.parent) : cmp(a.child, b.child)));
      edges.push(...levelEdges);
      walk.frontier = fresh;
      if (fresh.length === 0) walk.done = true;
    }
  }
  if (truncatedBy === null) {
    for (const walk of walks) {
      if (!walk.done && walk.frontier.length > 0 && (await goesFurther(db, walk))) {
        truncatedBy = "depth";
        break;
      }
    }
  }
  return {
    root,
    direction: options.direction,
    depth: options.depth,
    nodes,
    edges: dedupe(edges),
    truncated: truncatedBy !== null,
    truncatedBy,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An edge can be found twice in a DAG with diamonds (once per walk level reaching it); keep the first. */
function dedupe(edges: LineageEdge[]): LineageEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.child}:${edge.parent}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
