// Property: for the forensics model with random mutations applied (a task added or removed, an
// fd's position or path changed, an environment variable changed), the diff reports exactly
// those mutations and nothing else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countChanges, diffCheckpoints } from "../../../src/index";
import type { Checkpoint, Task } from "../../../src/checkpoint/model/types";
import { FORENSICS, open } from "./open";

type Mutation =
  | { kind: "remove-task"; index: number }
  | { kind: "add-task"; index: number; pid: number }
  | { kind: "fd-position"; index: number; position: number }
  | { kind: "fd-path"; index: number; path: string }
  | { kind: "env"; index: number; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("remove-task" as const), index: fc.nat() }),
  fc.record({ kind: fc.constant("add-task" as const), index: fc.nat(), pid: fc.integer({ min: 100, max: 1000 }) }),
  fc.record({ kind: fc.constant("fd-position" as const), index: fc.nat(), position: fc.integer({ min: 1000, max: 2 ** 40 }) }),
  fc.record({ kind: fc.constant("fd-path" as const), index: fc.nat(), path: fc.stringMatching(/^\/[a-z]{1,12}$/) }),
  fc.record({ kind: fc.constant("env" as const), index: fc.nat(), value: fc.stringMatching(/^[a-z0-9]{1,10}$/) }),
);

interface Expected {
  added: Set<number>;
  removed: Set<number>;
  fds: Set<string>;
  env: Set<string>;
}

/** Applies one mutation to tasks (cloned), noting what the diff must report. */
function apply(tasks: Task[], m: Mutation, e: Expected): Task[] {
  const pick = (list: readonly Task[]) => list[m.index % list.length]!;
  switch (m.kind) {
    case "remove-task": {
      const victim = pick(tasks);
      if (!victim || tasks.length === 1) return tasks;
      if (e.added.has(victim.pid)) e.added.delete(victim.pid);
      else e.removed.add(victim.pid);
      // A removed task's own changes are no longer changes.
      e.env.delete(String(victim.pid));
      for (const key of e.fds) if (key.startsWith(`${victim.pid}/`)) e.fds.delete(key);
      return tasks.filter((t) => t !== victim);
    }
    case "add-task": {
      if (tasks.some((t) => t.pid === m.pid) || e.removed.has(m.pid)) return tasks;
      e.added.add(m.pid);
      return [...tasks, { ...structuredClone(pick(tasks)), pid: m.pid }];
    }
    case "fd-position":
    case "fd-path": {
      const t = pick(tasks.filter((x) => !e.added.has(x.pid) && x.fds.some((d) => d.file.kind === "regular")));
      if (!t) return tasks;
      const d = t.fds.filter((x) => x.file.kind === "regular")[m.index % t.fds.filter((x) => x.file.kind === "regular").length]!;
      if (d.file.kind !== "regular") return tasks;
      if (m.kind === "fd-position") d.file.pos = BigInt(m.position);
      else d.file.path = m.path;
      e.fds.add(`${t.pid}/${d.fd}`);
      return tasks;
    }
    case "env": {
      const t = pick(tasks.filter((x) => !e.added.has(x.pid) && (x.environ?.length ?? 0) > 0));
      if (!t) return tasks;
      t.environ = t.environ!.map((v) => (v.startsWith("APP_MODE=") ? `APP_MODE=${m.value}` : v));
      if (m.value !== "forensics") e.env.add(String(t.pid));
      return tasks;
    }
  }
}

describe("diffCheckpoints on mutated models", () => {
  it("reports exactly the mutations applied", async () => {
    const a = await open(FORENSICS);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
        const e: Expected = { added: new Set(), removed: new Set(), fds: new Set(), env: new Set() };
        let tasks = structuredClone(a.tasks);
        for (const m of mutations) tasks = apply(tasks, m, e);
        const b: Checkpoint = { ...a, tasks };
        const d = await diffCheckpoints(a, b, { pages: false });
        expect(new Set(d.processes.added.map((p) => p.pid))).toEqual(e.added);
        expect(new Set(d.processes.removed.map((p) => p.pid))).toEqual(e.removed);
        expect(new Set(d.processes.changed.map((c) => String(c.pid)))).toEqual(e.env);
        for (const c of d.processes.changed) expect([c.fields, c.environment.changed.map((x) => x.name)]).toEqual([[], ["APP_MODE"]]);
        expect(new Set(d.files.changed.map((c) => `${c.pid}/${c.fd}`))).toEqual(e.fds);
        const fdsOf = (pids: Set<number>, tasksOf: readonly Task[]) => tasksOf.filter((t) => pids.has(t.pid)).reduce((n, t) => n + t.fds.length + (t.cwd === undefined ? 0 : 1) + (t.root === undefined ? 0 : 1), 0);
        expect([d.files.opened.length, d.files.closed.length]).toEqual([fdsOf(e.added, tasks), fdsOf(e.removed, a.tasks)]);
        expect(countChanges(d).maps + countChanges(d).pages).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
