import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";

/**
 * Bytes as crit writes them (Python's `base64.encodebytes`): standard base64 with a newline
 * after every 76 characters and at the end; no bytes give "".
 */
export function toMimeBase64(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const flat = base64Encode(bytes, "std");
  let out = "";
  for (let i = 0; i < flat.length; i += 76) out += `${flat.slice(i, i + 76)}\n`;
  return out;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads base64 the way crit does (line breaks ignored); undefined when it is not base64. */
export function fromMimeBase64(text: string): Uint8Array | undefined {
  const flat = text.replace(/[\r\n]/g, "");
  if (flat.length % 4 !== 0 || !BASE64.test(flat)) return undefined;
  return base64Decode(flat);
}
