/**
 * The deployment file: the three addresses, the chain and the deployment block, as one JSON document, so that every
 * tool (indexer, API, CLI) is pointed at a deployment by one path.
 *
 *   { "chainId": 31337, "deploymentBlock": 1,
 *     "addresses": { "registry": "0x...", "ledger": "0x...", "rights": "0x..." } }
 *
 * `scripts/deploy.ts`'s output (organizationRegistry, provenanceLedger, dataRights) is accepted too.
 */
import { readFileSync } from "node:fs";
import { isAddress, type Address } from "viem";
import type { ProvledgerAddresses } from "../sdk";
import { CliError } from "./errors";

export type DeploymentFile = {
  chainId?: number;
  deploymentBlock?: bigint;
  addresses: ProvledgerAddresses;
};

export function readDeploymentFile(path: string): DeploymentFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the deployment file ${path} (${(error as NodeJS.ErrnoException).code})`, {
      details: "pass the path of the JSON file the deployment wrote (--deployment or PROVLEDGER_DEPLOYMENT)",
    });
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`the deployment file ${path} is not JSON: ${(error as Error).message}`, {
      details: "it must be one JSON object with chainId, deploymentBlock and addresses {registry, ledger, rights}",
    });
  }
  const nested = (json.addresses ?? {}) as Record<string, unknown>;
  const pick = (role: keyof ProvledgerAddresses, legacy: string): Address => {
    const value = nested[role] ?? json[legacy];
    if (typeof value !== "string" || !isAddress(value, { strict: false })) {
      throw new CliError(`the deployment file ${path} has no valid ${role} address (addresses.${role})`, {
        details: `expected a 0x-prefixed 20-byte address, got ${JSON.stringify(value)}`,
      });
    }
    return value as Address;
  };
  const addresses = {
    registry: pick("registry", "organizationRegistry"),
    ledger: pick("ledger", "provenanceLedger"),
    rights: pick("rights", "dataRights"),
  };
  const block = json.deploymentBlock;
  if (block !== undefined && !(typeof block === "number" || typeof block === "string")) {
    throw new CliError(`the deployment file ${path} has a deploymentBlock that is not a number`);
  }
  const chainId = json.chainId;
  if (chainId !== undefined && typeof chainId !== "number") {
    throw new CliError(`the deployment file ${path} has a chainId that is not a number`);
  }
  return {
    addresses,
    chainId: chainId as number | undefined,
    deploymentBlock: block === undefined ? undefined : parseBlock(String(block), `deploymentBlock in ${path}`),
  };
}

export function parseBlock(value: string, what: string): bigint {
  if (!/^\d+$/.test(value.trim())) {
    throw new CliError(`${what} must be a block number (a whole number >= 0), got "${value}"`);
  }
  return BigInt(value.trim());
}
