import type { Context, FieldPair, Report, Rule } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazardsOf, worded } from "../wording";
import { typeText } from "./describe";

// Map fields: on the wire a list of entry messages (key = 1, value = 2). Their entries are
// compared here, through the map field, by the field rules run on the key and on the value.

function mapPart(pair: FieldPair, ctx: Context, part: "key" | "value"): Report[] {
  const { old, new: field } = pair;
  if (!old?.map || !field?.map) return [];
  const [a, b] = [old.map[part], field.map[part]];
  const renamed = a.typeName && b.typeName && ctx.renamedTo(a.typeName) === b.typeName;
  if (a.kind === b.kind && (a.typeName === b.typeName || renamed)) return [];
  const cmp = ctx.compareFields(a, b);
  const prefix = `map ${field.name}: ${part} type ${typeText(a)} → ${typeText(b)}`;
  if (cmp.rules.length === 0) return [{ message: `${prefix}: the same on the wire`, verdicts: NO_EFFECT }];
  return [worded(`${prefix}: ${cmp.rules.join(", ")} on the entries' ${part}`, hazardsOf(cmp.verdicts))];
}

export const mapRules: Rule[] = [
  {
    id: "MAP_KEY_TYPE_CHANGED",
    purpose: "Checks a map's key type, as the field rules check a field: keys of another width, sign or encoding read as other keys.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: (pair, ctx) => mapPart(pair, ctx, "key"),
  },
  {
    id: "MAP_VALUE_TYPE_CHANGED",
    purpose: "Checks a map's value type, as the field rules check a field, message values by structure.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "field",
    check: (pair, ctx) => mapPart(pair, ctx, "value"),
  },
];
