import type { EnumModel, FieldModel } from "../model";
import type { Context, Report, Rule } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazard, worded } from "../wording";

// Closed (proto2) enums: upb and protobuf-es move a number they do not know out of the field
// into the unknown fields; protobuf-c keeps the number. A required field whose value moved out
// is then missing.

function numbers(e: EnumModel): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const v of e.values) map.set(v.number, [...(map.get(v.number) ?? []), v.name]);
  return map;
}

function usersText(users: FieldModel[]): string {
  return users.map((f) => `${f.parent}.${f.name}`).join(", ");
}

/**
 * Reports per value that is in `from` and not in `to`; `from` is the new revision for added
 * values (located there) and the old one for removed values (located there as the old place).
 */
function missingValues(from: EnumModel, to: EnumModel, fromSide: "old" | "new", make: (name: string, num: number) => Report | undefined): Report[] {
  const present = numbers(to);
  const reports: Report[] = [];
  for (const v of from.values) {
    if (present.has(v.number)) continue;
    const r = make(v.name, v.number);
    const where = fromSide === "new" ? { location: v.location } : { oldLocation: v.location };
    if (r) reports.push({ path: `${to.fullName}.${v.name}`, ...where, ...r });
  }
  return reports;
}

/** Whether a field of either revision has the enum as its type (JSON only matters then). */
function inUse(ctx: Context, old: EnumModel, now: EnumModel): boolean {
  return ctx.usersOf("old", old.fullName).length > 0 || ctx.usersOf("new", now.fullName).length > 0;
}

const UNUSED = "no field of either revision uses the enum, so no data or JSON document carries it";

function added(pair: { old?: EnumModel; new?: EnumModel }, ctx: Context, wantRequired: boolean): Report[] {
  const { old, new: now } = pair;
  if (!old || !now) return [];
  // Open enums keep unknown numbers in the field, so a required field cannot lose its value.
  const users = now.closed ? ctx.requiredUsers("new", now.fullName) : [];
  if (users.length > 0 !== wantRequired) return [];
  return missingValues(now, old, "new", (name, num) => {
    if (!now.closed) return { message: `value ${name} = ${num} added to open enum ${now.fullName}`, verdicts: NO_EFFECT };
    if (!wantRequired) {
      if (ctx.usersOf("new", now.fullName).length === 0) {
        return { message: `value ${name} = ${num} added to closed enum ${now.fullName}, which no field uses`, verdicts: NO_EFFECT };
      }
      // protobuf-es (2.6.1 to at least 2.17) keeps the number in $unknown but overwrites it there
      // when the message has another unknown field, so a re-encode drops it (found by the
      // dynamic proof, test/compat/dynamic-history.test.ts).
      return worded(`value ${name} = ${num} added to closed enum ${now.fullName}`, [
        ...hazard("forward", ["protobuf-c"], "none", "keep the number in the field"),
        ...hazard("forward", ["upb"], "unknown", "keep it as an unknown field"),
        ...hazard("forward", ["protobuf-es"], "reencode", "keep it as an unknown field and drop it on re-encode when the message has another unknown field (data loss on re-encode)"),
      ]);
    }
    return worded(`value ${name} = ${num} added to closed enum ${now.fullName}, the type of required ${usersText(users)}`, [
      ...hazard("forward", ["protobuf-c"], "none", "keep the number in the field"),
      ...hazard("forward", ["upb", "protobuf-es"], "error", "move it out of the field and then miss the required field"),
    ]);
  });
}

export const enumRules: Rule[] = [
  {
    id: "ENUM_VALUE_ADDED",
    purpose: "Checks values added to a closed enum that no required field uses: old readers keep them as unknown, protobuf-es drops them on re-encode.",
    categories: ["CRIU_WIRE"],
    scope: "enum",
    check: (pair, ctx) => added(pair, ctx, false),
  },
  {
    id: "ENUM_VALUE_ADDED_REQUIRED",
    purpose: "Checks that no value is added to a closed enum behind a required field, which old readers then miss.",
    categories: ["CRIU_WIRE"],
    scope: "enum",
    check: (pair, ctx) => added(pair, ctx, true),
  },
  {
    id: "ENUM_VALUE_REMOVED",
    purpose: "Checks that no enum value is removed: new readers no longer accept it in old data.",
    categories: ["CRIU_WIRE", "CRIU_JSON"],
    scope: "enum",
    check: ({ old, new: now }, ctx) => {
      if (!old || !now) return [];
      const users = ctx.requiredUsers("new", now.fullName);
      if (!inUse(ctx, old, now)) {
        return missingValues(old, now, "old", (name, num) => ({ message: `value ${name} = ${num} removed from ${now.fullName}: ${UNUSED}`, verdicts: NO_EFFECT }));
      }
      // protobuf-c has no JSON and keeps unknown numbers of a closed enum in the field.
      const hazards = now.closed
        ? [
            ...hazard("backward", ["protobuf-c"], "none", "keep the number in the field"),
            ...(users.length
              ? hazard("backward", ["upb", "protobuf-es"], "error", `move it out of the field in old data and then miss required ${usersText(users)}`)
              : hazard("backward", ["upb", "protobuf-es"], "loss", "move it out of the field in old data")),
          ]
        : [...hazard("backward", ["protobuf-c"], "none", "keep the number"), ...hazard("backward", ["upb", "protobuf-es"], "json", "keep the number but can no longer name it in JSON")];
      return missingValues(old, now, "old", (name, num) => worded(`value ${name} = ${num} removed from ${now.fullName}`, hazards));
    },
  },
  {
    id: "ENUM_VALUE_RENAMED",
    purpose: "Checks that no enum number changes its name, which changes it in crit's JSON and in ProtoJSON.",
    categories: ["CRIU_JSON"],
    scope: "enum",
    check: ({ old, new: now }, ctx) => {
      if (!old || !now) return [];
      const used = inUse(ctx, old, now);
      const before = numbers(old);
      const reports: Report[] = [];
      for (const [num, names] of numbers(now)) {
        const was = before.get(num);
        if (!was || names.some((n) => was.includes(n))) continue;
        const v = now.values.find((x) => x.number === num)!;
        const subject = `value ${num} of ${now.fullName} renamed ${was.join("/")} → ${names.join("/")}`;
        reports.push({
          path: `${now.fullName}.${v.name}`,
          location: v.location,
          ...(used ? worded(subject, hazard("either", ["upb", "protobuf-es"], "json", "no longer read the other revision's name in JSON")) : { message: `${subject}: ${UNUSED}`, verdicts: NO_EFFECT }),
        });
      }
      return reports;
    },
  },
  {
    id: "ENUM_VALUE_NAME_REUSED",
    purpose: "Checks that no enum value name moves to another number, so JSON names read as another value.",
    categories: ["CRIU_JSON"],
    scope: "enum",
    check: ({ old, new: now }, ctx) => {
      if (!old || !now) return [];
      const used = inUse(ctx, old, now);
      const reports: Report[] = [];
      for (const v of now.values) {
        const was = old.values.find((x) => x.name === v.name);
        if (!was || was.number === v.number) continue;
        const subject = `enum value name ${v.name} moved ${was.number} → ${v.number} in ${now.fullName}`;
        reports.push({
          path: `${now.fullName}.${v.name}`,
          location: v.location,
          ...(used ? worded(subject, hazard("either", ["upb", "protobuf-es"], "json", `read ${v.name} in the other revision's JSON as another number`)) : { message: `${subject}: ${UNUSED}`, verdicts: NO_EFFECT }),
        });
      }
      return reports;
    },
  },
];
