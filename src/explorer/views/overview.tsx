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
