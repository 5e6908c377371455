/**
 * The consortium network from the environment, for hardhat.config.ts and scripts/deploy.ts:
 *
 *   PROVLEDGER_RPC_URL                 a node's JSON-RPC URL (e.g. http://10.0.0.11:8545)
 *   PROVLEDGER_CHAIN_ID                the chain id the genesis set (the node must agree)
 *   PROVLEDGER_DEPLOYER_KEYSTORE       an encrypted JSON keystore (Web3 Secret Storage, as geth/Besu/ethers write)
 *   PROVLEDGER_DEPLOYER_PASSWORD       its password, or
 *   PROVLEDGER_DEPLOYER_PASSWORD_FILE  a file holding it (first line; preferred: not in the process environment)
 *
 * The keystore is decrypted with ethers (Wallet.fromEncryptedJsonSync) only when the network is used: scrypt takes
 * about a second, and every other Hardhat command must load without these variables.
 */
import { readFileSync } from "node:fs";
import type { Hex } from "viem";
import { DeployError } from "./errors";

export type ConsortiumEnvironment = {
  rpcUrl: string;
  chainId: number;
  /** The deployer's private key, decrypted from the keystore. */
  deployerKey: Hex;
};

type Env = Record<string, string | undefined>;

function required(env: Env, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new DeployError("InvalidParameter", `${name} is not set`, { details: hint });
  return value;
}

/** The keystore's private key; a bad path, file or password is a one-line DeployError. */
export function readKeystore(path: string, password: string): Hex {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch (error) {
    throw new DeployError(
      "InvalidParameter",
      `cannot read the keystore ${path} (${(error as NodeJS.ErrnoException).code})`,
      {
        details: "PROVLEDGER_DEPLOYER_KEYSTORE must name an encrypted JSON keystore file",
      },
    );
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Wallet } = require("ethers") as typeof import("ethers");
    return Wallet.fromEncryptedJsonSync(json, password).privateKey as Hex;
  } catch (error) {
    throw new DeployError("InvalidParameter", `cannot decrypt the keystore ${path}: ${(error as Error).message}`, {
      details: "check PROVLEDGER_DEPLOYER_PASSWORD (or the file PROVLEDGER_DEPLOYER_PASSWORD_FILE names)",
    });
  }
}

/** Reads and checks the consortium's settings; throws a DeployError naming the first bad or missing variable. */
export function consortiumFromEnvironment(env: Env = process.env): ConsortiumEnvironment {
  const rpcUrl = required(
    env,
    "PROVLEDGER_RPC_URL",
    "set it to a consortium node's JSON-RPC URL, e.g. http://10.0.0.11:8545",
  );
  if (!/^https?:\/\//.test(rpcUrl)) {
    throw new DeployError("InvalidParameter", `PROVLEDGER_RPC_URL must be an http(s) URL, got "${rpcUrl}"`);
  }
  const chainText = required(env, "PROVLEDGER_CHAIN_ID", "set it to the chain id in the genesis (config.chainId)");
  if (!/^\d+$/.test(chainText) || Number(chainText) < 1 || !Number.isSafeInteger(Number(chainText))) {
    throw new DeployError("InvalidParameter", `PROVLEDGER_CHAIN_ID must be a whole number >= 1, got "${chainText}"`);
  }
  const keystore = required(
    env,
    "PROVLEDGER_DEPLOYER_KEYSTORE",
    "set it to the deployer's encrypted JSON keystore file",
  );
  let password = env.PROVLEDGER_DEPLOYER_PASSWORD;
  if (password === undefined) {
    const file = required(
      env,
      "PROVLEDGER_DEPLOYER_PASSWORD_FILE",
      "set PROVLEDGER_DEPLOYER_PASSWORD_FILE (a file holding the keystore's password) or PROVLEDGER_DEPLOYER_PASSWORD",
    );
    try {
      password = readFileSync(file, "utf8").split(/\r?\n/)[0] ?? "";
    } catch (error) {
      throw new DeployError(
        "InvalidParameter",
        `cannot read the password file ${file} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }
  return { rpcUrl, chainId: Number(chainText), deployerKey: readKeystore(keystore, password) };
}

/** The network Hardhat was asked for (`--network X` or HARDHAT_NETWORK), read before Hardhat parses its arguments. */
export function selectedHardhatNetwork(
  argv: readonly string[] = process.argv,
  env: Env = process.env,
): string | undefined {
  const index = argv.indexOf("--network");
  if (index >= 0) return argv[index + 1];
  const inline = argv.find((arg) => arg.startsWith("--network="));
  return inline ? inline.slice("--network=".length) : env.HARDHAT_NETWORK;
}
