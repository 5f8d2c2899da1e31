import type { ReadIntoSource } from "../../image/stream";
import { Scanner, writeImageHeader, type Head } from "./fused-scanner";
import { GIVE_UP } from "./fused-tokens";
import { WireWriter } from "./wire-writer";

/**
 * crit's JSON text, as UTF-8 bytes, straight to image bytes in one pass: the scanner reads a
 * value and writes its wire form at once, with no parsed document and no strings for keys or
 * numbers. It covers what crit writes for message images, pagemaps and pipe data, plain and
 * pretty; on anything else (other payloads, lossless forms, escapes it does not expect, a value
 * out of range, keys out of order, malformed JSON...) it returns undefined and the caller takes
 * the parsing path, which gives the same bytes or the exact error. Tests check both paths agree.
 * Each message type's object is read by code compiled for it, or by the interpreter.
 */
export function fusedImageBytes(json: Uint8Array, options: FusedOptions = {}): Uint8Array | undefined {
  try {
    return new Scanner(json, !options.interpret).image();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

export interface FusedOptions {
  /**
   * Read every message with the interpreter, not with the code compiled per message type
   * (compile-encode.ts; where code cannot be compiled, the interpreter runs anyway).
   */
  interpret?: boolean;
  /**
   * fusedImageChunks only: every chunk is a view of one buffer, reused, valid only until the next
   * chunk is asked for (write it out first). Spares a copy of the whole image and the fresh
   * memory for it.
   */
  reuseBuffers?: boolean;
}

/** Thrown by fusedImageChunks for a document the one-pass encoder does not cover. */
export class NotFusable extends Error {
  constructor() {
    super("this JSON needs the parsing path");
  }
}

/**
 * The one-pass encoder over JSON read from a source, entry by entry: the image comes out as
 * chunks (about `chunk` bytes each) while only a window of the JSON is held, for documents too
 * large to read whole (the JSON of a 1 GiB pipes-data image is 1.4 GB). An entry cut by the
 * window's end is read again once more bytes are in. Throws NotFusable, possibly after chunks
 * were given out, when the document needs the parsing path: callers then start over with
 * critJsonToImageBytes (writing to a temporary file first, as the CLI does, makes that safe).
 */
export async function* fusedImageChunks(source: ReadIntoSource, chunk = 1 << 20, options: FusedOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const window = new JsonWindow(source, 4 * chunk);
  await window.advance(0);
  const sc = new Scanner(window.bytes, !options.interpret);
  const retry = async (from: number) => {
    // An entry still unread with this much JSON in hand is not cut short: it is not ours.
    if (window.bytes.length - from > MAX_ENTRY_JSON || !(await window.advance(from))) throw new NotFusable();
    sc.setBytes(window.bytes);
    sc.pos = 0;
    sc.depth = 0;
  };
  let head: Head;
  for (;;) {
    try {
      head = sc.head();
      break;
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      await retry(0);
    }
  }
  const out = (sc.w = new WireWriter(2 * chunk));
  const take = options.reuseBuffers ? () => out.takeView() : () => out.take();
  writeImageHeader(out, head.row);
  for (let index = 0; ; ) {
    const start = sc.pos;
    const mark = out.pos;
    let more: boolean;
    try {
      if (index === 0 && sc.empty(0x5d)) break;
      sc.entry(head, index);
      more = sc.more(0x5d);
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      out.pos = mark;
      await retry(start);
      continue;
    }
    index++;
    if (out.pos >= chunk) yield take();
    if (!more) break;
  }
  for (;;) {
    const start = sc.pos;
    try {
      if (!window.ended) throw GIVE_UP; // the end must be seen to be the end
      sc.end();
      break;
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      await retry(start);
    }
  }
  yield take();
}

/** The most JSON one entry may take in fusedImageChunks (a 64 MiB payload is ~90 MB of it). */
const MAX_ENTRY_JSON = 256 << 20;

/** The part of the JSON being read: bytes from the source, from a given point on. */
class JsonWindow {
  bytes = new Uint8Array(0);
  ended = false;

  constructor(
    private readonly source: ReadIntoSource,
    private readonly step: number,
  ) {}

  /** The buffer under `bytes`, and the one used before it, kept for the next advance. */
  private current = this.bytes;
  private spare = new Uint8Array(0);

  /**
   * Drops the bytes before `from` and reads more; false when nothing more could be read. Two
   * buffers take turns (a new one only when the kept bytes need more room): a fresh buffer per
   * step would cost its allocation and zeroing again every few megabytes of JSON.
   */
  async advance(from: number): Promise<boolean> {
    if (this.ended) return false;
    const kept = this.bytes.subarray(from);
    const size = Math.max(2 * kept.length, kept.length + this.step);
    const next = this.spare.length >= size ? this.spare : new Uint8Array(size);
    next.set(kept); // from the other buffer: no overlap
    this.spare = this.current;
    this.current = next;
    let have = kept.length;
    while (have < next.length) {
      const n = await this.source.readInto(next.subarray(have));
      if (n === 0) {
        this.ended = true;
        break;
      }
      have += n;
    }
    this.bytes = next.subarray(0, have);
    return have > kept.length || this.ended;
  }
}
