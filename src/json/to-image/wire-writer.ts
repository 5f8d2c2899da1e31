import { GrowableBytes } from "../../image/bytes";

const utf8 = new TextEncoder();

/** A growable protobuf wire buffer. */
export class WireWriter extends GrowableBytes {
  constructor(size = 1 << 16) {
    super(size);
  }

  varint32(v: number): void {
    this.reserve(5);
    const b = this.buf;
    while (v > 0x7f) {
      b[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }

  /** int32 and enums: negative values sign-extended to ten bytes, as every encoder writes them. */
  int32(v: number): void {
    if (v >= 0) this.varint32(v);
    else this.varint64(BigInt.asUintN(64, BigInt(v)));
  }

  varint64(v: bigint): void {
    if (v <= 0xffffffffn) return this.varint32(Number(v));
    this.reserve(10);
    const b = this.buf;
    while (v > 0x7fn) {
      b[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    b[this.pos++] = Number(v);
  }

  fixed32(v: number): void {
    this.u32le(v >>> 0);
  }

  fixed64(v: bigint): void {
    this.u32le(Number(v & 0xffffffffn));
    this.u32le(Number(v >> 32n));
  }

  string(s: string): void {
    // At most three bytes per UTF-16 unit; the length goes in front once known.
    this.reserve(s.length * 3 + 5);
    const at = this.beginLength();
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.pos));
    this.pos += written;
    this.endLength(at);
  }

  lengthDelimited(b: Uint8Array): void {
    this.varint32(b.length);
    this.bytes(b);
  }

  /** Leaves room for a length (5 bytes at most) and returns where the content starts. */
  beginLength(): number {
    this.reserve(5);
    this.pos += 1; // most lengths fit one byte; endLength moves the content if not
    return this.pos;
  }

  endLength(start: number): void {
    const len = this.pos - start;
    let size = 1;
    for (let v = len; v > 0x7f; v >>>= 7) size++;
    if (size > 1) {
      this.reserve(size - 1);
      this.buf.copyWithin(start + size - 1, start, this.pos);
      this.pos += size - 1;
    }
    let p = start - 1;
    let v = len;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
}
