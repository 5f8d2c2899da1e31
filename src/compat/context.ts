import { push, referrers, type Matching } from "./match";
import type { FieldModel, MessageModel, SchemaModel } from "./model";
import type { Context, FieldPair, Report, Rule, TypeComparison } from "./rule";
import { NO_EFFECT, combine, severityOf } from "./verdict";

// What rules may ask beyond the pair in hand: renames, structural comparison of two types,
// and who uses a type in each revision.

/** Fields of two revisions of a message, paired by number, in number order. */
export function fieldPairs(old: MessageModel, now: MessageModel): FieldPair[] {
  const numbers = [...new Set([...old.byNumber.keys(), ...now.byNumber.keys()])].sort((a, b) => a - b);
  return numbers.map((n) => ({ old: old.byNumber.get(n), new: now.byNumber.get(n), oldMessage: old, newMessage: now }));
}

function requiredUsersOf(schema: SchemaModel): Map<string, FieldModel[]> {
  const users = new Map<string, FieldModel[]>();
  for (const m of schema.messages.values()) {
    for (const f of m.fields) {
      if (f.kind === "enum" && f.label === "required" && f.typeName) push(users, f.typeName, f);
    }
  }
  return users;
}

/** A message holding one field: lets field rules compare two lone fields (extensions, map values). */
function holder(f: FieldModel): MessageModel {
  return { fullName: f.parent, fields: [f], byNumber: new Map([[f.number, f]]), byName: new Map([[f.name, f]]), reservedNumbers: [], reservedNames: [], mapEntry: false, location: f.location };
}

/** The old revision's references to each type from elements found again in the new one. */
function survivingReferences(old: SchemaModel, now: SchemaModel, matching: Matching): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (type: string | undefined, who: string) => {
    if (type) push(out, type, who);
  };
  for (const m of old.messages.values()) {
    const n = now.messages.get(matching.messages.get(m.fullName) ?? "");
    if (!n) continue;
    for (const f of m.fields) if (n.byNumber.has(f.number)) add(f.typeName, `${m.fullName}.${f.name}`);
  }
  for (const [key, x] of old.extensions) if (now.extensions.has(key)) add(x.typeName, x.name);
  for (const s of old.services.values()) {
    const t = now.services.get(s.fullName);
    for (const m of s.methods.values()) {
      if (!t?.methods.has(m.name)) continue;
      add(m.input, `${s.fullName}.${m.name}`);
      add(m.output, `${s.fullName}.${m.name}`);
    }
  }
  return out;
}

export function createContext(old: SchemaModel, now: SchemaModel, rules: readonly Rule[], matching: Matching, critJson: boolean): Context {
  const users = { old: requiredUsersOf(old), new: requiredUsersOf(now) };
  const refs = { old: referrers(old), new: referrers(now) };
  const surviving = survivingReferences(old, now, matching);
  const memo = new Map<string, TypeComparison>();

  // Reports that are not info, folded into one verdict and a list of rule ids.
  const fold = (found: { rule: string; report: Report }[]): TypeComparison => {
    const notable = found.filter((f) => severityOf(f.report.verdicts) !== "info");
    return {
      verdicts: notable.reduce((v, f) => combine(v, f.report.verdicts), NO_EFFECT),
      rules: [...new Set(notable.map((f) => f.rule))],
    };
  };
  const fieldRules = rules.filter((r): r is Extract<Rule, { scope: "field" }> => r.scope === "field");
  const runFields = (pairs: FieldPair[]) => {
    const found: { rule: string; report: Report }[] = [];
    for (const pair of pairs) {
      for (const rule of fieldRules) for (const report of rule.check(pair, ctx)) found.push({ rule: rule.id, report });
    }
    return fold(found);
  };

  const ctx: Context = {
    old,
    new: now,
    critJson,
    renamedTo: (name) => matching.messages.get(name) ?? matching.enums.get(name),
    requiredUsers: (side, enumName) => users[side].get(enumName) ?? [],
    usersOf: (side, typeName) => refs[side].get(typeName) ?? [],
    survivingUsers: (typeName) => surviving.get(typeName) ?? [],
    copiesOf: (typeName) => matching.copies.get(typeName) ?? [],
    compareFields: (a, b) => runFields([{ old: a, new: b, oldMessage: holder(a), newMessage: holder(b) }]),
    compareMessageTypes(oldName, newName) {
      const key = `${oldName}\u0000${newName}`;
      const known = memo.get(key);
      if (known) return known;
      // A recursive type compares as equal while its own comparison is under way.
      memo.set(key, { verdicts: NO_EFFECT, rules: [] });
      const a = old.messages.get(oldName);
      const b = now.messages.get(newName);
      const result = a && b ? runFields(fieldPairs(a, b)) : { verdicts: NO_EFFECT, rules: [] };
      memo.set(key, result);
      return result;
    },
    compareEnumTypes(oldName, newName) {
      const pair = { old: old.enums.get(oldName), new: now.enums.get(newName) };
      const found: { rule: string; report: Report }[] = [];
      for (const rule of rules) {
        if (rule.scope === "enum") for (const report of rule.check(pair, ctx)) found.push({ rule: rule.id, report });
      }
      return fold(found);
    },
  };
  return ctx;
}
