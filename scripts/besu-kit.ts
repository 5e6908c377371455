/**
 * A Besu QBFT network kit in one command (src/deploy/besu): genesis, node keys, node configurations and local
 * permissioning files for N >= 4 validators. See docs/deploy.md.
 *
 *   npx ts-node --transpile-only scripts/besu-kit.ts --validators 4 --out consortium [--operators 0x...,0x...]
 */
import { runBesuKit } from "../src/deploy/besu";

if (require.main === module) {
  process.exitCode = runBesuKit(process.argv.slice(2));
}
