// Scans one task's memory as it arrives in pieces of any size: a "stretch" is a run of bytes
// with consecutive addresses from one dump of the chain. Between pieces the scanner keeps only
// what the matcher needs at the seam, the context bytes before an undecided match, and the
// stretch's last `edge` bytes, so its memory is bounded by the largest piece plus a few KiB.

import type { Matcher } from "./pattern";

/** A match with its context, before the search adds the task and mapping. */
export interface RawHit {
  address: bigint;
  match: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
}

export interface StretchEdge {
  /** Address of bytes[0]. */
  start: bigint;
  bytes: Uint8Array;
  /** The stretch boundary this edge touches (its start for a head, its end for a tail). */
  boundary: bigint;
}

export interface ScannerHooks {
  emit(hit: RawHit): void;
  /** Whether the byte just outside a stretch boundary is dumped memory held elsewhere. */
  continuesAt(boundary: bigint, side: "head" | "tail"): boolean;
  edge(edge: StretchEdge): void;
}

interface Pending {
  hit: RawHit;
  /** Address of the next after-context byte still wanted. */
  afterAt: bigint;
}

const EMPTY: Uint8Array = new Uint8Array(0);

export class StretchScanner {
  private buf: Uint8Array = EMPTY;
  private base = 0n;
  private from = 0;
  private end: bigint | undefined;
  private pending: Pending[] = [];
  private head: { start: bigint; parts: Uint8Array[]; size: number } | undefined;
  /** Bytes kept at each stretch boundary for the search's seams between dumps. */
  readonly edgeSize: number;

  constructor(
    private readonly matcher: Matcher,
    private readonly context: number,
    private readonly hooks: ScannerHooks,
  ) {
    this.edgeSize = matcher.keep + context;
  }

  feed(address: bigint, chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (address !== this.end) {
      this.close();
      this.base = address;
      if (this.hooks.continuesAt(address, "head")) this.head = { start: address, parts: [], size: 0 };
    }
    this.end = address + BigInt(chunk.length);
    this.takeHead(chunk);
    this.fillAfter(address, chunk);
    if (chunk.length < 2 * this.edgeSize + this.context) {
      // A short piece: joined to the kept bytes and scanned together.
      this.buf = concat(this.buf, chunk);
      this.scan(this.buf.length - this.matcher.keep);
      this.keepTail();
      return;
    }
    // A long piece is scanned where it lies. First the seam: the kept bytes with the piece's
    // first bytes, for the matches that start before the piece's `context`-th byte (their
    // before-context reaches into the kept bytes).
    if (this.buf.length > 0) {
      const kept = this.buf.length;
      this.buf = concat(this.buf, chunk.subarray(0, this.edgeSize + this.context));
      this.scan(kept + this.context);
      this.from -= kept;
    } else this.from = 0;
    this.buf = chunk;
    this.base = address;
    this.scan(chunk.length - this.matcher.keep);
    this.keepTail();
    // The piece is the caller's only until this returns: what is kept is a copy.
    if (this.buf === chunk) this.buf = chunk.slice();
  }

  /** Drops all but the undecided bytes, the context before them, and the stretch's last edge bytes. */
  private keepTail(): void {
    const keepFrom = Math.max(0, Math.min(this.from - this.context, this.buf.length - this.edgeSize));
    if (keepFrom > 0) {
      this.buf = this.buf.slice(keepFrom);
      this.base += BigInt(keepFrom);
      this.from -= keepFrom;
    }
  }

  /** Ends the current stretch: every remaining match is decided. */
  close(): void {
    if (this.end === undefined) return;
    this.scan(this.buf.length);
    for (const p of this.pending) this.hooks.emit(p.hit);
    this.pending = [];
    this.flushHead();
    if (this.hooks.continuesAt(this.end, "tail")) {
      const bytes = this.buf.slice(Math.max(0, this.buf.length - this.edgeSize));
      this.hooks.edge({ start: this.end - BigInt(bytes.length), bytes, boundary: this.end });
    }
    this.buf = EMPTY;
    this.from = 0;
    this.end = undefined;
  }

  private scan(limit: number): void {
    if (limit > this.from) {
      const { matches, next } = this.matcher.find(this.buf, this.from, limit);
      for (const [s, e] of matches) {
        const after = this.buf.slice(e, Math.min(this.buf.length, e + this.context));
        const hit = { address: this.base + BigInt(s), match: this.buf.slice(s, e), before: this.buf.slice(Math.max(0, s - this.context), s), after };
        this.pending.push({ hit, afterAt: this.base + BigInt(e + after.length) });
      }
      this.from = next;
    }
    // Hits are released in address order, once their after-context is complete.
    while (this.pending.length > 0 && this.pending[0]!.hit.after.length >= this.context) this.hooks.emit(this.pending.shift()!.hit);
  }

  /** Completes the after-context of undecided hits from the next piece (at `address`). */
  private fillAfter(address: bigint, chunk: Uint8Array): void {
    for (const p of this.pending) {
      const want = this.context - p.hit.after.length;
      if (want <= 0 || p.afterAt < address) continue;
      const at = Number(p.afterAt - address);
      if (at >= chunk.length) continue;
      const more = chunk.subarray(at, Math.min(chunk.length, at + want));
      p.hit.after = concat(p.hit.after, more);
      p.afterAt += BigInt(more.length);
    }
  }

  private takeHead(chunk: Uint8Array): void {
    const head = this.head;
    if (!head) return;
    const part = chunk.slice(0, this.edgeSize - head.size);
    head.parts.push(part);
    head.size += part.length;
    if (head.size >= this.edgeSize) this.flushHead();
  }

  private flushHead(): void {
    const head = this.head;
    if (!head) return;
    this.head = undefined;
    this.hooks.edge({ start: head.start, bytes: head.parts.reduce(concat, EMPTY), boundary: head.start });
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
