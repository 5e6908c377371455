/**
 * The kit's command line (scripts/besu-kit.ts):
 *
 *   besu-kit --validators 4 --out <dir> [--chain-id 2018] [--block-period 2] [--epoch-length 30000]
 *            [--request-timeout <2 x block period>] [--gas-limit 0x1fffffffffffff] [--contract-size-limit 2147483647]
 *            [--operators 0xA,0xB] [--hosts 10.0.0.11,10.0.0.12,...] [--p2p-port 30303] [--rpc-port 8545] [--ws-port 8645]
 *
 * Bad input: one line on stderr, exit status 2, nothing written.
 */
import { parseArgs } from "node:util";
import { DeployError } from "../errors";
import { createBesuKit, writeBesuKit, type BesuKitOptions } from "./kit";

export const USAGE =
  "usage: besu-kit --validators <n >= 4> --out <dir> [--chain-id <id>] [--block-period <s>] [--epoch-length <blocks>] " +
  "[--request-timeout <s>] [--gas-limit <gas>] [--contract-size-limit <bytes>] [--operators <addr,...>] " +
  "[--hosts <ip,...>] [--p2p-port <port>] [--rpc-port <port>] [--ws-port <port>]";

const bad = (message: string) => new DeployError("InvalidParameter", message, { details: USAGE });

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw bad(`--${name} must be a whole number, got "${value}"`);
  return Number(value.trim());
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
}

export function parseKitArgs(argv: readonly string[]): { out: string; options: BesuKitOptions } {
  const text = { type: "string" } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        validators: text,
        out: text,
        "chain-id": text,
        "block-period": text,
        "epoch-length": text,
        "request-timeout": text,
        "gas-limit": text,
        "contract-size-limit": text,
        operators: text,
        hosts: text,
        "p2p-port": text,
        "rpc-port": text,
        "ws-port": text,
      },
    }));
  } catch (error) {
    throw bad((error as Error).message.split("\n")[0]!);
  }
  const get = (name: string) => values[name] as string | undefined;
  if (get("validators") === undefined) throw bad("--validators is required (4 or more)");
  const out = get("out");
  if (!out) throw bad("--out is required: the folder to create");
  const gas = get("gas-limit");
  if (gas !== undefined && !/^(0x[0-9a-fA-F]+|\d+)$/.test(gas.trim())) {
    throw bad(`--gas-limit must be a whole number (decimal or 0x-hex), got "${gas}"`);
  }
  const options: BesuKitOptions = {
    validators: integer("validators", get("validators"))!,
    chainId: integer("chain-id", get("chain-id")),
    blockPeriod: integer("block-period", get("block-period")),
    epochLength: integer("epoch-length", get("epoch-length")),
    requestTimeout: integer("request-timeout", get("request-timeout")),
    gasLimit: gas === undefined ? undefined : BigInt(gas.trim()),
    contractSizeLimit: integer("contract-size-limit", get("contract-size-limit")),
    operators: list(get("operators")) as BesuKitOptions["operators"],
    hosts: list(get("hosts")),
    p2pPort: integer("p2p-port", get("p2p-port")),
    rpcPort: integer("rpc-port", get("rpc-port")),
    wsPort: integer("ws-port", get("ws-port")),
  };
  for (const key of Object.keys(options) as (keyof BesuKitOptions)[])
    if (options[key] === undefined) delete options[key];
  return { out, options };
}

/** Runs the kit; returns the exit status (0, or 2 on bad input with the reason on stderr). */
export function runBesuKit(
  argv: readonly string[],
  io: { log(line: string): void; error(line: string): void } = { log: console.log, error: console.error },
): number {
  try {
    const { out, options } = parseKitArgs(argv);
    const kit = createBesuKit(options);
    writeBesuKit(out, kit);
    io.log(
      `wrote a ${kit.nodes.length}-validator QBFT network (chain ${kit.genesis.config && (kit.genesis.config as { chainId: number }).chainId}) to ${out}`,
    );
    for (const node of kit.nodes) io.log(`  ${node.name}  ${node.address}  ${node.rpcUrl}  ${node.enode}`);
    if (kit.operators.length === 0) {
      io.log(
        "  no --operators: the accounts allowlist is off (any account may send); give the consortium's operators to turn it on",
      );
    } else io.log(`  accounts allowlist: ${kit.operators.join(", ")}`);
    io.log(`start each node: cd ${out}/node-<i> && besu --config-file=config.toml`);
    return 0;
  } catch (error) {
    if (error instanceof DeployError && error.code === "InvalidParameter") {
      io.error(`besu-kit: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}`);
      return 2;
    }
    io.error(`besu-kit: ${(error as Error).message}`);
    return 1;
  }
}
