// Resource limits and timers of a task, from its core image.

import type { task_rlimits_entry } from "../../gen/core_pb";
import type { itimer_entry, task_timers_entry } from "../../gen/timer_pb";
import { signalName } from "./signals";
import type { IntervalTimer, PosixTimer, ResourceLimit, TaskTimers } from "./types";

/** RLIMIT_* by index, as Linux numbers them on every architecture CRIU supports but MIPS and SPARC. */
const RLIMITS = [
  "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
  "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
  "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
];

const INFINITY = 0xffff_ffff_ffff_ffffn;

function limitValue(v: bigint): number | "unlimited" {
  return v === INFINITY ? "unlimited" : Number(v);
}

export function resourceLimits(entry: task_rlimits_entry | undefined): ResourceLimit[] {
  return (entry?.rlimits ?? []).map((r, resource) => ({
    resource,
    name: RLIMITS[resource] ?? `RLIMIT_${resource}`,
    soft: limitValue(r.cur),
    hard: limitValue(r.max),
  }));
}

const CLOCKS: Record<number, string> = {
  0: "CLOCK_REALTIME", 1: "CLOCK_MONOTONIC", 2: "CLOCK_PROCESS_CPUTIME_ID", 3: "CLOCK_THREAD_CPUTIME_ID",
  4: "CLOCK_MONOTONIC_RAW", 5: "CLOCK_REALTIME_COARSE", 6: "CLOCK_MONOTONIC_COARSE", 7: "CLOCK_BOOTTIME",
  8: "CLOCK_REALTIME_ALARM", 9: "CLOCK_BOOTTIME_ALARM", 11: "CLOCK_TAI",
};

/** SIGEV_* notification methods; SIGEV_THREAD_ID (4) names the thread that gets the signal. */
const NOTIFY: Record<number, string> = { 0: "SIGEV_SIGNAL", 1: "SIGEV_NONE", 2: "SIGEV_THREAD", 4: "SIGEV_THREAD_ID" };

function seconds(sec: bigint, frac: bigint, perSecond: number): number {
  return Number(sec) + Number(frac) / perSecond;
}

function itimer(t: itimer_entry | undefined): IntervalTimer | undefined {
  if (!t || (t.isec === 0n && t.iusec === 0n && t.vsec === 0n && t.vusec === 0n)) return undefined;
  return { interval: seconds(t.isec, t.iusec, 1e6), value: seconds(t.vsec, t.vusec, 1e6) };
}

/** The task's armed interval timers (ITIMER_REAL, _VIRTUAL, _PROF) and its POSIX timers. */
export function taskTimers(entry: task_timers_entry | undefined): TaskTimers | undefined {
  if (!entry) return undefined;
  const posix: PosixTimer[] = entry.posix.map((p) => ({
    id: p.itId,
    clock: CLOCKS[p.clockId] ?? String(p.clockId),
    notify: NOTIFY[p.itSigevNotify] ?? String(p.itSigevNotify),
    signo: p.siSigno,
    signal: signalName(p.siSigno),
    value: "0x" + p.sivalPtr.toString(16),
    overrun: p.overrun,
    interval: seconds(p.isec, p.insec, 1e9),
    remaining: seconds(p.vsec, p.vnsec, 1e9),
    thread: p.notifyThreadId || undefined,
  }));
  return { real: itimer(entry.real), virtual: itimer(entry.virt), prof: itimer(entry.prof), posix };
}
