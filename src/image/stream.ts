// Streaming decode and encode of images. Browser-safe: no Node imports; any async iterable of
// Uint8Array (Node Readable streams included) or a web ReadableStream is accepted as a source.
//
// Decoding re-runs the whole-buffer codecs on the bytes received so far, with a non-final
// ByteReader: when they run out they throw NeedMoreData(needed) and we pull more chunks. When
// the source ends, the same codecs run once more with a final reader, so every error (kind,
// file, offset, entry) is the one decodeImage gives for the same bytes.

import { ByteReader, ByteWriter, NeedMoreData } from "./bytes";
import { ImageError } from "./errors";
import { checkFirstEntry, codecFor, firstEntryExpected, needsFirstEntry, readEntry, type DecodeOptions } from "./decode";
import { imageRow, writeEntry } from "./encode";
import type { EntriesOf } from "./entries";
import { readHeader, writeHeader, type Detected } from "./header";
import type { HeaderKind, ImageMagic, ImageRow, RawMagic } from "./magic-table";

/**
 * Where image bytes come from: chunks in order (chunks handed over must not be reused), or a
 * ReadIntoSource.
 */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array> | ReadIntoSource;

/**
 * A source that reads into buffers the decoder gives it, like a file handle's read(): each
 * entry is then read straight into a buffer of its own size, with no chunk to join or drop.
 */
export interface ReadIntoSource {
  /** Fills the start of `target` with the next bytes; resolves to how many (0 at the end). */
  readInto(target: Uint8Array): Promise<number>;
  /**
   * How many bytes the source holds in all, when known (a file's size): reading stops there.
   * Without it, buffers grow as bytes arrive, so a damaged length cannot make the decoder
   * allocate more than about twice what it has read.
   */
  size?: number;
  /** Releases the source (called once, at the end or on close). */
  close?(): Promise<void>;
}

interface StreamControls {
  /** The most bytes the decoder held at once (received, not yet decoded): for memory checks. */
  readonly maxBuffered: number;
  /** Stops reading and releases the source (needed only when not iterating to the end). */
  close(): Promise<void>;
}

/** An image being decoded from a stream: its type now, its entries one at a time. */
export type CriuImageStream<M extends ImageMagic = ImageMagic> = {
  [K in M]: StreamControls & {
    magic: K;
    header: HeaderKind;
    /** The entries, each as decodeImage gives it; may be iterated once. */
    entries: AsyncGenerator<EntriesOf<K>[number], void, undefined>;
  };
}[M];

/** A raw image (known by file name) streamed through: its bytes, chunk by chunk, unchanged. */
export interface RawImageStream extends StreamControls {
  magic: RawMagic;
  raw: AsyncGenerator<Uint8Array, void, undefined>;
}

export type AnyImageStream = CriuImageStream | RawImageStream;

/** How openImageStream reads. */
export interface StreamOptions extends DecodeOptions {
  /** The image type the stream must hold (ImageError otherwise). */
  expect?: ImageMagic;
  /**
   * For a ReadIntoSource only: read every entry into one buffer, reused from entry to entry
   * (grown when an entry needs more), instead of a buffer per entry. Memory then stays at about
   * the largest entry, however many entries go by, and no dropped buffers wait for the garbage
   * collector. The price: every Uint8Array in an entry (payload, bytes fields, kept unknown
   * fields) is a view into that buffer, valid only until the next entry is asked for. Copy what
   * you keep. Other sources hand over their own chunks and ignore this option.
   */
  reuseBuffers?: boolean;
}

export function isRawImageStream(stream: AnyImageStream): stream is RawImageStream {
  return "raw" in stream;
}

/** Opens a stream that must hold an image of type `expect`, typed accordingly. */
export function openImageStream<M extends ImageMagic>(
  source: ByteSource,
  options: StreamOptions & { expect: M },
): Promise<CriuImageStream<M>>;
/**
 * Reads an image's header from `source` and returns its type, with its entries to iterate.
 * Holds only the bytes of the entry being decoded (plus the rest of the last chunk received);
 * the one exception is inherent to the format: a plain ghost file's contents run to the end of
 * the file, so that first entry is the whole file. Entries may be views into the source's
 * chunks. Throws ImageError as decodeImage does for the same bytes (from here for a bad header,
 * from the entries' iteration otherwise). Iterate to the end, or call close(), to release the
 * source.
 */
export function openImageStream(source: ByteSource, options?: StreamOptions): Promise<AnyImageStream>;
export async function openImageStream(source: ByteSource, options: StreamOptions = {}): Promise<unknown> {
  const pending = isReadInto(source) ? new Pending(undefined, source, options.reuseBuffers === true) : new Pending(chunksOf(source));
  const file = options.fileName;
  let detected: Detected & { size: number };
  try {
    // Same checks as decodeImage, in the same order, with the same offsets.
    detected = await attempt(pending, file, false, (r) => {
      const found = readHeader(r, file);
      if ("raw" in found) {
        if (options.expect) throw r.error("bad-magic", `a ${options.expect} image, not a raw ${found.raw} image`, 0);
      } else if (options.expect && options.expect !== found.row.name) {
        throw r.error("bad-magic", `a ${options.expect} image, not ${found.row.name}`, r.offset - 4);
      }
      return { ...found, size: r.pos };
    });
  } catch (err) {
    await pending.close();
    throw err;
  }
  const controls = (stop: () => Promise<unknown>): StreamControls => ({
    get maxBuffered() {
      return pending.maxLength;
    },
    close: async () => {
      await stop();
      await pending.close();
    },
  });
  if ("raw" in detected) {
    // The header bytes peeked at were not consumed: they go out first, then the source as is.
    const raw = passThrough(pending);
    return Object.assign(controls(() => raw.return()), { magic: detected.raw, raw });
  }
  pending.consume(detected.size);
  const entries = readEntries(pending, detected.row, file);
  return Object.assign(controls(() => entries.return()), {
    magic: detected.row.name,
    header: detected.header,
    entries,
  });
}

async function* readEntries(pending: Pending, row: ImageRow, file: string | undefined): AsyncGenerator<unknown, void, undefined> {
  const codec = codecFor(row);
  let index = 0;
  let first: unknown;
  try {
    while (!(await attempt(pending, file, true, (r) => r.atEnd))) {
      const entry = await attempt(pending, file, true, (r) => readEntry(codec, r, index, first));
      // Only a ghost file's later entries depend on the first; others need not keep it alive.
      if (index === 0 && row.payload === "ghost-file") first = entry;
      index++;
      yield entry;
    }
    // Reached only once the source has ended, so the reader is final, as decodeImage's is.
    await attempt(pending, file, true, (r) => checkFirstEntry(row, index, r));
  } finally {
    await pending.close();
  }
}

async function* passThrough(pending: Pending): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    yield* pending.drain();
    for (let chunk = await pending.pull(); chunk; chunk = await pending.pull()) yield chunk;
  } finally {
    await pending.close();
  }
}

/**
 * Runs `read` over the pending bytes until it no longer needs more data, then drops the bytes it
 * read (when `consume`). A real error on a non-final reader is the same as on a final one: the
 * codecs throw one only after every byte it concerns has been read.
 */
async function attempt<T>(pending: Pending, file: string | undefined, consume: boolean, read: (r: ByteReader) => T): Promise<T> {
  for (let tries = 1; ; tries++) {
    const r = new ByteReader(pending.bytes(), { file, base: pending.start, final: pending.ended });
    try {
      const value = read(r);
      if (consume) pending.consume(r.pos);
      return value;
    } catch (err) {
      // A final reader never throws NeedMoreData, so this loop ends with the source.
      if (!(err instanceof NeedMoreData)) throw err;
      // Each try re-reads the entry from its start: an entry made of many small records (ipc
      // messages) arriving in small chunks would cost O(n²). After a few tries, ask for twice
      // what is buffered, which bounds the tries by log(size) and the excess by the entry size.
      const ahead = tries > 4 ? pending.start + 2 * pending.length : 0;
      await pending.fill(Math.max(err.needed, ahead));
    }
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The bytes received and not yet decoded, kept as the chunks they arrived in, made contiguous
 * only when a read needs them: each retry copies what is buffered once, never the whole file.
 */
class Pending {
  private chunks: Uint8Array[] = [];
  /** Absolute offset of the first pending byte. */
  start = 0;
  length = 0;
  maxLength = 0;
  ended = false;
  private closed = false;
  /** With `reuse`: the one buffer entries are read into. */
  private scratch: Uint8Array = EMPTY;

  constructor(
    private readonly source: AsyncIterator<Uint8Array> | undefined,
    private readonly reader?: ReadIntoSource,
    private readonly reuse = false,
  ) {}

  /** The next non-empty chunk of the source, or undefined at its end. */
  async pull(): Promise<Uint8Array | undefined> {
    if (this.reader) {
      const chunk = new Uint8Array(READ_SIZE);
      const n = await this.readInto(chunk);
      return n > 0 ? chunk.subarray(0, n) : undefined;
    }
    while (!this.ended && this.source) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) throw new TypeError("an image source must yield Uint8Array chunks");
      if (chunk.length > 0) return chunk;
    }
    return undefined;
  }

  /** Pulls chunks until the bytes up to absolute offset `needed` are here or the source ends. */
  async fill(needed: number): Promise<void> {
    if (this.reader) return this.fillByReading(needed);
    while (this.start + this.length < needed) {
      const chunk = await this.pull();
      if (!chunk) return;
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.maxLength = Math.max(this.maxLength, this.length);
    }
  }

  /**
   * With a ReadIntoSource: one buffer for all that is needed (at least READ_SIZE more, so that
   * small entries are read many at a time), the few pending bytes copied to its start, the rest
   * read into it.
   */
  private async fillByReading(needed: number): Promise<void> {
    if (this.start + this.length >= needed || this.ended) return;
    const size = this.reader!.size;
    const left = size === undefined ? Infinity : Math.max(0, size - this.start);
    const grown = size === undefined ? Math.max(2 * this.length, this.length + READ_SIZE) : left;
    const wanted = Math.min(needed - this.start, grown);
    const length = Math.max(wanted, Math.min(this.length + READ_SIZE, left));
    let buf: Uint8Array;
    if (!this.reuse) buf = new Uint8Array(length);
    else if (this.scratch.length >= length) buf = this.scratch; // the pending bytes may lie in it: set() copies overlapping bytes correctly
    else buf = this.scratch = new Uint8Array(length);
    buf.set(this.bytes());
    let have = this.length;
    while (have < buf.length && this.start + have < needed) {
      const n = await this.readInto(buf.subarray(have));
      if (n === 0) break;
      have += n;
    }
    this.chunks = [buf.subarray(0, have)];
    this.length = have;
    this.maxLength = Math.max(this.maxLength, have);
    if (size !== undefined && this.start + have >= size) this.ended = true; // the size is the end
  }

  private async readInto(target: Uint8Array): Promise<number> {
    if (this.ended) return 0;
    const n = await this.reader!.readInto(target);
    if (!(Number.isInteger(n) && n >= 0 && n <= target.length)) throw new TypeError("readInto must resolve to the number of bytes it read");
    if (n === 0) this.ended = true;
    return n;
  }

  /** All pending bytes, contiguous (a copy only when they span several chunks). */
  bytes(): Uint8Array {
    if (this.chunks.length > 1) {
      const joined = new Uint8Array(this.length);
      let at = 0;
      for (const c of this.chunks) {
        joined.set(c, at);
        at += c.length;
      }
      this.chunks = [joined];
    }
    return this.chunks[0] ?? EMPTY;
  }

  /** Drops the first `n` pending bytes (decoded). Views already handed out stay valid. */
  consume(n: number): void {
    if (n === 0) return;
    const rest = this.bytes().subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.start += n;
    this.length -= n;
  }

  /** Hands over the pending chunks and forgets them. */
  drain(): Uint8Array[] {
    const out = this.chunks;
    this.start += this.length;
    this.chunks = [];
    this.length = 0;
    return out;
  }

  /** Releases the source; best effort, so that a decode error is not hidden by a close error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.scratch = EMPTY;
    try {
      if (this.reader) await this.reader.close?.();
      else await this.source?.return?.();
    } catch {
      // The source is being abandoned; nothing more can be done with it.
    }
  }
}

/** Bytes read at a time from a ReadIntoSource when no entry asks for more. */
const READ_SIZE = 16 << 10;

function isReadInto(source: ByteSource): source is ReadIntoSource {
  return typeof (source as ReadIntoSource).readInto === "function";
}

/** One async iterator over any accepted source; a ReadableStream is read through its reader. */
function chunksOf(source: Exclude<ByteSource, ReadIntoSource>): AsyncIterator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      // Cancelling tells the producer to stop, as the stream's own async iterator does.
      return: async () => {
        await reader.cancel();
        reader.releaseLock();
        return { done: true, value: undefined };
      },
    };
  }
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const it = (source as Iterable<Uint8Array>)[Symbol.iterator]();
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

export interface EncodeStreamOptions {
  /** What to write before the magic; by default what CRIU writes for this image type. */
  header?: HeaderKind;
  /** The image's file name, for error messages. */
  fileName?: string;
}

/**
 * Encodes an image as it is produced: one chunk with the header, then one chunk per entry.
 * The chunks concatenated equal encodeImage's output; errors are the same ImageErrors (thrown
 * when the bad entry is reached, after the chunks before it). Raw images need no encoding:
 * write their bytes as they are.
 */
export async function* encodeImageStream<M extends ImageMagic>(
  magic: M,
  entries: AsyncIterable<EntriesOf<M>[number]> | Iterable<EntriesOf<M>[number]>,
  options: EncodeStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const row = imageRow(magic, options.fileName);
  const w = new ByteWriter();
  writeHeader(w, row, options.header ?? row.header);
  yield w.take();
  const codec = codecFor(row);
  let index = 0;
  let first: unknown;
  for await (const entry of entries) {
    if (index === 0) first = entry;
    writeEntry(codec, w, entry, index, first, options.fileName);
    index++;
    yield w.take();
  }
  if (index === 0 && needsFirstEntry(row)) throw new ImageError({ kind: "bad-entry", file: options.fileName, expected: firstEntryExpected(row) });
}
