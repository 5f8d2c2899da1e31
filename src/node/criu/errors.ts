import type { criu_req_type } from "../../gen/rpc_pb";

/** What went wrong in a CRIU RPC call; one kind per way a call can fail. */
export type CriuErrorKind =
  /** The CRIU binary was not found or could not be started (ENOENT, EACCES). */
  | "binary-missing"
  /** The native seqpacket socket module (node-unix-socket) is not installed or cannot load here. */
  | "socket-unavailable"
  /** The `criu service` socket could not be connected. */
  | "connect-failed"
  /** CRIU closed the socket before it answered. */
  | "closed-early"
  /** The CRIU process exited or was killed before it answered (see exitCode / signal). */
  | "criu-died"
  /** CRIU answered with another request type than the one asked (or sent bytes that do not decode). */
  | "bad-response"
  /** CRIU answered `success: false` (see crErrno, crErrmsg, logTail). */
  | "criu-failed"
  /** A notify callback threw; CRIU was told the hook failed and the operation was abandoned. */
  | "notify-failed"
  /** The call took longer than timeoutMs; CRIU was killed. */
  | "timeout"
  /** An option could not be used (a directory that does not open, an fd already used). */
  | "bad-option";

/** Facts attached to a CriuError, whichever of them the failure has. */
export interface CriuErrorDetails {
  /** The request type of the call that failed. */
  request?: criu_req_type;
  /** CRIU's errno-style code (criu_resp.cr_errno), when CRIU set it. */
  crErrno?: number;
  /** CRIU's last error message (criu_resp.cr_errmsg), when CRIU set it. */
  crErrmsg?: string;
  /** The last lines of CRIU's log file, when the call named one and it could be read. */
  logTail?: string[];
  /** Where the log file is (absolute path), when known. */
  logPath?: string;
  /** The CRIU process's exit code (swrk mode), when it exited. */
  exitCode?: number | null;
  /** The signal that ended the CRIU process (swrk mode), when one did. */
  signal?: NodeJS.Signals | null;
  /** The last lines CRIU wrote on its standard error (swrk mode). */
  stderrTail?: string[];
  /** The error behind this one (a callback's exception, a system error). */
  cause?: unknown;
}

/** A failed CRIU RPC call: `kind` says how, the details say what CRIU reported. */
export class CriuError extends Error {
  override name = "CriuError";
  readonly kind: CriuErrorKind;
  readonly details: CriuErrorDetails;

  constructor(kind: CriuErrorKind, message: string, details: CriuErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.details = details;
  }

  get crErrno(): number | undefined {
    return this.details.crErrno;
  }

  get crErrmsg(): string | undefined {
    return this.details.crErrmsg;
  }

  get logTail(): string[] | undefined {
    return this.details.logTail;
  }
}

export function isCriuError(err: unknown, kind?: CriuErrorKind): err is CriuError {
  return err instanceof CriuError && (kind === undefined || err.kind === kind);
}
