import type { FieldModel } from "../model";
import type { Rule } from "../rule";
import { hazard, worded } from "../wording";
import { fieldText, sameNameElsewhere, typeText } from "./describe";

// Names matter only to JSON: crit's JSON keys fields by their proto name, ProtoJSON by json_name.
// protobuf-c (CRIU itself) never sees them; crit (upb) and this package (protobuf-es) do.

const typeOf = (f: FieldModel) => (f.map ? `map<${typeText(f.map.key)}, ${typeText(f.map.value)}>` : `${f.label} ${typeText(f)}`);
const sameType = (a: FieldModel, b: FieldModel) => typeOf(a) === typeOf(b);

/** upb (crit) and protobuf-es read JSON; protobuf-c (CRIU itself) has none. */
const jsonReaders = (says: string) => hazard("either", ["upb", "protobuf-es"], "json", says);

export const nameRules: Rule[] = [
  {
    id: "FIELD_RENAMED",
    purpose: "Checks that no field is renamed, which changes its key in crit's JSON and in ProtoJSON.",
    categories: ["CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }, ctx) => {
      if (!old || !field || old.name === field.name) return [];
      const proto = old.jsonName !== field.jsonName ? `ProtoJSON "${old.jsonName}" → "${field.jsonName}"` : `ProtoJSON key "${field.jsonName}" unchanged`;
      return [ctx.critJson
        ? worded(`field ${field.number} renamed ${old.name} → ${field.name}: crit's JSON key "${old.name}" → "${field.name}", ${proto}`, jsonReaders("do not read a value under the other revision's key (crit ignores it)"))
        : worded(`field ${field.number} renamed ${old.name} → ${field.name}: ${proto} (and the proto-name key "${old.name}" → "${field.name}")`, jsonReaders("refuse the other revision's key"))];
    },
  },
  {
    id: "FIELD_JSON_NAME_CHANGED",
    purpose: "Checks that no field changes its ProtoJSON name (json_name) while keeping its proto name.",
    categories: ["CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || old.name !== field.name || old.jsonName === field.jsonName) return [];
      return [worded(`field ${field.name} changed its ProtoJSON name "${old.jsonName}" → "${field.jsonName}"`, hazard("either", ["protobuf-es"], "json", "refuse the other revision's ProtoJSON key"))];
    },
  },
  {
    id: "FIELD_NAME_REUSED",
    purpose: "Checks that no field name moves to another number while another field takes its old one, so data or JSON lands in the wrong field.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: ({ new: field, oldMessage, newMessage }) => {
      if (!field) return [];
      const before = sameNameElsewhere(field, oldMessage);
      const stayed = before && newMessage.byNumber.get(before.number);
      if (!before || !stayed) return [];
      const unset = stayed.label === "required" ? ` and leave required field ${before.number} (${stayed.name}) unset` : "";
      // JSON keys by name: a reader fills the field its own revision gives the name.
      const json = [
        ...hazard("backward", ["upb", "protobuf-es"], "json", `fill field ${field.number} from "${field.name}" in old JSON${unset}`),
        ...hazard("forward", ["upb", "protobuf-es"], "json", `fill field ${before.number} from "${field.name}" in new JSON`),
      ];
      if (sameType(before, field) && sameType(before, stayed)) {
        // The name kept its type: the meaning moved with it, and field ${before.number}, now
        // another field of the same type, takes the old data on the wire.
        return [worded(
          `name "${field.name}" moved from field ${before.number} to ${field.number} (${fieldText(field)}) with its type, and ${stayed.name} took number ${before.number}`,
          [...hazard("either", "all", "value", `put the other revision's ${field.name} data in ${stayed.name} and back`), ...json],
        )];
      }
      return [worded(`name "${field.name}" now means field ${field.number} (${fieldText(field)}), not field ${before.number} (now ${stayed.name}, same number, so the wire meaning stays)`, json)];
    },
  },
];
