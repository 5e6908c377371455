import { ProvledgerError } from "../sdk";

/** Bad command-line input: the CLI prints the message and exits with status 2, before anything is written. */
export class CliError extends ProvledgerError<"InvalidArgument"> {
  override name = "CliError";

  constructor(message: string, options: { details?: string } = {}) {
    super("InvalidArgument", message, options);
  }
}
