import { createStore } from "../../src/indexer";

/**
 * A store's dump without its `blocks` rows: which blocks are kept depends on how the chain was fetched (a live block
 * is kept whether or not it has events, a backfill keeps the blocks with events and each range's last, a killed run
 * ends its ranges elsewhere), not on the chain; events, projection, checkpoint and identity are the state.
 */
export async function stateDump(url: string): Promise<string> {
  const store = await createStore(url);
  try {
    return (await store.dump())
      .split("\n")
      .filter((line) => !line.startsWith("blocks "))
      .join("\n");
  } finally {
    await store.close();
  }
}
