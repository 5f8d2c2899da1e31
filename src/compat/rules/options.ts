import type { Rule } from "../rule";
import { hazard, worded } from "../wording";

// The (criu) field options never touch the wire: they tell crit how to print a field in its
// pretty JSON (`crit decode --pretty`, `crit show`) and how to parse that back. Each option's
// effect, in crit's words, so that a finding says what a reader of the JSON will see.

const EFFECT: Record<string, (value: unknown) => string> = {
  hex: () => `a "0x…" string instead of a number`,
  ipadd: () => `an address text in a one-element list (["10.0.0.1"]) instead of a list of numbers`,
  flags: (v) => `flag names of map "${String(v)}" joined by " | " instead of a number`,
  dev: () => `a "major:minor" device string instead of a number`,
  odev: () => `"major:minor" split the userspace (glibc) way instead of the kernel way`,
  dict: (v) => `names from crit's "${String(v)}" table where known instead of numbers`,
  conv: (v) => `"${String(v)}" text (quoted-printable) instead of base64`,
};

function shown(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}

export const optionRules: Rule[] = [
  {
    id: "FIELD_CRIU_OPTION_CHANGED",
    purpose: "Checks that no (criu) field option changes, since each one changes how crit prints and parses the field.",
    categories: ["CRIU_OPTIONS", "CRIU_JSON"],
    scope: "field",
    check: ({ old, new: field }) => {
      if (!old || !field) return [];
      const before = old.criu ?? {};
      const after = field.criu ?? {};
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
      return keys
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => {
          const on = after[k] !== undefined && after[k] !== false;
          const what = EFFECT[k]?.(on ? after[k] : before[k]) ?? `option ${k}`;
          const plainToo = k === "conv" ? "plain and pretty JSON" : "pretty JSON";
          // On a message field, hex is inherited by every integer in the sub-message tree.
          const subject = k === "hex" && field.kind === "message" ? `every integer in ${field.name}` : field.name;
          const change = on ? `now prints ${subject} as ${what}` : `no longer prints ${subject} as ${what}`;
          // crit (upb) and this package (protobuf-es) print and parse crit's JSON; protobuf-c has none.
          return worded(`(criu).${k} ${shown(before[k])} → ${shown(after[k])}: crit's ${plainToo} ${change}`, hazard("either", ["upb", "protobuf-es"], "json", "do not parse JSON written under the other revision"));
        });
    },
  },
];
