// Signal state of a task, read from its core images: the blocked masks, the queues of pending
// signals (each siginfo_t decoded as far as its si_code says), the dispositions that differ from
// the default, the alternate signal stack and the parent-death signal.

import type { sa_entry } from "../../gen/sa_pb";
import type { signal_queue_entry } from "../../gen/siginfo_pb";
import type { PendingSignal, SignalAction } from "./types";

const CLASSIC = [
  "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
  "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
  "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
];

/**
 * The name of Linux signal `signo` (x86, arm and most architectures). Real-time signals are named
 * the way `kill -l` names them with glibc, which keeps 32 and 33 for itself: 34 is SIGRTMIN,
 * 35..49 SIGRTMIN+n, 50..63 SIGRTMAX-n, 64 SIGRTMAX.
 */
export function signalName(signo: number): string {
  if (signo >= 1 && signo <= CLASSIC.length) return CLASSIC[signo - 1]!;
  if (signo === 34) return "SIGRTMIN";
  if (signo > 34 && signo < 50) return `SIGRTMIN+${signo - 34}`;
  if (signo >= 50 && signo < 64) return `SIGRTMAX-${64 - signo}`;
  if (signo === 64) return "SIGRTMAX";
  return `SIG${signo}`;
}

/** The signal numbers set in a mask whose bit n-1 stands for signal n (64 bits, plus 64 more on MIPS). */
export function signalsInMask(low: bigint, high: bigint = 0n): number[] {
  const out: number[] = [];
  for (const [word, base] of [[low, 0], [high, 64]] as const) {
    for (let bit = 0; bit < 64; bit++) if ((word >> BigInt(bit)) & 1n) out.push(base + bit + 1);
  }
  return out;
}

const SA_FLAGS: [number, string][] = [
  [0x1, "SA_NOCLDSTOP"], [0x2, "SA_NOCLDWAIT"], [0x4, "SA_SIGINFO"], [0x400, "SA_UNSUPPORTED"],
  [0x800, "SA_EXPOSE_TAGBITS"], [0x04000000, "SA_RESTORER"], [0x08000000, "SA_ONSTACK"],
  [0x10000000, "SA_RESTART"], [0x40000000, "SA_NODEFER"], [0x80000000, "SA_RESETHAND"],
];

/** SA_* names of a sigaction's flags; bits without a name are kept as one hex value. */
export function sigactionFlags(flags: bigint): string[] {
  let rest = flags;
  const out: string[] = [];
  for (const [bit, name] of SA_FLAGS) {
    if (rest & BigInt(bit)) {
      out.push(name);
      rest &= ~BigInt(bit);
    }
  }
  if (rest) out.push("0x" + rest.toString(16));
  return out;
}

/**
 * Dispositions from task_core_entry.sigactions: one entry per signal from 1 up, SIGKILL and
 * SIGSTOP left out (they cannot be caught). Only those that differ from the default are
 * returned: a handler, SIG_IGN, or flags or a mask on SIG_DFL.
 */
export function signalActions(entries: readonly sa_entry[]): SignalAction[] {
  const out: SignalAction[] = [];
  let signo = 0;
  for (const sa of entries) {
    signo++;
    if (signo === 9 || signo === 19) signo++;
    if (sa.sigaction === 0n && sa.flags === 0n && sa.mask === 0n && !sa.maskExtended) continue;
    out.push({
      signo,
      name: signalName(signo),
      handler: sa.sigaction === 0n ? "SIG_DFL" : sa.sigaction === 1n ? "SIG_IGN" : "0x" + sa.sigaction.toString(16),
      flags: sigactionFlags(sa.flags),
      mask: signalsInMask(sa.mask, sa.maskExtended ?? 0n),
      restorer: "0x" + sa.restorer.toString(16),
    });
  }
  return out;
}

const SI_CODES: Record<number, string> = {
  0: "SI_USER", 0x80: "SI_KERNEL", [-1]: "SI_QUEUE", [-2]: "SI_TIMER", [-3]: "SI_MESGQ", [-4]: "SI_ASYNCIO",
  [-5]: "SI_SIGIO", [-6]: "SI_TKILL",
};

/**
 * The pending signals of a queue. Each siginfo_t is read as the 64-bit little-endian kernel
 * layout (si_signo, si_errno, si_code, then the union at offset 16): the sender's pid and uid for
 * signals sent by a process, the timer id and overrun for POSIX timers, and the value for those
 * that carry one. A blob too short for its fields keeps only what it has.
 */
export function pendingSignals(queue: signal_queue_entry | undefined, tid?: number): PendingSignal[] {
  return (queue?.signals ?? []).map(({ siginfo: b }) => {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const i32 = (at: number) => (at + 4 <= b.byteLength ? view.getInt32(at, true) : undefined);
    const signo = i32(0) ?? 0;
    const code = i32(8) ?? 0;
    const sig: PendingSignal = { signo, name: signalName(signo), code, codeName: SI_CODES[code] ?? String(code) };
    if (tid !== undefined) sig.thread = tid;
    if (code === 0 || code === -1 || code === -6) {
      sig.senderPid = i32(16);
      const uid = i32(20);
      sig.senderUid = uid === undefined ? undefined : uid >>> 0;
    } else if (code === -2) {
      sig.timerId = i32(16);
      sig.overrun = i32(20);
    }
    if (code === -1 || code === -2 || code === -3) sig.value = i32(24);
    return sig;
  });
}
