import type { EnumModel, MessageModel, SchemaModel } from "./model";

/** Old full name → new full name, for every message and enum found in both revisions. */
export interface Matching {
  messages: Map<string, string>;
  enums: Map<string, string>;
}

/**
 * Pairs types by full name, then pairs the leftovers that have the same shape: a rename is a
 * type missing under its old name with exactly one new type of its shape, and vice versa.
 */
export function matchTypes(old: SchemaModel, now: SchemaModel): Matching {
  const messages = byName(old.messages, now.messages);
  const enums = byName(old.enums, now.enums);
  pairLeftovers(old.messages, now.messages, messages, (a, b) => sameMessageShape(a, b, old, now));
  pairLeftovers(old.enums, now.enums, enums, sameEnumShape);
  return { messages, enums };
}

function byName<T>(old: Map<string, T>, now: Map<string, T>): Map<string, string> {
  return new Map([...old.keys()].filter((n) => now.has(n)).map((n) => [n, n]));
}

function pairLeftovers<T>(old: Map<string, T>, now: Map<string, T>, pairs: Map<string, string>, same: (a: T, b: T) => boolean) {
  const taken = new Set(pairs.values());
  const oldLeft = [...old.keys()].filter((n) => !pairs.has(n));
  const newLeft = [...now.keys()].filter((n) => !taken.has(n));
  for (const o of oldLeft) {
    const candidates = newLeft.filter((n) => same(old.get(o)!, now.get(n)!));
    if (candidates.length !== 1) continue;
    const n = candidates[0]!;
    const back = oldLeft.filter((x) => same(old.get(x)!, now.get(n)!));
    if (back.length === 1) pairs.set(o, n);
  }
}

/**
 * Same field numbers, names, kinds and labels; a referenced type is either the same name or,
 * on both sides, a name the other revision lacks (itself renamed). Shallow on purpose: the
 * rules then compare the pair in depth.
 */
function sameMessageShape(a: MessageModel, b: MessageModel, old: SchemaModel, now: SchemaModel): boolean {
  if (a.fields.length !== b.fields.length || a.fields.length === 0) return false;
  return a.fields.every((f) => {
    const g = b.byNumber.get(f.number);
    if (!g || g.name !== f.name || g.kind !== f.kind || g.label !== f.label) return false;
    if (f.typeName === g.typeName) return true;
    const missing = (name: string | undefined, schema: SchemaModel) => !!name && !schema.messages.has(name) && !schema.enums.has(name);
    return missing(f.typeName, now) && missing(g.typeName, old);
  });
}

function sameEnumShape(a: EnumModel, b: EnumModel): boolean {
  const text = (e: EnumModel) => e.values.map((v) => `${v.name}=${v.number}`).sort().join(",");
  return a.values.length > 0 && text(a) === text(b);
}
