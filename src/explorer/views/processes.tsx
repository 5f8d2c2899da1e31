import { useEffect, useMemo, useState } from "preact/hooks";
import type { TaskRow } from "../protocol";
import { LimitsAndSignals } from "./task-signals";

/** The process tree, collapsible and keyboard-navigable, and the selected task's details. */
export function ProcessesView({ tasks, selected, onSelect, onShowFiles, onShowMemory }: {
  tasks: TaskRow[];
  selected: number | undefined;
  onSelect: (pid: number) => void;
  onShowFiles: (pid: number) => void;
  onShowMemory: (pid: number) => void;
}) {
  const byPid = useMemo(() => new Map(tasks.map((t) => [t.pid, t])), [tasks]);
  const roots = useMemo(() => tasks.filter((t) => !byPid.has(t.ppid) || t.ppid === t.pid).map((t) => t.pid), [tasks, byPid]);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  useEffect(() => {
    if (selected === undefined && roots[0] !== undefined) onSelect(roots[0]);
  }, [selected, roots, onSelect]);
  const toggle = (pid: number) => {
    const next = new Set(collapsed);
    if (next.has(pid)) next.delete(pid);
    else next.add(pid);
    setCollapsed(next);
  };
  const task = selected === undefined ? undefined : byPid.get(selected);

  const node = (pid: number, depth: number, seen: Set<number>) => {
    const t = byPid.get(pid);
    if (!t || seen.has(pid)) return null;
    seen.add(pid);
    const open = !collapsed.has(pid);
    return (
      <li key={pid} role="treeitem" aria-expanded={t.children.length ? open : undefined} aria-selected={pid === selected} aria-level={depth + 1}>
        <div class={pid === selected ? "node selected" : "node"}>
          {t.children.length > 0 ? (
            <button class="twist" aria-label={open ? `collapse ${pid}` : `expand ${pid}`} onClick={() => toggle(pid)}>
              {open ? "▾" : "▸"}
            </button>
          ) : (
            <span class="twist" />
          )}
          <button class="link task" data-pid={pid} onClick={() => onSelect(pid)} onKeyDown={(e) => treeKey(e, pid, t, open)}>
            <span class="pid">{pid}</span> {t.comm} <span class={`state ${t.state.toLowerCase()}`}>{t.state}</span>
            {t.threads.length > 1 && <span class="muted"> · {t.threads.length} threads</span>}
            {t.argv && <span class="argv"> {t.argv.join(" ")}</span>}
          </button>
        </div>
        {open && t.children.length > 0 && <ul role="group">{t.children.map((c) => node(c, depth + 1, seen))}</ul>}
      </li>
    );
  };
  // Arrow keys: left collapses, right expands, up and down move between visible tasks.
  const treeKey = (e: KeyboardEvent, pid: number, t: TaskRow, open: boolean) => {
    if (e.key === "ArrowLeft" && open && t.children.length) toggle(pid);
    else if (e.key === "ArrowRight" && !open) toggle(pid);
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>("button.task"));
      const i = buttons.findIndex((b) => b.dataset.pid === String(pid));
      const next = buttons[i + (e.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        next.focus();
        onSelect(Number(next.dataset.pid));
      }
    } else return;
    e.preventDefault();
  };
  const seen = new Set<number>();
  return (
    <section class="split" aria-label="Processes">
      <div class="list">
        <ul role="tree" aria-label="Process tree" class="tree" data-testid="tree">
          {roots.map((r) => node(r, 0, seen))}
        </ul>
      </div>
      <div class="detail" data-testid="task">
        {task && <TaskDetails task={task} onShowFiles={onShowFiles} onShowMemory={onShowMemory} />}
      </div>
    </section>
  );
}

function TaskDetails({ task: t, onShowFiles, onShowMemory }: { task: TaskRow; onShowFiles: (pid: number) => void; onShowMemory: (pid: number) => void }) {
  const facts: [string, string][] = [
    ["PID / PPID / PGID / SID", `${t.pid} / ${t.ppid} / ${t.pgid} / ${t.sid}`],
    ["State", t.state === "Zombie" ? `${t.state} (exit code ${t.exitCode})` : t.state],
    ["Command line", t.argv ? t.argv.join(" ") : "(not in the dump)"],
    ["Executable", t.exe ?? ""],
    ["Working directory", t.cwd ?? ""],
    ["Root", t.root ?? ""],
    ["Threads", t.threads.map((th) => `${th.tid} ${th.comm}`).join(", ")],
  ];
  if (t.umask !== undefined) facts.push(["umask", `0${t.umask.toString(8)}`]);
  const c = t.creds;
  return (
    <div>
      <h2>
        {t.pid} {t.comm}
      </h2>
      <p>
        <button onClick={() => onShowFiles(t.pid)}>Files and sockets ({t.fds.length})</button>{" "}
        <button onClick={() => onShowMemory(t.pid)}>Memory ({t.memoryMaps.length} mappings)</button>
      </p>
      <Facts rows={facts} />
      <h3>Environment</h3>
      {t.environ ? (
        <table class="grid env" data-testid="env">
          <tbody>
            {t.environ.map((entry, i) => {
              const eq = entry.indexOf("=");
              return (
                <tr key={i}>
                  <th scope="row">{eq < 0 ? entry : entry.slice(0, eq)}</th>
                  <td>{eq < 0 ? <span class="muted">(no "=")</span> : entry.slice(eq + 1)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p class="muted">Not in the dump.</p>
      )}
      {c && (
        <>
          <h3>Credentials</h3>
          <Facts
            rows={[
              ["uid / euid / suid / fsuid", `${c.uid} / ${c.euid} / ${c.suid} / ${c.fsuid}`],
              ["gid / egid / sgid / fsgid", `${c.gid} / ${c.egid} / ${c.sgid} / ${c.fsgid}`],
              ["groups", c.groups.join(", ")],
              ["CapEff / CapPrm", `${c.capEff} / ${c.capPrm}`],
              ["CapInh / CapBnd", `${c.capInh} / ${c.capBnd}`],
              ["no_new_privs", String(c.noNewPrivs)],
              ["LSM profile", c.lsmProfile ?? ""],
            ]}
          />
        </>
      )}
      {t.namespaces && (
        <>
          <h3>Namespaces</h3>
          <Facts rows={Object.entries(t.namespaces).map(([k, v]) => [k, String(v)])} />
        </>
      )}
      <LimitsAndSignals task={t} />
    </div>
  );
}

export function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <table class="facts">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
