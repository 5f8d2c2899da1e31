// The Buf check plugin: the checker's rules inside `buf breaking`, over pluginrpc
// (buf's pluginrpc and check v1 protocols). An adapter only: the findings are compareSchemas's, the
// same as the criu-compat command's; this file maps them to buf's messages and back.

import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { anyIs, anyPack, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { compareSchemas } from "../compare";
import { parseIgnore, type IgnoreEntry } from "../ignore";
import { schemaModel, type Location, type SchemaModel } from "../model";
import { CATEGORIES, type Finding } from "../rule";
import { RULES } from "../rules/index";
import { isDirection, isReader, selectFindings, type Selection } from "../select";
import { READERS } from "../verdict";
import { affected } from "../print/affected";
import {
  AnnotationSchema,
  CheckRequestSchema,
  CheckResponseSchema,
  ListCategoriesRequestSchema,
  ListCategoriesResponseSchema,
  ListRulesRequestSchema,
  ListRulesResponseSchema,
  RuleType,
  type Annotation,
  type CheckRequest,
} from "./gen/buf/plugin/check/v1/check_pb";
import { FileDescriptorSchema, FileLocationSchema, type FileDescriptor } from "./gen/buf/plugin/descriptor/v1/descriptor_pb";
import type { Value } from "./gen/buf/plugin/option/v1/option_pb";
import { decodeCheckRequest } from "./request";
import { CHECK, LIST_CATEGORIES, LIST_RULES, type Catalog } from "./metadata";
import { Code, ErrorSchema, RequestSchema, ResponseSchema, SpecSchema } from "./gen/pluginrpc/v1/pluginrpc_pb";


/**
 * The rules buf lists. Rules that only report compatible changes (CRIU_INFO) are left out:
 * any annotation fails `buf breaking`, so they would have nothing to say there.
 */
export const PLUGIN_RULES = RULES.filter((r) => r.categories.some((c) => c !== "CRIU_INFO"));
export const PLUGIN_CATEGORIES = Object.keys(CATEGORIES).filter((c) => c !== "CRIU_INFO");

/** What ListRules and ListCategories list, from the rules themselves (catalog.ts is a copy). */
export function pluginCatalog(): Catalog {
  return {
    rules: PLUGIN_RULES.map((r) => ({ id: r.id, categoryIds: r.categories.filter((c) => c !== "CRIU_INFO"), purpose: r.purpose })),
    categories: PLUGIN_CATEGORIES.map((id) => ({ id, purpose: CATEGORIES[id]! })),
  };
}

/** A pluginrpc error: the procedure failed with this code (google.rpc.Code). */
export class PluginError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The options of a `plugins:` entry in buf.yaml:
 * - `ignore`: a list of `RULE`, `PATH` or `RULE=PATH` (as criu-compat --ignore);
 * - `readers`: the readers that matter, from protobuf-c, upb, protobuf-es (default all);
 * - `directions`: backward (new reader, old data) and/or forward (default both);
 * - `wire_only`: true to leave out findings that only change a JSON form (buf passes no
 *   false booleans, hence the negative name);
 * - `reencode`: true to fail on re-encode hazards too (only a protobuf-es decode/encode round
 *   trip drops a value). buf has no lower severity than failing, so by default they are left
 *   out, as criu-compat's exit status leaves them out.
 */
export interface PluginOptions extends Selection {
  ignore: IgnoreEntry[];
  reencode?: boolean;
}

function strings(key: string, v: Value | undefined): string[] {
  if (v?.type.case === "stringValue") return [v.type.value];
  if (v?.type.case === "listValue") {
    return v.type.value.values.map((x) => {
      if (x.type.case !== "stringValue") throw new PluginError(Code.INVALID_ARGUMENT, `option ${key}: expected a list of strings`);
      return x.type.value;
    });
  }
  throw new PluginError(Code.INVALID_ARGUMENT, `option ${key}: expected a string or a list of strings`);
}

export function parseOptions(request: Pick<CheckRequest, "options">): PluginOptions {
  const options: PluginOptions = { ignore: [] };
  for (const { key, value } of request.options) {
    switch (key) {
      case "ignore":
        options.ignore = strings(key, value).map(parseIgnore);
        break;
      case "readers": {
        const readers = strings(key, value);
        const bad = readers.filter((r) => !isReader(r));
        if (bad.length) throw new PluginError(Code.INVALID_ARGUMENT, `option readers: unknown ${bad.join(", ")}; known: ${READERS.join(", ")}`);
        options.readers = readers.filter(isReader);
        break;
      }
      case "directions": {
        const directions = strings(key, value);
        const bad = directions.filter((d) => !isDirection(d));
        if (bad.length) throw new PluginError(Code.INVALID_ARGUMENT, `option directions: unknown ${bad.join(", ")}; known: backward, forward`);
        options.directions = directions.filter(isDirection);
        break;
      }
      case "wire_only":
        if (value?.type.case !== "boolValue") throw new PluginError(Code.INVALID_ARGUMENT, "option wire_only: expected true");
        options.json = !value.type.value;
        break;
      case "reencode":
        if (value?.type.case !== "boolValue") throw new PluginError(Code.INVALID_ARGUMENT, "option reencode: expected true");
        options.reencode = value.type.value;
        break;
      default:
        throw new PluginError(Code.INVALID_ARGUMENT, `unknown option ${JSON.stringify(key)}; known: ignore, readers, directions, wire_only, reencode`);
    }
  }
  return options;
}

function model(files: readonly FileDescriptor[]): SchemaModel {
  const set = create(FileDescriptorSetSchema, { file: files.flatMap((f) => (f.fileDescriptorProto ? [f.fileDescriptorProto] : [])) });
  return schemaModel(set);
}

/** The annotation text of a finding: the element, the finding, and who is affected. */
export function annotationMessage(f: Finding): string {
  return `${f.path}: ${f.message} (backward: ${affected(f, "backward", "no effect")}; forward: ${affected(f, "forward", "no effect")}).`;
}

const fileLocation = (l: Location) => create(FileLocationSchema, { fileName: l.file, sourcePath: l.sourcePath });

/** The findings compareSchemas gives for a check request, after rule ids and options. */
export function checkFindings(request: CheckRequest): Finding[] {
  if (request.againstFileDescriptors.length === 0) return []; // buf lint: every rule compares two revisions
  const options = parseOptions(request);
  const now = model(request.fileDescriptors);
  const old = model(request.againstFileDescriptors);
  const enabled = new Set(request.ruleIds);
  const imports = new Set(
    [...request.fileDescriptors, ...request.againstFileDescriptors].filter((f) => f.isImport).map((f) => f.fileDescriptorProto?.name),
  );
  const findings = compareSchemas(old, now, { ignore: options.ignore }).filter(
    (f) => enabled.has(f.rule) && !(f.location && imports.has(f.location.file)),
  );
  return selectFindings(findings, options).filter((f) => f.severity !== "info" && (f.severity !== "reencode" || options.reencode === true));
}

export function check(request: CheckRequest) {
  const findings = checkFindings(request);
  if (findings.length === 0) return create(CheckResponseSchema);
  // Removed elements: located at what encloses them in the new revision, and in the old one.
  const annotations: Annotation[] = findings.map((f) => {
    const a = create(AnnotationSchema, { ruleId: f.rule, message: annotationMessage(f) });
    if (f.location) a.fileLocation = fileLocation(f.location);
    if (f.oldLocation) a.againstFileLocation = fileLocation(f.oldLocation);
    return a;
  });
  return create(CheckResponseSchema, { annotations });
}

export function listRules() {
  return create(ListRulesResponseSchema, { rules: pluginCatalog().rules.map((r) => ({ ...r, default: true, type: RuleType.BREAKING })) });
}

export function listCategories() {
  return create(ListCategoriesResponseSchema, { categories: pluginCatalog().categories });
}

interface Procedure<I extends DescMessage, O extends DescMessage> {
  input: I;
  output: O;
  /** The request's bytes (those of an empty request when there are none) to the response. */
  run(request: Uint8Array): MessageShape<O>;
}

const procedure = <I extends DescMessage, O extends DescMessage>(input: I, output: O, run: (r: MessageShape<I>) => MessageShape<O>): Procedure<I, O> => ({
  input,
  output,
  run: (bytes) => run(fromBinary(input, bytes)),
});

/** Check decodes its request without the files' source info, which it does not need (request.ts). */
const checkProcedure: Procedure<typeof CheckRequestSchema, typeof CheckResponseSchema> = {
  input: CheckRequestSchema,
  output: CheckResponseSchema,
  run: (bytes) => check(decodeCheckRequest(bytes)),
};

const PROCEDURES: Record<string, Procedure<DescMessage, DescMessage>> = {
  [CHECK]: checkProcedure as Procedure<DescMessage, DescMessage>,
  [LIST_RULES]: procedure(ListRulesRequestSchema, ListRulesResponseSchema, listRules) as Procedure<DescMessage, DescMessage>,
  [LIST_CATEGORIES]: procedure(ListCategoriesRequestSchema, ListCategoriesResponseSchema, listCategories) as Procedure<DescMessage, DescMessage>,
};

/** A binary pluginrpc.v1.Response for one call, given the binary Request read from stdin. */
export function serve(path: string, requestBytes: Uint8Array): Uint8Array {
  const proc = PROCEDURES[path];
  try {
    if (!proc) throw new PluginError(Code.UNIMPLEMENTED, `unknown procedure ${path}`);
    const request = fromBinary(RequestSchema, requestBytes);
    // As anyUnpack: an Any of another type (or none) is refused, an absent one is an empty request.
    if (request.value && !anyIs(request.value, proc.input)) {
      throw new PluginError(Code.INVALID_ARGUMENT, `expected a ${proc.input.typeName} for ${path}, got ${request.value?.typeUrl}`);
    }
    const output = proc.run(request.value?.value ?? new Uint8Array());
    return toBinary(ResponseSchema, create(ResponseSchema, { value: anyPack(proc.output, output) }));
  } catch (err) {
    const code = err instanceof PluginError ? err.code : Code.INTERNAL;
    const message = err instanceof Error ? err.message : String(err);
    return toBinary(ResponseSchema, create(ResponseSchema, { error: create(ErrorSchema, { code, message }) }));
  }
}

/** What `PLUGIN --spec --format binary` prints. */
export function spec(): Uint8Array {
  return toBinary(SpecSchema, create(SpecSchema, { procedures: Object.keys(PROCEDURES).map((path) => ({ path })) }));
}

/** The descriptor of a single file, for tests that build check requests by hand. */
export function pluginFile(proto: FileDescriptorProto, isImport = false): FileDescriptor {
  return create(FileDescriptorSchema, { fileDescriptorProto: proto, isImport });
}
