// Timing of one case: a first (warm-up) run, then more runs until enough time has passed.

export interface Timing {
  /** Median seconds per operation (the first run excluded when there are others). */
  seconds: number;
  /** Seconds of the first run, cold (includes compilation and the first allocations). */
  firstSeconds: number;
  runs: number;
  /** Median seconds per phase, when the case reports phases. */
  phases?: Record<string, number>;
}

export interface Budget {
  /** Keep running until this many seconds have been spent ... */
  minSeconds: number;
  /** ... and at least this many runs after the first ... */
  minRuns: number;
  /** ... but never more than this many. A first run slower than `slowSeconds` is the only one. */
  maxRuns: number;
  slowSeconds: number;
}

/** A case's operation; it may record phase times with `phase(name, seconds)`. */
export type Operation = (phase: (name: string, seconds: number) => void) => unknown;

export async function measure(op: Operation, budget: Budget): Promise<Timing & { result: unknown }> {
  const times: number[] = [];
  const phaseTimes = new Map<string, number[]>();
  let current: Map<string, number> = new Map();
  const phase = (name: string, seconds: number) => current.set(name, (current.get(name) ?? 0) + seconds);
  let result: unknown;
  const started = now();
  const once = async () => {
    current = new Map();
    const t = now();
    result = op(phase);
    if (result instanceof Promise) result = await result; // only asynchronous cases pay for an await
    times.push(now() - t);
    for (const [name, s] of current) {
      const list = phaseTimes.get(name) ?? [];
      list.push(s);
      phaseTimes.set(name, list);
    }
  };
  await once();
  if (times[0]! < budget.slowSeconds) {
    while (times.length - 1 < budget.maxRuns && (times.length - 1 < budget.minRuns || now() - started < budget.minSeconds)) await once();
  }
  const warm = times.length > 1 ? 1 : 0;
  const timing: Timing & { result: unknown } = { seconds: median(times.slice(warm)), firstSeconds: times[0]!, runs: times.length - warm, result };
  if (phaseTimes.size > 0) {
    timing.phases = {};
    for (const [name, list] of phaseTimes) timing.phases[name] = median(list.slice(warm));
  }
  return timing;
}

/** Seconds since an arbitrary start, with sub-microsecond resolution. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` and reports its duration under `name`. */
export function timedPhase<T>(phase: (name: string, seconds: number) => void, name: string, fn: () => T): T {
  const t = now();
  const value = fn();
  phase(name, now() - t);
  return value;
}
