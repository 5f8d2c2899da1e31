// Processes matched by pid: added, removed, and for the pairs every field, the environment (by
// variable name) and the threads (by tid) that differ.

import type { Credentials, Task } from "../model/types";
import { matchBy } from "./match";
import type { EnvironmentDiff, FieldChange, FieldValue, ProcessChange, ProcessesDiff, ProcessSummary, ThreadsDiff } from "./types";

export function diffProcesses(a: readonly Task[], b: readonly Task[]): ProcessesDiff {
  const m = matchBy(a, b, (t) => String(t.pid), (x, y) => x.pid - y.pid);
  const changed: ProcessChange[] = [];
  const unchanged: ProcessSummary[] = [];
  for (const pair of m.both) {
    const change = diffProcess(pair.a, pair.b);
    if (change.fields.length + countEnvironment(change.environment) + countThreads(change.threads) > 0) changed.push(change);
    else unchanged.push(summary(pair.b));
  }
  return { added: m.onlyB.map(summary), removed: m.onlyA.map(summary), changed, unchanged };
}

export function summary(t: Task): ProcessSummary {
  return { pid: t.pid, ppid: t.ppid, comm: t.comm, argv: t.argv ?? null };
}

function diffProcess(a: Task, b: Task): ProcessChange {
  return {
    pid: a.pid,
    a: summary(a),
    b: summary(b),
    fields: [...taskFields(a, b), ...credentialFields(a.creds, b.creds)],
    environment: diffEnvironment(a.environ ?? [], b.environ ?? []),
    threads: diffThreads(a, b),
  };
}

const TASK_FIELDS = ["comm", "argv", "ppid", "pgid", "sid", "state", "exitCode", "cwd", "root", "umask", "exe"] as const;

function taskFields(a: Task, b: Task): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of TASK_FIELDS) {
    const va = (a[field] ?? null) as FieldValue;
    const vb = (b[field] ?? null) as FieldValue;
    if (JSON.stringify(va) !== JSON.stringify(vb)) out.push({ field, a: va, b: vb });
  }
  return out;
}

const CREDENTIAL_FIELDS = ["uid", "gid", "euid", "egid", "suid", "sgid", "fsuid", "fsgid", "groups", "capEff", "capPrm", "capInh", "capBnd", "noNewPrivs", "lsmProfile"] as const;

function credentialFields(a: Credentials | undefined, b: Credentials | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of CREDENTIAL_FIELDS) {
    const va = (a?.[field] ?? null) as FieldValue;
    const vb = (b?.[field] ?? null) as FieldValue;
    if (JSON.stringify(va) !== JSON.stringify(vb)) out.push({ field: `creds.${field}`, a: va, b: vb });
  }
  return out;
}

/** Entries by name (text before the first "="; an entry without "=" is its own name); the last of a repeated name wins, as getenv's callers mostly see. */
export function diffEnvironment(a: readonly string[], b: readonly string[]): EnvironmentDiff {
  const byName = (env: readonly string[]) => new Map(env.map((e) => [envName(e), e]));
  const ma = byName(a);
  const mb = byName(b);
  const names = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const out: EnvironmentDiff = { added: [], removed: [], changed: [] };
  for (const name of names) {
    const ea = ma.get(name);
    const eb = mb.get(name);
    if (ea === undefined) out.added.push(eb!);
    else if (eb === undefined) out.removed.push(ea);
    else if (ea !== eb) out.changed.push({ name, a: ea, b: eb });
  }
  return out;
}

function envName(entry: string): string {
  const eq = entry.indexOf("=");
  return eq < 0 ? entry : entry.slice(0, eq);
}

function diffThreads(a: Task, b: Task): ThreadsDiff {
  const m = matchBy(a.threads, b.threads, (t) => String(t.tid), (x, y) => x.tid - y.tid);
  return {
    added: m.onlyB.map(({ tid, comm }) => ({ tid, comm })),
    removed: m.onlyA.map(({ tid, comm }) => ({ tid, comm })),
    renamed: m.both.filter((p) => p.a.comm !== p.b.comm).map((p) => ({ tid: p.a.tid, a: p.a.comm, b: p.b.comm })),
  };
}

export function countEnvironment(e: EnvironmentDiff): number {
  return e.added.length + e.removed.length + e.changed.length;
}

export function countThreads(t: ThreadsDiff): number {
  return t.added.length + t.removed.length + t.renamed.length;
}
