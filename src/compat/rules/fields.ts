import { isPackable } from "../kinds";
import type { FieldModel } from "../model";
import type { Rule } from "../rule";
import { NO_EFFECT, all, each, verdicts, type ReaderEffects } from "../verdict";
import { fieldText, renumbering, reserved } from "./describe";

// Field presence, number, label and default: what a reader does when a field it expects is
// absent, or when one it does not expect is there.

/** A reader expecting one value gets a list: the last scalar wins, messages are merged. */
function singularReadsList(list: FieldModel): ReaderEffects {
  // A packed list is one length-delimited record where a singular reader expects a varint or a
  // fixed value: protobuf-c fails the message, upb keeps it as unknown, protobuf-es misreads it.
  if (list.packed && isPackable(list.kind)) return each("error", "loss", "error");
  return all(list.kind === "message" || list.kind === "group" ? "value" : "loss");
}

/** A required field that may be missing: protobuf-c accepts it only when it has a default. */
function missingRequired(field: FieldModel): ReaderEffects {
  return each(field.defaultValue !== undefined ? "value" : "error", "error", "error");
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
      return [{ message: `field added: ${fieldText(added)}`, verdicts: verdicts(all("none"), all("unknown")) }];
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
      const key = ctx.critJson ? `crit's JSON key "${removed.name}" and ProtoJSON "${removed.jsonName}"` : `the JSON key "${removed.jsonName}" (or "${removed.name}")`;
      const json = `${key} in old documents is refused by new upb and protobuf-es JSON readers`;
      if (kept.number) {
        const name = kept.name ? ", name reserved too" : "";
        return [{ message: `field removed: ${fieldText(removed)} (number reserved${name}): new readers keep its value in old data as an unknown field; ${json}`, verdicts: verdicts(each("unknown", "json", "json"), all("none")) }];
      }
      return [{
        message: `field removed without reserving number ${removed.number}: ${fieldText(removed)}; new readers ignore its value in old data, and a field that later takes the number misreads it; ${json}`,
        verdicts: verdicts(all("loss"), all("none")),
      }];
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
      return [{
        message: `field ${field.name} renumbered ${moved.old.number} → ${field.number}: each revision reads the other's value as an unknown field`,
        verdicts: verdicts(all("loss"), all("loss")),
      }];
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
      const exception = field.defaultValue !== undefined ? `; protobuf-c fills in its default ${field.defaultValue}` : "; it has no default, so protobuf-c rejects the message";
      return [{ message: `${what}: data written under the old revision may lack it${exception}`, verdicts: verdicts(missingRequired(field), old ? all("none") : all("unknown")) }];
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
      const exception = old.defaultValue !== undefined ? `; old protobuf-c readers fill in the default ${old.defaultValue}` : "; old protobuf-c readers reject the message";
      return [{ message: `${what}: data written under the new revision may lack it${exception}`, verdicts: verdicts(field ? all("none") : all("unknown"), missingRequired(old)) }];
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
      if (field.label === "repeated") {
        return [{ message: `${message}: old readers keep one of several values`, verdicts: verdicts(all("none"), singularReadsList(field)) }];
      }
      return [{ message: `${message}: new readers keep one of several values in old data`, verdicts: verdicts(singularReadsList(old), all("none")) }];
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
      const message = `field ${field.name} ${field.packed ? "is now packed" : "is no longer packed"}: protobuf-c, upb and protobuf-es read both encodings (protobuf before 2.3 did not)`;
      return [{ message, verdicts: NO_EFFECT }];
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
        return [{ message: `field ${field.name} now has explicit presence (${fieldText(old)} → ${fieldText(field)}): old writers leave zeros out, which new readers see as unset and read as 0`, verdicts: NO_EFFECT }];
      }
      return [{ message: `field ${field.name} lost explicit presence (${fieldText(old)} → ${fieldText(field)}): new writers leave zeros out, so old readers see a zero that was set as unset`, verdicts: NO_EFFECT }];
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
      const note = required ? " (a required field: absent only where protobuf-c's default exception lets it be)" : "";
      // A required field is left out only by writers whose revision gives it a default (data
      // without it is rejected by protobuf-c otherwise): only that direction reads a default.
      // When only one side is required, a writer that always sends it leaves nothing to fill, and
      // a required reader without a default rejects the gap (FIELD_REQUIRED_* say so).
      const effect = (writer: FieldModel, reader: FieldModel) => {
        if (required) return writer.defaultValue !== undefined ? all("value") : all("none");
        const absent = writer.label !== "required" || writer.defaultValue !== undefined;
        const fills = reader.label !== "required" || reader.defaultValue !== undefined;
        return absent && fills ? all("value") : all("none");
      };
      return [{
        message: `default of ${field.name} changed from ${before} to ${after}: an absent value reads as the reader's own default${note}`,
        verdicts: verdicts(effect(old, field), effect(field, old)),
      }];
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
