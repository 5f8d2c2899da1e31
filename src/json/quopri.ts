/**
 * Quoted-printable exactly as Python's `quopri.encodestring(data)` / `decodestring(text)` do it
 * (they call binascii's b2a_qp / a2b_qp in text mode, quotetabs off). crit uses it for
 * `unix_sk_entry.name`, the field with `(criu).conv = "unix_name"`.
 */
const MAX_LINE = 76;
const HEX = "0123456789ABCDEF";
const LF = 0x0a;
const CR = 0x0d;

export function toQuotedPrintable(data: Uint8Array): string {
  const n = data.length;
  const firstLf = data.indexOf(LF);
  const crlf = firstLf > 0 && data[firstLf - 1] === CR;
  const softBreak = crlf ? "=\r\n" : "=\n";
  const out: string[] = [];
  let lineLength = 0;
  for (let i = 0; i < n; ) {
    const c = data[i]!;
    if (mustQuote(data, i, lineLength)) {
      if (lineLength + 3 >= MAX_LINE) {
        out.push(softBreak);
        lineLength = 0;
      }
      out.push(`=${HEX[c >> 4]}${HEX[c & 15]}`);
      lineLength += 3;
      i++;
    } else if (c === LF || (c === CR && i + 1 < n && data[i + 1] === LF)) {
      // A line end: a space or tab just before it is quoted, so that it survives transport.
      const last = out[out.length - 1];
      if (last === " " || last === "\t") out[out.length - 1] = `=${last === " " ? "20" : "09"}`;
      out.push(crlf ? "\r\n" : "\n");
      lineLength = 0;
      i += c === CR ? 2 : 1;
    } else {
      if (i + 1 !== n && data[i + 1] !== LF && lineLength + 1 >= MAX_LINE) {
        out.push(softBreak);
        lineLength = 0;
      }
      out.push(String.fromCharCode(c));
      lineLength++;
      i++;
    }
  }
  return out.join("");
}

/**
 * True when toQuotedPrintable gives bytes[start, end) back as they are: printable ASCII other
 * than "=" (no space, no line end), shorter than a line, and not a lone ".". Most socket names
 * (none, or a path) are such.
 */
export function unchangedByQuotedPrintable(data: Uint8Array, start: number, end: number): boolean {
  if (end - start >= MAX_LINE || (end - start === 1 && data[start] === 0x2e)) return false;
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c < 0x21 || c > 0x7e || c === 0x3d) return false;
  }
  return true;
}

function mustQuote(data: Uint8Array, i: number, lineLength: number): boolean {
  const c = data[i]!;
  const next = data[i + 1];
  const atEnd = i + 1 === data.length;
  if (c > 126 || c === 0x3d) return true; // non-ASCII, DEL and "="
  if (c === 0x2e && lineLength === 0 && (atEnd || next === LF || next === CR || next === 0)) return true; // a lone "." line
  if ((c === 0x09 || c === 0x20) && atEnd) return true; // trailing whitespace
  return c < 33 && c !== CR && c !== LF && c !== 0x09 && c !== 0x20;
}

const isHex = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));

/** Decodes like Python's `quopri.decodestring`: soft breaks dropped, `=XX` decoded, rest kept. */
export function fromQuotedPrintable(text: string): Uint8Array {
  const data = Uint8Array.from(text, (ch) => {
    const c = ch.charCodeAt(0);
    if (c > 0xff) throw new RangeError("quoted-printable text must be Latin-1");
    return c;
  });
  const out = new Uint8Array(data.length);
  return out.subarray(0, decodeQuotedPrintableInto(data, 0, data.length, out, 0));
}

/**
 * fromQuotedPrintable over the Latin-1 characters data[start, end), written to `out` from `at`
 * (room for end - start bytes: decoding never lengthens); returns how many bytes it wrote.
 */
export function decodeQuotedPrintableInto(data: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let p = at;
  for (let i = start; i < end; ) {
    const c = data[i]!;
    if (c !== 0x3d) {
      out[p++] = c;
      i++;
      continue;
    }
    i++;
    if (i >= end) break;
    const d = data[i]!;
    if (d === LF || d === CR) {
      while (i < end && data[i] !== LF) i++;
      if (i < end) i++;
    } else if (d === 0x3d) {
      out[p++] = 0x3d;
      i++;
    } else if (isHex(d) && i + 1 < end && isHex(data[i + 1])) {
      out[p++] = (hexValue(d) << 4) | hexValue(data[i + 1]!);
      i += 2;
    } else {
      out[p++] = 0x3d;
    }
  }
  return p - at;
}

const hexValue = (c: number) => (c <= 57 ? c - 48 : (c | 0x20) - 87);
