// The CLI's own errors: a message that names what the user gave (a path, "stdout"), and the exit
// status to leave with. Library errors (ImageError, CritJsonError) already name the file.

/** An error to print as one line, `crit: <message>`, then exit with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad arguments: the message, the command's usage, exit status 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message, 2);
  }
}

/** The reader of standard output went away: nothing more to say (exit 141, as if by SIGPIPE). */
export class BrokenPipe extends CliError {
  constructor() {
    super("", 141);
  }
}

/**
 * A system error as `<what>: <reason>`, where `what` is the path the user gave (never a temporary
 * name) and the reason is the system's text ("No space left on device"), without Node's code
 * prefix and syscall suffix. Anything else is returned as it is.
 */
export function namedError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof CliError || typeof code !== "string" || !(err instanceof Error)) return err;
  if (code === "EPIPE") return new BrokenPipe();
  return new CliError(`${what}: ${systemReason(err)}`);
}

function systemReason(err: Error): string {
  // "ENOSPC: no space left on device, write" -> "No space left on device"
  const text = /^[A-Z0-9_]+: ([^,]*)/.exec(err.message)?.[1] ?? err.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
