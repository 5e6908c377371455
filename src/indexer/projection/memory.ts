/**
 * The projection in Maps: for tests, replay and audit, and as the working set a database store loads a block range
 * into. Its Maps are readable directly (`store.records.get(fingerprint)`), keyed as `memoryKey` says.
 */
import type { Hex } from "viem";
import { tableNames, type GrantKey, type TableKey, type TableName, type TableValue } from "./state";
import type { ProjectionStore } from "./store";

type MemoryKey = string | number | bigint;

export type MemoryProjectionStore = ProjectionStore & {
  readonly [T in TableName]: ReadonlyMap<MemoryKey, TableValue<T>>;
};

/** The Map key of a grant: `<fingerprint in lower case>:<granteeOrg>`. */
export function grantKey(fingerprint: Hex, granteeOrg: number): string {
  return `${fingerprint.toLowerCase()}:${granteeOrg}`;
}

// Hex keys in lower case, so that a checksummed account and a lower-case one are the same key.
const lower = (key: string) => key.toLowerCase();
const same = <K extends MemoryKey>(key: K) => key;
const toMemoryKey: { [T in TableName]: (key: TableKey<T>) => MemoryKey } = {
  organizations: same,
  operators: lower,
  records: lower,
  grants: ([fingerprint, granteeOrg]: GrantKey) => grantKey(fingerprint, granteeOrg),
  offers: same,
  classRules: same,
  batches: lower,
};

/** The key under which the memory store's Map for `table` holds `key`. */
export function memoryKey<T extends TableName>(table: T, key: TableKey<T>): MemoryKey {
  return (toMemoryKey[table] as (key: TableKey<T>) => MemoryKey)(key);
}

/** Freezes a value and everything in it, so that a handler that changes a row it read (instead of `put`) throws. */
function freeze<V>(value: V): V {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freeze(inner);
    Object.freeze(value);
  }
  return value;
}

export function createMemoryStore(): MemoryProjectionStore {
  const maps = Object.fromEntries(tableNames.map((table) => [table, new Map()])) as {
    [T in TableName]: Map<MemoryKey, TableValue<T>>;
  };
  return {
    ...maps,
    get: (table, key) => maps[table].get(memoryKey(table, key)),
    put: (table, key, value) => void maps[table].set(memoryKey(table, key), freeze(value)),
    delete: (table, key) => void maps[table].delete(memoryKey(table, key)),
  };
}
