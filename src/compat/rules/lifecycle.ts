import type { Context, Report, Rule } from "../rule";
import { NO_EFFECT } from "../verdict";

// Whole message and enum types: matched by full name, by what refers to them, or by structure
// when renamed or moved. A removed type matters only through what used it: a field, extension
// or method that is still there now refers to another type, and the rules on that element
// compare the two types by structure (so that the two findings never disagree); a type that
// nothing still there referred to is written and read by no one.

function removal(kind: "message" | "enum", name: string, ctx: Context): Report {
  const users = ctx.survivingUsers(name);
  const copies = ctx.copiesOf(name);
  const copied = copies.length ? `; copies of the same shape: ${copies.join(", ")}` : "";
  if (users.length === 0) {
    const before = ctx.usersOf("old", name);
    const why = before.length ? `only elements removed with it referred to it (${before.join(", ")})` : "nothing in the old revision refers to it";
    return { message: `${kind} ${name} removed: ${why}${copied}`, verdicts: NO_EFFECT };
  }
  return { message: `${kind} ${name} removed; ${users.join(", ")} now refer to another type (compared there)${copied}`, verdicts: NO_EFFECT };
}

export const typeLifecycleRules: Rule[] = [
  {
    id: "MESSAGE_ADDED",
    purpose: "Reports a message type added.",
    categories: ["CRIU_INFO"],
    scope: "message",
    check: ({ old, new: now }) => (!old && now ? [{ message: `message ${now.fullName} added`, verdicts: NO_EFFECT }] : []),
  },
  {
    id: "MESSAGE_REMOVED",
    purpose: "Reports a message type removed, and what used it: remaining users are compared to their new type.",
    categories: ["CRIU_INFO"],
    scope: "message",
    check: ({ old, new: now }, ctx) => (old && !now ? [removal("message", old.fullName, ctx)] : []),
  },
  {
    id: "MESSAGE_RENAMED",
    purpose: "Reports a message type renamed with the same structure: the wire is unchanged, generated names change.",
    categories: ["CRIU_INFO"],
    scope: "message",
    check: ({ old, new: now }) => {
      if (!old || !now || old.fullName === now.fullName) return [];
      // Paired by shape, or through what refers to it (renamed and changed): then its fields differ.
      const same = old.fields.length === now.fields.length && old.fields.every((f) => now.byNumber.get(f.number)?.name === f.name);
      const how = same ? "same fields, same wire" : "paired through what refers to it; its fields are compared one by one";
      return [{ message: `message ${old.fullName} renamed ${now.fullName}: ${how}`, verdicts: NO_EFFECT }];
    },
  },
  {
    id: "ENUM_ADDED",
    purpose: "Reports an enum type added.",
    categories: ["CRIU_INFO"],
    scope: "enum",
    check: ({ old, new: now }) => (!old && now ? [{ message: `enum ${now.fullName} added`, verdicts: NO_EFFECT }] : []),
  },
  {
    id: "ENUM_REMOVED",
    purpose: "Reports an enum type removed, and what used it: remaining users are compared to their new type.",
    categories: ["CRIU_INFO"],
    scope: "enum",
    check: ({ old, new: now }, ctx) => (old && !now ? [removal("enum", old.fullName, ctx)] : []),
  },
  {
    id: "ENUM_RENAMED",
    purpose: "Reports an enum type renamed with the same values: the wire and JSON are unchanged.",
    categories: ["CRIU_INFO"],
    scope: "enum",
    check: ({ old, new: now }) => {
      if (!old || !now || old.fullName === now.fullName) return [];
      const text = (e: typeof old) => e.values.map((v) => `${v.name}=${v.number}`).sort().join(",");
      const how = text(old) === text(now) ? "same values" : "paired through what refers to it; its values are compared one by one";
      return [{ message: `enum ${old.fullName} renamed ${now.fullName}: ${how}`, verdicts: NO_EFFECT }];
    },
  },
];
