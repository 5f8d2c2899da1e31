// Random member sets packed to tar read back identical through every kind of source (plain and
// compressed, random access and streams cut into random chunks); ranges equal slices.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkSizes, entries, KINDS } from "../support/source-kinds";
import { sourceFromStream } from "../../src/source/open";
import { chunkedStream, readEverything, sameBytes, sameFiles, type SourceContents } from "../support/sources";
import { writeTar, type TarEntry } from "../support/tar-writer";

function expected(list: readonly TarEntry[]): SourceContents {
  return {
    members: list.map((e) =>
      e.type === "directory"
        ? { name: e.name, size: 0, type: "directory" as const }
        : e.type === "symlink"
          ? { name: e.name, size: 0, type: "symlink" as const, linkTarget: e.linkTarget! }
          : { name: e.name, size: e.data!.length, type: "file" as const },
    ),
    files: new Map(list.filter((e) => (e.type ?? "file") === "file").map((e) => [e.name, e.data!])),
  };
}

describe.each(Object.entries(KINDS))("%s", (_, open) => {
  it("reads back every member, whole and streamed", async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.constantFrom<"gnu" | "pax">("gnu", "pax"), chunkSizes, async (list, longNames, chunks) => {
        const got = await readEverything(() => open(writeTar(list, longNames), chunks));
        const want = expected(list);
        expect(got.members).toEqual(want.members);
        expect(sameFiles(got.files, want.files)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("readRanges equals slicing", async () => {
    const withRanges = entries
      .filter((list) => list.some((e) => (e.data?.length ?? 0) > 0))
      .chain((list) => {
        const files = list.filter((e) => (e.data?.length ?? 0) > 0);
        const range = fc.constantFrom(...files).chain((e) =>
          fc.integer({ min: 0, max: e.data!.length }).chain((offset) => fc.integer({ min: 0, max: e.data!.length - offset }).map((length) => ({ name: e.name, offset, length }))),
        );
        return fc.tuple(fc.constant(list), fc.array(range, { minLength: 1, maxLength: 6 }));
      });
    await fc.assert(
      fc.asyncProperty(withRanges, chunkSizes, async ([list, ranges], chunks) => {
        const source = await open(writeTar(list), chunks);
        const got = await source.readRanges(ranges);
        const files = expected(list).files;
        ranges.forEach((r, i) => expect(sameBytes(got[i]!, files.get(r.name)!.subarray(r.offset, r.offset + r.length))).toBe(true));
        await expect(source.readRanges([{ ...ranges[0]!, length: files.get(ranges[0]!.name)!.length + 1 }])).rejects.toMatchObject({ kind: "out-of-range" });
        await expect(source.read("no/such/member")).rejects.toMatchObject({ kind: "missing-member", member: "no/such/member" });
        await source.close();
      }),
      { numRuns: 30 },
    );
  });
});

describe("a one-shot stream", () => {
  it("keeps what its limits allow and says what it did not keep", async () => {
    const big = new Uint8Array(5000).map((_, i) => i % 251);
    const tar = writeTar([{ name: "checkpoint/pages-1.img", data: big }, { name: "checkpoint/pstree.img", data: Uint8Array.of(1, 2, 3) }]);
    const source = await sourceFromStream(chunkedStream(tar, [777]), "one-shot", { keep: { smallMemberBytes: 1000, largeTotalBytes: 4999 } });
    expect(await source.read("checkpoint/pstree.img")).toEqual(Uint8Array.of(1, 2, 3));
    expect((await source.members()).map((m) => m.size)).toEqual([5000, 3]);
    await expect(source.read("checkpoint/pages-1.img")).rejects.toMatchObject({ kind: "unsupported", member: "checkpoint/pages-1.img" });
    await expect(source.readRanges([{ name: "checkpoint/pages-1.img", offset: 0, length: 1 }])).rejects.toMatchObject({ kind: "unsupported" });
    const kept = await sourceFromStream(chunkedStream(tar, [777]), "one-shot", { keep: { smallMemberBytes: 1000, largeTotalBytes: 5000 } });
    expect(sameBytes(await kept.read("checkpoint/pages-1.img"), big)).toBe(true);
  });
});
