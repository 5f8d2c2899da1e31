// One pass over a tar archive: each member's header (pax records and GNU long names applied), then
// as much of its data as the visitor reads, in bounded chunks; the rest is skipped (on a
// random-access input, without reading it). Every way an archive can be damaged ends in a
// SourceError naming the member and the archive offset.

import type { ByteInput } from "./byte-input";
import { readUpTo } from "./byte-input";
import type { MemberInfo } from "./source";
import { SourceError } from "./source";
import { BLOCK, gnuLongName, isZeroBlock, normalizeName, parseHeader, parsePax, type HeaderOverrides } from "./tar-header";

/** A member with where it lies in the (uncompressed) archive. */
export interface TarMember extends MemberInfo {
  /** Offset of the member's header block. */
  headerOffset: number;
  /** Offset of its first data byte. */
  dataOffset: number;
}

/** A member's data, read forward in chunks of at most `max` bytes; undefined after the last byte. */
export interface MemberData {
  read(max: number): Promise<Uint8Array | undefined>;
}

/** Called per member; "stop" ends the walk there (the input is closed). */
export type MemberVisitor = (member: TarMember, data: MemberData) => Promise<void | "stop"> | void | "stop";

/** Extended headers (pax, GNU long names) larger than this are refused rather than held. */
export const EXTENDED_HEADER_LIMIT = 1 << 20;

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

export async function walkTar(input: ByteInput, label: string, visit: MemberVisitor): Promise<void> {
  try {
    await walk(input, label, visit);
  } finally {
    await input.close();
  }
}

async function walk(input: ByteInput, label: string, visit: MemberVisitor): Promise<void> {
  let local: HeaderOverrides = {};
  let global: HeaderOverrides = {};
  for (;;) {
    const headerOffset = input.position;
    const block = await readUpTo(input, BLOCK);
    if (block.length < BLOCK) {
      const where = block.length === 0 ? "where a header or the end-of-archive blocks should be" : "inside a header block";
      throw new SourceError("truncated", label, `tar archive cut short ${where} (${block.length} of ${BLOCK} bytes)`, undefined, headerOffset);
    }
    if (isZeroBlock(block)) {
      const second = await readUpTo(input, BLOCK);
      if (second.length < BLOCK) {
        throw new SourceError("truncated", label, "tar archive cut short inside its end-of-archive blocks", undefined, headerOffset + BLOCK + second.length);
      }
      if (!isZeroBlock(second)) throw new SourceError("corrupt", label, "a lone zero block in the middle of the tar archive", undefined, headerOffset);
      // A stream is read to its end, so that a decoder checks its trailer (gzip's CRC, xz's index).
      if (input.length === undefined) while ((await input.read(1 << 16)) !== undefined);
      return;
    }
    const raw = parseHeader(block, headerOffset, label);
    const overrides = { ...global, ...local };
    const name = overrides.path ?? raw.name;
    const size = overrides.size ?? raw.size;
    const dataOffset = headerOffset + BLOCK;
    if (input.length !== undefined && dataOffset + size + padding(size) > input.length) {
      throw new SourceError(
        "corrupt",
        label,
        `the size field says ${size} bytes, past the end of the archive (${input.length - dataOffset} bytes follow the header)`,
        normalizeName(name) || name,
        undefined,
        headerOffset,
      );
    }
    if (raw.type === "x" || raw.type === "g" || raw.type === "L" || raw.type === "K") {
      const what = raw.type === "x" || raw.type === "g" ? "pax header" : "GNU long name";
      if (size > EXTENDED_HEADER_LIMIT) {
        throw new SourceError("corrupt", label, `a ${what} of ${size} bytes (more than ${EXTENDED_HEADER_LIMIT} is not a real one)`, undefined, headerOffset);
      }
      const data = await readData(input, label, size, name, dataOffset);
      if (raw.type === "x") parsePax(data, label, headerOffset, local);
      else if (raw.type === "g") parsePax(data, label, headerOffset, global);
      else if (raw.type === "L") local.path = gnuLongName(data);
      else local.linkpath = gnuLongName(data);
      await skipExactly(input, label, padding(size), name, dataOffset + size);
      continue;
    }
    local = {};
    const member = memberOf(raw.type, normalizeName(name), size, overrides.linkpath ?? raw.linkName, headerOffset, dataOffset);
    let consumed = 0;
    const data: MemberData = {
      async read(max) {
        if (consumed >= size) return undefined;
        const chunk = await input.read(Math.min(max, size - consumed));
        if (chunk === undefined) throw cutShort(label, member.name, size, consumed, dataOffset);
        consumed += chunk.length;
        return chunk;
      },
    };
    if (member.name !== "" && (await visit(member, data)) === "stop") return;
    const rest = size - consumed;
    if ((await input.skip(rest)) < rest) throw cutShort(label, member.name, size, input.position - dataOffset, dataOffset);
    await skipExactly(input, label, padding(size), member.name, dataOffset + size);
  }
}

function memberOf(type: string, name: string, size: number, linkName: string, headerOffset: number, dataOffset: number): TarMember {
  const at = { headerOffset, dataOffset };
  switch (type) {
    case "0":
    case "\0":
    case "7":
      return { name, size, type: "file", ...at };
    case "5":
      return { name, size: 0, type: "directory", ...at };
    case "2":
      return { name, size: 0, type: "symlink", linkTarget: linkName, ...at };
    case "1":
      return { name, size: 0, type: "other", linkTarget: linkName, ...at };
    default:
      return { name, size: 0, type: "other", ...at };
  }
}

function cutShort(label: string, member: string, size: number, got: number, dataOffset: number): SourceError {
  const why = `archive cut short inside the member's data: ${got} of ${size} bytes (or the header's size field lies)`;
  return new SourceError("truncated", label, why, member, got, dataOffset + got);
}

async function readData(input: ByteInput, label: string, size: number, member: string, dataOffset: number): Promise<Uint8Array> {
  const data = await readUpTo(input, size);
  if (data.length < size) throw cutShort(label, member, size, data.length, dataOffset);
  return data;
}

async function skipExactly(input: ByteInput, label: string, n: number, member: string, offset: number): Promise<void> {
  const skipped = await input.skip(n);
  if (skipped < n) {
    throw new SourceError("truncated", label, `archive cut short inside the padding after the member's data`, member, undefined, offset + skipped);
  }
}
