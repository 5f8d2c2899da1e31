import type { EnumModel, FieldModel, MessageModel, SchemaModel } from "./model";

/** Old full name → new full name, for every message and enum found in both revisions. */
export interface Matching {
  messages: Map<string, string>;
  enums: Map<string, string>;
  /** Old types left unpaired because several new types have their shape: the candidates. */
  copies: Map<string, string[]>;
}

/**
 * Pairs types by full name, then the leftovers:
 * 1. by references: an element found in both revisions (a field under the same number, a
 *    method, an extension) that referred to old type A and now refers to new type B pairs A
 *    with B when neither name exists on the other side (a type renamed, moved, or renamed and
 *    extended); the nested types of a pair are paired by their own names;
 * 2. by shape: a type missing under its old name with exactly one new type of its shape, and
 *    vice versa (across packages too).
 */
export function matchTypes(old: SchemaModel, now: SchemaModel): Matching {
  const matching: Matching = { messages: byName(old.messages, now.messages), enums: byName(old.enums, now.enums), copies: new Map() };
  pairByReferences(old, now, matching);
  pairLeftovers(old.messages, now.messages, matching.messages, matching.copies, (a, b) => sameMessageShape(a, b, old, now));
  pairLeftovers(old.enums, now.enums, matching.enums, matching.copies, sameEnumShape);
  return matching;
}

function byName<T>(old: Map<string, T>, now: Map<string, T>): Map<string, string> {
  return new Map([...old.keys()].filter((n) => now.has(n)).map((n) => [n, n]));
}

/** Pairs of (old type name, new type name) that some surviving element refers to. */
function references(old: SchemaModel, now: SchemaModel, matching: Matching): [string, string][] {
  const out: [string, string][] = [];
  const fields = (a: FieldModel | undefined, b: FieldModel | undefined) => {
    if (a?.typeName && b?.typeName && a.kind === b.kind) out.push([a.typeName, b.typeName]);
  };
  for (const [o, n] of matching.messages) {
    const a = old.messages.get(o)!;
    const b = now.messages.get(n)!;
    for (const f of a.fields) fields(f, b.byNumber.get(f.number));
  }
  for (const [key, x] of old.extensions) fields(x, now.extensions.get(key));
  for (const [name, s] of old.services) {
    const t = now.services.get(name);
    for (const [m, method] of s.methods) {
      const other = t?.methods.get(m);
      if (other) out.push([method.input, other.input], [method.output, other.output]);
    }
  }
  return out;
}

function pairByReferences(old: SchemaModel, now: SchemaModel, matching: Matching) {
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of references(old, now, matching)) {
      const kind = old.messages.has(a) && now.messages.has(b) ? "messages" : old.enums.has(a) && now.enums.has(b) ? "enums" : undefined;
      if (!kind || a === b) continue;
      const pairs = matching[kind];
      const taken = new Set(pairs.values());
      if (pairs.has(a) || taken.has(b) || (kind === "messages" ? now.messages.has(a) || old.messages.has(b) : now.enums.has(a) || old.enums.has(b))) continue;
      pairs.set(a, b);
      pairNested(old, now, matching, a, b);
      changed = true;
    }
  }
}

/** The nested types of a renamed pair, paired by their own names. */
function pairNested(old: SchemaModel, now: SchemaModel, matching: Matching, a: string, b: string) {
  for (const kind of ["messages", "enums"] as const) {
    const taken = new Set(matching[kind].values());
    for (const name of old[kind].keys()) {
      if (!name.startsWith(`${a}.`) || matching[kind].has(name)) continue;
      const target = b + name.slice(a.length);
      if (now[kind].has(target) && !taken.has(target) && !old[kind].has(target)) {
        matching[kind].set(name, target);
        if (kind === "messages") pairNested(old, now, matching, name, target);
      }
    }
  }
}

function pairLeftovers<T>(old: Map<string, T>, now: Map<string, T>, pairs: Map<string, string>, copies: Map<string, string[]>, same: (a: T, b: T) => boolean) {
  const taken = new Set(pairs.values());
  const oldLeft = [...old.keys()].filter((n) => !pairs.has(n));
  const newLeft = [...now.keys()].filter((n) => !taken.has(n));
  for (const o of oldLeft) {
    const candidates = newLeft.filter((n) => same(old.get(o)!, now.get(n)!));
    if (candidates.length > 1) copies.set(o, candidates);
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

/** Every element of a revision that refers to a type: fields (with map values), extensions, methods. */
export function referrers(schema: SchemaModel): Map<string, string[]> {
  const users = new Map<string, string[]>();
  const add = (type: string | undefined, who: string) => {
    if (type) push(users, type, who);
  };
  for (const m of schema.messages.values()) for (const f of m.fields) add(f.typeName, `${m.fullName}.${f.name}`);
  for (const x of schema.extensions.values()) add(x.typeName, x.name);
  for (const s of schema.services.values()) {
    for (const m of s.methods.values()) {
      add(m.input, `${s.fullName}.${m.name}`);
      add(m.output, `${s.fullName}.${m.name}`);
    }
  }
  return users;
}

/** Appends to the list under `key`, starting it when there is none. */
export function push<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
