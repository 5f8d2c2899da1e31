import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { concatBytes } from "../../src/image/bytes";
import { isRawImageStream, openImageStream } from "../../src/image/stream";
import { decodeImage, isRawImage } from "../../src/index";
import { critJsonChunks } from "../../src/json/stream-json";
import { toCritJson } from "../../src/json/to-crit";
import { corpusImages } from "../support/corpus";

// critJsonChunks (streamed entries -> JSON chunks) must give exactly toCritJson's text.
describe("crit's JSON of a streamed image", () => {
  it("equals toCritJson's, plain, pretty and --nopl, for every corpus image with entries", async () => {
    let checked = 0;
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
        expect(Buffer.from(concatBytes(parts)).toString("latin1"), `${image.abs} ${JSON.stringify(options)}`).toBe(toCritJson(whole, options));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(700);
  });
});
