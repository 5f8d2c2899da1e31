// The frames of a zstd stream, told apart on the compressed side without decoding: a frame is
// its header (magic 28 b5 2f fd, descriptor, window, dictionary id, content size), blocks (a
// 3-byte header each: last flag, type, size; a raw block carries `size` bytes, an RLE block 1,
// a compressed block `size`), and, when the descriptor says so, a 4-byte content checksum (the
// low 32 bits of XXH64 of the frame's decompressed bytes). Skippable frames (magic 0x184D2A5?)
// carry a 4-byte length and data nobody decodes. Knowing where each frame ends lets the decoder
// verify each frame's checksum, which fzstd does not do.

import { SourceError } from "./source";

/**
 * A piece of the compressed stream: the header of frame `frame` (and the stream offset `end`
 * after it), bytes of the frame, the end of one of its blocks, or the end of the frame (`offset`:
 * the stream offset after the block or the frame).
 */
export type FramePiece =
  | { kind: "header"; frame: number; bytes: Uint8Array; end: number }
  | { kind: "bytes"; frame: number; bytes: Uint8Array }
  | { kind: "block-end"; frame: number; offset: number }
  | { kind: "end"; frame: number; checksum: number | undefined; offset: number };

type State =
  | { at: "magic" }
  | { at: "descriptor" }
  | { at: "header-rest"; size: number }
  | { at: "block-header" }
  | { at: "block"; left: number; last: boolean }
  | { at: "checksum" }
  | { at: "skip-size" }
  | { at: "skip"; left: number };

const ZSTD_MAGIC = 0xfd2fb528;
const FIELD_SIZE: Record<string, number> = { magic: 4, descriptor: 1, "block-header": 3, checksum: 4, "skip-size": 4 };

export class ZstdFrameSplitter {
  private state: State = { at: "magic" };
  private readonly held = new Uint8Array(16);
  private heldLength = 0;
  private frame = -1;
  private hasChecksum = false;
  private header: Uint8Array[] = [];
  /** Compressed bytes consumed so far. */
  offset = 0;

  constructor(private readonly label: string) {}

  /** The pieces of `chunk`, in order. Throws SourceError("corrupt") where the structure breaks. */
  feed(chunk: Uint8Array): FramePiece[] {
    const out: FramePiece[] = [];
    let at = 0;
    while (at < chunk.length) {
      const s = this.state;
      if (s.at === "block" || s.at === "skip") {
        const take = Math.min(s.left, chunk.length - at);
        if (s.at === "block") out.push({ kind: "bytes", frame: this.frame, bytes: chunk.subarray(at, at + take) });
        at += take;
        this.offset += take;
        s.left -= take;
        if (s.left === 0) this.state = s.at === "skip" ? { at: "magic" } : this.afterBlock(s.last, out);
        continue;
      }
      const need = s.at === "header-rest" ? s.size : FIELD_SIZE[s.at]!;
      const take = Math.min(need - this.heldLength, chunk.length - at);
      this.held.set(chunk.subarray(at, at + take), this.heldLength);
      this.heldLength += take;
      at += take;
      this.offset += take;
      if (this.heldLength < need) break;
      this.heldLength = 0;
      this.state = this.field(s, this.held.slice(0, need), this.offset - need, out);
    }
    return out;
  }

  /** Whether the stream may end here (between frames). */
  get atFrameBoundary(): boolean {
    return this.state.at === "magic" && this.heldLength === 0;
  }

  /** A whole field read: pass it on (zstd fields go to the frame's decoder) and say what comes next. */
  private field(s: State, h: Uint8Array, fieldOffset: number, out: FramePiece[]): State {
    const u32 = () => (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
    const pass = () => out.push({ kind: "bytes", frame: this.frame, bytes: h });
    switch (s.at) {
      case "magic": {
        const magic = u32();
        if (magic === ZSTD_MAGIC) {
          this.frame++;
          this.header = [h];
          return { at: "descriptor" };
        }
        if ((magic & 0xfffffff0) === 0x184d2a50) return { at: "skip-size" };
        const found = [...h].map((b) => b.toString(16).padStart(2, "0")).join(" ");
        throw new SourceError("corrupt", this.label, `no zstd frame at compressed byte ${fieldOffset} (found ${found})`, undefined, fieldOffset);
      }
      case "skip-size": {
        const left = u32();
        return left > 0 ? { at: "skip", left } : { at: "magic" };
      }
      case "descriptor": {
        this.header.push(h);
        const d = h[0]!;
        const single = (d >> 5) & 1;
        this.hasChecksum = (d & 4) !== 0;
        const size = (single ? 0 : 1) + [0, 1, 2, 4][d & 3]! + [single ? 1 : 0, 2, 4, 8][d >> 6]!;
        if (size > 0) return { at: "header-rest", size };
        this.passHeader(out);
        return { at: "block-header" };
      }
      case "header-rest":
        this.header.push(h);
        this.passHeader(out);
        return { at: "block-header" };
      case "block-header": {
        const word = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        const type = (word >> 1) & 3;
        if (type === 3) throw new SourceError("corrupt", this.label, `zstd block of the reserved type at compressed byte ${fieldOffset}`, undefined, fieldOffset);
        pass();
        const last = (word & 1) === 1;
        const body = type === 1 ? 1 : word >>> 3;
        return body > 0 ? { at: "block", left: body, last } : this.afterBlock(last, out);
      }
      case "checksum":
        pass();
        out.push({ kind: "end", frame: this.frame, checksum: u32(), offset: this.offset });
        return { at: "magic" };
      default:
        throw new Error(`zstd frames: no field in state ${s.at}`);
    }
  }

  /** The whole frame header (magic, descriptor, window, dictionary id, content size) as one piece. */
  private passHeader(out: FramePiece[]): void {
    const bytes = new Uint8Array(this.header.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of this.header) bytes.set(b, at), (at += b.length);
    out.push({ kind: "header", frame: this.frame, bytes, end: this.offset });
    this.header = [];
  }

  private afterBlock(last: boolean, out: FramePiece[]): State {
    out.push({ kind: "block-end", frame: this.frame, offset: this.offset });
    if (!last) return { at: "block-header" };
    if (this.hasChecksum) return { at: "checksum" };
    out.push({ kind: "end", frame: this.frame, checksum: undefined, offset: this.offset });
    return { at: "magic" };
  }
}
