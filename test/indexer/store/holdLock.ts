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

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
