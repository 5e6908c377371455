/**
 * `GET /v1/events`: stored events by kind, organisation, record and block range, oldest first, paged by cursor.
 */
import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { answer } from "../envelope";
import { ApiError } from "../errors";
import { inSnapshot } from "../queries/common";
import { checkEventName, decodeEventCursor, encodeEventCursor, eventNames, queryEvents } from "../queries/events";
import { address, decimal, envelope, hex32, hex32In, orgId, pageQuery } from "../schemas";
import type { RouteContext } from "../types";

/** The default and largest page of event lists. */
export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 1000;

/** `EventAnswer`, shared with the organisation activity route. */
export const eventAnswerSchema = {
  $id: "EventAnswer",
  type: "object",
  description: "One contract event as the chain logged it, its arguments decoded from the stored raw log",
  required: ["name", "blockNumber", "blockHash", "logIndex", "transactionHash", "address", "time", "args", "stamp"],
  additionalProperties: false,
  properties: {
    name: { type: "string", description: "The event's name in the contracts' ABI" },
    blockNumber: decimal,
    blockHash: hex32,
    logIndex: { type: "integer", minimum: 0 },
    transactionHash: hex32,
    address: { ...address, description: "The contract that emitted it" },
    time: { ...decimal, description: "Block time, unix seconds" },
    args: {
      type: "object",
      additionalProperties: true,
      description: "Arguments by name (without the stamp): integers above 2^53 as decimal strings, hex lower case",
    },
    stamp: {
      type: ["object", "null"],
      description: "The ledger-wide position the event claims; null for unchained events",
      required: ["recordHead", "recordLength", "ledgerSequence", "ledgerHead"],
      additionalProperties: false,
      properties: { recordHead: hex32, recordLength: decimal, ledgerSequence: decimal, ledgerHead: hex32 },
    },
  },
} as const;

const blockNumber = { type: "string", pattern: "^[0-9]{1,20}$", description: "A block number" } as const;

/** A block bound from the query string (the schema has checked its digits). */
function block(value: string | undefined): bigint | undefined {
  return value === undefined ? undefined : BigInt(value);
}

type EventsQuery = {
  kind?: string;
  org?: number;
  record?: Hex;
  fromBlock?: string;
  toBlock?: string;
  cursor?: string;
  limit: number;
};

export async function eventRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.addSchema(eventAnswerSchema);
  app.get<{ Querystring: EventsQuery }>(
    "/v1/events",
    {
      schema: {
        tags: ["events"],
        summary: "Events by kind, organisation, record and block range",
        description:
          "Stored events matching every filter given, oldest first (by block, then log index). `org` matches the " +
          "events that name the organisation in any argument; `record` the entries of a record's trail.",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            kind: { type: "string", maxLength: 64, description: `An event name: ${eventNames.join(", ")}` },
            org: { ...orgId, description: "An organisation the event names" },
            record: { ...hex32In, description: "A record whose trail the event is in" },
            fromBlock: { ...blockNumber, description: "First block (inclusive)" },
            toBlock: { ...blockNumber, description: "Last block (inclusive)" },
            ...pageQuery(EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT),
          },
        },
        response: envelope({ type: "array", items: { $ref: "EventAnswer#" } }, { paged: true }),
      },
    },
    async (request) => {
      const query = request.query;
      if (query.kind !== undefined) checkEventName(query.kind);
      const fromBlock = block(query.fromBlock);
      const toBlock = block(query.toBlock);
      if (fromBlock !== undefined && toBlock !== undefined && fromBlock > toBlock) {
        throw new ApiError(
          "InvalidRange",
          `fromBlock ${fromBlock} is after toBlock ${toBlock}`,
          "give fromBlock <= toBlock (both inclusive)",
        );
      }
      const after = decodeEventCursor("events", query.cursor);
      return inSnapshot(context.reader, async (db, anchor) => {
        const page = await queryEvents(db, {
          kind: query.kind,
          org: query.org,
          record: query.record?.toLowerCase() as Hex | undefined,
          fromBlock,
          // Nothing above the answer's block: a page must not show what its `at` says is not there yet.
          toBlock: toBlock === undefined || toBlock > anchor.block.number ? anchor.block.number : toBlock,
          after,
          limit: query.limit,
        });
        const next = page.more && page.last ? encodeEventCursor("events", page.last) : null;
        return answer(anchor, page.events, next);
      });
    },
  );
}
