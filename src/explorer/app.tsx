import { useCallback, useEffect, useState } from "preact/hooks";
import type { WorkerClient } from "./client";
import type { OpenRequest, Overview } from "./protocol";
import { ImagesView } from "./views/images";
import { OpenBar } from "./views/open-bar";
import { OverviewView } from "./views/overview";

type Tab = "overview" | "images";

export function App({ worker }: { worker: WorkerClient }) {
  const [overview, setOverview] = useState<Overview | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<Tab>("overview");

  const open = useCallback(
    async (source: OpenRequest) => {
      setBusy(true);
      setError(undefined);
      try {
        setOverview(await worker.ask({ op: "open", source }));
        setTab("overview");
      } catch (err) {
        setOverview(undefined);
        setError((err as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [worker],
  );

  // Served by `crit explore DUMP`: the dump is offered by the server.
  useEffect(() => {
    void fetch("api/source").then(async (response) => {
      if (!response.ok) return;
      const offered = (await response.json()) as { label: string } | null;
      if (!offered) return;
      const { label } = offered;
      await open({ kind: "http", label, base: new URL("api", location.href).href });
    }, () => undefined);
  }, [open]);

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
            {(["overview", "images"] as const).map((t) => (
              <button key={t} role="tab" aria-selected={tab === t} class={tab === t ? "tab active" : "tab"} onClick={() => setTab(t)}>
                {t === "overview" ? "Overview" : "Images"}
              </button>
            ))}
          </nav>
          <main>
            {tab === "overview" && <OverviewView overview={overview} />}
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
