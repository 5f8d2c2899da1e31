import type { EnumModel, FieldModel, Location, MessageModel, SchemaModel } from "./model";
import type { Severity, Verdicts } from "./verdict";

// Rules are data: an id, a one-sentence purpose, categories, and one small pure handler over a
// pair of elements (old, new). The engine pairs the elements and turns reports into findings.

/** Two revisions of one field: same message (by name or detected rename), same number. */
export interface FieldPair {
  old?: FieldModel;
  new?: FieldModel;
  oldMessage: MessageModel;
  newMessage: MessageModel;
}

/** Two revisions of one message type; one side is missing when it was added or removed. */
export interface MessagePair {
  old?: MessageModel;
  new?: MessageModel;
}

export interface EnumPair {
  old?: EnumModel;
  new?: EnumModel;
}

/** What rules may ask about the two schemas, beyond the pair in hand. */
export interface Context {
  old: SchemaModel;
  new: SchemaModel;
  /** The new name of an old message or enum (itself, or its detected rename). */
  renamedTo(oldName: string): string | undefined;
  /** Two message types compared field by field (recursively, memoised): worst effect and rules. */
  compareMessageTypes(oldName: string, newName: string): TypeComparison;
  /** Two enum types compared value by value. */
  compareEnumTypes(oldName: string, newName: string): TypeComparison;
  /** The required fields of one revision whose type is the named enum. */
  requiredUsers(side: "old" | "new", enumName: string): FieldModel[];
}

export interface TypeComparison {
  verdicts: Verdicts;
  /** Ids of the rules that found something other than info, in order, without repeats. */
  rules: string[];
}

export interface Report {
  message: string;
  verdicts: Verdicts;
  /** Element path, when not the pair's own (e.g. an enum value). */
  path?: string;
  location?: Location;
}

interface RuleBase {
  /** UPPER_SNAKE_CASE, unique, distinct from buf's own rule ids (buf check plugins need that). */
  id: string;
  /** One sentence, capitalised, ending with a period (buf's plugin protocol checks that too). */
  purpose: string;
  categories: string[];
}

export type Rule =
  | (RuleBase & { scope: "field"; check(pair: FieldPair, ctx: Context): Report[] })
  | (RuleBase & { scope: "message"; check(pair: MessagePair, ctx: Context): Report[] })
  | (RuleBase & { scope: "enum"; check(pair: EnumPair, ctx: Context): Report[] });

export interface Finding {
  rule: string;
  /** The changed element: `message.field`, `enum.VALUE`, `message`. */
  path: string;
  message: string;
  severity: Severity;
  verdicts: Verdicts;
  /** Where the element is declared: the new revision's file, or the old one's if removed. */
  location?: Location;
}

/** Categories shared by the rules; prefixed so that they never clash with buf's own. */
export const CATEGORIES: Record<string, string> = {
  CRIU_WIRE: "Checks that data written under one revision reads with the same values under the other, per reader.",
  CRIU_JSON: "Checks that ProtoJSON and crit's JSON keep their keys and values across revisions.",
  CRIU_OPTIONS: "Checks that (criu) field options, which drive crit's pretty JSON, do not change.",
  CRIU_INFO: "Reports compatible changes, so that every change between two revisions is classified.",
};
