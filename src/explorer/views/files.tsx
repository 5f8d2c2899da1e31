import { useMemo, useState } from "preact/hooks";
import type { TaskRow } from "../protocol";

type Row = TaskRow["fds"][number] & { pid: number; comm: string; extra: string; peers: { pid: number; fd: number }[] };
type Key = "pid" | "fd" | "type" | "what";

/** Every open file of every task, sortable and filterable; peers of pipes and sockets are links. */
export function FilesView({ tasks, pid, onSelectTask }: { tasks: TaskRow[]; pid: number | undefined; onSelectTask: (pid: number) => void }) {
  const [filter, setFilter] = useState("");
  const [onlyTask, setOnlyTask] = useState(pid !== undefined);
  const [sort, setSort] = useState<{ key: Key; up: boolean }>({ key: "pid", up: true });
  const rows = useMemo(() => tasks.flatMap((t) => t.fds.map((fd): Row => ({ ...fd, pid: t.pid, comm: t.comm, ...details(fd) }))), [tasks]);
  const visible = useMemo(() => {
    const needle = filter.toLowerCase();
    const list = rows.filter(
      (r) => (!onlyTask || pid === undefined || r.pid === pid) && (needle === "" || `${r.type} ${r.what} ${r.extra} ${r.comm}`.toLowerCase().includes(needle)),
    );
    const value = (r: Row) => (sort.key === "pid" ? r.pid * 1e6 + r.fd : sort.key === "fd" ? r.fd : r[sort.key]);
    return list.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.up ? c : -c;
    });
  }, [rows, filter, onlyTask, pid, sort]);
  const header = (key: Key, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.up ? "ascending" : "descending") : "none"}>
      <button class="sort" onClick={() => setSort({ key, up: sort.key === key ? !sort.up : true })}>
        {label}
        {sort.key === key ? (sort.up ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
  return (
    <section aria-label="Files and sockets">
      <div class="toolbar">
        <input type="search" placeholder="Filter (type, path, address…)" aria-label="Filter files" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        {pid !== undefined && (
          <label>
            <input type="checkbox" checked={onlyTask} onChange={(e) => setOnlyTask(e.currentTarget.checked)} /> only task {pid}
          </label>
        )}
        <span class="muted">{visible.length} of {rows.length}</span>
      </div>
      <table class="grid" data-testid="files">
        <thead>
          <tr>
            {header("pid", "Task")}
            {header("fd", "FD")}
            {header("type", "Type")}
            {header("what", "What")}
            <th scope="col">Details</th>
            <th scope="col">Peers</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((r) => (
            <tr key={`${r.pid}:${r.fd}`}>
              <td>
                <button class="link" onClick={() => onSelectTask(r.pid)}>
                  {r.pid}
                </button>{" "}
                <span class="muted">{r.comm}</span>
              </td>
              <td class="num">{r.fd}</td>
              <td>{r.type}</td>
              <td class="mono">{r.what}</td>
              <td>{r.extra}</td>
              <td>
                {r.peers.map((p) => (
                  <button key={`${p.pid}:${p.fd}`} class="link peer" onClick={() => onSelectTask(p.pid)}>
                    {p.pid}:{p.fd}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function details(fd: TaskRow["fds"][number]): { extra: string; peers: { pid: number; fd: number }[] } {
  const f = fd.file;
  switch (f.kind) {
    case "regular":
      return { extra: [`pos ${f.pos}`, f.deleted ? `deleted${f.ghostSize === undefined ? "" : ` (${f.ghostSize} bytes kept)`}` : ""].filter(Boolean).join(", "), peers: [] };
    case "pipe":
    case "fifo":
      return { extra: `${f.end} end, ${f.queuedBytes} bytes queued`, peers: f.peers };
    case "inet":
      return { extra: `${f.family} ${f.protocol} ${f.state}${f.inqBytes === undefined ? "" : `, in ${f.inqBytes} / out ${f.outqBytes} bytes queued`}`, peers: [] };
    case "unix":
      return { extra: `${f.sockType} ${f.state}, ino ${f.ino}${f.peerIno ? ` peer ${f.peerIno}` : ""}, ${f.queuedBytes} bytes queued`, peers: f.peers };
    default:
      return { extra: "", peers: [] };
  }
}
