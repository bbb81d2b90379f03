// Errors the command line maps to exit codes (sysexits.h numbers where one fits).

/** Wrong arguments: the message is followed by the usage text. Exit 64 (EX_USAGE). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Input file unreadable or invalid; the message names the file, the line and the column. Exit 65 (EX_DATAERR). */
export class InputError extends Error {
  override name = "InputError";
}

/** Any other failure with a message for the merchant and its own exit code. */
export class CommandError extends Error {
  override name = "CommandError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT_USAGE = 64;
export const EXIT_INPUT = 65;
