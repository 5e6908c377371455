/**
 * `npm start`: the local development ledger, persistent. Brings up on 127.0.0.1 an anvil node whose chain is kept in
 * the home folder, the contracts (deployed once, with the Ignition module), the demo consortium (a Guangdong
 * public-data agency, a Hong Kong exchange, an inspector, Guangdong data customs), the indexer on SQLite and the query
 * API; prints the URLs, the accounts and what to run next. Ctrl-C stops it all (the node writes its state); the next
 * `npm start` brings back the same chain, contracts and index. See docs/local-ledger.md.
 *
 *   PROVLEDGER_HOME      the data folder (default ./.provledger in the working directory)
 *   PROVLEDGER_RPC_PORT  the node's JSON-RPC port (default 8545)
 *   PROVLEDGER_API_PORT  the query API's port (default 4000)
 *
 * Logs are JSON lines (pino) on stdout; the summary once ready is plain text.
 */
import { resolve } from "node:path";
import pino from "pino";
import { DEFAULT_RPC_PORT, HOME_FILES, startLocalStack, type LocalStack } from "../src/node";
import { DEFAULT_PORT } from "../src/server";

export type StartSettings = { home: string; rpcPort: number; apiPort: number };

/** The settings from the environment; a bad one is a one-line error saying which and how to fix it. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): StartSettings {
  const port = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    if (!/^\d+$/.test(value) || Number(value) > 65_535) {
      throw new Error(`${name}="${value}" is not a port: set it to a whole number from 0 to 65535 (or unset it)`);
    }
    return Number(value);
  };
  return {
    home: resolve(cwd, env.PROVLEDGER_HOME || ".provledger"),
    rpcPort: port("PROVLEDGER_RPC_PORT", DEFAULT_RPC_PORT),
    apiPort: port("PROVLEDGER_API_PORT", DEFAULT_PORT),
  };
}

/** The demo's command for this home: the default home needs no variable, another is named (quoted if it must be). */
export function demoCommand(home: string, cwd = process.cwd()): string {
  const local = "PROVLEDGER_DEMO_LOCAL=1";
  if (home === resolve(cwd, ".provledger")) return `${local} npm run demo`;
  const quoted = /^[\w./-]+$/.test(home) ? home : `'${home.replace(/'/g, "'\\''")}'`;
  return `PROVLEDGER_HOME=${quoted} ${local} npm run demo`;
}

/** What a person reads once the stack is ready. */
export function readyText(stack: LocalStack): string {
  const { accounts } = stack.accounts;
  const orgs = (["agency", "trader", "inspector", "customs"] as const).map((role) => {
    const account = accounts[role];
    return `    ${role.padEnd(10)} org ${String(account.orgId).padEnd(3)} ${account.address}  ${account.name} (${account.jurisdiction})`;
  });
  const seconds = (stack.readyMs / 1000).toFixed(1);
  const how = stack.newChain
    ? "new chain"
    : stack.ledger.state.source === "good-copy"
      ? "chain restored from the last good copy"
      : "chain restored";
  return [
    "",
    `Provledger local ledger ready in ${seconds} s (${how}, contracts ${stack.deployment.origin}, chain id ${stack.chainId})`,
    "",
    `  JSON-RPC   ${stack.rpcUrl}`,
    `  Query API  ${stack.apiUrl}   (OpenAPI: ${stack.apiUrl}/openapi.json)`,
    `  Contracts  registry ${stack.deployment.addresses.registry}`,
    `             ledger   ${stack.deployment.addresses.ledger}`,
    `             rights   ${stack.deployment.addresses.rights}`,
    `  Home       ${stack.home} (${HOME_FILES.deployment}, ${HOME_FILES.accounts}, ${HOME_FILES.index}, chain/)`,
    "",
    "  Accounts (keys in accounts.json: anvil's public test mnemonic, development only)",
    `    governance         ${accounts.governance.address}`,
    ...orgs,
    "",
    "  Next:",
    // `hardhat run` takes no script arguments: the demo is pointed at this ledger by the environment.
    `    ${demoCommand(stack.home)}   the three users' journey on this ledger`,
    `    curl ${stack.apiUrl}/status`,
    `    curl '${stack.apiUrl}/v1/events?limit=5'`,
    `    curl ${stack.apiUrl}/v1/organizations/${accounts.agency.orgId}`,
    "",
    "  Ctrl-C stops everything; npm start again brings the same chain back.",
    "",
  ].join("\n");
}

export async function main(): Promise<number> {
  const logger = pino({ base: { service: "provledger" } });
  let settings: StartSettings;
  try {
    settings = settingsFromEnvironment();
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  let stack: LocalStack | undefined;
  let stopRequested = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      logger.info({ signal }, "still stopping (the node is writing its state)");
      return;
    }
    stopRequested = true;
    logger.info({ signal }, "stopping");
    void stack?.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  try {
    stack = await startLocalStack({ ...settings, logger });
    if (stopRequested) await stack.stop();
    else {
      logger.info(
        {
          rpcUrl: stack.rpcUrl,
          apiUrl: stack.apiUrl,
          readyMs: stack.readyMs,
          newChain: stack.newChain,
          deployment: stack.deployment.origin,
          chainSource: stack.ledger.state.source,
          ...stack.deployment.addresses,
        },
        "local ledger ready",
      );
      process.stdout.write(readyText(stack));
    }
    await stack.done;
    logger.info("stopped");
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error }, "npm start failed");
    console.error(`npm start failed: ${message.split("\n")[0]}`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
