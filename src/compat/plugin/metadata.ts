// The plugin's metadata calls (--spec, ListRules, ListCategories) answered from the catalog alone,
// without the rule engine: buf starts the plugin nine times per `buf breaking` and only one of
// them (Check) needs the rules' code. The bytes are the engine path's (serve in ./index), which
// tests compare; any request this module does not fully recognise is left to that path.

import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { PLUGIN_CATEGORY_CATALOG, PLUGIN_RULE_CATALOG } from "./catalog";

const SERVICE = "/buf.plugin.check.v1.CheckService";
export const CHECK = `${SERVICE}/Check`;
export const LIST_RULES = `${SERVICE}/ListRules`;
export const LIST_CATEGORIES = `${SERVICE}/ListCategories`;

export interface CatalogRule {
  id: string;
  categoryIds: string[];
  purpose: string;
}

export interface CatalogCategory {
  id: string;
  purpose: string;
}

/** What buf lists: the rules (all breaking rules, on by default) and their categories. */
export interface Catalog {
  rules: CatalogRule[];
  categories: CatalogCategory[];
}

const TYPE_URL = "type.googleapis.com/";
const RULE_TYPE_BREAKING = 2;

/** pluginrpc.v1.Spec: the three procedures, Check first. */
export function specBytes(): Uint8Array {
  const w = new BinaryWriter();
  for (const path of [CHECK, LIST_RULES, LIST_CATEGORIES]) w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(path).join();
  return w.finish();
}

function listRulesResponse(rules: readonly CatalogRule[]): Uint8Array {
  const w = new BinaryWriter();
  for (const r of rules) {
    w.tag(2, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).string(r.id);
    for (const c of r.categoryIds) w.tag(2, WireType.LengthDelimited).string(c);
    w.tag(3, WireType.Varint).bool(true);
    w.tag(4, WireType.LengthDelimited).string(r.purpose);
    w.tag(5, WireType.Varint).int32(RULE_TYPE_BREAKING);
    w.join();
  }
  return w.finish();
}

function listCategoriesResponse(categories: readonly CatalogCategory[]): Uint8Array {
  const w = new BinaryWriter();
  for (const c of categories) w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(c.id).tag(2, WireType.LengthDelimited).string(c.purpose).join();
  return w.finish();
}

/** pluginrpc.v1.Response carrying one message in an Any. */
function response(typeName: string, value: Uint8Array): Uint8Array {
  const any = new BinaryWriter().tag(1, WireType.LengthDelimited).string(TYPE_URL + typeName);
  if (value.length > 0) any.tag(2, WireType.LengthDelimited).bytes(value);
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(any.finish()).finish();
}

const LISTS: Record<string, { request: string; response: string; body(): Uint8Array }> = {
  [LIST_RULES]: {
    request: "buf.plugin.check.v1.ListRulesRequest",
    response: "buf.plugin.check.v1.ListRulesResponse",
    body: () => listRulesResponse(PLUGIN_RULE_CATALOG),
  },
  [LIST_CATEGORIES]: {
    request: "buf.plugin.check.v1.ListCategoriesRequest",
    response: "buf.plugin.check.v1.ListCategoriesResponse",
    body: () => listCategoriesResponse(PLUGIN_CATEGORY_CATALOG),
  },
};

/**
 * The pluginrpc.v1.Response for a ListRules or ListCategories call, or undefined when the call
 * needs the engine: Check, an unknown procedure, or a request other than the plain one buf sends
 * (an empty request, or one Any of the expected type holding at most a page size).
 */
export function answerMetadata(path: string, requestBytes: Uint8Array): Uint8Array | undefined {
  const list = LISTS[path];
  if (!list || !plainListRequest(requestBytes, list.request)) return undefined;
  return response(list.response, list.body());
}

/** Whether the request is empty or holds exactly one `Any{type_url, value: {page_size}}`. */
function plainListRequest(bytes: Uint8Array, typeName: string): boolean {
  try {
    const fields = readFields(bytes);
    if (fields === undefined) return false;
    if (fields.length === 0) return true;
    const [only] = fields;
    if (fields.length !== 1 || only!.no !== 1 || !only!.bytes) return false;
    const any = readFields(only!.bytes);
    if (any === undefined || any.length === 0 || any.length > 2) return false;
    const [url, value] = any;
    if (url!.no !== 1 || !url!.bytes || new TextDecoder("utf-8", { fatal: true }).decode(url!.bytes) !== TYPE_URL + typeName) return false;
    if (value === undefined) return true;
    if (value.no !== 2 || !value.bytes) return false;
    const inner = readFields(value.bytes);
    return inner !== undefined && inner.every((f) => f.no === 1 && f.varint);
  } catch {
    return false; // malformed: the engine path words the error
  }
}

interface RawField {
  no: number;
  bytes?: Uint8Array;
  varint?: boolean;
}

/** The top-level fields of a message, or undefined if any is other than a varint or bytes. */
function readFields(bytes: Uint8Array): RawField[] | undefined {
  const r = new BinaryReader(bytes);
  const fields: RawField[] = [];
  while (r.pos < r.len) {
    const [no, wireType] = r.tag();
    if (wireType === WireType.Varint) {
      r.uint32();
      fields.push({ no, varint: true });
    } else if (wireType === WireType.LengthDelimited) {
      fields.push({ no, bytes: r.bytes() });
    } else {
      return undefined;
    }
  }
  return fields;
}
