/**
 * JSON values as crit reads and writes them: integers keep every digit (a `bigint` when outside
 * the safe range of `number`), objects keep their key order.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Bytes inside a document being written: they come out as crit's MIME base64 string. */
export class JsonBytes {
  constructor(readonly bytes: Uint8Array) {}
}

/** Longest text of a value quoted in an error message; longer ones are cut with "…". */
export const QUOTE_LIMIT = 64;

/** A value as JSON, for an error message: cut after QUOTE_LIMIT characters (a document can hold megabyte strings). */
export function quoteShort(v: unknown): string {
  const text = typeof v === "bigint" ? String(v) : (JSON.stringify(v) ?? String(v));
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

/** Where a problem sits in a JSON document: `$.entries[3].pid`. */
export function jsonPath(path: readonly (string | number)[]): string {
  let out = "$";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) && part.length <= QUOTE_LIMIT ? `.${part}` : `[${quoteShort(part)}]`;
  }
  return out;
}

/** Bad JSON, or JSON that does not describe an image: says where (JSON path, offset) and what was expected. */
export class CritJsonError extends Error {
  override readonly name = "CritJsonError";
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly offset?: number,
    readonly file?: string,
  ) {
    super(`${file ?? "<json>"}: ${path}${offset === undefined ? "" : ` (offset ${offset})`}: expected ${expected}`);
  }
}

/** Sets a key as an own property, even `__proto__`, without touching any prototype. */
export function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
