import { describe, expect, it } from "vitest";
import { isMemoryError, memorySizes, openTaskMemory, searchMemory, type MemoryError } from "../../../src/checkpoint/memory/index";
import { ImageError } from "../../../src/image/errors";
import { sourceFromFiles } from "../../../src/source/files";
import { corpusDir } from "../../support/corpus";
import { filesOfDir } from "../../support/memory-dump";

const images = () => filesOfDir(`${corpusDir}podman-forensics/images`, "checkpoint/");

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail("expected an error"),
    (err: unknown) => err,
  );
}

describe("bad dumps give typed errors naming the image", () => {
  it("no pstree.img anywhere", async () => {
    const files = images();
    files.delete("checkpoint/pstree.img");
    const err = (await failure(memorySizes(sourceFromFiles(files, "x.tar")))) as MemoryError;
    expect(isMemoryError(err) && err.kind === "missing-image" && err.image === "pstree.img").toBe(true);
    expect(err.message).toMatch(/^x\.tar: no pstree\.img at the top or under checkpoint\//);
  });

  it("a pages image shorter than its pagemap needs, or missing", async () => {
    const files = images();
    files.set("checkpoint/pages-1.img", files.get("checkpoint/pages-1.img")!.subarray(0, 4096));
    const short = (await failure(searchMemory(sourceFromFiles(files, "x.tar"), { literal: "x" }, () => {}))) as MemoryError;
    expect([short.kind, short.image, short.pid]).toEqual(["truncated", "pages-1.img", 1]);
    expect(short.message).toContain("checkpoint/pages-1.img holds 4096 bytes, pagemap-1.img needs 90112");
    files.delete("checkpoint/pages-1.img");
    const missing = (await failure(openTaskMemory(sourceFromFiles(files, "x.tar"), 1))) as MemoryError;
    expect([missing.kind, missing.image, missing.pid]).toEqual(["missing-image", "pages-1.img", 1]);
  });

  it("a corrupt pagemap: the image codec's error, with the member's name", async () => {
    const files = images();
    const pagemap = files.get("checkpoint/pagemap-6.img")!.slice();
    files.set("checkpoint/pagemap-6.img", pagemap.subarray(0, pagemap.length - 3));
    const err = await failure(searchMemory(sourceFromFiles(files), { literal: "x" }, () => {}));
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).message).toContain("checkpoint/pagemap-6.img");
  });

  it("a task that is not in the tree, and patterns that cannot be used", async () => {
    const source = sourceFromFiles(images());
    expect(((await failure(openTaskMemory(source, 42))) as MemoryError).kind).toBe("no-task");
    for (const pattern of [{ literal: "" }, { hex: "6" }, { hex: "zz" }, { regex: "(" }, { regex: "a", window: 0 }]) {
      expect(((await failure(searchMemory(source, pattern, () => {}))) as MemoryError).kind).toBe("bad-pattern");
    }
  });
});
