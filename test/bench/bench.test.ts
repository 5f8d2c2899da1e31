// Smoke test of the bench's generators at tiny sizes: the images they write decode, re-encode
// to the same bytes, go through crit's JSON and back, and frame the same messages for the
// other decoders. No timing here: the figures come from `npm run bench`.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { decodeImage, encodeImage, fromCritJson, toCritJson, type AnyImage } from "../../src/index";
import { openImageFileStream } from "../../src/node/index";
import { criuRegistry } from "../../src/schema/registry";
import { frameImage } from "../../bench/frames";
import { coreEntries, fileEntries, mmEntries, pagemapEntries, pipeDataEntries, writeImage } from "../../bench/generate";
import { loadProtobufjs } from "../../bench/protobufjs";
import { loadShapes } from "../../bench/shapes";
import { scanMessage, scanTable } from "../../bench/wire-scan";

const dir = mkdtempSync(join(tmpdir(), "criu-bench-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shapes = loadShapes();

const cases = [
  { file: "pagemap-1.img", magic: "PAGEMAP", count: 21, write: (p: string) => writeImage(p, "PAGEMAP", pagemapEntries(shapes, 20)) },
  { file: "files.img", magic: "FILES", count: 50, write: (p: string) => writeImage(p, "FILES", fileEntries(shapes, 50)) },
  { file: "mm-1.img", magic: "MM", count: 3, write: (p: string) => writeImage(p, "MM", mmEntries(shapes, 3, 25)) },
  { file: "core-1.img", magic: "CORE", count: 4, write: (p: string) => writeImage(p, "CORE", coreEntries(shapes, 4)) },
  { file: "pipes-data.img", magic: "PIPES_DATA", count: 3, write: (p: string) => writeImage(p, "PIPES_DATA", pipeDataEntries(shapes, 10_000, 4096)) },
] as const;

const written = new Map<string, { bytes: number; entries: number }>();
beforeAll(async () => {
  for (const c of cases) written.set(c.file, await c.write(join(dir, c.file)));
});

describe("bench generators", () => {
  for (const c of cases) {
    it(`writes a ${c.magic} image that decodes and re-encodes`, async () => {
      const path = join(dir, c.file);
      const bytes = new Uint8Array(readFileSync(path));
      expect(written.get(c.file)).toEqual({ bytes: bytes.length, entries: c.count });

      const image = decodeImage(bytes, { fileName: c.file }) as AnyImage & { entries: unknown[] };
      expect(image.magic).toBe(c.magic);
      expect(image.entries).toHaveLength(c.count);
      expect(encodeImage(image)).toEqual(bytes);
      expect(encodeImage(fromCritJson(toCritJson(image)))).toEqual(bytes);
      expect(encodeImage(fromCritJson(toCritJson(image, { pretty: true })))).toEqual(bytes);

      const stream = await openImageFileStream(path);
      let streamed = 0;
      if ("entries" in stream) for await (const _entry of stream.entries) streamed++;
      expect(streamed).toBe(c.count);
    });
  }

  it("varies ids and addresses", () => {
    const files = [...fileEntries(shapes, shapes.files.length + 2)];
    expect(new Set(files.map((f) => f.id)).size).toBe(files.length);
    const [, ...runs] = [...pagemapEntries(shapes, 10)] as { vaddr: bigint }[];
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.vaddr > runs[i - 1]!.vaddr).toBe(true);
    const [mm] = [...mmEntries(shapes, 1, 30)];
    expect(mm!.vmas).toHaveLength(30);
    for (let i = 1; i < mm!.vmas.length; i++) expect(mm!.vmas[i]!.start >= mm!.vmas[i - 1]!.end).toBe(true);
  });

  it("frames the messages that protobufjs, protobuf-es and the wire scan decode", async () => {
    const root = await loadProtobufjs();
    for (const c of cases) {
      const bytes = new Uint8Array(readFileSync(join(dir, c.file)));
      const frames = frameImage(bytes)!;
      expect(frames.count).toBe(c.count);
      for (let i = 0; i < frames.count; i++) {
        const type = frames.types[frames.kinds[i]!]!;
        const slice = bytes.subarray(frames.starts[i], frames.ends[i]);
        const schema = criuRegistry.getMessage(type)!;
        expect(() => root.lookupType(type).decode(slice)).not.toThrow();
        expect(() => fromBinary(schema, slice)).not.toThrow();
        expect(Number.isInteger(scanMessage(bytes, frames.starts[i]!, frames.ends[i]!, scanTable(schema)))).toBe(true);
      }
    }
  });
});
