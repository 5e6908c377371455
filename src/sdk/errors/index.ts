/**
 * Typed errors of the Provledger SDK, and the checks that raise them before anything is sent.
 *
 * - `decodeProvledgerError(error, context)` turns whatever viem (or ethers, or a node) threw into a `ProvledgerError`:
 *   a contract revert becomes a `ContractRevertError` named after the Solidity error (`AlreadyRegistered`, ...), with
 *   its arguments typed from the ABI and a message in plain language that names the cause and the fix, with
 *   organisations named (`CN-GD/Open Data Bureau (org 1)`), block times in ISO 8601 UTC, jurisdiction codes as text and
 *   enums by name. Revert data no contract defines becomes an `UnknownRevertError` that keeps the data.
 * - `InvalidInputError` and the `check*` functions validate arguments before a request is made.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  getAddress,
  hexToString,
  isAddress,
  isHex,
  stringToHex,
  type AbiParameterToPrimitiveType,
  type Address,
  type ContractErrorArgs,
  type ContractErrorName,
  type Hex,
  type PublicClient,
} from "viem";
import { dataRightsAbi, organizationRegistryAbi, provenanceLedgerAbi } from "../abi";
import type { ProvledgerAddresses } from "../clients";

// ---------------------------------------------------------------------------------------------------------------------
// ABIs

/** Every function, event and error of the registry, the ledger and the rights module. */
export const provledgerAbi = [...organizationRegistryAbi, ...provenanceLedgerAbi, ...dataRightsAbi] as const;

/** Solidity's built-in revert types: `revert("reason")`/`require(x, "reason")`, and panics (overflow, assert). */
const builtinErrorsAbi = [
  { type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] },
  { type: "error", name: "Panic", inputs: [{ name: "code", type: "uint256" }] },
] as const;

/**
 * Every error a Provledger call can revert with. The ledger relays the rights module's refusals (`DerivationRefused`)
 * and every contract relays the registry's membership errors, so reverts are decoded with all three ABIs at once.
 */
export const provledgerErrorAbi = [...provledgerAbi, ...builtinErrorsAbi] as const;

export type ProvledgerErrorName = ContractErrorName<typeof provledgerErrorAbi>;
/** The error's arguments as a tuple, typed from the ABI (uint8..uint48 are numbers, wider integers bigints). */
export type ProvledgerErrorArgs<N extends ProvledgerErrorName> = ContractErrorArgs<typeof provledgerErrorAbi, N>;
type ErrorItem<N> = Extract<(typeof provledgerErrorAbi)[number], { type: "error"; name: N }>;
/** The error's arguments by parameter name. */
export type ProvledgerErrorParams<N extends ProvledgerErrorName> = N extends ProvledgerErrorName
  ? { [P in ErrorItem<N>["inputs"][number] as P["name"]]: AbiParameterToPrimitiveType<P> }
  : never;

// ---------------------------------------------------------------------------------------------------------------------
// Error classes

/** What went wrong, when it is not a contract error. */
export type SdkErrorCode =
  /** An argument is malformed; nothing was sent. */
  | "InvalidInput"
  /** No contract is deployed at a configured address. */
  | "NoContract"
  /** A configured address holds a contract that is not the expected part of this deployment. */
  | "WrongContract"
  /** The node is on another chain than the one expected. */
  | "ChainMismatch"
  /** A write was asked of a client without a wallet (or a wallet without an account). */
  | "NoWallet"
  /** A call reverted with data none of the contracts defines, or with none at all. */
  | "UnknownRevert"
  /** A transaction was included but reverted, and re-simulating it did not tell why. */
  | "TransactionReverted"
  /** A transaction succeeded but did not emit the event its action always emits. */
  | "MissingEvent"
  /** The node or the wallet failed (network, rejected signature, insufficient funds, ...). */
  | "RequestFailed";

export type ProvledgerErrorCode = ProvledgerErrorName | SdkErrorCode;

/** Base of every error the SDK throws on purpose. `code` says what happened; `message` says what to do. */
export class ProvledgerError extends Error {
  readonly code: ProvledgerErrorCode;
  /** The SDK action that failed, e.g. "register". */
  readonly action?: string;

  constructor(code: ProvledgerErrorCode, message: string, options: { cause?: unknown; action?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = code;
    if (options.action !== undefined) this.action = options.action;
  }
}

/** A revert with one of the contracts' errors (or Solidity's `Error(string)`/`Panic(uint256)`). `name === code`. */
export class ContractRevertError<N extends ProvledgerErrorName = ProvledgerErrorName> extends ProvledgerError {
  declare readonly code: N;
  /** The error's arguments in declaration order, typed from the ABI. */
  readonly args: ProvledgerErrorArgs<N>;
  /** The same arguments by name. */
  readonly params: ProvledgerErrorParams<N>;
  /** The raw revert data. */
  readonly data: Hex;

  constructor(
    code: N,
    message: string,
    details: { args: ProvledgerErrorArgs<N>; params: ProvledgerErrorParams<N>; data: Hex },
    options: { cause?: unknown; action?: string } = {},
  ) {
    super(code, message, options);
    this.args = details.args;
    this.params = details.params;
    this.data = details.data;
  }
}

/** A revert whose data none of the Provledger contracts defines (or with no data); the data is kept. */
export class UnknownRevertError extends ProvledgerError {
  declare readonly code: "UnknownRevert";
  readonly data: Hex;

  constructor(data: Hex, options: { cause?: unknown; action?: string } = {}) {
    const message =
      data === "0x"
        ? "the call reverted without giving a reason (no revert data): the address may not be the Provledger " +
          "contract this action needs, the transaction may have run out of gas, or the node hides revert data; " +
          "check the deployment addresses and the gas limit"
        : `the call reverted with error ${data.slice(0, 10)}, which none of the Provledger contracts defines ` +
          `(revert data ${data}): the address is probably not part of this deployment, or src/sdk/abi/generated.ts is older ` +
          "than the deployed contracts (run `npm run abi`)";
    super("UnknownRevert", message, options);
    this.name = "UnknownRevertError";
    this.data = data;
  }
}

/** An argument is malformed. Thrown before any request, so nothing was sent. */
export class InvalidInputError extends ProvledgerError {
  declare readonly code: "InvalidInput";
  /** The argument, e.g. "fingerprint" or "parents[1].relation". */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, problem: string) {
    super("InvalidInput", `${field} ${problem} (got ${preview(value)}); nothing was sent`);
    this.name = "InvalidInputError";
    this.field = field;
    this.value = value;
  }
}

/** Any other SDK failure: no contract, wrong contract, wrong chain, no wallet, node failures. */
export class ProvledgerClientError extends ProvledgerError {
  declare readonly code: Exclude<SdkErrorCode, "InvalidInput" | "UnknownRevert">;

  constructor(
    code: Exclude<SdkErrorCode, "InvalidInput" | "UnknownRevert">,
    message: string,
    options: { cause?: unknown; action?: string } = {},
  ) {
    super(code, message, options);
    this.name = `${code}Error`;
  }
}

export function isProvledgerError(error: unknown): error is ProvledgerError {
  return error instanceof ProvledgerError;
}

/** Whether `error` is the contract error `name`; narrows `args` and `params` to that error's types. */
export function isContractError<N extends ProvledgerErrorName>(
  error: unknown,
  name: N,
): error is ContractRevertError<N> {
  return error instanceof ContractRevertError && error.code === name;
}

// ---------------------------------------------------------------------------------------------------------------------
// Formatting

/** Solidity enum member names, by value (IOrganizationRegistry and IDataRights). */
export const enumNames = {
  Status: ["None", "Active", "Suspended"],
  CrossBorderRule: ["Free", "Approval", "Forbidden"],
  GrantStatus: ["None", "PendingCustoms", "Active", "Revoked", "Rejected"],
  OfferStatus: ["None", "Open", "Cancelled", "AwaitingCustoms", "Rejected", "Completed", "Delivered"],
  Authorization: [
    "Owner",
    "Granted",
    "RecordWithdrawn",
    "RecordFrozen",
    "OrganizationInactive",
    "OwnerInactive",
    "NoGrant",
    "GrantPendingCustoms",
    "GrantRevoked",
    "GrantRejected",
    "GrantExpired",
    "ScopeNotGranted",
    "CrossBorderForbidden",
    "CustomsApprovalMissing",
  ],
} as const;

export function enumName(enumType: keyof typeof enumNames, value: number | bigint): string {
  const names: readonly string[] = enumNames[enumType];
  return names[Number(value)] ?? `${enumType}(${value})`;
}

const ROLE_NAMES = ["registrar", "trader", "inspector", "customs"] as const;
const CLASS_NAMES = ["public", "internal", "important", "core"] as const;

function bitNames(bits: number, names: readonly string[]): string {
  const set = names.filter((_, i) => (bits >> i) & 1);
  return set.length > 0 ? set.join(" and ") : "none";
}

/** Role bit set as words, e.g. 3 → "registrar and trader". */
export function roleNames(roles: number): string {
  return bitNames(roles, ROLE_NAMES);
}

function className(dataClass: number): string {
  return CLASS_NAMES[dataClass] ?? `undefined class ${dataClass}`;
}

/** A block time (seconds since 1970) in ISO 8601 UTC, e.g. "2026-05-01T08:30:00Z". */
export function formatBlockTime(seconds: number | bigint): string {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `block time ${seconds}`;
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** A bytes8 jurisdiction code as text ("CN-GD"); codes that are not printable ASCII stay hex. */
export function decodeJurisdiction(code: Hex): string {
  const trimmed = code.replace(/(00)+$/, "");
  if (trimmed === "0x") return "(no jurisdiction)";
  const text = hexToString(trimmed as Hex);
  return /^[\x20-\x7e]+$/.test(text) ? text : code;
}

/** A jurisdiction code ("CN-GD", at most 8 ASCII characters) as the contracts store it: left-aligned in a bytes8. */
export function encodeJurisdiction(code: string, field = "jurisdiction"): Hex {
  if (typeof code === "string" && isHex(code) && code.length === 18) return code.toLowerCase() as Hex;
  if (typeof code !== "string" || !/^[\x21-\x7e]{1,8}$/.test(code)) {
    throw new InvalidInputError(field, code, "must be 1 to 8 printable ASCII characters, such as CN-GD, HK or MO");
  }
  return stringToHex(code, { size: 8 });
}

function preview(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string")
    return value.length > 80 ? JSON.stringify(`${value.slice(0, 77)}...`) : JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Input checks (raise InvalidInputError)

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** A 32-byte hash, 0x followed by 64 hex digits; returned lowercase. */
export function checkBytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !BYTES32.test(value)) {
    const bytes = typeof value === "string" && isHex(value) ? ` (${(value.length - 2) / 2} bytes)` : "";
    throw new InvalidInputError(field, value, `must be 32 bytes of hex: 0x followed by 64 hex digits${bytes}`);
  }
  return value.toLowerCase() as Hex;
}

/** A dataset fingerprint: a non-zero bytes32. */
export function checkFingerprint(value: unknown, field = "fingerprint"): Hex {
  const fingerprint = checkBytes32(value, field);
  if (/^0x0{64}$/.test(fingerprint)) {
    throw new InvalidInputError(
      field,
      value,
      "is zero, which is never a dataset's hash: pass the fingerprint computed over the data (src/sdk/fingerprint.ts)",
    );
  }
  return fingerprint;
}

/** An optional hash field; zero when left out. */
export function checkOptionalBytes32(value: unknown, field: string): Hex {
  return value === undefined ? `0x${"00".repeat(32)}` : checkBytes32(value, field);
}

/** An account or contract address; mixed-case addresses must carry a valid EIP-55 checksum. */
export function checkAddress(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidInputError(field, value, "must be an address: 0x followed by 40 hex digits");
  }
  if (!isAddress(value)) {
    throw new InvalidInputError(field, value, "has an invalid EIP-55 checksum: copy the address again");
  }
  return getAddress(value);
}

/** An unsigned integer of `bits` bits, as a number (for bits <= 48, as viem types them). */
export function checkUint(value: unknown, bits: number, field: string): number {
  return Number(checkBigUint(value, bits, field));
}

/** An unsigned integer of `bits` bits, as a bigint. */
export function checkBigUint(value: unknown, bits: number, field: string): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  const integer =
    typeof value === "bigint" ? value : typeof value === "number" && Number.isInteger(value) ? BigInt(value) : null;
  if (integer === null || integer < 0n || integer > max) {
    throw new InvalidInputError(field, value, `must be a whole number from 0 to ${max} (uint${bits})`);
  }
  return integer;
}

/** An organisation id: 1 or more (uint32). */
export function checkOrgId(value: unknown, field: string): number {
  const id = checkUint(value, 32, field);
  if (id === 0) throw new InvalidInputError(field, value, "must be an organisation id, from 1");
  return id;
}

/** A point in time as block seconds: a Date, or seconds since 1970 as number or bigint. */
export function checkTime(value: unknown, bits: number, field: string): bigint {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputError(field, value, "is an invalid Date");
    return checkBigUint(Math.floor(value.getTime() / 1000), bits, field);
  }
  return checkBigUint(value, bits, field);
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw new InvalidInputError(field, value, "must be true or false");
  return value;
}

export function checkString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new InvalidInputError(field, value, "must be a string");
  return value;
}

/** Arbitrary bytes as even-length hex (a signature). */
export function checkBytes(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length % 2 !== 0) {
    throw new InvalidInputError(field, value, "must be bytes as hex: 0x followed by an even number of hex digits");
  }
  return value as Hex;
}

// ---------------------------------------------------------------------------------------------------------------------
// Decoding

/** What `decodeProvledgerError` may use to make its message specific. All optional. */
export interface ErrorContext {
  /** Used to look up organisation names, jurisdictions, offers and versions for the message (best effort). */
  publicClient?: PublicClient;
  /** Where to look them up; the registry is found through the ledger if left out. */
  addresses?: Partial<ProvledgerAddresses>;
  /** The SDK action that failed, recorded on the error. */
  action?: string;
}

/** Finds revert data in what viem, ethers or a node threw: `0x` for a revert without data, undefined if none. */
export function revertDataOf(error: unknown): Hex | undefined {
  if (typeof error === "string") return isHex(error) && error.length % 2 === 0 ? error : undefined;
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.raw) return reverted.raw;
  }
  // Nodes and libraries nest the data differently (viem RpcRequestError.data, Hardhat's error.data, ethers'
  // error.data or info.error.data, geth's data.data): search the error's causes breadth-first.
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  let revertedWithoutData = false;
  while (queue.length > 0 && seen.size < 64) {
    const node = queue.shift();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    const data = record.data;
    if (typeof data === "string" && isHex(data) && data.length % 2 === 0) {
      if (data.length >= 10) return data;
      revertedWithoutData = true;
    }
    if (typeof data === "object" && data !== null) queue.push(data);
    if (node instanceof ContractFunctionRevertedError) revertedWithoutData = true;
    for (const key of ["cause", "error", "info"]) queue.push(record[key]);
  }
  return revertedWithoutData ? "0x" : undefined;
}

/**
 * Turns whatever a call threw into a `ProvledgerError`: a `ContractRevertError` for the contracts' errors (message
 * in plain language, naming the cause and the fix), an `UnknownRevertError` for other revert data (kept), and a
 * `ProvledgerClientError` "RequestFailed" for failures that are not reverts (the original error is its `cause`).
 */
export async function decodeProvledgerError(error: unknown, context: ErrorContext = {}): Promise<ProvledgerError> {
  if (error instanceof ProvledgerError) return error;
  const options = { cause: error, action: context.action };
  const data = revertDataOf(error);
  if (data === undefined) {
    const detail =
      error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
    return new ProvledgerClientError(
      "RequestFailed",
      `${context.action ? `${context.action}: ` : ""}the request failed before reaching a contract: ${detail}`,
      options,
    );
  }
  if (data === "0x") return new UnknownRevertError(data, options);
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: provledgerErrorAbi, data });
  } catch {
    return new UnknownRevertError(data, options);
  }
  const name = decoded.errorName as ProvledgerErrorName;
  const args = (decoded.args ?? []) as readonly unknown[];
  const params: Record<string, unknown> = {};
  decoded.abiItem.inputs.forEach((input, i) => {
    if (input.name) params[input.name] = args[i];
  });
  const lookup = new Lookup(context.publicClient, context.addresses ?? {});
  const message = await messageOf(name, params, lookup);
  return new ContractRevertError(
    name,
    message,
    {
      args: args as ProvledgerErrorArgs<typeof name>,
      params: params as ProvledgerErrorParams<typeof name>,
      data,
    },
    options,
  );
}

/** The plain-language message of a decoded error, for callers that decode revert data themselves. */
export function messageOf(name: ProvledgerErrorName, params: Record<string, unknown>, lookup = new Lookup()) {
  const build = MESSAGES[name] as (p: Record<string, unknown>, l: Lookup) => string | Promise<string>;
  return Promise.resolve(build(params, lookup));
}

// ---------------------------------------------------------------------------------------------------------------------
// Look-ups for messages: best effort, so a message is still produced when the node cannot answer.

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export class Lookup {
  private registryAddress?: Promise<Address | undefined>;
  private readonly orgs = new Map<number, Promise<string>>();

  constructor(
    private readonly client?: PublicClient,
    private readonly addresses: Partial<ProvledgerAddresses> = {},
  ) {}

  private async attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
    if (!this.client) return undefined;
    try {
      return await read();
    } catch {
      return undefined;
    }
  }

  private registry(): Promise<Address | undefined> {
    this.registryAddress ??= (async () => {
      if (this.addresses.registry) return this.addresses.registry;
      const ledger = this.addresses.ledger;
      if (!ledger) return undefined;
      return this.attempt(() =>
        this.client!.readContract({ address: ledger, abi: provenanceLedgerAbi, functionName: "registry" }),
      );
    })();
    return this.registryAddress;
  }

  /** "CN-GD/Open Data Bureau (org 1)", or "organisation 1" if it cannot be looked up. */
  org(id: number | bigint): Promise<string> {
    const orgId = Number(id);
    if (orgId === 0) return Promise.resolve("no organisation");
    let label = this.orgs.get(orgId);
    if (!label) {
      label = (async () => {
        const registry = await this.registry();
        const org = registry
          ? await this.attempt(() =>
              this.client!.readContract({
                address: registry,
                abi: organizationRegistryAbi,
                functionName: "organization",
                args: [orgId],
              }),
            )
          : undefined;
        return org ? `${decodeJurisdiction(org.jurisdiction)}/${org.name} (org ${orgId})` : `organisation ${orgId}`;
      })();
      this.orgs.set(orgId, label);
    }
    return label;
  }

  /** Roles and status of an organisation, if known. */
  async membership(id: number): Promise<{ status: number; roles: number } | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    const result = await this.attempt(() =>
      this.client!.readContract({
        address: registry,
        abi: organizationRegistryAbi,
        functionName: "membership",
        args: [id],
      }),
    );
    return result ? { status: result[0], roles: result[2] } : undefined;
  }

  /** The organisation an account operates for, if any and if known. */
  async orgOfAccount(account: Address): Promise<number | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    return this.attempt(() =>
      this.client!.readContract({
        address: registry,
        abi: organizationRegistryAbi,
        functionName: "organizationOf",
        args: [account],
      }),
    );
  }

  async governance(): Promise<Address | undefined> {
    const registry = await this.registry();
    if (!registry) return undefined;
    const admin = await this.attempt(() =>
      this.client!.readContract({ address: registry, abi: organizationRegistryAbi, functionName: "defaultAdmin" }),
    );
    return admin === ZERO_ADDRESS ? undefined : admin;
  }

  async recordOwner(fingerprint: Hex): Promise<number | undefined> {
    const ledger = this.addresses.ledger;
    if (!ledger) return undefined;
    const status = await this.attempt(() =>
      this.client!.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "recordStatus",
        args: [fingerprint],
      }),
    );
    return status?.[0];
  }

  async latestVersion(fingerprint: Hex): Promise<Hex | undefined> {
    const ledger = this.addresses.ledger;
    if (!ledger) return undefined;
    const result = await this.attempt(() =>
      this.client!.readContract({
        address: ledger,
        abi: provenanceLedgerAbi,
        functionName: "latestVersion",
        args: [fingerprint],
      }),
    );
    return result?.[0];
  }

  async offer(offerId: bigint): Promise<{ fingerprint: Hex; fromOrg: number; toOrg: number } | undefined> {
    const rights = this.addresses.rights;
    if (!rights) return undefined;
    return this.attempt(() =>
      this.client!.readContract({ address: rights, abi: dataRightsAbi, functionName: "getOffer", args: [offerId] }),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Messages: one per error, each naming the cause and then, after a semicolon or colon, the fix. The mapped type makes
// a missing error a compile error.

type MessageBuilder<N extends ProvledgerErrorName> = (
  p: ProvledgerErrorParams<N>,
  lookup: Lookup,
) => string | Promise<string>;

const PANICS: Record<number, string> = {
  0x01: "an assertion failed",
  0x11: "an arithmetic operation overflowed",
  0x12: "a division by zero",
  0x21: "a value out of an enum's range",
  0x22: "corrupt storage",
  0x31: "pop on an empty array",
  0x32: "an array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "a call to an uninitialised function",
};

const AUTHORIZATION_REASONS: Record<string, (owner: string, grant: string) => string> = {
  Owner: () => "it owns the parent (no authorisation is needed); register again",
  Granted: () => "a live grant covers it; register again",
  RecordWithdrawn: () => "the parent was withdrawn; derive from a live record",
  RecordFrozen: () => "an inspector froze the parent; wait until an inspector unfreezes it",
  OrganizationInactive: () => "the deriving organisation is suspended; governance must reinstate it first",
  OwnerInactive: (owner) =>
    `the owner ${owner} is suspended, so its grants cannot be used; wait until it is reinstated`,
  NoGrant: (owner) => `${owner} has granted it no rights on the parent; ask ${owner} for a grant with the derive scope`,
  GrantPendingCustoms: (owner, grant) =>
    `${grant} still waits for the data customs of ${owner}'s jurisdiction; wait for its approval (decideGrant)`,
  GrantRevoked: (owner, grant) => `${grant} was revoked by the owner; ask ${owner} for a new grant`,
  GrantRejected: (owner, grant) => `${grant} was rejected by data customs; ask ${owner} for a new grant to be reviewed`,
  GrantExpired: (owner, grant) => `${grant} has expired; ask ${owner} for a new grant`,
  ScopeNotGranted: (owner, grant) =>
    `${grant} does not include the derive scope; ask ${owner} to revoke it and issue one with the derive scope`,
  CrossBorderForbidden: (owner) =>
    `the parent's class may no longer leave ${owner}'s jurisdiction; derive within that jurisdiction`,
  CustomsApprovalMissing: (owner, grant) =>
    `deriving now crosses a border that needs the approval of data customs in ${owner}'s jurisdiction, which ` +
    `${grant} never had; ask ${owner} to revoke and re-issue it, so that customs can review it`,
};

const MESSAGES: { [N in ProvledgerErrorName]: MessageBuilder<N> } = {
  // Solidity built-ins
  Error: (p) => `the contract refused with the reason "${p.message}"; correct what the reason names and retry`,
  Panic: (p) =>
    `the contract stopped on ${PANICS[Number(p.code)] ?? "an internal error"} (panic 0x${p.code.toString(16)}): ` +
    "a value is out of range or the contract has a bug; check the arguments, and report it with them if they are valid",

  // Membership (IMembershipErrors)
  AccountNotMember: (p) =>
    `account ${p.account} is not an operator of any organisation: send from an operator account, or have governance ` +
    "(or an operator of your organisation) add this account with addOperator",
  OrganizationNotActive: async (p, l) => {
    const membership = await l.membership(p.orgId);
    const org = await l.org(p.orgId);
    return membership?.status === 0
      ? `${org} does not exist: check the organisation id`
      : `${org} is suspended, so its keys can change nothing: governance must reinstate it ` +
          "(reinstateOrganization) before it can act again";
  },
  OrganizationLacksRole: async (p, l) => {
    const membership = await l.membership(p.orgId);
    const holds = membership ? ` (it holds: ${roleNames(membership.roles)})` : "";
    return (
      `${await l.org(p.orgId)} does not hold the ${roleNames(p.role)} role this action needs${holds}: send from an ` +
      "operator of an organisation with that role, or ask governance to grant the role (setOrganizationRoles)"
    );
  },
  NotGovernance: async (p, l) => {
    const governance = await l.governance();
    return (
      `${p.account} is not the consortium governance` +
      `${governance ? ` (governance is ${governance})` : ""}: only governance may do this; send from its account`
    );
  },

  // Records (IRecordErrors)
  UnknownRecord: (p) =>
    `no record has fingerprint ${p.fingerprint}: check the fingerprint (its scheme and, for salted commitments, the ` +
    "salt), or register the dataset first",
  RecordIsWithdrawn: (p) =>
    `record ${p.fingerprint} was withdrawn by its owner, so it can no longer be used, granted, offered, derived ` +
    "from or withdrawn; it stays readable. Register a new record if the data is still needed",
  RecordIsFrozen: (p) =>
    `record ${p.fingerprint} is frozen by an inspector: no grants, transfers, acceptances, approvals, derivations ` +
    "or withdrawal until an inspector unfreezes it",
  NotRecordOwner: async (p, l) =>
    `record ${p.fingerprint} is owned by ${await l.org(p.ownerOrg)}, not by ${await l.org(p.org)}: only an ` +
    "operator of the owning organisation may do this",
  UnknownDataClass: (p) =>
    `data class ${p.dataClass} is not defined: use 0 (public), 1 (internal), 2 (important) or 3 (core)`,

  // Ledger (IProvenanceLedger)
  ZeroFingerprint: () => "the fingerprint is zero: pass the fingerprint computed over the dataset",
  UnknownFingerprintScheme: (p) =>
    `fingerprint scheme ${p.scheme} is not defined: use 0 (SHA-256 of the content), 1 (salted commitment) or 2 ` +
    "(directory manifest root)",
  UnknownRelation: (p) => `parent relation ${p.relation} is not defined: use 0 (derived-from) or 1 (revision-of)`,
  MetadataURITooLong: (p) =>
    `the metadata URI is ${p.length} bytes, more than the ${p.maxLength} allowed: use a shorter URI (the document ` +
    "itself is bound by metadataHash)",
  TooManyParents: (p) =>
    `${p.count} parents are declared, more than the ${p.maxCount} a record may have: declare at most ` +
    `${p.maxCount}, e.g. by registering an intermediate record that combines some of them`,
  AlreadyRegistered: async (p, l) =>
    `fingerprint ${p.fingerprint} is already registered by ${await l.org(p.ownerOrg)} on ` +
    `${formatBlockTime(p.registeredAt)} (block time); a fingerprint is registered once and never overwritten: ` +
    "if this is a new version of that dataset, register the new version's fingerprint as a revision-of it",
  UnknownParent: (p) =>
    `parent ${p.parent} is not registered: register the parent first (parents must exist before their children, ` +
    "which keeps lineage acyclic)",
  DuplicateParent: (p) => `parent ${p.parent} is listed more than once: list each parent once`,
  MultipleRevisionParents: (p) =>
    `both ${p.first} and ${p.second} are declared revision-of, but a record revises at most one earlier version: ` +
    "declare the others derived-from",
  RevisionOfForeignRecord: async (p, l) =>
    `${p.parent} belongs to ${await l.org(p.ownerOrg)}, so ${await l.org(p.org)} cannot register a revision of it: ` +
    "declare it derived-from instead (which needs a derive grant from its owner)",
  AlreadySuperseded: async (p, l) => {
    const latest = await l.latestVersion(p.parent);
    const latestText = latest && latest.toLowerCase() !== p.successor.toLowerCase() ? ` (latest: ${latest})` : "";
    return (
      `${p.parent} was already superseded by ${p.successor}${latestText}: revise the latest version instead ` +
      "(latestVersion tells which it is)"
    );
  },
  DerivationNotAuthorized: async (p, l) =>
    `deriving from ${p.parent}, owned by ${await l.org(p.ownerOrg)}, needs its authorisation for ` +
    `${await l.org(p.org)}, and the ledger has no rights module to hold it: governance must attach the rights ` +
    "module (setRightsModule), then the owner can issue a derive grant",
  EmptyBatch: (p) =>
    `the batch is empty (root ${p.root}, ${p.leafCount} leaves): anchor the non-zero root of a tree with at least ` +
    "one fingerprint, and its leaf count",
  BatchAlreadyAnchored: async (p, l) =>
    `batch root ${p.root} was already anchored by ${await l.org(p.org)} on ${formatBlockTime(p.anchoredAt)} ` +
    "(block time): a root is anchored once; its fingerprints are already provable against it",
  UnknownBatch: (p) => `no batch is anchored under root ${p.root}: check the root, or anchor the batch first`,
  SignatureForOtherChain: (p) =>
    `the signature was made for chain ${p.signedChainId}, but this is chain ${p.chainId}: have the signer sign ` +
    `again for chain ${p.chainId}`,
  SignatureExpired: (p) =>
    `the signature expired at ${formatBlockTime(p.deadline)} (its deadline) and the block time is ` +
    `${formatBlockTime(p.time)}: have the signer sign again with a later deadline`,
  InvalidSignature: (p) =>
    `the signature is not ${p.signer}'s signature over this submission: it was made by another key, over other ` +
    "fields or for another ledger, or it was altered; have the signer sign exactly these fields again",
  NotRightsModule: (p) => `${p.caller} is not the ledger's rights module: only the attached DataRights contract may`,
  RightsModuleAlreadySet: (p) =>
    `the ledger's rights module is already attached (${p.current}) and can be set only once: nothing to do`,
  InvalidAccountNonce: (p) =>
    `this signature of ${p.account} was made for another nonce than its next one, ${p.currentNonce}: it was ` +
    `already relayed (a replay), or signed out of order; to submit again, have the signer sign with nonce ${p.currentNonce}`,
  InvalidShortString: () =>
    "a string is too long for the ledger's EIP-712 domain (deployment only): deploy with the standard name and version",
  StringTooLong: (p) => `"${p.str}" is too long for a short string (deployment only): use at most 31 bytes`,

  // Registry (IOrganizationRegistry)
  UnknownOrganization: (p) =>
    `no organisation has id ${p.orgId}: check the id (organizationOf(account) tells an account's organisation)`,
  AccountAlreadyMember: async (p, l) =>
    `account ${p.account} already operates for ${await l.org(p.orgId)}, and an account serves one organisation: ` +
    "remove it there first (removeOperator), or use another account",
  NotOperatorOf: async (p, l) => {
    const actual = await l.orgOfAccount(p.account);
    const actualText = actual ? ` (it operates for ${await l.org(actual)})` : actual === 0 ? " (it is in none)" : "";
    return `account ${p.account} is not an operator of ${await l.org(p.orgId)}${actualText}: check the account and the organisation`;
  },
  InvalidRoles: (p) =>
    `role set ${p.roles} has bits outside the defined roles: combine 1 (registrar), 2 (trader), 4 (inspector) ` +
    "and 8 (customs), at most 15",
  EmptyJurisdiction: () => "the jurisdiction code is empty: give a code such as CN-GD, HK or MO",
  InvalidName: (p) =>
    `the organisation name is ${p.length} bytes: it must be 1 to ${p.maxLength} bytes; use a short name (details ` +
    "belong in the profile document)",
  TooManyOperators: (p) =>
    `${p.count} operator accounts in one call, more than ${p.maxCount}: pass at most ${p.maxCount} and add the ` +
    "others with addOperator",
  ZeroAddressOperator: () => "the zero address cannot be an operator: pass the operator's account address",
  UnauthorizedOperatorManager: async (p, l) =>
    `${p.caller} may not manage the operators of ${await l.org(p.orgId)}: only governance or an operator of that ` +
    "organisation (while it is active) may",
  StatusUnchanged: async (p, l) =>
    `${await l.org(p.orgId)} is already ${enumName("Status", p.status).toLowerCase()}: nothing to change`,
  SafeCastOverflowedUintDowncast: (p) =>
    `the value ${p.value} does not fit in ${p.bits} bits: pass a smaller value (e.g. a shorter governance delay)`,
  AccessControlBadConfirmation: () =>
    "renouncing a role must be confirmed by the account itself: call renounceRole from the account that holds it",
  AccessControlEnforcedDefaultAdminDelay: (p) =>
    p.schedule === 0
      ? "no governance hand-over is scheduled: begin it first (beginDefaultAdminTransfer)"
      : `the governance hand-over may complete only after ${formatBlockTime(p.schedule)} (block time): wait until then`,
  AccessControlEnforcedDefaultAdminRules: () =>
    "governance cannot be granted, revoked or shared directly: hand it over in two steps " +
    "(beginDefaultAdminTransfer, then acceptDefaultAdminTransfer by the new account after the delay)",
  AccessControlInvalidDefaultAdmin: (p) =>
    `${p.defaultAdmin} is not the pending governance: only the account named in beginDefaultAdminTransfer may ` +
    "accept the hand-over",
  AccessControlUnauthorizedAccount: (p) =>
    `${p.account} lacks the role ${/^0x0{64}$/.test(p.neededRole) ? "DEFAULT_ADMIN_ROLE (governance)" : p.neededRole} ` +
    "this needs: send from an account that holds it",

  // Data rights (IDataRights)
  InvalidScopes: (p) =>
    `scope set ${p.scopes} is empty or has bits outside the defined scopes: combine 1 (use), 2 (derive) and 4 ` +
    "(redistribute), at most 7",
  UnknownCrossBorderRule: (p) =>
    `cross-border rule ${p.rule} is not defined: use 0 (free), 1 (approval) or 2 (forbidden)`,
  ExpiryNotInFuture: (p) =>
    `the expiry ${formatBlockTime(p.expiresAt)} is not after the current block time ${formatBlockTime(p.time)}: ` +
    "choose a later expiry (or 0 for a grant without expiry)",
  SelfDealing: async (p, l) =>
    `${await l.org(p.org)} owns ${p.fingerprint} and cannot grant it to, or trade it with, itself: name another ` +
    "organisation",
  CounterpartyNotActive: async (p, l) =>
    `the counterparty ${await l.org(p.org)} is suspended or does not exist: it can receive nothing until governance ` +
    "reinstates it; check the organisation id",
  GrantOutstanding: async (p, l) =>
    `${await l.org(p.org)} already holds grant #${p.grantId} on ${p.fingerprint} ` +
    `(${enumName("GrantStatus", p.status)}): one grant per record and organisation; revoke it first (revokeGrant) ` +
    "to issue a different one",
  GrantNotRevocable: async (p, l) =>
    `the grant of ${p.fingerprint} to ${await l.org(p.org)} is ${enumName("GrantStatus", p.status)}: only pending ` +
    "or active grants can be revoked; nothing to do",
  GrantMismatch: async (p, l) =>
    `grant #${p.grantId} is not the current grant of ${p.fingerprint} to ${await l.org(p.org)} (the current one is ` +
    `#${p.currentGrantId}): review the current grant instead`,
  GrantNotPendingCustoms: (p) =>
    `grant #${p.grantId} is ${enumName("GrantStatus", p.status)}, not waiting for customs: nothing to decide`,
  CrossBorderForbidden: (p) =>
    `${p.fingerprint} is ${className(p.dataClass)} data, which may not leave ${decodeJurisdiction(p.fromJurisdiction)} ` +
    `for ${decodeJurisdiction(p.toJurisdiction)}: grant or sell it only within ${decodeJurisdiction(p.fromJurisdiction)}`,
  NotCustomsOfJurisdiction: async (p, l) =>
    `customs ${await l.org(p.org)} is of ${decodeJurisdiction(p.jurisdiction)} and cannot decide for ` +
    `${decodeJurisdiction(p.required)}: only a customs organisation of the exporting jurisdiction ` +
    `${decodeJurisdiction(p.required)} may decide`,
  RecordUnderOffer: (p) =>
    `${p.fingerprint} is locked by offer #${p.offerId} (open or waiting for customs): no new offer or grant until ` +
    "that offer is accepted and decided, cancelled, or expires",
  UnknownOffer: (p) => `no offer has id ${p.offerId}: check the offer id (it is in the TransferOffered event)`,
  NotOfferParty: async (p, l) => {
    const offer = await l.offer(p.offerId);
    const parties = offer ? ` (from ${await l.org(offer.fromOrg)} to ${await l.org(offer.toOrg)})` : "";
    return (
      `${await l.org(p.org)} is not the party of offer #${p.offerId}${parties} that may do this: the owner ` +
      "cancels, the recipient accepts and confirms delivery, either may abandon a transfer customs left undecided"
    );
  },
  OfferNotOpen: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}, not open: only an open offer can be accepted or ` +
    "cancelled (a transfer waiting for customs only after the review period)",
  CustomsReviewPending: (p) =>
    `offer #${p.offerId} waits for data customs, whose review period runs until ${formatBlockTime(p.reviewEndsAt)} ` +
    "(block time): wait for the decision, or abandon the transfer after that time",
  OfferExpired: (p) =>
    `offer #${p.offerId} expired at ${formatBlockTime(p.expiresAt)} (block time): ask the owner for a new offer`,
  OfferNotAwaitingCustoms: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}, not waiting for customs: nothing to decide`,
  DeliveryNotExpected: (p) =>
    `offer #${p.offerId} is ${enumName("OfferStatus", p.status)}: only a completed transfer awaits a delivery ` +
    "report; wait until ownership has moved",
  RecordNotFrozen: (p) => `record ${p.fingerprint} is not frozen: nothing to unfreeze`,
  DerivationRefused: async (p, l) => {
    const reason = enumName("Authorization", p.reason);
    const ownerId = await l.recordOwner(p.parent);
    const owner = ownerId !== undefined ? await l.org(ownerId) : "its owner";
    const grant = p.grantId === 0n ? "the grant" : `grant #${p.grantId}`;
    const explain = AUTHORIZATION_REASONS[reason]?.(owner, grant) ?? "see IDataRights.Authorization";
    return (
      `${await l.org(p.org)} may not derive from ${p.parent}` +
      `${ownerId !== undefined ? ` (owned by ${owner})` : ""}: ${reason}: ${explain}`
    );
  },
};
