import { base64Decode } from "@bufbuild/protobuf/wire";

/**
 * Bytes as crit writes them (Python's `base64.encodebytes`): standard base64 with a newline
 * after every 76 characters and at the end; no bytes give "".
 */
export function toMimeBase64(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const n = bytes.length;
  const chars = Math.ceil(n / 3) * 4;
  const out = new Uint8Array(chars + Math.ceil(chars / 76));
  let p = 0;
  let line = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = ALPHABET[(v >> 6) & 63]!;
    out[p++] = ALPHABET[v & 63]!;
    if ((line += 4) === 76) {
      out[p++] = 0x0a;
      line = 0;
    }
  }
  if (i < n) {
    const two = n - i === 2;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = two ? ALPHABET[(v >> 6) & 63]! : 0x3d;
    out[p++] = 0x3d;
    line += 4;
  }
  if (line > 0) out[p++] = 0x0a;
  return ascii.decode(out.subarray(0, p));
}

const ALPHABET = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) => c.charCodeAt(0));
const ascii = new TextDecoder("latin1");

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads base64 the way crit does (line breaks ignored); undefined when it is not base64. */
export function fromMimeBase64(text: string): Uint8Array | undefined {
  const flat = text.replace(/[\r\n]/g, "");
  if (flat.length % 4 !== 0 || !BASE64.test(flat)) return undefined;
  return base64Decode(flat);
}
