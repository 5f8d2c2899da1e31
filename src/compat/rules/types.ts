import { isInteger, isSigned, isZigzag, widthOf, wireType, type Kind } from "../kinds";
import type { FieldModel } from "../model";
import type { FieldPair, Rule } from "../rule";
import { NO_EFFECT, all, each, verdicts, type ReaderEffects, type Verdicts } from "../verdict";

// A field's type changed under the same number. Each rule names one value hazard; when the wire
// type itself differs only FIELD_WIRE_TYPE_CHANGED applies, since nothing else can be read.

type Changed = { old: FieldModel; new: FieldModel };

function changedKinds(pair: FieldPair): Changed | undefined {
  const { old, new: field } = pair;
  if (!old || !field || old.kind === field.kind) return undefined;
  if (wireType(old.kind) !== wireType(field.kind)) return undefined;
  return { old, new: field };
}

const isVarintNumber = (k: Kind) => wireType(k) === "varint" && k !== "bool" && k !== "enum";
const isFloat = (k: Kind) => k === "float" || k === "double";

/** Effects where the value read changes: for the direction whose reader has kind `to`. */
function oneWay(newIsHazard: boolean, effect: ReaderEffects, other: ReaderEffects = all("none")): Verdicts {
  return newIsHazard ? verdicts(effect, other) : verdicts(other, effect);
}

function report(c: Changed, hazard: string, v: Verdicts) {
  return [{ message: `field ${c.new.name} changed type ${c.old.kind} → ${c.new.kind}: ${hazard}`, verdicts: v }];
}

export const typeRules: Rule[] = [
  {
    id: "FIELD_WIRE_TYPE_CHANGED",
    purpose: "Checks that no field changes its wire type, which no reader can read across.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || wireType(old.kind) === wireType(field.kind)) return [];
      return [{
        message: `field ${field.name} changed type ${old.kind} → ${field.kind}, wire type ${wireType(old.kind)} → ${wireType(field.kind)}: protobuf-c rejects the message, upb keeps the value as unknown, protobuf-es misreads it`,
        verdicts: verdicts(each("error", "loss", "error"), each("error", "loss", "error")),
      }];
    },
  },
  {
    id: "FIELD_ZIGZAG_CHANGED",
    purpose: "Checks that no varint field switches between zigzag (sint) and plain encoding.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || wireType(c.old.kind) !== "varint" || isZigzag(c.old.kind) === isZigzag(c.new.kind)) return [];
      return report(c, "zigzag: the same varint means another number (-3 reads as 5)", verdicts(all("value"), all("value")));
    },
  },
  {
    id: "FIELD_SIGN_CHANGED",
    purpose: "Checks that no integer field switches between signed and unsigned.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || !isInteger(c.old.kind) || !isInteger(c.new.kind)) return [];
      if (isZigzag(c.old.kind) !== isZigzag(c.new.kind) || isSigned(c.old.kind) === isSigned(c.new.kind)) return [];
      return report(c, "sign: negative values read as large positive ones and back", verdicts(all("value"), all("value")));
    },
  },
  {
    id: "FIELD_WIDTH_CHANGED",
    purpose: "Checks that no integer field changes between 32 and 64 bits, where the 32-bit side truncates.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || !isVarintNumber(c.old.kind) || !isVarintNumber(c.new.kind)) return [];
      if (widthOf(c.old.kind) === widthOf(c.new.kind)) return [];
      const narrowed = widthOf(c.new.kind) === 32;
      const who = narrowed ? "new readers truncate old values" : "old readers truncate new values";
      return report(c, `64→32 truncation: ${who} above 32 bits`, oneWay(narrowed, all("value")));
    },
  },
  {
    id: "FIELD_BOOL_CHANGED",
    purpose: "Checks that no field changes between bool and an integer, where every non-zero value becomes true.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || (c.old.kind === "bool") === (c.new.kind === "bool") || wireType(c.old.kind) !== "varint") return [];
      const toBool = c.new.kind === "bool";
      return report(c, `${toBool ? "new" : "old"} readers read any value above 1 as true`, oneWay(toBool, all("value")));
    },
  },
  {
    id: "FIELD_ENUM_INT_CHANGED",
    purpose: "Checks that no field changes between an enum and an integer: closed enums drop unknown numbers.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: (pair, ctx) => {
      const c = changedKinds(pair);
      if (!c || (c.old.kind === "enum") === (c.new.kind === "enum") || wireType(c.old.kind) !== "varint") return [];
      const toEnum = c.new.kind === "enum";
      const e = toEnum ? ctx.new.enums.get(c.new.typeName ?? "") : ctx.old.enums.get(c.old.typeName ?? "");
      const lossy = e?.closed !== false ? each("json", "loss", "loss") : all("json");
      const hazard = `enum↔int: ${toEnum ? "new" : "old"} readers drop numbers outside ${e?.fullName ?? "the enum"}; JSON prints names instead of numbers or back`;
      return report(c, hazard, oneWay(toEnum, lossy, all("json")));
    },
  },
  {
    id: "FIELD_STRING_BYTES_CHANGED",
    purpose: "Checks that no field changes between string and bytes: UTF-8, NUL bytes and the JSON form differ.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      const kinds = new Set([c?.old.kind, c?.new.kind]);
      if (!c || !kinds.has("string") || !kinds.has("bytes")) return [];
      const toString = c.new.kind === "string";
      const hazard = `string↔bytes: ${toString ? "new" : "old"} readers take arbitrary bytes as text (invalid UTF-8 replaced, protobuf-c stops at NUL); JSON switches between text and base64`;
      return report(c, hazard, oneWay(toString, all("value"), all("json")));
    },
  },
  {
    id: "FIELD_FLOAT_BITS_CHANGED",
    purpose: "Checks that no field changes between a float and a fixed-width integer, which reinterprets the bits.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || isFloat(c.old.kind) === isFloat(c.new.kind)) return [];
      return report(c, "float bits: the same bytes mean another number", verdicts(all("value"), all("value")));
    },
  },
  {
    id: "FIELD_MESSAGE_BYTES_CHANGED",
    purpose: "Checks that no field changes between a message and string or bytes.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: (pair) => {
      const c = changedKinds(pair);
      if (!c || (c.old.kind === "message") === (c.new.kind === "message")) return [];
      const toMessage = c.new.kind === "message";
      const hazard = `message↔${toMessage ? c.old.kind : c.new.kind}: ${toMessage ? "new" : "old"} readers parse opaque bytes as a message; JSON switches between an object and a string`;
      return report(c, hazard, oneWay(toMessage, all("error"), all("json")));
    },
  },
  {
    id: "FIELD_MESSAGE_TYPE_CHANGED",
    purpose: "Checks a field's new message type against the old one structurally, by field numbers and kinds.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }, ctx) => {
      if (!old?.typeName || !field?.typeName || old.kind !== field.kind || (old.kind !== "message" && old.kind !== "group")) return [];
      if (old.typeName === field.typeName || ctx.renamedTo(old.typeName) === field.typeName || (old.map && field.map)) return []; // maps: MAP_*_TYPE_CHANGED
      const cmp = ctx.compareMessageTypes(old.typeName, field.typeName);
      const prefix = `field ${field.name} changed type ${old.typeName} → ${field.typeName}`;
      if (cmp.rules.length === 0) return [{ message: `${prefix}: structurally the same on the wire`, verdicts: NO_EFFECT }];
      return [{ message: `${prefix}: the two types differ (${cmp.rules.join(", ")})`, verdicts: cmp.verdicts }];
    },
  },
  {
    id: "FIELD_ENUM_TYPE_CHANGED",
    purpose: "Checks a field's new enum type against the old one, value by value.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }, ctx) => {
      if (!old?.typeName || !field?.typeName || old.kind !== "enum" || field.kind !== "enum") return [];
      if (old.typeName === field.typeName || ctx.renamedTo(old.typeName) === field.typeName) return [];
      const cmp = ctx.compareEnumTypes(old.typeName, field.typeName);
      const prefix = `field ${field.name} changed type ${old.typeName} → ${field.typeName}`;
      if (cmp.rules.length === 0) return [{ message: `${prefix}: the same values`, verdicts: NO_EFFECT }];
      return [{ message: `${prefix}: the values differ (${cmp.rules.join(", ")})`, verdicts: cmp.verdicts }];
    },
  },
];
