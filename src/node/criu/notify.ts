import type { criu_notify } from "../../gen/rpc_pb";

/** The notify script names CRIU sends with `notify_scripts` set (CRIU's action-scripts). */
export const NOTIFY_SCRIPTS = [
  "pre-dump",
  "post-dump",
  "pre-restore",
  "post-restore",
  "pre-resume",
  "post-resume",
  "network-lock",
  "network-unlock",
  "setup-namespaces",
  "post-setup-namespaces",
  "orphan-pts-master",
  "query-ext-files",
  "status-ready",
] as const;

export type NotifyScript = (typeof NOTIFY_SCRIPTS)[number];

/** One NOTIFY message from CRIU. */
export interface NotifyEvent {
  /** The script name, e.g. "pre-dump". */
  script: string;
  /** The pid CRIU attaches (the root task for most scripts), or 0. */
  pid: number;
  /**
   * orphan-pts-master sends the pts master fd with SCM_RIGHTS; node-unix-socket cannot receive
   * passed fds, so this is always undefined here and the kernel closes the fd on receipt.
   */
  fd?: number;
}

/**
 * A callback per script. Returning nothing or true tells CRIU the hook succeeded, false that it
 * failed (CRIU then abandons the operation); a thrown error does the same and the call rejects
 * with a CriuError of kind "notify-failed" carrying it.
 */
export type NotifyHandler = (event: NotifyEvent) => void | boolean | Promise<void | boolean>;
export type NotifyHandlers = Partial<Record<NotifyScript | (string & {}), NotifyHandler>>;

export type NotifyOutcome = { ok: true } | { ok: false; declined: true } | { ok: false; error: unknown };

export async function runNotify(handlers: NotifyHandlers | undefined, notify: criu_notify | undefined): Promise<NotifyOutcome> {
  const event: NotifyEvent = { script: notify?.script ?? "", pid: notify?.pid ?? 0 };
  const handler = handlers?.[event.script];
  if (!handler) return { ok: true };
  try {
    const verdict = await handler(event);
    return verdict === false ? { ok: false, declined: true } : { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

export function hasHandlers(handlers: NotifyHandlers | undefined): boolean {
  return handlers !== undefined && Object.values(handlers).some((h) => typeof h === "function");
}
