import { useEffect, useMemo, useState } from "preact/hooks";
import type { WorkerClient } from "../client";
import type { MemberRow } from "../protocol";
import { bytes } from "./format";
import { JsonText } from "./json-text";

type SortKey = "name" | "size" | "magic" | "entries";

/** Every file of the checkpoint, sortable and filterable; an image opens as crit's pretty JSON. */
export function ImagesView({ worker }: { worker: WorkerClient }) {
  const [rows, setRows] = useState<MemberRow[] | undefined>();
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: "name", up: true });
  const [selected, setSelected] = useState<string | undefined>();
  const [shown, setShown] = useState<{ name: string; text: string } | { name: string; error: string } | undefined>();

  useEffect(() => {
    void worker.ask({ op: "members" }).then(setRows);
  }, [worker]);

  useEffect(() => {
    if (!selected) return;
    setShown(undefined);
    worker.ask({ op: "show", name: selected, pretty: true }).then(
      (r) => setShown({ name: r.name, text: r.text }),
      (err: Error) => setShown({ name: selected, error: err.message }),
    );
  }, [worker, selected]);

  const visible = useMemo(() => {
    const needle = filter.toLowerCase();
    const list = (rows ?? []).filter((r) => r.name.toLowerCase().includes(needle) || r.magic.toLowerCase().includes(needle));
    const value = (r: MemberRow): string | number => (sort.key === "entries" ? (r.entries ?? -1) : r[sort.key]);
    return list.sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.up ? c : -c;
    });
  }, [rows, filter, sort]);

  if (!rows) return <p aria-live="polite">Reading the images…</p>;
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.up ? "ascending" : "descending") : "none"}>
      <button class="sort" onClick={() => setSort({ key, up: sort.key === key ? !sort.up : true })}>
        {label}
        {sort.key === key ? (sort.up ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
  return (
    <section class="split" aria-label="Images">
      <div class="list">
        <input type="search" placeholder="Filter by name or type" aria-label="Filter images" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <table class="grid" data-testid="images">
          <thead>
            <tr>
              {header("name", "File")}
              {header("magic", "Type")}
              {header("entries", "Entries")}
              {header("size", "Size")}
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => (
              <tr key={r.name} class={r.name === selected ? "selected" : ""} title={r.error}>
                <td>
                  {r.entries !== undefined ? (
                    <button class="link" onClick={() => setSelected(r.name)} aria-pressed={r.name === selected}>
                      {r.name}
                    </button>
                  ) : (
                    r.name
                  )}
                </td>
                <td>{r.error ? <span class="bad">unreadable</span> : r.magic}</td>
                <td class="num">{r.entries ?? ""}</td>
                <td class="num">{bytes(r.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="detail">
        {!selected && <p class="hint">Select an image to see it as crit's pretty JSON.</p>}
        {selected && !shown && <p aria-live="polite">Decoding {selected}…</p>}
        {shown && "error" in shown && (
          <p class="error" role="alert">
            {shown.error}
          </p>
        )}
        {shown && "text" in shown && <JsonText name={shown.name} text={shown.text} />}
      </div>
    </section>
  );
}
