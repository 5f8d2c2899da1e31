// The names of the files in a tar member of a checkpoint (rootfs-diff.tar: what the container
// added or changed), read from the 512-byte headers alone: with random access one small read per
// header, otherwise one streaming pass that skips the data. ustar, GNU long names and pax paths.

import type { CheckpointSource } from "../../source/source";

const BLOCK = 512;

export interface TarEntryName {
  name: string;
  size: number;
  type: "file" | "directory" | "symlink" | "hardlink" | "fifo" | "other";
}

interface Header {
  name: string;
  size: number;
  typeflag: string;
}

/** Reads one header block; undefined for an all-zero block (the end), throws on a bad checksum. */
export function parseTarHeader(block: Uint8Array): Header | undefined {
  if (block.every((b) => b === 0)) return undefined;
  const sum = octal(block.subarray(148, 156));
  let computed = 0;
  for (let i = 0; i < BLOCK; i++) computed += i >= 148 && i < 156 ? 32 : block[i]!;
  if (sum !== computed) throw new Error(`bad tar header checksum (${sum}, computed ${computed})`);
  const prefix = block[345] !== 0 && text(block.subarray(257, 263)).startsWith("ustar") ? text(block.subarray(345, 500)) : "";
  const name = text(block.subarray(0, 100));
  return { name: prefix ? `${prefix}/${name}` : name, size: sizeField(block.subarray(124, 136)), typeflag: String.fromCharCode(block[156]!) };
}

/** Lists a tar member's entries. Errors name the member and the offset. */
export async function listTarMember(source: CheckpointSource, member: string, size: number): Promise<TarEntryName[]> {
  const walker = new TarWalker(member);
  if (source.randomAccess) {
    let at = 0;
    while (at + BLOCK <= size && !walker.done) {
      const [block] = await source.readRanges([{ name: member, offset: at, length: BLOCK }]);
      at = walker.header(block!, at);
      const long = walker.longRange();
      if (long) walker.completeLong((await source.readRanges([{ name: member, ...long }]))[0]!);
    }
  } else {
    await source.stream([member], (_name, offset, chunk) => walker.feed(offset, chunk));
  }
  return walker.entries;
}

/** Follows the headers of a tar: `header` takes a header block and says where the next one is. */
class TarWalker {
  readonly entries: TarEntryName[] = [];
  done = false;
  private longName: string | undefined;
  private pending: Uint8Array[] = [];
  private pendingFrom = 0;
  private next = 0; // offset of the next header
  private longData: { kind: string; bytes: Uint8Array; filled: number; at: number } | undefined;

  constructor(private readonly member: string) {}

  header(block: Uint8Array, at: number): number {
    let h: Header | undefined;
    try {
      h = parseTarHeader(block);
    } catch (err) {
      throw new Error(`${this.member} at offset ${at}: ${(err as Error).message}`);
    }
    if (!h) {
      this.done = true;
      return at + BLOCK;
    }
    const dataEnd = at + BLOCK + Math.ceil(h.size / BLOCK) * BLOCK;
    if (h.typeflag === "L" || h.typeflag === "x") {
      this.longData = { kind: h.typeflag, bytes: new Uint8Array(Math.min(h.size, 1 << 16)), filled: 0, at: at + BLOCK };
      return dataEnd;
    }
    const name = this.longName ?? h.name;
    this.longName = undefined;
    this.entries.push({ name: name.replace(/^\.\//, ""), size: h.size, type: typeOf(h.typeflag) });
    return dataEnd;
  }

  /** Streaming: chunks of the member in order. */
  feed(offset: number, chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length && !this.done) {
      const abs = offset + pos;
      if (this.longData && abs < this.longData.at + this.longData.bytes.length) {
        const ld = this.longData;
        const take = Math.min(chunk.length - pos, ld.at + ld.bytes.length - abs);
        ld.bytes.set(chunk.subarray(pos, pos + take), abs - ld.at);
        ld.filled += take;
        pos += take;
        if (ld.filled >= ld.bytes.length) this.finishLong();
        continue;
      }
      if (abs < this.next) {
        pos += Math.min(chunk.length - pos, this.next - abs);
        continue;
      }
      // A header, possibly split over chunks.
      const need = BLOCK - this.pendingLength();
      const piece = chunk.subarray(pos, pos + need);
      if (this.pending.length === 0) this.pendingFrom = abs;
      this.pending.push(piece);
      pos += piece.length;
      if (this.pendingLength() === BLOCK) {
        const block = joinBlocks(this.pending);
        this.pending = [];
        this.next = this.header(block, this.pendingFrom);
      }
    }
  }

  private pendingLength(): number {
    return this.pending.reduce((n, p) => n + p.length, 0);
  }

  /** A long name's data still to read (random access). */
  longRange(): { offset: number; length: number } | undefined {
    return this.longData && { offset: this.longData.at, length: this.longData.bytes.length };
  }

  completeLong(bytes: Uint8Array): void {
    this.longData!.bytes.set(bytes.subarray(0, this.longData!.bytes.length));
    this.finishLong();
  }

  private finishLong(): void {
    const ld = this.longData!;
    this.longData = undefined;
    const body = text(ld.bytes);
    if (ld.kind === "L") this.longName = body;
    else {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body);
      if (path) this.longName = path[1];
    }
  }
}

function typeOf(flag: string): TarEntryName["type"] {
  switch (flag) {
    case "0":
    case "\0":
    case "7":
      return "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    case "6":
      return "fifo";
    default:
      return "other";
  }
}

function joinBlocks(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(BLOCK);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(bytes: Uint8Array): number {
  const s = text(bytes).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/** A size field: octal, or GNU base-256 when the high bit of the first byte is set. */
function sizeField(bytes: Uint8Array): number {
  if (bytes[0]! & 0x80) {
    let n = bytes[0]! & 0x7f;
    for (let i = 1; i < bytes.length; i++) n = n * 256 + bytes[i]!;
    return n;
  }
  const n = octal(bytes);
  if (!Number.isFinite(n)) throw new Error("bad tar size field");
  return n;
}
