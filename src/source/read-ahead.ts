// stream() over a random-access source: the chunks of the named members read one ahead, so the
// next read (a file system or Blob read, done off the main thread) runs while the caller works
// on the current chunk.

import { STREAM_CHUNK } from "./members";

export interface StreamRange {
  name: string;
  /** Offset of the chunk in its member. */
  at: number;
  length: number;
  /** Where the member's bytes start in the source (a tar member's data offset; 0 for a file). */
  base: number;
}

/** The members' chunks, in the order given, each at most `chunk` bytes. */
export function chunkRanges(members: readonly { name: string; size: number; dataOffset?: number }[], chunk = STREAM_CHUNK): StreamRange[] {
  const out: StreamRange[] = [];
  for (const m of members) {
    for (let at = 0; at < m.size; at += chunk) out.push({ name: m.name, at, length: Math.min(chunk, m.size - at), base: m.dataOffset ?? 0 });
  }
  return out;
}

/**
 * Hands each range's bytes to `onChunk`, reading the next range while `onChunk` runs. `read` is
 * told which of two slots the read is for, so that a reader reusing buffers can alternate them
 * (a chunk stays untouched until its callback has settled).
 */
export async function streamAhead(
  ranges: readonly StreamRange[],
  read: (range: StreamRange, slot: 0 | 1) => Promise<Uint8Array>,
  onChunk: (name: string, offset: number, chunk: Uint8Array) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const start = (i: number): Promise<Uint8Array> | undefined => {
    if (i >= ranges.length) return undefined;
    const p = read(ranges[i]!, (i % 2) as 0 | 1);
    // Settled later by the loop's await; until then a failure must not count as unhandled.
    p.catch(() => {});
    return p;
  };
  let ahead = start(0);
  for (let i = 0; i < ranges.length; i++) {
    if (signal?.aborted) return;
    const chunk = await ahead!;
    ahead = signal?.aborted ? undefined : start(i + 1);
    const r = ranges[i]!;
    await onChunk(r.name, r.at, chunk);
  }
}
