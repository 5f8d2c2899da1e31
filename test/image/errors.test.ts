import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  decodeImage,
  encodeImage,
  IMG_COMMON,
  ImageError,
  isRawImage,
  pipe_data_entrySchema,
  pstree_entrySchema,
  type AnyImage,
} from "../../src/index";
import { corpusImages, readBytes } from "../support/corpus";
import { concatBytes } from "../../src/image/bytes";

function u32(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, true));
  return out;
}


function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

const PSTREE = 0x50273030;
const PIPES_DATA = 0x56453709;

describe("bad input gives a typed ImageError", () => {
  const images = corpusImages().flatMap((image) => {
    const bytes = readBytes(image.abs);
    const decoded = decodeImage(bytes, { fileName: image.name });
    return isRawImage(decoded) ? [] : [{ image, bytes, decoded }];
  });

  it("on every truncation of every corpus image", () => {
    // Half a million decodes: plain checks in the loop, stack traces off while it runs.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const problems: string[] = [];
    let errors = 0;
    try {
      for (const { image, bytes, decoded } of images) {
        const full = decoded as Exclude<AnyImage, { raw: Uint8Array }>;
        for (let cut = 0; cut < bytes.length; cut++) {
          const where = `${image.scenario}/${image.path} cut at ${cut}`;
          let prefix: AnyImage;
          try {
            prefix = decodeImage(bytes.subarray(0, cut), { fileName: image.name });
          } catch (err) {
            errors++;
            if (!(err instanceof ImageError)) problems.push(`${where}: ${String(err)}`);
            else if (err.kind !== "truncated" && err.kind !== "length-too-large") problems.push(`${where}: kind ${err.kind}`);
            else if (err.file !== image.name || err.offset === undefined || err.offset > cut) problems.push(`${where}: ${err.message}`);
            continue;
          }
          // A cut at an entry boundary is a valid, shorter image; a plain ghost file's contents
          // have no length of their own, so a cut inside them is one too.
          const entries = (prefix as typeof full).entries as unknown[];
          if (entries.length > full.entries.length) problems.push(`${where}: more entries than the whole image`);
          if (full.magic !== "GHOST_FILE" && !Buffer.from(encodeImage(prefix)).equals(bytes.subarray(0, cut))) {
            problems.push(`${where}: decoded, but does not re-encode to the prefix`);
          }
        }
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(errors).toBeGreaterThan(400_000);
  });

  it("on an unknown magic, naming the value and the offset", () => {
    const err = catchError(() => decodeImage(u32(IMG_COMMON, 0x12345678), { fileName: "x.img" })) as ImageError;
    expect(err).toBeInstanceOf(ImageError);
    expect(err.kind).toBe("bad-magic");
    expect(err.offset).toBe(4);
    expect(err.message).toMatch(/x\.img.*0x12345678/);
    const bare = catchError(() => decodeImage(u32(0xdeadbeef))) as ImageError;
    expect(bare.kind).toBe("bad-magic");
    expect(bare.message).toContain("fileName");
  });

  it("on an empty file", () => {
    const err = catchError(() => decodeImage(new Uint8Array(0), { fileName: "core-1.img" })) as ImageError;
    expect(err.kind).toBe("truncated");
    expect(decodeImage(new Uint8Array(0), { fileName: "pages-2.img" })).toEqual({ magic: "PAGES", raw: new Uint8Array(0) });
  });

  it("when a length word claims 4 GiB, without allocating it", () => {
    const before = process.memoryUsage().arrayBuffers;
    const err = catchError(() => decodeImage(concatBytes([u32(IMG_COMMON, PSTREE, 0xffffffff), new Uint8Array(16)]), { fileName: "pstree.img" }));
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).kind).toBe("length-too-large");
    expect((err as ImageError).offset).toBe(8);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });

  it("when a payload size claims 4 GiB", () => {
    const entry = toBinary(pipe_data_entrySchema, create(pipe_data_entrySchema, { pipeId: 1, bytes: 0xffffffff }));
    const bytes = concatBytes([u32(IMG_COMMON, PIPES_DATA, entry.length), entry, new Uint8Array(10)]);
    const err = catchError(() => decodeImage(bytes, { fileName: "pipes-data.img" })) as ImageError;
    expect(err.kind).toBe("length-too-large");
    expect(err.entry).toBe(0);
    expect(err.message).toMatch(/pipe data: 4294967295 bytes announced, 10 left/);
  });

  it("on garbage where a message should be", () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]);
    const err = catchError(() => decodeImage(concatBytes([u32(IMG_COMMON, PSTREE, garbage.length), garbage]), { fileName: "pstree.img" })) as ImageError;
    expect(err.kind).toBe("bad-message");
    expect(err.offset).toBe(12);
    expect(err.entry).toBe(0);
  });

  it("when encoding an entry without its required fields", () => {
    const image = { magic: "PSTREE", entries: [create(pstree_entrySchema, { pid: 1 }), create(pstree_entrySchema)] } as AnyImage;
    const err = catchError(() => encodeImage(image, { fileName: "pstree.img" })) as ImageError;
    expect(err.kind).toBe("bad-entry");
    expect(err.entry).toBe(0);
    expect(err.message).toMatch(/pstree\.img.*entry 0.*pstree_entry/);
  });
});
