import { useEffect, useState } from "preact/hooks";
import type { WorkerClient } from "../client";
import type { MapRow, MemoryBytes } from "../protocol";
import { hex } from "./memory";

const ROWS = 24;
const WIDTH = 16n;

/**
 * A window of ROWS rows of a task's memory. Only the window is read (from the worker), so a
 * mapping of any size scrolls alike: the slider spans the mapping, the wheel and keys move by rows.
 */
export function HexView({ worker, pid, maps, at, onAt }: { worker: WorkerClient; pid: number; maps: MapRow[]; at: bigint | undefined; onAt: (a: bigint) => void }) {
  const top = at === undefined ? undefined : at - (at % WIDTH);
  const [data, setData] = useState<MemoryBytes | { error: string } | undefined>();
  const [goto, setGoto] = useState("");
  const mapping = top === undefined ? undefined : maps.find((m) => m.start <= top && top < m.end);

  useEffect(() => {
    if (top === undefined) return;
    let live = true;
    worker.ask({ op: "memory", pid, address: top, length: ROWS * 16 }).then(
      (r) => live && setData(r),
      (err: Error) => live && setData({ error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [worker, pid, top]);

  if (top === undefined) return <p class="hint">Select a mapping to see its bytes.</p>;
  const move = (rows: number) => {
    const next = top + BigInt(rows) * WIDTH;
    onAt(next < 0n ? 0n : next);
  };
  const lines: string[] = [];
  if (data && "bytes" in data) {
    for (let r = 0; r < ROWS; r++) {
      const address = top + BigInt(r) * WIDTH;
      let hexes = "";
      let ascii = "";
      for (let i = 0; i < 16; i++) {
        const a = address + BigInt(i);
        const gone = data.missing.some((g) => g.start <= a && a < g.end);
        const b = data.bytes[r * 16 + i] ?? 0;
        hexes += (gone ? "··" : b.toString(16).padStart(2, "0")) + (i === 7 ? "  " : " ");
        ascii += gone ? " " : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      }
      lines.push(`${address.toString(16).padStart(16, "0")}  ${hexes} |${ascii}|`);
    }
  }
  const span = mapping ? Number((mapping.end - mapping.start) / WIDTH) : 0;
  return (
    <div
      class="hex"
      tabIndex={0}
      aria-label="Hex viewer"
      onWheel={(e) => {
        e.preventDefault();
        move(e.deltaY > 0 ? 3 : -3);
      }}
      onKeyDown={(e) => {
        const rows = { ArrowDown: 1, ArrowUp: -1, PageDown: ROWS, PageUp: -ROWS }[e.key];
        if (rows !== undefined) {
          e.preventDefault();
          move(rows);
        }
      }}
    >
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const clean = goto.trim().replace(/^0x/i, "");
          if (/^[0-9a-f]+$/i.test(clean)) onAt(BigInt(`0x${clean}`));
        }}
      >
        <label>
          Go to <input value={goto} onInput={(e) => setGoto(e.currentTarget.value)} placeholder="0x7ffd…" aria-label="Go to address" size={18} />
        </label>
        <button type="submit">Go</button>
        <span class="muted">
          task {pid}
          {mapping ? ` · ${mapping.path ?? mapping.kind} ${hex(mapping.start)}-${hex(mapping.end)} ${mapping.protection}` : " · outside every mapping"}
        </span>
      </form>
      {mapping && span > ROWS && (
        <input
          type="range"
          class="scroll"
          aria-label="Position in the mapping"
          min={0}
          max={span - ROWS}
          value={Number((top - mapping.start) / WIDTH)}
          onInput={(e) => onAt(mapping.start + BigInt(e.currentTarget.value) * WIDTH)}
        />
      )}
      {data && "error" in data && <p class="error">{data.error}</p>}
      <pre class="hexrows" data-testid="hex">
        {lines.join("\n")}
      </pre>
    </div>
  );
}
