/**
 * A child process for the writer-lock tests: opens the store at argv[2], takes its writer lock, prints "locked" and
 * holds it until killed.
 */
import { createStore } from "../../../src/indexer/store";

async function main(): Promise<void> {
  const store = createStore(process.argv[2]!);
  await store.migrate();
  await store.acquireWriterLock({ onWait: () => process.stdout.write("waiting\n") });
  process.stdout.write("locked\n");
  setInterval(() => {}, 60_000);
}

// Only as a program: `hardhat test` loads every file under test/, this one included.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
