import { concatBytes } from "../../src/image/bytes";
import {
  create,
  createFileRegistry,
  fromBinary,
  fromJson,
  isFieldSet,
  toBinary,
  toJson,
  type DescEnum,
  type DescField,
  type DescMessage,
  type FileRegistry,
  type Message,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import * as fc from "fast-check";
import { renderPrettyInt } from "../../src/json/from-image/pretty";
import { toMimeBase64 } from "../../src/json/base64";
import { wireRecords } from "../../src/json/lossless";
import { toQuotedPrintable } from "../../src/json/quopri";
import { criuOptions } from "../../src/schema/options";
import type { Finding } from "../../src/compat/rule";
import { EFFECTS, worse, type Effect } from "../../src/compat/verdict";

// The dynamic proof: from two descriptor sets, fast-check arbitraries for every message type;
// write under one revision, read under the other with protobuf-es, and observe per field what
// happened: the value read equal (none), kept as an unknown field (unknown), a JSON form that
// differs (json: ProtoJSON or crit keys read back elsewhere, or crit's pretty rendering), another
// value (value), the value gone (loss), not surviving a re-encode (reencode), a failed read or re-encode
// (error). protobuf-es is the reader we can run; protobuf-c and upb verdicts stay static.

export const rank = (e: Effect) => EFFECTS.indexOf(e);

export interface Revision {
  set: FileDescriptorSet;
  registry: FileRegistry;
}

export function revision(set: FileDescriptorSet): Revision {
  return { set, registry: createFileRegistry(set) };
}

/** Overrides while generating: every field of enum E gets this number (to reach a new value). */
export type EnumBias = Map<string, number>;

function intArb(bits: 32 | 64, signed: boolean): fc.Arbitrary<number | bigint> {
  const small = fc.integer({ min: signed ? -4 : 0, max: 40 });
  if (bits === 32) return fc.oneof(small, signed ? fc.integer() : fc.nat({ max: 0xffffffff }));
  const big = signed ? fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n) : fc.bigInt(0n, 2n ** 64n - 1n);
  return fc.oneof(small.map(BigInt), big);
}

function scalarArb(f: DescField & { fieldKind: "scalar" | "list" }): fc.Arbitrary<unknown> {
  const t = f.scalar!;
  switch (t) {
    case 5: case 15: return intArb(32, true); // int32, sfixed32
    case 17: return intArb(32, true); // sint32
    case 13: case 7: return intArb(32, false); // uint32, fixed32
    case 3: case 16: case 18: return intArb(64, true); // int64, sfixed64, sint64
    case 4: case 6: return intArb(64, false); // uint64, fixed64
    case 8: return fc.boolean();
    case 1: return fc.double({ noNaN: true });
    case 2: return fc.float({ noNaN: true });
    case 9: return fc.string({ maxLength: 6 });
    case 12: return fc.uint8Array({ maxLength: 6 });
    default: throw new Error(`no arbitrary for scalar ${t}`);
  }
}

function enumArb(e: DescEnum, bias: EnumBias): fc.Arbitrary<number> {
  const pinned = bias.get(e.typeName);
  if (pinned !== undefined) return fc.constant(pinned);
  return fc.constantFrom(...e.values.map((v) => v.number));
}

/**
 * A required field with a default left out of the data: protobuf-c reads such a message and
 * fills in the default (its exception), so CRIU's readers accept it. Top level only.
 */
export const ABSENT = Symbol("absent");

/** Init objects for `create(desc, init)`: required fields always set, others sometimes. */
export function messageArb(desc: DescMessage, bias: EnumBias = new Map(), depth = 0, memo = new Map<string, fc.Arbitrary<Record<string, unknown>>>()): fc.Arbitrary<Record<string, unknown>> {
  const key = `${desc.typeName}@${depth}`;
  const known = memo.get(key);
  if (known) return known;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  const deep = depth >= 3;
  const element = (f: DescField): fc.Arbitrary<unknown> | undefined => {
    if (f.message) return deep && f.proto.label !== 2 ? undefined : messageArb(f.message, bias, depth + 1, memo);
    if (f.enum) return enumArb(f.enum, bias);
    return scalarArb(f as DescField & { fieldKind: "scalar" });
  };
  for (const f of desc.fields) {
    if (f.oneof || f.fieldKind === "map") continue;
    const el = element(f);
    if (!el) continue;
    shape[f.localName] = f.fieldKind === "list" ? fc.array(el, { maxLength: 2 }) : el;
    if (depth === 0 && f.proto.label === 2 && defaultOf(f) !== undefined) shape[f.localName] = fc.oneof(el, fc.constant(ABSENT));
    if (f.proto.label === 2) required.push(f.localName);
  }
  for (const o of desc.oneofs) {
    const cases = o.fields.flatMap((f) => {
      const el = element(f);
      return el ? [el.map((value) => ({ case: f.localName, value }))] : [];
    });
    if (cases.length) shape[o.localName] = fc.oneof(...cases);
  }
  const arb = fc.record(shape, { requiredKeys: required });
  memo.set(key, arb);
  return arb;
}

/** What the reader made of each field number of the writer's message. */
export interface Observation {
  effects: Map<number, Effect>;
  /** A failed read or re-encode that no field explains. */
  error?: string;
}

function bump(effects: Map<number, Effect>, n: number, e: Effect) {
  effects.set(n, worse(effects.get(n) ?? "none", e));
}

const utf8 = new TextEncoder();

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || (a === 0 && b === 0);
  if (a instanceof Uint8Array || b instanceof Uint8Array || typeof a === "string" || typeof b === "string") {
    const x = typeof a === "string" ? utf8.encode(a) : a;
    const y = typeof b === "string" ? utf8.encode(b) : b;
    return x instanceof Uint8Array && y instanceof Uint8Array && x.length === y.length && x.every((v, i) => v === y[i]);
  }
  const n = (v: unknown) => (typeof v === "boolean" ? (v ? 1n : 0n) : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : typeof v === "bigint" ? v : undefined);
  const [x, y] = [n(a), n(b)];
  return x !== undefined && x === y;
}

function get(m: Message, f: DescField): unknown {
  if (f.oneof) {
    const o = (m as unknown as Record<string, { case?: string; value?: unknown }>)[f.oneof.localName];
    return o?.case === f.localName ? o.value : undefined;
  }
  return (m as unknown as Record<string, unknown>)[f.localName];
}

function hasUnknown(m: Message, n: number): boolean {
  return (m.$unknown ?? []).some((u) => u.no === n);
}

/** Compares one field's value as written and as read; nested messages field by field. */
function compareField(wf: DescField, rf: DescField, a: unknown, b: unknown, read: Message): Effect {
  if (wf.fieldKind === "list" || rf.fieldKind === "list") {
    const x = wf.fieldKind === "list" ? (a as unknown[]) : a === undefined ? [] : [a];
    const y = rf.fieldKind === "list" ? (b as unknown[]) : b === undefined ? [] : [b];
    if (x.length !== y.length) return "loss";
    let e: Effect = "none";
    x.forEach((v, i) => (e = worse(e, compareOne(wf, rf, v, y[i], read))));
    return e;
  }
  return compareOne(wf, rf, a, b, read);
}

function compareOne(wf: DescField, rf: DescField, a: unknown, b: unknown, read: Message): Effect {
  if (wf.message && rf.message) {
    if (a === undefined || b === undefined) return a === b ? "none" : "loss";
    let e: Effect = "none";
    for (const ef of observeValues(wf.message, rf.message, a as Message, b as Message).effects.values()) e = worse(e, ef);
    return e;
  }
  if (same(a, b)) return "none";
  // A closed enum that does not know the number reads the field as unset and keeps the number as
  // an unknown field; protobuf-es overwrites that record when the message has another unknown
  // field, which only a re-encode (or a look at $unknown) shows.
  if (rf.enum && typeof a === "number" && !rf.enum.values.some((v) => v.number === a)) return hasUnknown(read, rf.number) ? "unknown" : "reencode";
  return "value";
}

/** Field by field, what reading `written` (under w) gave as `read` (under r). */
function observeValues(w: DescMessage, r: DescMessage, written: Message, read: Message): Observation {
  const effects = new Map<number, Effect>();
  for (const wf of w.fields) {
    const rf = r.fields.find((f) => f.number === wf.number);
    if (!rf) {
      if (isFieldSet(written, wf)) bump(effects, wf.number, hasUnknown(read, wf.number) ? "unknown" : "loss");
      continue;
    }
    bump(effects, wf.number, compareField(wf, rf, get(written, wf), get(read, rf), read));
  }
  return { effects };
}

/** crit's pretty rendering of every integer, by field number, under one revision's (criu) options. */
function pretty(desc: DescMessage, m: Message, hex = false, out = new Map<string, unknown>(), prefix = ""): Map<string, unknown> {
  for (const f of desc.fields) {
    if (!isFieldSet(m, f)) continue;
    const opts = criuOptions(f);
    const v = get(m, f);
    const values = f.fieldKind === "list" ? (v as unknown[]) : [v];
    values.forEach((x, i) => {
      const key = `${prefix}${f.number}.${i}`;
      if (f.message) pretty(f.message, x as Message, hex || opts?.hex === true, out, `${key}/`);
      else if (typeof x === "number" || typeof x === "bigint") out.set(key, JSON.stringify(renderPrettyInt(x, opts, f.name, hex), (_, y) => (typeof y === "bigint" ? String(y) : y)));
      else if (x instanceof Uint8Array) out.set(key, opts?.conv ? `qp:${toQuotedPrintable(x)}` : `b64:${toMimeBase64(x)}`);
    });
  }
  return out;
}

/** JSON as written under w, read under r: fields that land elsewhere than the binary read. */
function observeJson(w: DescMessage, r: DescMessage, written: Message, read: Message, effects: Map<number, Effect>) {
  for (const useProtoFieldName of [true, false]) {
    let back: Message;
    try {
      back = fromJson(r, toJson(w, written, { useProtoFieldName }), { ignoreUnknownFields: true });
    } catch {
      // The whole document fails to parse: blame the fields whose keys changed meaning.
      const set = w.fields.filter((f) => isFieldSet(written, f));
      const moved = set.filter((f) => r.fields.some((x) => (x.name === f.name || x.jsonName === f.jsonName) !== (x.number === f.number)));
      for (const f of moved.length ? moved : set) bump(effects, f.number, "json");
      continue;
    }
    for (const rf of r.fields) {
      const a = get(read, rf);
      const b = get(back, rf);
      const wf = w.fields.find((f) => f.number === rf.number);
      if (compareField(rf, rf, a, b, back) !== "none") {
        bump(effects, rf.number, "json");
        if (wf === undefined) for (const f of w.fields) if (f.name === rf.name || f.jsonName === rf.jsonName) bump(effects, f.number, "json");
      }
    }
  }
  const [pw, pr] = [pretty(w, written), pretty(r, read)];
  // A value the reader keeps as an unknown field is left out of its JSON, as any unknown field is.
  for (const [key, text] of pw) {
    const no = Number(key.split(".")[0]);
    if (pr.has(key) && pr.get(key) !== text && !hasUnknown(read, no)) bump(effects, no, "json");
  }
}

/** Writes `init` under w, reads it under r with protobuf-es, re-encodes under r, reads that under w. */
export function observe(w: DescMessage, r: DescMessage, init: Record<string, unknown>): Observation {
  const absent = w.fields.filter((f) => init[f.localName] === ABSENT);
  const present = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== ABSENT));
  // What the writer means (an absent field reads as its default) and what it would encode.
  const written = create(w, present);
  const full = create(w, { ...present, ...Object.fromEntries(absent.map((f) => [f.localName, defaultOf(f)])) });
  const left = new Set(absent.map((f) => f.number));
  const bytes = concatBytes(wireRecords(toBinary(w, full)).filter((x) => !left.has(x.no)).map((x) => x.bytes));
  let read: Message;
  try {
    read = fromBinary(r, bytes);
  } catch (err) {
    return { effects: new Map(), error: String(err) };
  }
  const obs = observeValues(w, r, written, read);
  let again: Uint8Array;
  try {
    again = toBinary(r, read);
  } catch (err) {
    // protobuf-es names the field: "cannot encode field M.f to binary: required field not set".
    const name = /field ([\w.]+) to/.exec(String(err))?.[1]?.split(".").pop();
    const f = r.fields.find((x) => x.name === name);
    // Data without a required field is the premise there: protobuf-es never re-encodes it.
    if (f && left.has(f.number)) {
      observeJson(w, r, full, read, obs.effects);
      return obs;
    }
    const wf = f && w.fields.find((x) => x.number === f.number);
    if (wf) bump(obs.effects, wf.number, "error");
    else if (f) bump(obs.effects, f.number, "error");
    else obs.error = String(err);
    return obs;
  }
  // Re-encoding under the reader gives bytes the writer reads back to the original.
  const roundTrip = fromBinary(w, again);
  for (const wf of w.fields) {
    if (compareField(wf, wf, get(written, wf), get(roundTrip, wf), roundTrip) !== "none") bump(obs.effects, wf.number, "reencode");
  }
  observeJson(w, r, full, read, obs.effects);
  return obs;
}

/** The explicit [default = ...] of a scalar or enum field, if any. */
function defaultOf(f: DescField): unknown {
  return (f.fieldKind === "scalar" || f.fieldKind === "enum") && f.proto.defaultValue ? f.getDefaultValue() : undefined;
}


/** Fields of (message, number) an element path names, in both revisions. */
export interface Target {
  message: string;
  numbers: number[];
}

/** A finding's element as targets: a field, or the fields whose type is an enum (for a value). */
export function targets(f: Finding, old: Revision, now: Revision): Target[] | "type" {
  const path = f.path;
  const dot = path.lastIndexOf(".");
  const parent = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const msgs = [old.registry.getMessage(parent), now.registry.getMessage(parent)];
  if (msgs.some(Boolean)) {
    const numbers = new Set<number>();
    for (const m of msgs) for (const fl of m?.fields ?? []) if (fl.name === name) numbers.add(fl.number);
    return [{ message: parent, numbers: [...numbers] }];
  }
  const e = old.registry.getEnum(parent) ?? now.registry.getEnum(parent);
  if (e) {
    const out: Target[] = [];
    for (const reg of [old.registry, now.registry]) {
      for (const t of reg) {
        if (t.kind !== "message") continue;
        const numbers = t.fields.filter((x) => x.enum?.typeName === parent).map((x) => x.number);
        if (numbers.length && !out.some((o) => o.message === t.typeName)) out.push({ message: t.typeName, numbers });
      }
    }
    return out;
  }
  return "type"; // a message or enum type itself (added, removed, renamed)
}

/** The enum value a finding names (for biasing generation), if it is an enum value finding. */
export function enumValueOf(f: Finding, rev: Revision): { enumName: string; number: number } | undefined {
  const dot = f.path.lastIndexOf(".");
  const e = rev.registry.getEnum(f.path.slice(0, dot));
  const v = e?.values.find((x) => x.name === f.path.slice(dot + 1));
  return e && v ? { enumName: e.typeName, number: v.number } : undefined;
}

export function setOf(bytes: Uint8Array): FileDescriptorSet {
  return fromBinary(FileDescriptorSetSchema, bytes);
}
