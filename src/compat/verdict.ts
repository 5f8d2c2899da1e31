/**
 * What one reader makes of data written under the other revision. Ordered from harmless to
 * worst, so that the worst of several effects is the one with the highest index.
 *
 * - `none`: reads the same values.
 * - `unknown`: the reader does not understand the value and keeps it as an unknown field, as it
 *   does for any field added after it was built; nothing is lost on re-encode.
 * - `reencode`: reads as `unknown`, but a decode → encode round trip by this reader may drop the
 *   value (protobuf-es and closed-enum numbers it does not know).
 * - `json`: the binary read is fine, but a JSON rendering (ProtoJSON or crit's JSON) differs.
 * - `value`: reads, but a value changes meaning (sign, truncation, another default, ...).
 * - `loss`: reads, but a value is dropped or no longer reachable.
 * - `error`: the read (or, for protobuf-es, the next encode) fails.
 */
export const EFFECTS = ["none", "unknown", "reencode", "json", "value", "loss", "error"] as const;
export type Effect = (typeof EFFECTS)[number];

/**
 * The readers whose behaviour differs (schema-compat-anchors.md §2.7): protobuf-c as CRIU's dump
 * and restore use it, upb/C++ as Python crit uses it, and protobuf-es as this package uses it.
 */
export const READERS = ["protobuf-c", "upb", "protobuf-es"] as const;
export type Reader = (typeof READERS)[number];

export type ReaderEffects = Record<Reader, Effect>;

/** backward: new readers of old data; forward: old readers of new data. */
export type Direction = "backward" | "forward";
export const DIRECTIONS: readonly Direction[] = ["backward", "forward"];

/**
 * backward: the new schema reads data written under the old one (new tools, old images).
 * forward: the old schema reads data written under the new one (old tools, new images).
 */
export interface Verdicts {
  backward: ReaderEffects;
  forward: ReaderEffects;
}

/**
 * breaking: some reader errs, loses or misreads a value; json: only a JSON form changes;
 * reencode: only a reader's re-encode may drop a value it kept as unknown; info: compatible.
 */
export type Severity = "breaking" | "json" | "reencode" | "info";

/** Severities from worst to harmless. */
export const SEVERITIES: readonly Severity[] = ["breaking", "json", "reencode", "info"];

/** The same effect for every reader. */
export function all(effect: Effect): ReaderEffects {
  return { "protobuf-c": effect, upb: effect, "protobuf-es": effect };
}

/** Effects per reader, given as [protobuf-c, upb, protobuf-es]. */
export function each(pbc: Effect, upb: Effect, es: Effect): ReaderEffects {
  return { "protobuf-c": pbc, upb, "protobuf-es": es };
}

export function verdicts(backward: ReaderEffects, forward: ReaderEffects): Verdicts {
  return { backward, forward };
}

/** The verdicts seen from the other side: old and new swapped. */
export function mirror(v: Verdicts): Verdicts {
  return { backward: v.forward, forward: v.backward };
}

export function worse(a: Effect, b: Effect): Effect {
  return EFFECTS.indexOf(a) >= EFFECTS.indexOf(b) ? a : b;
}

/** Reader by reader, direction by direction, the worse of two verdicts. */
export function combine(a: Verdicts, b: Verdicts): Verdicts {
  const pick = (x: ReaderEffects, y: ReaderEffects): ReaderEffects =>
    each(worse(x["protobuf-c"], y["protobuf-c"]), worse(x.upb, y.upb), worse(x["protobuf-es"], y["protobuf-es"]));
  return { backward: pick(a.backward, b.backward), forward: pick(a.forward, b.forward) };
}

export function worstEffect(v: Verdicts): Effect {
  let worst: Effect = "none";
  for (const side of [v.backward, v.forward]) for (const r of READERS) worst = worse(worst, side[r]);
  return worst;
}

/** breaking when some reader errs, loses or misreads a value; json when only JSON differs. */
export function severityOf(v: Verdicts): Severity {
  const worst = worstEffect(v);
  if (worst === "value" || worst === "loss" || worst === "error") return "breaking";
  if (worst === "json") return "json";
  return worst === "reencode" ? "reencode" : "info";
}

export const NO_EFFECT: Verdicts = verdicts(all("none"), all("none"));
