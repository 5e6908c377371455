/**
 * Fails (exit 1) if the runtime code of a contract in artifacts/ exceeds EIP-170's limit of 24,576 bytes, above which
 * a chain refuses to deploy it. Run after `hardhat compile`; `npm run coverage` runs it after putting the optimised
 * build back (solidity-coverage's instrumented build is larger, and must not be left in artifacts/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const EIP170_LIMIT = 24_576;

export interface ContractSize {
  /** Source name and contract name, e.g. contracts/ProvenanceLedger.sol:ProvenanceLedger. */
  name: string;
  bytes: number;
}

/** The runtime code size of every contract compiled from contracts/ (interfaces and libraries without code excluded). */
export function contractSizes(artifactsDir = join(__dirname, "..", "artifacts")): ContractSize[] {
  const sizes: ContractSize[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        const artifact = JSON.parse(readFileSync(path, "utf8")) as {
          sourceName: string;
          contractName: string;
          deployedBytecode: string;
        };
        const bytes = (artifact.deployedBytecode.length - 2) / 2;
        if (bytes > 0) sizes.push({ name: `${artifact.sourceName}:${artifact.contractName}`, bytes });
      }
    }
  };
  walk(join(artifactsDir, "contracts"));
  return sizes.sort((a, b) => b.bytes - a.bytes);
}

function main(): void {
  const sizes = contractSizes();
  if (sizes.length === 0) {
    console.error(
      `No compiled contracts in ${relative(process.cwd(), join(__dirname, "..", "artifacts"))}: run \`npx hardhat compile\`.`,
    );
    process.exit(1);
  }
  const tooLarge = sizes.filter((size) => size.bytes > EIP170_LIMIT);
  for (const { name, bytes } of sizes.slice(0, 3)) console.log(`${name}: ${bytes} bytes of runtime code`);
  if (tooLarge.length > 0) {
    console.error(
      `Over EIP-170's ${EIP170_LIMIT} bytes (not deployable; an instrumented coverage build?):\n  ` +
        tooLarge.map(({ name, bytes }) => `${name}: ${bytes} bytes`).join("\n  "),
    );
    process.exit(1);
  }
  console.log(`Every contract's runtime code is within EIP-170's ${EIP170_LIMIT} bytes.`);
}

if (require.main === module) main();
