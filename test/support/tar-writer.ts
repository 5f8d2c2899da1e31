// A small tar writer for tests only: ustar headers, long names as GNU "L" records or pax "path"
// records, two zero blocks at the end (no record padding), so that any cut is inside the archive.

export interface TarEntry {
  name: string;
  data?: Uint8Array;
  type?: "file" | "directory" | "symlink";
  linkTarget?: string;
}

import { concatBytes } from "../../src/image/bytes";

const encoder = new TextEncoder();
const BLOCK = 512;

function octal(block: Uint8Array, at: number, width: number, value: number): void {
  block.set(encoder.encode(value.toString(8).padStart(width - 1, "0") + "\0"), at);
}

/** One header block; `sizeField` lets a test write a size field that lies. */
export function tarHeader(name: string, size: number, typeflag: string, linkName = "", sizeField?: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(encoder.encode(name).subarray(0, 100), 0);
  octal(block, 100, 8, typeflag === "5" ? 0o755 : 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  if (sizeField !== undefined) block.set(sizeField, 124);
  else octal(block, 124, 12, size);
  octal(block, 136, 12, 1_700_000_000);
  block[156] = typeflag.charCodeAt(0);
  block.set(encoder.encode(linkName).subarray(0, 100), 157);
  block.set(encoder.encode("ustar\0" + "00"), 257);
  block.set(encoder.encode("root"), 265);
  block.set(encoder.encode("root"), 297);
  fixChecksum(block);
  return block;
}

export function fixChecksum(block: Uint8Array): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.set(encoder.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = encoder.encode(body).length + 1;
  while (String(length).length + encoder.encode(body).length !== length) length++;
  return encoder.encode(`${length}${body}`);
}

function withData(header: Uint8Array, data: Uint8Array): Uint8Array[] {
  const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return [header, data, new Uint8Array(padding)];
}

export function writeTar(entries: readonly TarEntry[], longNames: "gnu" | "pax" = "pax"): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const type = entry.type ?? "file";
    const name = type === "directory" ? `${entry.name}/` : entry.name;
    const data = type === "file" ? (entry.data ?? new Uint8Array(0)) : new Uint8Array(0);
    const long = encoder.encode(name).length > 100 || encoder.encode(entry.linkTarget ?? "").length > 100;
    if (long && longNames === "gnu") {
      if (encoder.encode(name).length > 100) {
        const bytes = encoder.encode(name + "\0");
        parts.push(...withData(tarHeader("././@LongLink", bytes.length, "L"), bytes));
      }
      if (encoder.encode(entry.linkTarget ?? "").length > 100) {
        const bytes = encoder.encode(entry.linkTarget + "\0");
        parts.push(...withData(tarHeader("././@LongLink", bytes.length, "K"), bytes));
      }
    } else if (long) {
      const records = [paxRecord("path", name), ...(entry.linkTarget ? [paxRecord("linkpath", entry.linkTarget)] : [])];
      const bytes = concatBytes(records);
      parts.push(...withData(tarHeader("PaxHeaders/x", bytes.length, "x"), bytes));
    }
    const typeflag = type === "file" ? "0" : type === "directory" ? "5" : "2";
    parts.push(...withData(tarHeader(name, data.length, typeflag, entry.linkTarget ?? ""), data));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return concatBytes(parts);
}
