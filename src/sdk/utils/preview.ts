/** A value as at most 80 characters for a message: strings quoted, bigints with `n`. */
export function preview(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string")
    return value.length > 80 ? JSON.stringify(`${value.slice(0, 77)}...`) : JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
