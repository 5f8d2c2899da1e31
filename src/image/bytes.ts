import { ImageError } from "./errors";

/**
 * Thrown by a ByteReader over a partial buffer (streaming) when it needs more data: `needed` is
 * the absolute offset up to which bytes must be buffered before the read can succeed.
 */
export class NeedMoreData extends Error {
  constructor(readonly needed: number) {
    super(`need data up to offset ${needed}`);
  }
}

export interface ByteReaderOptions {
  file?: string | undefined;
  /** Absolute offset of `bytes[0]` in the image (for error messages and streaming). */
  base?: number;
  /** False while more data may follow (streaming): running out then means "need more". */
  final?: boolean;
}

/** A bounds-checked little-endian cursor over image bytes. Never reads past the end. */
export class ByteReader {
  readonly file: string | undefined;
  readonly base: number;
  readonly final: boolean;
  private readonly view: DataView;
  pos = 0;

  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array, options: ByteReaderOptions = {}) {
    // A plain view, so payloads come out as Uint8Array even when given a Node Buffer.
    this.bytes = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = options.file;
    this.base = options.base ?? 0;
    this.final = options.final ?? true;
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Absolute offset of the cursor in the image. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** True when no byte is left and none can follow. */
  get atEnd(): boolean {
    if (this.pos < this.bytes.length) return false;
    if (!this.final) throw new NeedMoreData(this.offset + 1);
    return true;
  }

  /** Ensures `n` more bytes are there; otherwise "truncated" (or NeedMoreData when streaming). */
  require(n: number, what: string): void {
    if (n <= this.remaining) return;
    if (!this.final) throw new NeedMoreData(this.offset + n);
    throw this.error("truncated", `${what} (${n} bytes, ${this.remaining} left)`);
  }

  u32(what: string): number {
    this.require(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A u32 the caller knows is there (remaining >= 4). */
  u32Unchecked(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u16(what: string): number {
    this.require(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  /** The next `n` bytes, as a view into the input (no copy). */
  take(n: number, what: string): Uint8Array {
    this.require(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** All bytes up to the end of the image (waits for the end when streaming). */
  rest(): Uint8Array {
    if (!this.final) throw new NeedMoreData(Number.MAX_SAFE_INTEGER);
    return this.take(this.remaining, "rest");
  }

  error(kind: ImageError["kind"], expected: string, offset = this.offset, cause?: unknown): ImageError {
    return new ImageError({ kind, file: this.file, offset, expected, cause });
  }
}

/** A growable byte buffer: the base of the image, JSON and wire writers. */
export class GrowableBytes {
  buf: Uint8Array;
  pos = 0;

  constructor(initialSize = 4096) {
    this.buf = new Uint8Array(initialSize);
    this.limit = initialSize;
  }

  private viewed: Uint8Array | undefined;
  private dataView: DataView | undefined;

  /** The buffer as a DataView (made again only when the buffer has grown). */
  view(): DataView {
    if (this.viewed !== this.buf) {
      this.viewed = this.buf;
      this.dataView = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    return this.dataView!;
  }

  /**
   * How far writes may go once reserved: the buffer's end, or less when a subclass prepares the
   * buffer ahead of writes (JsonSink's spaces).
   */
  protected limit = 0;

  reserve(n: number): void {
    // Small enough to be inlined where it is called for every value; growing is out of line.
    if (this.pos + n > this.limit) this.extend(n);
  }

  /** Makes room for n more bytes (the limit was reached). */
  protected extend(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
    this.limit = this.buf.length;
  }

  /** A buffer twice as large (or more), with the bytes written so far. */
  protected grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    if (n > 32) this.buf.set(b, this.pos);
    else for (let i = 0, p = this.pos, buf = this.buf; i < n; i++) buf[p + i] = b[i]!; // set() costs more for short runs
    this.pos += n;
  }

  /** A little-endian u32, here or (when `at` is given) over bytes already written. */
  u32le(v: number, at?: number): void {
    const p = at ?? this.pos;
    if (at === undefined) this.reserve(4);
    const b = this.buf;
    b[p] = v & 255;
    b[p + 1] = (v >>> 8) & 255;
    b[p + 2] = (v >>> 16) & 255;
    b[p + 3] = (v >>> 24) & 255;
    if (at === undefined) this.pos += 4;
  }

  /** The bytes written so far, and a reset to empty. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** What was written, as a view (no copy), and starts over: valid until the next write. */
  takeView(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return out;
  }
}

/** The image encoder's buffer: little-endian words, raw bytes, zero padding. */
export class ByteWriter extends GrowableBytes {
  u32(v: number): void {
    this.u32le(v);
  }

  u16(v: number): void {
    this.reserve(2);
    this.buf[this.pos++] = v & 255;
    this.buf[this.pos++] = (v >>> 8) & 255;
  }

  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }
}

/** The bytes of all parts, one after the other. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
