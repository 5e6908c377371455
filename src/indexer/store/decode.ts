/**
 * Stored events back to decoded ones, from their raw topics and data, over the SDK's `provledgerAbi`.
 *
 * viem's `decodeEventLog` is the reference, and the fallback: given the whole ABI it hashes every event signature on
 * every call, so here each log gets the one ABI item its selector names (hashed once). Even so it costs some 25-40 us
 * an event (bytes conversions, a cursor per parameter), more than all the rest of a commit; so the event shapes the
 * contracts use (static words, strings, arrays of static elements) are decoded here straight from the hex, and any
 * other shape, or anything irregular in a log (a bad offset, a short payload, a bool that is not 0 or 1), goes to
 * viem, which decodes it or throws its error. The store's tests check both give the same events.
 */
import { decodeEventLog, getAddress, type AbiEvent, type AbiParameter, type Hex } from "viem";
import type { ProvledgerEvent } from "../../sdk";
import { IndexerEventError } from "../errors";
import { eventAbiFor } from "../events";
import type { RawLog } from "../types";

const FAIL = Symbol("fail");
type Decoded = unknown;
const textDecoder = new TextDecoder();

/** Words a static parameter takes, or undefined if it is dynamic or of a type decoded only by viem. */
function staticWords(param: AbiParameter): number | undefined {
  if (/^u?int\d*$/.test(param.type)) return param.type.startsWith("int") ? undefined : 1;
  if (param.type === "bool" || param.type === "address" || /^bytes\d+$/.test(param.type)) return 1;
  if (param.type === "tuple") {
    let words = 0;
    for (const component of (param as { components: readonly AbiParameter[] }).components) {
      const inner = staticWords(component);
      if (inner === undefined || !component.name) return undefined;
      words += inner;
    }
    return words;
  }
  return undefined;
}

function decodeStatic(param: AbiParameter, hex: string, at: number): Decoded | typeof FAIL {
  const word = hex.slice(at * 64, at * 64 + 64);
  if (word.length !== 64) return FAIL;
  const type = param.type;
  if (type.startsWith("uint")) {
    const bits = type === "uint" ? 256 : Number(type.slice(4));
    const value = BigInt(`0x${word}`);
    return bits > 48 ? value : Number(value);
  }
  if (type === "bool") {
    if (/^0{64}$/.test(word)) return false;
    if (/^0{63}1$/.test(word)) return true;
    return FAIL;
  }
  if (type === "address") return getAddress(`0x${word.slice(24)}`);
  if (type.startsWith("bytes")) return `0x${word.slice(0, Number(type.slice(5)) * 2)}`;
  if (type === "tuple") {
    const out: Record<string, Decoded> = {};
    let offset = at;
    for (const component of (param as { components: readonly AbiParameter[] }).components) {
      const value = decodeStatic(component, hex, offset);
      if (value === FAIL) return FAIL;
      out[component.name!] = value;
      offset += staticWords(component)!;
    }
    return out;
  }
  return FAIL;
}

function wordNumber(hex: string, at: number): number | undefined {
  const word = hex.slice(at * 64, at * 64 + 64);
  if (word.length !== 64 || !/^0{48}/.test(word)) return undefined;
  return Number.parseInt(word.slice(48), 16);
}

function decodeDynamic(param: AbiParameter, hex: string, head: number): Decoded | typeof FAIL {
  const offset = wordNumber(hex, head);
  if (offset === undefined || offset % 32 !== 0) return FAIL;
  const start = offset / 32;
  const length = wordNumber(hex, start);
  if (length === undefined) return FAIL;
  if (param.type === "string") {
    const body = hex.slice((start + 1) * 64, (start + 1) * 64 + length * 2);
    if (body.length !== length * 2) return FAIL;
    return textDecoder.decode(Buffer.from(body, "hex"));
  }
  const element = arrayElement(param);
  if (!element) return FAIL;
  const words = staticWords(element)!;
  const out: Decoded[] = [];
  for (let i = 0; i < length; i++) {
    const value = decodeStatic(element, hex, start + 1 + i * words);
    if (value === FAIL) return FAIL;
    out.push(value);
  }
  return out;
}

/** The element of `T[]` when T is static and decoded here. */
function arrayElement(param: AbiParameter): AbiParameter | undefined {
  const match = /^(.*)\[\]$/.exec(param.type);
  if (!match) return undefined;
  const element = { ...param, type: match[1]! } as AbiParameter;
  return staticWords(element) === undefined ? undefined : element;
}

const decodable = (param: AbiParameter) =>
  staticWords(param) !== undefined || param.type === "string" || arrayElement(param) !== undefined;

/** The event decoded straight from the hex, or undefined for viem to decode (or refuse). */
function decodeFast(item: AbiEvent, log: RawLog): ProvledgerEvent | undefined {
  const indexed = item.inputs.filter((input) => input.indexed);
  const others = item.inputs.filter((input) => !input.indexed);
  if (log.topics.length !== indexed.length + 1) return undefined;
  if (!item.inputs.every((input) => input.name && (input.indexed ? staticWords(input) === 1 : decodable(input)))) {
    return undefined;
  }
  const args: Record<string, Decoded> = {};
  for (let i = 0; i < indexed.length; i++) {
    const value = decodeStatic(indexed[i]!, log.topics[i + 1]!.slice(2), 0);
    if (value === FAIL) return undefined;
    args[indexed[i]!.name!] = value;
  }
  const hex = log.data.slice(2);
  if (others.length > 0 && hex.length === 0) return undefined;
  if (!/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  let head = 0;
  for (const param of others) {
    const words = staticWords(param);
    const value = words === undefined ? decodeDynamic(param, hex, head) : decodeStatic(param, hex, head);
    if (value === FAIL) return undefined;
    args[param.name!] = value;
    head += words ?? 1;
  }
  return { eventName: item.name, args: item.inputs.length > 0 ? args : undefined } as unknown as ProvledgerEvent;
}

/** The fast path alone: undefined where viem would decode (for the tests). */
export function decodeStoredLogFast(log: RawLog): ProvledgerEvent | undefined {
  const abi = log.topics[0] === undefined ? undefined : eventAbiFor(log.topics[0]);
  return abi ? decodeFast(abi[0], log) : undefined;
}

/** viem's decoding of a log (the reference the fast path is checked against). */
export function decodeStoredLogWithViem(log: RawLog): ProvledgerEvent {
  return decodeStoredLog(log, { viemOnly: true });
}

export function decodeStoredLog(log: RawLog, options: { viemOnly?: boolean } = {}): ProvledgerEvent {
  const selector = log.topics[0];
  if (selector === undefined) {
    throw new IndexerEventError(log, "it has no topics (an anonymous event): the contracts emit none");
  }
  const abi = eventAbiFor(selector);
  if (!abi) {
    throw new IndexerEventError(
      log,
      `no event of the contracts' ABIs has selector ${selector}; the contracts are newer than this indexer`,
    );
  }
  if (!options.viemOnly) {
    const fast = decodeFast(abi[0], log);
    if (fast) return fast;
  }
  try {
    return decodeEventLog({
      abi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    }) as unknown as ProvledgerEvent;
  } catch (error) {
    throw new IndexerEventError(
      log,
      `it does not decode with the contracts' ABIs (${(error as Error).message.split("\n")[0]}); the contracts ` +
        `are newer than this indexer`,
    );
  }
}
