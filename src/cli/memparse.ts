// `crit memparse DUMP [--pid PID] [--search S | --search-regex R | --search-hex H] [--context N]
// [--format text|json]`: argument parsing and printing only; the work is in src/checkpoint/memory.

import {
  hexdumpHeader,
  hexdumpRows,
  hexRowJson,
  hitJson,
  memorySizes,
  openMemoryDump,
  openTaskMemory,
  renderHexRow,
  renderHits,
  renderSizes,
  searchAtOpen,
  searchMemory,
  sizesJson,
  type MemoryHit,
  type SearchPattern,
} from "../checkpoint/memory/index";
import { openDumpSource, openParentSources } from "./dump-source";
import { writeOutput } from "./output";
import { progressOnStderr, type Progress } from "./progress";

export interface MemparseValues {
  pid?: string;
  search?: string;
  "search-regex"?: string;
  "search-hex"?: string;
  context?: string;
  format?: string;
}

export async function memparse(values: MemparseValues, path: string, quiet = false): Promise<void> {
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new Error(`memparse: --format must be text or json, not ${JSON.stringify(format)}`);
  const pid = values.pid === undefined ? undefined : integer("--pid", values.pid);
  const context = values.context === undefined ? 0 : integer("--context", values.context);
  const pattern = searchPattern(values);
  // A search runs in the pass that opens a compressed archive (one pass instead of two); it shows
  // its own progress (memory searched) where it reads the pages itself (a directory, a plain tar).
  const atOpen = pattern && searchAtOpen(pattern, { context });
  const source = await openDumpSource(path, { quiet, ...(atOpen ? { tap: atOpen.tap } : {}) });
  const randomAccess = source.randomAccess;
  try {
    const dump = await openMemoryDump(source, { parents: await openParentSources(path) });
    if (pattern) {
      const hits: MemoryHit[] = [];
      const summary = await searchMemory(dump, pattern, (hit) => void hits.push(hit), {
        pids: pid === undefined ? undefined : [pid],
        context,
        onProgress: searchProgress(quiet || !randomAccess),
        ...(atOpen ? { atOpen } : {}),
      });
      const skipped = summary.skipped.find((s) => s.pid === pid);
      if (skipped) throw new Error(`memparse: task ${pid}: ${skipped.why}`);
      hits.sort((a, b) => a.pid - b.pid || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
      if (format === "json") await writeOutput(undefined, `${JSON.stringify(hits.map(hitJson), null, 2)}\n`);
      else await writeOutput(undefined, hits.length ? renderHits(hits) : `No matches for pattern in the memory of ${pid === undefined ? "any task" : `PID ${pid}`}\n`);
    } else if (pid !== undefined) {
      const memory = await openTaskMemory(dump, pid);
      await writeOutput(undefined, format === "json" ? hexdumpJson(pid, hexdumpRows(memory)) : hexdumpText(pid, source.label, hexdumpRows(memory)));
    } else {
      const sizes = await memorySizes(dump);
      await writeOutput(undefined, format === "json" ? `${JSON.stringify(sizesJson(sizes), null, 2)}\n` : renderSizes(source.label, sizes));
    }
  } finally {
    await source.close();
  }
}

function searchPattern(values: { search?: string; "search-regex"?: string; "search-hex"?: string }): SearchPattern | undefined {
  const given = [values.search, values["search-regex"], values["search-hex"]].filter((v) => v !== undefined);
  if (given.length > 1) throw new Error("memparse: give one of --search, --search-regex and --search-hex");
  if (values.search !== undefined) return { literal: values.search };
  if (values["search-regex"] !== undefined) return { regex: values["search-regex"] };
  if (values["search-hex"] !== undefined) return { hex: values["search-hex"] };
  return undefined;
}

function integer(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`memparse: ${option} must be a non-negative integer, not ${JSON.stringify(text)}`);
  return Number(text);
}

async function* hexdumpText(pid: number, label: string, rows: AsyncIterable<Parameters<typeof renderHexRow>[0]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = hexdumpHeader(pid, label);
  for await (const row of rows) {
    text += renderHexRow(row);
    if (text.length > 1 << 16) yield encoder.encode(text), (text = "");
  }
  yield encoder.encode(text);
}

async function* hexdumpJson(pid: number, rows: AsyncIterable<Parameters<typeof renderHexRow>[0]>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = `{"pid": ${pid}, "rows": [`;
  let first = true;
  for await (const row of rows) {
    text += `${first ? "\n" : ",\n"}  ${JSON.stringify(hexRowJson(row))}`;
    first = false;
    if (text.length > 1 << 16) yield encoder.encode(text), (text = "");
  }
  yield encoder.encode(`${text}\n]}\n`);
}

/** The search's progress on stderr (bytes of memory searched), only on a terminal and without --quiet. */
function searchProgress(quiet: boolean): ((p: { done: number; total: number }) => void) | undefined {
  let progress: Progress | undefined;
  let at = 0;
  return ({ done, total }) => {
    progress ??= progressOnStderr("searching memory", total, quiet);
    progress.add(done - at);
    at = done;
    if (done >= total) progress.end();
  };
}
