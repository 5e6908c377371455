import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import { consortiumFromEnvironment, selectedHardhatNetwork } from "./src/deploy/network";

const SOLC_VERSION = "0.8.30";

// No compiler download is possible on the consortium's build machines: use the solc-js
// build shipped in the npm package `solc` (pinned to SOLC_VERSION in package.json).
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solcPackage = require("solc/package.json") as { version: string };
  if (solcPackage.version !== SOLC_VERSION) {
    throw new Error(`npm package solc is ${solcPackage.version}, expected ${SOLC_VERSION}: run npm ci`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_VERSION,
  };
});

/**
 * The consortium chain (Besu QBFT, docs/deploy.md), configured by environment (src/deploy/network.ts). Its keystore
 * is decrypted only when `--network consortium` is used, so every other command loads without those variables.
 */
function consortiumNetwork(): NonNullable<HardhatUserConfig["networks"]>[string] {
  const zeroFees = { gasPrice: 0, ignition: { disableFeeBumping: true } };
  if (selectedHardhatNetwork() !== "consortium") return { url: "http://127.0.0.1:8545", accounts: [], ...zeroFees };
  try {
    const { rpcUrl, chainId, deployerKey } = consortiumFromEnvironment();
    return { url: rpcUrl, chainId, accounts: [deployerKey], ...zeroFees };
  } catch (error) {
    console.error(`network consortium: ${(error as Error).message}`);
    process.exit(2);
  }
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // Permissioned chains such as GoQuorum and older Besu releases lack PUSH0 (Shanghai).
      evmVersion: "paris",
      optimizer: { enabled: true, runs: 1000 },
    },
  },
  networks: {
    hardhat: {
      // Keep the local chain's id stable: signed submissions are bound to it.
      chainId: 31337,
    },
    // Zero gas price (Besu min-gas-price=0, zeroBaseFee); fee bumping is meaningless at zero.
    consortium: consortiumNetwork(),
  },
  ignition: {
    // QBFT blocks are final once mined (no forks): wait for 1 confirmation, not Ignition's default 5.
    requiredConfirmations: 1,
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
  },
  mocha: {
    timeout: 120_000,
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
};

export default config;
