// The archive's compression, known by its first bytes (never by its name), and the streaming
// decoders: gzip through the platform's DecompressionStream (zlib in Node), zstd through fzstd
// (pure JS, streaming, runs in browsers; each frame's content checksum verified with
// xxhash-wasm's XXH64), xz through xz-decompress (xz-embedded in WebAssembly,
// streaming). Every decoder failure is a SourceError: "corrupt" at the compressed offset where
// the decoder gave up, "truncated" when the compressed stream ends early.

import { Decompress as ZstdDecompress } from "fzstd";
import xxhash, { type XXHashAPI } from "xxhash-wasm";
import * as xzModule from "xz-decompress";
import { chunksOf } from "./byte-input";
import { SourceError } from "./source";
import { checksumMatches, isZeroBlock } from "./tar-header";
import { ZstdFrameSplitter } from "./zstd-frames";

export type Compression = "none" | "gzip" | "zstd" | "xz";

// xz-decompress is a UMD bundle: Node's ESM loader sees only its default export, bundlers the named one.
const { XzReadableStream } = ((xzModule as { default?: typeof xzModule }).default ?? xzModule) as typeof xzModule;

/** The `format` a source reports for an archive of each compression. */
export const archiveFormat: Record<Compression, string> = { none: "tar", gzip: "tar.gz", zstd: "tar.zst", xz: "tar.xz" };

const magics: [Compression, number[]][] = [
  ["gzip", [0x1f, 0x8b]],
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
];

/** How many leading bytes detection looks at (a whole tar header block). */
export const DETECT_BYTES = 512;

/** The compression of an archive from its first bytes; a plain tar is told by its first header. */
export function detectCompression(head: Uint8Array, label: string): Compression {
  for (const [kind, magic] of magics) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return kind;
  }
  if (head.length >= 512 && (isZeroBlock(head) || checksumMatches(head))) return "none";
  const shown = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const what = head.length === 0 ? "it is empty" : `it starts with ${shown}`;
  throw new SourceError(
    "unsupported",
    label,
    `not a checkpoint archive that can be read: ${what}; read are tar (a valid ustar/GNU header), gzip (1f 8b), zstd (28 b5 2f fd) and xz (fd 37 7a 58 5a 00)`,
    undefined,
    0,
  );
}

/** A decoder of the platform's: compressed chunks in, decompressed chunks out, pulled. */
export type PlatformDecoder = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export interface PlatformDecoders {
  gzip?: PlatformDecoder;
  /** Sees only bytes whose frame structure has been checked (headers, windows, truncation). */
  zstd?: PlatformDecoder;
}

/** The decompressed bytes of `chunks` (the raw archive from its first byte). */
export function decompress(compression: Compression, chunks: AsyncIterable<Uint8Array>, label: string, decoders: PlatformDecoders = {}): AsyncIterable<Uint8Array> {
  switch (compression) {
    case "none":
      return chunks;
    case "gzip":
      if (decoders.gzip) return throughPlatform(decoders.gzip, chunks, label, "gzip");
      return throughWebStream(chunks, label, "gzip", (raw) => raw.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>));
    case "xz":
      return throughWebStream(chunks, label, "xz", (raw) => new XzReadableStream(raw));
    case "zstd":
      if (decoders.zstd) return throughPlatform(decoders.zstd, zstdStructureChecked(chunks, label), label, "zstd");
      return unzstd(chunks, label);
  }
}

/** Pipes the chunks through a web-stream decoder, pulling input only as output is read. */
async function* throughWebStream(
  chunks: AsyncIterable<Uint8Array>,
  label: string,
  what: string,
  decode: (raw: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let fed = 0;
  let ended = false;
  const raw = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        controller.close();
      } else {
        fed += next.value.length;
        controller.enqueue(next.value);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  try {
    yield* chunksOf(decode(raw));
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw decoderError(label, what, err, ended, fed);
  }
}

/** A platform decoder, its failures made SourceErrors at the compressed offset it had reached. */
async function* throughPlatform(decoder: PlatformDecoder, chunks: AsyncIterable<Uint8Array>, label: string, what: string): AsyncGenerator<Uint8Array> {
  let fed = 0;
  let ended = false;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      fed += chunk.length;
      yield chunk;
    }
    ended = true;
  }
  try {
    yield* decoder(counted());
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw decoderError(label, what, err, ended, fed);
  }
}

function decoderError(label: string, what: string, err: unknown, ended: boolean, fed: number): SourceError {
  const detail = err instanceof Error ? err.message : String(err);
  // At the end of the input a decoder fails because data is missing, or because a check
  // (gzip's CRC32, xz's CRC64) fails: only the message tells them apart.
  return ended && !/check|crc|incorrect|invalid|corrupt|junk/i.test(detail)
    ? new SourceError("truncated", label, `the ${what} stream ends early (${detail})`, undefined, fed)
    : new SourceError("corrupt", label, `the ${what} stream is corrupt at or before compressed byte ${fed} (${detail})`, undefined, fed);
}

/** Frames that want a larger window are refused (the zstd tool's own default limit, 2^27). */
export const ZSTD_WINDOW_LIMIT = 1 << 27;

/**
 * zstd through fzstd, one decoder per frame (frames told apart by ZstdFrameSplitter), each
 * frame's header checked before its decoder sees it (the window it asks for), and each frame's
 * content checksum, when it has one, compared with XXH64 of what it decoded to.
 *
 * The decoder is given the compressed bytes up to the end of each block, as views of the chunk
 * they arrived in: what one push expands to is one block (128 KiB at most, whatever the input),
 * handed on before the next push, and fzstd joins input pieces (an allocation and a copy) only
 * for the one block a chunk boundary cuts (feeding it 2 KiB slices made it join every block).
 */
async function* unzstd(chunks: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  const splitter = new ZstdFrameSplitter(label);
  const hashes = await contentHashes();
  const out: Uint8Array[] = [];
  let decoder: ZstdDecompress | undefined;
  let hash: ReturnType<XXHashAPI["create64"]> | undefined;
  let decoded = 0;
  let contentSize: number | undefined;
  /** The stream offset up to which the current frame's compressed bytes went to its decoder. */
  let pushed = 0;
  const push = (bytes: Uint8Array, final: boolean, offset: number) => {
    try {
      decoder!.push(bytes, final);
    } catch (err) {
      throw decoderError(label, "zstd", err, false, offset);
    }
  };
  for await (const chunk of chunks) {
    const base = splitter.offset;
    /** This chunk's bytes from where the decoder stopped up to stream offset `to`. */
    const upTo = (to: number) => {
      const from = Math.max(pushed, base);
      pushed = to;
      return chunk.subarray(from - base, to - base);
    };
    for (const piece of splitter.feed(chunk)) {
      if (piece.kind === "header") {
        checkZstdWindow(piece.bytes, label);
        contentSize = frameContentSize(piece.bytes);
        decoded = 0;
        const frameHash = (hash = hashes?.create64());
        decoder = new ZstdDecompress((data) => {
          if (data.length === 0) return;
          decoded += data.length;
          frameHash?.update(data);
          out.push(data);
        });
        push(piece.bytes, false, piece.end);
        pushed = piece.end;
      } else if (piece.kind === "block-end") {
        push(upTo(piece.offset), false, piece.offset);
        while (out.length > 0) yield out.shift()!;
      } else if (piece.kind === "end") {
        push(upTo(piece.offset), true, piece.offset);
        decoder = undefined;
        if (contentSize !== undefined && decoded !== contentSize) {
          throw new SourceError("corrupt", label, `zstd frame ${piece.frame + 1} decodes to ${decoded} bytes; its header says ${contentSize}`, undefined, piece.offset);
        }
        if (piece.checksum !== undefined && hash !== undefined) {
          const actual = Number(hash.digest() & 0xffffffffn);
          if (actual !== piece.checksum) {
            const hex = (n: number) => n.toString(16).padStart(8, "0");
            throw new SourceError("corrupt", label, `zstd frame ${piece.frame + 1} decodes to bytes whose checksum is ${hex(actual)}, not the ${hex(piece.checksum)} it stores`, undefined, piece.offset - 4);
          }
        }
        while (out.length > 0) yield out.shift()!;
      }
    }
    // The start of a block the next chunk ends: the decoder holds it until then.
    if (decoder !== undefined && pushed < splitter.offset) push(upTo(splitter.offset), false, splitter.offset);
  }
  checkStreamEnd(splitter, label);
  while (out.length > 0) yield out.shift()!;
}

/**
 * The chunks unchanged, once the frames they hold have been checked on the compressed side as
 * unzstd checks them: magic numbers, block types, windows, and a stream that stops inside a frame.
 */
async function* zstdStructureChecked(chunks: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  const splitter = new ZstdFrameSplitter(label);
  for await (const chunk of chunks) {
    for (const piece of splitter.feed(chunk)) if (piece.kind === "header") checkZstdWindow(piece.bytes, label);
    yield chunk;
  }
  checkStreamEnd(splitter, label);
}

function checkStreamEnd(splitter: ZstdFrameSplitter, label: string): void {
  if (!splitter.atFrameBoundary) {
    throw new SourceError("truncated", label, `the zstd stream ends early, inside a frame (after ${splitter.offset} compressed bytes)`, undefined, splitter.offset);
  }
}

/** XXH64 (WebAssembly); undefined where WebAssembly cannot run (a CSP without wasm-unsafe-eval): no verification then. */
async function contentHashes(): Promise<XXHashAPI | undefined> {
  try {
    return await xxhash();
  } catch {
    return undefined;
  }
}

/** The decompressed size a zstd frame header states, when it states one. */
function frameContentSize(head: Uint8Array): number | undefined {
  const descriptor = head[4]!;
  const single = (descriptor >> 5) & 1;
  const sizeBytes = [single ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  if (sizeBytes === 0) return undefined;
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + head[at + i]!;
  return sizeBytes === 2 ? size + 256 : size;
}

/** The window (or, for a single-segment frame, the content size) a zstd frame header names. */
function checkZstdWindow(head: Uint8Array, label: string): void {
  const descriptor = head[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  if (descriptor & 8) throw new SourceError("corrupt", label, "zstd frame header has its reserved bit set", undefined, 4);
  let window: number;
  if (!singleSegment) {
    const exponent = 10 + (head[5]! >> 3);
    const base = 2 ** exponent;
    window = base + (base / 8) * (head[5]! & 7);
  } else {
    const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
    const sizeBytes = [1, 2, 4, 8][descriptor >> 6]!;
    let size = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + (head[5 + dictBytes + i] ?? 0);
    window = sizeBytes === 2 ? size + 256 : size;
  }
  if (window > ZSTD_WINDOW_LIMIT) {
    throw new SourceError("unsupported", label, `zstd frame wants a ${window}-byte window; at most ${ZSTD_WINDOW_LIMIT} is read`, undefined, 5);
  }
}
