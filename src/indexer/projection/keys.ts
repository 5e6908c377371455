/**
 * The rows an event may read or write, named by its own arguments: what a database store loads before applying a
 * block range (store.ts says why). Read off the argument names the contracts use for their keys; the handler tests
 * check, for every event, that its handler touches no other row.
 */
import type { Address, Hex } from "viem";
import type { ProvledgerEvent } from "../../sdk";
import type { GrantKey, ProjectionKeys, TableKey, TableName } from "./state";

type KeyArgs = {
  orgId?: number;
  account?: Address;
  fingerprint?: Hex;
  granteeOrg?: number;
  offerId?: bigint;
  dataClass?: number;
  root?: Hex;
};

export function eventKeys(event: ProvledgerEvent): ProjectionKeys {
  const args = (event.args ?? {}) as KeyArgs;
  const keys: { -readonly [T in TableName]?: TableKey<T>[] } = {};
  if (args.orgId !== undefined) keys.organizations = [args.orgId];
  if (args.account !== undefined) keys.operators = [args.account];
  if (args.fingerprint !== undefined) keys.records = [args.fingerprint];
  if (args.fingerprint !== undefined && args.granteeOrg !== undefined) {
    keys.grants = [[args.fingerprint, args.granteeOrg] as GrantKey];
  }
  if (args.offerId !== undefined) keys.offers = [args.offerId];
  if (args.dataClass !== undefined) keys.classRules = [args.dataClass];
  if (args.root !== undefined) keys.batches = [args.root];
  return keys;
}
