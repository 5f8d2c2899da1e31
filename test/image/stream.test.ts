import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeImageStream, openImageStream } from "../../src/image/stream";
import { create } from "@bufbuild/protobuf";
import { decodeImage, encodeImage, isRawImage, pipe_data_entrySchema, type AnyImage, type CriuImage } from "../../src/index";
import {
  corpusFiles,
  cut,
  cutEvery,
  decodeStreamed,
  expectSameImage,
  readBytes,
  reusesBuffers,
  sourceOf,
  type SourceKind,
} from "./stream-helpers";
import { concatBytes } from "../../src/image/bytes";

const corpus = corpusFiles();

/** Chunk boundaries: a few arbitrary cut points, or even chunks (at most ~2000 of them). */
function chunking(length: number): fc.Arbitrary<number[]> {
  const last = Math.max(1, length - 1);
  const points = fc.uniqueArray(fc.integer({ min: 1, max: last }), { maxLength: 12 }).map((p) => p.sort((a, b) => a - b));
  const even = fc.integer({ min: Math.max(1, Math.floor(length / 2000)), max: Math.max(1, length) }).map((size) => {
    const out: number[] = [];
    for (let p = size; p < length; p += size) out.push(p);
    return out;
  });
  return fc.oneof(points, even);
}

const kinds = fc.constantFrom<SourceKind>("async", "array", "web", "read-into", "read-into-sized", "read-into-reuse", "read-into-sized-reuse");

async function concatStream(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return concatBytes(parts);
}

describe("streaming decode gives what decodeImage gives, whatever the chunks", () => {
  it("covers the whole corpus", () => {
    expect([...corpus.values()].flat().length).toBeGreaterThan(800);
  });

  for (const [scenario, files] of corpus) {
    it(scenario, async () => {
      for (const file of files) {
        const bytes = readBytes(file.path);
        const whole = decodeImage(bytes, { fileName: file.name });
        const numRuns = bytes.length > 64 << 10 ? 3 : 8;
        try {
          await fc.assert(
            fc.asyncProperty(chunking(bytes.length), kinds, async (points, kind) => {
              expectSameImage(await decodeStreamed(sourceOf(cut(bytes, points), kind), file.name, reusesBuffers(kind)), whole);
            }),
            { numRuns },
          );
          if (bytes.length <= 4096) {
            expectSameImage(await decodeStreamed(sourceOf(cutEvery(bytes, 1), "async"), file.name), whole);
          }
        } catch (err) {
          throw new Error(`${file.path}: ${(err as Error).message}`, { cause: err });
        }
      }
    });
  }

  it("notices a difference (the comparison is not vacuous)", async () => {
    const file = corpus.get("proc-minimal")!.find((f) => f.name.startsWith("core-"))!;
    const bytes = readBytes(file.path);
    const whole = decodeImage(bytes, { fileName: file.name }) as CriuImage<"CORE">;
    const other = decodeImage(bytes, { fileName: file.name }) as CriuImage<"CORE">;
    other.entries[0]!.tc!.comm += "x";
    expect(() => expectSameImage(other, whole)).toThrow();
    const pipes = { magic: "PIPES_DATA", entries: [{ data: new Uint8Array([1, 2]) }] } as unknown as AnyImage;
    const pipes2 = { magic: "PIPES_DATA", entries: [{ data: new Uint8Array([1, 3]) }] } as unknown as AnyImage;
    expect(() => expectSameImage(pipes, pipes2)).toThrow();
  });

  it("reads the header before any entry and types entries by `expect`", async () => {
    const file = corpus.get("proc-minimal")!.find((f) => f.name === "pstree.img")!;
    const stream = await openImageStream(sourceOf(cutEvery(readBytes(file.path), 3), "async"), {
      fileName: file.name,
      expect: "PSTREE",
    });
    expect([stream.magic, stream.header]).toEqual(["PSTREE", "common"]);
    const pids: number[] = [];
    for await (const entry of stream.entries) pids.push(entry.pid);
    expect(pids.length).toBeGreaterThan(0);
    await expect(openImageStream([readBytes(file.path)], { fileName: file.name, expect: "CORE" })).rejects.toMatchObject({
      kind: "bad-magic",
      offset: 4,
    });
  });

  it("stops reading the source when closed early", async () => {
    const file = corpus.get("proc-minimal")!.find((f) => f.name === "pstree.img")!;
    let finished = false;
    const source = (async function* () {
      try {
        yield* cutEvery(readBytes(file.path), 1);
      } finally {
        finished = true;
      }
    })();
    const stream = await openImageStream(source, { fileName: file.name });
    await stream.close();
    expect(finished).toBe(true);
  });

  it("reuseBuffers: one buffer for every entry, each intact until the next is asked for", async () => {
    // 40 pipe entries with payloads of growing, then shrinking sizes, read in short reads.
    const sizes = Array.from({ length: 40 }, (_, i) => 1000 + ((i * 7919) % 40) * 997);
    const entries = sizes.map((n, i) => ({
      entry: create(pipe_data_entrySchema, { pipeId: i, bytes: n }),
      data: Uint8Array.from({ length: n }, (_, k) => (k * 31 + i) & 255),
    }));
    const bytes = encodeImage({ magic: "PIPES_DATA", entries } as AnyImage);
    const whole = decodeImage(bytes, { fileName: "pipes-data.img" }) as CriuImage<"PIPES_DATA">;
    for (const kind of ["read-into-reuse", "read-into-sized-reuse"] as const) {
      const stream = await openImageStream(sourceOf(cutEvery(bytes, 3001), kind), { fileName: "pipes-data.img", reuseBuffers: true });
      if (!("entries" in stream)) throw new Error("not an image stream");
      const kept: Uint8Array[] = [];
      const buffers = new Set<ArrayBufferLike>();
      let i = 0;
      for await (const entry of stream.entries as AsyncIterable<(typeof whole.entries)[number]>) {
        expect(entry.data, `${kind}, entry ${i}`).toEqual(whole.entries[i]!.data); // intact on arrival
        buffers.add(entry.data.buffer);
        kept.push(entry.data);
        i++;
      }
      expect(i).toBe(sizes.length);
      // Grown only when a bigger entry came: far fewer buffers than entries.
      expect(buffers.size).toBeLessThan(12);
      // Kept views were overwritten by later entries: the contract is real, copy what you keep.
      expect(kept.some((data, k) => !Buffer.from(data).equals(whole.entries[k]!.data))).toBe(true);
    }
    // Without the option every entry keeps its own bytes.
    const plain = await decodeStreamed(sourceOf(cutEvery(bytes, 3001), "read-into-sized"), "pipes-data.img");
    expectSameImage(plain, whole);
  });

  it("rejects chunks that are not bytes", async () => {
    await expect(openImageStream(["abc" as unknown as Uint8Array])).rejects.toThrow(TypeError);
  });
});

describe("streaming encode", () => {
  for (const [scenario, files] of corpus) {
    it(`${scenario}: chunks concatenated = encodeImage = the file`, async () => {
      for (const file of files) {
        const bytes = readBytes(file.path);
        const image = decodeImage(bytes, { fileName: file.name });
        if (isRawImage(image)) continue;
        const fromArray = await concatStream(encodeImageStream(image.magic, image.entries, { header: image.header }));
        const fromAsync = await concatStream(
          encodeImageStream(image.magic, (async function* () { yield* image.entries; })(), { header: image.header }),
        );
        const encoded = encodeImage(image);
        expect(Buffer.from(fromArray).equals(Buffer.from(encoded)), file.path).toBe(true);
        expect(Buffer.from(fromAsync).equals(Buffer.from(encoded)), file.path).toBe(true);
        expect(Buffer.from(encoded).equals(Buffer.from(bytes)), file.path).toBe(true);
      }
    });
  }

  it("writes one chunk for the header, then one per entry", async () => {
    const file = corpus.get("proc-minimal")!.find((f) => f.name === "pstree.img")!;
    const image = decodeImage(readBytes(file.path), { fileName: file.name }) as CriuImage<"PSTREE">;
    const chunks: Uint8Array[] = [];
    for await (const c of encodeImageStream("PSTREE", image.entries)) chunks.push(c);
    expect(chunks.length).toBe(1 + image.entries.length);
    expect(chunks[0]!.length).toBe(8);
  });

  it("fails as encodeImage does, after the entries before the bad one", async () => {
    const file = corpus.get("proc-minimal")!.find((f) => f.name === "pstree.img")!;
    const image = decodeImage(readBytes(file.path), { fileName: file.name }) as CriuImage<"PSTREE">;
    const bad = { ...image, entries: [...image.entries, { $typeName: "pstree_entry" } as never] };
    const want = (() => {
      try {
        encodeImage(bad, { fileName: "pstree.img" });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(want).toMatchObject({ kind: "bad-entry", entry: image.entries.length });
    const chunks: Uint8Array[] = [];
    const got = await (async () => {
      try {
        for await (const c of encodeImageStream("PSTREE", bad.entries, { fileName: "pstree.img" })) chunks.push(c);
      } catch (err) {
        return err as Error;
      }
    })();
    expect(got?.message).toBe(want?.message);
    expect(got).toMatchObject({ kind: "bad-entry", entry: image.entries.length, file: "pstree.img" });
    expect(chunks.length).toBe(1 + image.entries.length);

    const unknown = encodeImageStream("NOPE" as "CORE", []);
    await expect(unknown.next()).rejects.toMatchObject({ kind: "bad-magic" });
  });
});
