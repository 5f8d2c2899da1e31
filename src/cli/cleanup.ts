import { unlinkSync } from "node:fs";

// Temporary files to remove when the process is interrupted: an atomic write's file before its
// rename, a spooled input. On SIGINT, SIGTERM or SIGHUP they are unlinked and the process exits
// with 128 + the signal's number, as the shell would report a process the signal killed.

const pending = new Set<string>();
const SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
let installed = false;

/** Removes `path` if the process is interrupted before `release(path)`. */
export function removeOnSignal(path: string): void {
  pending.add(path);
  if (installed) return;
  installed = true;
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      removePending();
      process.exit(code);
    });
  }
}

export function release(path: string): void {
  pending.delete(path);
}

function removePending(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to clean.
    }
  }
  pending.clear();
}
