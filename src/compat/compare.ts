import { createContext, fieldPairs } from "./context";
import { isIgnored, type IgnoreEntry } from "./ignore";
import { matchTypes } from "./match";
import type { FieldModel, Location, SchemaModel } from "./model";
import type { Context, EnumPair, ExtensionPair, Finding, MessagePair, Report, Rule, ServicePair } from "./rule";
import { RULES } from "./rules/index";
import { severityOf } from "./verdict";

export interface CompareOptions {
  /** The rules to run; all of them by default. */
  rules?: readonly Rule[];
  /** Findings to leave out, by rule id and/or path. */
  ignore?: readonly IgnoreEntry[];
  /**
   * Word findings for crit's JSON (keys by proto name, "crit ignores the old key"). By default
   * only when one of the schemas is CRIU's (uses the (criu) field options).
   */
  critJson?: boolean;
}

/** An element of one revision: where it is, and (for the new revision) what encloses it. */
interface Element {
  location?: Location;
}

/**
 * Every difference between two schema revisions that a rule knows, old → new. Findings of
 * severity `info` (compatible changes) are included, so that each change is classified.
 */
export function compareSchemas(old: SchemaModel, now: SchemaModel, options: CompareOptions = {}): Finding[] {
  const rules = options.rules ?? RULES;
  const messageRules = rules.filter((r) => r.scope === "message");
  const fieldRules = rules.filter((r) => r.scope === "field");
  const matching = matchTypes(old, now);
  const ctx = createContext(old, now, rules, matching, options.critJson ?? (old.criu || now.criu));
  const findings: Finding[] = [];
  // A finding sits on the new revision's element; a removed one on what encloses it there.
  const emit: Emit = (rule, reports, path, oldElement, newElement, enclosing) => {
    for (const r of reports) {
      if (typeof path === "function") path = path();
      const finding: Finding = { rule: rule.id, path: r.path ?? path, message: r.message, severity: severityOf(r.verdicts), verdicts: r.verdicts };
      if (r.wording) finding.wording = r.wording;
      const location = r.location ?? newElement?.location ?? enclosing();
      if (location) finding.location = location;
      const before = r.oldLocation ?? (newElement ? undefined : oldElement?.location);
      if (before) finding.oldLocation = before;
      findings.push(finding);
    }
  };

  const newMatched = new Set(matching.messages.values());
  const messagePairs: MessagePair[] = [
    ...[...old.messages.keys()].sort().map((name) => ({ old: old.messages.get(name)!, new: now.messages.get(matching.messages.get(name) ?? "") })),
    ...[...now.messages.keys()].sort().filter((n) => !newMatched.has(n)).map((n) => ({ new: now.messages.get(n)! })),
  ];
  for (const pair of messagePairs) runMessage(messageRules, fieldRules, pair, ctx, emit);

  const newEnums = new Set(matching.enums.values());
  const enumPairs: EnumPair[] = [
    ...[...old.enums.keys()].sort().map((n) => ({ old: old.enums.get(n)!, new: now.enums.get(matching.enums.get(n) ?? "") })),
    ...[...now.enums.keys()].sort().filter((n) => !newEnums.has(n)).map((n) => ({ new: now.enums.get(n)! })),
  ];
  for (const pair of enumPairs) {
    const name = (pair.new ?? pair.old)!.fullName;
    for (const rule of rules) {
      if (rule.scope === "enum") emit(rule, rule.check(pair, ctx), name, pair.old, pair.new, () => enclosingOf(now, name, pair.old?.location));
    }
  }

  const servicePairs: ServicePair[] = [...new Set([...old.services.keys(), ...now.services.keys()])].sort().map((n) => ({ old: old.services.get(n), new: now.services.get(n) }));
  for (const pair of servicePairs) {
    const name = (pair.new ?? pair.old)!.fullName;
    for (const rule of rules) {
      if (rule.scope === "service") emit(rule, rule.check(pair, ctx), name, pair.old, pair.new, () => enclosingOf(now, name, pair.old?.location));
    }
  }

  for (const pair of extensionPairs(old, now, ctx)) {
    const x = (pair.new ?? pair.old)!;
    for (const rule of rules) {
      if (rule.scope === "extension") emit(rule, rule.check(pair, ctx), x.name, pair.old, pair.new, () => enclosingOf(now, x.name, pair.old?.location));
    }
  }
  const ignore = options.ignore ?? [];
  return ignore.length ? findings.filter((f) => !isIgnored(f, ignore)) : findings;
}

/** `path` may be given as a function: it is then only worked out when there are reports. */
type Emit = (
  rule: Rule,
  reports: Report[],
  path: string | (() => string),
  oldElement: Element | undefined,
  newElement: Element | undefined,
  enclosing: () => Location | undefined,
) => void;

type RuleOf<S extends Rule["scope"]> = Extract<Rule, { scope: S }>;

function runMessage(messageRules: readonly Rule[], fieldRules: readonly Rule[], pair: MessagePair, ctx: Context, emit: Emit) {
  const name = (pair.new ?? pair.old)!.fullName;
  // Map entries are compared through their map field (the MAP_* rules), not on their own.
  if ((pair.new ?? pair.old)!.mapEntry) return;
  const enclosing = () => enclosingOf(ctx.new, name, pair.old?.location);
  for (const rule of messageRules as readonly RuleOf<"message">[]) emit(rule, rule.check(pair, ctx), name, pair.old, pair.new, enclosing);
  if (!pair.old || !pair.new) return;
  const message = pair.new;
  const location = () => message.location;
  for (const fieldPair of fieldPairs(pair.old, pair.new)) {
    const path = () => `${message.fullName}.${(fieldPair.new ?? fieldPair.old)!.name}`;
    for (const rule of fieldRules as readonly RuleOf<"field">[]) {
      const reports = rule.check(fieldPair, ctx);
      if (reports.length > 0) emit(rule, reports, path, fieldPair.old, fieldPair.new, location);
    }
  }
}

/** Extensions paired by extendee (or its rename) and number. */
function extensionPairs(old: SchemaModel, now: SchemaModel, ctx: Context): ExtensionPair[] {
  const key = (f: FieldModel, extendee = f.extendee) => `${extendee}:${f.number}`;
  const newByKey = new Map([...now.extensions.values()].map((x) => [key(x), x]));
  const seen = new Set<FieldModel>();
  const pairs: ExtensionPair[] = [];
  for (const x of [...old.extensions.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const match = newByKey.get(key(x, ctx.renamedTo(x.extendee ?? "") ?? x.extendee));
    if (match) seen.add(match);
    pairs.push({ old: x, new: match });
  }
  for (const x of now.extensions.values()) if (!seen.has(x)) pairs.push({ new: x });
  return pairs;
}

/**
 * Where a removed element is shown in the new revision: the nearest enclosing message that is
 * still there, else its file when the file is still there (line 1), else nowhere.
 */
function enclosingOf(now: SchemaModel, path: string, old: Location | undefined): Location | undefined {
  for (let p = path; p.includes("."); ) {
    p = p.slice(0, p.lastIndexOf("."));
    const found = now.messages.get(p) ?? now.enums.get(p);
    if (found) return found.location;
  }
  if (old && now.files.has(old.file)) return { file: old.file, sourcePath: [], line: 1, column: 1 };
  return undefined;
}
