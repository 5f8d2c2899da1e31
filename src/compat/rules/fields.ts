import { isPackable } from "../kinds";
import type { FieldModel } from "../model";
import type { Rule } from "../rule";
import type { Direction } from "../verdict";
import { hazard, worded, type Hazard } from "../wording";
import { fieldText, renumbering, reserved } from "./describe";

// Field presence, number, label and default: what a reader does when a field it expects is
// absent, or when one it does not expect is there.

/** A reader expecting one value gets a list: the last scalar wins, messages are merged. */
function singularReadsList(d: Direction, list: FieldModel): Hazard[] {
  // A packed list is one length-delimited record where a singular reader expects a varint or a
  // fixed value: protobuf-c fails the message, upb keeps it as unknown, protobuf-es misreads it.
  if (list.packed && isPackable(list.kind)) {
    return [
      ...hazard(d, ["protobuf-c"], "error", "reject the packed list"),
      ...hazard(d, ["upb"], "loss", "keep the packed list as an unknown field"),
      ...hazard(d, ["protobuf-es"], "error", "misread the packed list"),
    ];
  }
  const message = list.kind === "message" || list.kind === "group";
  return hazard(d, "all", message ? "value" : "loss", message ? "merge the several values into one" : "keep only the last of several values");
}

/** A required field that may be missing: protobuf-c accepts it only when it has a default. */
function missingRequired(d: Direction, field: FieldModel): Hazard[] {
  const pbc = field.defaultValue !== undefined
    ? hazard(d, ["protobuf-c"], "value", `fill in its default ${field.defaultValue} where it is missing`)
    : hazard(d, ["protobuf-c"], "error", "reject a message that lacks it (it has no default)");
  return [...pbc, ...hazard(d, ["upb", "protobuf-es"], "error", "fail on a message that lacks it")];
}

export const fieldRules: Rule[] = [
  {
    id: "FIELD_ADDED",
    purpose: "Reports an optional or repeated field added: old readers keep it as an unknown field.",
    categories: ["CRIU_INFO"],
    scope: "field",
    check: ({ old, new: added, oldMessage, newMessage }) => {
      if (old || !added || added.label === "required") return [];
      if (renumbering(oldMessage, newMessage, added.name)) return [];
      return [worded(`field added: ${fieldText(added)}`, hazard("forward", "all", "unknown", "keep it as an unknown field"))];
    },
  },
  {
    id: "FIELD_REMOVED",
    purpose: "Checks that a removed field's number is reserved (else a later field may misread old data) and reports its JSON key going away.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: ({ old: removed, new: now, oldMessage, newMessage }, ctx) => {
      if (!removed || now || renumbering(oldMessage, newMessage, removed.name)) return [];
      const kept = reserved(newMessage, removed);
      // JSON readers (upb's json_format, protobuf-es fromJson) refuse keys they do not know.
      const key = ctx.critJson ? `crit's JSON key "${removed.name}" and ProtoJSON "${removed.jsonName}"` : removed.jsonName === removed.name ? `the JSON key "${removed.name}"` : `the JSON key "${removed.jsonName}" (or "${removed.name}")`;
      const json = hazard("backward", ["upb", "protobuf-es"], "json", `refuse ${key} in old JSON documents`);
      if (kept.number) {
        const name = kept.name ? ", name reserved too" : "";
        return [worded(`field removed: ${fieldText(removed)} (number reserved${name})`, [...hazard("backward", "all", "unknown", "keep its value in old data as an unknown field"), ...json])];
      }
      return [worded(
        `field removed without reserving number ${removed.number}: ${fieldText(removed)}`,
        [...hazard("backward", "all", "loss", "ignore its value in old data"), ...json],
        "a field that later takes the number misreads old data",
      )];
    },
  },
  {
    id: "FIELD_RENUMBERED",
    purpose: "Checks that no field keeps its name under a new number, which moves its value on the wire.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field, oldMessage, newMessage }) => {
      if (old || !field) return [];
      const moved = renumbering(oldMessage, newMessage, field.name);
      if (!moved) return [];
      return [worded(`field ${field.name} renumbered ${moved.old.number} → ${field.number}`, hazard("either", "all", "loss", "read the other revision's value as an unknown field"))];
    },
  },
  {
    id: "FIELD_REQUIRED_ADDED",
    purpose: "Checks that no required field is added, since data written before lacks it.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!field || field.label !== "required" || old?.label === "required") return [];
      const what = old ? `field ${field.name} became required (was ${old.label})` : `required field added: ${fieldText(field)}`;
      const added = old ? [] : hazard("forward", "all", "unknown", "keep it as an unknown field");
      return [worded(`${what}, and data written under the old revision may lack it`, [...missingRequired("backward", field), ...added])];
    },
  },
  {
    id: "FIELD_REQUIRED_REMOVED",
    purpose: "Checks that no required field is removed or made optional, since old readers demand it.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || old.label !== "required" || field?.label === "required") return [];
      const what = field ? `field ${old.name} is no longer required (now ${field.label})` : `required field removed: ${fieldText(old)}`;
      const removed = field ? [] : hazard("backward", "all", "unknown", "keep its value in old data as an unknown field");
      return [worded(`${what}, and data written under the new revision may lack it`, [...removed, ...missingRequired("forward", old)])];
    },
  },
  {
    id: "FIELD_CARDINALITY_CHANGED",
    purpose: "Checks that no field changes between singular and repeated: a singular reader keeps one value.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || (old.label === "repeated") === (field.label === "repeated")) return [];
      const message = `field ${field.name} changed from ${old.label} to ${field.label}`;
      return [field.label === "repeated" ? worded(message, singularReadsList("forward", field)) : worded(message, singularReadsList("backward", old))];
    },
  },
  {
    id: "FIELD_PACKED_CHANGED",
    purpose: "Reports a repeated scalar switching packed encoding: current readers accept both encodings.",
    categories: ["CRIU_INFO"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || old.label !== "repeated" || field.label !== "repeated") return [];
      if (!isPackable(field.kind) || old.packed === field.packed) return [];
      const subject = `field ${field.name} ${field.packed ? "is now packed" : "is no longer packed"}`;
      return [worded(subject, hazard("either", "all", "none", "read both encodings"), "protobuf before 2.3 did not")];
    },
  },
  {
    id: "FIELD_PRESENCE_CHANGED",
    purpose: "Reports a proto3 field switching between implicit presence and `optional`: values read the same, only zeros differ in presence.",
    categories: ["CRIU_INFO"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || !old.implicit === !field.implicit || old.label !== field.label) return [];
      if (old.implicit) {
        return [worded(`field ${field.name} now has explicit presence (${fieldText(old)} → ${fieldText(field)}), and old writers leave zeros out`, hazard("backward", "all", "none", "see those as unset and read 0"))];
      }
      return [worded(`field ${field.name} lost explicit presence (${fieldText(old)} → ${fieldText(field)}), and new writers leave zeros out`, hazard("forward", "all", "none", "see a zero that was set as unset"))];
    },
  },
  {
    id: "FIELD_DEFAULT_CHANGED",
    purpose: "Checks that no default changes: each reader fills an absent field with its own default.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: ({ old, new: field }, ctx) => {
      if (!old || !field || field.label === "repeated" || old.label === "repeated") return [];
      const before = effectiveDefault(old, ctx.old.enums.get(old.typeName ?? "")?.values[0]?.name);
      const after = effectiveDefault(field, ctx.new.enums.get(field.typeName ?? "")?.values[0]?.name);
      if (before === after || (isNumeric(before) && Number(before) === Number(after))) return [];
      const required = field.label === "required" && old.label === "required";
      const note = required ? " (a required field: absent only where the writer's revision gives it a default)" : "";
      // A required field is left out only by writers whose revision gives it a default (data
      // without it is rejected by protobuf-c otherwise): only that direction reads a default.
      // When only one side is required, a writer that always sends it leaves nothing to fill, and
      // a required reader without a default rejects the gap (FIELD_REQUIRED_* say so).
      const reads = (writer: FieldModel, reader: FieldModel) => {
        if (required) return writer.defaultValue !== undefined;
        const absent = writer.label !== "required" || writer.defaultValue !== undefined;
        const fills = reader.label !== "required" || reader.defaultValue !== undefined;
        return absent && fills;
      };
      const hazards = [
        ...(reads(old, field) ? hazard("backward", "all", "value", `read it as ${after} where old data leaves it out (meant ${before})`) : []),
        ...(reads(field, old) ? hazard("forward", "all", "value", `read it as ${before} where new data leaves it out (meant ${after})`) : []),
      ];
      return [worded(`default of ${field.name} changed from ${before} to ${after}${note}`, hazards)];
    },
  },
];

function isNumeric(s: string): boolean {
  return s.trim() !== "" && !Number.isNaN(Number(s));
}

/** The value an absent field reads as: the explicit default, else the type's zero. */
function effectiveDefault(f: FieldModel, firstEnumValue: string | undefined): string {
  if (f.defaultValue !== undefined) return f.defaultValue;
  if (f.kind === "enum") return firstEnumValue ?? "0";
  if (f.kind === "bool") return "false";
  if (f.kind === "string" || f.kind === "bytes") return '""';
  if (f.kind === "message" || f.kind === "group") return "(none)";
  return "0";
}
