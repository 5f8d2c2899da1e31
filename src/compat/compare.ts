import { isIgnored, type IgnoreEntry } from "./ignore";
import { matchTypes, type Matching } from "./match";
import type { EnumModel, FieldModel, MessageModel, SchemaModel } from "./model";
import type { Context, EnumPair, FieldPair, Finding, MessagePair, Report, Rule, TypeComparison } from "./rule";
import { RULES } from "./rules/index";
import { NO_EFFECT, combine, severityOf } from "./verdict";

export interface CompareOptions {
  /** The rules to run; all of them by default. */
  rules?: readonly Rule[];
  /** Findings to leave out, by rule id and/or path. */
  ignore?: readonly IgnoreEntry[];
}

/**
 * Every difference between two schema revisions that a rule knows, old → new. Findings of
 * severity `info` (compatible changes) are included, so that each change is classified.
 */
export function compareSchemas(old: SchemaModel, now: SchemaModel, options: CompareOptions = {}): Finding[] {
  const rules = options.rules ?? RULES;
  const matching = matchTypes(old, now);
  const ctx = createContext(old, now, rules, matching);
  const findings: Finding[] = [];
  const emit = (rule: Rule, reports: Report[], path: string, element: { location: Finding["location"] }) => {
    for (const r of reports) {
      const finding: Finding = { rule: rule.id, path: r.path ?? path, message: r.message, severity: severityOf(r.verdicts), verdicts: r.verdicts };
      const location = r.location ?? element.location;
      if (location) finding.location = location;
      findings.push(finding);
    }
  };

  const newMatched = new Set(matching.messages.values());
  for (const name of [...old.messages.keys()].sort()) {
    const pair: MessagePair = { old: old.messages.get(name)!, new: now.messages.get(matching.messages.get(name) ?? "") };
    runMessage(rules, pair, ctx, emit);
  }
  for (const name of [...now.messages.keys()].sort()) {
    if (!newMatched.has(name)) runMessage(rules, { new: now.messages.get(name)! }, ctx, emit);
  }
  const newEnums = new Set(matching.enums.values());
  const enumPairs: EnumPair[] = [
    ...[...old.enums.keys()].sort().map((n) => ({ old: old.enums.get(n)!, new: now.enums.get(matching.enums.get(n) ?? "") })),
    ...[...now.enums.keys()].sort().filter((n) => !newEnums.has(n)).map((n) => ({ new: now.enums.get(n)! })),
  ];
  for (const pair of enumPairs) {
    for (const rule of rules) {
      if (rule.scope === "enum") emit(rule, rule.check(pair, ctx), (pair.new ?? pair.old)!.fullName, (pair.new ?? pair.old)!);
    }
  }
  const ignore = options.ignore ?? [];
  return ignore.length ? findings.filter((f) => !isIgnored(f, ignore)) : findings;
}

type Emit = (rule: Rule, reports: Report[], path: string, element: { location: Finding["location"] }) => void;

function runMessage(rules: readonly Rule[], pair: MessagePair, ctx: Context, emit: Emit) {
  const element = (pair.new ?? pair.old)!;
  for (const rule of rules) if (rule.scope === "message") emit(rule, rule.check(pair, ctx), element.fullName, element);
  if (!pair.old || !pair.new) return;
  for (const fieldPair of fieldPairs(pair.old, pair.new)) {
    const field = (fieldPair.new ?? fieldPair.old)!;
    for (const rule of rules) {
      if (rule.scope === "field") emit(rule, rule.check(fieldPair, ctx), `${pair.new.fullName}.${field.name}`, field);
    }
  }
}

/** Fields of two revisions of a message, paired by number, in number order. */
function fieldPairs(old: MessageModel, now: MessageModel): FieldPair[] {
  const numbers = [...new Set([...old.byNumber.keys(), ...now.byNumber.keys()])].sort((a, b) => a - b);
  return numbers.map((n) => ({ old: old.byNumber.get(n), new: now.byNumber.get(n), oldMessage: old, newMessage: now }));
}

function requiredUsersOf(schema: SchemaModel): Map<string, FieldModel[]> {
  const users = new Map<string, FieldModel[]>();
  for (const m of schema.messages.values()) {
    for (const f of m.fields) {
      if (f.kind === "enum" && f.label === "required" && f.typeName) users.set(f.typeName, [...(users.get(f.typeName) ?? []), f]);
    }
  }
  return users;
}

function createContext(old: SchemaModel, now: SchemaModel, rules: readonly Rule[], matching: Matching): Context {
  const users = { old: requiredUsersOf(old), new: requiredUsersOf(now) };
  const memo = new Map<string, TypeComparison>();

  // Reports that are not info, folded into one verdict and a list of rule ids.
  const fold = (found: { rule: string; report: Report }[]): TypeComparison => {
    const notable = found.filter((f) => severityOf(f.report.verdicts) !== "info");
    return {
      verdicts: notable.reduce((v, f) => combine(v, f.report.verdicts), NO_EFFECT),
      rules: [...new Set(notable.map((f) => f.rule))],
    };
  };

  const ctx: Context = {
    old,
    new: now,
    renamedTo: (name) => matching.messages.get(name) ?? matching.enums.get(name),
    requiredUsers: (side, enumName) => users[side].get(enumName) ?? [],
    compareMessageTypes(oldName, newName) {
      const key = `${oldName}\u0000${newName}`;
      const known = memo.get(key);
      if (known) return known;
      // A recursive type compares as equal while its own comparison is under way.
      memo.set(key, { verdicts: NO_EFFECT, rules: [] });
      const a = old.messages.get(oldName);
      const b = now.messages.get(newName);
      const found: { rule: string; report: Report }[] = [];
      if (a && b) {
        for (const pair of fieldPairs(a, b)) {
          for (const rule of rules) {
            if (rule.scope === "field") for (const report of rule.check(pair, ctx)) found.push({ rule: rule.id, report });
          }
        }
      }
      const result = fold(found);
      memo.set(key, result);
      return result;
    },
    compareEnumTypes(oldName, newName) {
      const pair: { old?: EnumModel; new?: EnumModel } = { old: old.enums.get(oldName), new: now.enums.get(newName) };
      const found: { rule: string; report: Report }[] = [];
      for (const rule of rules) {
        if (rule.scope === "enum") for (const report of rule.check(pair, ctx)) found.push({ rule: rule.id, report });
      }
      return fold(found);
    },
  };
  return ctx;
}
