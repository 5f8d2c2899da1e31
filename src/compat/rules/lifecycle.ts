import type { Rule } from "../rule";
import { NO_EFFECT, all, verdicts } from "../verdict";

// Whole message and enum types: matched by full name, or by structure when renamed.

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
    purpose: "Checks that no message type is removed: new readers can no longer decode old data of that type.",
    categories: ["CRIU_WIRE"],
    scope: "message",
    check: ({ old, new: now }) =>
      old && !now ? [{ message: `message ${old.fullName} removed: data of that type no longer decodes under the new revision`, verdicts: verdicts(all("loss"), all("none")) }] : [],
  },
  {
    id: "MESSAGE_RENAMED",
    purpose: "Reports a message type renamed with the same structure: the wire is unchanged, generated names change.",
    categories: ["CRIU_INFO"],
    scope: "message",
    check: ({ old, new: now }) =>
      old && now && old.fullName !== now.fullName ? [{ message: `message ${old.fullName} renamed ${now.fullName}: same fields, same wire`, verdicts: NO_EFFECT }] : [],
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
    purpose: "Checks that no enum type is removed.",
    categories: ["CRIU_WIRE"],
    scope: "enum",
    check: ({ old, new: now }) =>
      old && !now ? [{ message: `enum ${old.fullName} removed`, verdicts: verdicts(all("loss"), all("none")) }] : [],
  },
  {
    id: "ENUM_RENAMED",
    purpose: "Reports an enum type renamed with the same values: the wire and JSON are unchanged.",
    categories: ["CRIU_INFO"],
    scope: "enum",
    check: ({ old, new: now }) =>
      old && now && old.fullName !== now.fullName ? [{ message: `enum ${old.fullName} renamed ${now.fullName}: same values`, verdicts: NO_EFFECT }] : [],
  },
];
