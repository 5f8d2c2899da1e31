import { getExtension, hasExtension, isFieldSet, toJson } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type FileDescriptorSet,
  type ServiceDescriptorProto,
  FieldDescriptorProtoSchema,
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
  /** proto3 fields without `optional`: absent and zero are the same, JSON leaves zeros out. */
  implicit?: boolean;
  /** A map field: the key and value of its entry message (`typeName` names the entry). */
  map?: { key: FieldModel; value: FieldModel };
  /** An extension: the full name of the message it extends; `name` is then its full name. */
  extendee?: string;
  /** Full name of the message that declares the field (for extensions, the extendee). */
  parent: string;
  location: Location;
}

export interface MessageModel {
  fullName: string;
  fields: FieldModel[];
  byNumber: Map<number, FieldModel>;
  byName: Map<string, FieldModel>;
  /** `reserved` numbers as [start, end] inclusive ranges, and reserved names. */
  reservedNumbers: [number, number][];
  reservedNames: string[];
  /** The synthetic entry message of a map field. */
  mapEntry: boolean;
  location: Location;
}

export interface MethodModel {
  name: string;
  /** Full names (no leading dot) of the request and response messages. */
  input: string;
  output: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
  location: Location;
}

export interface ServiceModel {
  fullName: string;
  methods: Map<string, MethodModel>;
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
  services: Map<string, ServiceModel>;
  /** Extensions by `extendee:number`. */
  extensions: Map<string, FieldModel>;
  /** The files compared (excluded ones left out). */
  files: Set<string>;
  /** Whether the schema is CRIU's: it uses the (criu) field options that drive crit's JSON. */
  criu: boolean;
}

export const extensionKey = (f: Pick<FieldModel, "extendee" | "number">) => `${f.extendee}:${f.number}`;

export interface ModelOptions {
  /** Files left out of the comparison; by default google/protobuf/*, which CRIU vendors. */
  excludeFile?: (name: string) => boolean;
}

const defaultExclude = (name: string) => name.startsWith("google/protobuf/");

export function schemaModel(set: FileDescriptorSet, options: ModelOptions = {}): SchemaModel {
  const exclude = options.excludeFile ?? defaultExclude;
  const model: SchemaModel = { messages: new Map(), enums: new Map(), services: new Map(), extensions: new Map(), files: new Set(), criu: false };
  for (const file of set.file) {
    if (exclude(file.name)) continue;
    model.files.add(file.name);
    const at = locator(file);
    const prefix = file.package ? `${file.package}.` : "";
    const syntax: Syntax = { closed: file.syntax !== "proto3" && file.syntax !== "editions", proto3: file.syntax === "proto3" };
    file.enumType.forEach((e, i) => addEnum(model, e, prefix, syntax.closed, at, [5, i]));
    file.messageType.forEach((m, i) => addMessage(model, m, prefix, syntax, at, [4, i]));
    file.extension.forEach((x, i) => addExtension(model, x, prefix, syntax, at([7, i])));
    file.service.forEach((sv, i) => addService(model, sv, prefix, at, [6, i]));
  }
  resolveMaps(model);
  model.criu = [...model.messages.values()].some((m) => m.fields.some((f) => f.criu !== undefined));
  return model;
}

interface Syntax {
  closed: boolean;
  proto3: boolean;
}

type Locate = (path: number[]) => Location;

function addMessage(model: SchemaModel, proto: DescriptorProto, prefix: string, syntax: Syntax, at: Locate, path: number[]) {
  const fullName = prefix + proto.name;
  const fields = proto.field.map((f, i) => fieldModel(f, proto, fullName, syntax, at([...path, 2, i])));
  model.messages.set(fullName, {
    fullName,
    fields,
    byNumber: new Map(fields.map((f) => [f.number, f])),
    byName: new Map(fields.map((f) => [f.name, f])),
    // Reserved ranges are end-exclusive in descriptors.
    reservedNumbers: proto.reservedRange.map((r) => [r.start, r.end - 1]),
    reservedNames: [...proto.reservedName],
    mapEntry: proto.options?.mapEntry === true,
    location: at(path),
  });
  proto.enumType.forEach((e, i) => addEnum(model, e, `${fullName}.`, syntax.closed, at, [...path, 4, i]));
  proto.nestedType.forEach((m, i) => addMessage(model, m, `${fullName}.`, syntax, at, [...path, 3, i]));
  proto.extension.forEach((x, i) => addExtension(model, x, `${fullName}.`, syntax, at([...path, 6, i])));
}

function addExtension(model: SchemaModel, proto: FieldDescriptorProto, prefix: string, syntax: Syntax, location: Location) {
  const extendee = proto.extendee.replace(/^\./, "");
  const field = fieldModel(proto, undefined, extendee, syntax, location);
  field.name = prefix + proto.name;
  field.extendee = extendee;
  model.extensions.set(extensionKey(field), field);
}

function addService(model: SchemaModel, proto: ServiceDescriptorProto, prefix: string, at: Locate, path: number[]) {
  const fullName = prefix + proto.name;
  const methods = proto.method.map((m, i): MethodModel => ({
    name: m.name,
    input: m.inputType.replace(/^\./, ""),
    output: m.outputType.replace(/^\./, ""),
    clientStreaming: m.clientStreaming === true,
    serverStreaming: m.serverStreaming === true,
    location: at([...path, 2, i]),
  }));
  model.services.set(fullName, { fullName, methods: new Map(methods.map((m) => [m.name, m])), location: at(path) });
}

/** Map fields get their entry's key and value fields. */
function resolveMaps(model: SchemaModel) {
  for (const m of model.messages.values()) {
    for (const f of m.fields) {
      const entry = f.label === "repeated" && f.typeName ? model.messages.get(f.typeName) : undefined;
      const [key, value] = [entry?.byNumber.get(1), entry?.byNumber.get(2)];
      if (entry?.mapEntry && key && value) f.map = { key, value };
    }
  }
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

function fieldModel(f: FieldDescriptorProto, parent: DescriptorProto | undefined, parentName: string, syntax: Syntax, location: Location): FieldModel {
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
  const inOneof = isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex);
  if (parent && inOneof && !f.proto3Optional) field.oneof = parent.oneofDecl[f.oneofIndex]?.name;
  const singular = field.label === "optional" && !inOneof && field.kind !== "message" && field.kind !== "group";
  if (syntax.proto3 && singular && !f.proto3Optional) field.implicit = true;
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
