import { getExtension, hasExtension, toJson } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type FileDescriptorSet,
} from "@bufbuild/protobuf/wkt";
import { CRIU_OptsSchema, criu } from "../gen/opts_pb";
import type { Kind } from "./kinds";

// A schema revision as plain data: what the rules compare. Built straight from the descriptor
// protos rather than from a protobuf-es registry, so that labels, explicit defaults, `packed`,
// json_name and source locations are exactly what the compiler wrote.

export type Label = "optional" | "required" | "repeated";

/** Where an element is declared: a SourceCodeInfo path, and its line when the input had one. */
export interface Location {
  file: string;
  sourcePath: number[];
  line?: number;
  column?: number;
}

export interface FieldModel {
  name: string;
  number: number;
  jsonName: string;
  label: Label;
  kind: Kind;
  /** Full name (no leading dot) of the message or enum type. */
  typeName?: string;
  packed: boolean;
  /** The explicit `[default = ...]`, as the compiler wrote it. */
  defaultValue?: string;
  /** The `(criu)` options that are set, e.g. `{ hex: true }`. */
  criu?: Record<string, unknown>;
  oneof?: string;
  /** Full name of the message that declares the field. */
  parent: string;
  location: Location;
}

export interface MessageModel {
  fullName: string;
  fields: FieldModel[];
  byNumber: Map<number, FieldModel>;
  byName: Map<string, FieldModel>;
  location: Location;
}

export interface EnumValueModel {
  name: string;
  number: number;
  location: Location;
}

export interface EnumModel {
  fullName: string;
  values: EnumValueModel[];
  /** proto2 enums are closed: readers do not keep numbers they do not know in the field. */
  closed: boolean;
  location: Location;
}

export interface SchemaModel {
  messages: Map<string, MessageModel>;
  enums: Map<string, EnumModel>;
}

export interface ModelOptions {
  /** Files left out of the comparison; by default google/protobuf/*, which CRIU vendors. */
  excludeFile?: (name: string) => boolean;
}

const defaultExclude = (name: string) => name.startsWith("google/protobuf/");

export function schemaModel(set: FileDescriptorSet, options: ModelOptions = {}): SchemaModel {
  const exclude = options.excludeFile ?? defaultExclude;
  const model: SchemaModel = { messages: new Map(), enums: new Map() };
  for (const file of set.file) {
    if (exclude(file.name)) continue;
    const at = locator(file);
    const prefix = file.package ? `${file.package}.` : "";
    const closed = file.syntax !== "proto3" && file.syntax !== "editions";
    file.enumType.forEach((e, i) => addEnum(model, e, prefix, closed, at, [5, i]));
    file.messageType.forEach((m, i) => addMessage(model, m, prefix, closed, at, [4, i]));
  }
  return model;
}

type Locate = (path: number[]) => Location;

function addMessage(model: SchemaModel, proto: DescriptorProto, prefix: string, closed: boolean, at: Locate, path: number[]) {
  const fullName = prefix + proto.name;
  const fields = proto.field.map((f, i) => fieldModel(f, proto, fullName, at([...path, 2, i])));
  model.messages.set(fullName, {
    fullName,
    fields,
    byNumber: new Map(fields.map((f) => [f.number, f])),
    byName: new Map(fields.map((f) => [f.name, f])),
    location: at(path),
  });
  proto.enumType.forEach((e, i) => addEnum(model, e, `${fullName}.`, closed, at, [...path, 4, i]));
  proto.nestedType.forEach((m, i) => addMessage(model, m, `${fullName}.`, closed, at, [...path, 3, i]));
}

function addEnum(model: SchemaModel, proto: EnumDescriptorProto, prefix: string, closed: boolean, at: Locate, path: number[]) {
  const fullName = prefix + proto.name;
  const values = proto.value.map((v, i) => ({ name: v.name, number: v.number, location: at([...path, 2, i]) }));
  model.enums.set(fullName, { fullName, values, closed, location: at(path) });
}

const LABELS: Record<number, Label> = {
  [FieldDescriptorProto_Label.OPTIONAL]: "optional",
  [FieldDescriptorProto_Label.REQUIRED]: "required",
  [FieldDescriptorProto_Label.REPEATED]: "repeated",
};

function fieldModel(f: FieldDescriptorProto, parent: DescriptorProto, parentName: string, location: Location): FieldModel {
  const field: FieldModel = {
    name: f.name,
    number: f.number,
    jsonName: f.jsonName || lowerCamel(f.name),
    label: LABELS[f.label] ?? "optional",
    kind: FieldDescriptorProto_Type[f.type].toLowerCase() as Kind,
    packed: f.options?.packed === true,
    parent: parentName,
    location,
  };
  if (f.typeName) field.typeName = f.typeName.replace(/^\./, "");
  if (f.defaultValue !== undefined && f.defaultValue !== "") field.defaultValue = f.defaultValue;
  if (f.options && hasExtension(f.options, criu)) {
    field.criu = toJson(CRIU_OptsSchema, getExtension(f.options, criu)) as Record<string, unknown>;
  }
  // proto3 `optional` lives in a synthetic oneof that changes nothing on the wire.
  if (f.oneofIndex !== undefined && !f.proto3Optional) field.oneof = parent.oneofDecl[f.oneofIndex]?.name;
  return field;
}

/** protoc's json_name for a field without an explicit one. */
export function lowerCamel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function locator(file: FileDescriptorProto): Locate {
  const spans = new Map<string, number[]>();
  for (const loc of file.sourceCodeInfo?.location ?? []) {
    const key = loc.path.join(".");
    if (!spans.has(key)) spans.set(key, loc.span);
  }
  return (sourcePath) => {
    const span = spans.get(sourcePath.join("."));
    const location: Location = { file: file.name, sourcePath };
    if (span && span.length >= 2) {
      location.line = span[0]! + 1;
      location.column = span[1]! + 1;
    }
    return location;
  };
}
