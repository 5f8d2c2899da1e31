import { CritJsonError, jsonPath, setKey, type JsonObject, type JsonValue } from "./value";

const MAX_DEPTH = 512;

/**
 * Parses JSON without losing integer precision: integers outside ±(2^53−1) become bigints.
 * Errors name the JSON path and the byte offset. Duplicate keys are an error.
 */
export function parseJson(text: string, file?: string): JsonValue {
  const p = new Parser(text, file);
  p.space();
  const value = p.value([], 0);
  p.space();
  if (p.pos < text.length) throw p.fail([], "the end of the document");
  return value;
}

class Parser {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly file: string | undefined,
  ) {}

  fail(path: (string | number)[], expected: string): CritJsonError {
    const found = this.pos < this.s.length ? JSON.stringify(this.s.slice(this.pos, this.pos + 12)) : "the end";
    return new CritJsonError(jsonPath(path), `${expected}, found ${found}`, this.pos, this.file);
  }

  space(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(path: (string | number)[], depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw this.fail(path, `nesting of at most ${MAX_DEPTH} levels`);
    const c = this.s[this.pos];
    if (c === "{") return this.object(path, depth);
    if (c === "[") return this.array(path, depth);
    if (c === '"') return this.string(path);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number(path);
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    throw this.fail(path, "a JSON value");
  }

  object(path: (string | number)[], depth: number): JsonObject {
    const obj: JsonObject = {};
    this.pos++;
    this.space();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.s[this.pos] !== '"') throw this.fail(path, "a quoted key");
      const key = this.string(path);
      if (Object.prototype.hasOwnProperty.call(obj, key)) throw this.fail([...path, key], "each key once");
      this.space();
      if (this.s[this.pos] !== ":") throw this.fail([...path, key], '":"');
      this.pos++;
      this.space();
      setKey(obj, key, this.value([...path, key], depth + 1));
      this.space();
      const c = this.s[this.pos++];
      if (c === "}") return obj;
      if (c !== ",") {
        this.pos--;
        throw this.fail(path, '"," or "}"');
      }
      this.space();
    }
  }

  array(path: (string | number)[], depth: number): JsonValue[] {
    const arr: JsonValue[] = [];
    this.pos++;
    this.space();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.value([...path, arr.length], depth + 1));
      this.space();
      const c = this.s[this.pos++];
      if (c === "]") return arr;
      if (c !== ",") {
        this.pos--;
        throw this.fail(path, '"," or "]"');
      }
      this.space();
    }
  }

  string(path: (string | number)[]): string {
    const s = this.s;
    let out = "";
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= s.length) throw this.fail(path, "a closing quote");
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c < 0x20) throw this.fail(path, "no raw control character in a string");
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos);
      const e = s[this.pos + 1];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e !== undefined && e in simple) {
        out += simple[e];
        this.pos += 2;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(s.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        throw this.fail(path, "a valid escape sequence");
      }
      start = this.pos;
    }
    out += s.slice(start, this.pos);
    this.pos++;
    return out;
  }

  number(path: (string | number)[]): number | bigint {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.pos, this.pos + 400));
    if (!m) throw this.fail(path, "a number");
    this.pos += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  }
}
