import { preview } from "../utils/preview";
import { ProvledgerError } from "./base";

/** An argument is malformed. Thrown before any request, so nothing was sent. */
export class InvalidInputError extends ProvledgerError<"InvalidInput"> {
  override name = "InvalidInputError";
  /** The argument, e.g. "fingerprint" or "parents[1].relation". */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, problem: string) {
    super("InvalidInput", `${field} ${problem} (got ${preview(value)}); nothing was sent`);
    this.field = field;
    this.value = value;
  }
}
