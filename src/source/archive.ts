// A checkpoint archive (tar, plain or compressed) as a CheckpointSource, over whatever holds its
// bytes: a file (Node), a Blob, bytes in memory, a one-shot stream.
//
// - Plain tar with random access: one pass over the headers at open builds an index of member
//   offsets (data is skipped, not read); every read is a ranged read.
// - Otherwise (compressed, or a stream): one pass at open reads every header and keeps the small
//   members in memory (see KeepLimits); reads of the others decompress again from the start, in one
//   bounded streaming pass, never holding the archive. A one-shot stream cannot be read again: what
//   it did not keep cannot be read (SourceError "unsupported" says so).

import { chunksOf, inputFromChunks, inputFromReadAt, readUpTo, type ByteInput } from "./byte-input";
import { archiveFormat, decompress, detectCompression, DETECT_BYTES, type Compression, type PlatformDecoders } from "./decompress";
import { passSource, type KeepLimits, type KeepRanges, type MemberTap } from "./archive-pass";
import { checkRange, memberIndex, publicInfo, STREAM_CHUNK } from "./members";
import { chunkRanges, streamAhead, type StreamRange } from "./read-ahead";
import { SourceError, type CheckpointSource, type MemberInfo } from "./source";
import { walkTar, type TarMember } from "./tar-walk";

/** Where an archive's bytes are. */
export interface ArchiveBytes {
  /** What errors and reports call the archive (a path or a file name). */
  label: string;
  /** The archive's size in bytes, when known. */
  length?: number;
  /** Random access to the raw archive bytes (a file, a Blob, bytes in memory). */
  readAt?: (offset: number, length: number) => Promise<Uint8Array>;
  /**
   * Like readAt, into the caller's buffer (the bytes read: fewer only where the archive ends):
   * lets stream() reuse two buffers instead of allocating one per chunk.
   */
  readInto?: (offset: number, into: Uint8Array) => Promise<Uint8Array>;
  /** A fresh pass over the raw archive bytes from the start. Absent for a one-shot stream. */
  replay?: () => AsyncIterable<Uint8Array>;
  /** Releases what the bytes hold (a file handle). */
  close?: () => Promise<void>;
}

export interface OpenArchiveOptions {
  /** What is kept in memory by the pass at open; defaults in DEFAULT_KEEP / STREAM_KEEP. */
  keep?: Partial<KeepLimits>;
  /**
   * Decoders the platform does better than the built-in ones (in Node, zlib's gunzip: Node's
   * DecompressionStream does not hold back its output, so memory grows with the archive).
   */
  decoders?: PlatformDecoders;
  /**
   * Parts of the members not kept whole that the pass at open keeps too (16 MiB in all), so that
   * reading them later needs no second pass: `keepTaskStrings` keeps the pages holding every
   * task's argv and environment. Only for compressed archives and streams (a plain tar with
   * random access reads any range directly).
   */
  keepRanges?: KeepRanges;
  /**
   * Handed each member's bytes as the pass at open reads them (compressed archives and streams
   * only: a plain tar with random access has no such pass, and never calls it).
   */
  tap?: MemberTap;
}

/** Opens an archive whose bytes can be read again (a file, a Blob, bytes). */
export async function openArchive(bytes: ArchiveBytes, options: OpenArchiveOptions = {}): Promise<CheckpointSource> {
  const head = await readHead(bytes);
  const compression = detectCompression(head, bytes.label);
  if (compression === "none" && bytes.readAt !== undefined && bytes.length !== undefined) {
    return indexedTar(bytes, bytes.readAt, bytes.length);
  }
  if (bytes.replay === undefined) throw new Error("openArchive: bytes need readAt and length, or replay");
  return passSource(bytes.label, compression, bytes.replay(), bytes.replay, { ...options, close: bytes.close });
}

/** Opens a one-shot stream of archive bytes: one pass, at open; see STREAM_KEEP for what it keeps. */
export async function openArchiveStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  label: string,
  options: OpenArchiveOptions = {},
): Promise<CheckpointSource> {
  const chunks = stream instanceof ReadableStream ? chunksOf(stream) : stream;
  const input = inputFromChunks(chunks);
  const head = await readHeadOf(input);
  const compression = detectCompression(head, label);
  async function* whole(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const chunk = await input.read(1 << 20);
      if (chunk === undefined) return;
      yield chunk;
    }
  }
  return passSource(label, compression, whole(), undefined, { ...options, close: () => input.close() });
}

async function readHead(bytes: ArchiveBytes): Promise<Uint8Array> {
  if (bytes.readAt !== undefined && bytes.length !== undefined) {
    return bytes.readAt(0, Math.min(DETECT_BYTES, bytes.length));
  }
  const input = inputFromChunks(bytes.replay!());
  try {
    return await readHeadOf(input);
  } finally {
    await input.close();
  }
}

async function readHeadOf(input: ByteInput): Promise<Uint8Array> {
  return (await readUpTo(input, DETECT_BYTES)).slice();
}

/** A plain tar with random access: headers indexed at open, data read by range. */
async function indexedTar(
  bytes: ArchiveBytes,
  readAt: (offset: number, length: number) => Promise<Uint8Array>,
  length: number,
): Promise<CheckpointSource> {
  const { label } = bytes;
  const members: TarMember[] = [];
  await walkTar(inputFromReadAt(readAt, length), label, (member) => {
    members.push(member);
  });
  const byName = memberIndex(members, label);
  const file = (name: string) => byName.file(name);
  return {
    label,
    format: archiveFormat.none,
    randomAccess: true,
    members: async (): Promise<MemberInfo[]> => members.map(publicInfo),
    read: async (name) => {
      const m = file(name);
      return readAt(m.dataOffset, m.size);
    },
    readRanges: async (requests) => {
      const checked = requests.map((r) => ({ member: file(r.name), request: checkRange(r, file(r.name), label) }));
      return Promise.all(checked.map(({ member, request }) => readAt(member.dataOffset + request.offset, request.length)));
    },
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      const ranges = chunkRanges(members.filter((m) => wanted.has(m.name) && m.type === "file"));
      const { readInto } = bytes;
      const buffers = readInto && ([new Uint8Array(STREAM_CHUNK), new Uint8Array(STREAM_CHUNK)] as const);
      const read = async (r: StreamRange, slot: 0 | 1) => {
        const at = r.base + r.at;
        const chunk = buffers ? await readInto!(at, buffers[slot].subarray(0, r.length)) : await readAt(at, r.length);
        if (chunk.length < r.length) throw new SourceError("truncated", label, "the archive is shorter than it was at open", r.name, r.at + chunk.length, at + chunk.length);
        return chunk;
      };
      await streamAhead(ranges, read, onChunk, signal);
    },
    close: async () => bytes.close?.(),
  };
}


export type { Compression, KeepLimits, KeepRanges, MemberTap };
