import type { ComponentChildren } from "preact";
import type { CheckpointDiff, FdEntry, FieldValue, ProcessChange, ProcessSummary, SocketEntry, TaskMemoryDiff } from "../../index";

// The diff view's tables: processes, files, sockets and memory, each row a change from the first
// checkpoint (A) to the second (B). A pid the first checkpoint has is a link to its task.

export type PidLink = (pid: number) => ComponentChildren;
type Kind = "added" | "removed" | "changed";

const SIGN: Record<Kind, string> = { added: "+ added", removed: "− removed", changed: "~ changed" };

function Change({ kind }: { kind: Kind }) {
  return <td class={`change ${kind}`}>{SIGN[kind]}</td>;
}

function Section({ title, count, testId, children }: { title: string; count: number; testId: string; children: ComponentChildren }) {
  return (
    <section aria-label={title} data-testid={testId}>
      <h3>
        {title} <span class="muted">({count === 0 ? "no changes" : `${count} change${count === 1 ? "" : "s"}`})</span>
      </h3>
      {count > 0 && children}
    </section>
  );
}

export function value(v: FieldValue): string {
  if (v === null) return "(none)";
  return Array.isArray(v) ? v.join(" ") : String(v);
}

interface Row<T> {
  kind: Kind;
  /** B's entry when changed, else the one side's. */
  e: T;
  details: ComponentChildren;
}

interface Column<T> {
  title: string;
  cell: (e: T) => ComponentChildren;
  class?: string;
}

/** Added, removed and changed entries as rows, ascending by `order`; `details` tells what changed. */
function rowsOf<T, C extends { a: T; b: T }>(
  added: readonly T[],
  removed: readonly T[],
  changed: readonly C[],
  details: (c: C) => ComponentChildren,
  order: (x: T, y: T) => number,
  whole: (e: T) => ComponentChildren = () => "",
): Row<T>[] {
  return [
    ...added.map((e) => ({ kind: "added" as const, e, details: whole(e) })),
    ...removed.map((e) => ({ kind: "removed" as const, e, details: whole(e) })),
    ...changed.map((c) => ({ kind: "changed" as const, e: c.b, details: details(c) })),
  ].sort((x, y) => order(x.e, y.e));
}

function ChangeTable<T>({ rows, columns, rowKey, detailsTitle }: { rows: Row<T>[]; columns: Column<T>[]; rowKey: (e: T) => string; detailsTitle: string }) {
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">Change</th>
          {columns.map((c) => (
            <th key={c.title} scope="col">
              {c.title}
            </th>
          ))}
          <th scope="col">{detailsTitle}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.kind}:${rowKey(r.e)}`}>
            <Change kind={r.kind} />
            {columns.map((c) => (
              <td key={c.title} class={c.class}>
                {c.cell(r.e)}
              </td>
            ))}
            <td class="mono">{r.details}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Lines({ lines }: { lines: string[] }) {
  return (
    <ul class="plain">
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

export function ProcessChanges({ diff, pidLink }: { diff: CheckpointDiff; pidLink: PidLink }) {
  const p = diff.processes;
  const argv = (x: ProcessSummary) => (x.argv ? x.argv.join(" ") : "(argv not in the dump)");
  const rows = rowsOf(p.added, p.removed, p.changed, (c) => <Lines lines={processDetails(c)} />, (x, y) => x.pid - y.pid, argv);
  const columns: Column<ProcessSummary>[] = [
    { title: "Task", cell: (e) => pidLink(e.pid) },
    { title: "Command", cell: (e) => e.comm },
  ];
  return (
    <Section title="Processes" count={rows.length} testId="diff-processes">
      <ChangeTable rows={rows} columns={columns} rowKey={(e) => String(e.pid)} detailsTitle="Command line, or what changed" />
    </Section>
  );
}

function processDetails(c: ProcessChange): string[] {
  const out = c.fields.map((f) => `${f.field}: ${value(f.a)} → ${value(f.b)}`);
  const e = c.environment;
  for (const entry of e.added) out.push(`env + ${entry}`);
  for (const entry of e.removed) out.push(`env − ${entry}`);
  for (const ch of e.changed) out.push(`env ~ ${ch.a} → ${ch.b}`);
  const t = c.threads;
  for (const th of t.added) out.push(`thread + ${th.tid} ${th.comm}`);
  for (const th of t.removed) out.push(`thread − ${th.tid} ${th.comm}`);
  for (const th of t.renamed) out.push(`thread ~ ${th.tid} ${th.a} → ${th.b}`);
  return out;
}

/** The fields that differ, "name: a → b" each. */
function fieldChanges<T extends object>({ a, b, fields }: { a: T; b: T; fields: string[] }): string {
  const get = (x: T, f: string) => value((x as Record<string, FieldValue>)[f] ?? null);
  return fields.map((f) => `${f}: ${get(a, f)} → ${get(b, f)}`).join("; ");
}

export function FileChanges({ diff, pidLink }: { diff: CheckpointDiff; pidLink: PidLink }) {
  const f = diff.files;
  const rows = rowsOf(f.opened, f.closed, f.changed, fieldChanges, (x, y) => x.pid - y.pid || fdOrder(x.fd) - fdOrder(y.fd));
  const columns: Column<FdEntry>[] = [
    { title: "Task", cell: (e) => pidLink(e.pid) },
    { title: "FD", cell: (e) => e.fd },
    { title: "Type", cell: (e) => e.type },
    { title: "What", cell: (e) => e.path, class: "mono" },
  ];
  return (
    <Section title="Files" count={rows.length} testId="diff-files">
      <ChangeTable rows={rows} columns={columns} rowKey={(e) => `${e.pid}:${e.fd}`} detailsTitle="What changed" />
    </Section>
  );
}

/** The library's order of descriptors: numbers, then "cwd", then "root". */
function fdOrder(fd: number | string): number {
  return typeof fd === "number" ? fd : fd === "cwd" ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
}

export function SocketChanges({ diff, pidLink }: { diff: CheckpointDiff; pidLink: PidLink }) {
  const s = diff.sockets;
  const rows = rowsOf(s.added, s.removed, s.changed, fieldChanges, (x, y) => x.pid - y.pid || x.fd - y.fd);
  const columns: Column<SocketEntry>[] = [
    { title: "Task", cell: (e) => pidLink(e.pid) },
    { title: "FD", cell: (e) => e.fd },
    { title: "Protocol", cell: (e) => e.protocol },
    { title: "State", cell: (e) => e.state },
    { title: "Local", cell: (e) => e.local, class: "mono" },
    { title: "Peer", cell: (e) => e.peer, class: "mono" },
    { title: "Queued in / out", cell: (e) => `${e.inqBytes ?? "–"} / ${e.outqBytes ?? "–"}`, class: "num" },
  ];
  return (
    <Section title="Sockets" count={rows.length} testId="diff-sockets">
      <ChangeTable rows={rows} columns={columns} rowKey={(e) => `${e.pid}:${e.fd}`} detailsTitle="What changed" />
    </Section>
  );
}

/** Changed page addresses listed per task before "and N more". */
const PAGES_LISTED = 32;

export function MemoryChanges({ diff, pidLink, pagesCompared }: { diff: CheckpointDiff; pidLink: PidLink; pagesCompared: boolean }) {
  const tasks = diff.memory.tasks.filter((t) => mapChanges(t).length > 0 || pageChanges(t) > 0);
  return (
    <Section title="Memory" count={tasks.length} testId="diff-memory">
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Mappings</th>
            <th scope="col">Resident pages A → B</th>
            <th scope="col">Pages changed</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.pid}>
              <td>{pidLink(t.pid)}</td>
              <td class="mono">
                <Lines lines={mapChanges(t)} />
              </td>
              <td class="num">{t.pages ? `${t.pages.resident.a} → ${t.pages.resident.b}` : "–"}</td>
              <td class="mono">{pagesCell(t, pagesCompared)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function mapChanges(t: TaskMemoryDiff): string[] {
  const m = t.maps;
  return [
    ...m.added.map((x) => `+ ${x.start}-${x.end} ${x.protection} ${x.backing}`),
    ...m.removed.map((x) => `− ${x.start}-${x.end} ${x.protection} ${x.backing}`),
    ...m.resized.map((x) => `~ ${x.start} ${x.backing}: end ${x.end.a} → ${x.end.b}`),
    ...m.changed.map((x) => `~ ${x.start}-${x.end}: ${x.protection.a} ${x.backing.a} → ${x.protection.b} ${x.backing.b}`),
  ];
}

function pageChanges(t: TaskMemoryDiff): number {
  const p = t.pages;
  return p ? p.changed.length + p.onlyInA + p.onlyInB + (p.error ? 1 : 0) : 0;
}

function pagesCell(t: TaskMemoryDiff, compared: boolean): ComponentChildren {
  const p = t.pages;
  if (!p) return <span class="muted">{compared ? "no memory of its own" : "not compared"}</span>;
  if (p.error) return <span class="bad">{p.error}</span>;
  const listed = p.changed.slice(0, PAGES_LISTED).join(" ");
  const more = p.changed.length - PAGES_LISTED;
  return (
    <>
      {p.changed.length} differ{p.changed.length > 0 ? `: ${listed}` : ""}
      {more > 0 && <span class="muted"> and {more} more</span>}
      {p.onlyInA > 0 && <div>{p.onlyInA} only in A</div>}
      {p.onlyInB > 0 && <div>{p.onlyInB} only in B</div>}
    </>
  );
}
