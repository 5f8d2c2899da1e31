// Helpers for the streaming tests: the corpus files, chunking, and collecting a stream back
// into the shape decodeImage returns.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { expect } from "vitest";
import { isRawImageStream, openImageStream, type ByteSource } from "../../src/image/stream";
import type { AnyImage } from "../../src/index";
import { fixturesDir } from "../support/fixtures";
import { concatBytes } from "../../src/image/bytes";

const corpusDir = `${fixturesDir}corpus/`;
const NOT_IMAGES = new Set(["parent", "descriptors.json"]);

export interface CorpusFile {
  scenario: string;
  name: string;
  path: string;
}

/** Every image file of the corpus, by scenario (images/ and the pre-dump's predump/images/). */
export function corpusFiles(): Map<string, CorpusFile[]> {
  const out = new Map<string, CorpusFile[]>();
  for (const scenario of readdirSync(corpusDir).sort()) {
    if (!statSync(corpusDir + scenario).isDirectory()) continue;
    const files: CorpusFile[] = [];
    for (const dir of ["images", "predump/images"]) {
      const abs = `${corpusDir}${scenario}/${dir}/`;
      if (!existsSync(abs)) continue;
      for (const name of readdirSync(abs).sort()) {
        if (!NOT_IMAGES.has(name)) files.push({ scenario, name, path: abs + name });
      }
    }
    out.set(scenario, files);
  }
  return out;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** `bytes` cut at the given offsets (sorted, inside the array); copies, as a source would. */
export function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p < at) continue;
    chunks.push(bytes.slice(at, p));
    at = p;
  }
  return chunks;
}

/** `bytes` in chunks of `size` bytes (the last one shorter). */
export function cutEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const points: number[] = [];
  for (let p = size; p < bytes.length; p += size) points.push(p);
  return cut(bytes, points);
}

export type SourceKind = "async" | "array" | "web" | "read-into" | "read-into-sized" | "read-into-reuse" | "read-into-sized-reuse";

/** Source kinds read with `reuseBuffers`: entries are copied as they arrive (see decodeStreamed). */
export function reusesBuffers(kind: SourceKind): boolean {
  return kind.endsWith("-reuse");
}

/** The chunks as each kind of source the decoder accepts (for read-into: short reads). */
export function sourceOf(chunks: Uint8Array[], kind: SourceKind): ByteSource {
  if (kind === "array") return chunks;
  if (kind.startsWith("read-into")) {
    let i = 0;
    let at = 0;
    return {
      size: kind.startsWith("read-into-sized") ? chunks.reduce((n, c) => n + c.length, 0) : undefined,
      readInto: async (target: Uint8Array) => {
        while (i < chunks.length && at === chunks[i]!.length) [i, at] = [i + 1, 0];
        if (i === chunks.length) return 0;
        const n = Math.min(target.length, chunks[i]!.length - at);
        target.set(chunks[i]!.subarray(at, at + n));
        at += n;
        return n;
      },
    };
  }
  if (kind === "web") {
    let i = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[i++];
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
  }
  return (async function* () {
    yield* chunks;
  })();
}


/**
 * Decodes a stream to the end, into what decodeImage returns for the same bytes. With
 * `reuseBuffers`, each entry is copied when it arrives, before the next is asked for: what the
 * option promises is that an entry is intact until then.
 */
export async function decodeStreamed(source: ByteSource, fileName: string, reuseBuffers = false): Promise<AnyImage> {
  const stream = await openImageStream(source, { fileName, reuseBuffers });
  if (isRawImageStream(stream)) {
    const parts: Uint8Array[] = [];
    for await (const chunk of stream.raw) parts.push(chunk);
    return { magic: stream.magic, raw: concatBytes(parts) };
  }
  const entries: unknown[] = [];
  for await (const entry of stream.entries) entries.push(reuseBuffers ? structuredClone(entry) : entry);
  return { magic: stream.magic, header: stream.header, entries } as AnyImage;
}

/** The outcome of a decode: the image, or the error (thrown values other than errors rethrown). */
export async function outcome(run: () => Promise<AnyImage> | AnyImage): Promise<{ image?: AnyImage; error?: Error }> {
  try {
    return { image: await run() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { error };
  }
}

/** The fields of an ImageError that streaming must reproduce. */
export function errorFields(error: unknown): Record<string, unknown> {
  const e = error as Record<string, unknown>;
  return { name: e.name, kind: e.kind, file: e.file, offset: e.offset, entry: e.entry, message: e.message };
}

// toEqual walks typed arrays element by element, which takes seconds over the corpus's
// ghost-file contents: compare byte arrays as bytes instead (same result, much faster).
expect.addEqualityTesters([
  (a: unknown, b: unknown) =>
    a instanceof Uint8Array && b instanceof Uint8Array
      ? Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)
      : undefined,
]);

/** Same image, deeply (protobuf-es messages and byte arrays included). */
export function expectSameImage(got: AnyImage, want: AnyImage): void {
  expect(got).toEqual(want);
}
