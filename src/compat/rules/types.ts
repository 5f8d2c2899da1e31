import { isInteger, isSigned, isZigzag, widthOf, wireType, type Kind } from "../kinds";
import type { FieldModel } from "../model";
import type { FieldPair, Rule } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazard, hazardsOf, worded, type Hazard } from "../wording";

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

/** The direction whose reader has the new kind (backward) or the old one (forward). */
const readerOf = (newKind: boolean) => (newKind ? "backward" : "forward");

function report(c: Changed, what: string, hazards: Hazard[]) {
  return [worded(`field ${c.new.name} changed type ${c.old.kind} → ${c.new.kind} (${what})`, hazards)];
}

export const typeRules: Rule[] = [
  {
    id: "FIELD_WIRE_TYPE_CHANGED",
    purpose: "Checks that no field changes its wire type, which no reader can read across.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || wireType(old.kind) === wireType(field.kind)) return [];
      return [worded(`field ${field.name} changed type ${old.kind} → ${field.kind}, wire type ${wireType(old.kind)} → ${wireType(field.kind)}`, [
        ...hazard("either", ["protobuf-c"], "error", "reject the message"),
        ...hazard("either", ["upb"], "loss", "keep the value as an unknown field"),
        ...hazard("either", ["protobuf-es"], "error", "misread it"),
      ])];
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
      return report(c, "zigzag", hazard("either", "all", "value", "read the same varint as another number (-3 as 5)"));
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
      return report(c, "sign", hazard("either", "all", "value", "read negative values as large positive ones and back"));
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
      return report(c, "64→32 truncation", hazard(readerOf(narrowed), "all", "value", `truncate ${narrowed ? "old" : "new"} values above 32 bits`));
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
      return report(c, "bool", hazard(readerOf(toBool), "all", "value", "read any value above 1 as true"));
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
      // protobuf-c keeps any number in the field; upb and protobuf-es move numbers a closed enum lacks out of it.
      const drop = e?.closed !== false ? hazard(readerOf(toEnum), ["upb", "protobuf-es"], "loss", `drop numbers outside ${e?.fullName ?? "the enum"}`) : [];
      return report(c, "enum↔int", [...drop, ...hazard("either", "all", "json", "see JSON switch between enum names and numbers")]);
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
      const d = readerOf(toString);
      return report(c, "string↔bytes", [
        ...hazard(d, ["protobuf-c"], "value", "take arbitrary bytes as text and stop at a NUL"),
        ...hazard(d, ["upb", "protobuf-es"], "value", "take arbitrary bytes as text (invalid UTF-8 replaced)"),
        ...hazard("either", "all", "json", "see JSON switch between text and base64"),
      ]);
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
      return report(c, "float bits", hazard("either", "all", "value", "read the same bytes as another number"));
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
      return report(c, `message↔${toMessage ? c.old.kind : c.new.kind}`, [
        ...hazard(readerOf(toMessage), "all", "error", "parse opaque bytes as a message"),
        ...hazard("either", "all", "json", "see JSON switch between an object and a string"),
      ]);
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
      return [worded(`${prefix}: the two types differ (${cmp.rules.join(", ")})`, hazardsOf(cmp.verdicts))];
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
      return [worded(`${prefix}: the values differ (${cmp.rules.join(", ")})`, hazardsOf(cmp.verdicts))];
    },
  },
];
