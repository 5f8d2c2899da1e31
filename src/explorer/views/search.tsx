import { useState } from "preact/hooks";
import type { WorkerClient } from "../client";
import type { HitRow, SearchRequest, TaskRow } from "../protocol";
import { hex } from "./memory";

type Kind = "text" | "hex" | "regex";

/** Search every task's memory (or one task's) in the worker, with progress and cancel. */
export function SearchPanel({ worker, tasks, onHit }: { worker: WorkerClient; tasks: TaskRow[]; onHit: (pid: number, address: bigint) => void }) {
  const [kind, setKind] = useState<Kind>("text");
  const [text, setText] = useState("");
  const [pid, setPid] = useState("all");
  const [running, setRunning] = useState<number | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [result, setResult] = useState<{ hits: HitRow[]; bytes: number; cancelled: boolean } | { error: string } | undefined>();

  const run = (e: Event) => {
    e.preventDefault();
    if (!text) return;
    const pattern: SearchRequest = kind === "text" ? { literal: text } : kind === "hex" ? { hex: text } : { regex: text };
    setResult(undefined);
    setProgress(undefined);
    const asked = worker.start({ op: "search", pattern, context: 16, ...(pid === "all" ? {} : { pids: [Number(pid)] }) }, setProgress);
    setRunning(asked.id);
    asked.result.then(setResult, (err: Error) => setResult({ error: err.message })).finally(() => setRunning(undefined));
  };
  return (
    <section class="search" aria-label="Search memory">
      <h3>Search memory</h3>
      <form class="toolbar" onSubmit={run}>
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)} aria-label="Pattern kind">
          <option value="text">text</option>
          <option value="hex">hex bytes</option>
          <option value="regex">regular expression</option>
        </select>
        <input value={text} onInput={(e) => setText(e.currentTarget.value)} aria-label="Pattern" placeholder="needle" size={30} data-testid="search-input" />
        <select value={pid} onChange={(e) => setPid(e.currentTarget.value)} aria-label="Tasks to search">
          <option value="all">every task</option>
          {tasks.map((t) => (
            <option key={t.pid} value={t.pid}>
              {t.pid} {t.comm}
            </option>
          ))}
        </select>
        <button type="submit" disabled={running !== undefined}>
          Search
        </button>
        {running !== undefined && (
          <button type="button" onClick={() => worker.cancel(running)}>
            Cancel
          </button>
        )}
        {running !== undefined && progress && <progress max={progress.total} value={progress.done} aria-label="Search progress" />}
      </form>
      {result && "error" in result && <p class="error">{result.error}</p>}
      {result && "hits" in result && (
        <>
          <p class="muted" data-testid="search-summary">
            {result.hits.length} hit{result.hits.length === 1 ? "" : "s"} in {result.bytes} bytes{result.cancelled ? " (cancelled)" : ""}
          </p>
          <table class="grid" data-testid="hits">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Address</th>
                <th scope="col">Mapping</th>
                <th scope="col">Context</th>
              </tr>
            </thead>
            <tbody>
              {result.hits.map((h) => (
                <tr key={`${h.pid}:${h.address}`}>
                  <td>{h.pid}</td>
                  <td class="mono">
                    <button class="link" onClick={() => onHit(h.pid, h.address)}>
                      {hex(h.address)}
                    </button>
                  </td>
                  <td class="mono">{h.mapping}</td>
                  <td class="mono">
                    <span class="muted">{printable(h.before)}</span>
                    <mark>{printable(h.match)}</mark>
                    <span class="muted">{printable(h.after)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function printable(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
  return s;
}
