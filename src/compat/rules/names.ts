import type { Rule } from "../rule";
import { each, verdicts } from "../verdict";
import { fieldText, sameNameElsewhere } from "./describe";

// Names matter only to JSON: crit's JSON keys fields by their proto name, ProtoJSON by json_name.
// protobuf-c (CRIU itself) never sees them; crit (upb) and this package (protobuf-es) do.

const jsonOnly = () => verdicts(each("none", "json", "json"), each("none", "json", "json"));

export const nameRules: Rule[] = [
  {
    id: "FIELD_RENAMED",
    purpose: "Checks that no field is renamed, which changes its key in crit's JSON and in ProtoJSON.",
    categories: ["CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || old.name === field.name) return [];
      const proto = old.jsonName !== field.jsonName ? `, ProtoJSON "${old.jsonName}" → "${field.jsonName}"` : "";
      return [{
        message: `field ${field.number} renamed ${old.name} → ${field.name}: crit's JSON key "${old.name}" → "${field.name}"${proto}; crit ignores the old key`,
        verdicts: jsonOnly(),
      }];
    },
  },
  {
    id: "FIELD_JSON_NAME_CHANGED",
    purpose: "Checks that no field changes its ProtoJSON name (json_name) while keeping its proto name.",
    categories: ["CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field || old.name !== field.name || old.jsonName === field.jsonName) return [];
      return [{
        message: `field ${field.name} changed its ProtoJSON name "${old.jsonName}" → "${field.jsonName}"`,
        verdicts: verdicts(each("none", "none", "json"), each("none", "none", "json")),
      }];
    },
  },
  {
    id: "FIELD_NAME_REUSED",
    purpose: "Checks that no field name moves to another number while the old number stays, so JSON lands elsewhere.",
    categories: ["CRIU_JSON"],
    scope: "field",
    check: ({ new: field, oldMessage, newMessage }) => {
      if (!field) return [];
      const before = sameNameElsewhere(field, oldMessage);
      const stayed = before && newMessage.byNumber.get(before.number);
      if (!before || !stayed) return [];
      const unset = stayed.label === "required" ? ` and leaves required field ${before.number} (${stayed.name}) unset` : "";
      return [{
        message: `name "${field.name}" now means field ${field.number} (${fieldText(field)}), not field ${before.number} (now ${stayed.name}): JSON written under the old revision fills field ${field.number}${unset}`,
        verdicts: jsonOnly(),
      }];
    },
  },
];
