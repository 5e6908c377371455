/**
 * A Besu QBFT network kit: for N >= 4 validators, the genesis (QBFT timing, londonBlock 0, zeroBaseFee, the
 * validators in extraData, gas and contract size limits), a key per node, each node's config.toml (min-gas-price 0,
 * the JSON-RPC APIs the deployment, indexer and API use, WebSocket for Caliper, local permissioning) and the local
 * permissioning file (accounts allowlist of the consortium's operators, nodes allowlist of the validators' enodes).
 * Besu removed on-chain permissioning in 25.6.0, so the allowlists are these files.
 *
 * Layout: `<out>/genesis.json`, `<out>/network.json` (what the kit made: validators, enodes, URLs),
 * `<out>/permissions_config.toml`, and `<out>/node-<i>/` self-contained for its machine (genesis.json, key, key.pub,
 * config.toml, permissions_config.toml): `cd node-<i> && besu --config-file=config.toml`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, mkdtempSync, chmodSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { stringify } from "smol-toml";
import { getAddress, isAddress, toHex, type Address, type Hex } from "viem";
import { DeployError } from "../errors";
import { qbftExtraData, sortValidators } from "./extraData";
import { enodeUrl, nodeKey, type NodeKey } from "./keys";

export type BesuKitOptions = {
  validators: number;
  chainId?: number;
  /** Seconds between blocks. Default 2. */
  blockPeriod?: number;
  /** Blocks after which votes reset. Default 30,000. Never change it on a running chain. */
  epochLength?: number;
  /** Seconds before a round change. Default 2 x blockPeriod (Besu's advice). */
  requestTimeout?: number;
  /** Block gas limit. Default 0x1fffffffffffff (Besu's free-gas advice). */
  gasLimit?: bigint;
  /** Bytes. Default 2147483647 (Besu's free-gas advice). */
  contractSizeLimit?: number;
  /** The accounts allowed to send transactions (the deployer, each organisation's operators). */
  operators?: readonly Address[];
  /** One IPv4 address per node (or one for all). Default 127.0.0.1: all nodes on one machine. */
  hosts?: readonly string[];
  /** Base ports; nodes sharing a host get consecutive ports. Defaults 30303, 8545, 8645. */
  p2pPort?: number;
  rpcPort?: number;
  wsPort?: number;
  /** Node keys to use instead of fresh ones (tests). */
  keys?: readonly NodeKey[];
};

export type BesuNode = {
  name: string;
  address: Address;
  publicKey: Hex;
  enode: string;
  host: string;
  p2pPort: number;
  rpcUrl: string;
  wsUrl: string;
};

export type BesuKit = {
  genesis: Record<string, unknown>;
  nodes: BesuNode[];
  operators: Address[];
  /** Relative path -> content. Keys are written with mode 0600. */
  files: Map<string, string>;
};

export const DEFAULTS = {
  chainId: 2018,
  blockPeriod: 2,
  epochLength: 30_000,
  gasLimit: 0x1fffffffffffffn,
  contractSizeLimit: 2_147_483_647,
  p2pPort: 30303,
  rpcPort: 8545,
  wsPort: 8645,
} as const;

/** The JSON-RPC APIs on the network-facing port: deployment, SDK, indexer (ETH, NET, WEB3), validators (QBFT), the pool (TXPOOL). ADMIN and PERM stay off: they would let anyone who reaches the port change peers and allowlists. */
export const RPC_APIS = ["ETH", "NET", "WEB3", "QBFT", "TXPOOL"] as const;
const WS_APIS = ["ETH", "NET", "WEB3", "QBFT"] as const;
/** Besu's QBFT mixHash ("Istanbul block identification"). */
const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

const bad = (message: string, details?: string) =>
  new DeployError("InvalidParameter", message, details ? { details } : {});

function wholeNumber(name: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw bad(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Checks the options; throws a one-line DeployError naming the bad one and how to fix it. */
export function checkKitOptions(options: BesuKitOptions): void {
  if (!Number.isInteger(options.validators) || options.validators < 4) {
    throw bad(
      `--validators must be a whole number >= 4, got ${options.validators}`,
      "QBFT needs at least 4 validators to tolerate one faulty node (with 3 or fewer, finality is not guaranteed)",
    );
  }
  wholeNumber("--validators", options.validators, 4, 64);
  wholeNumber("--chain-id", options.chainId, 1, 2 ** 53 - 1);
  wholeNumber("--block-period", options.blockPeriod, 1, 3600);
  wholeNumber("--epoch-length", options.epochLength, 1);
  wholeNumber("--request-timeout", options.requestTimeout, 1, 3600);
  wholeNumber("--contract-size-limit", options.contractSizeLimit, 24_576, 2_147_483_647);
  for (const port of ["p2pPort", "rpcPort", "wsPort"] as const) wholeNumber(port, options[port], 1, 65_535 - 64);
  const blockPeriod = options.blockPeriod ?? DEFAULTS.blockPeriod;
  if (options.requestTimeout !== undefined && options.requestTimeout < blockPeriod) {
    throw bad(
      `--request-timeout (${options.requestTimeout} s) must not be shorter than --block-period (${blockPeriod} s)`,
      "Besu advises a request timeout of twice the block period",
    );
  }
  if (options.gasLimit !== undefined && (options.gasLimit < 21_000n || options.gasLimit > 0x7fffffffffffffffn)) {
    throw bad(`--gas-limit must be from 21000 to 0x7fffffffffffffff, got ${options.gasLimit}`);
  }
  for (const operator of options.operators ?? []) {
    if (!isAddress(operator, { strict: false })) {
      throw bad(`--operators: "${operator}" is not an address`, "give 0x-prefixed 20-byte addresses, comma-separated");
    }
  }
  const hosts = options.hosts ?? [];
  if (hosts.length > 1 && hosts.length !== options.validators) {
    throw bad(
      `--hosts names ${hosts.length} hosts for ${options.validators} validators`,
      "give one IPv4 address per node, or one for all",
    );
  }
  for (const host of hosts) {
    if (!IPV4.test(host)) {
      throw bad(
        `--hosts: "${host}" is not an IPv4 address`,
        "enodes in the nodes allowlist need an IP address, not a name",
      );
    }
  }
  if (options.keys !== undefined && options.keys.length !== options.validators) {
    throw bad(`${options.keys.length} keys given for ${options.validators} validators`);
  }
}

/** The whole kit in memory (nothing written). */
export function createBesuKit(options: BesuKitOptions): BesuKit {
  checkKitOptions(options);
  const chainId = options.chainId ?? DEFAULTS.chainId;
  const blockPeriod = options.blockPeriod ?? DEFAULTS.blockPeriod;
  const keys = options.keys ?? Array.from({ length: options.validators }, () => nodeKey());
  const hosts = options.hosts ?? [];
  const perHost = new Map<string, number>();
  const nodes: BesuNode[] = keys.map((key, index) => {
    const host = hosts.length > 1 ? hosts[index]! : (hosts[0] ?? "127.0.0.1");
    const offset = perHost.get(host) ?? 0;
    perHost.set(host, offset + 1);
    const p2pPort = (options.p2pPort ?? DEFAULTS.p2pPort) + offset;
    return {
      name: `node-${index + 1}`,
      address: key.address,
      publicKey: key.publicKey,
      enode: enodeUrl(key, host, p2pPort),
      host,
      p2pPort,
      rpcUrl: `http://${host}:${(options.rpcPort ?? DEFAULTS.rpcPort) + offset}`,
      wsUrl: `ws://${host}:${(options.wsPort ?? DEFAULTS.wsPort) + offset}`,
    };
  });
  const operators = (options.operators ?? []).map((address) => getAddress(address));

  const genesis = {
    config: {
      chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      // London rules with a zero base fee: Provledger's bytecode is compiled for paris (no PUSH0), which runs unchanged.
      londonBlock: 0,
      zeroBaseFee: true,
      contractSizeLimit: options.contractSizeLimit ?? DEFAULTS.contractSizeLimit,
      qbft: {
        blockperiodseconds: blockPeriod,
        epochlength: options.epochLength ?? DEFAULTS.epochLength,
        requesttimeoutseconds: options.requestTimeout ?? 2 * blockPeriod,
      },
    },
    nonce: "0x0",
    timestamp: toHex(Math.floor(Date.now() / 1000)),
    gasLimit: toHex(options.gasLimit ?? DEFAULTS.gasLimit),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    // Zero gas price: no account needs a balance.
    alloc: {},
    extraData: qbftExtraData(sortValidators(nodes.map((node) => node.address))),
    number: "0x0",
    gasUsed: "0x0",
    parentHash: `0x${"00".repeat(32)}`,
  };

  const permissions = stringify({
    ...(operators.length > 0 ? { "accounts-allowlist": operators.map((a) => a.toLowerCase()) } : {}),
    "nodes-allowlist": nodes.map((node) => node.enode),
  });
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`;
  const files = new Map<string, string>([
    ["genesis.json", genesisText],
    ["permissions_config.toml", permissions],
  ]);
  nodes.forEach((node, index) => {
    const key = keys[index]!;
    const rpcPort = Number(new URL(node.rpcUrl).port);
    const wsPort = Number(new URL(node.wsUrl).port);
    const config = {
      "data-path": "data",
      "genesis-file": "genesis.json",
      "node-private-key-file": "key",
      "sync-mode": "FULL",
      "min-gas-price": 0,
      "p2p-host": node.host,
      "p2p-port": node.p2pPort,
      // Every other validator, so any one of them being down does not isolate a restarted node.
      bootnodes: nodes.filter((other) => other !== node).map((other) => other.enode),
      "rpc-http-enabled": true,
      "rpc-http-host": "0.0.0.0",
      "rpc-http-port": rpcPort,
      "rpc-http-api": [...RPC_APIS],
      "host-allowlist": ["localhost", "127.0.0.1", node.host],
      "rpc-ws-enabled": true,
      "rpc-ws-host": "0.0.0.0",
      "rpc-ws-port": wsPort,
      "rpc-ws-api": [...WS_APIS],
      "permissions-nodes-config-file-enabled": true,
      "permissions-nodes-config-file": "permissions_config.toml",
      ...(operators.length > 0
        ? {
            "permissions-accounts-config-file-enabled": true,
            "permissions-accounts-config-file": "permissions_config.toml",
          }
        : {}),
    };
    files.set(`${node.name}/config.toml`, stringify(config));
    files.set(`${node.name}/genesis.json`, genesisText);
    files.set(`${node.name}/permissions_config.toml`, permissions);
    files.set(`${node.name}/key`, key.privateKey);
    files.set(`${node.name}/key.pub`, key.publicKey);
  });
  files.set(
    "network.json",
    `${JSON.stringify({ chainId, blockPeriod, validators: nodes, operators, accountsAllowlist: operators.length > 0 }, null, 2)}\n`,
  );
  return { genesis, nodes, operators, files };
}

/**
 * Writes the kit into `out`, all or nothing: into a temporary folder beside it, renamed to `out` at the end. Refuses
 * an `out` that exists and is not empty (the kit never overwrites node keys).
 */
export function writeBesuKit(out: string, kit: BesuKit): void {
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw bad(`--out ${out} exists and is not empty`, "choose a new folder: the kit never overwrites node keys");
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
  try {
    for (const [path, content] of kit.files) {
      const file = join(staging, path);
      mkdirSync(dirname(file), { recursive: true });
      const secret = basename(path) === "key";
      writeFileSync(file, content, { mode: secret ? 0o600 : 0o644 });
      if (secret) chmodSync(file, 0o600);
    }
    if (existsSync(target)) rmSync(target, { recursive: true }); // empty, checked above
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
