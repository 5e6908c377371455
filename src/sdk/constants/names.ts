/**
 * Names of the contracts' codes, derived from the code tables in codes.ts so that a new code cannot be left unnamed.
 * Two spellings: Solidity's enum member (`PendingCustoms`, as in error messages) and words (`pending customs`, as in
 * verdicts and explanations).
 */
import { Authorization, DataClass, GrantStatus, OfferStatus, OrganizationStatus, Role, Rule, Scope } from "./codes";

type Table = Readonly<Record<string, number>>;

/** "PENDING_CUSTOMS" -> "PendingCustoms" */
function pascal(name: string): string {
  return name
    .toLowerCase()
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/** "PENDING_CUSTOMS" -> "pending customs" */
function words(name: string): string {
  return name.toLowerCase().replace(/_/g, " ");
}

/** The members of an enum table by value, spelt with `spell`. */
function byValue(table: Table, spell: (name: string) => string): readonly string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(table)) names[value] = spell(name);
  return names;
}

/** The single bits of a bit-set table (without composites such as ALL), lowest first. */
function bits(table: Table): readonly (readonly [number, string])[] {
  return Object.entries(table)
    .filter(([, value]) => value > 0 && (value & (value - 1)) === 0)
    .map(([name, value]) => [value, words(name)] as const)
    .sort(([a], [b]) => a - b);
}

/** Solidity enum member names by value: IOrganizationRegistry.Status, IDataRights.{CrossBorderRule, ...}. */
export const enumNames = {
  Status: byValue(OrganizationStatus, pascal),
  CrossBorderRule: byValue(Rule, pascal),
  GrantStatus: byValue(GrantStatus, pascal),
  OfferStatus: byValue(OfferStatus, pascal),
  Authorization: byValue(Authorization, pascal),
} as const;

export type EnumType = keyof typeof enumNames;

/** A Solidity enum member's name, e.g. enumName("GrantStatus", 1) = "PendingCustoms". */
export function enumName(enumType: EnumType, value: number | bigint): string {
  return enumNames[enumType][Number(value)] ?? `${enumType}(${value})`;
}

const codeWords = {
  Authorization: byValue(Authorization, words),
  GrantStatus: byValue(GrantStatus, words),
  OfferStatus: byValue(OfferStatus, words),
  DataClass: byValue(DataClass, words),
  Rule: byValue(Rule, words),
} as const;

/** A code in words, e.g. codeName("Authorization", 2) = "record withdrawn", codeName("DataClass", 3) = "core". */
export function codeName(table: keyof typeof codeWords, value: number | bigint): string {
  return codeWords[table][Number(value)] ?? `undefined ${table} ${value}`;
}

function bitNames(value: number, table: Table, separator: string): string {
  const set = bits(table)
    .filter(([bit]) => (value & bit) !== 0)
    .map(([, name]) => name);
  return set.length > 0 ? set.join(separator) : "none";
}

/** A role bit set in words, e.g. 3 -> "registrar and trader". */
export function roleNames(roles: number): string {
  return bitNames(roles, Role, " and ");
}

/** A scope bit set in words, e.g. 3 -> "use+derive". */
export function scopeNames(scopes: number): string {
  return bitNames(scopes, Scope, "+");
}
