/**
 * Ignition's artifact resolver over Hardhat's `artifacts/` folder, read with fs (no Hardhat runtime): the contracts
 * are compiled once with `hardhat compile` if their artifacts are missing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Artifact, ArtifactResolver, BuildInfo } from "@nomicfoundation/ignition-core";
import { DeployError } from "./errors";

/** The contracts a Provledger deployment is made of. */
export const CONTRACTS = ["OrganizationRegistry", "ProvenanceLedger", "DataRights"] as const;
export type ContractName = (typeof CONTRACTS)[number];

/** The repository root: the nearest folder above this file with a hardhat.config.ts (works from src/ and dist/). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "hardhat.config.ts"))) return dir;
    if (dirname(dir) === dir) {
      throw new DeployError("ArtifactsMissing", `no hardhat.config.ts above ${from}`, {
        details: "run the deployment from a Provledger checkout (the contracts are compiled from contracts/)",
      });
    }
  }
}

function artifactFile(root: string, name: string): string {
  return join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
}

export type ArtifactResolverOptions = { root?: string; compile?: boolean };

export function createArtifactResolver(options: ArtifactResolverOptions = {}): ArtifactResolver {
  const root = options.root ?? projectRoot();
  let compiled = false;
  // All three contracts share one build info (one compilation): parse it once.
  const buildInfos = new Map<string, BuildInfo>();
  const ensure = (name: string): string => {
    const file = artifactFile(root, name);
    if (!existsSync(file) && !compiled && options.compile !== false) {
      compiled = true;
      try {
        execFileSync("npx", ["hardhat", "compile", "--quiet"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
      } catch (error) {
        throw new DeployError("ArtifactsMissing", "hardhat compile failed", {
          details: (error as Error).message,
          cause: error,
        });
      }
    }
    if (!existsSync(file)) {
      throw new DeployError("ArtifactsMissing", `no artifact for ${name} at ${file}`, {
        details: "run `npx hardhat compile` in the repository",
      });
    }
    return file;
  };
  return {
    async loadArtifact(contractName: string): Promise<Artifact> {
      return JSON.parse(readFileSync(ensure(contractName), "utf8")) as Artifact;
    },
    async getBuildInfo(contractName: string): Promise<BuildInfo | undefined> {
      const debugFile = ensure(contractName).replace(/\.json$/, ".dbg.json");
      if (!existsSync(debugFile)) return undefined;
      const { buildInfo } = JSON.parse(readFileSync(debugFile, "utf8")) as { buildInfo: string };
      const file = join(dirname(debugFile), buildInfo);
      let parsed = buildInfos.get(file);
      if (!parsed) {
        parsed = JSON.parse(readFileSync(file, "utf8")) as BuildInfo;
        buildInfos.set(file, parsed);
      }
      return parsed;
    },
  };
}
