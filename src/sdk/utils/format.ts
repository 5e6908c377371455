/** A block time (seconds since 1970) in ISO 8601 UTC, e.g. "2026-05-01T08:30:00Z". */
export function formatBlockTime(seconds: number | bigint): string {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `block time ${seconds}`;
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
