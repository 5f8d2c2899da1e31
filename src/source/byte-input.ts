// A forward-only reader over archive bytes, the one thing the tar walk needs: a stream of chunks
// (skipping reads and drops), or random access (skipping only moves the position, so indexing a
// plain tar reads headers alone).

import { concatBytes } from "../image/bytes";

/** Bytes read forward from position 0. */
export interface ByteInput {
  /** Bytes consumed so far. */
  readonly position: number;
  /** The total length, when known before the end (random-access inputs). */
  readonly length?: number;
  /** Up to `max` bytes at the position (a view valid until the next call); undefined at the end. */
  read(max: number): Promise<Uint8Array | undefined>;
  /** Moves forward `n` bytes; returns how many there were (fewer at the end). */
  skip(n: number): Promise<number>;
  /** Stops the underlying stream early (cancels decompression and file reads). */
  close(): Promise<void>;
}

/** Reads a ByteInput over an async sequence of chunks. */
export function inputFromChunks(chunks: AsyncIterable<Uint8Array>): ByteInput {
  const iterator = chunks[Symbol.asyncIterator]();
  let current: Uint8Array = new Uint8Array(0);
  let at = 0;
  let position = 0;
  let done = false;
  const fill = async (): Promise<boolean> => {
    while (at >= current.length) {
      if (done) return false;
      const next = await iterator.next();
      if (next.done) {
        done = true;
        return false;
      }
      current = next.value;
      at = 0;
    }
    return true;
  };
  return {
    get position() {
      return position;
    },
    async read(max) {
      if (!(await fill())) return undefined;
      const n = Math.min(max, current.length - at);
      const view = current.subarray(at, at + n);
      at += n;
      position += n;
      return view;
    },
    async skip(n) {
      let left = n;
      while (left > 0 && (await fill())) {
        const k = Math.min(left, current.length - at);
        at += k;
        position += k;
        left -= k;
      }
      return n - left;
    },
    async close() {
      if (done) return;
      done = true;
      await iterator.return?.();
    },
  };
}

/** Reads a ByteInput over a random-access reader; `read` asks for at most `chunk` bytes at a time. */
export function inputFromReadAt(
  readAt: (offset: number, length: number) => Promise<Uint8Array>,
  length: number,
  chunk = 1 << 20,
): ByteInput {
  let position = 0;
  return {
    length,
    get position() {
      return position;
    },
    async read(max) {
      const n = Math.min(max, chunk, length - position);
      if (n <= 0) return undefined;
      const bytes = await readAt(position, n);
      position += bytes.length;
      return bytes.length === 0 ? undefined : bytes;
    },
    async skip(n) {
      const k = Math.max(0, Math.min(n, length - position));
      position += k;
      return k;
    },
    close: async () => {},
  };
}

/** Reads exactly `n` bytes (fewer only at the end of the input); a copy when they span chunks. */
export async function readUpTo(input: ByteInput, n: number): Promise<Uint8Array> {
  const first = await input.read(n);
  if (first === undefined || first.length === n) return first ?? new Uint8Array(0);
  const parts = [first.slice()];
  let got = first.length;
  while (got < n) {
    const more = await input.read(n - got);
    if (more === undefined) break;
    parts.push(more.slice());
    got += more.length;
  }
  return concat(parts);
}

/** The parts one after the other (the part itself when there is one). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

/** The chunks of a web ReadableStream (through a reader: not every browser iterates streams). */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      if (value.length > 0) yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
