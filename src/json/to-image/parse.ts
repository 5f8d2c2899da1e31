import { CritJsonError, jsonPath, type JsonObject, type JsonValue } from "../value";

const MAX_DEPTH = 512;

/**
 * Parses JSON without losing integer precision: integers outside ±(2^53−1) become bigints.
 * Errors name the JSON path and the byte offset. Duplicate keys are an error; a `__proto__` key
 * is an ordinary own property.
 */
export function parseJson(text: string, file?: string): JsonValue {
  const p = new Parser(text, file);
  p.space();
  const value = p.value(0);
  p.space();
  if (p.pos < text.length) throw p.fail("the end of the document");
  return value;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Parser {
  pos = 0;
  /** Where the parser is, for errors: keys and indexes from the root. */
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly s: string,
    private readonly file: string | undefined,
  ) {}

  fail(expected: string): CritJsonError {
    const found = this.pos < this.s.length ? JSON.stringify(this.s.slice(this.pos, this.pos + 12)) : "the end";
    return new CritJsonError(jsonPath(this.path), `${expected}, found ${found}`, this.pos, this.file);
  }

  space(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    this.pos = p;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw this.fail(`nesting of at most ${MAX_DEPTH} levels`);
    const c = this.s.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.s.startsWith("true", this.pos)) return (this.pos += 4), true;
    if (this.s.startsWith("false", this.pos)) return (this.pos += 5), false;
    if (this.s.startsWith("null", this.pos)) return (this.pos += 4), null;
    throw this.fail("a JSON value");
  }

  object(depth: number): JsonObject {
    const obj: JsonObject = {};
    this.pos++;
    this.space();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      if (this.s.charCodeAt(this.pos) !== 0x22) throw this.fail("a quoted key");
      const key = this.string();
      this.path.push(key);
      if (Object.prototype.hasOwnProperty.call(obj, key)) throw this.fail("each key once");
      this.space();
      if (this.s.charCodeAt(this.pos) !== 0x3a) throw this.fail('":"');
      this.pos++;
      this.space();
      const value = this.value(depth + 1);
      // An own property even for "__proto__", which plain assignment would turn into a prototype.
      if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
      this.path.pop();
      this.space();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x7d) return obj;
      if (c !== 0x2c) {
        this.pos--;
        throw this.fail('"," or "}"');
      }
      this.space();
    }
  }

  array(depth: number): JsonValue[] {
    const arr: JsonValue[] = [];
    this.pos++;
    this.space();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.path.push(arr.length);
      arr.push(this.value(depth + 1));
      this.path.pop();
      this.space();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x5d) return arr;
      if (c !== 0x2c) {
        this.pos--;
        this.path.push(arr.length - 1);
        throw this.fail('"," or "]"');
      }
      this.space();
    }
  }

  string(): string {
    const s = this.s;
    const start = this.pos + 1;
    // Fast path: no escape and no control character before the closing quote.
    const close = s.indexOf('"', start);
    if (close < 0) {
      this.pos = s.length;
      throw this.fail("a closing quote");
    }
    let plain = true;
    for (let i = start; i < close; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x5c || c < 0x20) {
        plain = false;
        break;
      }
    }
    if (plain) {
      this.pos = close + 1;
      return s.slice(start, close);
    }
    // With escapes: find the closing quote (one not preceded by an odd run of backslashes) and
    // let the engine's own JSON reader unescape the literal; on any doubt, the careful loop below
    // reads it (and says what is wrong).
    let end = close;
    while (end >= 0) {
      let k = end - 1;
      while (k >= start && s.charCodeAt(k) === 0x5c) k--;
      if ((end - k - 1) % 2 === 0) break;
      end = s.indexOf('"', end + 1);
    }
    if (end > 0) {
      try {
        const text = JSON.parse(s.slice(start - 1, end + 1)) as string;
        this.pos = end + 1;
        return text;
      } catch {
        // fall through to the careful loop
      }
    }
    let out = "";
    let from = start;
    let i = start;
    for (;;) {
      if (i >= s.length) {
        this.pos = i;
        throw this.fail("a closing quote");
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.pos = i;
        throw this.fail("no raw control character in a string");
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(from, i);
      const e = s[i + 1];
      if (e !== undefined && e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        i += 2;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        this.pos = i;
        throw this.fail("a valid escape sequence");
      }
      from = i;
    }
    this.pos = i + 1;
    return out + s.slice(from, i);
  }

  number(): number | bigint {
    const s = this.s;
    const start = this.pos;
    let p = start;
    if (s.charCodeAt(p) === 0x2d) p++;
    const digits = p;
    if (s.charCodeAt(p) === 0x30) p++;
    else while (isDigit(s.charCodeAt(p))) p++;
    if (p === digits) throw this.fail("a number");
    let integer = true;
    if (s.charCodeAt(p) === 0x2e) {
      integer = false;
      const f = ++p;
      while (isDigit(s.charCodeAt(p))) p++;
      if (p === f) throw this.fail("a number");
    }
    const e = s.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      p++;
      const sign = s.charCodeAt(p);
      if (sign === 0x2b || sign === 0x2d) p++;
      const x = p;
      while (isDigit(s.charCodeAt(p))) p++;
      if (p === x) throw this.fail("a number");
    }
    this.pos = p;
    const text = s.slice(start, p);
    const n = Number(text);
    if (!integer || Number.isSafeInteger(n)) return n;
    return BigInt(text);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
