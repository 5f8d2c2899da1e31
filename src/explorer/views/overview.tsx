import type { Overview } from "../protocol";
import { bytes } from "./format";

export function OverviewView({ overview: o }: { overview: Overview }) {
  const rows: [string, string][] = [
    ["Source", `${o.label} (${o.format})`],
    ["Files", `${o.members} (${bytes(o.totalBytes)})`],
    ["Images", `${o.images}${o.imageDir ? ` under ${o.imageDir}` : ""}`],
    ["Memory pages", bytes(o.pagesBytes)],
  ];
  if (o.tasks !== undefined) rows.push(["Tasks", String(o.tasks)]);
  if (o.criuImageVersion !== undefined) rows.push(["CRIU image version", String(o.criuImageVersion)]);
  if (o.rootFsDiffBytes) rows.push(["Root FS diff", `${bytes(o.rootFsDiffBytes)}${o.rootFs ? ` (${o.rootFs.added} files added or changed, ${o.rootFs.deleted} deleted)` : ""}`]);
  if (o.deadTasks?.length) rows.push(["Exited tasks", o.deadTasks.join(", ")]);
  const e = o.engine;
  const engineRows: [string, string][] = e
    ? [
        ["Engine", e.engine],
        ["Container", e.containerName],
        ["Image", e.image],
        ["ID", e.id],
        ["Runtime", e.runtime],
        ["Created", e.created],
        ...(e.checkpointed ? ([["Checkpointed", e.checkpointed]] as [string, string][]) : []),
        ...(e.podName ? ([["Pod", `${e.namespace ?? ""}/${e.podName}`]] as [string, string][]) : []),
      ]
    : [];
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
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
      {engineRows.length > 0 && (
        <>
          <h3>Container</h3>
          <table class="facts" data-testid="engine">
            <tbody>
              {engineRows.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {o.dumpStats && (
        <>
          <h3>Dump statistics</h3>
          <table class="facts">
            <tbody>
              {Object.entries(o.dumpStats).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {o.inventory && (
        <>
          <h3>inventory.img</h3>
          <table class="facts" data-testid="inventory">
            <tbody>
              {Object.entries(o.inventory).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{typeof v === "object" ? JSON.stringify(v) : String(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {o.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul class="warnings">
            {o.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
