/**
 * A child process for the writer-lock tests: takes the writer lock of the store at argv[2], prints "locked" and holds
 * it until killed. It prints each step ("started", "waiting", "locked") so that a failing test can say how far the
 * child got.
 *
 * The parent has migrated the store. The child keeps no reference to the store or the lock and collects garbage
 * (when run with --expose-gc) before it says "locked": the lock must outlive its handle (a garbage-collected SQLite
 * connection would drop it; that is how this test hung in CI).
 */
import { createStore } from "../../../src/indexer/store";

async function main(): Promise<void> {
  process.stdout.write("started\n");
  const store = createStore(process.argv[2]!);
  await store.acquireWriterLock({ onWait: () => process.stdout.write("waiting\n") });
}

// Only as a program: `hardhat test` loads every file under test/, this one included.
if (require.main === module) {
  main().then(
    () => {
      // main's frame (the store, the lock) is gone now: collect it before saying the lock is held.
      (globalThis as { gc?: () => void }).gc?.();
      process.stdout.write("locked\n");
      setInterval(() => {}, 60_000);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
