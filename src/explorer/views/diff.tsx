import type { Overview } from "../protocol";
import type { Comparison } from "./comparison";
import { FileChanges, MemoryChanges, ProcessChanges, SocketChanges, type PidLink } from "./diff-sections";
import { bytes } from "./format";
import { SourcePickers } from "./open-bar";

/** The diff view: a second checkpoint picked in the page, compared with the first in the worker. */
export function DiffView({ first, comparison: c, firstPids, onSelectTask }: {
  first: Overview;
  comparison: Comparison;
  firstPids: ReadonlySet<number>;
  onSelectTask: (pid: number) => void;
}) {
  const pidLink: PidLink = (pid) =>
    firstPids.has(pid) ? (
      <button class="link" onClick={() => onSelectTask(pid)} aria-label={`task ${pid} in the Processes view`}>
        {pid}
      </button>
    ) : (
      <span title="not in the first checkpoint">{pid}</span>
    );
  return (
    <section aria-label="Diff">
      <h2>Compare with a second checkpoint</h2>
      <table class="facts" data-testid="diff-sides">
        <tbody>
          <tr>
            <th scope="row">A (this checkpoint)</th>
            <td>{first.label}</td>
          </tr>
          <tr>
            <th scope="row">B</th>
            <td>{c.second ? c.second.label : <span class="muted">none yet: pick a dump folder or an archive</span>}</td>
          </tr>
        </tbody>
      </table>
      <div class="toolbar">
        <SourcePickers
          onOpen={c.openSecond}
          busy={c.opening}
          prefix="second-"
          folderLabel={c.second ? "Open another dump folder as B…" : "Open a dump folder as B…"}
          archiveLabel={c.second ? "Open another archive as B…" : "Open an archive as B…"}
        />
        {c.second && !c.opening && <button onClick={c.closeSecond}>Close B</button>}
        {c.opening && (
          <span class="busy" aria-live="polite">
            Reading…
          </span>
        )}
      </div>
      {c.error && (
        <p class="error" role="alert">
          {c.error}
        </p>
      )}
      {c.result && (
        <>
          <Summary comparison={c} />
          <ProcessChanges diff={c.result.diff} pidLink={pidLink} />
          <FileChanges diff={c.result.diff} pidLink={pidLink} />
          <SocketChanges diff={c.result.diff} pidLink={pidLink} />
          <MemoryChanges diff={c.result.diff} pidLink={pidLink} pagesCompared={c.pages.state === "compared"} />
        </>
      )}
    </section>
  );
}

function Summary({ comparison: c }: { comparison: Comparison }) {
  const { diff: d, counts } = c.result!;
  const p = d.processes;
  const none = counts.processes + counts.files + counts.sockets + counts.maps + counts.pages === 0;
  const compared = c.pages.state === "compared";
  const [ca, cb] = [d.a.container, d.b.container];
  return (
    <div class="diff-summary">
      {d.sameContainer === false && (
        <p>
          Two containers: <strong>{ca!.name}</strong> and <strong>{cb!.name}</strong>.
        </p>
      )}
      <p data-testid="diff-verdict" aria-live="polite">
        {none ? (compared ? "No changes: the two checkpoints hold the same processes, files, sockets, mappings and pages." : "No changes in processes, files, sockets and mappings; pages not compared yet.") : "Changes from A to B:"}
      </p>
      <table class="facts" data-testid="diff-summary">
        <tbody>
          <tr>
            <th scope="row">Processes</th>
            <td>
              {counts.processes} (+{p.added.length} −{p.removed.length} ~{p.changed.length}, {p.unchanged.length} unchanged)
            </td>
          </tr>
          <tr>
            <th scope="row">Files</th>
            <td>{counts.files} (+{d.files.opened.length} −{d.files.closed.length} ~{d.files.changed.length})</td>
          </tr>
          <tr>
            <th scope="row">Sockets</th>
            <td>{counts.sockets} (+{d.sockets.added.length} −{d.sockets.removed.length} ~{d.sockets.changed.length})</td>
          </tr>
          <tr>
            <th scope="row">Memory mappings</th>
            <td>{counts.maps}</td>
          </tr>
          <tr>
            <th scope="row">Pages</th>
            <td>
              <PagesSummary comparison={c} />
            </td>
          </tr>
          <tr>
            <th scope="row">pages-*.img</th>
            <td>
              {bytes(d.a.pagesBytes)} → {bytes(d.b.pagesBytes)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function PagesSummary({ comparison: c }: { comparison: Comparison }) {
  const s = c.pages;
  if (s.state === "compared") return <span data-testid="diff-pages">{c.result!.counts.pages}</span>;
  if (s.state === "running") {
    return (
      <span data-testid="diff-pages">
        comparing…{" "}
        {s.progress && (
          <progress max={s.progress.total} value={s.progress.done} aria-label="Page comparison progress">
            {bytes(s.progress.done)} of {bytes(s.progress.total)}
          </progress>
        )}{" "}
        <button onClick={c.cancelPages}>Cancel</button>
      </span>
    );
  }
  return (
    <span data-testid="diff-pages">
      {s.state === "cancelled" ? "comparison cancelled" : "not compared"} <button onClick={c.comparePages}>Compare pages</button>
    </span>
  );
}
