import { create } from "@bufbuild/protobuf";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isRawImageStream } from "../../src/image/stream";
import { openImageFileStream, readImageFile, writeImageFile } from "../../src/node/files";
import { decodeImage, encodeImage, pipe_data_entrySchema, type AnyImage } from "../../src/index";
import { corpusFiles, expectSameImage, readBytes } from "./stream-helpers";

const scenario = corpusFiles().get("proc-kitchen")!;
const file = (name: string) => scenario.find((f) => f.name === name || f.name.startsWith(name))!;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "criu-files-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const badImage = {
  magic: "PIPES_DATA",
  entries: [{ entry: create(pipe_data_entrySchema, { pipeId: 1 }), data: new Uint8Array(0) }], // no `bytes`
} as unknown as AnyImage;

describe("readImageFile / writeImageFile", () => {
  it("round trips corpus images byte for byte, raw ones included", async () => {
    for (const name of ["pstree.img", "pipes-data.img", "pages-1.img", "inventory.img", "core-"]) {
      const source = file(name);
      const image = await readImageFile(source.path);
      expectSameImage(image, decodeImage(readBytes(source.path), { fileName: source.name }));
      const target = join(dir, source.name);
      await writeImageFile(target, image);
      expect(Buffer.from(await readFile(target)).equals(Buffer.from(readBytes(source.path))), name).toBe(true);
    }
    // Only the images: no temporary file left behind.
    expect((await readdir(dir)).length).toBe(5);
  });

  it("types the image with `expect`, and rejects another type", async () => {
    const image = await readImageFile(file("pstree.img").path, { expect: "PSTREE" });
    expect(image.entries[0]!.pid).toBeGreaterThan(0);
    await expect(readImageFile(file("pstree.img").path, { expect: "CORE" })).rejects.toMatchObject({ kind: "bad-magic" });
  });

  it("writes nothing when encoding fails", async () => {
    const target = join(dir, "pipes-data.img");
    await expect(writeImageFile(target, badImage)).rejects.toMatchObject({
      name: "ImageError",
      kind: "bad-entry",
      entry: 0,
      file: "pipes-data.img",
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it("leaves an existing file as it was when encoding fails", async () => {
    const target = join(dir, "pipes-data.img");
    await writeFile(target, "old contents");
    await expect(writeImageFile(target, badImage)).rejects.toMatchObject({ kind: "bad-entry" });
    expect(await readdir(dir)).toEqual(["pipes-data.img"]);
    expect(await readFile(target, "utf8")).toBe("old contents");
  });

  it("removes its temporary file when the rename fails", async () => {
    const target = join(dir, "pstree.img");
    await mkdir(join(target, "busy"), { recursive: true }); // a non-empty directory cannot be replaced
    const image = await readImageFile(file("pstree.img").path);
    await expect(writeImageFile(target, image)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readdir(dir)).toEqual(["pstree.img"]);
  });

  it("writes exactly encodeImage's bytes", async () => {
    const image = decodeImage(readBytes(file("pipes-data.img").path), { fileName: "pipes-data.img" });
    const target = join(dir, "pipes-data.img");
    await writeImageFile(target, image);
    expect(Buffer.from(await readFile(target)).equals(Buffer.from(encodeImage(image)))).toBe(true);
  });
});

describe("openImageFileStream", () => {
  it("streams entries equal to readImageFile's", async () => {
    for (const name of ["pstree.img", "pipes-data.img", "core-", "ghost-file-"]) {
      const source = file(name);
      const stream = await openImageFileStream(source.path);
      if (isRawImageStream(stream)) throw new Error(`${name} is not raw`);
      const entries: unknown[] = [];
      for await (const entry of stream.entries) entries.push(entry);
      expectSameImage({ magic: stream.magic, header: stream.header, entries } as AnyImage, await readImageFile(source.path));
    }
  });

  it("streams a raw image's bytes unchanged", async () => {
    const source = file("pages-1.img");
    const stream = await openImageFileStream(source.path);
    if (!isRawImageStream(stream)) throw new Error("pages-1.img is raw");
    const parts: Buffer[] = [];
    for await (const chunk of stream.raw) parts.push(Buffer.from(chunk));
    expect(stream.magic).toBe("PAGES");
    expect(Buffer.concat(parts).equals(Buffer.from(readBytes(source.path)))).toBe(true);
  });

  it("rejects a missing file and a bad header", async () => {
    await expect(openImageFileStream(join(dir, "nope.img"))).rejects.toMatchObject({ code: "ENOENT" });
    const target = join(dir, "core-1.img");
    await writeFile(target, "not an image at all");
    await expect(openImageFileStream(target)).rejects.toMatchObject({ kind: "bad-magic", file: "core-1.img", offset: 0 });
  });
});
