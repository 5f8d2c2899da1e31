// One 512-byte tar header block: ustar (POSIX), GNU (base-256 sizes, the "ustar  " magic) and the
// pieces that extended headers carry (pax records, GNU long names). Pure functions over bytes;
// the walk over an archive is in tar-walk.ts.

import { SourceError } from "./source";

export const BLOCK = 512;

/** A header as stored, before pax records or GNU long names are applied. */
export interface RawHeader {
  name: string;
  linkName: string;
  size: number;
  /** The type flag as a character ("0", "5", "x", "L", ...; "\0" is an old regular file). */
  type: string;
}

/** Extended-header values that override the next header's fields. */
export interface HeaderOverrides {
  path?: string;
  linkpath?: string;
  size?: number;
}

const utf8 = new TextDecoder("utf-8");

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return utf8.decode(block.subarray(start, end));
}

/**
 * A numeric field: octal digits (padded with spaces or NULs), or GNU's base-256 form (first
 * byte 0x80) for values past 8 GiB. Undefined when the field is neither.
 */
export function numberField(block: Uint8Array, start: number, length: number): number | undefined {
  const first = block[start]!;
  if (first & 0x80) {
    if (first === 0xff) return undefined; // negative
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + block[i]!;
      if (value > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return value;
  }
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end && block[i]! >= 0x30 && block[i]! <= 0x37; i++, digits++) value = value * 8 + (block[i]! - 0x30);
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  return i === end && (digits > 0 || value === 0) ? value : undefined;
}

/** The checksum a header should carry: its bytes summed with the checksum field read as spaces. */
function checksums(block: Uint8Array): [unsigned: number, signed: number] {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return [unsigned, signed];
}

/** True when the block's stored checksum matches its bytes (some old tars summed signed bytes). */
export function checksumMatches(block: Uint8Array): boolean {
  const stored = numberField(block, 148, 8);
  const [unsigned, signed] = checksums(block);
  return stored !== undefined && (stored === unsigned || stored === signed);
}

/** Parses the header block found at archive offset `offset`. */
export function parseHeader(block: Uint8Array, offset: number, label: string): RawHeader {
  const name = text(block, 0, 100);
  const stored = numberField(block, 148, 8);
  const [unsigned, signed] = checksums(block);
  if (stored === undefined || (stored !== unsigned && stored !== signed)) {
    const said = stored === undefined ? "no readable checksum" : `checksum ${stored}`;
    throw new SourceError("corrupt", label, `tar header checksum mismatch: the header says ${said}, its bytes sum to ${unsigned}`, name || undefined, undefined, offset);
  }
  const size = numberField(block, 124, 12);
  if (size === undefined) throw new SourceError("corrupt", label, "tar header size field is neither octal nor base-256", name || undefined, undefined, offset);
  // POSIX ustar ("ustar\0") splits long names into prefix + name; GNU's "ustar  " uses those bytes for other things.
  const posix = block[257] === 0x75 && text(block, 257, 6) === "ustar" && block[262] === 0;
  const prefix = posix ? text(block, 345, 155) : "";
  return {
    name: prefix === "" ? name : `${prefix}/${name}`,
    linkName: text(block, 157, 100),
    size,
    type: String.fromCharCode(block[156]!),
  };
}

/** Pax extended-header records ("<length> <key>=<value>\n" each); the keys we use. */
export function parsePax(data: Uint8Array, label: string, offset: number, into: HeaderOverrides): void {
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break; // padding some writers leave
    let length = 0;
    let i = at;
    for (; i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39 && i - at < 12; i++) length = length * 10 + (data[i]! - 0x30);
    const end = at + length;
    if (i === at || data[i] !== 0x20 || end > data.length || end <= i + 1 || data[end - 1] !== 0x0a) {
      throw new SourceError("corrupt", label, `malformed pax record at byte ${at} of the extended header`, undefined, offset);
    }
    const record = utf8.decode(data.subarray(i + 1, end - 1));
    const eq = record.indexOf("=");
    if (eq < 0) throw new SourceError("corrupt", label, `pax record without "=" at byte ${at} of the extended header`, undefined, offset);
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === "path") into.path = value;
    else if (key === "linkpath") into.linkpath = value;
    else if (key === "size") {
      if (!/^[0-9]{1,16}$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER) {
        throw new SourceError("corrupt", label, `pax size ${JSON.stringify(value)} is not a size`, undefined, offset);
      }
      into.size = Number(value);
    }
    at = end;
  }
}

/** A GNU long name or long link name: the member's data up to its first NUL. */
export function gnuLongName(data: Uint8Array): string {
  const nul = data.indexOf(0);
  return utf8.decode(nul < 0 ? data : data.subarray(0, nul));
}

/** "checkpoint/core-1.img" from "./checkpoint/core-1.img", "/checkpoint/", "checkpoint//core-1.img". */
export function normalizeName(name: string): string {
  return name
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}
