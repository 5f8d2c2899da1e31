import { getExtension, hasExtension, toJsonString } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorSet,
} from "@bufbuild/protobuf/wkt";
import { criu, CRIU_OptsSchema } from "../../src/gen/opts_pb";

/**
 * Flattens a descriptor set into `path → description` lines, one per file, message, field,
 * enum, enum value and extension, so that two sets can be compared element by element.
 */
export function flattenDescriptorSet(
  set: FileDescriptorSet,
  skipFile: (name: string) => boolean = (name) => name.startsWith("google/"),
): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of set.file) {
    if (skipFile(file.name)) continue;
    const where = `${file.name}:`;
    out.set(`${where}file`, JSON.stringify({ deps: file.dependency, syntax: file.syntax || "proto2" }));
    for (const m of file.messageType) flattenMessage(out, where, m, "");
    for (const e of file.enumType) flattenEnum(out, where, e, "");
    for (const x of file.extension) out.set(`${where}extension ${x.name}`, describeField(x));
  }
  return out;
}

function flattenMessage(out: Map<string, string>, where: string, m: DescriptorProto, scope: string) {
  const name = scope + m.name;
  out.set(`${where}message ${name}`, JSON.stringify({ oneofs: m.oneofDecl.map((o) => o.name) }));
  for (const f of m.field) out.set(`${where}field ${name}.${f.name}`, describeField(f));
  for (const n of m.nestedType) flattenMessage(out, where, n, `${name}.`);
  for (const e of m.enumType) flattenEnum(out, where, e, `${name}.`);
  for (const x of m.extension) out.set(`${where}extension ${name}.${x.name}`, describeField(x));
}

function flattenEnum(out: Map<string, string>, where: string, e: EnumDescriptorProto, scope: string) {
  const name = scope + e.name;
  out.set(`${where}enum ${name}`, JSON.stringify({ values: e.value.length }));
  for (const v of e.value) out.set(`${where}value ${name}.${v.name}`, String(v.number));
}

function describeField(f: FieldDescriptorProto): string {
  const opts = f.options;
  return JSON.stringify({
    number: f.number,
    label: FieldDescriptorProto_Label[f.label],
    type: FieldDescriptorProto_Type[f.type],
    typeName: f.typeName,
    extendee: f.extendee,
    default: f.defaultValue,
    packed: opts?.packed,
    jsonName: f.jsonName,
    oneof: f.oneofIndex,
    criu: opts && hasExtension(opts, criu) ? toJsonString(CRIU_OptsSchema, getExtension(opts, criu)) : undefined,
  });
}

/** Every element that is missing, extra or different between `expected` and `actual`. */
export function diffFlattened(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [path, want] of expected) {
    const got = actual.get(path);
    if (got === undefined) diffs.push(`missing  ${path}  ${want}`);
    else if (got !== want) diffs.push(`differs  ${path}\n   want ${want}\n   got  ${got}`);
  }
  for (const [path, got] of actual) {
    if (!expected.has(path)) diffs.push(`extra    ${path}  ${got}`);
  }
  return diffs;
}
