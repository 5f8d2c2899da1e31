import { useEffect, useState } from "preact/hooks";
import type { WorkerClient } from "../client";
import type { MapRow, TaskRow } from "../protocol";
import { bytes } from "./format";
import { HexView } from "./hex";
import { SearchPanel } from "./search";

const COLORS: Record<string, string> = {
  file: "#4c78a8",
  anon: "#9d9d9d",
  heap: "#e45756",
  stack: "#f58518",
  vdso: "#54a24b",
  vsyscall: "#54a24b",
  shmem: "#b279a2",
  sysvipc: "#b279a2",
  packet: "#72b7b2",
};

export const hex = (n: bigint) => `0x${n.toString(16)}`;

/** A task's address space as a picture and a table, the hex viewer, and search over memory. */
export function MemoryView({ worker, tasks, pid, onPid, at, onAt }: {
  worker: WorkerClient;
  tasks: TaskRow[];
  pid: number | undefined;
  onPid: (pid: number) => void;
  at: bigint | undefined;
  onAt: (address: bigint) => void;
}) {
  const [maps, setMaps] = useState<MapRow[] | { error: string } | undefined>();
  const current = pid ?? tasks[0]?.pid;
  useEffect(() => {
    if (current === undefined) return;
    setMaps(undefined);
    worker.ask({ op: "maps", pid: current }).then(setMaps, (err: Error) => setMaps({ error: err.message }));
  }, [worker, current]);
  const list = Array.isArray(maps) ? maps : [];
  return (
    <section aria-label="Memory">
      <div class="toolbar">
        <label>
          Task{" "}
          <select value={current} onChange={(e) => onPid(Number(e.currentTarget.value))} aria-label="Task">
            {tasks.map((t) => (
              <option key={t.pid} value={t.pid}>
                {t.pid} {t.comm}
              </option>
            ))}
          </select>
        </label>
      </div>
      {maps && "error" in maps && <p class="error">{maps.error}</p>}
      {list.length > 0 && <MapPicture maps={list} onPick={(m) => onAt(m.start)} />}
      <div class="split memory-split">
        <div class="list">
          <table class="grid" data-testid="maps">
            <thead>
              <tr>
                <th scope="col">Start</th>
                <th scope="col">Size</th>
                <th scope="col">Prot</th>
                <th scope="col">Kind</th>
                <th scope="col">Backing</th>
                <th scope="col">Pages</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={String(m.start)}>
                  <td class="mono">
                    <button class="link" onClick={() => onAt(m.start)}>
                      {hex(m.start)}
                    </button>
                  </td>
                  <td class="num">{bytes(Number(m.end - m.start))}</td>
                  <td class="mono">{m.protection + (m.shared ? "s" : "p")}</td>
                  <td>
                    <span class="swatch" style={{ background: COLORS[m.kind] ?? "#ccc" }} /> {m.kind}
                  </td>
                  <td class="mono">{m.path ?? ""}</td>
                  <td class="num">{m.residentPages}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="detail">
          {current !== undefined && <HexView worker={worker} pid={current} maps={list} at={at ?? list[0]?.start} onAt={onAt} />}
        </div>
      </div>
      <SearchPanel worker={worker} tasks={tasks} onHit={(hitPid, address) => { onPid(hitPid); onAt(address); }} />
    </section>
  );
}

/** Each mapping drawn in address order, its width on a log scale of its size, coloured by kind. */
function MapPicture({ maps, onPick }: { maps: MapRow[]; onPick: (m: MapRow) => void }) {
  const widths = maps.map((m) => 6 + 10 * Math.log2(Math.max(1, Number(m.end - m.start) / 4096)));
  const gap = 3;
  const total = widths.reduce((a, b) => a + b, 0) + gap * maps.length;
  let x = 0;
  return (
    <svg class="mapbar" viewBox={`0 0 ${total} 40`} preserveAspectRatio="none" role="img" aria-label="Memory map, widths on a log scale of size" data-testid="map-picture">
      {maps.map((m, i) => {
        const at = x;
        x += widths[i]! + gap;
        return (
          <rect key={String(m.start)} x={at} y={4} width={widths[i]} height={32} fill={COLORS[m.kind] ?? "#ccc"} onClick={() => onPick(m)}>
            <title>{`${hex(m.start)}-${hex(m.end)} ${m.protection} ${m.kind} ${m.path ?? ""} (${bytes(Number(m.end - m.start))})`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
