import { createFileRegistry, isFieldSet } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Type, FieldDescriptorProtoSchema, type DescriptorProto, type EnumDescriptorProto, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";

// A descriptor set is checked before it is compared: a hand-made or truncated one (no files,
// a type that is not defined, two fields with one number...) would otherwise compare as a
// schema that does not exist. protoc and buf refuse such sets; so do we, saying why.

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** What is wrong with a descriptor set, one line each (empty: nothing). */
export function descriptorSetProblems(set: FileDescriptorSet): string[] {
  const problems: string[] = [];
  if (set.file.length === 0) return ["no .proto file in it (an empty or truncated descriptor set)"];
  const types = new Map<string, "message" | "enum">();
  const define = (name: string, kind: "message" | "enum") => {
    if (types.has(name)) problems.push(`${name.slice(1)} is defined twice`);
    types.set(name, kind);
  };
  const messages: [string, DescriptorProto][] = [];
  const collect = (scope: string, list: DescriptorProto[], enums: EnumDescriptorProto[]) => {
    for (const e of enums) define(`${scope}.${e.name}`, "enum");
    for (const m of list) {
      const name = `${scope}.${m.name}`;
      define(name, "message");
      messages.push([name, m]);
      collect(name, m.nestedType, m.enumType);
    }
  };
  for (const f of set.file) collect(f.package ? `.${f.package}` : "", f.messageType, f.enumType);
  for (const [name, m] of messages) {
    const numbers = new Set<number>();
    const names = new Set<string>();
    for (const field of m.field) {
      const where = `${name.slice(1)}.${field.name}`;
      if (names.has(field.name)) problems.push(`${where}: a second field of that name`);
      names.add(field.name);
      if (!Number.isInteger(field.number) || field.number < 1 || field.number > MAX_FIELD_NUMBER) {
        problems.push(`${where}: field number ${field.number}, not from 1 to ${MAX_FIELD_NUMBER}`);
      } else if (numbers.has(field.number)) problems.push(`${where}: field number ${field.number} is used twice`);
      numbers.add(field.number);
      // A type protobuf does not know is kept among the unknown fields, leaving `type` unset.
      if (!isFieldSet(field, FieldDescriptorProtoSchema.field.type)) problems.push(`${where}: no field type, or one protobuf does not know`);
      const wants = field.type === FieldDescriptorProto_Type.MESSAGE || field.type === FieldDescriptorProto_Type.GROUP ? "message" : field.type === FieldDescriptorProto_Type.ENUM ? "enum" : undefined;
      if (wants && !field.typeName) problems.push(`${where}: a ${wants} field without its type name`);
      if (field.typeName) {
        const found = resolve(types, name, field.typeName);
        if (!found) problems.push(`${where}: type ${field.typeName} is not defined`);
        else if (wants && types.get(found) !== wants) problems.push(`${where}: ${field.typeName} is not ${wants === "enum" ? "an enum" : "a message"}`);
      }
    }
  }
  if (problems.length === 0) {
    try {
      createFileRegistry(set);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return problems;
}

/** protoc's name lookup: a fully-qualified name, or relative to the scopes around `scope`. */
function resolve(types: Map<string, unknown>, scope: string, name: string): string | undefined {
  if (name.startsWith(".")) return types.has(name) ? name : undefined;
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf(".")))) {
    const candidate = `${s}.${name}`;
    if (types.has(candidate)) return candidate;
    if (s === "") return undefined;
  }
}
