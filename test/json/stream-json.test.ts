import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { concatBytes } from "../../src/image/bytes";
import { isRawImageStream, openImageStream, type ReadIntoSource } from "../../src/image/stream";
import { sourceOf } from "../image/stream-helpers";
import { decodeImage, isRawImage } from "../../src/index";
import { critJsonChunks } from "../../src/json/from-image/stream-json";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { corpusImages } from "../support/corpus";

// critJsonChunks (streamed entries -> JSON chunks) must give exactly toCritJson's text.
describe("crit's JSON of a streamed image", () => {
  it("equals toCritJson's, plain, pretty and --nopl, for every corpus image with entries", async () => {
    let checked = 0;
    let reusedOutput = 0;
    let sharedOutput = 0;
    for (const image of corpusImages()) {
      const bytes = new Uint8Array(readFileSync(image.abs));
      let whole;
      try {
        whole = decodeImage(bytes, { fileName: image.name });
      } catch {
        continue; // damaged on purpose: the streaming tests cover errors
      }
      if (isRawImage(whole)) continue;
      for (const options of [{}, { pretty: true }, { pretty: true, noPayload: true }]) {
        // Small chunks, so that entries span them.
        const chunks = Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.slice(i * 100, i * 100 + 100));
        const stream = await openImageStream(chunks, { fileName: image.name });
        if (isRawImageStream(stream)) throw new Error("raw");
        const parts: Uint8Array[] = [];
        for await (const part of critJsonChunks(stream, options)) parts.push(part);
        const want = toCritJson(whole, options);
        expect(Buffer.from(concatBytes(parts)).toString("latin1"), `${image.abs} ${JSON.stringify(options)}`).toBe(want);
        // Both buffers reused (entries and output) and small output chunks: each chunk copied
        // as it arrives, before the next is asked for, gives the same text.
        const reader = sourceOf(chunks, "read-into-reuse") as ReadIntoSource;
        const reusing = await openImageStream(reader, { fileName: image.name, reuseBuffers: true });
        if (isRawImageStream(reusing)) throw new Error("raw");
        const copies: Uint8Array[] = [];
        const views = new Set<ArrayBufferLike>();
        for await (const part of critJsonChunks(reusing, { ...options, reuseBuffers: true, chunkSize: 4096 })) {
          copies.push(part.slice());
          views.add(part.buffer);
        }
        expect(Buffer.from(concatBytes(copies)).toString("latin1"), `${image.abs} ${JSON.stringify(options)}, reused`).toBe(want);
        if (copies.length > 2) reusedOutput++;
        if (copies.length > 2 && views.size < copies.length) sharedOutput++;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(700);
    // The reused-output path was exercised with several chunks, and chunks did share a buffer.
    expect(reusedOutput).toBeGreaterThan(30);
    expect(sharedOutput).toBe(reusedOutput);
  }, 300_000); // the whole corpus: slow on a loaded machine
});
