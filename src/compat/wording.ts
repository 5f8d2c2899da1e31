import { DIRECTIONS, EFFECTS, READERS, all, combine, type Direction, type Effect, type Reader, type ReaderEffects, type Verdicts, verdicts } from "./verdict";

// A finding's message, worded per reader from the same data as its verdicts: what changed (the
// subject), then one clause per hazard naming the readers it hits, e.g. "old protobuf-c and upb
// readers keep only the last of them; old protobuf-es readers ...". The message is worded again
// for the readers and directions someone selects, so that it never names a reader left out nor
// hides which of the selected ones are hit.

/** What some readers do in one direction: "keep only the last of them" after "old upb readers". */
export interface Hazard {
  /** backward: new readers of old data; forward: old readers of new data. */
  direction: Direction;
  readers: readonly Reader[];
  effect: Effect;
  /** A verb phrase for the readers, e.g. "reject the message". */
  says: string;
  /** Who reads, when not "readers" (e.g. "servers"). */
  who?: string;
}

export interface Wording {
  /** What changed, the same for every reader. */
  subject: string;
  hazards: readonly Hazard[];
  /** Said after the hazards, the same for every reader. */
  note?: string;
}

/** One hazard in one direction ("backward", "forward") or in both ("either"). */
export function hazard(direction: Direction | "either", readers: readonly Reader[] | "all", effect: Effect, says: string, who?: string): Hazard[] {
  const list = readers === "all" ? READERS : readers;
  const directions = direction === "either" ? DIRECTIONS : [direction];
  return directions.map((d) => ({ direction: d, readers: list, effect, says, ...(who ? { who } : {}) }));
}

/** The verdicts the hazards add up to: per reader and direction, the worst effect named. */
export function verdictsOf(hazards: readonly Hazard[]): Verdicts {
  let v = verdicts(all("none"), all("none"));
  for (const h of hazards) {
    const e = Object.fromEntries(READERS.map((r) => [r, h.readers.includes(r) ? h.effect : "none"])) as ReaderEffects;
    v = combine(v, h.direction === "backward" ? verdicts(e, all("none")) : verdicts(all("none"), e));
  }
  return v;
}

/** What a reader with each effect does to values of a compared type, for verdicts that come from other rules. */
const GENERIC: Record<Effect, string> = {
  none: "read the same values",
  unknown: "keep some values as unknown fields",
  reencode: "may drop some values on re-encode",
  json: "see its JSON form change",
  value: "misread some values",
  loss: "lose some values",
  error: "fail on some values",
};

/** Hazards in generic words for verdicts found by other rules (a compared type, map entry or extension). */
export function hazardsOf(v: Verdicts): Hazard[] {
  const out: Hazard[] = [];
  for (const d of DIRECTIONS) {
    for (const effect of [...EFFECTS].reverse()) {
      const readers = READERS.filter((r) => v[d][r] === effect);
      if (effect !== "none" && readers.length) out.push({ direction: d, readers, effect, says: GENERIC[effect] });
    }
  }
  return out;
}

/** A report's message, verdicts and wording, the verdicts derived from the hazards. */
export function worded(subject: string, hazards: readonly Hazard[], note?: string) {
  const wording: Wording = { subject, hazards, ...(note ? { note } : {}) };
  return { message: wordFor(wording), verdicts: verdictsOf(hazards), wording };
}

function names(readers: readonly Reader[]): string {
  return readers.length === 1 ? readers[0]! : `${readers.slice(0, -1).join(", ")} and ${readers.at(-1)}`;
}

const AGE: Record<Direction, string> = { backward: "new", forward: "old" };

interface Clause {
  directions: Direction[];
  readers: Reader[];
  says: string;
  who: string;
}

/**
 * The message for the selected readers and directions: each hazard's selected readers, readers
 * with the same words in one direction named together, and a clause that is the same in both
 * directions said once ("of either revision").
 */
export function wordFor(w: Wording, readers: readonly Reader[] = READERS, directions: readonly Direction[] = DIRECTIONS): string {
  const clauses: Clause[] = [];
  for (const h of w.hazards) {
    if (!directions.includes(h.direction)) continue;
    const who = h.who ?? "readers";
    const hit = READERS.filter((r) => readers.includes(r) && h.readers.includes(r));
    if (!hit.length) continue;
    const same = clauses.find((c) => c.says === h.says && c.who === who && c.directions[0] === h.direction);
    if (same) same.readers = READERS.filter((r) => same.readers.includes(r) || hit.includes(r));
    else clauses.push({ directions: [h.direction], readers: hit, says: h.says, who });
  }
  // The same readers saying the same in both directions: one clause.
  const merged: Clause[] = [];
  for (const c of clauses) {
    const twin = merged.find((m) => m.says === c.says && m.who === c.who && m.directions.length === 1 && m.directions[0] !== c.directions[0] && names(m.readers) === names(c.readers));
    if (twin) twin.directions.push(c.directions[0]!);
    else merged.push({ ...c, directions: [...c.directions] });
  }
  const text = merged.map((c) =>
    c.directions.length === 2 ? `${names(c.readers)} ${c.who} of either revision ${c.says}` : `${AGE[c.directions[0]!]} ${names(c.readers)} ${c.who} ${c.says}`,
  );
  if (!text.length && w.hazards.length) text.push(`no effect on ${names(READERS.filter((r) => readers.includes(r)))} readers (${directions.join(", ")})`);
  const note = w.note ? [w.note] : [];
  const rest = [...text, ...note];
  return rest.length ? `${w.subject}: ${rest.join("; ")}` : w.subject;
}
