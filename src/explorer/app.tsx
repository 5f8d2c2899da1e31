import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { WorkerClient } from "./client";
import type { OpenRequest, Overview, TaskRow } from "./protocol";
import { useComparison } from "./views/comparison";
import { DiffView } from "./views/diff";
import { FilesView } from "./views/files";
import { ImagesView } from "./views/images";
import { MemoryView } from "./views/memory";
import { NamespacesView } from "./views/namespaces";
import { OpenBar } from "./views/open-bar";
import { OverviewView } from "./views/overview";
import { ProcessesView } from "./views/processes";

const TABS = [
  ["overview", "Overview"],
  ["processes", "Processes"],
  ["files", "Files and sockets"],
  ["memory", "Memory"],
  ["namespaces", "Mounts and networks"],
  ["diff", "Diff"],
  ["images", "Images"],
] as const;
type Tab = (typeof TABS)[number][0];

export function App({ worker }: { worker: WorkerClient }) {
  const [overview, setOverview] = useState<Overview | undefined>();
  const [tasks, setTasks] = useState<TaskRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<Tab>("overview");
  const [pid, setPid] = useState<number | undefined>();
  const [at, setAt] = useState<bigint | undefined>();
  const comparison = useComparison(worker, overview);
  const pids = useMemo(() => new Set(tasks?.map((t) => t.pid)), [tasks]);

  const open = useCallback(
    async (source: OpenRequest) => {
      setBusy(true);
      setError(undefined);
      setTasks(undefined);
      setPid(undefined);
      setAt(undefined);
      try {
        const o = await worker.ask({ op: "open", source });
        setOverview(o);
        setTab("overview");
        if (o.tasks !== undefined) setTasks(await worker.ask({ op: "tasks" }));
        return true;
      } catch (err) {
        setOverview(undefined);
        setError((err as Error).message);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [worker],
  );

  // Served by `crit explore DUMP [--diff B]`: the dump (and B) offered by the server.
  const { openSecond } = comparison;
  useEffect(() => {
    void fetch("api/source").then(async (response) => {
      if (!response.ok) return;
      const offered = (await response.json()) as { label: string; diff?: { label: string } } | null;
      if (!offered) return;
      if (!(await open({ kind: "http", label: offered.label, base: new URL("api", location.href).href })) || !offered.diff) return;
      setTab("diff");
      await openSecond({ kind: "http", label: offered.diff.label, base: new URL("api/b", location.href).href });
    }, () => undefined);
  }, [open, openSecond]);

  const selectTask = useCallback((p: number) => {
    setPid(p);
    setTab("processes");
  }, []);
  const visible = TABS.filter(([t]) => tasks !== undefined || t === "overview" || t === "images");
  return (
    <div class="app">
      <header>
        <h1>CRIU checkpoint explorer</h1>
        <OpenBar onOpen={open} busy={busy} />
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {overview && (
        <>
          <nav role="tablist" aria-label="Views">
            {visible.map(([t, label]) => (
              <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? "tab active" : "tab"} onClick={() => setTab(t)}>
                {label}
              </button>
            ))}
          </nav>
          <main>
            {tab === "overview" && <OverviewView overview={overview} />}
            {tab === "processes" && tasks && (
              <ProcessesView
                tasks={tasks}
                selected={pid}
                onSelect={setPid}
                onShowFiles={(p) => {
                  setPid(p);
                  setTab("files");
                }}
                onShowMemory={(p) => {
                  setPid(p);
                  setAt(undefined);
                  setTab("memory");
                }}
              />
            )}
            {tab === "files" && tasks && <FilesView tasks={tasks} pid={pid} onSelectTask={selectTask} />}
            {tab === "memory" && tasks && <MemoryView worker={worker} tasks={tasks} pid={pid} onPid={setPid} at={at} onAt={setAt} />}
            {tab === "namespaces" && <NamespacesView worker={worker} />}
            {tab === "diff" && <DiffView first={overview} comparison={comparison} firstPids={pids} onSelectTask={selectTask} />}
            {tab === "images" && <ImagesView worker={worker} />}
          </main>
        </>
      )}
      {!overview && !error && !busy && (
        <p class="hint">Pick a dump folder or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz), or drop one here. Everything is read in this browser; nothing is uploaded.</p>
      )}
    </div>
  );
}
