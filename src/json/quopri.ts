/**
 * Quoted-printable as Python's `quopri.encodestring(data, quotetabs=False)` writes it; crit
 * uses it for `unix_sk_entry.name` (the `(criu).conv = "unix_name"` option).
 */
const MAX_LINE = 76;
const HEX = "0123456789ABCDEF";

const escape = (b: number) => `=${HEX[b >> 4]}${HEX[b & 15]}`;

/** Whether Python's quopri must escape this byte (`=`, `_` is not escaped without header mode). */
function needsQuoting(b: number): boolean {
  if (b === 0x09 || b === 0x20) return false; // tabs and spaces stay unless at a line end
  if (b === 0x3d) return true; // "="
  return b < 0x20 || b > 0x7e;
}

export function toQuotedPrintable(bytes: Uint8Array): string {
  // quopri works line by line on "\n"; a line's trailing space or tab is escaped, and lines
  // longer than 76 characters get soft breaks ("=\n").
  const lines: number[][] = [[]];
  for (const b of bytes) {
    if (b === 0x0a) lines.push([]);
    else lines[lines.length - 1]!.push(b);
  }
  const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  if (endsWithNewline) lines.pop();
  const out: string[] = [];
  lines.forEach((line, i) => {
    const hasNewline = i < lines.length - 1 || endsWithNewline;
    const parts = line.map((b) => (needsQuoting(b) ? escape(b) : String.fromCharCode(b)));
    const last = line[line.length - 1];
    if (last === 0x20 || last === 0x09) parts[parts.length - 1] = escape(last);
    let text = "";
    let current = "";
    for (const p of parts) {
      if (current.length + p.length > MAX_LINE - 1) {
        text += `${current}=\n`;
        current = "";
      }
      current += p;
    }
    text += current;
    out.push(hasNewline ? `${text}\n` : text);
  });
  return out.join("");
}

/** Decodes quoted-printable like Python's `quopri.decodestring` (soft breaks removed). */
export function fromQuotedPrintable(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      if (text[i + 1] === "\n") {
        i += 1;
        continue;
      }
      if (text[i + 1] === "\r" && text[i + 2] === "\n") {
        i += 2;
        continue;
      }
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    if (c > 0xff) throw new RangeError("quoted-printable text must be Latin-1");
    out.push(c);
  }
  return new Uint8Array(out);
}
