import type { Finding } from "./rule";
import { wordFor } from "./wording";
import { DIRECTIONS, READERS, severityOf, type Direction, type Reader, type ReaderEffects, type Verdicts } from "./verdict";

// Narrowing findings to the readers and directions someone cares about, e.g. only protobuf-c
// reading old images (CRIU's restore). A reader or direction left out counts as unaffected;
// the severity is recomputed from what remains and the message worded again for the readers
// that remain (wording.ts). Used by the CLI and the buf plugin alike.

export { DIRECTIONS, type Direction } from "./verdict";

export interface Selection {
  readers?: readonly Reader[];
  directions?: readonly Direction[];
  /** Keep findings that only change a JSON form (default true). */
  json?: boolean;
}

function project(v: Verdicts, readers: readonly Reader[], directions: readonly Direction[]): Verdicts {
  const side = (d: Direction): ReaderEffects => {
    const e = {} as ReaderEffects;
    for (const r of READERS) e[r] = directions.includes(d) && readers.includes(r) ? v[d][r] : "none";
    return e;
  };
  return { backward: side("backward"), forward: side("forward") };
}

/** The findings seen by the selected readers and directions; unaffected ones become info. */
export function selectFindings(findings: readonly Finding[], selection: Selection = {}): Finding[] {
  const readers = selection.readers ?? READERS;
  const directions = selection.directions ?? DIRECTIONS;
  const out: Finding[] = [];
  for (const f of findings) {
    if (readers.length === READERS.length && directions.length === DIRECTIONS.length) {
      if (selection.json === false && f.severity === "json") continue;
      out.push(f);
      continue;
    }
    const severity = severityOf(project(f.verdicts, readers, directions));
    // A finding that was breaking for someone stays listed, as compatible, for --all.
    if (selection.json === false && severity === "json") continue;
    const message = f.wording ? wordFor(f.wording, readers, directions) : f.message;
    out.push({ ...f, message, severity, selection: { readers, directions } });
  }
  return out;
}

export function isReader(s: string): s is Reader {
  return (READERS as readonly string[]).includes(s);
}

export function isDirection(s: string): s is Direction {
  return (DIRECTIONS as readonly string[]).includes(s);
}

