import type { EnumModel, FieldModel, Location, MessageModel, SchemaModel, ServiceModel } from "./model";
import type { Direction, Reader, Severity, Verdicts } from "./verdict";
import type { Wording } from "./wording";

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

export interface ServicePair {
  old?: ServiceModel;
  new?: ServiceModel;
}

/** Two revisions of one extension: same extendee (or its rename) and number. */
export interface ExtensionPair {
  old?: FieldModel;
  new?: FieldModel;
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
  /** Two fields compared by every field rule (e.g. the values of a map, two extensions). */
  compareFields(old: FieldModel, now: FieldModel): TypeComparison;
  /** The required fields of one revision whose type is the named enum. */
  requiredUsers(side: "old" | "new", enumName: string): FieldModel[];
  /** What refers to a type in one revision: `message.field`, extension and method names. */
  usersOf(side: "old" | "new", typeName: string): string[];
  /** The old revision's references to a type from elements that are still there in the new one. */
  survivingUsers(oldTypeName: string): string[];
  /** New types with the shape of an unpaired old one, when there are several. */
  copiesOf(oldTypeName: string): string[];
  /** Word findings for crit's JSON (CRIU's schema, or asked for) rather than ProtoJSON alone. */
  critJson: boolean;
}

export interface TypeComparison {
  verdicts: Verdicts;
  /** Ids of the rules that found something other than info, in order, without repeats. */
  rules: string[];
}

export interface Report {
  message: string;
  verdicts: Verdicts;
  /** The message in parts, for wording it again per selected reader (see wording.ts). */
  wording?: Wording;
  /** Element path, when not the pair's own (e.g. an enum value). */
  path?: string;
  /** Where the element is in the new revision, when not the pair's own. */
  location?: Location;
  /** Where a removed element was in the old revision. */
  oldLocation?: Location;
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
  | (RuleBase & { scope: "enum"; check(pair: EnumPair, ctx: Context): Report[] })
  | (RuleBase & { scope: "service"; check(pair: ServicePair, ctx: Context): Report[] })
  | (RuleBase & { scope: "extension"; check(pair: ExtensionPair, ctx: Context): Report[] });

export interface Finding {
  rule: string;
  /** The changed element: `message.field`, `enum.VALUE`, `message`. */
  path: string;
  message: string;
  severity: Severity;
  verdicts: Verdicts;
  /** The message in parts, for wording it again per selected reader (see wording.ts). */
  wording?: Wording;
  /** The readers and directions the message and severity are for, when not all (selectFindings). */
  selection?: { readers: readonly Reader[]; directions: readonly Direction[] };
  /**
   * Where the element is declared in the new revision; for a removed element, what encloses it
   * there (its message, or its file), as buf points.
   */
  location?: Location;
  /** Where a removed or changed element was declared in the old revision. */
  oldLocation?: Location;
}

/** Categories shared by the rules; prefixed so that they never clash with buf's own. */
export const CATEGORIES: Record<string, string> = {
  CRIU_WIRE: "Checks that data written under one revision reads with the same values under the other, per reader.",
  CRIU_JSON: "Checks that ProtoJSON and crit's JSON keep their keys and values across revisions.",
  CRIU_OPTIONS: "Checks that (criu) field options, which drive crit's pretty JSON, do not change.",
  CRIU_RPC: "Checks that services keep their methods, request and response types and streaming.",
  CRIU_INFO: "Reports compatible changes, so that every change between two revisions is classified.",
};
