import { toMimeBase64 } from "../base64";
import { JsonBytes, type JsonValue } from "../value";

/**
 * Writes JSON exactly as Python's `json.dumps` does with crit's settings: `", "` and `": "`
 * on one line, or an indent of 4 with `","` at line ends when pretty; every character outside
 * printable ASCII escaped as `\uXXXX` (lowercase hex, surrogate pairs).
 */
export function stringifyJson(value: JsonValue, pretty = false, level = 0): string {
  const out: string[] = [];
  write(value, out, pretty ? `\n${" ".repeat(4 * level)}` : "", pretty);
  return out.join("");
}

function write(v: JsonValue, out: string[], nl: string, pretty: boolean): void {
  if (v === null) out.push("null");
  else if (typeof v === "boolean") out.push(v ? "true" : "false");
  else if (typeof v === "number" || typeof v === "bigint") out.push(String(v));
  else if (typeof v === "string") out.push(quote(v));
  else if (v instanceof JsonBytes) out.push(quote(toMimeBase64(v.bytes)));
  else if (Array.isArray(v)) {
    if (v.length === 0) return void out.push("[]");
    const inner = pretty ? `${nl}    ` : "";
    out.push("[", inner);
    v.forEach((item, i) => {
      if (i > 0) out.push(pretty ? `,${inner}` : ", ");
      write(item, out, inner, pretty);
    });
    out.push(nl, "]");
  } else {
    const keys = Object.keys(v);
    if (keys.length === 0) return void out.push("{}");
    const inner = pretty ? `${nl}    ` : "";
    out.push("{", inner);
    keys.forEach((k, i) => {
      if (i > 0) out.push(pretty ? `,${inner}` : ", ");
      out.push(quote(k), ": ");
      write(v[k]!, out, inner, pretty);
    });
    out.push(nl, "}");
  }
}

const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** A JSON string with Python's ensure_ascii escaping. */
export function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  return `"${s.replace(ESCAPED, escapeChar)}"`;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;
// eslint-disable-next-line no-control-regex
const ESCAPED = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/g;

function escapeChar(ch: string): string {
  return ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
