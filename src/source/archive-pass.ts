// An archive read in passes from its start (compressed, or a one-shot stream): the pass at open
// lists every member and keeps the small ones; a read of any other member is one more bounded
// pass (decompressing again), which stops after the last member it needs.

import { concat, inputFromChunks } from "./byte-input";
import { archiveFormat, decompress, type Compression, type PlatformDecoders } from "./decompress";
import { checkRange, memberIndex, publicInfo, STREAM_CHUNK } from "./members";
import { SourceError, type CheckpointSource, type MemberInfo } from "./source";
import { walkTar, type MemberData, type MemberVisitor, type TarMember } from "./tar-walk";

/** What the pass at open keeps in memory. */
export interface KeepLimits {
  /** A regular member up to this size is small: kept, ... */
  smallMemberBytes: number;
  /** ... while the small members kept stay under this in all. */
  smallTotalBytes: number;
  /** Larger members are kept while together they stay under this. */
  largeTotalBytes: number;
}

/** A range of a member the pass at open keeps (see KeepRanges). */
export interface KeptRange {
  offset: number;
  length: number;
}

/**
 * Asked by the pass at open for each regular member it does not keep whole: the ranges of it to
 * keep, so that a later readRanges inside them needs no other pass. `kept`: the members kept whole
 * so far, by name (those earlier in the archive), e.g. the images that say where argv sits in the
 * pages that follow them.
 */
export type KeepRanges = (member: MemberInfo, kept: ReadonlyMap<string, Uint8Array>) => readonly KeptRange[];

/**
 * Asked by the pass at open for each regular member: a consumer of the member's bytes as they
 * stream past (member offset, chunk; the chunk is valid only during the call), or undefined. Lets a
 * caller do its work in the pass at open, e.g. search pages-ID.img with the pagemap images kept
 * before it, instead of decompressing the archive again. `kept` as for KeepRanges.
 */
export type MemberTap = (member: MemberInfo, kept: ReadonlyMap<string, Uint8Array>) => ((offset: number, chunk: Uint8Array) => void | Promise<void>) | undefined;

/** What passSource does besides listing the members. */
export interface PassOptions {
  keep?: Partial<KeepLimits>;
  close?: () => Promise<void>;
  decoders?: PlatformDecoders;
  keepRanges?: KeepRanges;
  tap?: MemberTap;
}

/** Ranges kept by a KeepRanges hook stay under this in all; the ones past it are not kept. */
export const KEEP_RANGES_BYTES = 16 << 20;

/** For archives that can be read again (files, Blobs): small members only (8 MiB each, 256 MiB in all). */
export const DEFAULT_KEEP: KeepLimits = { smallMemberBytes: 8 << 20, smallTotalBytes: 256 << 20, largeTotalBytes: 0 };
/** For one-shot streams: the small members, and large ones up to 512 MiB in all; the rest cannot be read. */
export const STREAM_KEEP: KeepLimits = { ...DEFAULT_KEEP, largeTotalBytes: 512 << 20 };

export async function passSource(
  label: string,
  compression: Compression,
  first: AsyncIterable<Uint8Array>,
  replay: (() => AsyncIterable<Uint8Array>) | undefined,
  options: PassOptions = {},
): Promise<CheckpointSource> {
  const { close, decoders, keepRanges, tap } = options;
  const limits = { ...(replay === undefined ? STREAM_KEEP : DEFAULT_KEEP), ...options.keep };
  const members: TarMember[] = [];
  const kept = new Map<string, Uint8Array>();
  /** Parts of members not kept whole, by member name, as a KeepRanges hook asked. */
  const keptRanges = new Map<string, { offset: number; bytes: Uint8Array }[]>();
  let small = 0;
  let large = 0;
  let ranged = 0;
  const walk = (raw: AsyncIterable<Uint8Array>, visit: MemberVisitor) => walkTar(inputFromChunks(decompress(compression, raw, label, decoders)), label, visit);
  await walk(first, async (m, data) => {
    members.push(m);
    kept.delete(m.name);
    keptRanges.delete(m.name);
    if (m.type !== "file") return;
    const feed = tap?.(publicInfo(m), kept);
    const isSmall = m.size <= limits.smallMemberBytes;
    if (isSmall ? small + m.size > limits.smallTotalBytes : large + m.size > limits.largeTotalBytes) {
      const wanted = (keepRanges?.(publicInfo(m), kept) ?? []).filter((r) => {
        const fits = r.offset >= 0 && r.length > 0 && r.offset + r.length <= m.size && ranged + r.length <= KEEP_RANGES_BYTES;
        if (fits) ranged += r.length;
        return fits;
      });
      if (wanted.length > 0 || feed !== undefined) keptRanges.set(m.name, await readParts(data, wanted, feed));
      return;
    }
    const bytes = await readAll(data);
    kept.set(m.name, bytes);
    for (let at = 0; feed !== undefined && at < bytes.length; at += STREAM_CHUNK) await feed(at, bytes.subarray(at, at + STREAM_CHUNK));
    if (isSmall) small += m.size;
    else large += m.size;
  });
  /** The bytes of a range from what the pass at open kept (a whole member or a kept range), if it did. */
  const fromMemory = (name: string, offset: number, length: number): Uint8Array | undefined => {
    const whole = kept.get(name);
    if (whole !== undefined) return whole.subarray(offset, offset + length);
    const part = keptRanges.get(name)?.find((p) => p.offset <= offset && offset + length <= p.offset + p.bytes.length);
    return part?.bytes.subarray(offset - part.offset, offset - part.offset + length);
  };
  const index = memberIndex(members, label);

  /** One more pass over the archive, visiting only `wanted` (headers of the latest member of each name). */
  const passOver = async (wanted: readonly TarMember[], visit: (m: TarMember, data: MemberData) => Promise<void | "stop">) => {
    if (replay === undefined) {
      const m = wanted[0]!;
      throw new SourceError("unsupported", label, `a one-shot stream keeps members up to ${limits.smallMemberBytes} bytes and ${limits.largeTotalBytes} bytes of larger ones; this one (${m.size} bytes) was not kept: open the archive as a file or Blob to read it`, m.name);
    }
    const offsets = new Set(wanted.map((m) => m.headerOffset));
    const last = Math.max(...offsets);
    await walk(replay(), async (m, data) => {
      if (!offsets.has(m.headerOffset)) return;
      if ((await visit(m, data)) === "stop" || m.headerOffset === last) return "stop";
    });
  };

  return {
    label,
    format: archiveFormat[compression],
    randomAccess: false,
    members: async (): Promise<MemberInfo[]> => members.map(publicInfo),
    async read(name) {
      const m = index.file(name);
      const bytes = kept.get(name);
      if (bytes !== undefined) return bytes;
      let out: Uint8Array | undefined;
      await passOver([m], async (_, data) => {
        out = await readAll(data);
      });
      return out!;
    },
    async readRanges(requests) {
      const asked = requests.map((r) => ({ member: index.file(r.name), request: checkRange(r, index.file(r.name), label) }));
      const out = asked.map(({ member, request }) => fromMemory(member.name, request.offset, request.length));
      const pending = asked.map((a, i) => ({ ...a, i })).filter(({ i }) => out[i] === undefined);
      if (pending.length === 0) return out as Uint8Array[];
      for (const { request, i } of pending) out[i] = new Uint8Array(request.length);
      await passOver(
        pending.map((p) => p.member),
        async (m, data) => {
          const mine = pending.filter((p) => p.member.headerOffset === m.headerOffset);
          const end = Math.max(...mine.map((p) => p.request.offset + p.request.length));
          for (let at = 0; at < end; ) {
            const chunk = (await data.read(STREAM_CHUNK))!;
            for (const { request, i } of mine) copyOverlap(chunk, at, request.offset, out[i]!);
            at += chunk.length;
          }
        },
      );
      return out as Uint8Array[];
    },
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      const latest = members.filter((m) => wanted.has(m.name) && m.type === "file" && index.file(m.name) === m);
      const fromMemory = async (m: TarMember, bytes: Uint8Array) => {
        for (let at = 0; at < bytes.length; at += STREAM_CHUNK) {
          if (signal?.aborted) return "stop";
          await onChunk(m.name, at, bytes.subarray(at, at + STREAM_CHUNK));
        }
      };
      if (latest.every((m) => kept.has(m.name))) {
        for (const m of latest) if ((await fromMemory(m, kept.get(m.name)!)) === "stop") return;
        return;
      }
      if (signal?.aborted) return;
      await passOver(latest, async (m, data) => {
        const bytes = kept.get(m.name);
        if (bytes !== undefined) return fromMemory(m, bytes);
        for (let at = 0; ; ) {
          if (signal?.aborted) return "stop";
          const chunk = await data.read(STREAM_CHUNK);
          if (chunk === undefined) return;
          await onChunk(m.name, at, chunk);
          at += chunk.length;
        }
      });
    },
    close: async () => {
      kept.clear();
      keptRanges.clear();
      await close?.();
    },
  };
}

/** The rest of a member's data, gathered as it arrives (a size field that lies allocates nothing). */
async function readAll(data: MemberData): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let chunk = await data.read(STREAM_CHUNK); chunk !== undefined; chunk = await data.read(STREAM_CHUNK)) parts.push(chunk.slice());
  return concat(parts);
}

/**
 * The bytes of `ranges` of a member, read from its data as it streams past; every chunk also goes
 * to `feed` when given (then the data is read to its end, else what follows the last range is left
 * unread).
 */
async function readParts(
  data: MemberData,
  ranges: readonly KeptRange[],
  feed?: (offset: number, chunk: Uint8Array) => void | Promise<void>,
): Promise<{ offset: number; bytes: Uint8Array }[]> {
  const parts = ranges.map((r) => ({ offset: r.offset, bytes: new Uint8Array(r.length) }));
  const end = feed === undefined ? Math.max(...ranges.map((r) => r.offset + r.length)) : Infinity;
  let at = 0;
  while (at < end) {
    const chunk = await data.read(STREAM_CHUNK);
    if (chunk === undefined) break;
    for (const p of parts) copyOverlap(chunk, at, p.offset, p.bytes);
    if (feed !== undefined) await feed(at, chunk);
    at += chunk.length;
  }
  return parts.filter((p) => p.offset + p.bytes.length <= at);
}

/** Copies the part of `chunk` (at member offset `at`) that falls in the range starting at `offset` into `out`. */
function copyOverlap(chunk: Uint8Array, at: number, offset: number, out: Uint8Array): void {
  const from = Math.max(at, offset);
  const to = Math.min(at + chunk.length, offset + out.length);
  if (from < to) out.set(chunk.subarray(from - at, to - at), from - offset);
}
