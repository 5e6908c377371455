/**
 * A renderer's chunks as a response body. The first chunk is rendered before the stream exists, so that a bad input
 * fails while the route can still answer with an error (no header is sent yet); the rest are rendered as the socket
 * takes them, so the first rows leave while the others are rendered and no whole document is held as one string.
 */
import { Readable } from "node:stream";

export function exportStream(chunks: Iterator<string, void, undefined>): Readable {
  const first = chunks.next();
  function* body(): Generator<Buffer, void, undefined> {
    if (first.done) return;
    yield Buffer.from(first.value, "utf8");
    for (let next = chunks.next(); !next.done; next = chunks.next()) yield Buffer.from(next.value, "utf8");
  }
  return Readable.from(body(), { objectMode: false });
}
