import type { Rule } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazard, hazardsOf, worded } from "../wording";
import { fieldText } from "./describe";

// Extensions: fields declared outside their message (`extend Foo { ... }`), paired by extendee
// and number. On the wire they are fields like any other; in ProtoJSON their key is
// "[full.name]", which readers refuse when they do not know the extension.

export const extensionRules: Rule[] = [
  {
    id: "EXTENSION_ADDED",
    purpose: "Reports an extension added: old readers keep it as an unknown field.",
    categories: ["CRIU_INFO"],
    scope: "extension",
    check: ({ old, new: x }) => (!old && x ? [worded(`extension added to ${x.extendee}: ${fieldText(x)}`, hazard("forward", "all", "unknown", "keep it as an unknown field"))] : []),
  },
  {
    id: "EXTENSION_REMOVED",
    purpose: "Checks that no extension is removed: new readers keep its value as unknown and refuse its JSON key.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "extension",
    check: ({ old, new: x }) => {
      if (!old || x) return [];
      return [worded(`extension removed from ${old.extendee}: ${fieldText(old)}`, [
        ...hazard("backward", "all", "unknown", "keep its value in old data as an unknown field"),
        ...hazard("backward", ["upb", "protobuf-es"], "json", `refuse the key "[${old.name}]" in old JSON`),
      ])];
    },
  },
  {
    id: "EXTENSION_CHANGED",
    purpose: "Checks an extension kept under its number with every field rule: type, label, default and name.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "extension",
    check: ({ old, new: x }, ctx) => {
      if (!old || !x) return [];
      const cmp = ctx.compareFields(old, x);
      const renamed = old.name !== x.name ? ` (renamed ${old.name} → ${x.name})` : "";
      if (cmp.rules.length === 0) {
        return fieldText({ ...old, name: x.name }) === fieldText(x) ? [] : [{ message: `extension ${x.name} changed${renamed}: ${fieldText(old)} → ${fieldText(x)}, the same on the wire`, verdicts: NO_EFFECT }];
      }
      return [worded(`extension ${x.name} changed${renamed}: ${fieldText(old)} → ${fieldText(x)} (${cmp.rules.join(", ")})`, hazardsOf(cmp.verdicts))];
    },
  },
];
