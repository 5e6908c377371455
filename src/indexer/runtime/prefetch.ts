/**
 * Reads up to `depth` items ahead of the consumer: the next `eth_getLogs` range is on the wire (and the node working on
 * it, on its own core) while this thread decodes, verifies and commits the current one. Without it catch-up would be
 * the sum of fetching and indexing instead of little more than the larger of the two.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  const fill = () => {
    while (queue.length < depth) {
      const next = iterator.next();
      // A rejection is observed when the consumer reaches it; keep Node from calling it unhandled meanwhile.
      next.catch(() => {});
      queue.push(next);
    }
  };
  try {
    fill();
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) return;
      fill();
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
