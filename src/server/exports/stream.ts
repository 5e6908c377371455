/**
 * A renderer's chunks as a response body. The first chunk is rendered before the stream exists, so that a bad input
 * fails while the route can still answer with an error (no header is sent yet); the rest are rendered as the socket
 * takes them, so the first rows leave while the others are rendered and no whole document is held as one string.
 * Chunks may be text or bytes already encoded (the PROV-JSON writers').
 */
import { Readable } from "node:stream";

export function exportStream(chunks: Iterator<string | Buffer, void, undefined>): Readable {
  const first = chunks.next();
  const bytes = (chunk: string | Buffer) => (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  function* body(): Generator<Buffer, void, undefined> {
    if (first.done) return;
    yield bytes(first.value);
    for (let next = chunks.next(); !next.done; next = chunks.next()) yield bytes(next.value);
  }
  return Readable.from(body(), { objectMode: false });
}
